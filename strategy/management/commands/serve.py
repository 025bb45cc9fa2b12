"""Serve in production: gunicorn's workers and the background worker, together.

``make serve`` runs this. It refuses to start with an insecure configuration
(``strategy/production.py``), migrates, collects the static files, then starts the
app server and the task workers, and stops them all when one of them stops or when
it is told to stop (SIGTERM, Ctrl-C): a service manager restarts the whole.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from strategy import production


def default_web_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


class Command(BaseCommand):
    help = "Serve the app in production: gunicorn and the background task worker."

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("BIND", "127.0.0.1:8000"),
            help="address:port gunicorn listens on (BIND; default 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_WORKERS", default_web_workers())),
            help="gunicorn processes (WEB_WORKERS; default 2 × CPUs + 1)",
        )
        parser.add_argument(
            "--task-workers",
            type=int,
            default=int(os.environ.get("TASK_WORKERS", 1)),
            help="background task workers (TASK_WORKERS; default 1; 0 for none "
            "when workers run on other machines)",
        )

    def handle(self, bind, workers, task_workers, **options):
        found = production.problems()
        if found:
            raise CommandError(
                "Refusing to serve with this configuration:\n"
                + "\n".join(f"- {problem}" for problem in found)
                + "\nSee docs/deploy.md."
            )
        call_command("migrate", interactive=False, verbosity=1)
        call_command("collectstatic", interactive=False, verbosity=0)
        python = sys.executable
        commands = [
            [
                python,
                "-m",
                "gunicorn",
                "strategy.wsgi",
                f"--bind={bind}",
                f"--workers={workers}",
                "--access-logfile=-",
                "--timeout=60",
                "--graceful-timeout=20",
                # A worker is replaced now and then, so that no memory piles up;
                # the jitter keeps them from all restarting at the same moment.
                "--max-requests=2000",
                "--max-requests-jitter=1000",
                # No control socket in the home folder: several servers may run.
                "--no-control-socket",
            ],
            *[
                [python, "manage.py", "db_worker", "--interval=1", "--no-reload"]
                for _ in range(task_workers)
            ],
        ]
        children = [
            subprocess.Popen(command, cwd=settings.BASE_DIR) for command in commands
        ]
        self.stdout.write(
            f"Serving on http://{bind} with {workers} web and {task_workers} task "
            "workers (Ctrl-C stops)",
        )
        sys.exit(supervise(children))


def supervise(children: list[subprocess.Popen]) -> int:
    """Wait until one child stops or a stop is asked; then stop them all."""
    stopping = []

    def stop(signum, frame):
        stopping.append(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping and all(child.poll() is None for child in children):
        time.sleep(0.2)
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 30
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
    return 0 if stopping else 1
