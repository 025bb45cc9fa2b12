"""The exports we read, each declared once as data: the columns that recognise it,
and which columns give a row's day, platform, tone, author, reach and engagement.

``reading`` does the rest the same way for every format. A format is recognised when
all its ``required`` columns are among the header cells of one of the first lines
(or rows of a sheet); the column names of the own-pages exports change with the
language of the tool's interface, so ``HEADERS`` lists, for each column as the
English interface names it, its German, French and Italian names.

Reach and engagement, so that platforms compare:

- reach is the first of ``reach`` the file has (reach where the tool gives it,
  else impressions, else views);
- engagement is the sum of the interactions a person makes with a post: reactions
  or likes, comments, shares or reposts, saves or bookmarks. Clicks and views are
  left out (not every platform counts them). Monitoring tools: their engagement
  column, or likes + comments + shares (Brandwatch).
  YouTube Studio: likes, comments and shares when the export has those columns
  (add them in the "Advanced mode" of the report), else no engagement (None): views
  are reach, not engagement.
"""

from dataclasses import dataclass, field

from ..platforms import Platform
from .records import MONITORING, OWN_PAGES, ExportFormat


def _names(de: str | tuple = (), fr: str | tuple = (), it: str | tuple = ()) -> dict:
    def as_tuple(names):
        return (names,) if isinstance(names, str) else tuple(names)

    return {"de": as_tuple(de), "fr": as_tuple(fr), "it": as_tuple(it)}


HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    # Meta Business Suite
    "Post ID": _names("Beitrags-ID", "ID de la publication", "ID del post"),
    "Account ID": _names("Konto-ID", "ID du compte", "ID dell'account"),
    "Account username": _names(
        "Benutzername des Kontos",
        "Nom d'utilisateur du compte",
        "Nome utente dell'account",
    ),
    "Title": _names("Titel", "Titre", "Titolo"),
    "Description": _names("Beschreibung", "Description", "Descrizione"),
    "Publish time": _names(
        "Veröffentlichungszeitpunkt", "Heure de publication", "Orario di pubblicazione"
    ),
    "Permalink": _names("Permalink", "Permalien", "Permalink"),
    "Post type": _names("Beitragstyp", "Type de publication", "Tipo di post"),
    "Reach": _names("Reichweite", "Couverture", "Copertura"),
    "Impressions": _names("Impressionen", "Impressions", ("Impressioni", "Impression")),
    "Reactions": _names("Reaktionen", "Réactions", "Reazioni"),
    "Likes": _names(
        ("Gefällt mir", "Mag ich", "Likes"), "J'aime", ("Mi piace", "Like")
    ),
    "Comments": _names("Kommentare", "Commentaires", "Commenti"),
    "Shares": _names(
        ("Geteilte Inhalte", "Geteilt", "Shares"), "Partages", "Condivisioni"
    ),
    "Saves": _names(("Gespeichert", "Speicherungen"), "Enregistrements", "Salvataggi"),
    # LinkedIn
    "Post title": _names("Beitragstitel", "Titre de la publication", "Titolo del post"),
    "Post link": _names("Beitragslink", "Lien de la publication", "Link del post"),
    "Created date": _names("Erstellungsdatum", "Date de création", "Data di creazione"),
    "Content type": _names("Inhaltstyp", "Type de contenu", "Tipo di contenuto"),
    "Reposts": _names(("Reposts", "Weiterverbreitungen"), "Republications", "Repost"),
    # X
    "Post id": _names("Post-ID", "ID du post", "ID del post"),
    "Date": _names("Datum", "Date", "Data"),
    "Post text": _names("Post-Text", "Texte du post", "Testo del post"),
    "Bookmarks": _names("Lesezeichen", "Signets", "Segnalibri"),
    "Replies": _names("Antworten", "Réponses", "Risposte"),
    # YouTube Studio
    "Content": _names("Inhalt", "Contenu", "Contenuti"),
    "Video title": _names("Videotitel", "Titre de la vidéo", "Titolo del video"),
    "Video publish time": _names(
        "Veröffentlichungszeitpunkt des Videos",
        "Heure de publication de la vidéo",
        "Ora di pubblicazione del video",
    ),
    "Duration": _names("Dauer", "Durée", "Durata"),
    "Views": _names("Aufrufe", "Vues", "Visualizzazioni"),
}
"""For each column of an own-pages export, as the English interface names it: its
names in the German, French and Italian interfaces. Monitoring tools export with
English (or API) column names whatever the language."""

