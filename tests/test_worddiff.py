"""Two texts compared word by word: both texts rebuilt, changes minimal."""

import pytest

from strategy.worddiff import DELETE, EQUAL, INSERT, WordOp, word_diff

from .factories import long_text, sides


def test_word_diff_marks_insertions_and_deletions():
    ops = word_diff("L'hôpital recrute et veut dialoguer.", "L'hôpital engage et veut")
    assert ops == [
        WordOp(EQUAL, "L'hôpital "),
        WordOp(DELETE, "recrute"),
        WordOp(INSERT, "engage"),
        WordOp(EQUAL, " et veut"),
        WordOp(DELETE, " dialoguer."),
    ]


def test_word_diff_joins_changes_apart_only_by_spaces():
    assert word_diff("Dr Marc Favre", "Dre Anne Rochat") == [
        WordOp(DELETE, "Dr Marc Favre"),
        WordOp(INSERT, "Dre Anne Rochat"),
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("", "Nouveau texte."),
        ("Dr Marc Favre", "Dre Anne Favre"),
        ("Ancien texte.", ""),
        ("Un.\n\nDeux. Trois!", "Un.\n\nDeux et demi. Trois!\n- quatre"),
        ("même", "même"),
    ],
)
def test_word_diff_rebuilds_both_texts(old, new):
    assert sides(word_diff(old, new)) == (old, new)


def test_word_diff_of_two_long_texts_is_minimal():
    old = long_text(20_000)
    words = old.split(" ")
    for index in (10, 7_000, 15_000):
        words[index] = "CHANGÉ"
    new = " ".join(words)
    ops = word_diff(old, new)
    assert sides(ops) == (old, new)
    assert [op.text for op in ops if op.op == INSERT] == ["CHANGÉ"] * 3
