"""The document's fonts ship with the app and cover French and German typography."""

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts" / "inter"
TYPOGRAPHY = "«»„“”‘’‚–—€\u00a0\u202fäöüÄÖÜßéèêàçœŒ'"


@pytest.mark.parametrize("path", sorted(FONTS.glob("*.otf")), ids=lambda p: p.name)
def test_every_font_covers_french_and_german_typography(path):
    cmap = TTFont(path).getBestCmap()
    missing = [char for char in TYPOGRAPHY if ord(char) not in cmap]
    assert missing == []


def test_the_fonts_come_with_their_licence():
    licence = (FONTS / "LICENSE.txt").read_text()
    assert "OFL-1.1" in licence
    assert len(list(FONTS.glob("*.otf"))) >= 4
