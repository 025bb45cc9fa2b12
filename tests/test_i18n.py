"""The four catalogs (German, French, Italian, English): complete, consistent,
compiled, and in use."""

import gettext
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from strategy import versioning

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "strategy" / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
NBSP = "\u00a0"

# How the catalogs are regenerated; run it, translate, then compilemessages.
MAKEMESSAGES = [
    "makemessages",
    *("-l", "de", "-l", "fr", "-l", "it", "-l", "en"),
    "--no-obsolete",
    "--ignore=.venv",
    "--ignore=tests",
    "--ignore=var",
    "--ignore=static",
]


# A small .po reader ----------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$')


def _unquote(text):
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], text)


class Entry:
    def __init__(self):
        self.flags = set()
        self.context = None
        self.msgid = None
        self.msgid_plural = None
        self.msgstr = {}
        self.line = 0

    @property
    def is_header(self):
        return self.msgid == "" and self.context is None

    def __repr__(self):
        return f"<line {self.line}: {self.msgid!r}>"


def read_po(path):
    """The entries of a .po file, header first; obsolete (#~) entries are skipped."""
    entries, entry, field = [], Entry(), None

    def finish():
        nonlocal entry, field
        if entry.msgid is not None:
            entries.append(entry)
        entry, field = Entry(), None

    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            finish()
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert field is not None, f"{path}:{number}: continuation without field"
            text = _unquote(line.strip()[1:-1])
            if field[0] == "msgstr":
                entry.msgstr[field[1]] += text
            else:
                setattr(entry, field[0], getattr(entry, field[0]) + text)
        else:
            match = _KEYWORD.match(line)
            assert match, f"{path}:{number}: cannot read {line!r}"
            keyword, index, text = (
                match.group(1),
                match.group(2),
                _unquote(match.group(3)),
            )
            if keyword == "msgctxt":
                entry.context, field = text, ("context",)
            elif keyword == "msgid":
                entry.msgid, entry.line, field = text, number, ("msgid",)
            elif keyword == "msgid_plural":
                entry.msgid_plural, field = text, ("msgid_plural",)
            else:
                position = int(index or 0)
                entry.msgstr[position], field = text, ("msgstr", position)
    finish()
    return entries


def header_fields(entry):
    return dict(
        line.split(": ", 1) if ": " in line else (line.rstrip(":"), "")
        for line in entry.msgstr[0].splitlines()
    )


def po_path(language):
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def messages(language):
    """The catalog's entries without its header."""
    entries = read_po(po_path(language))
    assert entries and entries[0].is_header, "the catalog must start with its header"
    return entries[1:]


# Placeholders: %(name)s, %s, {name}; "%%" is a literal percent sign.
_PLACEHOLDER = re.compile(
    r"%%|%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{\w*\}"
)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def placeholders(text):
    return sorted(p for p in _PLACEHOLDER.findall(text) if p != "%%")


def tags(text):
    return sorted(_TAG.findall(text))


# The catalogs ----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_header_is_complete_and_not_fuzzy(language):
    header = read_po(po_path(language))[0]
    fields = header_fields(header)
    assert "fuzzy" not in header.flags
    assert fields["Language"] == language
    assert "charset=UTF-8" in fields["Content-Type"]
    assert fields["Plural-Forms"].startswith("nplurals=2;")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    entries = messages(language)
    assert len(entries) > 100
    fuzzy = [entry for entry in entries if "fuzzy" in entry.flags]
    assert not fuzzy, f"fuzzy entries to check: {fuzzy}"
    empty = [
        entry
        for entry in entries
        if not all(entry.msgstr.values())
        or len(entry.msgstr) != (2 if entry.msgid_plural is not None else 1)
    ]
    assert not empty, f"untranslated entries: {empty}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_and_markup_survive_translation(language):
    wrong = []
    for entry in messages(language):
        source = entry.msgid + (entry.msgid_plural or "")
        expected = sorted(set(placeholders(source)))
        for text in entry.msgstr.values():
            same_placeholders = sorted(set(placeholders(text))) == expected
            if not same_placeholders or tags(text) != tags(entry.msgid):
                wrong.append((entry, text))
    assert not wrong, f"placeholders or tags differ: {wrong}"


def test_english_catalog_repeats_the_source_text():
    different = [
        entry
        for entry in messages("en")
        if entry.msgstr.get(0) != entry.msgid
        or (
            entry.msgid_plural is not None and entry.msgstr.get(1) != entry.msgid_plural
        )
    ]
    assert not different


def test_french_follows_french_typography():
    wrong = []
    for entry in messages("fr"):
        for text in entry.msgstr.values():
            if re.search(r"[^\S\u00a0][:;?!»]|«[^\S\u00a0]", text):
                wrong.append((entry, "plain space where a non-breaking one belongs"))
            if re.search(r"[^\s][;?!»]|«\S", text):
                wrong.append((entry, "no space at ; ? ! « »"))
            if re.search(r"\w'\w", text):
                wrong.append((entry, "straight apostrophe, use ’"))
            if "“" in text or "”" in text:
                wrong.append((entry, "English quotes, use « »"))
    assert not wrong, wrong


