"""The demo concepts' listening exports, and the evidence they give.

Run ``python -m strategy.demo.make_listening`` (from the checkout, with Django set up
by the module itself) to write the invented exports under ``strategy/demo/listening/``
and put their figures into each demo concept's versions. Deterministic: the same
files and figures every time, made with the development key's pseudonyms.
"""

import csv
import io
import json
import os
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).parent
ZURICH = ZoneInfo("Europe/Zurich")
OUT = HERE / "listening"

HRPJ_SHARES = {
    "facebook": 110,
    "reviews": 60,
    "linkedin": 65,
    "news": 35,
    "instagram": 45,
    "forum": 12,
    "x": 4,
}
HRPJ_AUTUMN = {**HRPJ_SHARES, "tiktok": 80, "facebook": 120, "x": 2}
RWG_SHARES = {
    "facebook": 120,
    "news": 40,
    "linkedin": 38,
    "forum": 25,
    "x": 22,
    "instagram": 32,
    "reviews": 16,
    "youtube": 5,
}
TONES = {  # per platform: positive, neutral, negative weights
    "facebook": (3, 3, 4),
    "reviews": (3, 1, 5),
    "linkedin": (6, 3, 1),
    "news": (2, 4, 3),
    "instagram": (6, 3, 1),
    "forum": (5, 4, 1),
    "x": (1, 8, 1),
    "tiktok": (6, 3, 1),
    "youtube": (2, 7, 1),
}
TALKWALKER_SOURCES = {
    "facebook": "FACEBOOK",
    "reviews": "REVIEWS",
    "linkedin": "LINKEDIN",
    "news": "ONLINENEWS",
    "instagram": "INSTAGRAM",
    "forum": "FORUM",
    "x": "TWITTER",
    "tiktok": "TIKTOK",
    "youtube": "YOUTUBE",
}
BRANDWATCH_PAGE_TYPES = {**{p: p for p in TONES}, "x": "twitter", "reviews": "review"}
HOSTS = {
    "facebook": "www.facebook.com",
    "reviews": "www.google.com",
    "linkedin": "www.linkedin.com",
    "instagram": "www.instagram.com",
    "forum": "forum.example.ch",
    "x": "x.com",
    "tiktok": "www.tiktok.com",
    "youtube": "www.youtube.com",
}

FRENCH = {
    "positive": [
        "Merci à toute l’équipe de la #maternité de l’HRPJ, accueil formidable",
        "Belle initiative de l’HRPJ : la nouvelle #maternité est lumineuse",
        "Soins excellents aux urgences de l’HRPJ, personnel attentif #merci",
        "Fière de travailler à l’HRPJ, on recrute des infirmières #emploi",
        "La chirurgie robotique arrive à l’HRPJ, bravo #innovation",
    ],
    "neutral": [
        "Horaires des visites de l’HRPJ pendant les fêtes ? #question",
        "L’HRPJ publie ses offres d’emploi pour la rentrée #emploi",
        "Conférence publique de l’HRPJ sur la santé des seniors",
        "Travaux au parking de La Venoge de l’HRPJ dès lundi #parking",
    ],
    "negative": [
        "Quatre heures d’attente aux #urgences de l’HRPJ hier soir",
        "Impossible de trouver une place au #parking de La Venoge de l’HRPJ",
        "Les repas de l’HRPJ laissent à désirer, dommage",
        "Fermeture estivale de lits à l’HRPJ : inquiétude des familles #urgences",
    ],
}
GERMAN = {
    "positive": [
        "Danke an das Team der RWG für die schnelle Hilfe beim #Stromausfall",
        "Die neue #Solarberatung der RWG ist super erklärt",
        "RWG sucht Lernende, tolle Stimmung im Team #Lehrstelle",
        "Glasfaser der RWG endlich bei uns angekommen #Glasfaser",
    ],
    "neutral": [
        "Wann kommt die #Baustelle der RWG an der Bahnhofstrasse weg?",
        "RWG informiert über die #Strompreise 2027",
        "Tag der offenen Tür im Unterwerk der RWG am Samstag",
    ],
    "negative": [
        "Schon wieder ein #Stromausfall in Glattmünster, RWG meldet nichts",
        "Die #Strompreise der RWG steigen wieder, unverständlich",
        "Seit Wochen #Baustelle vor dem Haus, die RWG antwortet nicht",
    ],
}
MEDIA = {
    "fr": ["La Gazette du Nord vaudois", "24 heures", "RTS Info", "Le Temps"],
    "de": ["Glattaler Anzeiger", "Tages-Anzeiger", "SRF News", "NZZ"],
}
PUBLIC = {"fr": ["sophie.jaquier"], "de": ["sandra.gaemperli"]}
"""Accounts the demo teams named as public figures: a journalist, shown by name."""


