"""Load test: Locust's editors, reviewers and readers against ``manage.py serve``.

Run from the project root, with the bench extra installed (``make load`` installs
``requirements/bench.lock`` and runs both databases)::

    .venv/bin/python bench/load.py --database postgres --users 20
    .venv/bin/python bench/load.py --database sqlite --find-max

It works in a temporary folder: a throw-away PostgreSQL cluster
(``tests/with_postgres.cluster``) or a new SQLite file, media and static folders,
logs. It migrates, loads the demo, and makes the load's teams, accounts and
concepts: demo-sized concepts for the editors (each editor has its own step of a
concept), the tests' large concept with two frozen versions for the reviewers. It
starts ``manage.py serve`` (gunicorn with its default workers and one task worker,
``BACKGROUND_WORKER=1``, DEBUG off, plain HTTP on a free loopback port), waits until
the worker has made the PDF of every frozen version, then runs
``bench/locustfile.py`` headless for each number of users: a ramp-up, a warm-up,
then ``--duration`` seconds measured. Before each run it waits until the worker's
queue is empty and until other processes use less than a quarter of a core; a run
they disturbed all the same is repeated once. After each run, and again after the
server has stopped, it checks that every save the server acknowledged (a redirect
after the POST) is in the database.

Each run prints ``users=N p95_ms=P errors=E lost=L``: P the 95th percentile of all
requests in the measured window, E the failed requests of the whole run (ramp-up
included), L the acknowledged saves missing from the database. More figures follow:
requests per second, saves, conflicts, PDFs still being made, answers 5xx and
tracebacks in the server's log, the worker's queue, the CPU of the server, the
database, Locust itself and of other processes (a machine shared with someone else
shows there), and p50/p95 per request type. ``--find-max`` steps the users up
(``--steps``) until a run fails p95 < 500 ms, 0 errors, 0 lost, then halves the gap
between the last run passed and the first failed down to 5 users, and prints
``max_users=N database=D``. ``--keep`` keeps the temporary folder (logs, CSVs).
"""

import argparse
import contextlib
import io
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
P95_LIMIT_MS = 500
STEPS = [10, 20, 40, 60, 80, 100, 120, 150]
EDITED = {
    "basics": "authors",
    "listen": "listening_summary",
    "content": "dialogue_feedback",
    "resources": "training",
    "integration": "integration_communication",
    "implementation": "who_answers",
}
"""The step each editor edits, and the text field its saves change."""
TOKEN = re.compile(r"lt-(\d+)-(\d+)-(\d+)-[0-9a-f]+")
CONCEPTS_PER_TEAM = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The data -------------------------------------------------------------------------


