"""Benchmark comparing two versions of a large concept, and the comparison page.

Run from the project root: ``.venv/bin/python bench/compare.py``. It works in a
temporary SQLite database, never in ``db.sqlite3``. The large concept is frozen,
then its draft changes: a sentence in a 20,000-word text, 50 objectives, a
removed pillar.
Reading both versions (``read_content`` twice) is the floor any comparison pays;
the ratio says what the diffing adds on top. The last line is
``compare_overhead_ratio=R compare_page_seconds=S``.
"""

import tempfile
from pathlib import Path

from common import best_of, large_concept, set_up_django

RUNS = 5


def main(workdir: Path) -> None:
    set_up_django(workdir)

    from django.test import Client
    from django.urls import reverse

    from strategy import versioning
    from strategy.comparison import compare_versions
    from strategy.comparison_text import format_text
    from strategy.content import read_content
    from strategy.models import Objective

    concept, owner = large_concept()
    draft = concept.draft
    draft.context = " ".join(f"Phrase {i} du contexte." for i in range(5_000))
    draft.save()
    versioning.freeze(draft, by=owner, note="v1")
    old, draft = concept.versions.order_by("number")
    draft.context = draft.context.replace("Phrase 2500 ", "Phrase deux mille ", 1)
    draft.save()
    Objective.objects.filter(version=draft, position__lt=50).update(kpi="Portée")
    draft.pillars.first().delete()
    rows = sum(len(rows) for rows in read_content(draft).lists.values())
    print(f"large concept: {rows} rows, {len(draft.context):,} characters of context")

    def floor():
        read_content(old)
        read_content(draft)

    def compare():
        format_text(compare_versions(old, draft))

    compare()  # warm up both sides alike
    floor_time, compare_time = best_of(RUNS, floor), best_of(RUNS, compare)
    ratio = compare_time / floor_time
    print(f"read both versions: {floor_time * 1000:.1f} ms (best of {RUNS})")
    print(f"compare and format: {compare_time * 1000:.1f} ms (best of {RUNS})")

    client = Client(HTTP_HOST="localhost")
    client.force_login(owner)
    url = reverse("strategy:compare", args=[concept.pk]) + "?a=1&b=2"
    assert client.get(url).status_code == 200
    page = best_of(RUNS, lambda: client.get(url))
    print(f"comparison page: {page * 1000:.1f} ms (best of {RUNS})")
    print(f"compare_overhead_ratio={ratio:.2f} compare_page_seconds={page:.3f}")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as directory:
        main(Path(directory))
