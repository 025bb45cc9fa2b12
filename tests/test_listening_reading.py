"""Reading listening exports: every sample recognised and read right, every bad
file refused with a message that names it and the line or cell, in bounded memory."""

import io
import tracemalloc
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from strategy.listening import analysis, evidence, formats, reading
from strategy.listening.reading import open_export
from strategy.listening.records import (
    MONITORING,
    OWN_PAGES,
    AuthorKind,
    ListeningFileError,
)
from strategy.platforms import Platform
from tests.fixtures.listening import make_samples

FIXTURES = Path(__file__).parent / "fixtures" / "listening"
BAD = {
    "empty.csv",
    "unknown_format.csv",
    "wrong_encoding.csv",
    "wrong_encoding_late.csv",
    "truncated_quote.csv",
    "truncated_cells.csv",
    "truncated.xlsx",
    "formulas.xlsx",
    "bad_date.csv",
    "bad_number.csv",
    "old_excel.xls",
    "not_text.csv",
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def read(name: str):
    """The export of a sample file and all its records."""
    with (FIXTURES / name).open("rb") as source:
        export = open_export(name, source)
        return export, list(export.records())


def read_bytes(name: str, data: bytes):
    export = open_export(name, io.BytesIO(data), size=len(data))
    return export, list(export.records())


# The samples ------------------------------------------------------------------

SAMPLES = {
    # name: format, language, records, encoding
    "brandwatch.csv": ("brandwatch", "en", 40, "utf-8-sig"),
    "brandwatch_excel_cp1252.csv": ("brandwatch", "en", 20, "cp1252"),
    "meltwater.tsv": ("meltwater", "en", 30, "utf-16"),
    "talkwalker.csv": ("talkwalker", "en", 30, "utf-8"),
    "brand24.xlsx": ("brand24", "en", 30, ""),
    "injection_talkwalker.csv": ("talkwalker", "en", 20, "utf-8"),
    "injection_meltwater.tsv": ("meltwater", "en", 20, "utf-16"),
    "meta_facebook.csv": ("meta", "en", 24, "utf-8-sig"),
    "meta_instagram.csv": ("meta", "en", 24, "utf-8-sig"),
    "linkedin.xlsx": ("linkedin", "en", 24, ""),
    "x_analytics.csv": ("x", "en", 24, "utf-8"),
    "youtube_table_data.csv": ("youtube", "en", 20, "utf-8"),
}
for _language in ("de", "fr", "it"):
    SAMPLES[f"meta_facebook_{_language}.csv"] = ("meta", _language, 24, "utf-8-sig")
    SAMPLES[f"meta_instagram_{_language}.csv"] = ("meta", _language, 24, "utf-8-sig")
    SAMPLES[f"x_{_language}.csv"] = ("x", _language, 24, "utf-8")
    SAMPLES[f"youtube_{_language}.csv"] = ("youtube", _language, 20, "utf-8")
SAMPLES["linkedin_de.xlsx"] = ("linkedin", "de", 24, "")
SAMPLES["linkedin_fr.csv"] = ("linkedin", "fr", 24, "utf-8-sig")
SAMPLES["linkedin_it.xlsx"] = ("linkedin", "it", 24, "")

MONITORING_PLATFORMS = {
    "x",
    "instagram",
    "facebook",
    "news",
    "youtube",
    "tiktok",
    "forum",
    "blog",
    "linkedin",
}
OWN_PLATFORMS = {
    "meta_facebook": {"facebook"},
    "meta_instagram": {"instagram"},
    "linkedin": {"linkedin"},
    "x": {"x"},
    "youtube": {"youtube"},
}


def test_every_file_of_the_fixtures_is_a_sample_or_a_bad_file():
    names = {path.name for path in FIXTURES.iterdir() if path.suffix != ".py"}
    names.discard("__pycache__")
    assert names == set(SAMPLES) | BAD


def test_the_fixtures_are_what_the_generator_writes_and_small():
    for name, data in make_samples.samples().items():
        assert (FIXTURES / name).read_bytes() == data, f"run make_samples.py: {name}"
        assert len(data) < 50_000, name


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_sample_is_recognised_and_read(name):
    key, language, count, encoding = SAMPLES[name]
    export, records = read(name)
    assert export.name == name
    assert export.format.key == key
    assert export.language == language
    assert export.encoding == encoding
    assert len(records) == count
    assert export.fraction_read() == pytest.approx(1.0)
    assert all(
        type(r.platform) is str and r.platform in Platform.values for r in records
    )
    days = [record.day for record in records]
    assert date(2026, 1, 5) <= min(days) and max(days) <= date(2026, 3, 31)
    assert len({(day.year, day.month) for day in days}) == 3, "three months"
    if export.format.kind == MONITORING:
        assert {r.platform for r in records} >= MONITORING_PLATFORMS - {"linkedin"}
        assert {r.tone for r in records} >= {"positive", "neutral", "negative"}
        assert any(r.author_kind == AuthorKind.ORGANISATION for r in records)
        voices = Counter(r.author for r in records if r.author_kind == "person")
        assert voices.most_common(1)[0][1] >= 3, "some authors speak often"
        assert all(r.reach is not None for r in records)
    else:
        assert export.format.kind == OWN_PAGES
        stem = name.split(".")[0].removesuffix(f"_{language}")
        stem = {"x_analytics": "x", "youtube_table_data": "youtube"}.get(stem, stem)
        assert {r.platform for r in records} == OWN_PLATFORMS[stem]
        assert all(r.author == "" and r.tone == "" for r in records)
        assert all(r.reach and r.engagement for r in records)
        if key != "x":
            assert all(r.post_format for r in records)
    assert any("#" in r.text for r in records), "hashtags"
    assert export.declared_period is None or key == "brandwatch"


def test_brandwatch():
    export, records = read("brandwatch.csv")
    assert export.format.label == "Brandwatch"
    assert export.declared_period == (date(2026, 1, 1), date(2026, 3, 31))
    first, news, instagram, forum = records[:4]
    assert first.day == date(2026, 1, 5)
    assert (first.platform, first.tone, first.author) == (
        "x",
        "positive",
        "bergsteiger_anna",
    )
    assert first.author_kind == AuthorKind.PERSON
    assert (first.reach, first.engagement, first.line) == (48_200, 143, 8)
    assert "#Bankapp" in first.text
    assert (news.platform, news.tone, news.author) == (
        "news",
        "negative",
        "alpenpost.example",
    )
    assert news.author_kind == AuthorKind.ORGANISATION
    assert news.text.startswith("Hypothekarzinsen steigen Die Alpenbank")
    assert (news.reach, news.engagement) == (410_000, 47)
    assert (instagram.day, instagram.platform, instagram.tone) == (
        date(2026, 2, 6),
        "instagram",
        "neutral",
    )
    assert (forum.day, forum.platform) == (date(2026, 3, 3), "forum")  # reddit
    platforms = Counter(r.platform for r in records)
    assert platforms["reviews"] == 3 and platforms["blog"] == 3


def test_brandwatch_saved_again_by_a_german_excel_in_windows_1252():
    export, records = read("brandwatch_excel_cp1252.csv")
    assert export.encoding == "cp1252"
    assert export.declared_period == (date(2026, 1, 1), date(2026, 3, 31))
    assert records[0].text.startswith(
        "Die neue #Bankapp der Alpenbank ist schnell und übersichtlich"
    )
    assert records[2].day == date(2026, 2, 6)
    assert [r.day for r in records] == [r.day for r in read("brandwatch.csv")[1][:20]]


def test_meltwater():
    export, records = read("meltwater.tsv")
    assert export.format.label == "Meltwater"
    first = records[0]
    assert first.author == "bergsteiger_anna", "the @ of a handle is not kept"
    assert first.key_phrases == ("Alpenbank App", "Bankapp")
    assert (first.reach, first.engagement, first.day) == (48_200, 143, date(2026, 1, 5))
    assert records[1].author == "alpenpost.example"
    assert records[1].author_kind == AuthorKind.ORGANISATION
    assert records[10].tone == "", "Not Rated"
    podcasts = [r for r in records if r.platform == "other"]
    assert podcasts and all(r.author_kind == AuthorKind.ORGANISATION for r in podcasts)
    assert records[3].platform == "forum"  # Reddit


def test_talkwalker():
    _export, records = read("talkwalker.csv")
    first, news = records[:2]
    assert first.day == date(2026, 1, 5)  # published, in milliseconds since 1970
    assert (first.tone, news.tone, records[2].tone) == (
        "positive",
        "negative",
        "neutral",
    )
    assert (news.platform, news.author) == ("news", "alpenpost.example")
    assert first.platform == "x" and first.author == "bergsteiger_anna"
    assert (first.reach, first.engagement) == (48_200, 143)


def test_brand24_with_dates_as_values_and_as_text():
    export, records = read("brand24.xlsx")
    assert export.format.label == "Brand24"
    assert records[0].line == 3, "an empty row, then the header"
    assert records[0].day == date(2026, 1, 5)  # a text cell
    assert records[1].day == date(2026, 1, 7)  # a date cell
    assert [r.tone for r in records[:4]] == [
        "positive",
        "negative",
        "neutral",
        "negative",
    ]
    assert records[4].tone in ("positive", "neutral", "negative")  # a word
    assert (records[0].reach, records[0].engagement) == (48_200, 143)
    assert Counter(r.platform for r in records)["youtube"] == 3  # "Videos"
    assert records[1].author == "alpenpost.example"


@pytest.mark.parametrize(
    ("tool", "names", "reach", "engagement", "formats"),
    [
        (
            "meta",
            [
                "meta_facebook.csv",
                "meta_facebook_de.csv",
                "meta_facebook_fr.csv",
                "meta_facebook_it.csv",
            ],
            12_345,
            1_234 + 56 + 7,
            ["Videos", "Videos", "Vidéos", "Video"],
        ),
        (
            "meta",
            [
                "meta_instagram.csv",
                "meta_instagram_de.csv",
                "meta_instagram_fr.csv",
                "meta_instagram_it.csv",
            ],
            12_345,
            1_234 + 56 + 7 + 8,
            ["IG reel"] * 4,
        ),
        (
            "linkedin",
            [
                "linkedin.xlsx",
                "linkedin_de.xlsx",
                "linkedin_fr.csv",
                "linkedin_it.xlsx",
            ],
            23_456,
            1_234 + 56 + 7,
            ["Video", "Video", "Vidéo", "Video"],
        ),
        (
            "x",
            ["x_analytics.csv", "x_de.csv", "x_fr.csv", "x_it.csv"],
            23_456,
            1_234 + 56 + 7 + 3 + 8,
            [""] * 4,
        ),
        (
            "youtube",
            [
                "youtube_table_data.csv",
                "youtube_de.csv",
                "youtube_fr.csv",
                "youtube_it.csv",
            ],
            23_456,
            123 + 56 + 7,
            ["Short"] * 4,
        ),
    ],
)
def test_own_pages_read_alike_in_english_german_french_and_italian(
    tool, names, reach, engagement, formats
):
    results = [read(name) for name in names]
    assert [export.language for export, _records in results] == ["en", "de", "fr", "it"]
    english = results[0][1]
    for (export, records), post_format in zip(results, formats, strict=True):
        assert export.format.key == tool
        first = records[0]
        assert first.day == date(2026, 3, 3), export.name  # a Tuesday: "mar" in fr/it
        assert (first.reach, first.engagement) == (reach, engagement), export.name
        assert first.post_format == post_format
        assert first.text.startswith("Neue Bankapp")
        same = [(r.day, r.platform, r.reach, r.engagement, r.text) for r in records]
        assert same == [
            (r.day, r.platform, r.reach, r.engagement, r.text) for r in english
        ], export.name


def test_youtube_skips_the_sum_row_and_tells_shorts_from_videos():
    _export, records = read("youtube_table_data.csv")
    assert records[0].line == 3
    assert {r.post_format for r in records} == {"Short", "Video"}
    assert not any(r.text.casefold() == "total" for r in records)


def test_linkedin_takes_the_sheet_of_posts_after_its_description_row():
    export, records = read("linkedin.xlsx")
    assert records[0].line == 3
    assert export.format.label == "LinkedIn"
    assert {r.post_format for r in records} == {"Image", "Video", "Article", "Document"}


# Bad files --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("empty.csv", ["empty.csv is empty."]),
        (
            "unknown_format.csv",
            [
                "unknown_format.csv",
                "Brandwatch",
                "Meltwater",
                "Talkwalker",
                "Brand24",
                "Meta Business Suite",
                "LinkedIn",
                "X",
                "YouTube Studio",
            ],
        ),
        ("wrong_encoding.csv", ["wrong_encoding.csv, line 20:", "UTF-8"]),
        ("wrong_encoding_late.csv", ["wrong_encoding_late.csv, line 85:", "UTF-8"]),
        ("truncated_quote.csv", ["truncated_quote.csv is cut short", "line 47"]),
        (
            "truncated_cells.csv",
            ["truncated_cells.csv is cut short: line 31 has 7 columns instead of 15"],
        ),
        ("truncated.xlsx", ["truncated.xlsx is not a complete Excel file"]),
        ("formulas.xlsx", ["formulas.xlsx, sheet Mentions, cell E7 holds a formula"]),
        (
            "bad_date.csv",
            ['bad_date.csv, line 14: "Date" is not a date: "31/31/2026".'],
        ),
        (
            "bad_number.csv",
            ['bad_number.csv, line 7: "Impressions" is not a number: "12x4".'],
        ),
        ("old_excel.xls", ["old_excel.xls", "(.xls)"]),
        ("not_text.csv", ["not_text.csv is neither a CSV file nor an Excel workbook"]),
    ],
)
def test_every_bad_file_is_refused_naming_the_file_and_the_place(name, expected):
    with pytest.raises(ListeningFileError) as refused:
        read(name)
    message = str(refused.value)
    for part in expected:
        assert part in message


