"""Every page of the app and of the admin answers, for every shape of concept and role.

The URLs come from the app's and the admin's own URL lists, the shapes from
``factories.SHAPES``: a page, a shape or an admin model added later is visited without
touching this file. A page fails on a server error or an undefined template variable
(``conftest.no_undefined_variables``). Each request runs in a transaction that is
rolled back, so what one role posts does not change the concept for the next.
"""

from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from strategy import document, web_urls
from strategy.method import ROW_LISTS, STEPS, get_step
from strategy.models import (
    Activity,
    DocumentKind,
    ImportJob,
    ListeningAnalysis,
    Membership,
    Role,
    State,
)
from strategy.stepforms import StepForms

from .factories import (
    SHAPES,
    listening_source,
    make_team,
    make_user,
    step_post_data,
)
from .test_access import URLS
from .test_admin import staff_member

ROLES = list(Role)

POSTED = {
    "note": "Version de travail",
    "comment": "Merci",
    **{
        f"{prefix}-{name}": "Merci"
        for prefix in ("submit", "approve", "send-back")
        for name in ("note", "comment")
    },
    "text": "**Aperçu**",
}
"""What the app's forms ask for, under every name they use: a valid post anywhere."""
POSTED_FORMS = {"new_draft_from", "concept_create", "concept_delete"}
"""Pages that show a form on GET and act on POST."""


@dataclass(frozen=True)
class Visit:
    method: str
    path: str
    data: object = None

    def __str__(self):
        return f"{self.method.upper()} {self.path}"


def app_visits(concept):
    """Every URL of the app about ``concept``, its versions and their steps."""
    numbers = list(concept.versions.order_by("number").values_list("number", flat=True))
    for pattern in web_urls.urlpatterns:
        converters = pattern.pattern.converters
        if "job_id" in converters:
            continue  # job_visits
        method = URLS[pattern.name][2]
        for kwargs in url_arguments(converters, concept, numbers):
            path = reverse(f"strategy:{pattern.name}", kwargs=kwargs)
            yield Visit("get", path)
            if method == "post" or pattern.name in POSTED_FORMS:
                yield Visit("post", path, {})
                yield Visit("post", path, POSTED)
            if pattern.name == "step":
                yield Visit("post", path, StepSave(kwargs["number"], kwargs["slug"]))
                yield from row_visits(concept, kwargs["number"], kwargs["slug"], path)


def row_visits(concept, number, slug, path):
    """A step's row opened on the page and as a fragment, a blank row asked for on
    the page and as a fragment: for the first list of the step."""
    step = get_step(slug)
    if not step.lists:
        return
    row_list = step.lists[0]
    version = concept.versions.get(number=number)
    row = row_list.rows(version).first()
    if row is not None:
        opened = f"open={row_list.name}-{row.key}"
        yield Visit("get", f"{path}?{opened}")
        yield Visit("get", f"{path}?{opened}&fragment=1&index=0")
    yield Visit("get", f"{path}?add={row_list.name}")
    yield Visit("get", f"{path}?fragment=1&add={row_list.name}")


def url_arguments(converters, concept, numbers):
    if "concept_id" not in converters:
        yield {}
        return
    base = {"concept_id": concept.pk}
    if "number" not in converters:
        yield base
        return
    for number in numbers:
        if "slug" in converters:
            for step in STEPS:
                yield {**base, "number": number, "slug": step.slug}
        elif "kind" in converters:
            for kind in DocumentKind:
                yield {**base, "number": number, "kind": kind}
        else:
            yield {**base, "number": number}


@dataclass(frozen=True)
class StepSave:
    """The step as its page shows it, posted back unchanged."""

    number: int
    slug: str

    def build(self, concept):
        version = concept.versions.get(number=self.number)
        step = next(step for step in STEPS if step.slug == self.slug)
        return step_post_data(StepForms(step, version))