TOTAL_WORDS = frozenset({"total", "totals", "gesamt", "insgesamt", "totale", "totaux"})
"""What the sum row of a YouTube Studio table says in its first cell."""

_MEDIUM = True
SOURCE_TYPES: dict[str, tuple[str, bool]] = {
    "twitter": (Platform.X, False),
    "x": (Platform.X, False),
    "twitter/x": (Platform.X, False),
    "x/twitter": (Platform.X, False),
    "x (twitter)": (Platform.X, False),
    "tweet": (Platform.X, False),
    "instagram": (Platform.INSTAGRAM, False),
    "facebook": (Platform.FACEBOOK, False),
    "youtube": (Platform.YOUTUBE, False),
    "video": (Platform.YOUTUBE, False),
    "videos": (Platform.YOUTUBE, False),
    "tiktok": (Platform.TIKTOK, False),
    "linkedin": (Platform.LINKEDIN, False),
    "xing": (Platform.XING, False),
    "kununu": (Platform.KUNUNU, False),
    "glassdoor": (Platform.GLASSDOOR, False),
    "whatsapp": (Platform.WHATSAPP, False),
    "threads": (Platform.THREADS, False),
    "mastodon": (Platform.MASTODON, False),
    "bluesky": (Platform.BLUESKY, False),
    "pinterest": (Platform.PINTEREST, False),
    "reddit": (Platform.FORUM, False),
    "forum": (Platform.FORUM, False),
    "forums": (Platform.FORUM, False),
    "message boards": (Platform.FORUM, False),
    "qa": (Platform.FORUM, False),
    "review": (Platform.REVIEWS, False),
    "reviews": (Platform.REVIEWS, False),
    "news": (Platform.NEWS, _MEDIUM),
    "online news": (Platform.NEWS, _MEDIUM),
    "onlinenews": (Platform.NEWS, _MEDIUM),
    "news sites": (Platform.NEWS, _MEDIUM),
    "print": (Platform.NEWS, _MEDIUM),
    "newspaper": (Platform.NEWS, _MEDIUM),
    "blog": (Platform.BLOG, _MEDIUM),
    "blogs": (Platform.BLOG, _MEDIUM),
    "podcast": (Platform.OTHER, _MEDIUM),
    "podcasts": (Platform.OTHER, _MEDIUM),
    "broadcast": (Platform.OTHER, _MEDIUM),
    "tv": (Platform.OTHER, _MEDIUM),
    "radio": (Platform.OTHER, _MEDIUM),
    "web": (Platform.OTHER, _MEDIUM),
    "other": (Platform.OTHER, False),
}
"""What monitoring tools call the kind of source of a mention (lower case), as a
platform, and whether the author of such a mention is the medium itself (its name
is then the outlet's: an organisation, shown by name). Talkwalker's compound
values ("SOCIALMEDIA_TWITTER", "ONLINENEWS_OTHER") are read part by part."""

