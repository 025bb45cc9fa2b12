"""Benchmark the wizard's step pages at real size, against a minimal view.

Run from the project root: ``.venv/bin/python bench/pages.py``. It works in a
temporary SQLite database, never in ``db.sqlite3``, with Django's test client in one
process. The floor is the login page, a minimal view measured in the same run; each
step of the demo concept and of the tests' large concept is measured against it
(median of several runs), with the size of its HTML, and so is a save of the content
step with 100 changed rows. The last line is
``step_page_ratio=R step_page_kb=K save_ratio=S``: the worst step of the large
concept, its largest page, and the save.
"""

import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from common import ROOT, large_concept, set_up_django, timed

RUNS = 7


def median_time(function) -> float:
    function()  # warm up: templates compiled, caches filled
    return statistics.median(timed(function) for _ in range(RUNS))


def main(workdir: Path) -> None:
    set_up_django(workdir)
    sys.path.insert(0, str(ROOT))

    from django.test import Client
    from django.urls import reverse

    from strategy.method import STEPS, get_step
    from strategy.rowsummaries import EVERY_ROW
    from strategy.stepforms import StepForms
    from tests.factories import make_demo_concept, step_post_data

    large, owner = large_concept()
    demo = make_demo_concept(large.team, owner)
    client = Client(HTTP_HOST="localhost")
    client.force_login(owner)
    assert client.get(reverse("login")).status_code == 200
    floor = median_time(lambda: client.get(reverse("login")))
    print(f"login page (the floor): {floor * 1000:.1f} ms")

    def step_url(concept, slug):
        draft = concept.draft
        return reverse("strategy:step", args=[concept.pk, draft.number, slug])

    worst = {"demo": 0.0, "large": 0.0}
    largest = 0
    for name, concept in (("demo", demo), ("large", large)):
        print(f"\n{name} concept")
        for step in STEPS:
            url = step_url(concept, step.slug)
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            size = len(response.content)
            seconds = median_time(lambda url=url: client.get(url))
            ratio = seconds / floor
            worst[name] = max(worst[name], ratio)
            if name == "large":
                largest = max(largest, size)
            print(
                f"  {step.slug:15} {seconds * 1000:7.1f} ms {ratio:6.1f}× "
                f"{size / 1024:7.1f} KB"
            )

    draft = large.draft
    content = get_step("content")
    url = step_url(large, "content")

    def post(data):
        """Post as a browser posts the step's form: URL-encoded."""
        body = urlencode(data, doseq=True)
        return client.post(url, body, content_type="application/x-www-form-urlencoded")

    def changed_pillars(frequency: str) -> dict:
        """A save of the content step as the page posts it, every pillar's
        frequency changed: from the stored state, so it is never a conflict."""
        stored = type(draft).objects.get(pk=draft.pk)
        forms = StepForms(content, stored, opened=EVERY_ROW)  # each row opened
        data = step_post_data(forms)
        (pillars,) = forms.formsets
        assert len(pillars.initial_forms) == 100
        for form in pillars.initial_forms:
            name = form.add_prefix("frequency")
            assert data[name] != frequency
            data[name] = frequency
        return data

    # Two saves that undo each other, so each can be posted again and again.
    assert post(changed_pillars("1× par mois")).status_code == 302
    there = changed_pillars("2× par mois")
    assert post(there).status_code == 302
    back = changed_pillars("1× par mois")
    assert post(back).status_code == 302
    saves = [back, there]

    def save_100_rows():
        saves.reverse()
        response = post(saves[0])
        assert response.status_code == 302, response.status_code

    save = median_time(save_100_rows)
    save_ratio = save / floor
    print(f"\nsave of the content step, 100 changed rows: {save * 1000:.1f} ms")
    print(f"  {save_ratio:.1f}× the floor")
    print(f"worst step: demo {worst['demo']:.1f}×, large {worst['large']:.1f}×")
    print(
        f"step_page_ratio={worst['large']:.1f} step_page_kb={largest / 1024:.0f} "
        f"save_ratio={save_ratio:.1f}"
    )


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as directory:
        main(Path(directory))
