"""The document's URL fetcher reads our static files and makes no request at all."""

import base64
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from strategy.fetcher import (
    MAX_DATA_URL_LENGTH,
    STATIC_BASE_URL,
    ResourceRefused,
    StaticOnlyFetcher,
    fetch_static_only,
)

STATIC_DIR = Path(django_settings.BASE_DIR, "static")
FONT = STATIC_DIR / "fonts" / "inter" / "Inter-Regular.otf"
# A 1×1 transparent PNG.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)


class CountingHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.paths.append(self.path)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/x.png")
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


class CountingServer(ThreadingHTTPServer):
    """Counts every connection it accepts, even one that never sends a request."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), CountingHandler)
        self.connections = 0
        self.paths = []

    def verify_request(self, request, client_address):
        self.connections += 1
        return True


class RecordingFetcher(StaticOnlyFetcher):
    def __init__(self):
        super().__init__()
        self.served = []
        self.refused = []

    def fetch(self, url, headers=None):
        try:
            response = super().fetch(url, headers)
        except ResourceRefused:
            self.refused.append(url)
            raise
        self.served.append(url)
        return response


@pytest.fixture
def listener():
    server = CountingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def socket_attempts(monkeypatch):
    """Record and fail any outgoing connection or name lookup during the test."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.fixture
def found_files(monkeypatch):
    """The names the fetcher asked the static finders for, and what they found."""
    calls = []
    find = finders.find

    def recording_find(path, *args, **kwargs):
        found = find(path, *args, **kwargs)
        calls.append((path, found))
        return found

    monkeypatch.setattr(finders, "find", recording_find)
    return calls


@pytest.fixture
def document_css(settings, tmp_path):
    """A second static directory with a stylesheet that uses our static font."""
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "test-document.css").write_text(
        "@font-face { font-family: 'Document Sans';"
        " src: url(../fonts/inter/Inter-Regular.otf); }\n"
        "body { font-family: 'Document Sans'; }\n"
    )
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    return "/static/css/test-document.css"


def embedded_font_families(pdf: bytes) -> set[str]:
    """The family names inside the font files the PDF embeds, not its CSS names."""
    families = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            for descendant in font.get_object().get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor:
                        data = descriptor[key].get_object().get_data()
                        families.add(TTFont(BytesIO(data))["name"].getDebugName(1))
    return families


def link_targets(pdf: bytes) -> set[str]:
    targets = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        for annotation in page.get("/Annots", []):
            action = annotation.get_object().get("/A", {})
            if "/URI" in action:
                targets.add(str(action["/URI"]))
    return targets


def hostile_html(origin: str, stylesheet: str) -> str:
    huge_data_url = "data:image/png;base64," + "A" * (5 * 1024 * 1024)
    return f"""<!doctype html>
<html><head>
<link rel="stylesheet" href="{stylesheet}">
<link rel="stylesheet" href="{origin}/x.css">
<link rel="attachment" href="{origin}/link-attachment.txt">
<style>
@import url({origin}/i.css);
@font-face {{ font-family: Remote; src: url({origin}/f.otf); }}
h1 {{ font-family: Remote; background: url({origin}/bg.png); }}
</style>
</head><body>
<h1>Strategy</h1>
<p>Plain text in our own font.</p>
<img src="{origin}/x.png">
<img src="{origin}/redirect">
<img src="file:///etc/passwd">
<img src="http://169.254.169.254/latest/meta-data/">
<img src="http://localhost/x.png">
<img src="ftp://127.0.0.1/x.png">
<img src="javascript:alert(1)">
<img src="{huge_data_url}">
<embed src="{origin}/embed.svg"><object data="{origin}/object.svg"></object>
<svg width="10" height="10"><image href="{origin}/svg-image.png"/></svg>
<p style="background: url({origin}/inline.png)">Inline style.</p>
<p><a href="{origin}/link">a link</a>
<a rel="attachment" href="{origin}/attachment.txt">an attachment</a></p>
</body></html>"""


def test_document_renders_without_any_request(
    listener, socket_attempts, found_files, document_css
):
    origin = f"http://127.0.0.1:{listener.server_port}"
    fetcher = RecordingFetcher()

    pdf = HTML(
        string=hostile_html(origin, document_css),
        base_url=STATIC_BASE_URL,
        url_fetcher=fetcher,
    ).write_pdf()

    assert pdf.startswith(b"%PDF")
    assert listener.connections == 0
    assert listener.paths == []
    assert socket_attempts == []
    assert "http://169.254.169.254/latest/meta-data/" in fetcher.refused
    assert "file:///etc/passwd" in fetcher.refused
    assert f"{origin}/redirect" in fetcher.refused
    assert any(url.startswith("data:image/png;base64,AAAA") for url in fetcher.refused)
    assert not any(url.startswith(origin) for url in fetcher.served)
    assert fetcher.served == [
        "https://document.invalid/static/css/test-document.css",
        "https://document.invalid/static/fonts/inter/Inter-Regular.otf",
    ]
    assert ("fonts/inter/Inter-Regular.otf", str(FONT)) in found_files
    assert "Inter" in embedded_font_families(pdf)
    assert f"{origin}/link" in link_targets(pdf)


