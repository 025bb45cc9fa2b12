"""The format documentation and the demo concept cannot go stale.

``docs/concept-format.md`` must name every key the export writes and every choice code
the models accept; its example and the demo concept must import cleanly and come back
unchanged when exported again.
"""

import copy
import itertools
import json
import re
from pathlib import Path

import pytest
from django.utils.dateparse import parse_datetime

from strategy import interchange, limits
from strategy.demo import DEMO_FILE, GERMAN_DEMO_FILE
from strategy.method import READINESS, ROW_LISTS, VERSION_FIELDS
from strategy.models import ConceptVersion, Readiness, Status
from strategy.platforms import Platform

from .factories import make_concept, make_team

DOC_FILE = Path(__file__).resolve().parent.parent / "docs" / "concept-format.md"


@pytest.fixture(scope="module")
def doc():
    return DOC_FILE.read_text(encoding="utf-8")


DEMOS = {"fr": DEMO_FILE, "de": GERMAN_DEMO_FILE}
each_demo = pytest.mark.parametrize("language", DEMOS)


def demo_document(language="fr"):
    return json.loads(DEMOS[language].read_text(encoding="utf-8"))


def doc_example(doc):
    """The complete example document of the documentation (its ```json block)."""
    for block in re.findall(r"```json\n(.*?)\n```", doc, flags=re.DOTALL):
        document = json.loads(block)
        if isinstance(document, dict) and "format" in document:
            return document
    raise AssertionError("docs/concept-format.md has no complete ```json example")


def same_instants(document):
    """``document`` with ``frozen_at`` parsed, so equal instants compare equal.

    The export writes datetimes in UTC, the demo file in Swiss local time; both name
    the same moment.
    """
    document = copy.deepcopy(document)
    for version in document["versions"]:
        if version["frozen_at"] is not None:
            version["frozen_at"] = parse_datetime(version["frozen_at"])
    return document


def import_and_export(document, team_name):
    concept = interchange.import_concept(
        copy.deepcopy(document), team=make_team(team_name)
    )
    return interchange.export_concept(concept)


def mentioned(doc, name):
    return f"`{name}`" in doc


# The documentation names everything -----------------------------------------


def test_every_exported_key_is_documented(db, doc):
    team = make_team("Communication")
    document = interchange.export_concept(make_concept(team, rows=2))
    version = document["versions"][0]
    names = {*document, *version}
    for row_list in ROW_LISTS:
        rows = version[row_list.name]
        assert rows, f"the test concept has no rows in {row_list.name}"
        for row in rows:
            names.update(row)
    # What the export writes is what the method declares, nothing is forgotten.
    assert set(VERSION_FIELDS) | {rl.name for rl in ROW_LISTS} <= names
    assert set(interchange.format.WORKFLOW_KEYS) <= names
    missing = sorted(name for name in names if not mentioned(doc, name))
    assert not missing, f"docs/concept-format.md does not mention: {missing}"


def test_every_choice_code_is_documented(doc):
    codes = set(Platform.values)
    for model in (ConceptVersion, *(row_list.model for row_list in ROW_LISTS)):
        for field in model._meta.concrete_fields:
            if field.choices:
                codes.update(str(value) for value, _label in field.choices)
    missing = sorted(code for code in codes if not mentioned(doc, code))
    assert not missing, f"docs/concept-format.md does not mention the codes: {missing}"


def test_documented_format_identity(doc):
    assert f'"{interchange.FORMAT_NAME}"' in doc
    assert f"`{interchange.FORMAT_VERSION}`" in doc
    assert "export_concept CONCEPT_ID [--version N] [-o FILE]" in doc
    assert "import_concept FILE [--team TEAM]" in doc