def test_french_uses_the_method_vocabulary():
    french = {entry.msgid: entry.msgstr[0] for entry in messages("fr")}
    expected = {
        "Listen": "Écouter",
        "Objectives": "Objectifs",
        "Target groups": "Groupes-cibles",
        "Content": "Contenus",
        "Resources": "Ressources",
        "Integration": "Intégration",
        "Implementation": "Mise en œuvre",
        "Readiness": "Maturité",
        "Review": "Vérification",
        "opinion leaders": "faiseurs d’opinion",
        "content pillars": "thèmes de contenu",
        "management sponsor": "sponsor de la direction",
        "budget line": "poste budgétaire",
        "Draft": "Brouillon",
        "Frozen": "Figée",
        "Frozen v%(number)s": "Figée v%(number)s",
        "change note": "note de modification",
        "Log in": "Connexion",
        "Strategy studio": "Atelier stratégie",
    }
    assert {msgid: french.get(msgid) for msgid in expected} == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_its_po_file(language):
    """The committed .mo holds exactly the .po's translations: it was recompiled."""
    po = po_path(language)
    with open(po.with_suffix(".mo"), "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    expected = {}
    for entry in messages(language):
        key = (
            entry.msgid
            if entry.context is None
            else f"{entry.context}\x04{entry.msgid}"
        )
        if entry.msgid_plural is None:
            expected[key] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                expected[(key, index)] = text
    # GNUTranslations keeps the compiled messages in _catalog; "" is the header.
    actual = {key: text for key, text in catalog._catalog.items() if key != ""}
    assert actual == expected, "run: python manage.py compilemessages --ignore=.venv"
    assert catalog.info()["language"] == language
    assert catalog.plural(0) == (0 if language == "fr" else 1)


@pytest.mark.skipif(
    not (shutil.which("xgettext") and shutil.which("msgmerge")),
    reason="needs the gettext tools",
)
def test_catalogs_hold_every_marked_string_of_the_source(tmp_path):
    """Running makemessages changes no message: no string is missing or stale."""
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copy(ROOT / "manage.py", copy)
    ignore = shutil.ignore_patterns("__pycache__", "*.mo")
    for folder in ("strategy", "templates"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=ignore)
    before = {language: po_path(language).read_bytes() for language in LANGUAGES}
    subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    for language in LANGUAGES:
        committed = {(e.context, e.msgid, e.msgid_plural) for e in messages(language)}
        fresh_po = copy / "strategy" / "locale" / language / "LC_MESSAGES" / "django.po"
        fresh = {(e.context, e.msgid, e.msgid_plural) for e in read_po(fresh_po)[1:]}
        hint = f"{language}: run makemessages as in MAKEMESSAGES, translate, compile"
        assert sorted(fresh - committed, key=str) == [], f"missing; {hint}"
        assert sorted(committed - fresh, key=str) == [], f"stale; {hint}"
        assert po_path(language).read_bytes() == before[language]  # copy only


# The catalogs at work --------------------------------------------------------


def test_login_page_speaks_the_browsers_language(client):
    french = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr">' in french
    assert "Connexion" in french
    assert "Mot de passe" in french  # Django's own catalog, for the login form
    assert "Atelier stratégie" in french
    assert "Log in" not in french

    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english
    assert "Log in" in english
    assert "Strategy studio" in english
    assert "Connexion" not in english


def test_pages_of_a_concept_read_in_french(client, concept, owner):
    versioning.freeze(concept.draft, by=owner, note="Première version")
    client.force_login(owner)

    dashboard = client.get(reverse("strategy:dashboard"), HTTP_ACCEPT_LANGUAGE="fr")
    html = dashboard.content.decode()
    for text in (
        "Mes concepts",
        "Nouveau concept",
        "Brouillon v2",
        "Pas encore approuvée",
    ):
        assert text in html
    assert "Déconnexion" in html

    version = client.get(
        concept.versions.get(number=1).get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr"
    )
    html = version.content.decode()
    for text in ("Écouter", "Groupes-cibles", "Mise en œuvre", "Maturité", "Figée"):
        assert text in html
    assert "Listen" not in html

    create = client.get(reverse("strategy:concept_create"), HTTP_ACCEPT_LANGUAGE="fr")
    html = create.content.decode()
    for text in ("Créer le concept", "Titre", "Langue", "Équipe"):
        assert text in html


def test_language_choice_switches_the_interface(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert (
        "Log in"
        in client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    )
    client.post(reverse("set_language"), {"language": "fr", "next": "/login/"})
    assert (
        "Connexion"
        in client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_messages_from_code_are_translated():
    with translation.override("fr"):
        assert translation.gettext("Only the working draft can be frozen.") == (
            "Seul le brouillon de travail peut être figé."
        )
        assert translation.ngettext(
            "Froze %(count)d draft; a new draft was opened from it.",
            "Froze %(count)d drafts; a new draft was opened from each.",
            2,
        ).startswith("%(count)d brouillons figés")


# Templates -------------------------------------------------------------------

_TEMPLATE_CODE = [
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
    # Blocks that fill the <head> or an attribute of the admin's base template.
    re.compile(
        r"{%\s*block\s+(bodyclass|extrahead|extrastyle)\s*%}.*?{%\s*endblock", re.S
    ),
    re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"{{.*?}}", re.S),
]
_VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "label"}
# Words that read the same in every language of the interface.
_UNIVERSAL = {"JSON"}


class _VisibleText(HTMLParser):
    """Collects the words a reader sees (text and labelling attributes)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            visible = name in _VISIBLE_ATTRIBUTES or (
                tag == "input"
                and name == "value"
                and dict(attrs).get("type") in ("submit", "button")
            )
            if visible and value:
                self._collect(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self._collect(data)

    def _collect(self, text):
        self.words += [
            word for word in re.findall(r"[A-Za-z]{2,}", text) if word not in _UNIVERSAL
        ]


@pytest.mark.parametrize(
    "template",
    sorted((ROOT / "templates").rglob("*.html")),
    ids=lambda path: str(path.relative_to(ROOT / "templates")),
)
def test_templates_show_no_text_outside_translation_tags(template):
    source = template.read_text(encoding="utf-8")
    for pattern in _TEMPLATE_CODE:
        source = pattern.sub(" ", source)
    parser = _VisibleText()
    parser.feed(source)
    parser.close()
    assert parser.words == [], "mark these words with {% translate %}"
