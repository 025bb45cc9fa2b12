"""The JSON interchange format: round trip, clear messages, all-or-nothing imports."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from strategy import content, interchange, limits, versioning
from strategy.models import Concept, ConceptVersion, Objective, TargetGroup


@pytest.fixture
def history(concept, owner):
    """A concept with two frozen versions and a draft."""
    versioning.freeze(concept.draft, by=owner, note="Première version")
    draft = concept.draft
    draft.title = "Stratégie 2027"
    draft.save()
    versioning.freeze(draft, by=owner, note="Deuxième version")
    return concept


def test_export_import_export_gives_the_same_document(history, team):
    document = interchange.export_concept(history)
    assert [v["status"] for v in document["versions"]] == ["frozen", "frozen", "draft"]
    copy = interchange.import_concept(
        json.loads(interchange.dumps(document)), team=team
    )
    assert copy.pk != history.pk
    assert interchange.export_concept(copy) == document


def test_export_refers_to_rows_by_key_not_by_id(history):
    version = interchange.export_concept(history, number=1)["versions"][0]
    objective = version["objectives"][0]
    assert objective["target_groups"] == [version["target_groups"][0]["key"]]
    assert "id" not in objective and "version" not in objective
    assert version["budget_lines"][0]["amount"] == "1200.50"
    assert version["objectives"][0]["due"] == "2027-06-30"


def test_export_of_one_version(history):
    document = interchange.export_concept(history, number=2)
    assert [v["number"] for v in document["versions"]] == [2]
    assert document["versions"][0]["title"] == "Stratégie 2027"


def test_import_keeps_statuses_notes_and_order(history, team):
    copy = interchange.import_concept(interchange.export_concept(history), team=team)
    first = copy.versions.get(number=1)
    assert first.is_frozen and first.change_note == "Première version"
    assert first.frozen_by_name == "Olivia Owner"
    assert copy.versions.get(number=2).based_on == first
    assert copy.draft.number == 3


def minimal_document(**version):
    return {
        "format": interchange.FORMAT_NAME,
        "format_version": interchange.FORMAT_VERSION,
        "versions": [
            {"number": 1, "status": "draft", "title": "T", "organisation": "O"}
            | version
        ],
    }


def problems_of(document):
    with pytest.raises(interchange.InterchangeError) as error:
        interchange.parse_document(document)
    return error.value.problems


def test_a_minimal_document_gets_defaults_and_the_five_obstacles(team):
    concept = interchange.import_concept(minimal_document(), team=team)
    assert concept.draft.language == "fr"
    assert concept.draft.readiness.count() == 5


@pytest.mark.parametrize(
    ("version", "problem"),
    [
        (
            {
                "objectives": [{"key": "a", "title": "x"}] * 3
                + [{"key": "d", "title": "x", "due": "30.06.2027"}]
            },
            "versions[0].objectives[3].due: not a date (expected YYYY-MM-DD)",
        ),
        ({"title": 12}, "versions[0].title: not a text"),
        (
            {"objectives": [{"key": "a", "title": "x", "target": "lots"}]},
            "versions[0].objectives[0].target: not a number",
        ),
        (
            {"channels": [{"key": "a", "platform": "myspace"}]},
            "versions[0].channels[0].platform: Value 'myspace' is not a valid choice.",
        ),
        (
            {"target_groups": [{"key": "a", "name": "x", "platforms": ["orkut"]}]},
            "versions[0].target_groups[0].platforms: Unknown platform: orkut.",
        ),
        (
            {"objectives": [{"key": "a", "title": "x", "target_groups": ["ghost"]}]},
            "versions[0].objectives[0].target_groups[0]: "
            "no target group with key “ghost”",
        ),
        (
            {"target_groups": [{"key": "a", "name": "x"}, {"key": "a", "name": "y"}]},
            "versions[0].target_groups[1].key: “a” is used twice",
        ),
        (
            {"target_groups": [{"name": "x"}]},
            "versions[0].target_groups[0].key: missing",
        ),
        (
            {"objectives": [{"key": "a", "title": "x", "target_groups": [{"k": 1}]}]},
            "versions[0].objectives[0].target_groups[0]: not a key",
        ),
        (
            {"target_groups": [{"key": "a", "name": "x", "platforms": ["x", "x"]}]},
            "versions[0].target_groups[0].platforms: A platform is listed twice.",
        ),
        (
            {"budget_lines": [{"key": "a", "item": "x", "currency": "chf"}]},
            "versions[0].budget_lines[0].currency: "
            "Use a three-letter ISO 4217 code such as CHF or EUR.",
        ),
        (
            {"frozen_by": "x" * 151},
            "versions[0].frozen_by: "
            "Ensure this value has at most 150 characters (it has 151).",
        ),
        ({"frozen_by": 0}, "versions[0].frozen_by: not a text"),
        (
            {"people": [{"key": "p", "role": "CM", "hours_per_week": "200"}]},
            "versions[0].people[0].hours_per_week: "
            "Ensure this value is less than or equal to 168.",
        ),
        (
            {"readiness": [{"key": "a", "obstacle": "budget", "score": 9}]},
            "versions[0].readiness[0].score: Value 9 is not a valid choice.",
        ),
        (
            {"channels": [{"key": "a", "platform": "x", "is_present": "yes"}]},
            "versions[0].channels[0].is_present: not true or false",
        ),
        ({"colour": "blue"}, "versions[0].colour: unknown field"),
        (
            {"status": "approved!"},
            "versions[0].status: not one of: draft, in_review, frozen, approved",
        ),
        ({"title": ""}, "versions[0].title: This field cannot be blank."),
    ],
)
def test_each_problem_is_named_with_its_place(version, problem):
    assert problem in problems_of(minimal_document(**version))


def test_a_missing_required_field_is_named():
    document = minimal_document()
    del document["versions"][0]["organisation"]
    assert problems_of(document) == ["versions[0].organisation: missing"]


def test_every_problem_is_reported_not_only_the_first():
    problems = problems_of(
        minimal_document(
            objectives=[{"key": "a", "title": "x", "due": "soon", "baseline": "n/a"}],
            colour="blue",
        )
    )
    assert len(problems) == 3


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ([], "the document is not a JSON object"),
        (
            {"format": "other", "format_version": 1, "versions": []},
            "format: expected “social-media-strategy-concept”",
        ),
        (
            {"format": interchange.FORMAT_NAME, "format_version": 99, "versions": [{}]},
            "format_version: this app reads format version 1",
        ),
    ],
)
def test_documents_that_are_not_concepts_are_refused(document, problem):
    assert problem in problems_of(document)


def test_the_version_history_must_be_consistent():
    document = minimal_document()
    version = document["versions"][0]
    document["versions"] = [version, dict(version), dict(version, number=3, based_on=7)]
    problems = problems_of(document)
    assert "versions: two versions have the same number" in problems
    assert "versions: more than one working draft" in problems
    assert "versions[2].based_on: not the number of an earlier version: 7" in problems
    assert "versions[0].based_on: not the number of an earlier version: true" in (
        problems_of(minimal_document(based_on=True))
    )


def test_a_single_exported_version_imports_with_a_new_draft(history, team):
    document = interchange.export_concept(history, number=2)
    copy = interchange.import_concept(document, team=team)
    assert [(v.number, v.status) for v in copy.versions.order_by("number")] == [
        (2, "frozen"),
        (3, "draft"),
    ]
    assert copy.versions.get(number=2).based_on is None
    assert copy.draft.title == "Stratégie 2027"
    assert copy.draft.objectives.count() == 1


def test_invalid_json_text_is_reported_with_its_line():
    with pytest.raises(interchange.InterchangeError) as error:
        interchange.loads('{\n  "format": }')
    assert error.value.problems == [
        "not valid JSON (line 2, column 13): a value is expected"
    ]


def test_a_failing_import_writes_nothing(history, team, monkeypatch):
    document = interchange.export_concept(history)
    counts = (
        Concept.objects.count(),
        ConceptVersion.objects.count(),
        Objective.objects.count(),
    )
    calls = []

    def write_then_fail(version, data):
        calls.append(version)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        original_write(version, data)

    original_write = content.write_content
    monkeypatch.setattr(interchange.importing, "write_content", write_then_fail)
    with pytest.raises(RuntimeError):
        interchange.import_concept(document, team=team)
    assert counts == (
        Concept.objects.count(),
        ConceptVersion.objects.count(),
        Objective.objects.count(),
    )


def test_an_invalid_document_writes_nothing(team):
    document = minimal_document(objectives=[{"key": "a", "title": "x", "due": "no"}])
    before = TargetGroup.objects.count(), Concept.objects.count()
    with pytest.raises(interchange.InterchangeError):
        interchange.import_concept(document, team=team)
    assert (TargetGroup.objects.count(), Concept.objects.count()) == before


def test_commands_export_and_import_a_concept(history, team, tmp_path):
    path = tmp_path / "concept.json"
    call_command("export_concept", str(history.pk), "-o", str(path))
    call_command("import_concept", str(path), "--team", team.slug)
    imported = Concept.objects.exclude(pk=history.pk).get()
    assert interchange.export_concept(imported) == json.loads(path.read_text())

    call_command("export_concept", str(history.pk), "--version", "2", "-o", str(path))
    assert [v["number"] for v in json.loads(path.read_text())["versions"]] == [2]


def test_import_command_lists_every_problem_and_imports_nothing(team, tmp_path, capsys):
    path = tmp_path / "bad.json"
    document = minimal_document(
        objectives=[{"key": "a", "title": "x", "due": "31.12.2027"}], colour="blue"
    )
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_concept", str(path), "--team", team.slug)
    errors = capsys.readouterr().err
    assert "versions[0].objectives[0].due: not a date" in errors
    assert "versions[0].colour: unknown field" in errors
    assert not Concept.objects.exists()


def test_commands_explain_unknown_concepts_versions_and_teams(concept, team, tmp_path):
    with pytest.raises(CommandError, match="No concept with id 999"):
        call_command("export_concept", "999")
    with pytest.raises(CommandError, match="has no version 7"):
        call_command("export_concept", str(concept.pk), "--version", "7")
    path = tmp_path / "c.json"
    path.write_text(json.dumps(minimal_document()))
    with pytest.raises(CommandError, match="No team with short name"):
        call_command("import_concept", str(path), "--team", "nope")


def test_a_readiness_key_that_names_another_obstacle_does_not_collide(team):
    document = minimal_document(
        readiness=[{"key": "management_support", "obstacle": "budget", "score": 2}]
    )
    concept = interchange.import_concept(document, team=team)
    assert concept.draft.readiness.count() == 5


def test_frozen_at_is_exported_in_the_local_time_zone(history):
    version = interchange.export_concept(history, number=1)["versions"][0]
    assert version["frozen_at"].endswith(("+01:00", "+02:00"))


def test_imported_frozen_versions_were_last_changed_when_they_were_frozen(
    history, team
):
    copy = interchange.import_concept(interchange.export_concept(history), team=team)
    first = copy.versions.get(number=1)
    assert first.updated_at == first.frozen_at
    assert first.updated_by is None


# Hostile and oversized files ---------------------------------------------------


def problems_of_text(text):
    """The problems of a file's text, as the import command reads it."""
    with pytest.raises(interchange.InterchangeError) as error:
        interchange.parse_document(interchange.loads(text))
    return error.value.problems