def test_a_bad_cell_of_a_workbook_is_named_by_its_sheet_and_cell():
    workbook = make_samples.brand24_workbook(make_samples.MENTIONS[:10])
    workbook["Mentions"]["B6"] = "gestern"
    workbook["Mentions"]["L8"] = "viel"
    data = make_samples._deterministic_xlsx(workbook)
    with pytest.raises(
        ListeningFileError,
        match=r"^b24\.xlsx, sheet Mentions, cell B6: "
        r'"Date" is not a date: "gestern"\.$',
    ):
        read_bytes("b24.xlsx", data)
    workbook["Mentions"]["B6"] = "2026-01-06"
    data = make_samples._deterministic_xlsx(workbook)
    with pytest.raises(ListeningFileError, match='cell L8: "Reach" is not a number'):
        read_bytes("b24.xlsx", data)


def test_a_row_without_a_date_is_refused():
    rows = make_samples.talkwalker_rows(make_samples.MENTIONS[:5])
    rows[3][2] = ""
    data = make_samples._csv(rows).encode()
    with pytest.raises(ListeningFileError) as refused:
        read_bytes("tw.csv", data)
    assert str(refused.value) == (
        'tw.csv, line 4: "published" is empty, but every row needs a date.'
    )


def test_a_short_row_inside_the_file_is_read_only_the_last_is_cut_short():
    rows = make_samples.talkwalker_rows(make_samples.MENTIONS[:5])
    rows[3] = rows[3][:10]  # the engagement and what follows are missing
    _export, records = read_bytes("tw.csv", make_samples._csv(rows).encode())
    assert len(records) == 5
    assert records[2].platform == "instagram"
    assert (records[2].engagement, records[2].reach, records[2].author) == (
        None,
        None,
        "",
    )