def set_up_django(env: dict) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "strategy.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_data(editor_concepts: int) -> tuple[dict, list]:
    """The load's teams, accounts and concepts; the plan for the locustfile, and the
    frozen versions whose PDFs the worker is to make."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections

    from strategy import renders, versioning
    from strategy.demo import DEMO_TEAM_SLUG
    from strategy.models import DocumentKind, Membership, Objective, Role, Team
    from tests.factories import make_demo_concept, make_large_concept, make_team

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    users = get_user_model().objects

    def account(username: str) -> dict:
        password = secrets.token_urlsafe(12)
        users.create_user(username=username, password=password)
        return {"username": username, "password": password}

    reviewers = [account(f"relecteur{i}") for i in range(1, 4)]
    readers = [account(f"lecteur{i}") for i in range(1, 3)]
    teams, concepts = [], []
    for number in range(1, math.ceil(editor_concepts / CONCEPTS_PER_TEAM) + 1):
        editor = account(f"editeur{number}")
        user = users.get(username=editor["username"])
        team = make_team(
            f"Équipe de charge {number}",
            slug=f"charge-{number}",
            members=[(user, Role.EDITOR)],
        )
        teams.append(team)
        for _ in range(CONCEPTS_PER_TEAM):
            if len(concepts) < editor_concepts:
                concepts.append((make_demo_concept(team, by=user), editor))
    owner = users.create_user(username="proprietaire")
    large_team = make_team(
        "Grand concept", slug="grand-concept", members=[(owner, Role.OWNER)]
    )
    large = make_large_concept(large_team, by=owner)
    versioning.freeze(large.draft, by=owner, note="Première version")
    draft = large.draft
    draft.context = draft.context.replace("Contexte 3.", "Contexte trois.", 1)
    draft.save()
    Objective.objects.filter(version=draft, position__lt=25).update(kpi="Portée")
    draft.pillars.order_by("position").first().delete()
    versioning.freeze(draft, by=owner, note="Deuxième version")
    demo_team = Team.objects.get(slug=DEMO_TEAM_SLUG)
    for team in [*teams, large_team, demo_team]:
        for people, role in ((reviewers, Role.REVIEWER), (readers, Role.VIEWER)):
            for person in people:
                user = users.get(username=person["username"])
                Membership.objects.create(team=team, user=user, role=role)

    slots = []
    steps = list(EDITED)
    for index in range(len(concepts) * len(steps)):
        concept, editor = concepts[index % len(concepts)]
        step = steps[index // len(concepts)]
        slots.append(
            {
                "id": index,
                "concept": concept.pk,
                "number": concept.draft.number,
                "step": step,
                "field": EDITED[step],
                "account": editor,
            }
        )
    review, pdfs, frozen = [], [], []
    for concept in [c for c, _editor in concepts] + [large, *demo_team.concepts.all()]:
        versions = list(concept.versions.order_by("number"))
        numbers = [version.number for version in versions]
        is_large = concept.pk == large.pk
        review.append(
            {
                "id": concept.pk,
                "large": is_large,
                "versions": numbers,
                "pairs": [[a, b] for a in numbers for b in numbers if a < b],
            }
        )
        for version in versions:
            if version.is_frozen:
                frozen.append(version)
                pdfs.append(
                    {
                        "url": f"/concepts/{concept.pk}/versions/{version.number}"
                        "/document.pdf",
                        "large": is_large,
                    }
                )
                renders.request(version, DocumentKind.PDF)
    connections.close_all()
    plan = {
        "slots": slots,
        "steps": [step for step in steps],
        "reviewers": reviewers,
        "readers": readers,
        "review": review,
        "pdfs": pdfs,
    }
    return plan, frozen


def wait_for_pdfs(frozen: list, timeout: float) -> None:
    """Until the worker has stored the PDF of every frozen version."""
    from django.core.files.storage import default_storage
    from django.db import connections

    from strategy import renders
    from strategy.models import DocumentKind, Render, State

    names = [renders.stored_name(version, DocumentKind.PDF) for version in frozen]
    start = time.monotonic()
    while True:
        missing = [name for name in names if not default_storage.exists(name)]
        failed = Render.objects.filter(name__in=missing, state=State.FAILED).count()
        connections.close_all()
        if failed:
            raise SystemExit(f"The worker failed to make {failed} PDFs: see the log.")
        if not missing:
            print(
                f"worker made {len(names)} PDFs of frozen versions in "
                f"{time.monotonic() - start:.0f} s",
                flush=True,
            )
            return
        if time.monotonic() - start > timeout:
            raise SystemExit(f"{len(missing)} PDFs still missing after {timeout} s.")
        time.sleep(2)


def worker_queue() -> int:
    """The background tasks waiting or running."""
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    count = (DBTaskResult.objects.ready() | DBTaskResult.objects.running()).count()
    waiting = DBTaskResult.objects.filter(status="READY").count()
    connections.close_all()
    return max(count, waiting)


def wait_for_idle_worker(timeout: float) -> float:
    """Until the worker's queue is empty (drafts' documents made after saves)."""
    start = time.monotonic()
    while worker_queue() and time.monotonic() - start < timeout:
        time.sleep(2)
    return time.monotonic() - start


def lost_saves(plan: dict, acknowledged: dict) -> list[str]:
    """The acknowledged saves the database does not have, neither themselves nor a
    later save of the same editor."""
    from django.db import connections

    from strategy.models import ConceptVersion

    slots = {str(slot["id"]): slot for slot in plan["slots"]}
    lost = []
    for key, (run, sequence, token) in sorted(acknowledged.items()):
        slot = slots[key]
        stored = getattr(
            ConceptVersion.objects.get(
                concept_id=slot["concept"], number=slot["number"]
            ),
            slot["field"],
        )
        found = TOKEN.search(stored or "")
        if not (
            found
            and found[2] == key
            and (int(found[1]), int(found[3])) >= (int(run), sequence)
        ):
            lost.append(f"{slot['step']} of concept {slot['concept']}: {token}")
    connections.close_all()
    return lost


# The server -------------------------------------------------------------------------


LOG_CONFIG = {
    # Django logs a request's traceback on its "django.request" logger, whose own
    # handlers print only with DEBUG on: a handler on the root logger shows them.
    "root": {"level": "WARNING", "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {
            "level": "INFO",
            "handlers": ["error_console"],
            "propagate": False,
            "qualname": "gunicorn.error",
        },
        "gunicorn.access": {
            "level": "INFO",
            "handlers": ["console"],
            "propagate": False,
            "qualname": "gunicorn.access",
        },
    },
}


def start_server(env: dict, log: Path) -> subprocess.Popen:
    with log.open("ab") as output:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "serve"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://{env['BIND']}/login/"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"manage.py serve stopped: see {log}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url, timeout=5) as response,
        ):
            if response.status == 200:
                return server
        time.sleep(1)
    stop_server(server)
    raise SystemExit(f"The server did not answer within 300 s: see {log}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# CPU ----------------------------------------------------------------------------------


def tree_seconds(root: psutil.Process | None) -> float:
    """CPU seconds of a process and its descendants, the reaped ones included."""
    if root is None:
        return 0.0
    total = 0.0
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            total += (
                times.user + times.system + times.children_user + times.children_system
            )
    return total


def postmaster(port: int | None) -> psutil.Process | None:
    if port is None:
        return None
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or ())
        if process.info["name"] == "postgres" and f"-p {port} " in cmdline:
            return process
    return None


QUIET = 25
"""Other processes using more than this (% of one core) disturb a run."""


class CpuMeter:
    """Where the machine's CPU went during a run, in % of one core."""

    def __init__(self, groups: dict):
        self.groups = groups

    def sample(self) -> dict:
        system = psutil.cpu_times()
        sample = {
            "busy": sum(system) - system.idle - getattr(system, "iowait", 0),
            "steal": getattr(system, "steal", 0.0),
            "at": time.monotonic(),
        }
        for name, process in self.groups.items():
            sample[name] = tree_seconds(process)
        return sample

    def start(self) -> None:
        self.first = self.sample()

    def stop(self) -> dict:
        last = self.sample()
        seconds = last["at"] - self.first["at"]
        used = {
            name: 100 * (last[name] - self.first[name]) / seconds
            for name in [*self.groups, "busy", "steal"]
        }
        ours = sum(used[name] for name in self.groups)
        used["other"] = max(0.0, used["busy"] - used["steal"] - ours)
        return used