@pytest.mark.parametrize(
    ("version", "problem"),
    [
        ({"number": 10**30}, "versions[0].number: not a whole number of 1 or more"),
        ({"number": 2**63}, "versions[0].number: not a whole number of 1 or more"),
        (
            {"status": "frozen", "frozen_at": "2025-02-30T10:00:00+01:00"},
            "versions[0].frozen_at: not a date and time with a time zone offset",
        ),
        (
            {"status": "frozen", "frozen_at": "2025-02-10T25:00:00+01:00"},
            "versions[0].frozen_at: not a date and time with a time zone offset",
        ),
        (
            {"title": "Strat\ud800gie"},
            "versions[0].title: contains a character that is not valid text",
        ),
        (
            {"objectives": [{"key": "a", "title": "x", "k\udc00": 1}]},
            "versions[0].objectives[0]: a field name is not valid text",
        ),
        ({"title": "Strat\u0000gie"}, "versions[0].title: Null characters are not"),
        ({"context": "x\u0000"}, "versions[0].context: Null characters are not"),
        (
            {"context": "x" * (limits.MAX_TEXT_LENGTH + 1)},
            "versions[0].context: Ensure this value has at most 20000 characters "
            "(it has 20001).",
        ),
        (
            {"tools": [{"key": "t", "name": "x", "purpose": "y" * 5001}]},
            "versions[0].tools[0].purpose: Ensure this value has at most 5000",
        ),
        (
            {"change_note": "n" * 5001},
            "versions[0].change_note: Ensure this value has at most 5000",
        ),
        (
            {"tools": [{"key": f"t{i}", "name": "x"} for i in range(301)]},
            "versions[0].tools: 301 entries; at most 300 are allowed",
        ),
        (
            {
                "target_groups": [{"key": "a", "name": "x"}],
                "objectives": [
                    {"key": "o", "title": "x", "target_groups": ["a"] * 301}
                ],
            },
            "versions[0].objectives[0].target_groups: 301 entries; at most 300",
        ),
        (
            {"context": [[[[[[[["deep"]]]]]]]]},
            "versions[0].context[0][0][0][0][0]: nested more deeply than the format",
        ),
    ],
)
def test_a_hostile_file_is_refused_with_the_place_of_each_problem(version, problem):
    text = json.dumps(minimal_document(**version), ensure_ascii=True)
    problems = problems_of_text(text)
    assert any(p.startswith(problem) for p in problems), problems


