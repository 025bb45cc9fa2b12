"""Benchmark the analysis of a large listening export: speed and peak memory.

Run from the project root: ``.venv/bin/python bench/listening.py [--rows N]``
(200,000 rows by default, a Brandwatch export of about 100 MB). In a temporary
folder, a fresh process writes the export (``write_brandwatch`` of
``tests/fixtures/listening/make_samples.py``); another fresh process analyses it
as the background task does one file (``reading.open_export``, then
``analysis.analyse``), so that its peak resident memory is the analysis's alone.
Two more fresh processes measure for comparison: ``csv.reader`` merely reading the
same file's lines, and Django set up with the listening modules imported but
nothing analysed. The first line printed is ``rows_per_second=N peak_mb=M``
(``M``: the peak resident memory of the analysing process); the lines after it are
context, the ratio among them measured in the same run.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = 200_000
MB = 1024 * 1024


def peak_mb() -> float:
    """The peak resident memory of this process (``ru_maxrss``: KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def set_up_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy.settings")
    import django

    django.setup()


# The measurements, each in a process of its own ---------------------------------


def write(path: Path, rows: int) -> dict:
    sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "listening"))
    from make_samples import write_brandwatch

    start = time.perf_counter()
    write_brandwatch(path, rows)
    return {"seconds": time.perf_counter() - start}


def analyse(path: Path) -> dict:
    set_up_django()
    from strategy.listening import analysis, reading

    start = time.perf_counter()
    with open(path, "rb") as f:
        export = reading.open_export(path.name, f, size=os.path.getsize(path))
        source = analysis.analyse(export, report=lambda fraction: None)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "rows": source["rows"],
        "peak_mb": peak_mb(),
    }


def read_csv(path: Path) -> dict:
    import csv

    start = time.perf_counter()
    lines = 0
    with open(path, encoding="utf-8-sig", newline="") as f:
        for _ in csv.reader(f):
            lines += 1
    return {
        "seconds": time.perf_counter() - start,
        "lines": lines,
        "peak_mb": peak_mb(),
    }


def baseline() -> dict:
    set_up_django()
    from strategy.listening import analysis, reading  # noqa: F401

    return {"peak_mb": peak_mb()}


MEASURES = {
    "write": lambda path, rows: write(path, rows),
    "analyse": lambda path, rows: analyse(path),
    "csv": lambda path, rows: read_csv(path),
    "baseline": lambda path, rows: baseline(),
}


def in_fresh_process(measure: str, path: Path, rows: int) -> dict:
    """Run ``measure`` in a new Python process and return what it printed (JSON).

    The parent imports neither Django nor the sample writer: on Linux, a child's
    ``ru_maxrss`` counts the memory of the process it was forked from, so the
    parent stays small.
    """
    done = subprocess.run(
        [sys.executable, __file__, "--measure", measure, "--rows", str(rows), path],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"{measure} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS, help=f"default {ROWS}")
    parser.add_argument("--measure", choices=MEASURES, help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.measure:
        print(json.dumps(MEASURES[arguments.measure](arguments.path, arguments.rows)))
        return

    with tempfile.TemporaryDirectory(prefix="bench-listening-") as folder:
        path = Path(folder) / "brandwatch.csv"
        written = in_fresh_process("write", path, arguments.rows)
        size_mb = path.stat().st_size / MB
        base = in_fresh_process("baseline", path, arguments.rows)
        analysed = in_fresh_process("analyse", path, arguments.rows)
        read = in_fresh_process("csv", path, arguments.rows)

    if analysed["rows"] != arguments.rows:
        sys.exit(f"analysed {analysed['rows']} rows of {arguments.rows}")
    seconds = analysed["seconds"]
    print(
        f"rows_per_second={arguments.rows / seconds:.0f} "
        f"peak_mb={analysed['peak_mb']:.0f}"
    )
    print(
        f"file_mb={size_mb:.1f} rows={arguments.rows} seconds={seconds:.2f} "
        f"(written in {written['seconds']:.1f} s)"
    )
    print(
        f"csv_reader_seconds={read['seconds']:.2f} "
        f"ratio={seconds / read['seconds']:.1f} "
        f"(analysis over csv.reader reading the same {read['lines']} lines)"
    )
    print(
        f"baseline_mb={base['peak_mb']:.0f} "
        f"analysis_mb={round(analysed['peak_mb'] - base['peak_mb'])} "
        f"(Django set up, the listening modules imported; what the analysis adds)"
    )
    print(f"csv_reader_peak_mb={read['peak_mb']:.0f}")


if __name__ == "__main__":
    main()
