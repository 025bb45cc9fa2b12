"""axe-core finds no WCAG 2.1 A/AA violation on any page of the demo, in French and
in English: the app's pages for every version and step, the comparison, the document
preview, and the admin's pages for every model.

axe is vendored in tests/browser/vendor/ (see its README) and injected by this test
only, into every document its browser contexts open: the app never serves it.
"""

import io
import json
import time
from collections import Counter
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from strategy import approval, renders, web_urls
from strategy.demo import DEMO_FILE, DEMO_PASSWORD, DEMO_USERNAME
from strategy.method import STEPS
from strategy.models import (
    Concept,
    ConceptVersion,
    DocumentKind,
    ImportJob,
    ListeningAnalysis,
    State,
)

from .conftest import SCREENSHOTS

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],  # no details of what passes: faster
}
# The interface language comes from the browser's Accept-Language (LocaleMiddleware).
LANGUAGES = {"fr": "fr-CH", "en": "en-GB"}
REPORT = SCREENSHOTS / "axe-violations.json"

# The app's URL names that are no page to audit. Every other name in
# strategy.web_urls is visited by app_pages(), so a new page is audited as it comes.
NOT_PAGES = {
    "concept_open": "redirects to a step",
    "concept_export": "JSON download",
    "version_export": "JSON download",
    "document_pdf": "PDF download",
    "document_pdf_archive": "PDF download",
    "document_docx": "Word download",
    "document_status": "JSON for the page of a document being made",
    "import_status": "JSON for the page of an import",
    "import_progress": "audited for each state of an import (import_pages)",
    "freeze": "POST only",
    "submit": "POST only",
    "approve": "POST only",
    "send_back": "POST only",
    "withdraw": "POST only",
    "markdown_preview": "POST only",
    "listening_status": "JSON for the page of an analysis",
    "listening_analysis": "audited for each state of an analysis (listening_pages)",
    "listening_remove_source": "POST only",
}


def pages(concept: Concept) -> list[str]:
    """Every page to audit for the concept: the app's, then the admin's.

    With the draft in review, only the pages that differ then: the history, the
    review step, the admin's page of the draft and its approve and send-back pages.
    """
    versions = list(concept.versions.order_by("number"))
    draft = concept.draft
    final = [version for version in versions if version.is_frozen]
    if draft.is_in_review:
        return [
            reverse("strategy:concept_detail", args=[concept.pk]),
            reverse("strategy:step", args=[concept.pk, draft.number, STEPS[-1].slug]),
            reverse("admin:strategy_conceptversion_change", args=[draft.pk]),
            reverse("admin:strategy_conceptversion_approve", args=[draft.pk]),
            reverse("admin:strategy_conceptversion_send_back", args=[draft.pk]),
        ]
    return (
        app_pages(concept, versions, draft, final)
        + pending_pages(draft)
        + import_pages(concept)
        + listening_pages(draft)
        + admin_pages(draft, final)
    )


def pending_pages(draft) -> list[str]:
    """A download that is not made yet: its page, where a worker makes documents."""
    with override_settings(
        BACKGROUND_WORKER=True,
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
    ):
        renders.request(draft, DocumentKind.PDF)
    return [reverse("strategy:document_pdf", args=[draft.concept_id, draft.number])]


def import_pages(concept) -> list[str]:
    """The page of an import under way, and of one that failed."""
    user = get_user_model().objects.get(username=DEMO_USERNAME)
    jobs = [
        ImportJob.objects.create(
            team=concept.team,
            created_by=user,
            file_name="concept.json",
            state=State.RUNNING,
            started_at=timezone.now(),
            versions_total=4,
            versions_checked=1,
        ),
        ImportJob.objects.create(
            team=concept.team,
            created_by=user,
            file_name="concept.json",
            state=State.FAILED,
            problems=["versions[0].number: expected a whole number"],
        ),
    ]
    return [reverse("strategy:import_progress", args=[job.pk]) for job in jobs]