def test_a_negative_count_is_refused():
    rows = make_samples.talkwalker_rows(make_samples.MENTIONS[:5])
    rows[4][12] = "-12"
    with pytest.raises(ListeningFileError) as refused:
        read_bytes("tw.csv", make_samples._csv(rows).encode())
    assert str(refused.value) == 'tw.csv, line 5: "reach" is a negative number: "-12".'


def test_a_broken_zip_that_is_no_workbook_is_of_no_known_format():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ListeningFileError, match="not an export we know"):
        read_bytes("letter.docx", data.getvalue())


def test_nothing_else_than_listening_file_error_escapes_for_mangled_files():
    original = (FIXTURES / "brandwatch.csv").read_bytes()
    workbook = (FIXTURES / "brand24.xlsx").read_bytes()
    for data in [
        original[:3],
        original.replace(b",", b"\x00", 30),
        original.replace(b'"', b"", 400),
        original[:5000] + b'"' * 3 + original[5000:],
        "\ufeff".encode() + original[3:].decode("utf-8").encode("utf-16-le"),
        workbook[:-100],
        workbook[:100] + bytes(200) + workbook[300:],
        b"PK\x03\x04" + bytes(100),
    ]:
        try:
            read_bytes("mangled.csv", data)
        except ListeningFileError as error:
            assert "mangled.csv" in str(error)


