"""Which language the interface speaks to whom.

A browser's own language decides at first (``LocaleMiddleware``: a German-speaking
browser lands in German). A person who chooses another keeps it: the choice is
stored with their account (``Preferences``), brought into the session when they sign
in, and wins over the browser in every browser they use.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from .models import Preferences

SESSION_KEY = "language"


def is_language(code) -> bool:
    return code in dict(settings.LANGUAGES)


class UserLanguageMiddleware:
    """Speak the language the signed-in person chose; after ``LocaleMiddleware``
    and ``AuthenticationMiddleware``. No query: the choice is in the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.session.get(SESSION_KEY)
        if is_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


@receiver(user_logged_in)
def bring_choice_into_session(sender, request, user, **kwargs):
    language = (
        Preferences.objects.filter(user=user).values_list("language", flat=True).first()
    )
    if request is not None and is_language(language):
        request.session[SESSION_KEY] = language


@require_POST
def choose_language(request):
    """Django's ``set_language`` (a cookie, for the signed-out), and for a person
    signed in, their choice kept with their account."""
    language = request.POST.get("language")
    if request.user.is_authenticated and is_language(language):
        Preferences.objects.update_or_create(
            user=request.user, defaults={"language": language}
        )
        request.session[SESSION_KEY] = language
    return set_language(request)
