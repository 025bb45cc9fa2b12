"""WeasyPrint's URL fetcher for the document: our own static files, and nothing else.

The document holds text written by users, and WeasyPrint fetches every URL it meets
in HTML, CSS and SVG (images, stylesheets, ``@import``, fonts, attachments). Its
default fetcher would follow them over HTTP, to our own server, to cloud metadata
addresses, to ``file://`` paths, and would follow redirects. This fetcher makes no
request at all: it reads static files from disk and refuses every other URL by
raising an exception, which WeasyPrint logs before rendering on without that
resource.

Render with ``base_url=STATIC_BASE_URL``: a host under ``.invalid`` never resolves
(RFC 6761), so a relative or root-relative URL in the document, such as
``{% static 'css/document.css' %}`` (``/static/css/document.css``), becomes
``https://document.invalid/static/css/document.css``, which only this fetcher
understands. URLs in a static stylesheet resolve against that stylesheet's URL,
so ``url(../fonts/inter/Inter-Regular.otf)`` works there too.

``@font-face`` sources must be ``url(…)``: ``local(…)`` becomes a ``file://`` URL
inside WeasyPrint and is refused like any other.
"""

import base64
import binascii
import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_BASE_URL = "https://document.invalid/"
"""The ``base_url`` to render with; its host is ours only inside this fetcher."""

MAX_DATA_URL_LENGTH = 64 * 1024
"""Longest ``data:`` URL accepted; a bigger one is refused before it is decoded."""

LOGGED_URL_LENGTH = 120


class ResourceRefused(ValueError):
    """A URL the document may not load; WeasyPrint renders on without it."""


class StaticOnlyFetcher(URLFetcher):
    """Serve our static files from disk and small ``data:`` images; refuse the rest.

    Never opens a socket and never follows a redirect: the network code that
    ``URLFetcher`` inherits from ``urllib`` is never called.
    """

    def __init__(self, **kwargs):
        # Should anything reach the inherited fetch, it allows no protocol at all.
        super().__init__(allowed_protocols=(), allow_redirects=False, **kwargs)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        """Return the resource at ``url``, or raise ``ResourceRefused``."""
        try:
            if url[:5].lower() == "data:":
                return _data_response(url)
            return _static_response(url)
        except ResourceRefused as refusal:
            logger.info("Refused %s: %s", _shorten(url), refusal)
            raise


fetch_static_only = StaticOnlyFetcher()
"""The fetcher to pass as ``url_fetcher``; it keeps no state between fetches."""


def _shorten(url: str) -> str:
    if len(url) <= LOGGED_URL_LENGTH:
        return url
    return f"{url[:LOGGED_URL_LENGTH]}… ({len(url)} characters)"


def _data_response(url: str) -> URLFetcherResponse:
    """Decode a small ``data:`` URL of an image; it needs neither network nor disk."""
    if len(url) > MAX_DATA_URL_LENGTH:
        raise ResourceRefused(f"data: URL longer than {MAX_DATA_URL_LENGTH} characters")
    header, comma, payload = url[5:].partition(",")
    if not comma:
        raise ResourceRefused("malformed data: URL")
    media_type, *parameters = (part.strip().lower() for part in header.split(";"))
    if not media_type.startswith("image/"):
        raise ResourceRefused(f"data: URL of type {media_type or 'text/plain'!r}")
    body = unquote_to_bytes(payload)
    if "base64" in parameters:
        try:
            body = base64.b64decode(b"".join(body.split()), validate=True)
        except binascii.Error as error:
            raise ResourceRefused("data: URL with invalid base64") from error
    return URLFetcherResponse(url, body, {"Content-Type": media_type})


def _static_response(url: str) -> URLFetcherResponse:
    """Read the static file a URL under ``STATIC_BASE_URL`` names."""
    path = _static_file(_static_name(url))
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})


def _static_prefix() -> str:
    """The path static URLs start with, read at each fetch so settings can change."""
    path = urlsplit(settings.STATIC_URL).path
    return path if path.startswith("/") else f"/{path}"


def _static_name(url: str) -> str:
    """The static file's relative name in ``url``, refusing anything outside static."""
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise ResourceRefused("malformed URL") from error
    base = urlsplit(STATIC_BASE_URL)
    # Any other host is refused, 127.0.0.1 and metadata addresses included, and so
    # is any other scheme: file:, ftp:, javascript:, http: to our own host name.
    if (parts.scheme.lower(), parts.netloc.lower()) != (base.scheme, base.netloc):
        raise ResourceRefused("not one of our static files")
    prefix = _static_prefix()
    if not parts.path.startswith(prefix):
        raise ResourceRefused("not under the static URL")
    # Decoded once, so "%2e%2e" is caught below as "..", and "%252e" stays a
    # harmless literal name that no finder knows.
    name = unquote(parts.path.removeprefix(prefix))
    segments = name.split("/")
    if (
        "\\" in name
        or "\x00" in name
        or any(segment in {"", ".", ".."} for segment in segments)
    ):
        raise ResourceRefused("not a plain path inside static")
    return name


def _static_file(name: str) -> Path:
    """The file on disk: from the static finders, else from ``STATIC_ROOT``."""
    found = finders.find(name)
    if found and Path(found).is_file():
        return Path(found)
    if settings.STATIC_ROOT:
        collected = Path(settings.STATIC_ROOT, name)
        if collected.is_file():
            return collected
    raise ResourceRefused("no such static file")
