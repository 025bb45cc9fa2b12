"""Listening exports through the app: upload, analysis in the background, the
proposal reviewed and applied, the bad files refused — and the command."""

import html
import io
import json
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from strategy import approval, uploads
from strategy.interchange import dumps, export_concept
from strategy.listening import analysis, evidence, privacy, reading
from strategy.models import ListeningAnalysis, Role, State
from strategy.wordexport import render_docx

from .factories import make_concept, make_user

FIXTURES = Path(__file__).parent / "fixtures" / "listening"
GOOD = sorted(
    path.name
    for path in FIXTURES.iterdir()
    if path.suffix in {".csv", ".tsv", ".xlsx"}
    and not path.name.startswith(
        ("empty", "unknown", "wrong", "truncated", "formulas", "bad", "not_", "old")
    )
)
FORMULA = ("=", "+", "-", "@")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(team, owner):
    return make_concept(team, by=owner, rows=0).draft


def upload(name: str, content: bytes | None = None):
    file = io.BytesIO((FIXTURES / name).read_bytes() if content is None else content)
    file.name = name
    return file


def post_files(client, draft, *names, public=""):
    return client.post(
        reverse("strategy:listening_upload", args=[draft.concept_id]),
        # in the page's order: what follows a file too large is lost
        {"public_accounts": public, "files": [upload(name) for name in names]},
    )


def stored_uploads(media) -> list[Path]:
    folder = media / "listening"
    return list(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("name", GOOD)
def test_every_format_is_recognised_and_analysed_into_valid_evidence(name):
    with (FIXTURES / name).open("rb") as opened:
        export = reading.open_export(name, opened)
        source = analysis.analyse(export)
    evidence.validate([source])
    assert source["rows"] > 0 and source["platforms"] and source["start"]
    texts = [topic for topic, _count in source["topics"]]
    texts += [voice["name"] for voice in source["voices"]]
    texts += [figures["format"] for figures in source["formats"]]
    assert not [text for text in texts if text.startswith(FORMULA)]


def test_upload_review_and_apply_part_of_the_proposal(client, draft, owner, media):
    client.force_login(owner)
    response = post_files(
        client, draft, "brandwatch.csv", "meta_instagram_fr.csv", public="@alpenpost"
    )
    job = ListeningAnalysis.objects.get()
    assert response.url == reverse(
        "strategy:listening_analysis", args=[draft.concept_id, job.pk]
    )
    assert job.state == State.DONE
    assert stored_uploads(media) == []  # the exports are read once, then deleted
    page = client.get(response.url)
    assert page.status_code == 200
    proposal = page.context["proposal"]
    platforms = [change.platform for change in proposal.channels]
    assert {"x", "instagram", "news"} <= set(platforms)
    instagram = next(c for c in proposal.channels if c.platform == "instagram")
    assert instagram.is_present  # the organisation posts there
    leaders = [change.name for change in proposal.leaders]
    assert leaders and all("bergsteiger" not in name for name in leaders)
    # the concept's language names them: a French concept's private persons
    assert any(name.startswith("Personne ") for name in leaders)
    content = page.content.decode()
    assert "<svg" in content and "Mentions per month" in content

    chosen = leaders[:2]
    response = client.post(
        response.url, {"channel": ["x", "instagram"], "leader": chosen}
    )
    assert response.status_code == 302
    assert sorted(draft.channels.values_list("platform", flat=True)) == [
        "instagram",
        "x",
    ]
    assert list(draft.opinion_leaders.values_list("name", flat=True)) == chosen
    draft.refresh_from_db()
    assert [s["file"] for s in draft.listening_evidence] == [
        "brandwatch.csv",
        "meta_instagram_fr.csv",
    ]
    step = client.get(response.url)
    assert "brandwatch.csv" in step.content.decode()


def test_a_public_figure_is_named_a_private_person_is_not(client, draft, owner):
    client.force_login(owner)
    post_files(client, draft, "talkwalker.csv", public="bergsteiger_anna")
    voices = ListeningAnalysis.objects.get().sources[0]["voices"]
    names = {voice["name"] for voice in voices}
    assert "bergsteiger_anna" in names
    private = [voice for voice in voices if voice["pseudonym"]]
    assert private
    authors = set()
    with (FIXTURES / "talkwalker.csv").open("rb") as opened:
        for record in reading.open_export("t.csv", opened).records():
            authors.add(record.author)
    stored = json.dumps(ListeningAnalysis.objects.get().sources)
    hidden = authors - names - {""}
    assert hidden and not [author for author in hidden if f'"{author}"' in stored]
    assert {privacy.pseudonym(a) for a in hidden} & {v["name"] for v in private}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("unknown_format.csv", None, "unknown_format.csv is not an export we know"),
        ("empty.csv", None, "empty.csv is empty"),
        ("old_excel.xls", None, "old_excel.xls is an Excel file in the old format"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "photo.csv"),
    ],
)
def test_a_file_refused_at_once_is_named_next_to_the_field(
    client, draft, owner, media, name, content, message
):
    client.force_login(owner)
    response = client.post(
        reverse("strategy:listening_upload", args=[draft.concept_id]),
        {"public_accounts": "@keep_me", "files": [upload(name, content)]},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["files"])
    assert message in errors
    assert "@keep_me" in response.content.decode()  # what the user typed stays
    assert not ListeningAnalysis.objects.exists() and stored_uploads(media) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("wrong_encoding_late.csv", "wrong_encoding_late.csv, line 85"),
        ("truncated_quote.csv", "truncated_quote.csv is cut short"),
        ("truncated_cells.csv", "line 31 has 7 columns"),
        ("bad_date.csv", 'bad_date.csv, line 14: "Date" is not a date'),
        ("formulas.xlsx", "formulas.xlsx, sheet Mentions, cell E7 holds a formula"),
    ],
)
def test_a_file_bad_further_down_fails_the_analysis_and_writes_nothing(
    client, draft, owner, media, name, message
):
    client.force_login(owner)
    before = draft.updated_at
    response = post_files(client, draft, "brandwatch.csv", name)
    job = ListeningAnalysis.objects.get()
    assert job.state == State.FAILED and job.sources == []
    page = client.get(response.url)
    assert message in html.unescape(page.content.decode())
    assert stored_uploads(media) == []
    draft.refresh_from_db()
    assert draft.listening_evidence == [] and draft.updated_at == before
    assert not draft.channels.exists()


