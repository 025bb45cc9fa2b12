"""What the commands about one concept share: its id, an optional --version."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from strategy.models import Concept, ConceptVersion


class ConceptCommand(BaseCommand):
    """A command taking CONCEPT_ID and an optional ``--version N``."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version names a concept version; it replaces Django's --version.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("concept_id", type=int)
        parser.add_argument("--version", dest="number", type=int, help="version number")

    def find_concept(self, concept_id: int) -> Concept:
        try:
            return Concept.objects.get(pk=concept_id)
        except Concept.DoesNotExist:
            raise CommandError(
                _("No concept with id %(id)s.") % {"id": concept_id}
            ) from None

    def find_version(self, concept: Concept, number: int) -> ConceptVersion:
        try:
            return concept.versions.get(number=number)
        except ConceptVersion.DoesNotExist:
            raise CommandError(
                _("Concept %(id)s has no version %(number)s.")
                % {"id": concept.pk, "number": number}
            ) from None

    def version_or_working(self, concept: Concept, number: int | None):
        """Version ``number``; without one, the working draft, else the latest."""
        if number:
            return self.find_version(concept, number)
        return concept.working_version() or concept.versions.order_by("number").last()
