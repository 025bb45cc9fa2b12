"""Four languages and Swiss formats: the interface speaks the browser's language or
the one a person chose (kept with their account); everything generated for a
concept speaks the concept's language and writes its figures as its locale does."""

import datetime
import html
import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from strategy import document, formats
from strategy.demo import GERMAN_DEMO_FILE
from strategy.interchange import dumps, export_version
from strategy.models import BudgetLine, Preferences, Role

from .factories import make_concept, make_demo_concept, make_team, make_user
from .steps import step_url
from .test_i18n import LANGUAGES, messages

# Babel's CLDR, for each of the product's locales: what users read. --------------

CHF = Decimal("29300")
DAY = datetime.date(2027, 6, 30)
BABEL = {
    "de-CH": ("CHF 29'300.00", "1'234.5", "30. Juni 2027", "30.06.2027"),
    "fr-CH": ("29'300,00 CHF", "1'234,5", "30 juin 2027", "30 juin 2027"),
    "it-CH": ("CHF 29'300.00", "1'234.5", "30 giugno 2027", "30 giu 2027"),
    "en-CH": ("CHF 29'300.00", "1'234.5", "30 June 2027", "30 Jun 2027"),
    "de-DE": ("29.300,00 CHF", "1.234,5", "30. Juni 2027", "30.06.2027"),
}


def in_locale(tag):
    language, region = tag.split("-")
    concept_like = type("Version", (), {"language": language, "region": region})
    return formats.in_locale_of(concept_like)


@pytest.mark.parametrize("tag", BABEL)
def test_formats_are_babels_for_each_locale(tag):
    amount, number, long_day, medium_day = BABEL[tag]
    with in_locale(tag):
        assert formats.locale_tag() == tag
        assert formats.amount(CHF, "CHF").replace("\xa0", " ") == amount
        assert formats.number(Decimal("1234.50")) == number
        assert formats.date(DAY, "long") == long_day
        assert formats.date(DAY) == medium_day
    assert formats.locale_tag() == f"{translation.get_language()}-CH"  # as before


def test_whole_numbers_have_no_decimals_and_amounts_always_two():
    with in_locale("de-CH"):
        assert formats.number(Decimal("1.2E+3")) == "1'200"
        assert formats.number(Decimal("1200.00")) == "1'200"
        assert formats.number(Decimal("0.25")) == "0.25"
        assert formats.number(1200, grouping=False) == "1200"
        assert formats.amount(Decimal("1200")) == "1'200.00"
    with in_locale("fr-CH"):
        assert formats.number(Decimal("16.5"), grouping=False) == "16,5"


def test_millions_keep_their_grouping():
    """Babel drops the text between two quotes: de-CH's 1'234'567 was 1234567."""
    with in_locale("de-CH"):
        assert formats.number(1234567) == "1'234'567"
        assert formats.amount(Decimal("1200000"), "CHF") == "CHF\xa01'200'000.00"
    with in_locale("de-DE"):
        assert formats.number(1234567) == "1.234.567"


# The interface's language --------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "lang", "words"),
    [
        ("de-CH,de;q=0.9", "de", ["Anmelden", "Passwort"]),
        ("fr-CH", "fr", ["Connexion", "Mot de passe"]),
        ("it-CH", "it", ["Accedi", "Password"]),
        ("en-GB", "en", ["Log in", "Password"]),
    ],
)
def test_a_browser_lands_in_its_language(db, client, accept, lang, words):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert f'<html lang="{lang}">' in page
    for word in words:
        assert word in page


def test_the_chosen_language_is_kept_with_the_account(team, owner):
    browser = Client(HTTP_ACCEPT_LANGUAGE="de-CH")
    browser.force_login(owner)
    assert '<html lang="de">' in browser.get(reverse("strategy:dashboard")).text
    response = browser.post(
        reverse("set_language"), {"language": "it", "next": "/"}, follow=True
    )
    assert '<html lang="it">' in response.text
    assert Preferences.objects.get(user=owner).language == "it"

    # Another browser, German-speaking: after signing in, Italian.
    other = Client(HTTP_ACCEPT_LANGUAGE="de-CH")
    assert '<html lang="de">' in other.get(reverse("login")).text
    other.post(reverse("login"), {"username": "owner", "password": "pw-owner"})
    assert '<html lang="it">' in other.get(reverse("strategy:dashboard")).text
    # Signed out, the browser's language again.
    other.post(reverse("logout"))
    assert '<html lang="de">' in other.get(reverse("login")).text


def test_an_unknown_language_is_not_kept(client, owner):
    client.force_login(owner)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert not Preferences.objects.filter(user=owner).exists()


# The concept's language, whoever reads ---------------------------------------------


