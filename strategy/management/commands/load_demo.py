"""Create the demo team, its login and its concepts, once each."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from strategy.demo import DEMO_FILES, DEMO_PASSWORD, DEMO_TEAM_SLUG, DEMO_USERNAME
from strategy.interchange import import_concept, loads
from strategy.models import Membership, Role, Team


class Command(BaseCommand):
    help = "Load the demo concepts and a demo login (idempotent)."

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
        team, _created = Team.objects.get_or_create(
            slug=DEMO_TEAM_SLUG, defaults={"name": "HRPJ – Communication & RH"}
        )
        Membership.objects.get_or_create(
            team=team, user=user, defaults={"role": Role.OWNER}
        )
        for path in DEMO_FILES:
            document = loads(path.read_bytes())
            organisation = document["versions"][-1]["organisation"]
            if not team.concepts.filter(versions__organisation=organisation).exists():
                import_concept(document, team=team, by=user)
                self.stdout.write(
                    _("Loaded the demo concept of %(organisation)s.")
                    % {"organisation": organisation}
                )
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo login: user “%(user)s”, password “%(password)s”")
                % {"user": DEMO_USERNAME, "password": DEMO_PASSWORD}
            )
        )
