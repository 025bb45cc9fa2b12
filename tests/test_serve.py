"""`make serve` as an administrator runs it: gunicorn and the task worker, on
PostgreSQL, answering a person who logs in, freezes a version and downloads its PDF,
which the worker made before the download was asked for.

The stack runs in processes of its own, on free ports, against a throw-away cluster
(``tests/with_postgres.py``); it is the same whichever database the suite runs on,
so it runs once, in the SQLite run.
"""

import http.cookiejar
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from strategy.demo import DEMO_PASSWORD, DEMO_USERNAME

from .with_postgres import cluster, free_port

pytestmark = pytest.mark.sqlite_only

BASE_DIR = settings.BASE_DIR
PYTHON = sys.executable


def production_env(tmp_path: Path, database_url: str, port: int) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_")) and key != "DEBUG"
    }
    return {
        **env,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "HTTPS": "0",
        "BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "2",
        "TASK_WORKERS": "1",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
    }


def manage(env: dict, *arguments: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *arguments],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


class Browser:
    """Just enough of one: cookies, forms with their CSRF token, no redirects."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def get(self, path: str):
        return self.opener.open(self.base + path, timeout=30)

    def post(self, path: str, fields: dict):
        token = next(c.value for c in self.cookies if c.name == "csrftoken")
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields})
        request = urllib.request.Request(
            self.base + path, data.encode(), headers={"Referer": self.base + path}
        )
        try:
            return self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as response:  # a redirect, here
            return response


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_for(condition, seconds: float, what: str, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.25)
    pytest.fail(
        f"{what} within {seconds} s; the stack said:\n{log.read_text()[-3000:]}"
    )


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_make_serve_stack_renders_the_pdf_before_it_is_downloaded(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with cluster() as database_url:
        env = production_env(tmp_path, database_url, port)
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        concept_id, number = manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from strategy.models import Concept;"
            "c = Concept.objects.filter(versions__language='fr').first();"
            "print(c.pk, c.versions.get(status='draft').number)",
        ).split()
        with log.open("w") as output:
            stack = subprocess.Popen(
                ["make", "--no-print-directory", "serve"],
                cwd=BASE_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_for(lambda: answers(f"{base}/login/"), 90, "make serve answered", log)
            browser = Browser(base)
            browser.get("/login/")
            login = browser.post(
                "/login/", {"username": DEMO_USERNAME, "password": DEMO_PASSWORD}
            )
            assert login.status == 302, login.read()[:500]

            version = f"/concepts/{concept_id}/versions/{number}/"
            freeze = browser.post(version + "freeze/", {"note": "Für den Vorstand"})
            assert freeze.status == 302
            assert freeze.headers["Location"] == f"/concepts/{concept_id}/"

            folder = tmp_path / "media" / "documents" / concept_id
            stored = wait_for(
                lambda: sorted(folder.glob(f"v{number}-*.pdf")),
                90,
                "the worker stored the frozen version's PDF",
                log,
            )
            wait_for(
                lambda: list(folder.glob(f"v{number}-*.docx")),
                60,
                "the worker stored its Word file",
                log,
            )
            started = time.monotonic()
            download = browser.get(version + "document.pdf")
            took = time.monotonic() - started
            body = download.read()
            assert download.headers["Content-Type"] == "application/pdf"
            assert body == stored[0].read_bytes(), "served from storage, as made"
            assert took < 2, f"a stored PDF is served at once, not rendered ({took} s)"

            # Static files: collected, hashed, compressed, cached for long.
            page = browser.get(version).read().decode()
            css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
            assert css, "static files have hashed names"
            request = urllib.request.Request(
                base + css[1], headers={"Accept-Encoding": "br, gzip"}
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.headers["Content-Encoding"] in {"br", "gzip"}
                assert "immutable" in response.headers["Cache-Control"]
        finally:
            os.killpg(stack.pid, signal.SIGTERM)
            try:
                stack.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(stack.pid, signal.SIGKILL)
                raise
        assert not answers(f"{base}/login/"), "the stack stopped whole"


def test_make_serve_refuses_an_insecure_configuration_and_names_the_variable(
    tmp_path,
):
    env = production_env(tmp_path, "", free_port())
    for name in ("SECRET_KEY", "DATABASE_URL"):
        env.pop(name)
    result = subprocess.run(
        ["make", "--no-print-directory", "serve"],
        cwd=BASE_DIR,
        env={**env, "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    said = result.stdout + result.stderr
    assert "Refusing to serve" in said
    assert "SECRET_KEY is not set" in said
    assert "DATABASE_URL is not set" in said
    assert "DEBUG is on" in said
    assert "ALLOWED_HOSTS is not set" not in said