@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_a_file_nested_thousands_of_levels_deep_is_refused(depth):
    document = json.dumps(minimal_document(context="__deep__"))
    text = document.replace('"__deep__"', "[" * depth + "]" * depth)
    assert problems_of_text(text) in (
        ["the document is nested more deeply than the format allows"],
        [
            "versions[0].context[0][0][0][0][0]: nested more deeply than the format "
            "allows"
        ],
    )


def test_a_file_too_large_is_refused_before_it_is_parsed(monkeypatch):
    monkeypatch.setattr(interchange.reading, "MAX_IMPORT_BYTES", 1000)
    monkeypatch.setattr(interchange.reading.json, "loads", pytest.fail)
    with pytest.raises(interchange.InterchangeError) as error:
        interchange.loads(" " * 1001)
    assert error.value.problems == [
        "the file has 0.0 MB; a file to import has at most 0 MB"
    ]


def test_too_many_versions_are_refused():
    version = minimal_document()["versions"][0]
    versions = [
        dict(version, number=n + 1, status="frozen")
        for n in range(limits.MAX_VERSIONS_PER_FILE + 1)
    ]
    document = dict(minimal_document(), versions=versions)
    assert problems_of(document) == ["versions: 501 entries; at most 500 are allowed"]


def test_thousands_of_problems_are_counted_not_all_listed():
    rows = [{"key": f"t{i}", "name": ""} for i in range(250)]
    problems = problems_of(minimal_document(tools=rows, people=rows))
    assert len(problems) == interchange.MAX_PROBLEMS + 1
    assert problems[-1] == "… and 400 more problems."


