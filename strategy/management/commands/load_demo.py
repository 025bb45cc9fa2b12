"""Create the demo team, its login and its concept, once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from strategy.demo import DEMO_FILE, DEMO_PASSWORD, DEMO_TEAM_SLUG, DEMO_USERNAME
from strategy.interchange import import_concept, loads
from strategy.models import Membership, Role, Team


class Command(BaseCommand):
    help = "Load the demo concept and a demo login (idempotent)."

    @transaction.atomic
    def handle(self, **options):
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={
                "first_name": "Claire",
                "last_name": "Rochat",
                "email": "claire.rochat@example.ch",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        team, _ = Team.objects.get_or_create(
            slug=DEMO_TEAM_SLUG, defaults={"name": "HRPJ – Communication & RH"}
        )
        Membership.objects.get_or_create(
            team=team, user=user, defaults={"role": Role.OWNER}
        )
        if not team.concepts.exists():
            import_concept(loads(DEMO_FILE.read_bytes()), team=team, by=user)
            self.stdout.write("Loaded the demo concept.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo login: user “{DEMO_USERNAME}”, password “{DEMO_PASSWORD}”"
            )
        )
