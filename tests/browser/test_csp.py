"""No page breaks the Content Security Policy (strategy/settings.py) in a browser.

Chromium visits every page that tests/test_every_page.py knows (its GET requests),
for a concept with a history (an approved, a frozen and a draft version), as a team
owner who is also a superuser, so that every admin page shows: the login pages, the
app's pages, every step with a row opened and a row asked for, the document preview,
and the admin's index, lists and pages of each object, the comparison among them.
Downloads are skipped. Then it does what builds markup in the page: a row opened and
a row added without a page load (wizard.js), a searchable list of linked rows opened
(Tom Select), the language changed from the menu (page.js).

A violation is seen twice: Chromium's console message ("… violates the following
Content Security Policy directive …") and the page's ``securitypolicyviolation``
event, gathered by a script the browser injects into every document before the
page's own.
"""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import resolve, reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from strategy import document
from strategy.models import ContentPillar, Role
from tests.factories import SHAPES, make_concept, make_team, make_user
from tests.test_access import URLS
from tests.test_admin import staff_member
from tests.test_every_page import POSTED_FORMS, admin_visits, app_visits

SHAPE = "history"
"""The shape whose pages are visited: every kind of version, rows in every list."""

# Runs in every document before its own scripts, where no policy applies to it.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: `${event.sourceFile}:${event.lineNumber}`,
    sample: event.sample,
  });
});
"""

# The events are queued tasks: one more turn of the event loop delivers them all.
READ_VIOLATIONS = """async () => {
  await new Promise((resolve) => setTimeout(resolve, 0));
  return window.__cspViolations || [];
}"""


class Watch:
    """What the browser reports in its tabs, and about which page."""

    def __init__(self):
        self.found = []
        self.visited = 0
        self.skipped = []
        self.showing = {}  # tab → the page it shows

    def add(self, tab):
        tab.on("console", lambda message: self.console(tab, message))
        return tab

    def console(self, tab, message):
        if "Content Security Policy" in message.text:
            self.found.append(f"{self.showing.get(tab)}: console: {message.text}")

    def start(self, tab, path) -> bool:
        """Ask for the page, until the answer comes. A download (JSON, PDF, Word)
        is no page to check: False."""
        self.showing[tab] = path
        try:
            response = tab.goto(path, wait_until="commit")
        except PlaywrightError as error:
            if "Download is starting" not in str(error):
                raise
            self.skipped.append(path)
            return False
        if response.status >= 500:  # tests/test_every_page.py says more
            self.found.append(f"{path}: {response.status}, no page to check")
        return True

    def finish(self, tab):
        """Once the page has loaded, what it reported."""
        tab.wait_for_load_state("load")
        self.visited += 1
        for event in tab.evaluate(READ_VIOLATIONS):
            self.found.append(
                f"{self.showing[tab]}: {event['directive']} blocked"
                f" {event['blocked']!r} at {event['source']} {event['sample']!r}"
            )

    def visit(self, tab, path):
        if self.start(tab, path):
            self.finish(tab)

    def visit_all(self, tabs, paths):
        """Each tab in turn: one loads and runs its page while the other's is asked
        for and rendered (the server and each tab's renderer have a core)."""
        loading = set()
        for index, path in enumerate(paths):
            tab = tabs[index % len(tabs)]
            if tab in loading:
                self.finish(tab)
                loading.discard(tab)
            if self.start(tab, path):
                loading.add(tab)
        for tab in loading:
            self.finish(tab)


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-CH",
        viewport={"width": 1280, "height": 900},
    )
    context.add_init_script(COLLECT_VIOLATIONS)
    context.set_default_timeout(10_000)
    yield context
    context.close()


