"""Editing together: two people saving the same step never overwrite each other."""

import copy
import threading
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse

from strategy.editing import BASE_STATE
from strategy.models import Action, Activity, Role, TargetGroup
from strategy.rowsummaries import EVERY_ROW

from .factories import make_concept, make_team, make_user, step_post_data

CONFLICT = "This step was saved meanwhile: your changes are not saved yet"
NOT_CHECKED = "Your changes could not be checked: they are not saved yet"


def step_url(version, slug) -> str:
    return reverse("strategy:step", args=[version.concept_id, version.number, slug])


def page_data(response, *, opened=EVERY_ROW, **changes) -> dict:
    """What the browser posts from the step page ``response`` shows, plus ``changes``,
    with the rows ``opened`` (by default every row) as the page got them.

    A page shown again after a refused save still holds the rows the user added.
    """
    step_forms = response.context["forms"]
    blank_rows = step_forms.data is not None
    data = step_post_data(step_forms, blank_rows=blank_rows, opened=opened, **changes)
    data[BASE_STATE] = response.context["base_state"]  # as the page carried it
    return data


class _FormReader(HTMLParser):
    """The fields of the wizard's form as a browser posts them (no JavaScript run)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self.hidden_depth = 0  # inside <template> or <noscript>: not posted
        self.in_form = False
        self.textarea = self.select = None
        self.text = []

    def put(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "wizard-form":
            self.in_form = True
        if tag in ("template", "noscript"):
            self.hidden_depth += 1
        if not self.in_form or self.hidden_depth or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.put(name, attrs.get("value", "on"))
            else:
                self.put(name, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.put(self.select, attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag in ("template", "noscript"):
            self.hidden_depth -= 1
        elif tag == "form":
            self.in_form = False
        elif tag == "textarea" and self.textarea:
            # A browser drops the newline that follows <textarea>.
            self.put(self.textarea, "".join(self.text).removeprefix("\n"))
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)


def posted_from_html(response) -> dict:
    """What a browser posts from the page's HTML, without looking at its context.

    Threads must not use ``response.context``: the test client collects the
    templates rendered in every thread.
    """
    reader = _FormReader()
    reader.feed(response.content.decode())
    return {
        name: values[0] if len(values) == 1 else values
        for name, values in reader.data.items()
        if name != "csrfmiddlewaretoken"
    }


def new_target_group(response, name, *, data=None) -> dict:
    """The data of the page plus a new target group called ``name``."""
    data = page_data(response) if data is None else data
    index = int(data["target_groups-TOTAL_FORMS"])
    data.update(
        {
            "target_groups-TOTAL_FORMS": str(index + 1),
            f"target_groups-{index}-name": name,
            f"target_groups-{index}-platforms": ["linkedin"],
            f"target_groups-{index}-priority": "high",
            f"target_groups-{index}-ORDER": str(index + 1),
        }
    )
    return data


def bound_value(response, name):
    """The value the page shows in the field ``name`` (its html name)."""
    for form in response.context["forms"].all_forms():
        for field in form:
            if field.html_name == name:
                return field.value()
    raise KeyError(name)


@pytest.fixture
def anne(team):
    return make_user("anne", first_name="Anne", last_name="Rochat")


@pytest.fixture
def bruno(team):
    return make_user("bruno", first_name="Bruno", last_name="Meylan")


@pytest.fixture
def clients(team, anne, bruno):
    """Two editors of the team, each in their own browser."""
    sessions = []
    for user in (anne, bruno):
        team.memberships.create(user=user, role=Role.EDITOR)
        client = Client()
        client.force_login(user)
        sessions.append(client)
    return sessions


@pytest.fixture
def draft(concept):
    return concept.draft


# Two people, one step ------------------------------------------------------------


def test_the_second_save_of_a_step_is_refused_and_keeps_what_was_typed(clients, draft):
    first, second = clients
    url = step_url(draft, "basics")
    page_a, page_b = first.get(url), second.get(url)

    data = page_data(page_a, **{"v-context": "Le contexte d'Anne."})
    assert first.post(url, data).status_code == 302

    data = page_data(page_b, **{"v-context": "Le contexte de Bruno."})
    response = second.post(url, data)
    assert response.status_code == 409
    html = response.content.decode()
    assert CONFLICT in html
    assert "<strong>Anne Rochat</strong> saved this step at" in html
    assert "What changed meanwhile" in html
    assert "<ins>Anne</ins>" in html  # the word Anne changed, marked as such
    assert bound_value(response, "v-context") == "Le contexte de Bruno."
    draft.refresh_from_db()
    assert draft.context == "Le contexte d'Anne."

    response = second.post(url, page_data(response))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.context == "Le contexte de Bruno."


def test_what_only_the_first_changed_survives_the_second_save(clients, draft):
    first, second = clients
    url = step_url(draft, "basics")
    page_a, page_b = first.get(url), second.get(url)
    data = page_data(page_a, **{"v-authors": "Anne", "v-context": "D'Anne."})
    assert first.post(url, data).status_code == 302

    response = second.post(url, page_data(page_b, **{"v-context": "De Bruno."}))
    assert response.status_code == 409
    # Bruno did not touch the authors: the page shows Anne's, and saving keeps them.
    assert bound_value(response, "v-authors") == "Anne"
    assert bound_value(response, "v-context") == "De Bruno."
    assert second.post(url, page_data(response)).status_code == 302
    draft.refresh_from_db()
    assert (draft.authors, draft.context) == ("Anne", "De Bruno.")


def test_rows_changed_meanwhile_are_shown_and_kept(clients, team, owner):
    draft = make_concept(team, by=owner, rows=3).draft
    first, second = clients
    url = step_url(draft, "target_groups")
    page_a, page_b = first.get(url), second.get(url)
    data = new_target_group(page_a, "Apprentis")
    data.update(
        {
            "target_groups-0-name": "Groupe 0 par Anne",
            "target_groups-1-DELETE": "on",
            "target_groups-2-priority": "low",
        }
    )
    assert first.post(url, data).status_code == 302

    data = new_target_group(page_b, "Retraités")
    data["target_groups-0-description"] = "Décrit par Bruno."
    response = second.post(url, data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "+ Apprentis" in html
    assert "<del>Groupe 1</del>" in html
    assert "Groupe 0 par Anne" in html
    assert TargetGroup.objects.filter(version=draft, name="Retraités").count() == 0

    # The row Anne removed is gone from Bruno's form, which he had not changed.
    rows = response.context["forms"].formsets[0].forms
    assert [form["name"].value() for form in rows] == [
        "Groupe 0 par Anne",
        "Groupe 2",
        "Retraités",
    ]
    assert second.post(url, page_data(response)).status_code == 302
    stored = {
        row.name: (row.description, row.priority)
        for row in TargetGroup.objects.filter(version=draft)
    }
    assert stored == {
        "Groupe 0 par Anne": ("Décrit par Bruno.", "high"),
        "Groupe 2": ("", "low"),
        "Apprentis": ("", "high"),
        "Retraités": ("", "high"),
    }


def test_a_row_removed_meanwhile_that_was_edited_is_reported_at_the_row(
    clients, team, owner
):
    draft = make_concept(team, by=owner, rows=2).draft
    first, second = clients
    url = step_url(draft, "target_groups")
    page_a, page_b = first.get(url), second.get(url)
    data = page_data(page_a, **{"target_groups-0-DELETE": "on"})
    assert first.post(url, data).status_code == 302
    data = page_data(page_b, **{"target_groups-0-name": "Groupe 0 renommé"})
    response = second.post(url, data)
    assert response.status_code == 409
    assert "This row was removed meanwhile" in response.content.decode()
    assert list(draft.target_groups.values_list("name", flat=True)) == ["Groupe 1"]


def test_a_stale_page_left_unchanged_moves_on_without_undoing_anything(clients, draft):
    first, second = clients
    url = step_url(draft, "basics")
    page_a, page_b = first.get(url), second.get(url)
    data = page_data(page_a, **{"v-context": "D'Anne."})
    assert first.post(url, data).status_code == 302
    response = second.post(url, page_data(page_b, go="next"))
    assert response.status_code == 302
    assert response.url == step_url(draft, "listen")
    draft.refresh_from_db()
    assert draft.context == "D'Anne."


def test_the_same_person_in_two_tabs_is_told_it_was_their_other_tab(
    client, owner, draft
):
    client.force_login(owner)
    url = step_url(draft, "basics")
    tab_1, tab_2 = client.get(url), client.get(url)
    data = page_data(tab_1, **{"v-context": "Onglet 1"})
    assert client.post(url, data).status_code == 302
    response = client.post(url, page_data(tab_2, **{"v-context": "Onglet 2"}))
    assert response.status_code == 409
    assert "You saved this step in another tab or window at" in (
        response.content.decode()
    )


def test_different_steps_saved_from_stale_pages_both_succeed(clients, draft):
    first, second = clients
    basics, listen = step_url(draft, "basics"), step_url(draft, "listen")
    page_a, page_b = first.get(basics), second.get(listen)
    data_a = page_data(page_a, **{"v-context": "Cadre d'Anne."})
    data_b = page_data(page_b, **{"v-listening_summary": "Écoute de Bruno."})
    data_b["channels-0-mentions_per_month"] = "55"
    assert first.post(basics, data_a).status_code == 302
    assert second.post(listen, data_b).status_code == 302
    draft.refresh_from_db()
    assert draft.context == "Cadre d'Anne."
    assert draft.listening_summary == "Écoute de Bruno."
    assert draft.channels.get().mentions_per_month == 55


# Pages that do not say what they were based on ------------------------------------


@pytest.mark.parametrize(
    "base",
    [None, "", "junk", "eyJ2ZXJzaW9uIjoxfQ:1tAmpered:signature", "listen"],
    ids=["missing", "empty", "junk", "forged", "other step"],
)
def test_a_page_without_a_valid_state_saves_nothing_and_keeps_the_input(
    clients, draft, base
):
    first, _second = clients
    url = step_url(draft, "basics")
    data = page_data(first.get(url), **{"v-context": "Sans état."})
    if base is None:
        del data[BASE_STATE]
    elif base == "listen":
        data[BASE_STATE] = page_data(first.get(step_url(draft, "listen")))[BASE_STATE]
    else:
        data[BASE_STATE] = base
    before = draft.context
    response = first.post(url, data)
    assert response.status_code == 200
    assert NOT_CHECKED in response.content.decode()
    assert bound_value(response, "v-context") == "Sans état."
    draft.refresh_from_db()
    assert draft.context == before

    # The page shown again carries the state: saving it applies the input.
    assert first.post(url, page_data(response)).status_code == 302
    draft.refresh_from_db()
    assert draft.context == "Sans état."


def test_the_state_of_another_concept_is_not_accepted(clients, team, owner, draft):
    first, _second = clients
    other = make_concept(team, by=owner, title="Autre").draft
    url = step_url(draft, "basics")
    data = page_data(first.get(url), **{"v-context": "Mélange."})
    data[BASE_STATE] = page_data(first.get(step_url(other, "basics")))[BASE_STATE]
    assert first.post(url, data).status_code == 200
    draft.refresh_from_db()
    assert draft.context != "Mélange."


# Many people at once, on a real SQLite file -----------------------------------------

WORKERS = 8


def add_until_accepted(url, user, name, barrier) -> list[int]:
    """One editor: open the step, wait for the others, add a row, save until accepted.

    Returns the status of each save; checks that every refusal says so and leaves
    nothing of the row behind.
    """
    client = Client()
    client.force_login(user)
    page = client.get(url)
    data = new_target_group(page, name, data=posted_from_html(page))
    barrier.wait(timeout=10)
    statuses = []
    for _attempt in range(WORKERS + 1):
        response = client.post(url, data)
        statuses.append(response.status_code)
        if response.status_code == 302:
            return statuses
        assert response.status_code == 409
        assert CONFLICT in response.content.decode()
        assert not TargetGroup.objects.filter(name=name).exists()
        data = posted_from_html(response)
    return statuses


@pytest.mark.sqlite_only  # SQLite's locking is what it is about (the embedded default)
def test_concurrent_saves_on_sqlite_lose_nothing(tmp_path, django_db_blocker):
    """Eight editors add a target group each at the same moment, on a file database.

    The test database lives in memory, where SQLite's locking is not what a server
    sees, so every thread opens its own connection to a file. Each save is accepted
    or refused with the conflict page; a refused editor saves again from that page.
    Every accepted row is stored once, and the log has one save per editor.
    """
    original = connections["default"]
    settings = copy.deepcopy(original.settings_dict)
    settings["NAME"] = str(tmp_path / "together.sqlite3")

    def connect():
        # ``connections`` is per thread: this thread now uses the file.
        connections["default"] = type(original)(copy.deepcopy(settings), "default")

    outcomes, errors = {}, []

    def work(index, user, url, barrier):
        connect()
        try:
            name = f"Groupe de l'éditeur {index}"
            outcomes[index] = add_until_accepted(url, user, name, barrier)
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections["default"].close()

    with django_db_blocker.unblock():
        connect()
        try:
            call_command("migrate", verbosity=0)
            owner = make_user("owner")
            editors = [make_user(f"editor{i}") for i in range(WORKERS)]
            members = [(owner, Role.OWNER)] + [(u, Role.EDITOR) for u in editors]
            draft = make_concept(make_team("Ensemble", members=members), by=owner).draft
            url = step_url(draft, "target_groups")
            barrier = threading.Barrier(WORKERS)
            threads = [
                threading.Thread(target=work, args=(index, user, url, barrier))
                for index, user in enumerate(editors)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)

            assert not errors, errors  # "database is locked" would be one
            assert len(outcomes) == WORKERS
            assert all(statuses[-1] == 302 for statuses in outcomes.values())
            refused = sum(len(statuses) - 1 for statuses in outcomes.values())
            assert refused >= WORKERS - 1  # they really raced: one wins each round
            names = TargetGroup.objects.filter(version=draft).values_list(
                "name", flat=True
            )
            assert sorted(names) == sorted(
                ["Groupe 0", *(f"Groupe de l'éditeur {i}" for i in range(WORKERS))]
            )
            saves = Activity.objects.filter(
                concept=draft.concept, action=Action.STEP_SAVED, detail="target_groups"
            )
            assert sorted(saves.values_list("actor__username", flat=True)) == sorted(
                user.username for user in editors
            )
        finally:
            connections["default"].close()
            connections["default"] = original