def listening_pages(draft) -> list[str]:
    """The page of an analysis under way, of one that failed, of its proposal."""
    user = get_user_model().objects.get(username=DEMO_USERNAME)
    states = {
        State.RUNNING: {"fraction": 0.4},
        State.FAILED: {"problems": ["mentions.csv, line 12: not a date"]},
        State.DONE: {"sources": draft.listening_evidence},
    }
    jobs = [
        ListeningAnalysis.objects.create(
            concept_id=draft.concept_id,
            created_by=user,
            files=[{"name": "mentions.csv", "size": 1, "stored_name": "gone"}],
            state=state,
            **fields,
        )
        for state, fields in states.items()
    ]
    return [
        reverse("strategy:listening_analysis", args=[draft.concept_id, job.pk])
        for job in jobs
    ]


def app_pages(concept, versions, draft, final) -> list[str]:
    """Each page of strategy.web_urls, for each version and step it takes."""
    versions_of = {  # the versions a page is visited for, where it takes one
        "version_detail": versions,
        "step": [draft, final[-1]],
        "document_preview": [draft, final[-1]],
        "new_draft_from": final,
    }
    queries_of = {"compare": ["", f"?a={final[0].number}&b={draft.number}"]}
    urls = []
    for pattern in web_urls.urlpatterns:
        if pattern.name in NOT_PAGES:
            continue
        converters = set(pattern.pattern.converters)
        assert converters <= {"concept_id", "number", "slug"}, pattern
        all_kwargs = [{"concept_id": concept.pk} if "concept_id" in converters else {}]
        if "number" in converters:
            all_kwargs = [
                {**kwargs, "number": version.number}
                for kwargs in all_kwargs
                for version in versions_of[pattern.name]
            ]
        if "slug" in converters:
            all_kwargs = [
                {**kwargs, "slug": step.slug} for kwargs in all_kwargs for step in STEPS
            ]
        for kwargs in all_kwargs:
            url = reverse(f"strategy:{pattern.name}", kwargs=kwargs)
            urls += [url + query for query in queries_of.get(pattern.name, [""])]
    return urls


def admin_pages(draft, final) -> list[str]:
    """The admin's index and app pages, each registered model's list and the page of
    one of its objects (of the draft, for a version's rows; the add page when there
    is none), and the draft's compare and freeze pages."""
    urls = [reverse("admin:index")]
    app_labels = sorted({model._meta.app_label for model in admin.site._registry})
    urls += [reverse("admin:app_list", args=[label]) for label in app_labels]
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{name}_changelist"))
        if model is ConceptVersion:  # one being written, one final: not the same page
            objects = [draft, final[-1]]
        else:
            queryset = model._default_manager.order_by("pk")
            if any(field.name == "version" for field in model._meta.fields):
                queryset = queryset.filter(version=draft)
            objects = list(queryset[:1])
        urls += [reverse(f"{name}_change", args=[obj.pk]) for obj in objects]
        if not objects:
            urls.append(reverse(f"{name}_add"))
    urls.append(reverse("admin:strategy_conceptversion_compare", args=[draft.pk]))
    urls.append(reverse("admin:strategy_conceptversion_freeze", args=[draft.pk]))
    return urls


# axe's result, cut down in the page to what the report needs.
RUN_AXE = """options => {
  window.axeViolations = axe.run(document, options).then(result =>
    result.violations.map(violation => ({
      rule: violation.id,
      impact: violation.impact,
      nodes: violation.nodes.map(node => ({
        target: node.target.join(" "), summary: node.failureSummary,
      })),
    }))
  );
}"""


def start_audit(page, url: str, language: str) -> None:
    """Open the page and start axe on it, without waiting for its result."""
    response = page.goto(url)
    assert response.ok, f"{url}: {response.status}"
    if "/document/" not in url:  # the document speaks the concept's language
        assert page.evaluate("document.documentElement.lang").startswith(language), url
    page.evaluate(RUN_AXE, AXE_OPTIONS)