def test_an_upload_over_the_limit_is_named_and_never_stored(
    client, draft, owner, media, monkeypatch
):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1000)
    client.force_login(owner)
    response = post_files(client, draft, "brandwatch.csv", public="@keep_me")
    assert response.status_code == 200
    assert "brandwatch.csv is larger than" in " ".join(
        response.context["form"].errors["files"]
    )
    assert "@keep_me" in response.content.decode()
    assert not ListeningAnalysis.objects.exists()


def test_cells_made_to_be_formulas_never_reach_an_export(client, draft, owner):
    client.force_login(owner)
    response = post_files(client, draft, "injection_talkwalker.csv")
    job = ListeningAnalysis.objects.get()
    assert job.sources[0]["neutralised"] > 0
    proposal = client.get(response.url).context["proposal"]
    client.post(
        response.url,
        {
            "channel": [c.platform for c in proposal.channels],
            "leader": [c.name for c in proposal.leaders],
        },
    )
    draft.refresh_from_db()
    values = [
        *draft.opinion_leaders.values_list("name", "description"),
        *draft.channels.values_list("main_topics", flat=True),
    ]
    texts = [
        t for value in values for t in (value if isinstance(value, tuple) else [value])
    ]
    texts += [str(v) for s in draft.listening_evidence for v in _strings(s)]
    assert texts and not [t for t in texts if t.startswith(FORMULA)]
    exported = dumps(export_concept(draft.concept))
    assert '"=' not in exported and '"+' not in exported and '"@' not in exported
    render_docx(draft)  # the Word export takes the evidence as it is


def _strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


@pytest.mark.parametrize("role", list(Role))
def test_who_may_analyse(client, team, draft, role):
    client.force_login(team.memberships.get(role=role).user)
    allowed = role in (Role.OWNER, Role.EDITOR)
    response = post_files(client, draft, "brandwatch.csv")
    assert response.status_code == (302 if allowed else 404)
    step = client.get(reverse("strategy:step", args=[draft.concept_id, 1, "listen"]))
    assert ("Analyse exports" in step.content.decode()) == allowed


