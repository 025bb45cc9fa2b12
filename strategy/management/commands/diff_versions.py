"""Print what changed between two versions of a concept, as text."""

from strategy.comparison import compare_versions
from strategy.comparison_text import format_text
from strategy.management.concept_command import ConceptCommand


class Command(ConceptCommand):
    help = "Compare two versions of a concept: diff_versions CONCEPT_ID A B."

    def add_arguments(self, parser):
        parser.add_argument("concept_id", type=int)
        parser.add_argument("old", type=int, help="number of the version to compare")
        parser.add_argument("new", type=int, help="number of the version to compare to")

    def handle(self, concept_id, old, new, **options):
        concept = self.find_concept(concept_id)
        comparison = compare_versions(
            self.find_version(concept, old), self.find_version(concept, new)
        )
        self.stdout.write(format_text(comparison), ending="")