def wait_for_quiet(groups: dict, timeout: float) -> tuple[float, float]:
    """Until processes other than ours use less than ``QUIET`` % of a core over 15 s
    (someone else's tests on a shared machine), or ``timeout`` seconds have passed:
    what they used last, and how long it took."""
    start = time.monotonic()
    while True:
        meter = CpuMeter(groups)
        meter.start()
        time.sleep(15)
        other = meter.stop()["other"]
        waited = time.monotonic() - start
        if other < QUIET or waited > timeout:
            return other, waited


# A run ------------------------------------------------------------------------------


def run_locust(args, users: int, run: int, workdir: Path, host: str, groups: dict):
    ramp = args.ramp
    rate = max(1.0, math.ceil(users / ramp))
    seconds = math.ceil(users / rate) + args.warmup + args.duration
    results = workdir / f"results-{run}.json"
    env = {
        **os.environ,
        "LOAD_PLAN": str(workdir / "plan.json"),
        "LOAD_RESULTS": str(results),
        "LOAD_RUN": str(run),
        "LOAD_WARMUP": str(args.warmup),
    }
    command = [
        str(BIN / "locust"),
        *("-f", str(ROOT / "bench" / "locustfile.py")),
        "--headless",
        *("-u", str(users), "-r", str(rate), "-t", f"{seconds}s"),
        *("--host", host, "--stop-timeout", "10"),
        *("--csv", str(workdir / f"locust-{run}-{users}")),
    ]
    with (workdir / f"locust-{run}-{users}.log").open("wb") as log:
        locust = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        meter = CpuMeter({**groups, "locust": psutil.Process(locust.pid)})
        # The CPU of the measured window: from the end of the warm-up on.
        time.sleep(seconds - args.duration)
        meter.start()
        time.sleep(args.duration)
        cpu = meter.stop()
        locust.wait()
    log_text = (workdir / f"locust-{run}-{users}.log").read_text(errors="replace")
    if not results.exists():
        raise SystemExit(f"Locust wrote no results: see {log.name}\n{log_text[-3000:]}")
    figures = json.loads(results.read_text())
    figures["cpu"] = cpu
    figures["locust_cpu_warnings"] = log_text.count("CPU usage above")
    return figures


