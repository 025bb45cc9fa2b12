"""Settings read from the environment, with safe defaults for a local machine."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", LOCAL_HOSTS)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# A server reachable under a real host name is production, whatever DEBUG says: it
# must have a key of its own, which nobody else knows.
IS_LOCAL = set(ALLOWED_HOSTS) <= set(LOCAL_HOSTS)
DEVELOPMENT_KEY = "local-development-only-not-secret"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not IS_LOCAL and (
    SECRET_KEY in {"", DEVELOPMENT_KEY}
    or SECRET_KEY.startswith("django-insecure")
    or len(SECRET_KEY) < 32
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a secret of 32 characters or more when the app "
        f"serves hosts other than localhost (ALLOWED_HOSTS={','.join(ALLOWED_HOSTS)})."
    )
SECRET_KEY = SECRET_KEY or DEVELOPMENT_KEY
# The key of the pseudonyms that stand for private persons in listening figures
# (strategy/listening/privacy.py); derived from SECRET_KEY when not set. Changing it
# gives everyone new pseudonyms: opinion leaders analysed before are not matched.
LISTENING_PSEUDONYM_KEY = os.environ.get("LISTENING_PSEUDONYM_KEY", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "strategy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files need no policy; every page and the admin do.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "strategy.languages.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: it turns a login refused for a lockout into our page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "strategy.urls"
WSGI_APPLICATION = "strategy.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]


def sqlite_options() -> dict:
    """WAL for concurrent readers, a busy timeout, and write locks taken up front."""
    return {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }


DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = sqlite_options()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
    )
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "fr")
LANGUAGES = [
    ("de", _("German")),
    ("fr", _("French")),
    ("it", _("Italian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "strategy" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Zurich")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The app serves its own static files (WhiteNoise) straight from the finders, so a
# plain checkout works without collectstatic. In production (make serve) they are
# collected into STATIC_ROOT under hashed names, compressed (gzip, Brotli), and
# served with a cache of a year.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = not STATIC_ROOT
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_ROOT
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"

# A step posts every field of every row of its lists: a concept with a few hundred
# rows in one step must still save (Django's default allows 1000 fields).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 50_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Files: at most limits.MAX_UPLOAD_BYTES each, counted as they arrive; kept in
# memory up to 2.5 MB, in a temporary file beyond.
FILE_UPLOAD_HANDLERS = [
    "strategy.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "strategy:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes), for the app's login and the admin's: after five
# wrong passwords, a username is locked for fifteen minutes from that address.
AUTHENTICATION_BACKENDS = [
    # First: it refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
# A lock holds a username *from one address*. By username alone, anyone could lock
# everybody out by typing wrong passwords for their names; by address alone, one
# person's typos would lock everyone behind the same office NAT. The price: from
# one address, someone may still try four passwords on each of many usernames.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The lock ends fifteen minutes after the fifth failure, whatever is tried meanwhile
# (tries during a lock are refused, not counted), so the page can say how long.
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "strategy.throttling.locked_out"
AXES_CLIENT_IP_CALLABLE = "strategy.throttling.client_ip_address"
# Failures are kept until they expire; a log of every successful login would be
# personal data we have no use for.
AXES_DISABLE_ACCESS_LOG = True
# Registered by strategy/admin/lockouts.py, for superusers only.
AXES_ENABLE_ADMIN = False
# Behind a reverse proxy every connection comes from the proxy: the client's address
# is then read from the header the proxy sets, and only then, since a client can
# send that header itself (strategy/throttling.py).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
PROXY_CLIENT_IP_HEADER = os.environ.get("PROXY_CLIENT_IP_HEADER", "X-Forwarded-For")

# Background work (django-tasks, Django 6's django.tasks later): documents are
# rendered before anyone asks, and imports run, in the worker `manage.py db_worker`,
# which takes the tasks from the database. Without a worker (the development server,
# the tests) the immediate backend runs each task at once, in the request.
BACKGROUND_WORKER = env_bool("BACKGROUND_WORKER", not IS_LOCAL)
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if BACKGROUND_WORKER
        else "django_tasks.backends.immediate.ImmediateBackend",
    }
}

# Logs go to standard error, DEBUG or not: a request's error with its traceback, the
# worker's tasks, gunicorn's access log beside them (docs/deploy.md, "Logs").
# Django's own handler prints only with DEBUG on.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "[{asctime}] {levelname} {name}: {message}", "style": "{"}
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_SECURE = not IS_LOCAL
CSRF_COOKIE_SECURE = not IS_LOCAL

# Served to other hosts than localhost, over HTTPS only: every request redirected to
# https, browsers told to keep to it (HSTS) for a year, subdomains and the browsers'
# preload list included. HTTPS=0 for a plain-HTTP test installation; HSTS_SECONDS,
# HSTS_INCLUDE_SUBDOMAINS=0, HSTS_PRELOAD=0 to be more careful (docs/deploy.md).
HTTPS = env_bool("HTTPS", not IS_LOCAL)
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", 31_536_000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", HTTPS)
if BEHIND_PROXY:
    # The proxy ends TLS and says so; without a proxy a client could say it itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): the app's own origin for everything, and no
# inline code at all. No inline script, event handler attribute or script URL runs,
# no style element nor style attribute applies: scripts and styles are files in
# static/ (JavaScript that sets element.style is not concerned, Tom Select's and the
# admin's included). The one allowance: data: images, for the small SVG icons inside
# Bootstrap's and Tom Select's CSS (select arrows, check marks, the menu button).
# The document's page footer comes from CSS too (document.css), for WeasyPrint and
# the preview alike. tests/test_csp.py and tests/browser/test_csp.py check it.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
