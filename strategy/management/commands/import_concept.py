"""Create a concept from a JSON document; nothing is written unless all is valid."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from strategy.interchange import InterchangeError, import_concept, loads
from strategy.models import Team


def find_team(slug: str | None) -> Team:
    """The team named by ``slug``, or the only team there is."""
    if slug:
        try:
            return Team.objects.get(slug=slug)
        except Team.DoesNotExist:
            raise CommandError(f"No team with short name “{slug}”.") from None
    teams = list(Team.objects.all()[:2])
    if len(teams) != 1:
        names = ", ".join(Team.objects.values_list("slug", flat=True)) or "none yet"
        raise CommandError(f"Name the team with --team (teams: {names}).")
    return teams[0]


class Command(BaseCommand):
    help = "Import a concept from a JSON document into a team."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--team", help="the team's short name (slug)")

    def handle(self, file, team, **options):
        team = find_team(team)
        try:
            text = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            concept = import_concept(loads(text), team=team)
        except InterchangeError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{file}: {len(error.problems)} problem(s); nothing was imported."
            ) from None
        self.stdout.write(f"Imported concept {concept.pk} into team “{team.slug}”.")
