"""Render a version of a concept as PDF, and optionally the HTML WeasyPrint gets."""

from pathlib import Path

from django.utils.translation import gettext as _

from strategy import document
from strategy.management.concept_command import ConceptCommand


class Command(ConceptCommand):
    help = "Render a concept version (the draft by default) as PDF."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "-o", "--output", help="PDF file (default: concept-ID-vN.pdf)"
        )
        parser.add_argument(
            "--html",
            help="also write the document as one HTML file (styles and fonts inside)",
        )
        parser.add_argument(
            "--archive", action="store_true", help="PDF/A instead of PDF/UA"
        )

    def handle(self, concept_id, number, output, html, archive, **options):
        concept = self.find_concept(concept_id)
        version = self.version_or_working(concept, number)
        variant = document.ARCHIVE if archive else document.ACCESSIBLE
        if html:
            Path(html).write_text(document.standalone_html(version), encoding="utf-8")
            self.stderr.write(_("Wrote %(file)s") % {"file": html})
        output = output or document.filename(version, variant=variant)
        Path(output).write_bytes(document.render_pdf(version, variant=variant))
        self.stderr.write(_("Wrote %(file)s") % {"file": output})
