"""Private persons in listening figures: known only by a keyed pseudonym.

The Swiss data protection authority asks that monitoring results allow no conclusion
about individual private persons. A plain hash of a handle would not do: anyone could
hash the handles they know and compare. The pseudonym is an HMAC under a key of the
installation (``LISTENING_PSEUDONYM_KEY``, by default derived from ``SECRET_KEY``), so
the same person has the same pseudonym in every analysis of this installation (an
opinion leader is matched, never duplicated) and nobody without the key can tell who
it is.
"""

import hashlib
import hmac
import unicodedata

from django.conf import settings
from django.utils.translation import gettext as _

PSEUDONYM_LENGTH = 8
"""Hex digits of a pseudonym: four billion of them, collisions out of sight."""


def normalised(handle: str) -> str:
    """A handle as one person's: without "@", case, accents composed the same way."""
    handle = unicodedata.normalize("NFKC", handle).strip().lstrip("@").casefold()
    return " ".join(handle.split())


def _key() -> bytes:
    key = getattr(settings, "LISTENING_PSEUDONYM_KEY", "") or ""
    if key:
        return key.encode()
    return hmac.new(
        settings.SECRET_KEY.encode(), b"strategy.listening.pseudonym", hashlib.sha256
    ).digest()


def pseudonym(handle: str) -> str:
    """The pseudonym of a handle: "3FA2C1D0", the same for the same person."""
    digest = hmac.new(_key(), normalised(handle).encode(), hashlib.sha256)
    return digest.hexdigest()[:PSEUDONYM_LENGTH].upper()


def shown_name(voice: dict) -> str:
    """How a voice is named in the active language: "Person 3FA2C1D0" or its name."""
    if voice.get("pseudonym"):
        return _("Person %(pseudonym)s") % {"pseudonym": voice["name"]}
    return voice["name"]