def other_languages_fixed_texts(language: str, content: str) -> dict[str, str]:
    """The texts of the other catalogs that a document in ``language`` must not
    hold: long enough to be telling, not the same in ``language``, not written by
    the concept's authors, cut at their placeholders."""
    own = {
        entry.msgid: entry.msgstr.get(0) or entry.msgid for entry in messages(language)
    }
    found = {}
    for other in LANGUAGES:
        if other == language:
            continue
        for entry in messages(other):
            text = entry.msgstr.get(0) or entry.msgid
            if text == own.get(entry.msgid):
                continue
            for piece in re.split(r"%\(\w+\)\w|%\w|\{\{.*?\}\}|<[^>]+>|\n", text):
                piece = " ".join(piece.split()).strip(" :.,;()«»“”")
                if len(piece) >= 14 and " " in piece and piece not in content:
                    found[piece] = other
    return found


def document_text(version) -> str:
    text = re.sub(r"<[^>]+>", " ", document.render_html(version))
    return " ".join(html.unescape(text).replace("\xa0", " ").split())


@pytest.fixture
def demo_team(db):
    author = make_user("author")
    return make_team("Demo", members=[(author, Role.OWNER)]), author


@pytest.mark.parametrize(
    ("shape", "language"),
    [("fr", "fr"), ("de", "de"), ("de", "it"), ("fr", "en"), ("de", "en")],
)
def test_a_document_holds_no_fixed_text_of_another_language(demo_team, shape, language):
    team, author = demo_team
    path = GERMAN_DEMO_FILE if shape == "de" else None
    concept = make_demo_concept(team, author, *([path] if path else []))
    draft = concept.draft
    draft.language = language
    draft.save()
    content = " ".join(dumps(export_version(draft)).split())
    with translation.override("fr" if language != "fr" else "de"):  # the reader's
        text = document_text(draft)
    foreign = {
        piece: other
        for piece, other in other_languages_fixed_texts(language, content).items()
        if piece in text
    }
    assert foreign == {}
    with translation.override(language):
        assert translation.gettext("Contents") in text


def test_a_german_document_speaks_german_with_swiss_figures(demo_team):
    team, author = demo_team
    draft = make_demo_concept(team, author, GERMAN_DEMO_FILE).draft
    lines = list(BudgetLine.objects.filter(version=draft))
    assert lines
    with translation.override("fr"):  # whoever downloads it
        pdf = document.render_pdf(draft)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert reader.trailer["/Root"]["/Lang"] == "de-CH"
    assert reader.metadata.subject.startswith("Social-Media-Strategie")
    for word in ("ENTWURF", "Inhaltsverzeichnis", "Seite 1 von", "Zielgruppen"):
        assert word in text
    for french in ("BROUILLON", "Sommaire", "Page 1 sur"):
        assert french not in text
    with in_locale("de-CH"):
        first = formats.amount(lines[0].amount)
    assert first in text  # "11'000.00": an amount as Babel writes it in de-CH
    assert re.search(r"\d'\d{3}\.\d\d", text)
    assert not re.search(r"\d\.\d{3},\d\d", text)  # never "5.000,00"


def test_the_region_decides_the_figures(demo_team):
    team, author = demo_team
    draft = make_concept(team, by=author).draft
    draft.language, draft.region = "de", "DE"
    draft.save()
    BudgetLine.objects.filter(version=draft).update(amount=Decimal("1234.50"))
    assert "1.234,50" in document_text(draft)
    draft.region = "CH"
    draft.save()
    assert "1'234.50" in document_text(draft)


def test_the_wizard_shows_totals_in_the_pages_locale(client, team, owner):
    draft = make_concept(team, by=owner).draft
    BudgetLine.objects.filter(version=draft).update(
        amount=Decimal("1000"), period="monthly"
    )
    client.force_login(owner)
    pages = (
        ("de-CH", "12'000.00"),
        ("fr-CH", "12'000,00"),
        ("it-CH", "12'000.00"),
        ("en-GB", "12'000.00"),
    )
    for accept, total in pages:
        page = client.get(step_url(draft, "resources"), HTTP_ACCEPT_LANGUAGE=accept)
        assert total in html.unescape(page.text)
        language = accept.split("-")[0]
        assert f'data-number-locale="{language}-CH"' in page.text


def test_a_stored_document_is_rendered_anew_when_any_catalog_changes(settings):
    designed = {
        path
        for pattern in document.DESIGN_FILES
        for path in settings.BASE_DIR.glob(pattern)
    }
    for language in LANGUAGES:
        catalog = (
            settings.BASE_DIR / f"strategy/locale/{language}/LC_MESSAGES/django.mo"
        )
        assert catalog in designed, language
