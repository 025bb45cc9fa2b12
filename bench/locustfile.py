"""Locust users of the app: editors, reviewers and readers downloading PDFs.

``bench/load.py`` sets up the data, starts ``manage.py serve`` and runs this file
headless; run alone, it needs the plan that ``load.py`` writes (``LOAD_PLAN``, a JSON
file naming the accounts, concepts and steps) and a server with those data::

    LOAD_PLAN=plan.json LOAD_RESULTS=results.json .venv/bin/locust \\
        -f bench/locustfile.py --headless -u 20 -r 2 -t 90s --host http://127.0.0.1:PORT

Weights: editors 50 %, reviewers 35 %, readers (PDF downloads) 15 %. Think time:
every request a person makes by hand is followed by 1–3 s (uniform), between the
requests of one task as between tasks; a redirect is followed at once, as a browser
does.

- **Editors** log in, open the dashboard, and walk their own step of their own
  concept's working draft: open it (GET), save it (POST the page's form back, as the
  browser would, with one text field set to a unique token), and see the page again
  after the redirect. Now and then they open another step or the dashboard. Each
  editor has its own (concept, step): a save answered as a conflict (409, or the
  conflict shown) is counted, never an error; there should be none.
- **Reviewers** open a concept's history, one of its versions, and the comparison
  of two of its versions; one visit in five is of the large concept.
- **Readers** download the PDF of a frozen version, made ahead by the worker: a
  ``text/html`` answer ("being made") is counted as pending, not as a download.

Stats are reset ``LOAD_WARMUP`` seconds after all users are spawned (logins and
ramp-up excluded). At the end, ``LOAD_RESULTS`` gets the figures and every editor's
last acknowledged token per step, for ``load.py`` to find lost saves.
"""

import html
import itertools
import json
import os
import random
import re
import time
import uuid
from collections import Counter
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, between, events, task

with open(os.environ["LOAD_PLAN"], encoding="utf-8") as plan:
    PLAN = json.load(plan)
RESULTS = os.environ.get("LOAD_RESULTS", "")
RUN = os.environ.get("LOAD_RUN", "0")
WARMUP = float(os.environ.get("LOAD_WARMUP", "10"))
THINK = between(1, 3)
FORM_CONTENT_TYPE = {"Content-Type": "application/x-www-form-urlencoded"}

# What the whole run counts, warm-up included (Locust's own stats are reset).
counts = Counter()
failures = Counter()
acknowledged = {}
"""Per editor slot: (run, sequence, token) of the last save answered by a redirect."""
attempted = Counter()
window = {"measured_from": None}
_environment = {}
_slots = itertools.count()
_reviewers = itertools.count()
_readers = itertools.count()


# The page's form, as a browser submits it -----------------------------------------

