"""The one shared list of platforms every part of a concept picks from."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    LINKEDIN = "linkedin", "LinkedIn"
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X (Twitter)"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    XING = "xing", "XING"
    KUNUNU = "kununu", "kununu"
    GLASSDOOR = "glassdoor", "Glassdoor"
    WHATSAPP = "whatsapp", "WhatsApp"
    THREADS = "threads", "Threads"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    PINTEREST = "pinterest", "Pinterest"
    BLOG = "blog", _("Blog")
    FORUM = "forum", _("Forums and communities")
    REVIEWS = "reviews", _("Review sites")
    NEWS = "news", _("Online news and comments")
    OTHER = "other", _("Other")


class PlatformField(models.CharField):
    """One platform from the shared list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("choices", Platform.choices)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        if kwargs.get("max_length") == 20:
            kwargs.pop("max_length")
        return name, path, args, kwargs


class PlatformsField(models.JSONField):
    """Several platforms from the shared list, stored as a list of their codes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list):
            raise ValidationError(_("Expected a list of platforms."), code="invalid")
        unknown = [code for code in value if code not in Platform.values]
        if unknown:
            shown = [str(code)[:40] for code in unknown[:5]]
            raise ValidationError(
                _("Unknown platform: %(codes)s."),
                code="invalid_choice",
                params={"codes": ", ".join(shown) + (", …" if unknown[5:] else "")},
            )
        if len(set(value)) != len(value):
            raise ValidationError(_("A platform is listed twice."), code="duplicate")

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=Platform.choices,
            required=not self.blank,
            label=capfirst(self.verbose_name),
            widget=forms.CheckboxSelectMultiple,
            help_text=self.help_text,
        )


def platform_labels(codes) -> str:
    """The platforms' names, comma-separated, for people to read."""
    labels = dict(Platform.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or [])
