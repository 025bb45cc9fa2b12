"""The access rule in the admin: every page and action of every model, for every role.

Each staff member here holds every permission of the app and of the accounts, so that
only their team role decides. A page added to the admin without being listed in
``PAGES``, or an action without being listed in ``ACTIONS``, fails the first test.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from strategy import approval, versioning
from strategy.method import ROW_LISTS
from strategy.models import (
    Activity,
    Concept,
    ConceptVersion,
    Membership,
    Role,
    Status,
    Team,
)

from .factories import make_concept, make_team, make_user
from .test_admin import form_data

MEMBERS = ("owner", "editor", "reviewer", "viewer")
ACTORS = (*MEMBERS, "outsider", "superuser")
VIEW = frozenset({*MEMBERS, "superuser"})
EDIT = frozenset({"owner", "editor", "superuser"})
REVIEW = frozenset({"owner", "reviewer", "superuser"})
MANAGE = frozenset({"owner", "superuser"})
SUPERUSER = frozenset({"superuser"})
STAFF = frozenset(ACTORS)
NOBODY = frozenset()


@dataclass(frozen=True)
class Check:
    """One request: who may make it, about which object of the scene, what it does.

    Allowed actors get ``status`` (and ``done`` turns true); members of the team who
    may not get 403, and staff of another team 404, unless ``denied`` says otherwise.
    """

    who: frozenset
    obj: str | None = None
    method: str = "get"
    status: int = 200
    data: Callable | None = None
    done: Callable | None = None
    denied: dict = field(default_factory=dict)
    query: str = ""


def url_name(model, view):
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"


def changed_title(scene, client):
    return {**scene["form"](client, "draft"), "title": "Changée"}


def row_text_field(row_list):
    """A text the user types in every row of the list."""
    return next(
        name
        for name in row_list.value_fields
        if row_list.model._meta.get_field(name).get_internal_type()
        in {"CharField", "TextField"}
        and not row_list.model._meta.get_field(name).choices
        and name != "platform_other"
    )


def row_checks(row_list):
    model = row_list.model
    obj = f"row:{row_list.name}"
    text = row_text_field(row_list)
    removable = NOBODY if row_list.fixed_by else EDIT
    return {
        (url_name(model, "changelist"), "get"): Check(STAFF),
        (url_name(model, "add"), "get"): Check(NOBODY),
        (url_name(model, "history"), "get"): Check(VIEW, obj),
        (url_name(model, "change"), "get"): Check(VIEW, obj),
        (url_name(model, "change"), "post"): Check(
            EDIT,
            obj,
            "post",
            302,
            data=lambda scene, client: {**scene["form"](client, obj), text: "Changé"},
            done=lambda scene: (
                getattr(model.objects.get(pk=scene[obj].pk), text) == "Changé"
            ),
        ),
        (url_name(model, "delete"), "get"): Check(removable, obj),
        (url_name(model, "delete"), "post"): Check(
            removable,
            obj,
            "post",
            302,
            data=lambda scene, client: {"post": "yes"},
            done=lambda scene: not model.objects.filter(pk=scene[obj].pk).exists(),
        ),
    }


def version_status(name):
    return lambda scene: ConceptVersion.objects.get(pk=scene[name].pk).status


PAGES = {
    # The site's own pages.
    ("admin:index", "get"): Check(STAFF),
    ("admin:app_list:strategy", "get"): Check(STAFF),
    ("admin:app_list:auth", "get"): Check(SUPERUSER, denied={"*": 404}),
    ("admin:app_list:axes", "get"): Check(SUPERUSER, denied={"*": 404}),
    ("admin:app_list:django_tasks_database", "get"): Check(
        SUPERUSER, denied={"*": 404}
    ),
    ("admin:view_on_site", "get"): Check(VIEW, "concept", status=302),
    ("admin:autocomplete", "get"): Check(NOBODY, query="?app_label=strategy"),
    # Concepts: read-only; their export; owners delete them.
    (url_name(Concept, "changelist"), "get"): Check(STAFF),
    (url_name(Concept, "add"), "get"): Check(NOBODY),
    (url_name(Concept, "history"), "get"): Check(VIEW, "concept"),
    (url_name(Concept, "change"), "get"): Check(VIEW, "concept"),
    (url_name(Concept, "change"), "post"): Check(
        NOBODY, "concept", "post", data=lambda scene, client: {}
    ),
    (url_name(Concept, "delete"), "get"): Check(MANAGE, "concept"),
    (url_name(Concept, "delete"), "post"): Check(
        MANAGE,
        "concept",
        "post",
        302,
        data=lambda scene, client: {"post": "yes"},
        done=lambda scene: not Concept.objects.filter(pk=scene["concept"].pk).exists(),
    ),
    (url_name(Concept, "export"), "get"): Check(VIEW, "concept"),
    # Versions: drafts change, reviews decide, everyone reads and downloads.
    (url_name(ConceptVersion, "changelist"), "get"): Check(STAFF),
    (url_name(ConceptVersion, "add"), "get"): Check(NOBODY),
    (url_name(ConceptVersion, "history"), "get"): Check(VIEW, "draft"),
    (url_name(ConceptVersion, "change"), "get"): Check(VIEW, "draft"),
    (url_name(ConceptVersion, "change"), "post"): Check(
        EDIT,
        "draft",
        "post",
        302,
        data=changed_title,
        done=lambda scene: (
            ConceptVersion.objects.get(pk=scene["draft"].pk).title == "Changée"
        ),
    ),
    (url_name(ConceptVersion, "delete"), "get"): Check(NOBODY, "frozen"),
    (url_name(ConceptVersion, "export"), "get"): Check(VIEW, "frozen"),
    (url_name(ConceptVersion, "pdf"), "get"): Check(VIEW, "frozen"),
    (url_name(ConceptVersion, "docx"), "get"): Check(VIEW, "draft"),
    (url_name(ConceptVersion, "compare"), "get"): Check(VIEW, "draft"),
    (url_name(ConceptVersion, "freeze"), "get"): Check(EDIT, "draft"),
    (url_name(ConceptVersion, "freeze"), "post"): Check(
        EDIT,
        "draft",
        "post",
        302,
        data=lambda scene, client: {"note": "Version validée"},
        done=lambda scene: version_status("draft")(scene) == Status.FROZEN,
    ),
    (url_name(ConceptVersion, "approve"), "get"): Check(REVIEW, "in_review"),
    (url_name(ConceptVersion, "approve"), "post"): Check(
        REVIEW,
        "in_review",
        "post",
        302,
        data=lambda scene, client: {"comment": ""},
        done=lambda scene: version_status("in_review")(scene) == Status.APPROVED,
    ),
    (url_name(ConceptVersion, "send_back"), "get"): Check(REVIEW, "in_review"),
    (url_name(ConceptVersion, "send_back"), "post"): Check(
        REVIEW,
        "in_review",
        "post",
        302,
        data=lambda scene, client: {"comment": "À revoir"},
        done=lambda scene: version_status("in_review")(scene) == Status.DRAFT,
    ),
    # The activity log: read-only.
    (url_name(Activity, "changelist"), "get"): Check(STAFF),
    (url_name(Activity, "add"), "get"): Check(NOBODY),
    (url_name(Activity, "history"), "get"): Check(VIEW, "activity"),
    (url_name(Activity, "change"), "get"): Check(VIEW, "activity"),
    (url_name(Activity, "change"), "post"): Check(
        NOBODY, "activity", "post", data=lambda scene, client: {}
    ),
    (url_name(Activity, "delete"), "get"): Check(NOBODY, "activity"),
    # Teams: members read; owners rename; superusers create and delete.
    (url_name(Team, "changelist"), "get"): Check(STAFF),
    (url_name(Team, "add"), "get"): Check(SUPERUSER),
    (url_name(Team, "add"), "post"): Check(
        SUPERUSER,
        None,
        "post",
        302,
        data=lambda scene, client: {
            "name": "Nouvelle équipe",
            "slug": "nouvelle",
            **{f"memberships-{k}": "0" for k in ("TOTAL_FORMS", "INITIAL_FORMS")},
        },
        done=lambda scene: Team.objects.filter(slug="nouvelle").exists(),
    ),
    (url_name(Team, "history"), "get"): Check(VIEW, "team"),
    (url_name(Team, "change"), "get"): Check(VIEW, "team"),
    (url_name(Team, "change"), "post"): Check(
        MANAGE,
        "team",
        "post",
        302,
        data=lambda scene, client: {
            **scene["form"](client, "team"),
            "name": "Équipe renommée",
        },
        done=lambda scene: (
            Team.objects.get(pk=scene["team"].pk).name == "Équipe renommée"
        ),
    ),
    (url_name(Team, "delete"), "get"): Check(SUPERUSER, "team"),
    # Memberships: members read; owners add, change and remove.
    (url_name(Membership, "changelist"), "get"): Check(STAFF),
    # The outsider owns a team of their own: they may add members there.
    (url_name(Membership, "add"), "get"): Check(MANAGE | {"outsider"}),
    (url_name(Membership, "add"), "post"): Check(
        MANAGE,
        None,
        "post",
        302,
        data=lambda scene, client: {
            "team": scene["team"].pk,
            "member": "newcomer",
            "role": Role.OWNER,
        },
        done=lambda scene: Membership.objects.filter(
            user__username="newcomer"
        ).exists(),
        denied={"outsider": 200},
    ),
    (url_name(Membership, "history"), "get"): Check(VIEW, "membership"),
    (url_name(Membership, "change"), "get"): Check(VIEW, "membership"),
    # The viewer's own membership, made an owner's.
    (url_name(Membership, "change"), "post"): Check(
        MANAGE,
        "membership",
        "post",
        302,
        data=lambda scene, client: {"role": Role.OWNER},
        done=lambda scene: (
            Membership.objects.get(pk=scene["membership"].pk).role == Role.OWNER
        ),
    ),
    (url_name(Membership, "delete"), "get"): Check(MANAGE, "membership"),
    (url_name(Membership, "delete"), "post"): Check(
        MANAGE,
        "membership",
        "post",
        302,
        data=lambda scene, client: {"post": "yes"},
        done=lambda scene: (
            not Membership.objects.filter(pk=scene["membership"].pk).exists()
        ),
    ),
    # Accounts and groups: superusers only, whatever permissions staff hold.
    **{
        (url_name(model, view), "get"): Check(SUPERUSER, obj, denied={"*": 403})
        for model, obj in ((get_user_model(), "account"), (Group, "group"))
        for view, obj in (
            ("changelist", None),
            ("add", None),
            ("history", obj),
            ("change", obj),
            ("delete", obj),
        )
    },
    (url_name(get_user_model(), "password_change"), "get"): Check(
        SUPERUSER, "account", denied={"*": 403}
    ),
    (url_name(get_user_model(), "change"), "post"): Check(
        SUPERUSER,
        "account",
        "post",
        302,
        data=lambda scene, client: {
            "username": scene["account"].username,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
        },
        done=lambda scene: (
            get_user_model().objects.get(pk=scene["account"].pk).is_superuser
        ),
        denied={"*": 403},
    ),
    # Failed logins: superusers only, who unlock by deleting; nobody edits them.
    **{
        (url_name(AccessAttempt, view), "get"): Check(who, obj, denied={"*": 403})
        for view, who, obj in (
            ("changelist", SUPERUSER, None),
            ("add", NOBODY, None),
            ("history", SUPERUSER, "attempt"),
            ("change", SUPERUSER, "attempt"),
            ("delete", SUPERUSER, "attempt"),
        )
    },
    # Background tasks: superusers read them; nobody changes or deletes them.
    **{
        (url_name(DBTaskResult, view), "get"): Check(who, obj, denied={"*": 403})
        for view, who, obj in (
            ("changelist", SUPERUSER, None),
            ("add", NOBODY, None),
            ("history", SUPERUSER, "task"),
            ("change", SUPERUSER, "task"),
            ("delete", NOBODY, "task"),
        )
    },
    (url_name(AccessAttempt, "change"), "post"): Check(
        NOBODY, "attempt", "post", data=lambda scene, client: {}, denied={"*": 403}
    ),
    (url_name(AccessAttempt, "delete"), "post"): Check(
        SUPERUSER,
        "attempt",
        "post",
        302,
        data=lambda scene, client: {"post": "yes"},
        done=lambda scene: (
            not AccessAttempt.objects.filter(pk=scene["attempt"].pk).exists()
        ),
        denied={"*": 403},
    ),
    **{
        key: check
        for row_list in ROW_LISTS
        for key, check in row_checks(row_list).items()
    },
}

ACTIONS = {
    (ConceptVersion, "freeze_drafts"): Check(
        EDIT,
        "draft",
        "post",
        302,
        data=lambda scene, client: {
            "action": "freeze_drafts",
            "_selected_action": [scene["draft"].pk],
            "note": "Version validée",
        },
        done=lambda scene: version_status("draft")(scene) == Status.FROZEN,
    ),
    **{
        (model, "delete_selected"): Check(
            SUPERUSER,
            obj,
            "post",
            302,
            data=lambda scene, client, obj=obj: {
                "action": "delete_selected",
                "_selected_action": [scene[obj].pk],
                "post": "yes",
            },
            done=lambda scene, model=model, obj=obj: (
                not model.objects.filter(pk=scene[obj].pk).exists()
            ),
        )
        for model, obj in (
            (Team, "empty_team"),
            (get_user_model(), "newcomer"),
            (Group, "group"),
            (AccessAttempt, "attempt"),
        )
    },
}

ACCOUNT_PAGES = {
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:jsi18n",
}
"""The pages about one's own account, the same for every user."""