def tracebacks(log: str) -> dict[str, int]:
    """Each distinct traceback in a log (with the line before it), and how often."""
    lines = log.splitlines()
    found = {}
    for index, line in enumerate(lines):
        if not line.startswith("Traceback (most recent call last)"):
            continue
        end = index + 1
        while end < len(lines) and lines[end][:1].isspace():
            end += 1
        text = "\n".join(lines[max(0, index - 1) : end + 1])
        found[text] = found.get(text, 0) + 1
    return found


def server_log_since(log: Path, offset: int) -> tuple[str, int]:
    with log.open("rb") as file:
        file.seek(offset)
        text = file.read().decode(errors="replace")
    return text, offset + len(text.encode())


def report(users: int, figures: dict, lost: list, server_log: str, queue: int) -> bool:
    total = figures["total"]
    counts = figures["counts"]
    p95 = total.get("p95_ms", 0)
    errors = counts.get("errors", 0)
    print(f"users={users} p95_ms={p95:.0f} errors={errors} lost={len(lost)}")
    fives = len(re.findall(r'" 5\d\d ', server_log))
    tracebacks = server_log.count("Traceback (most recent call last)")
    locked = server_log.count("database is locked")
    cpu = figures["cpu"]
    print(
        f"  rps={total.get('rps', 0):.1f} p50_ms={total.get('p50_ms', 0):.0f} "
        f"p99_ms={total.get('p99_ms', 0):.0f} requests={total.get('requests', 0)} "
        f"saves={counts.get('saves acknowledged', 0)} "
        f"conflicts={counts.get('conflicts', 0)} "
        f"pdf_pending={counts.get('pdf pending', 0)} "
        f"server_5xx={fives} tracebacks={tracebacks} database_locked={locked} "
        f"worker_queue_at_end={queue}"
    )
    print(
        "  cpu_%_of_one_core: "
        + " ".join(f"{name}={value:.0f}" for name, value in cpu.items())
        + f" (of {psutil.cpu_count()}00; locust CPU warnings: "
        f"{figures['locust_cpu_warnings']})"
    )
    for name, entry in figures["requests"].items():
        if entry.get("requests"):
            print(
                f"  {name:32} n={entry['requests']:5} p50_ms={entry['p50_ms']:5.0f} "
                f"p95_ms={entry['p95_ms']:5.0f} max_ms={entry['max_ms']:5} "
                f"failures={entry['failures']}"
            )
    for failure, count in figures["failures"].items():
        print(f"  failure ×{count}: {failure}")
    for save in lost[:10]:
        print(f"  lost: {save}")
    shared = counts.get("editors sharing a slot", 0)
    if shared:
        print(f"  note: {shared} editors shared a step with another editor")
    sys.stdout.flush()
    return p95 < P95_LIMIT_MS and errors == 0 and not lost


# The whole -------------------------------------------------------------------------


@contextlib.contextmanager
def database(kind: str, workdir: Path):
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'load.sqlite3'}", None
        return
    sys.path.insert(0, str(ROOT))
    from tests.with_postgres import cluster

    with cluster() as url:
        yield url, int(url.rsplit(":", 1)[1].split("/")[0])