# Formulas made harmless -------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@")


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_no_text_author_or_key_phrase_starts_like_a_formula(name):
    _export, records = read(name)
    for record in records:
        texts = [record.text, record.author, record.post_format, *record.key_phrases]
        assert not any(text.startswith(FORMULA_START) for text in texts), record


def test_text_cells_that_start_like_formulas_are_made_harmless_and_counted():
    export, records = read("injection_talkwalker.csv")
    assert export.neutralised == 6
    assert records[0].text.startswith('HYPERLINK("https://evil.example"')
    assert records[1].text.endswith("41 79 000 00 00 ruft die Alpenbank nie zurück")
    assert records[2].text.startswith("Alpenbank wieder offline")
    assert records[4].author == "cmd|' /C calc'!A0"
    assert records[5].author == "bergsteiger_anna"
    assert records[6].author == "velo_vreni"
    assert records[7].tone == "negative", "sentiment -5: numbers stay numbers"
    assert records[8].engagement == 7

    export, records = read("injection_meltwater.tsv")
    assert export.neutralised == 3
    assert records[0].key_phrases == ("1+1", "Alpenbank", "Bankapp", "Zinsen")
    assert records[2].text.startswith("Alpenbank Sonntagstour")


def test_the_figures_of_every_sample_are_valid_evidence():
    for name in sorted(SAMPLES):
        with (FIXTURES / name).open("rb") as source:
            export = open_export(name, source)
            evidence.validate([analysis.analyse(export)])


