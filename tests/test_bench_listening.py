"""`bench/listening.py` runs and reports a bounded peak memory (a small export)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_listening_bench_reports_speed_and_bounded_memory():
    done = subprocess.run(
        [sys.executable, "bench/listening.py", "--rows", "3000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = re.search(
        r"^rows_per_second=(\d+) peak_mb=(\d+)$", done.stdout, re.MULTILINE
    )
    assert found, done.stdout
    assert int(found[1]) > 0
    assert int(found[2]) < 300
    assert "rows=3000 " in done.stdout
    assert re.search(r"ratio=\d+(\.\d+)? ", done.stdout), done.stdout
    assert re.search(r"analysis_mb=-?\d+ ", done.stdout), done.stdout