def main(args) -> int:
    plan_users = args.users or max(args.steps)
    editor_concepts = max(12, math.ceil(plan_users / 2 / len(EDITED)) + 1)
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-load-{args.database}-"))
    try:
        with database(args.database, workdir) as (url, port):
            return measure(args, workdir, url, port, editor_concepts)
    finally:
        if args.keep:
            print(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def measure(args, workdir: Path, url: str, port, editor_concepts: int) -> int:
    bind = f"127.0.0.1:{free_port()}"
    (workdir / "gunicorn-logging.json").write_text(json.dumps(LOG_CONFIG))
    env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "HTTPS": "0",
        "BACKGROUND_WORKER": "1",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "BIND": bind,
        "GUNICORN_CMD_ARGS": f"--log-config-json={workdir / 'gunicorn-logging.json'}",
    }
    set_up_django(env)
    started = time.monotonic()
    plan, frozen = make_data(editor_concepts)
    (workdir / "plan.json").write_text(json.dumps(plan, indent=1))
    from django.conf import settings

    print(
        f"database={args.database} ({settings.DATABASES['default']['ENGINE']}) "
        f"{len(plan['slots'])} editor steps on {editor_concepts} concepts, "
        f"{len(plan['review'])} concepts to review, {len(plan['pdfs'])} PDFs; "
        f"data made in {time.monotonic() - started:.0f} s",
        flush=True,
    )
    server_log = workdir / "server.log"
    server = start_server({**os.environ, **env}, server_log)
    workers = os.environ.get("WEB_WORKERS") or 2 * (os.cpu_count() or 1) + 1
    print(f"serving on http://{bind}: {workers} gunicorn workers, 1 task worker")
    groups = {"db": postmaster(port)}
    for child in psutil.Process(server.pid).children():
        kind = "worker" if "db_worker" in child.cmdline() else "web"
        groups[kind] = child
    latest, passed, disturbed = {}, {}, set()
    try:
        wait_for_pdfs(frozen, timeout=900)
        offset = server_log.stat().st_size
        candidates = [args.users] if args.users else list(args.steps)
        repeated = set()
        run = 0
        while candidates:
            users = candidates.pop(0)
            run += 1
            waited = wait_for_idle_worker(timeout=300)
            if waited > 3:
                print(f"(waited {waited:.0f} s for the worker's queue to empty)")
            other, waited = wait_for_quiet(groups, timeout=args.quiet_timeout)
            if waited > 20:
                print(
                    f"(waited {waited:.0f} s for other processes to calm down: "
                    f"{other:.0f} % of a core)"
                )
            figures = run_locust(args, users, run, workdir, f"http://{bind}", groups)
            latest.update(figures["acknowledged"])
            lost = lost_saves(plan, figures["acknowledged"])
            log_text, offset = server_log_since(server_log, offset)
            ok = report(users, figures, lost, log_text, worker_queue())
            other = figures["cpu"]["other"]
            if other > QUIET:
                print(
                    f"  DISTURBED: other processes used {other:.0f} % of a core "
                    "during the measured window"
                    + ("" if users in repeated else "; repeating once")
                )
                if users not in repeated:
                    repeated.add(users)
                    candidates.insert(0, users)
                    continue
            passed[users] = ok
            if other > QUIET:
                disturbed.add(users)
            if args.users:
                break
            failed = [n for n, good in passed.items() if not good]
            if failed:  # halve the gap below the first failure, to a multiple of 5
                first = min(failed)
                last = max((n for n in passed if n < first), default=0)
                middle = 5 * round((last + first) / 10)
                candidates = [middle] if last < middle < first else []
    finally:
        stop_server(server)
    found = tracebacks(server_log.read_text(errors="replace"))
    if found:
        print(f"{sum(found.values())} traceback(s) in the server's log ({server_log}):")
        for text, count in list(found.items())[:3]:
            print(f"×{count}:\n{text[-4000:]}")
    lost = lost_saves(plan, latest)
    print(
        f"after the server stopped: lost={len(lost)} "
        f"of {len(latest)} editors' last saves"
    )
    if args.find_max or not args.users:
        best = max((n for n, ok in passed.items() if ok), default=0)
        fails = [n for n, ok in passed.items() if not ok and n < best]
        note = f" (but failed at {fails})" if fails else ""
        if disturbed:
            note += f" (disturbed by other processes at {sorted(disturbed)} users)"
        print(f"max_users={best} database={args.database}{note}")
    return 0 if all(passed.values()) or not args.users else 1


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["postgres", "sqlite"], required=True)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--users", type=int, help="one run with this many users")
    which.add_argument(
        "--find-max",
        action="store_true",
        help="step the users up (--steps) until p95, errors or lost saves fail",
    )
    parser.add_argument(
        "--steps",
        type=lambda text: [int(n) for n in text.split(",")],
        default=STEPS,
        help=f"numbers of users for --find-max (default {','.join(map(str, STEPS))})",
    )
    parser.add_argument("--duration", type=int, default=60, help="measured seconds")
    parser.add_argument("--warmup", type=int, default=10, help="seconds after ramp-up")
    parser.add_argument("--ramp", type=int, default=15, help="seconds of ramp-up")
    parser.add_argument(
        "--quiet-timeout",
        type=int,
        default=1200,
        help="seconds to wait, before a run, for other processes to calm down",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main(parse()))