def test_harness_counts_requests_of_the_default_fetcher(listener, monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    origin = f"http://127.0.0.1:{listener.server_port}"
    html = f'<img src="{origin}/redirect"><link rel="stylesheet" href="{origin}/x.css">'

    HTML(string=html, url_fetcher=URLFetcher(timeout=5)).write_pdf()

    assert sorted(listener.paths) == ["/redirect", "/x.css", "/x.png"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/static/css/app.css",
        "http://localhost/static/css/app.css",
        "https://169.254.169.254/latest/meta-data/",
        "http://[::1]/static/css/app.css",
        "http://document.invalid/static/css/app.css",
        "https://document.invalid:443/static/css/app.css",
        "https://user@document.invalid/static/css/app.css",
        "file:///etc/passwd",
        "file:///work/main/static/css/app.css",
        "ftp://127.0.0.1/x",
        "javascript:alert(1)",
        "data:text/html,<p>hi</p>",
        "data:,plain",
        "data:image/png;base64,!!!",
    ],
)
def test_other_urls_are_refused(url, socket_attempts):
    with pytest.raises(ResourceRefused):
        fetch_static_only(url)
    assert socket_attempts == []


@pytest.mark.parametrize(
    "url",
    [
        "https://document.invalid/strategy/settings.py",
        "https://document.invalid/static/../strategy/settings.py",
        "https://document.invalid/static/%2e%2e/strategy/settings.py",
        "https://document.invalid/static/%2E%2E/strategy/settings.py",
        "https://document.invalid/static/css/%2e%2e/%2e%2e/strategy/settings.py",
        "https://document.invalid/static/css/..%2f..%2fstrategy/settings.py",
        "https://document.invalid/static/..%5c..%5cstrategy/settings.py",
        "https://document.invalid/static//etc/passwd",
        "https://document.invalid/static/%2fetc/passwd",
        "https://document.invalid/static/css/app.css%00.png",
        "https://document.invalid/static/./css/app.css",
    ],
)
def test_path_traversal_is_refused_before_the_finders(url, found_files):
    with pytest.raises(ResourceRefused, match="not"):
        fetch_static_only(url)
    assert found_files == []


def test_traversal_in_the_document_reaches_no_file(found_files, socket_attempts):
    html = """<link rel="stylesheet" href="/static/../strategy/settings.py">
    <link rel="stylesheet" href="static/%2e%2e/strategy/settings.py">
    <link rel="stylesheet" href="/static/%2e%2e/%2e%2e/etc/passwd"><p>Text</p>"""
    fetcher = RecordingFetcher()

    pdf = HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=fetcher).write_pdf()

    assert pdf.startswith(b"%PDF")
    assert fetcher.served == []
    assert fetcher.refused == [
        "https://document.invalid/strategy/settings.py",
        "https://document.invalid/static/%2e%2e/strategy/settings.py",
        "https://document.invalid/static/%2e%2e/%2e%2e/etc/passwd",
    ]
    assert found_files == []
    assert socket_attempts == []


def test_unknown_static_file_is_refused_and_the_document_renders():
    with pytest.raises(ResourceRefused, match="no such static file"):
        fetch_static_only("https://document.invalid/static/css/missing.css")
    with pytest.raises(ResourceRefused, match="no such static file"):
        fetch_static_only("https://document.invalid/static/fonts/inter")

    html = '<link rel="stylesheet" href="/static/css/missing.css"><p>Text</p>'
    pdf = HTML(
        string=html, base_url=STATIC_BASE_URL, url_fetcher=fetch_static_only
    ).write_pdf()

    assert pdf.startswith(b"%PDF")


def test_static_file_is_read_from_disk_with_its_type():
    response = fetch_static_only(
        "https://document.invalid/static/fonts/inter/Inter-Regular.otf?v=4#x"
    )

    assert response.read() == FONT.read_bytes()
    assert response.content_type == "font/otf"
    assert response.url.startswith(STATIC_BASE_URL)


def test_relative_static_url_resolves_against_the_base_url():
    css = fetch_static_only("https://document.invalid/static/css/app.css")

    assert css.content_type == "text/css"
    assert css.read() == (STATIC_DIR / "css" / "app.css").read_bytes()


def test_collected_static_file_is_found_under_static_root(settings, tmp_path):
    (tmp_path / "collected-only.css").write_text("p { color: black; }")
    settings.STATIC_ROOT = str(tmp_path)

    response = fetch_static_only("https://document.invalid/static/collected-only.css")

    assert response.read() == b"p { color: black; }"


def test_static_prefix_follows_the_static_url_setting(settings):
    settings.STATIC_URL = "/assets/"

    assert fetch_static_only("https://document.invalid/assets/css/app.css")
    with pytest.raises(ResourceRefused, match="not under the static URL"):
        fetch_static_only("https://document.invalid/static/css/app.css")


def test_small_data_image_is_decoded():
    url = "data:image/png;base64," + base64.b64encode(PIXEL).decode()

    response = fetch_static_only(url)

    assert response.read() == PIXEL
    assert response.content_type == "image/png"


def test_data_url_above_the_limit_is_refused_undecoded():
    url = "data:image/png;base64," + "A" * MAX_DATA_URL_LENGTH

    with pytest.raises(ResourceRefused, match="longer than"):
        fetch_static_only(url)


def test_refusal_is_logged_with_a_short_url(caplog):
    url = "data:image/png;base64," + "A" * (5 * 1024 * 1024)

    with (
        caplog.at_level(logging.INFO, logger="strategy.fetcher"),
        pytest.raises(ResourceRefused),
    ):
        fetch_static_only(url)

    [record] = [r for r in caplog.records if r.name == "strategy.fetcher"]
    assert record.levelno == logging.INFO
    assert record.getMessage().startswith("Refused data:image/png;base64,AAA")
    assert len(record.getMessage()) < 300


def test_fetcher_has_no_protocol_and_no_redirects_to_fall_back_on():
    fetcher = StaticOnlyFetcher()

    assert fetcher._allowed_protocols == ()
    assert not any(
        type(handler).__name__ == "HTTPRedirectHandler" for handler in fetcher.handlers
    )