def test_documented_example_imports_as_described(db, doc):
    example = doc_example(doc)
    exported = import_and_export(example, "Velo Aare")
    # The example rates some obstacles; the others come back blank, after them.
    expected = copy.deepcopy(example)
    for version in expected["versions"]:
        rated = {row["obstacle"] for row in version["readiness"]}
        version["readiness"] += [
            {
                "key": code,
                "obstacle": code,
                "score": None,
                "note": "",
                "countermeasure": "",
            }
            for code in Readiness.Obstacle.values
            if code not in rated
        ]
    assert exported == expected


# The demo concept --------------------------------------------------------------


@each_demo
def test_demo_file_is_written_as_the_export_writes(db, language):
    text = DEMOS[language].read_text(encoding="utf-8")
    assert interchange.dumps(json.loads(text)) == text


@each_demo
def test_demo_imports_and_exports_unchanged(db, language):
    document = demo_document(language)
    exported = import_and_export(document, "Hôpital")
    assert same_instants(exported) == same_instants(document)
    # Export, import, export: stable to the character.
    assert import_and_export(exported, "Hôpital bis") == exported


@each_demo
def test_demo_has_an_approved_version_a_frozen_one_and_a_draft(language):
    """The dashboard's current strategy is v1: the newer frozen v2 never replaces it."""
    versions = demo_document(language)["versions"]
    assert [v["number"] for v in versions] == [1, 2, 3]
    assert [v["status"] for v in versions] == [
        Status.APPROVED,
        Status.FROZEN,
        Status.DRAFT,
    ]
    assert [v["based_on"] for v in versions] == [None, 1, 2]
    for version in versions[:2]:
        assert version["change_note"]
        assert version["frozen_by"]
        assert parse_datetime(version["frozen_at"]).utcoffset() is not None


@each_demo
def test_demo_fills_every_part_of_every_version(language):
    for version in demo_document(language)["versions"]:
        where = f"version {version['number']}"
        assert version["language"] == language, where
        for name in VERSION_FIELDS:
            assert version[name], f"{where}: {name} is empty"
        for row_list in ROW_LISTS:
            assert version[row_list.name], f"{where}: {row_list.name} is empty"
        readiness = version[READINESS.name]
        assert {row["obstacle"] for row in readiness} == set(Readiness.Obstacle.values)
        assert all(row["score"] and row["note"] for row in readiness), where


@each_demo
def test_demo_versions_differ(language):
    versions = demo_document(language)["versions"]
    content = (*VERSION_FIELDS, *(row_list.name for row_list in ROW_LISTS))
    for older, newer in itertools.pairwise(versions):
        changed = [name for name in content if older[name] != newer[name]]
        assert len(changed) >= 5, (older["number"], newer["number"], changed)


def test_the_documented_limits_are_the_limits(doc):
    section = doc.split("### Limits", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| (.+?) \| (.+?) \|$", section, flags=re.MULTILINE))
    assert rows["the file"].startswith(f"{limits.MAX_IMPORT_BYTES // 2**20} MB")
    assert rows["versions in the file"] == str(limits.MAX_VERSIONS_PER_FILE)
    assert rows["rows in one list, keys in one list of links"] == str(
        limits.MAX_ROWS_PER_LIST
    )
    texts = {
        "one of the version's texts (`context`, `listening_summary`, …)": (
            limits.MAX_TEXT_LENGTH
        ),
        "a text of a row (`description`, `note`, …)": limits.MAX_ROW_TEXT_LENGTH,
        "`change_note`": limits.MAX_COMMENT_LENGTH,
    }
    for what, limit in texts.items():
        assert rows[what] == f"{limit:,} characters"
    assert rows["nesting"].startswith(f"{limits.MAX_JSON_DEPTH} levels")


def test_the_readme_shows_the_documents_pages():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    images = re.findall(r"\]\((docs/images/[\w-]+\.png)\)", readme)
    names = {Path(image).stem for image in images}
    assert names == {
        "document-cover",
        "document-summary",
        "document-objectives",
        "document-budget",
    }
    root = Path(__file__).resolve().parent.parent
    for image in images:
        assert (root / image).read_bytes().startswith(b"\x89PNG"), image