def job_visits(concept, users):
    """Each person's imports, in every state, visited by everyone: theirs answer."""
    states = {
        State.QUEUED: {},
        State.RUNNING: {"versions_total": 4, "versions_checked": 2},
        State.FAILED: {"problems": ["versions[0].number: expected a number"]},
        State.DONE: {"concept": concept},
    }
    for user in users:
        for state, fields in states.items():
            job = ImportJob.objects.create(
                team=concept.team,
                created_by=user,
                file_name=f"{state}.json",
                state=state,
                started_at=timezone.now(),
                **fields,
            )
            for name in ("import_progress", "import_status"):
                yield Visit("get", reverse(f"strategy:{name}", args=[job.pk]))
    analyses = {
        State.QUEUED: {},
        State.RUNNING: {"fraction": 0.5},
        State.FAILED: {"problems": ["brandwatch.csv, line 7: not a date"]},
        State.DONE: {"sources": [listening_source(), listening_source(own=True)]},
    }
    for user in users:
        for state, fields in analyses.items():
            job = ListeningAnalysis.objects.create(
                concept=concept,
                created_by=user,
                files=[{"name": "mentions.csv", "size": 10, "stored_name": "gone"}],
                state=state,
                **fields,
            )
            for name in ("listening_analysis", "listening_status"):
                path = reverse(f"strategy:{name}", args=[concept.pk, job.pk])
                yield Visit("get", path)
            yield Visit("post", path.removesuffix("status/"), {"channel": ["x"]})


def admin_visits(concept):
    """The admin's pages: every list, and every page about the concept's objects."""
    for model in admin.site._registry:
        opts = model._meta
        yield Visit(
            "get", reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        )
    versions = list(concept.versions.order_by("number"))
    objects = [concept, *versions, concept.team]
    objects += Membership.objects.filter(team=concept.team)[:1]
    objects += Activity.objects.filter(concept=concept)[:3]
    for version in versions[-2:]:
        objects += [row for row_list in ROW_LISTS for row in row_list.rows(version)[:1]]
    for obj in objects:
        yield from object_visits(obj)


def object_visits(obj):
    """Every admin URL that takes this object's id, custom pages included."""
    opts = obj._meta
    prefix = f"{opts.app_label}_{opts.model_name}_"
    model_admin = admin.site._registry[type(obj)]
    for pattern in model_admin.get_urls():
        if (
            pattern.name
            and pattern.name.startswith(prefix)
            and ("object_id" in pattern.pattern.regex.pattern)
        ):
            yield Visit("get", reverse(f"admin:{pattern.name}", args=[obj.pk]))


def visit(client, concept, request):
    data = (
        request.data.build(concept)
        if isinstance(request.data, StepSave)
        else (request.data)
    )
    with transaction.atomic():
        response = getattr(client, request.method)(request.path, data)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("shape", SHAPES)
def test_every_page_answers_for_every_shape_and_role(
    db, client, settings, tmp_path, monkeypatch, shape
):
    settings.MEDIA_ROOT = tmp_path
    # The document's HTML is built as for the PDF; drawing it takes seconds and is
    # tested on these shapes in test_document.py.
    monkeypatch.setattr(
        document,
        "render_pdf",
        lambda version, **options: document.render_html(version).encode(),
    )
    client.raise_request_exception = False
    author = make_user("author", first_name="Anne", last_name="Autrice")
    team = make_team("Communication", members=[(author, Role.OWNER)])
    concept = SHAPES[shape](team, author)
    users = {role: staff_member(team, role) for role in ROLES}
    visits = [
        *app_visits(concept),
        *admin_visits(concept),
        *job_visits(concept, users.values()),
    ]
    failures = []
    for role, user in users.items():
        client.force_login(user)
        for request in visits:
            response = visit(client, concept, request)
            if response.status_code >= 500:
                failures.append(f"{role}: {request} → {response.status_code}")
    assert failures == []
