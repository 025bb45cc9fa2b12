"""What a production server needs set: checked before ``make serve`` starts.

The settings have safe defaults for a developer's machine; a server must say what it
is instead of inheriting them. Each problem names the variable to set and how.
"""

import os

from django.conf import settings

REQUIRED = {
    "SECRET_KEY": "a secret of 50 random characters, e.g. from "
    "`python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`",
    "ALLOWED_HOSTS": "the host names the app answers to, e.g. strategy.example.ch",
    "DATABASE_URL": "postgres://USER:PASSWORD@HOST:5432/NAME (recommended), or "
    "sqlite:////srv/strategy/db.sqlite3 for a small team",
}


def problems(environ=os.environ) -> list[str]:
    """Each insecure or missing setting, as a sentence naming its variable."""
    found = [
        f"{name} is not set: {how}."
        for name, how in REQUIRED.items()
        if not environ.get(name, "").strip()
    ]
    if settings.DEBUG:
        found.append("DEBUG is on: set DEBUG=0 (it shows code and settings).")
    if "SECRET_KEY" in environ and len(settings.SECRET_KEY) < 32:
        found.append("SECRET_KEY is too short: use 32 characters or more.")
    if settings.SECRET_KEY == settings.DEVELOPMENT_KEY:
        found.append("SECRET_KEY is the development key: set a secret of your own.")
    if settings.HTTPS and not settings.BEHIND_PROXY:
        found.append(
            "HTTPS is on but BEHIND_PROXY is not set: the app server speaks plain "
            "HTTP, so put a reverse proxy that ends TLS in front and set "
            "BEHIND_PROXY=1 (docs/deploy.md), or HTTPS=0 for a test installation "
            "that nobody reaches from outside."
        )
    if not settings.BACKGROUND_WORKER:
        found.append("BACKGROUND_WORKER is off: set BACKGROUND_WORKER=1.")
    if not settings.STATIC_ROOT:
        found.append("STATIC_ROOT is not set: the folder for collected static files.")
    return found