def test_a_handle_is_no_formula():
    _export, records = read("meltwater.tsv")
    assert _export.neutralised == 0
    assert all(not r.author.startswith("@") for r in records)


# Streaming --------------------------------------------------------------------


class CountingFile(io.BytesIO):
    """A file that counts the bytes read from it."""

    def __init__(self, data):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data

    def readinto(self, buffer):
        count = super().readinto(buffer)
        self.bytes_read += count
        return count


def test_recognising_reads_only_the_beginning(tmp_path):
    path = make_samples.write_brandwatch(tmp_path / "big.csv", 2_000)
    source = CountingFile(path.read_bytes())
    export = open_export("big.csv", source)
    assert export.format.key == "brandwatch"
    assert source.bytes_read <= reading.HEAD_BYTES < path.stat().st_size / 10
    assert export.fraction_read() == 0


def test_a_large_export_streams_in_bounded_memory(tmp_path):
    path = make_samples.write_brandwatch(tmp_path / "large.csv", 20_000)
    assert path.stat().st_size > 9_000_000
    fractions = []
    with path.open("rb") as source:
        export = open_export("large.csv", source, size=path.stat().st_size)
        tracemalloc.start()
        try:
            count = 0
            for count, record in enumerate(export.records(), start=1):
                if count % 1_000 == 0:
                    fractions.append(export.fraction_read())
                assert record.day.year == 2026
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert count == 20_000
    assert peak < 3_000_000, f"{peak:,} bytes"
    assert fractions == sorted(fractions) and 0 < fractions[0] < 0.1
    assert export.fraction_read() == 1