def test_an_analysis_is_only_its_creators(client, team, draft, owner, other_team):
    client.force_login(owner)
    url = post_files(client, draft, "brandwatch.csv").url
    job = ListeningAnalysis.objects.get()
    status = reverse("strategy:listening_status", args=[draft.concept_id, job.pk])
    editor = team.memberships.get(role=Role.EDITOR).user
    outsider = other_team.memberships.get().user
    for user in (editor, outsider, make_user("stranger")):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(status).status_code == 404
        assert client.post(url, {"channel": ["x"]}).status_code == 404
    other = make_concept(other_team, by=outsider)
    client.force_login(owner)
    elsewhere = reverse("strategy:listening_analysis", args=[other.pk, job.pk])
    assert client.get(elsewhere).status_code == 404


def test_a_draft_in_review_takes_no_analysis(client, draft, owner):
    client.force_login(owner)
    url = post_files(client, draft, "brandwatch.csv").url
    approval.submit(draft, by=owner, note="Prête")
    response = client.post(url, {"channel": ["x"]}, follow=True)
    assert "in review" in response.content.decode()
    assert not draft.channels.exists()
    response = post_files(client, draft, "brandwatch.csv")
    assert response.status_code == 302 and ListeningAnalysis.objects.count() == 1


def test_removing_a_source_from_the_evidence(client, draft, owner):
    client.force_login(owner)
    url = post_files(client, draft, "brandwatch.csv").url
    client.post(url, {})
    draft.refresh_from_db()
    assert len(draft.listening_evidence) == 1
    client.post(
        reverse("strategy:listening_remove_source", args=[draft.concept_id]),
        {"file": "brandwatch.csv"},
    )
    draft.refresh_from_db()
    assert draft.listening_evidence == []


def test_with_a_worker_the_page_follows_the_analysis(client, draft, owner, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(owner)
    url = post_files(client, draft, "meltwater.tsv").url
    job = ListeningAnalysis.objects.get()
    assert job.state == State.QUEUED
    page = client.get(url)
    assert "data-status-url" in page.content.decode()
    status_url = reverse("strategy:listening_status", args=[draft.concept_id, job.pk])
    assert client.get(status_url).json()["state"] == "queued"
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections"
    ):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    status = client.get(status_url).json()
    assert status["ready"] and status["percent"] == 100
    assert "proposal" in client.get(url).context


def test_the_analysis_page_costs_the_same_queries_for_any_export(
    client, draft, owner, django_assert_max_num_queries
):
    client.force_login(owner)
    small = post_files(client, draft, "x_analytics.csv").url
    large = post_files(client, draft, "brandwatch.csv", "meltwater.tsv").url
    for url in (small, large):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200


def test_the_command_prints_the_analysis_and_applies_it(draft, capsys):
    x_analytics = str(FIXTURES / "x_analytics.csv")
    call_command("import_listening", draft.concept_id, x_analytics)
    assert "Publications" in capsys.readouterr().out  # in the concept's language
    draft.language = "en"
    draft.save()
    call_command("import_listening", draft.concept_id, str(FIXTURES / "brandwatch.csv"))
    out = capsys.readouterr().out
    assert "brandwatch.csv: Brandwatch" in out
    assert "Mentions per month" in out and "Tone" in out
    assert "Nothing was changed" in out
    assert not draft.channels.exists()
    call_command(
        "import_listening",
        draft.concept_id,
        str(FIXTURES / "brandwatch.csv"),
        str(FIXTURES / "x_analytics.csv"),
        "--apply",
    )
    assert "Applied to the draft" in capsys.readouterr().out
    assert draft.channels.filter(platform="x", is_present=True).exists()
    assert draft.opinion_leaders.exists()


def test_the_command_names_a_bad_file(draft):
    with pytest.raises(CommandError, match=r"truncated_cells\.csv is cut short"):
        call_command(
            "import_listening", draft.concept_id, str(FIXTURES / "truncated_cells.csv")
        )
    with pytest.raises(CommandError, match="No concept 9999"):
        call_command("import_listening", 9999, str(FIXTURES / "brandwatch.csv"))


def test_reviewers_see_the_evidence_in_the_admin(client, team, draft, owner):
    from .test_admin import staff_member

    client.force_login(owner)
    client.post(post_files(client, draft, "brandwatch.csv").url, {})
    client.force_login(staff_member(team, Role.REVIEWER))
    page = client.get(reverse("admin:strategy_conceptversion_change", args=[draft.pk]))
    assert "brandwatch.csv · Brandwatch · 1 Jan 2026 to 31 Mar 2026 · 40 rows" in (
        page.content.decode()
    )
