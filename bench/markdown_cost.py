"""Benchmark Markdown rendering: the known slow patterns against real writing.

Run from the project root: ``.venv/bin/python bench/markdown_cost.py``. Each pattern of
``tests/slow_markdown.py`` is rendered at the longest text a field holds, through the
app's one renderer, and compared with real writing of the same length (the demo
concept's context, repeated). The last line is
``markdown_worst_ratio=R markdown_worst_ms=M``: the slowest pattern over real writing.
"""

import json
import os
import sys

from common import ROOT, best_of

RUNS = 3


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy.settings")
    import django

    django.setup()

    from strategy.demo import DEMO_FILE
    from strategy.limits import MAX_TEXT_LENGTH
    from strategy.rendering import render_markdown
    from tests.slow_markdown import CONTEXTS, PATTERNS

    context = json.loads(DEMO_FILE.read_text(encoding="utf-8"))["versions"][-1]
    writing = (context["context"] + "\n\n") * (
        MAX_TEXT_LENGTH // len(context["context"]) + 1
    )
    writing = writing[:MAX_TEXT_LENGTH]
    baseline = best_of(RUNS, lambda: render_markdown(writing))
    print(f"real writing, {len(writing)} characters: {baseline * 1000:.1f} ms")
    worst = (0.0, "")
    for pattern, build in PATTERNS.items():
        for where, wrap in CONTEXTS.items():
            text = wrap(build(MAX_TEXT_LENGTH))
            seconds = best_of(RUNS, lambda text=text: render_markdown(text))
            print(f"{pattern}, {where}: {seconds * 1000:.1f} ms")
            worst = max(worst, (seconds, f"{pattern}, {where}"))
    print(f"slowest: {worst[1]}")
    print(
        f"markdown_worst_ratio={worst[0] / baseline:.1f} "
        f"markdown_worst_ms={worst[0] * 1000:.0f}"
    )


if __name__ == "__main__":
    main()