def log_in(context, user, live_server):
    """The user's session in the browser, without the login form."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie,
                "url": live_server.url,
            }
        ]
    )


def post_only(path) -> bool:
    """A URL of the app that only takes a POST: a GET gets an empty 405, no page."""
    match = resolve(urlsplit(path).path)
    return (
        match.namespace == "strategy"
        and URLS[match.url_name][2] == "post"
        and match.url_name not in POSTED_FORMS
    )


def report(watch) -> str:
    return f"{len(watch.found)} violations:\n" + "\n".join(watch.found)


def test_no_page_violates_the_content_security_policy(
    context, live_server, db, settings, tmp_path, monkeypatch
):
    watch = Watch()
    tabs = [watch.add(context.new_page()) for _ in range(2)]
    started = time.monotonic()
    settings.MEDIA_ROOT = tmp_path
    # Downloads are skipped; the PDF is not worth the seconds WeasyPrint takes.
    monkeypatch.setattr(
        document,
        "render_pdf",
        lambda version, **options: document.render_html(version).encode(),
    )
    author = make_user("author", first_name="Anne", last_name="Autrice")
    team = make_team("Communication", members=[(author, Role.OWNER)])
    concept = SHAPES[SHAPE](team, author)
    user = staff_member(team, Role.OWNER)
    user.is_superuser = True  # every admin page shows, the users' and lockouts' too
    user.save()

    watch.visit_all(tabs, [reverse("login"), reverse("admin:login")])  # logged out
    log_in(context, user, live_server)
    paths = [reverse("admin:index")]
    paths += [
        reverse("admin:app_list", args=[label])
        for label in sorted({model._meta.app_label for model in admin.site._registry})
    ]
    paths += [
        visit.path
        for visit in [*app_visits(concept), *admin_visits(concept)]
        if visit.method == "get" and not post_only(visit.path)
    ]
    watch.visit_all(tabs, list(dict.fromkeys(paths)))
    elapsed = time.monotonic() - started
    print(
        f"CSP: {watch.visited} pages in {elapsed:.0f} s, "
        f"{len(watch.skipped)} downloads skipped, {len(watch.found)} violations"
    )
    assert watch.visited > 200
    assert any("/compare/" in path for path in paths)
    assert not watch.found, report(watch)


def test_markup_built_in_the_page_keeps_to_the_policy(context, live_server, db):
    """What wizard.js, Tom Select and page.js do: rows opened and added, a list of
    ten objectives to pick from, the language changed."""
    watch = Watch()
    page = watch.add(context.new_page())
    anne = make_user("anne")
    team = make_team("Communication", members=[(anne, Role.OWNER)])
    # Ten rows in every list: links to objectives are picked in a searchable list.
    concept = make_concept(team, by=anne, rows=10)
    watch.visit(page, reverse("login"))
    log_in(context, anne, live_server)
    path = reverse("strategy:step", args=[concept.pk, concept.draft.number, "content"])
    watch.visit(page, path)

    pillar = ContentPillar.objects.get(version=concept.draft, key="cp3")
    row = page.locator(f"#row-pillars-{pillar.key}")
    row.get_by_role("button", name="Modifier").click()  # fetched, put in place
    expect(row).to_have_attribute("open", "")
    picker = row.get_by_role("combobox", name="Objectifs")
    picker.click()
    expect(page.get_by_role("listbox", name="Objectifs")).to_be_visible()
    page.keyboard.type("Objectif 7")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")

    section = page.locator("#list-pillars")
    before = section.locator("[data-rows] > [data-row]").count()
    section.get_by_role("button", name=re.compile(r"^\+ Ajouter")).click()
    expect(section.locator("[data-rows] > [data-row]")).to_have_count(before + 1)
    added = section.locator("[data-rows] > [data-row]").last
    added.get_by_role("combobox", name="Objectifs").click()
    expect(added.get_by_role("listbox", name="Objectifs")).to_be_visible()
    page.keyboard.press("Escape")
    watch.finish(page)

    # The language menu sends its form when it changes (page.js), no button needed.
    dashboard = reverse("strategy:dashboard")
    watch.visit(page, dashboard)
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))
    assert page.url == live_server.url + dashboard
    watch.showing[page] = f"{dashboard} (in English)"
    watch.finish(page)
    assert not watch.found, report(watch)