def test_the_callers_file_stays_open_and_can_be_read_again():
    data = (FIXTURES / "x_fr.csv").read_bytes()
    upload = SimpleUploadedFile("x_fr.csv", data, content_type="text/csv")
    export = open_export(upload.name, upload, size=upload.size)
    first = list(export.records())
    del export
    assert not upload.closed
    upload.seek(0)
    assert upload.read(3) == data[:3]
    with (FIXTURES / "linkedin_de.xlsx").open("rb") as stored:
        export = open_export("linkedin_de.xlsx", File(stored))
        assert len(list(export.records())) == 24
        assert len(list(export.records())) == 24, "read again from the start"
        assert not stored.closed
    export = open_export("x_fr.csv", io.BytesIO(data))
    assert list(export.records()) == first


def test_a_header_alone_gives_no_records():
    data = make_samples._csv([make_samples.TALKWALKER_HEADER]).encode()
    export, records = read_bytes("tw.csv", data)
    assert export.format.key == "talkwalker" and records == []


# The parts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "decimal", "number"),
    [
        ("1234", ".", 1234),
        ("1,234", ".", 1234),
        ("1’234", ",", 1234),
        ("1'234'567", ".", 1_234_567),
        ("1.234", ",", 1234),
        ("1\u202f234", ",", 1234),
        ("1\u00a0234", ",", 1234),
        ("1 234 567", ",", 1_234_567),
        ("1.234.567", ".", 1_234_567),
        ("1,234.7", ",", 1235),
        ("1.234,7", ".", 1235),
        ("1’234.7", ",", 1235),
        ("12,7", ".", 13),
        ("12.7", ",", 13),
        ("0,234", ".", 0),
        ("1.234", ".", 1),  # a decimal mark in English
        ("1,234", ",", 1),  # a decimal mark in German, French, Italian
        ("-5", ".", -5),
        ("+7", ".", 7),
        ("1.2E+05", ".", 120_000),
        ("", ".", None),
        ("-", ".", None),
        ("n/a", ".", None),
        (12.6, ".", 13),
        (12, ".", 12),
    ],
)
def test_numbers(text, decimal, number):
    assert reading._number(text, decimal) == number


@pytest.mark.parametrize("text", ["12x4", "1,23,4", "1.2.3,4,5", "abc", "1..2", "½"])
def test_not_numbers(text):
    with pytest.raises(ValueError):
        reading._number(text, ".")


@pytest.mark.parametrize(
    ("text", "slash", "day"),
    [
        ("2026-02-06 15:03:00.0", "mdy", date(2026, 2, 6)),
        ("2026-02-06T15:03:00Z", "mdy", date(2026, 2, 6)),
        ("06-Feb-2026 03:03PM", "mdy", date(2026, 2, 6)),
        ("02/06/2026 15:03", "mdy", date(2026, 2, 6)),
        ("06/02/2026", "dmy", date(2026, 2, 6)),
        ("06.02.2026 15:03", "mdy", date(2026, 2, 6)),
        ("6.2.26", "dmy", date(2026, 2, 6)),
        ("Jan 5, 2026", "mdy", date(2026, 1, 5)),
        ("5 janv. 2026", "dmy", date(2026, 1, 5)),
        ("5 gen 2026", "dmy", date(2026, 1, 5)),
        ("5. Januar 2026", "dmy", date(2026, 1, 5)),
        ("5 février 2026", "dmy", date(2026, 2, 5)),
        ("05 févr. 2026", "dmy", date(2026, 2, 5)),
        ("3. März 2026", "dmy", date(2026, 3, 3)),
        ("Mon, Jan 05, 2026", "mdy", date(2026, 1, 5)),
        ("Di., 03. März 2026", "dmy", date(2026, 3, 3)),
        ("mar. 03 mars 2026", "dmy", date(2026, 3, 3)),
        ("mar 03 mar 2026", "dmy", date(2026, 3, 3)),
        ("Tue, Mar 03, 2026 10:30 +0100", "mdy", date(2026, 3, 3)),
        ("20260206", "mdy", date(2026, 2, 6)),
        ("1770386580000", "mdy", date(2026, 2, 6)),
    ],
)
def test_dates(text, slash, day):
    assert reading._day(text, slash) == day