def admin_url_names(patterns, namespace="admin"):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from admin_url_names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}"


def test_every_admin_page_and_action_is_in_the_matrix(db):
    pages = {name for name, _method in PAGES if not name.startswith("admin:app_list")}
    assert set(admin_url_names(admin.site.get_urls())) == {
        *pages,
        "admin:app_list",
        *ACCOUNT_PAGES,
    }
    request = RequestFactory().get("/")
    request.user = make_user("root", is_staff=True, is_superuser=True)
    actions = {
        (model, name)
        for model, model_admin in admin.site._registry.items()
        for name in model_admin.get_actions(request)
    }
    assert actions == set(ACTIONS)


# The scene --------------------------------------------------------------------


def staff_with_every_permission(username):
    user = make_user(username, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["strategy", "auth", "admin", "axes"]
        )
    )
    return user


@pytest.fixture
def scene(db, client):
    actors = {name: staff_with_every_permission(f"staff-{name}") for name in ACTORS}
    actors["superuser"].is_superuser = True
    actors["superuser"].save()
    team = make_team(
        "Communication",
        members=[(actors[role], role) for role in MEMBERS],
    )
    make_team("Autre équipe", members=[(actors["outsider"], Role.OWNER)])
    newcomer = make_user("newcomer")
    owner = actors["owner"]
    concept = make_concept(team, by=owner)
    versioning.freeze(concept.draft, by=owner, note="Première version")
    reviewed = make_concept(team, by=owner, title="Stratégie en revue")
    objects = {
        "team": team,
        "concept": concept,
        "frozen": concept.versions.get(number=1),
        "draft": concept.draft,
        "in_review": approval.submit(reviewed.draft, by=owner, note="Prête"),
        "membership": Membership.objects.get(team=team, user=actors["viewer"]),
        "activity": Activity.objects.filter(concept=concept).first(),
        "account": actors["viewer"],
        "group": Group.objects.create(name="Relecteurs"),
        "newcomer": newcomer,
        "empty_team": make_team("Équipe vide", slug="vide"),
        "task": DBTaskResult.objects.create(
            args_kwargs={"args": [1], "kwargs": {}},
            task_path="strategy.renders.render_document",
            backend_name="default",
            run_after=timezone.now(),
        ),
        "attempt": AccessAttempt.objects.create(
            username="viewer",
            ip_address="203.0.113.5",
            user_agent="Firefox",
            path_info="/admin/login/",
            failures_since_start=5,
        ),
    }
    for row_list in ROW_LISTS:
        objects[f"row:{row_list.name}"] = row_list.rows(concept.draft).first()

    def form(client, obj):
        """What the browser posts back from the object's change page, as superuser."""
        client.force_login(actors["superuser"])
        response = client.get(object_url(change_name(objects[obj]), objects[obj]))
        return form_data(response)

    return {**objects, "actors": actors, "form": form}


