"""Write a concept, or one of its versions, as a JSON document."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from strategy.interchange import dumps, export_concept
from strategy.models import Concept


class Command(BaseCommand):
    help = "Export a concept (all versions, or one with --version) as JSON."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version names a concept version; it replaces Django's --version.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("concept_id", type=int)
        parser.add_argument("--version", dest="number", type=int, help="version number")
        parser.add_argument("-o", "--output", help="file to write (default: stdout)")

    def handle(self, concept_id, number, output, **options):
        try:
            concept = Concept.objects.get(pk=concept_id)
        except Concept.DoesNotExist:
            raise CommandError(f"No concept with id {concept_id}.") from None
        if number is not None and not concept.versions.filter(number=number).exists():
            raise CommandError(f"Concept {concept_id} has no version {number}.")
        text = dumps(export_concept(concept, number=number))
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")
