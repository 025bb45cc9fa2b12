"""What every benchmark needs: Django on a throw-away database, timing helpers."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def best_of(runs, function) -> float:
    """The shortest of ``runs`` timings of ``function()``, in seconds."""
    return min(timed(function) for _ in range(runs))


def set_up_django(workdir: Path) -> None:
    """Django on a new SQLite database and media folder in ``workdir``, migrated."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "strategy.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")

    import django

    django.setup()

    from django.conf import settings
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    assert Path(settings.DATABASES["default"]["NAME"]).parent == workdir
    assert Path(default_storage.location).parent == workdir
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)


def large_concept():
    """The tests' large concept (hundreds of rows, long texts) and its owner."""
    from strategy.models import Role
    from tests.factories import make_large_concept, make_team, make_user

    owner = make_user("owner")
    team = make_team("Communication", members=[(owner, Role.OWNER)])
    return make_large_concept(team, by=owner), owner
