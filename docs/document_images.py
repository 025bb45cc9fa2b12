"""Page images of the demo document, for the README: `make docs-images`.

Loads the demo concepts into a throw-away SQLite database, renders the French demo's
draft as PDF and draws four of its pages with poppler's ``pdftoppm``: the cover,
the management summary, the first objectives page and the budget page. Nothing of
the developer's own database or media is touched.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
RESOLUTION = 80  # dots per inch: an A4 page 661 × 935 pixels


def main(workdir: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from common import set_up_django

    set_up_django(workdir)

    import io

    import pypdf
    from django.core.management import call_command
    from django.utils import translation

    from strategy import document
    from strategy.models import Concept

    call_command("load_demo", stdout=io.StringIO())
    draft = Concept.objects.get(versions__number=3, versions__language="fr").draft
    pdf = document.render_pdf(draft)
    path = workdir / "demo.pdf"
    path.write_bytes(pdf)
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]

    with translation.override(draft.language):
        wanted = {
            "cover": 0,
            "summary": _first(pages, translation.gettext("Management summary"), 2),
            "objectives": _first(pages, f"3. {translation.gettext('Objectives')}", 2),
            "budget": _first(pages, _budget_heading(translation.gettext), 2),
        }
    IMAGES.mkdir(parents=True, exist_ok=True)
    for name, index in wanted.items():
        target = IMAGES / f"document-{name}"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-singlefile",
                "-r",
                str(RESOLUTION),
                "-f",
                str(index + 1),
                "-l",
                str(index + 1),
                str(path),
                str(target),
            ],
            check=True,
        )
        print(f"{target.relative_to(ROOT)}.png: page {index + 1}")


def _budget_heading(gettext) -> str:
    """The start of the budget table's heading, "Budget par catégorie"."""
    return gettext("Budget by category (%(currency)s)").split("(")[0].strip()


def _first(pages: list[str], text: str, start: int) -> int:
    """The first page from ``start`` on whose text holds ``text``."""
    for index in range(start, len(pages)):
        if text in pages[index]:
            return index
    raise SystemExit(f"no page holds {text!r}")


if __name__ == "__main__":
    if not shutil.which("pdftoppm"):
        raise SystemExit("pdftoppm is missing: `make docs-images` installs it.")
    with tempfile.TemporaryDirectory(prefix="docs-images-") as directory:
        main(Path(directory))
