"""Render a version of a concept as a Word document."""

from pathlib import Path

from django.utils.translation import gettext as _

from strategy import wordexport
from strategy.management.concept_command import ConceptCommand


class Command(ConceptCommand):
    help = "Render a concept version (the draft by default) as a Word document."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "-o", "--output", help="Word file (default: concept-ID-vN.docx)"
        )

    def handle(self, concept_id, number, output, **options):
        concept = self.find_concept(concept_id)
        version = self.version_or_working(concept, number)
        output = output or wordexport.filename(version)
        Path(output).write_bytes(wordexport.render_docx(version))
        self.stderr.write(_("Wrote %(file)s") % {"file": output})
