"""The strategy app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = _("Social media strategy")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connect the frozen-version guards and the sign-in's language.
        from . import languages, signals  # noqa: F401
