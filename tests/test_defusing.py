"""Markdown that would take Python-Markdown minutes renders in milliseconds, and real
writing renders exactly as before."""

import json
import time

import markdown
import pytest

from strategy import defusing
from strategy.demo import DEMO_FILE
from strategy.limits import MAX_TEXT_LENGTH
from strategy.method import ROW_LISTS, VERSION_FIELDS
from strategy.rendering import render_markdown

from .slow_markdown import CONTEXTS, PATTERNS

EXTENSIONS = ["tables", "sane_lists"]


def seconds_to_render(text):
    start = time.perf_counter()
    render_markdown(text)
    return time.perf_counter() - start


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("pattern", PATTERNS)
def test_each_known_slow_pattern_renders_at_the_limit_in_well_under_a_second(
    pattern, context
):
    text = CONTEXTS[context](PATTERNS[pattern](MAX_TEXT_LENGTH))
    # Before: seconds to minutes each (329 s for the first at 199 KB); now tens of
    # milliseconds. The bound leaves room for a slow, busy machine.
    assert seconds_to_render(text) < 1.0


def test_the_reported_texts_render_quickly_even_beyond_the_limit():
    for text in ("a\n=\n" * 49750, "<http://" * 24875):
        assert seconds_to_render(text) < 5.0


def test_a_defused_text_shows_the_characters_as_typed():
    html = render_markdown("[" * 5000 + " et <a " * 2000)
    assert "[" * 5000 in html
    assert "&lt;a" in html
    placeholders = {stand_in for stand_in, _ in defusing.PLACEHOLDERS.values()}
    assert not set(html) & {*placeholders, defusing.PLAIN_LINE}


def test_deep_nesting_renders_instead_of_exhausting_the_stack():
    html = render_markdown("- " * 10_000 + "fin")
    assert "fin" in html


def test_placeholder_characters_typed_by_a_user_stay_harmless():
    html = render_markdown("a \ue000 b \ue001 c \ue002 d \ue006 e \ue007")
    assert html == "<p>a \ufffd b \ufffd c \ufffd d \ufffd e \ufffd</p>"


def writing():
    """Texts as teams write them: the demo concept's, and Markdown of every kind."""
    versions = json.loads(DEMO_FILE.read_text(encoding="utf-8"))["versions"]
    for version in versions:
        for name in VERSION_FIELDS:
            if isinstance(version.get(name), str):
                yield version[name]
        for row_list in ROW_LISTS:
            for row in version.get(row_list.name, []):
                yield from (value for value in row.values() if isinstance(value, str))
    yield from SAMPLES


SAMPLES = [
    "# Ziele 2027\n\nWir wollen **mehr Dialog** mit unseren Zielgruppen.\n\n"
    "## Massnahmen\n\n- LinkedIn: 3 Beiträge pro Woche\n- Instagram: Stories\n"
    "    - mit Mitarbeitenden\n    - aus dem Spital\n\n1. Zuhören\n2. Definieren\n",
    "Obiettivo\n=========\n\nSottotitolo\n-----------\n\n"
    "Testo *corsivo* e __grassetto__.",
    "| Canal | Mentions | Ton |\n|---|---:|---|\n| LinkedIn | 120 | positif |\n"
    "| Facebook | 80 | *mitigé* |",
    "Canal | Mentions\n--- | ---\nX | `42`\nYouTube | 7",
    "> Les collaborateurs sont nos meilleurs ambassadeurs.\n> — La direction\n\n"
    "Suite du texte.",
    'Voir [notre charte](https://example.ch/charte "Charte") et <https://example.ch>, '
    "ou écrire à <info@example.ch>. ![logo](https://example.ch/logo.png)",
    "Références : [rapport][r1], [étude][].\n\n[r1]: https://example.ch/r1\n"
    "[étude]: https://example.ch/etude",
    "Code : `a < b` et `` `x` ``, HTML <b>gras</b><br>ligne, 3 < 5 > 2 & co.",
    "Préparation\n\n---\n\n* * *\n\nFin. Ligne avec deux espaces  \nsuite.",
    "#Recrutement #Santé\n\nHashtags en début de ligne.",
    "- [ ] tâche ouverte\n- [x] tâche faite\n- lien [ici](https://example.ch/a_(b))",
    "1) premier\n2) second\n\n3. troisième\n\n    code indenté\n\n"
    "Texte\tavec tabulation.",
    "Text mit [Link in eckigen Klammern] und (Klammern) und [unvollständig.",
    "\n".join(f"- [Source {i}](https://example.ch/s/{i}) — *{i}*" for i in range(120)),
    "\n".join(f"# Titre {i}\nTexte {i}.\n" for i in range(30)),
    " ".join(f"**Point {i}** avec [lien](https://x.ch/{i})" for i in range(80)),
]


def test_real_writing_renders_exactly_as_without_defusing():
    changed = [
        text
        for text in writing()
        if defusing.restore(
            markdown.markdown(defusing.defuse(text), extensions=EXTENSIONS)
        )
        != markdown.markdown(text, extensions=EXTENSIONS)
    ]
    assert changed == []
