"""What every export is read into, whatever tool made it: rows, already normalised."""

from dataclasses import dataclass
from datetime import date


class ListeningFileError(Exception):
    """A file that cannot be read: the message names the file and the line or cell."""


MONITORING = "monitoring"
"""An export of mentions, from a monitoring tool: what others say."""
OWN_PAGES = "own_pages"
"""An export of the organisation's own posts, from a platform's analytics."""


class AuthorKind:
    PERSON = "person"
    """Anyone who might be a private person: shown only as a pseudonym."""
    ORGANISATION = "organisation"
    """A medium, a company, an institution: shown by name."""


@dataclass(frozen=True, slots=True)
class Record:
    """One mention (monitoring) or one post of the organisation (own pages)."""

    day: date
    platform: str
    """A code of ``strategy.platforms.Platform``."""
    tone: str = ""
    """"positive", "neutral", "negative", or "" when the export has none."""
    author: str = ""
    """The handle or name as the export has it; "" when it has none."""
    author_kind: str = AuthorKind.PERSON
    reach: int | None = None
    engagement: int | None = None
    text: str = ""
    """Title and text, cut to a few hundred characters: for terms and hashtags."""
    key_phrases: tuple[str, ...] = ()
    post_format: str = ""
    """Own pages: the post's format as the export names it ("Photo", "Reel", …)."""
    line: int = 0
    """Where the row is in the file (line, or row of the sheet), for messages."""


@dataclass(frozen=True)
class ExportFormat:
    key: str
    """"brandwatch", "meltwater", "talkwalker", "brand24", "meta", "linkedin", "x",
    "youtube"."""
    label: str
    """The tool's name as users know it: "Brandwatch", "Meta Business Suite", …"""
    kind: str
    """``MONITORING`` or ``OWN_PAGES``."""
