"""Benchmark the PDF of a large concept: our rendering against raw WeasyPrint.

Run from the project root: ``.venv/bin/python bench/pdf.py``. It works in a
temporary SQLite database and a temporary media folder, never in ``db.sqlite3``.
Ours is ``document.render_pdf``, reading the version from the database and building
the HTML; raw is WeasyPrint alone on the very same HTML with the very same options.
The last line is ``pdf_overhead_ratio=R cached_speedup=S``.
"""

import statistics
import tempfile
from pathlib import Path

from common import large_concept, set_up_django, timed

RUNS = 3
CACHED_RUNS = 5


def main(workdir: Path) -> None:
    set_up_django(workdir)

    from weasyprint import HTML

    from strategy import document, renders
    from strategy.fetcher import STATIC_BASE_URL, fetch_static_only
    from strategy.models import ConceptVersion

    concept, _owner = large_concept()
    draft_pk = concept.draft.pk

    def version():
        return ConceptVersion.objects.get(pk=draft_pk)

    # One untimed run of ours, to learn the options it hands to WeasyPrint and to
    # warm up fonts and caches for both sides alike.
    options = {}
    write_pdf = HTML.write_pdf

    def spy(self, *args, **kwargs):
        options.update(kwargs, args=args)
        return write_pdf(self, *args, **kwargs)

    HTML.write_pdf = spy
    try:
        pdf = document.render_pdf(version())
    finally:
        HTML.write_pdf = write_pdf
    args = options.pop("args")
    html = document.render_html(version())
    print(f"large concept: {len(html):,} characters of HTML, {len(pdf):,} bytes of PDF")
    print(f"options: {options}")

    def ours():
        document.render_pdf(version())

    def raw():
        HTML(
            string=html, base_url=STATIC_BASE_URL, url_fetcher=fetch_static_only
        ).write_pdf(*args, **options)

    ours_times, raw_times = [], []
    for _ in range(RUNS):  # interleaved, so that drift hits both sides alike
        ours_times.append(timed(ours))
        raw_times.append(timed(raw))
    ours_time, raw_time = min(ours_times), min(raw_times)
    ratio = ours_time / raw_time
    print(f"ours: {ours_time:.3f} s (best of {RUNS})")
    print(f"raw WeasyPrint: {raw_time:.3f} s (best of {RUNS})")
    print(f"overhead ratio: {ratio:.3f}")

    first = timed(lambda: renders.stored(version()))
    repeats = [timed(lambda: renders.stored(version())) for _ in range(CACHED_RUNS)]
    cached = statistics.median(repeats)
    speedup = first / cached
    print(f"renders.stored, first call (render and store): {first:.3f} s")
    print(f"renders.stored, repeat call (storage): {cached * 1000:.1f} ms (median)")
    print(f"cached speed-up: {speedup:.1f}")
    print(f"pdf_overhead_ratio={ratio:.2f} cached_speedup={speedup:.1f}")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as directory:
        main(Path(directory))