def test_the_importer_speaks_the_users_language():
    with translation.override("fr"):
        with pytest.raises(interchange.InterchangeError) as error:
            interchange.loads('{"format": "x", "versions": [')
        problems = error.value.problems
        assert problems == [
            "JSON non valide (ligne 1, colonne 30)\xa0: une valeur est attendue"
        ]
        assert problems_of_text('{"a": "\\ud800"}')[0] == (
            "a\xa0: contient un caractère qui n’est pas du texte valide"
        )


def test_the_import_command_refuses_a_file_too_large_unread(
    team, tmp_path, monkeypatch, capsys
):
    path = tmp_path / "huge.json"
    path.write_text(" " * 2000)
    monkeypatch.setattr(interchange.reading, "MAX_IMPORT_BYTES", 1000)
    monkeypatch.setattr(type(path), "read_bytes", pytest.fail)
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_concept", str(path), "--team", team.slug)
    assert "a file to import has at most 0 MB" in capsys.readouterr().err


def test_a_hostile_file_imports_nothing_and_says_why(team, tmp_path, capsys):
    path = tmp_path / "hostile.json"
    path.write_text(
        json.dumps(minimal_document(title="\ud800", number=2**63), ensure_ascii=True)
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_concept", str(path), "--team", team.slug)
    errors = capsys.readouterr().err
    assert "versions[0].title: contains a character that is not valid text" in errors
    assert not Concept.objects.exists()
