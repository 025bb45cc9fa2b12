"""Create a concept from a JSON document; nothing is written unless all is valid."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from strategy import interchange
from strategy.models import Team


def find_team(slug: str | None) -> Team:
    """The team named by ``slug``, or the only team there is."""
    if slug:
        try:
            return Team.objects.get(slug=slug)
        except Team.DoesNotExist:
            raise CommandError(
                _("No team with short name “%(slug)s”.") % {"slug": slug}
            ) from None
    teams = list(Team.objects.all()[:2])
    if len(teams) != 1:
        names = ", ".join(Team.objects.values_list("slug", flat=True)) or _("none yet")
        raise CommandError(
            _("Name the team with --team (teams: %(names)s).") % {"names": names}
        )
    return teams[0]


def read_file(file: str) -> bytes:
    """The file's bytes; one too large is refused before it is read."""
    path = Path(file)
    try:
        size = path.stat().st_size
        interchange.refuse_if_too_large(size)
        return path.read_bytes()
    except OSError as error:
        raise CommandError(
            _("Cannot read %(file)s: %(reason)s.")
            % {"file": file, "reason": error.strerror}
        ) from None


class Command(BaseCommand):
    help = "Import a concept from a JSON document into a team."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--team", help="the team's short name (slug)")

    def handle(self, file, team, **options):
        team = find_team(team)
        try:
            concept = interchange.import_concept(
                interchange.loads(read_file(file)), team=team
            )
        except interchange.InterchangeError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            count = len(error.problems)
            raise CommandError(
                ngettext(
                    "%(file)s: %(count)s problem; nothing was imported.",
                    "%(file)s: %(count)s problems; nothing was imported.",
                    count,
                )
                % {"file": file, "count": count}
            ) from None
        self.stdout.write(
            _("Imported concept %(id)s into team “%(slug)s”.")
            % {"id": concept.pk, "slug": team.slug}
        )
