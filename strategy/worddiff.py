"""Two texts compared word by word: what was kept, added and taken out."""

import difflib
import re
from dataclasses import dataclass
from typing import Literal

EQUAL: Literal["equal"] = "equal"
INSERT: Literal["insert"] = "insert"
DELETE: Literal["delete"] = "delete"


@dataclass(frozen=True, slots=True)
class WordOp:
    """A run of text that is kept (equal), added (insert) or taken out (delete)."""

    op: Literal["equal", "insert", "delete"]
    text: str


# Sentences (or lines) with the spaces after them; then words, spaces, and single
# punctuation marks. Both split a text into pieces that join back to it exactly.
_SENTENCES = re.compile(r"[^\n.!?]*(?:[.!?]+|\n)\s*|[^\n.!?]+$")
_WORDS = re.compile(r"\w+|\s+|[^\w\s]")
# Above this many pairs of word tokens, difflib's exhaustive matching gets slow; the
# automatic junk heuristic keeps such rare, very large rewrites fast instead.
_EXHAUSTIVE_LIMIT = 250_000


def word_diff(old: str, new: str) -> list[WordOp]:
    """The word-level difference from ``old`` to ``new``.

    Joining the texts of the "equal" and "delete" operations gives ``old`` back, of
    "equal" and "insert" gives ``new``; a replaced word is a deletion then an
    insertion. Long texts are first matched sentence by sentence and only the
    sentences that differ are compared word by word, which keeps two long texts
    with a few changes fast.
    """
    if old == new:
        return [WordOp(EQUAL, old)] if old else []
    ops: list[WordOp] = []
    old_sentences, new_sentences = _SENTENCES.findall(old), _SENTENCES.findall(new)
    matcher = difflib.SequenceMatcher(
        None, old_sentences, new_sentences, autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part = "".join(old_sentences[i1:i2])
        new_part = "".join(new_sentences[j1:j2])
        if tag == "equal":
            ops.append(WordOp(EQUAL, old_part))
        elif tag == "replace":
            ops.extend(_word_ops(old_part, new_part))
        else:
            ops.append(
                WordOp(DELETE if tag == "delete" else INSERT, old_part or new_part)
            )
    return _joined_changes(merged(ops))


def _word_ops(old: str, new: str) -> list[WordOp]:
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(
        None,
        old_words,
        new_words,
        autojunk=len(old_words) * len(new_words) > _EXHAUSTIVE_LIMIT,
    )
    ops = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(WordOp(EQUAL, "".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            ops.append(WordOp(DELETE, "".join(old_words[i1:i2])))
        if j2 > j1:
            ops.append(WordOp(INSERT, "".join(new_words[j1:j2])))
    return ops


def _joined_changes(ops: list[WordOp]) -> list[WordOp]:
    """Changes apart only by spaces as one change: "[-Dr Marc-]{+Dre Anne+}"."""
    joined: list[WordOp] = []
    region: list[WordOp] = []  # changes, and the spaces between them
    space: WordOp | None = None  # spaces after the region, if a change follows

    def flush() -> None:
        old = "".join(op.text for op in region if op.op != INSERT)
        new = "".join(op.text for op in region if op.op != DELETE)
        spaced = any(op.op == EQUAL for op in region)
        if spaced and not old.isspace() and not new.isspace():
            joined.extend([WordOp(DELETE, old), WordOp(INSERT, new)])
        else:
            joined.extend(region)
        region.clear()

    for op in ops:
        if op.op != EQUAL:
            if space:
                region.append(space)
                space = None
            region.append(op)
        elif region and space is None and op.text.isspace():
            space = op
        else:
            flush()
            joined.extend([space] if space else [])
            space = None
            joined.append(op)
    flush()
    joined.extend([space] if space else [])
    return merged(joined)


def merged(ops: list[WordOp]) -> list[WordOp]:
    """Neighbouring runs of the same kind joined into one; empty runs dropped."""
    merged: list[WordOp] = []
    for op in ops:
        if not op.text:
            continue
        if merged and merged[-1].op == op.op:
            merged[-1] = WordOp(op.op, merged[-1].text + op.text)
        else:
            merged.append(op)
    return merged