def _mentions(shares, start: date, end: date, language: str, seed: int):
    rng = random.Random(seed)
    days = (end - start).days + 1
    months = days / 30.4
    texts = FRENCH if language == "fr" else GERMAN
    people = [f"{name}_{n}" for n in range(60) for name in ("lea", "marc", "nina")]
    people += PUBLIC[language]
    mentions = []
    for platform, per_month in shares.items():
        for _n in range(round(per_month * months)):
            tone = rng.choices(("positive", "neutral", "negative"), TONES[platform])[0]
            moment = datetime.combine(
                start + timedelta(days=rng.randrange(days)), datetime.min.time()
            ) + timedelta(minutes=rng.randrange(24 * 60))
            medium = platform == "news"
            author = rng.choice(MEDIA[language]) if medium else rng.choice(people)
            reach = (
                rng.randrange(50_000, 400_000)
                if medium
                else int(rng.paretovariate(1.2) * 300)
            )
            if author in PUBLIC[language]:
                reach = 48_000
            mentions.append(
                {
                    "moment": moment.replace(tzinfo=ZURICH),
                    "platform": platform,
                    "tone": tone,
                    "text": rng.choice(texts[tone]),
                    "author": author,
                    "medium": medium,
                    "reach": reach,
                    "engagement": rng.randrange(0, 40),
                }
            )
    mentions.sort(key=lambda m: m["moment"])
    return mentions


def _url(mention, n: int) -> str:
    host = HOSTS.get(mention["platform"])
    if host is None:  # a medium
        slug = mention["author"].lower().replace(" ", "-")
        return f"https://{slug}.example.ch/articles/{n}"
    return f"https://{host}/{mention['author']}/posts/{n}"


def talkwalker(mentions) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "url",
            "published",
            "title",
            "content",
            "domain_url",
            "lang",
            "sentiment",
            "source_type",
            "engagement",
            "reach",
            "author_name",
            "country",
        ]
    )
    for n, m in enumerate(mentions):
        url = _url(m, n)
        writer.writerow(
            [
                url,
                int(m["moment"].timestamp() * 1000),
                m["text"][:40] if m["medium"] else "",
                m["text"],
                "https://" + url.split("/")[2],
                "fr",
                {"positive": 3, "neutral": 0, "negative": -3}[m["tone"]],
                TALKWALKER_SOURCES[m["platform"]],
                m["engagement"],
                m["reach"],
                m["author"],
                "ch",
            ]
        )
    return out.getvalue().encode()


def brandwatch(mentions, start: date, end: date) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerows(
        [
            ["Report:", "RWG Erwähnungen"],
            ["Brand:", "Regionalwerke Glattmünster"],
            ["From:", f"{start:%Y-%m-%d} 00:00:00.0"],
            ["To:", f"{end:%Y-%m-%d} 23:59:59.0"],
            ["Label:", ""],
            [],
            [
                "Query Id",
                "Query Name",
                "Date",
                "Title",
                "Snippet",
                "Full Text",
                "Url",
                "Domain",
                "Sentiment",
                "Page Type",
                "Language",
                "Country",
                "Author",
                "Full Name",
                "Likes",
                "Comments",
                "Shares",
                "Impressions",
            ],
        ]
    )
    for n, m in enumerate(mentions):
        url = _url(m, n)
        writer.writerow(
            [
                "2003827515",
                "RWG",
                f"{m['moment']:%Y-%m-%d %H:%M}:00.0",
                m["text"][:40] if m["medium"] else "",
                m["text"][:120],
                m["text"],
                url,
                url.split("/")[2].removeprefix("www."),
                m["tone"],
                BRANDWATCH_PAGE_TYPES[m["platform"]],
                "de",
                "Switzerland",
                "" if m["medium"] else m["author"],
                m["author"],
                m["engagement"],
                0,
                0,
                m["reach"],
            ]
        )
    return ("\ufeff" + out.getvalue()).encode()


EXPORTS = {
    "fr": [
        (
            "hrpj-talkwalker-2026-02.csv",
            HRPJ_SHARES,
            date(2026, 2, 2),
            date(2026, 3, 1),
        ),
        (
            "hrpj-talkwalker-2026-10.csv",
            HRPJ_AUTUMN,
            date(2026, 9, 15),
            date(2026, 10, 15),
        ),
    ],
    "de": [
        ("rwg-brandwatch-2026-01.csv", RWG_SHARES, date(2026, 1, 12), date(2026, 2, 8)),
    ],
}
DEMOS = {"fr": HERE / "concept.json", "de": HERE / "concept_de.json"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy.settings")
    import django

    django.setup()
    from strategy.listening import analysis, reading

    OUT.mkdir(exist_ok=True)
    for language, exports in EXPORTS.items():
        sources = []
        for seed, (name, shares, start, end) in enumerate(exports):
            mentions = _mentions(shares, start, end, language, seed)
            data = (
                talkwalker(mentions)
                if "talkwalker" in name
                else brandwatch(mentions, start, end)
            )
            (OUT / name).write_bytes(data)
            with (OUT / name).open("rb") as opened:
                export = reading.open_export(name, opened)
                sources.append(analysis.analyse(export, public=PUBLIC[language]))
        document = json.loads(DEMOS[language].read_text())
        for version in document["versions"]:
            # The first listening is every version's; the draft adds the second.
            version["listening_evidence"] = (
                sources if version["status"] == "draft" else sources[:1]
            )
        DEMOS[language].write_text(
            json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        )


if __name__ == "__main__":
    main()