FORM = re.compile(r'<form\b[^>]*\bid="wizard-form"[^>]*>(.*?)</form>', re.S)
TEMPLATE = re.compile(r"<template\b.*?</template>", re.S)
TAG = re.compile(r"<(input|select|/select|option|textarea)\b([^>]*)>", re.I)
ATTRIBUTE = re.compile(
    r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?"""
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NOT_SUBMITTED = {"submit", "button", "image", "reset", "file"}


def attributes(text: str) -> dict:
    return {
        match[1].lower(): html.unescape(match[2] or match[3] or match[4] or "")
        for match in ATTRIBUTE.finditer(text)
    }


def form_fields(page: str) -> list[tuple[str, str]]:
    """The name-value pairs the browser posts for the wizard's form, without the
    pressed button: inputs, textareas, selected options; not what is disabled,
    unchecked, or inside a ``<template>``. Django escapes every ``<`` and ``>`` in
    values, so a tag never holds a ``>`` but its end."""
    found = FORM.search(page)
    if found is None:
        return []
    body = TEMPLATE.sub("", found[1])
    pairs = []
    select = None  # name, multiple, options, chosen
    for match in TAG.finditer(body):
        tag, attrs = match[1].lower(), attributes(match[2])
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            name = attrs.get("name")
            if not name or "disabled" in attrs or kind in NOT_SUBMITTED:
                continue
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    pairs.append((name, attrs.get("value", "on")))
                continue
            pairs.append((name, attrs.get("value", "")))
        elif tag == "textarea":
            end = body.find("</textarea>", match.end())
            value = html.unescape(body[match.end() : end])
            value = value.removeprefix("\r\n").removeprefix("\n")
            if attrs.get("name") and "disabled" not in attrs:
                # Browsers post a textarea's line breaks as CRLF.
                value = value.replace("\r\n", "\n").replace("\n", "\r\n")
                pairs.append((attrs["name"], value))
        elif tag == "select":
            disabled = "disabled" in attrs or not attrs.get("name")
            select = (attrs.get("name"), "multiple" in attrs, [], [], disabled)
        elif tag == "option" and select is not None:
            value = attrs.get("value")
            if value is None:
                end = body.find("<", match.end())
                value = html.unescape(body[match.end() : end]).strip()
            select[2].append(value)
            if "selected" in attrs:
                select[3].append(value)
        elif tag == "/select" and select is not None:
            name, multiple, options, chosen, disabled = select
            if not disabled:
                if not chosen and not multiple and options:
                    chosen = options[:1]
                pairs.extend((name, value) for value in chosen)
            select = None
    return pairs


def conflict_shown(page: str) -> bool:
    return 'id="conflict"' in page


# Users ---------------------------------------------------------------------------


class Person(FastHttpUser):
    abstract = True
    wait_time = THINK
    account: dict

    def think(self):
        gevent.sleep(THINK(self))

    def log_in(self):
        with self.client.get("/login/", name="login page", catch_response=True) as got:
            token = CSRF.search(got.text or "")
            if token is None:
                got.failure("login page without CSRF token")
                raise RuntimeError("no login form")
        self.think()
        data = {
            "csrfmiddlewaretoken": token[1],
            "username": self.account["username"],
            "password": self.account["password"],
            "next": "",
        }
        with self.client.post(
            "/login/",
            data=urlencode(data),
            headers=FORM_CONTENT_TYPE,
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as posted:
            if posted.status_code != 302:
                posted.failure(f"login refused ({posted.status_code})")
                raise RuntimeError("login refused")
        self.client.get("/", name="dashboard")
        self.think()


class Editor(Person):
    """Walks the wizard of its own step of a concept, saving it again and again."""

    weight = 10

    def on_start(self):
        self.number = next(_slots)
        slots = PLAN["slots"]
        self.slot = slots[self.number % len(slots)]
        if self.number >= len(slots):
            counts["editors sharing a slot"] += 1
        self.account = self.slot["account"]
        self.key = str(self.slot["id"])
        self.sequence = itertools.count(1)
        self.page = None  # the last page shown of the editor's step
        self.log_in()

    @property
    def step_url(self):
        slot = self.slot
        return (
            f"/concepts/{slot['concept']}/versions/{slot['number']}/steps/"
            f"{slot['step']}/"
        )

    def open_step(self):
        with self.client.get(
            self.step_url, name="step page", catch_response=True
        ) as got:
            if got.status_code != 200 or not form_fields(got.text or ""):
                got.failure(f"step page without its form ({got.status_code})")
                self.page = None
            else:
                self.page = got.text

    @task(6)
    def save_step(self):
        if self.page is None:
            self.open_step()
            self.think()
            if self.page is None:
                return
        pairs = form_fields(self.page)
        field = f"v-{self.slot['field']}"
        if sum(name == field for name, _value in pairs) != 1 or not any(
            name == "base_state" for name, _value in pairs
        ):
            counts["form without the field or base_state"] += 1
            self.page = None
            return
        sequence = next(self.sequence)
        token = f"lt-{RUN}-{self.key}-{sequence}-{uuid.uuid4().hex[:8]}"
        text = f"Texte de charge {token}"
        pairs = [(name, text if name == field else value) for name, value in pairs]
        pairs.append(("go", "save"))
        attempted[self.key] += 1
        self.page = None
        with self.client.post(
            self.step_url,
            data=urlencode(pairs),
            headers=FORM_CONTENT_TYPE,
            name="step save",
            allow_redirects=False,
            catch_response=True,
        ) as posted:
            status, page = posted.status_code, posted.text or ""
            if status == 302:
                acknowledged[self.key] = (RUN, sequence, token)
                counts["saves acknowledged"] += 1
                location = posted.headers.get("location", "")
            elif status == 409 or (status == 200 and conflict_shown(page)):
                posted.success()
                counts["conflicts"] += 1
                self.page = page
                location = ""
            else:
                refused = "form refused" if status == 200 else f"status {status}"
                posted.failure(f"save not accepted: {refused}")
                location = ""
        if location:  # the browser shows the step again, with "Saved."
            with self.client.get(
                location, name="step page", catch_response=True
            ) as got:
                if got.status_code == 200 and form_fields(got.text or ""):
                    self.page = got.text
                else:
                    got.failure(f"step page after saving ({got.status_code})")

    @task(2)
    def open_another_step(self):
        slug = random.choice(
            [s for s in PLAN["steps"] if s != self.slot["step"]] or PLAN["steps"]
        )
        slot = self.slot
        self.client.get(
            f"/concepts/{slot['concept']}/versions/{slot['number']}/steps/{slug}/",
            name="step page",
        )
        self.page = None  # back on their step, they open it anew

    @task(1)
    def dashboard(self):
        self.client.get("/", name="dashboard")
        self.page = None


class Reviewer(Person):
    """Reads a concept's history, a version, and a comparison of two versions."""

    weight = 7

    def on_start(self):
        accounts = PLAN["reviewers"]
        self.account = accounts[next(_reviewers) % len(accounts)]
        self.log_in()

    @task
    def review(self):
        concepts = PLAN["review"]
        large = [c for c in concepts if c["large"]]
        if large and random.random() < 0.2:
            concept = random.choice(large)
        else:
            concept = random.choice([c for c in concepts if not c["large"]])
        suffix = " [large]" if concept["large"] else ""
        base = f"/concepts/{concept['id']}/"
        self.client.get(base, name="history" + suffix)
        self.think()
        number = random.choice(concept["versions"])
        self.client.get(f"{base}versions/{number}/", name="version" + suffix)
        self.think()
        a, b = random.choice(concept["pairs"])
        self.client.get(f"{base}compare/?a={a}&b={b}", name="compare" + suffix)


class Reader(Person):
    """Downloads the PDF of frozen versions."""

    weight = 3

    def on_start(self):
        accounts = PLAN["readers"]
        self.account = accounts[next(_readers) % len(accounts)]
        self.log_in()

    @task
    def download(self):
        pdf = random.choice(PLAN["pdfs"])
        name = "pdf [large]" if pdf["large"] else "pdf"
        with self.client.get(pdf["url"], name=name, catch_response=True) as got:
            kind = got.headers.get("content-type", "") if got.headers else ""
            if got.status_code != 200:
                got.failure(f"status {got.status_code}")
            elif kind.startswith("text/html"):
                got.success()
                counts["pdf pending"] += 1
            elif kind != "application/pdf" or not (got.content or b"").startswith(
                b"%PDF"
            ):
                got.failure(f"not a PDF: {kind}")
            else:
                counts["pdf downloaded"] += 1


# What the run counts and hands back --------------------------------------------


@events.request.add_listener
def count_failures(request_type, name, exception=None, **kwargs):
    if exception is not None:
        counts["errors"] += 1
        failures[f"{request_type} {name}: {str(exception)[:200]}"] += 1


@events.init.add_listener
def remember_environment(environment, **kwargs):
    _environment["locust"] = environment


@events.spawning_complete.add_listener
def reset_after_warmup(user_count, **kwargs):
    """Measure from ``WARMUP`` seconds after the last user was spawned."""

    def reset():
        _environment["locust"].stats.reset_all()
        window["measured_from"] = time.time()
        counts["users at reset"] = user_count

    gevent.spawn_later(WARMUP, reset)


def percentiles(entry) -> dict:
    if not entry.num_requests:
        return {"requests": 0}
    return {
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "p50_ms": entry.get_response_time_percentile(0.5),
        "p95_ms": entry.get_response_time_percentile(0.95),
        "p99_ms": entry.get_response_time_percentile(0.99),
        "max_ms": round(entry.max_response_time or 0),
        "rps": round(entry.total_rps, 2),
    }


@events.quitting.add_listener
def write_results(environment, **kwargs):
    if not RESULTS:
        return
    stats = environment.stats
    results = {
        "measured_from": window["measured_from"],
        "measured_until": time.time(),
        "total": percentiles(stats.total),
        "requests": {
            f"{method} {name}": percentiles(entry)
            for (name, method), entry in sorted(stats.entries.items())
        },
        "counts": dict(counts),
        "failures": dict(failures.most_common(30)),
        "acknowledged": acknowledged,
        "attempted": dict(attempted),
    }
    with open(RESULTS, "w", encoding="utf-8") as file:
        json.dump(results, file, indent=1)