@pytest.mark.parametrize(
    "text",
    ["31/31/2026", "13/01/2026", "Jan 2026", "soon", "5 Foo 2026", "1800-01-01", "0"],
)
def test_not_dates(text):
    assert reading._day(text, "mdy") is None


def test_every_month_name_of_the_four_languages_is_known():
    for name, month in [
        ("janvier", 1),
        ("Februar", 2),
        ("août", 8),
        ("dic", 12),
        ("Sept.", 9),
        ("giugno", 6),
        ("Okt", 10),
        ("déc.", 12),
    ]:
        assert reading.MONTHS[reading._fold(name)] == month


def test_no_header_name_stands_for_two_columns_of_one_format():
    for declaration in formats.DECLARATIONS:
        seen = {}
        for column in declaration.columns:
            names = [column] + [
                name
                for names in formats.HEADERS.get(column, {}).values()
                for name in names
            ]
            for name in {reading._header_name(name) for name in names}:
                assert seen.setdefault(name, column) == column, (declaration, name)


def test_every_translated_header_is_of_a_declared_column():
    declared = {c for declaration in formats.DECLARATIONS for c in declaration.columns}
    assert set(formats.HEADERS) <= declared


def test_headers_are_compared_without_bom_case_quotes_or_spaces():
    assert reading._header_name('\ufeff"Publish  Time" ') == "publish time"
    assert reading._header_name("Nom d’utilisateur du compte") == (
        "nom d'utilisateur du compte"
    )


def _rewritten(name: str, change=lambda part, data: data, added=()) -> io.BytesIO:
    """A copy of the workbook ``name`` with each part's bytes passed through
    ``change(part_name, data)``, and the parts ``added`` (path: bytes)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(FIXTURES / name) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for entry in source.infolist():
            copy.writestr(entry.filename, change(entry.filename, source.read(entry)))
        for path, data in added:
            copy.writestr(path, data)
    out.seek(0)
    return out


def test_a_workbook_that_unpacks_to_too_much_is_refused_unopened(monkeypatch):
    monkeypatch.setattr(reading, "MAX_WORKBOOK_UNPACKED_BYTES", 20_000)
    with pytest.raises(ListeningFileError, match=r"brand24\.xlsx unpacks to far more"):
        open_export("brand24.xlsx", (FIXTURES / "brand24.xlsx").open("rb"))
    monkeypatch.undo()
    monkeypatch.setattr(reading, "MAX_WORKBOOK_STRINGS_BYTES", 100)
    strings = _rewritten("brand24.xlsx", added=[("xl/sharedStrings.xml", b" " * 200)])
    with pytest.raises(ListeningFileError, match="unpacks to far more"):
        open_export("brand24.xlsx", strings)


def test_a_workbook_with_an_entity_bomb_is_refused():
    """The billion laughs: XML entities that expand to gigabytes."""
    entities = '<!ENTITY a "hahahahahahahahahahahaha">' + "".join(
        f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(9)
    )

    def bomb(part: str, data: bytes) -> bytes:
        if not part.startswith("xl/worksheets/"):
            return data
        doctype = f"<!DOCTYPE worksheet [{entities}]>".encode()
        return doctype + data.replace(b"<t>", b"<t>&j;", 1)

    with pytest.raises(ListeningFileError, match=r"brand24\.xlsx"):
        export = open_export("brand24.xlsx", _rewritten("brand24.xlsx", bomb))
        list(export.records())
