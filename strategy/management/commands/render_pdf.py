"""Render a version of a concept as PDF, and optionally the HTML WeasyPrint gets."""

from pathlib import Path

from strategy import document
from strategy.management.concept_command import ConceptCommand


class Command(ConceptCommand):
    help = "Render a concept version (the draft by default) as PDF."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "-o", "--output", help="PDF file (default: concept-ID-vN.pdf)"
        )
        parser.add_argument("--html", help="also write the HTML handed to WeasyPrint")
        parser.add_argument(
            "--archive", action="store_true", help="PDF/A instead of PDF/UA"
        )

    def handle(self, concept_id, number, output, html, archive, **options):
        concept = self.find_concept(concept_id)
        version = (
            self.find_version(concept, number)
            if number
            else concept.working_version() or concept.versions.order_by("number").last()
        )
        variant = document.ARCHIVE if archive else document.ACCESSIBLE
        if html:
            Path(html).write_text(document.render_html(version), encoding="utf-8")
            self.stderr.write(f"Wrote {html}")
        output = output or document.filename(version, variant=variant)
        Path(output).write_bytes(document.render_pdf(version, variant=variant))
        self.stderr.write(f"Wrote {output}")
