"""The Content Security Policy: sent with the app's and the admin's pages, and kept
by our templates and code, which bring no inline script, style or event handler.

tests/browser/test_csp.py has Chromium check every page against it.
"""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from strategy import document

ROOT = Path(settings.BASE_DIR)

EXPECTED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
"""Each directive and its sources: a change to the policy is a change here too."""


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def assert_policy(response):
    assert response.status_code == 200
    found = policy(response)
    assert found == EXPECTED
    everything = " ".join(source for sources in found.values() for source in sources)
    assert "unsafe" not in everything  # no 'unsafe-inline', -eval, -hashes
    assert "Content-Security-Policy-Report-Only" not in response


def app_pages(concept):
    draft = concept.draft
    return [
        reverse("strategy:dashboard"),
        reverse("strategy:concept_detail", args=[concept.pk]),
        reverse("strategy:step", args=[concept.pk, draft.number, "content"]),
        reverse("strategy:version_detail", args=[concept.pk, draft.number]),
        reverse("strategy:document_preview", args=[concept.pk, draft.number]),
        reverse("strategy:compare", args=[concept.pk]),
    ]


def test_the_login_page_sends_the_policy(client):
    assert_policy(client.get(reverse("login")))
    assert_policy(client.get(reverse("admin:login")))


def test_the_apps_pages_send_the_policy(client, owner, concept):
    client.force_login(owner)
    for path in app_pages(concept):
        assert_policy(client.get(path))


def test_the_admins_pages_send_the_policy(admin_client, concept):
    draft = concept.draft
    for path in [
        reverse("admin:index"),
        reverse("admin:strategy_conceptversion_changelist"),
        reverse("admin:strategy_conceptversion_change", args=[draft.pk]),
        reverse("admin:strategy_conceptversion_compare", args=[draft.pk]),
        reverse("admin:auth_user_changelist"),
    ]:
        assert_policy(admin_client.get(path))


def test_every_page_loads_its_script_in_its_head_and_the_menu_needs_no_handler(
    client,
):
    """The "js" class is set before the first paint, by a file: no defer, no async.
    The language menu is sent on change by that file, by a button without it."""
    html = client.get(reverse("login")).content.decode()
    head = html.split("</head>")[0]
    assert '<script src="/static/js/page.js"></script>' in head
    select = re.search(r'<select id="language-select"[^>]*>', html)[0]
    assert "data-submit-on-change" in select
    assert re.search(r"<noscript><button [^>]*type=\"submit\">", html)


def test_the_document_takes_its_page_footer_from_the_page(concept):
    """WeasyPrint gets "Page 3 of 12" in the concept's language from an element of
    the page (document.css), not from an inline style the preview could not use."""
    html = document.render_html(concept.draft)
    assert "<style" not in html
    assert 'class="running-page" aria-hidden="true" data-page="Page" data-of="sur"' in (
        html
    )


# Our own sources ----------------------------------------------------------------

INLINE = {
    "inline script": re.compile(
        r"<script\b(?![^>]*\bsrc=)(?![^>]*type=[\"']application/json)[^>]*>", re.I
    ),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"<[a-z][^<>]*\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"<[a-z][^<>]*\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}
SCRIPT_INLINE = {
    "style set as an attribute": re.compile(r"setAttribute\(\s*[\"']style", re.I),
    "style attribute in markup": re.compile(r"\sstyle\s*=", re.I),
    "event handler in markup": re.compile(r"<[a-z][^<>]*\son[a-z]+\s*=", re.I),
    "code from a string": re.compile(
        r"\beval\(|\bnew Function\(|set(?:Timeout|Interval)\(\s*[\"'`]"
    ),
}
ALLOWED = {
    ("strategy/document.py", "style element"): (
        "standalone_html(): a file to open from disk, served by no view"
    ),
    ("strategy/fetcher.py", "javascript: URL"): "a comment on refused URL schemes",
}
"""What the scan may find, and why it is no inline code of a served page."""


def sources():
    yield from (ROOT / "templates").rglob("*.html")
    yield from (ROOT / "strategy").rglob("*.py")
    yield from (ROOT / "static" / "js").rglob("*.js")


def test_no_inline_code_in_our_templates_python_or_scripts():
    found = []
    for source in sources():
        path = source.relative_to(ROOT).as_posix()
        text = source.read_text(encoding="utf-8")
        patterns = SCRIPT_INLINE if path.endswith(".js") else INLINE
        found += [
            f"{path}:{text.count(chr(10), 0, match.start()) + 1}: {kind}: {match[0]!r}"
            for kind, pattern in patterns.items()
            if (path, kind) not in ALLOWED
            for match in pattern.finditer(text)
        ]
    assert found == []


def test_what_the_scan_allows_is_still_there():
    for path, kind in ALLOWED:
        assert INLINE[kind].search((ROOT / path).read_text(encoding="utf-8")), path
