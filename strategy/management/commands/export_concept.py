"""Write a concept, or one of its versions, as a JSON document."""

from pathlib import Path

from strategy.interchange import dumps, export_concept
from strategy.management.concept_command import ConceptCommand


class Command(ConceptCommand):
    help = "Export a concept (all versions, or one with --version) as JSON."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("-o", "--output", help="file to write (default: stdout)")

    def handle(self, concept_id, number, output, **options):
        concept = self.find_concept(concept_id)
        if number is not None:
            self.find_version(concept, number)
        text = dumps(export_concept(concept, number=number))
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")