HOSTS: dict[str, str] = {
    "twitter.com": Platform.X,
    "x.com": Platform.X,
    "instagram.com": Platform.INSTAGRAM,
    "facebook.com": Platform.FACEBOOK,
    "fb.com": Platform.FACEBOOK,
    "fb.watch": Platform.FACEBOOK,
    "youtube.com": Platform.YOUTUBE,
    "youtu.be": Platform.YOUTUBE,
    "tiktok.com": Platform.TIKTOK,
    "linkedin.com": Platform.LINKEDIN,
    "xing.com": Platform.XING,
    "kununu.com": Platform.KUNUNU,
    "glassdoor.com": Platform.GLASSDOOR,
    "glassdoor.ch": Platform.GLASSDOOR,
    "glassdoor.de": Platform.GLASSDOOR,
    "threads.net": Platform.THREADS,
    "threads.com": Platform.THREADS,
    "bsky.app": Platform.BLUESKY,
    "pinterest.com": Platform.PINTEREST,
    "reddit.com": Platform.FORUM,
}
"""Platforms known by the host of a link: a row whose source type says nothing
more precise (or an own-pages row of a tool covering two platforms)."""


@dataclass(frozen=True)
class Declaration:
    """One export format: what recognises it and where each part of a row is.

    Columns are named as the English interface names them (see ``HEADERS`` for
    the other languages). Where a part lists several columns, ``text`` joins the
    non-empty ones, ``author``, ``outlet`` and ``post_format`` take the first
    non-empty one, ``reach`` the first column the file has, and ``engagement`` the
    first group of which the file has a column, summing that group.
    """

    format: ExportFormat
    required: tuple[str, ...]
    date: str
    text: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    outlet: tuple[str, ...] = ()
    """Domain or name of the medium: the author when the source is a medium."""
    url: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    """The column naming the kind of source (``SOURCE_TYPES``), monitoring only."""
    platform: str = Platform.OTHER
    """The platform when neither ``source`` nor the link's host tells."""
    platform_if_header: dict[str, str] = field(default_factory=dict)
    """A platform for every row when the file has that column and the link does
    not tell (Meta: only Instagram's exports have "Account username")."""
    tone: str | None = None
    reach: tuple[str, ...] = ()
    engagement: tuple[tuple[str, ...], ...] = ()
    key_phrases: str | None = None
    post_format: tuple[str, ...] = ()
    short_video: str | None = None
    """A duration in seconds: up to ``SHORT_SECONDS``, the format is "Short", else
    "Video" (YouTube Studio has no column for the format)."""
    total_row: str | None = None
    """A column whose value ``TOTAL_WORDS`` marks the sum row, skipped."""
    slash_dates: str = ""
    """"mdy" when the tool writes 02/06/2026 as month first whatever the language,
    "" to read it by the file's language (month first in English)."""
    period: bool = False
    """The lines before the header hold the period: "From:" and "To:"."""

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column this format reads, in the order of its declaration."""
        names = [
            *self.required,
            self.date,
            *self.text,
            *self.author,
            *self.outlet,
            *self.url,
            *self.source,
            *self.platform_if_header,
            *([self.tone] if self.tone else []),
            *self.reach,
            *(name for group in self.engagement for name in group),
            *([self.key_phrases] if self.key_phrases else []),
            *self.post_format,
            *([self.short_video] if self.short_video else []),
            *([self.total_row] if self.total_row else []),
        ]
        return tuple(dict.fromkeys(names))


SHORT_SECONDS = 60

BRANDWATCH = Declaration(
    format=ExportFormat("brandwatch", "Brandwatch", MONITORING),
    required=("Date", "Title", "Snippet", "Url", "Domain", "Page Type"),
    date="Date",
    text=("Title", "Snippet"),
    author=("Author",),
    outlet=("Domain",),
    url=("Url",),
    source=("Page Type",),
    tone="Sentiment",
    reach=("Impressions", "Reach"),
    engagement=(("Likes", "Comments", "Shares"),),
    period=True,
)
MELTWATER = Declaration(
    format=ExportFormat("meltwater", "Meltwater", MONITORING),
    required=("Date", "Headline", "URL", "Hit Sentence", "Source", "Influencer"),
    date="Date",
    text=("Headline", "Hit Sentence"),
    author=("Influencer",),
    url=("URL",),
    source=("Source",),
    tone="Sentiment",
    reach=("Reach",),
    engagement=(("Engagement",),),
    key_phrases="Key Phrases",
)
TALKWALKER = Declaration(
    format=ExportFormat("talkwalker", "Talkwalker", MONITORING),
    required=("url", "published", "content", "source_type"),
    date="published",
    text=("title", "content"),
    author=("author_name", "author_short_name"),
    outlet=("domain_url",),
    url=("url",),
    source=("source_type",),
    tone="sentiment",
    reach=("reach",),
    engagement=(("engagement",),),
)
"""Talkwalker's export with the API's field names; ``published`` is milliseconds
since 1970, read as a day in the installation's time zone."""
BRAND24 = Declaration(
    format=ExportFormat("brand24", "Brand24", MONITORING),
    required=("ID", "Date", "Hrs", "Content", "Domain", "Category"),
    date="Date",
    text=("Title", "Content"),
    author=("Author",),
    outlet=("Domain",),
    url=("Source",),
    source=("Category",),
    tone="Sentiment",
    reach=("Reach",),
    engagement=(("Interactions",), ("Likes", "Comments", "Shares")),
)
META = Declaration(
    format=ExportFormat("meta", "Meta Business Suite", OWN_PAGES),
    required=("Post ID", "Publish time", "Permalink", "Post type"),
    date="Publish time",
    text=("Title", "Description"),
    url=("Permalink",),
    platform=Platform.FACEBOOK,
    platform_if_header={
        "Account username": Platform.INSTAGRAM,
        "Account ID": Platform.INSTAGRAM,
    },
    reach=("Reach", "Impressions"),
    engagement=(("Reactions", "Likes", "Comments", "Shares", "Saves"),),
    post_format=("Post type",),
    slash_dates="mdy",
)
"""Meta Business Suite's posts export, Facebook or Instagram, told apart by the
permalink (or the account columns of Instagram's export). "Publish time" is
MM/DD/YYYY HH:MM in every language."""
LINKEDIN = Declaration(
    format=ExportFormat("linkedin", "LinkedIn", OWN_PAGES),
    required=("Post title", "Post link", "Created date", "Impressions"),
    date="Created date",
    text=("Post title",),
    platform=Platform.LINKEDIN,
    reach=("Impressions",),
    engagement=(("Reactions", "Likes", "Comments", "Reposts"),),
    post_format=("Content type", "Post type"),
)
X = Declaration(
    format=ExportFormat("x", "X", OWN_PAGES),
    required=("Post id", "Date", "Post text", "Impressions"),
    date="Date",
    text=("Post text",),
    platform=Platform.X,
    reach=("Impressions",),
    engagement=(("Likes", "Replies", "Reposts", "Shares", "Bookmarks"),),
)
YOUTUBE = Declaration(
    format=ExportFormat("youtube", "YouTube Studio", OWN_PAGES),
    required=("Content", "Video title", "Video publish time", "Views"),
    date="Video publish time",
    text=("Video title",),
    platform=Platform.YOUTUBE,
    reach=("Impressions", "Views"),
    engagement=(("Likes", "Comments", "Shares"),),
    short_video="Duration",
    total_row="Content",
)
"""YouTube Studio's "Table data.csv" (Advanced mode, by video): its first row, the
sum ("Total"), is skipped. Reach is impressions, or views when the table has no
impressions; engagement is likes + comments + shares when the table has those
columns, else None: views are reach, not engagement, and counting them would make
YouTube look far more engaging than the other platforms. A video up to
``SHORT_SECONDS`` long is a "Short", a longer one a "Video" (an approximation:
Shorts may now last three minutes)."""

DECLARATIONS: tuple[Declaration, ...] = (
    BRANDWATCH,
    MELTWATER,
    TALKWALKER,
    BRAND24,
    META,
    LINKEDIN,
    X,
    YOUTUBE,
)
"""Every format we read; on a tie, the first recognised wins."""