def change_name(obj):
    return url_name(obj, "change")


def object_url(name, obj):
    if name == "admin:view_on_site":
        content_type = ContentType.objects.get_for_model(obj)
        return reverse(name, args=[content_type.pk, obj.pk])
    return reverse(name, args=[obj.pk])


def url_of(name, check, scene):
    if name.startswith("admin:app_list:"):
        return reverse("admin:app_list", args=[name.rsplit(":", 1)[1]]) + check.query
    if check.obj is None:
        return reverse(name) + check.query
    return object_url(name, scene[check.obj]) + check.query


def errors(response):
    """What a form page that answered 200 to a POST complains about."""
    context = getattr(response, "context", None) or {}
    return context.get("errors") or getattr(context.get("form"), "errors", None)


def denied_status(check, actor):
    for who in (actor, "*"):
        if who in check.denied:
            return check.denied[who]
    if actor == "outsider" and check.obj is not None:
        return 404
    return 403


def run(client, scene, actor, url, check):
    """Make the request as ``actor``, then undo whatever it did."""
    with transaction.atomic():
        data = check.data(scene, client) if check.data else None
        client.force_login(scene["actors"][actor])
        response = getattr(client, check.method)(url, data)
        done = check.done(scene) if check.done else None
        transaction.set_rollback(True)
    return response, done


@pytest.mark.parametrize("page", list(PAGES), ids=" ".join)
def test_every_role_reaches_what_the_admin_allows(client, scene, page):
    name, _method = page
    check = PAGES[page]
    url = url_of(name, check, scene)
    outcomes = {}
    for actor in ACTORS:
        response, done = run(client, scene, actor, url, check)
        allowed = actor in check.who
        expected = check.status if allowed else denied_status(check, actor)
        outcomes[actor] = (response.status_code, done, expected)
        assert response.status_code == expected, (actor, outcomes, errors(response))
        if check.done:
            assert done is allowed, (actor, "done" if done else "not done")


@pytest.mark.parametrize(
    ("model", "action"), list(ACTIONS), ids=lambda v: getattr(v, "__name__", v)
)
def test_every_role_runs_only_the_actions_it_may(client, scene, model, action):
    check = ACTIONS[model, action]
    url = reverse(url_name(model, "changelist"))
    for actor in ACTORS:
        response, done = run(client, scene, actor, url, check)
        assert response.status_code < 500
        assert done is (actor in check.who), actor