def violations(page, url: str, language: str) -> list[dict]:
    """axe's violations on the page, one entry per offending element."""
    return [
        {
            "language": language,
            "page": url,
            "rule": violation["rule"],
            "impact": violation["impact"],
            "target": node["target"],
            "summary": " ".join(  # without its first line, "Fix any of the following:"
                line.strip()
                for line in node["summary"].splitlines()[1:]
                if line.strip()
            ),
        }
        for violation in page.evaluate("() => window.axeViolations")
        for node in violation["nodes"]
    ]


def audit_all(tabs: dict, urls: list[str]) -> list[dict]:
    """Audit each page in each language's tab. While one tab waits for its result,
    the other loads its next page or runs axe: one renderer process each."""
    found = []
    pending = {}
    for url in [*urls, None]:
        for language, page in tabs.items():
            if language in pending:
                found += violations(page, pending.pop(language), language)
            if url is not None:
                start_audit(page, url, language)
                pending[language] = url
    return found


def report(found: list[dict], visited: int) -> str:
    """Every violation, one line per element, after a count per rule."""
    rules = Counter(item["rule"] for item in found)
    pages_hit = {(item["language"], item["page"]) for item in found}
    return (
        f"{len(found)} elements violate WCAG 2.1 A/AA rules ({dict(rules)}) on "
        f"{len(pages_hit)} of {visited} pages (all of them in {REPORT}):\n"
        + "\n".join(
            f"[{item['language']}] {item['page']} {item['rule']} ({item['impact']})"
            f" {item['target']}: {item['summary']}"
            for item in found
        )
    )


@pytest.mark.skipif(not DEMO_FILE.exists(), reason="no demo concept")
def test_axe_finds_no_violation_on_any_page_of_the_demo(
    browser, live_server, transactional_db
):
    assert set(NOT_PAGES) <= {pattern.name for pattern in web_urls.urlpatterns}
    started = time.monotonic()
    call_command("load_demo", stdout=io.StringIO())
    # A task the worker did: the admin's page of task results is audited too.
    DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="strategy.renders.render_document",
        backend_name="default",
        run_after=timezone.now(),
    )
    # A failed login of someone else: the admin's page of an attempt is audited too.
    AccessAttempt.objects.create(
        username="somebody",
        ip_address="203.0.113.5",
        user_agent="Firefox",
        path_info="/login/",
        failures_since_start=2,
    )
    concept = Concept.objects.get(versions__language="fr", versions__number=1)
    user = get_user_model().objects.get(username=DEMO_USERNAME)

    tabs = {}  # one browser context per interface language, logged in once
    for language, locale in LANGUAGES.items():
        context = browser.new_context(
            base_url=live_server.url,
            locale=locale,
            viewport={"width": 1280, "height": 900},
        )
        # The browser injects it as each page opens: a fifth less CPU in all than
        # page.add_script_tag(), which sends the 650 kB again for every page.
        context.add_init_script(path=AXE)
        tabs[language] = context.new_page()
        tabs[language].set_default_timeout(30_000)
    try:
        found = audit_all(tabs, [reverse("login")])  # logged out
        for page in tabs.values():
            page.fill("#id_username", DEMO_USERNAME)
            page.fill("#id_password", DEMO_PASSWORD)
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(live_server.url + reverse("strategy:dashboard"))
        urls = pages(concept)
        found += audit_all(tabs, urls)
        approval.submit(concept.draft, by=user, note="Prête pour la relecture.")
        in_review = pages(concept)
        found += audit_all(tabs, in_review)
    finally:
        for page in tabs.values():
            page.context.close()

    visited = len(tabs) * (1 + len(urls) + len(in_review))
    SCREENSHOTS.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(found, indent=1, ensure_ascii=False))
    print(
        f"axe: {visited} pages ({1 + len(urls) + len(in_review)} per language) "
        f"in {time.monotonic() - started:.0f} s, {len(found)} violations"
    )
    assert not found, report(found, visited)
