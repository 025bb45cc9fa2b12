"""Render a version of a concept as PDF, and optionally the HTML WeasyPrint gets."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from strategy import document
from strategy.models import Concept


class Command(BaseCommand):
    help = "Render a concept version (the draft by default) as PDF."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version names a concept version; it replaces Django's --version.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("concept_id", type=int)
        parser.add_argument("--version", dest="number", type=int, help="version number")
        parser.add_argument(
            "-o", "--output", help="PDF file (default: concept-ID-vN.pdf)"
        )
        parser.add_argument("--html", help="also write the HTML handed to WeasyPrint")
        parser.add_argument(
            "--archive", action="store_true", help="PDF/A instead of PDF/UA"
        )

    def handle(self, concept_id, number, output, html, archive, **options):
        try:
            concept = Concept.objects.get(pk=concept_id)
        except Concept.DoesNotExist:
            raise CommandError(f"No concept with id {concept_id}.") from None
        versions = concept.versions.all()
        version = versions.filter(number=number).first() if number else concept.draft
        if version is None:
            raise CommandError(f"Concept {concept_id} has no version {number}.")
        variant = document.ARCHIVE if archive else document.ACCESSIBLE
        if html:
            Path(html).write_text(document.render_html(version), encoding="utf-8")
            self.stderr.write(f"Wrote {html}")
        output = output or document.filename(version, variant=variant)
        Path(output).write_bytes(document.render_pdf(version, variant=variant))
        self.stderr.write(f"Wrote {output}")
