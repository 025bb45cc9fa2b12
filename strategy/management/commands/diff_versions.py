"""Print what changed between two versions of a concept, as text."""

from strategy import formats
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
        old, new = self.find_version(concept, old), self.find_version(concept, new)
        # In the concept's language and formats (the newer version's), as its
        # document: whoever runs the command.
        with formats.in_locale_of(max(old, new, key=lambda version: version.number)):
            comparison = compare_versions(old, new)
            self.stdout.write(format_text(comparison), ending="")
