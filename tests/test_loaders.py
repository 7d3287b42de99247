"""Article readers: both plain-text layouts, HTML, JSON Lines, and the errors bad input raises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.loaders import read_path, read_text

AGENCY = """ date 2024-03-05 5 March 2024 10:15 (UTC+04:00)

By Nigar Hasanova

The delegation arrived in Vienna on Monday, News.az reports.

Talks continue.

---

Follow us on Twitter @NewsAz"""

OFFICIAL = """A headline about a visit

First paragraph of the story.
It goes on here.

Second paragraph.

© 2022 The Republic of Azerbaijan State Border Service
Terms for users | Privacy Policy | All rights reserved"""


def test_agency_layout_keeps_date_and_byline_and_drops_the_footer() -> None:
    article = read_text(AGENCY, source="a.txt")
    assert (article.published, article.byline, article.title) == ("2024-03-05", "Nigar Hasanova", None)
    assert article.text == "The delegation arrived in Vienna on Monday, News.az reports.\n\nTalks continue."
    assert article.publisher == "News.az"


def test_official_layout_takes_title_and_publisher_but_not_the_copyright_year() -> None:
    article = read_text(OFFICIAL, source="b.txt")
    assert article.title == "A headline about a visit"
    assert article.text == "First paragraph of the story. It goes on here.\n\nSecond paragraph."
    assert article.publisher == "The Republic of Azerbaijan State Border Service"
    assert article.published is None


@pytest.mark.parametrize("body", ["", "\n\n", "© 2024 Some Office\nTerms for users | Privacy Policy"])
def test_empty_body_is_an_input_error_naming_the_file(body: str) -> None:
    with pytest.raises(InputError, match=r"empty\.txt: empty article body"):
        read_text(body, source="empty.txt")


def test_undecodable_bytes_name_the_file_and_offset(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Title\n\nBody \xff\xfe text.")
    with pytest.raises(InputError, match=r"bad\.txt: not UTF-8 text \(byte 0xff at offset 12\)"):
        read_path(path)


def test_unknown_extension_and_missing_file_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown article format '.pdf'"):
        read_path(tmp_path / "x.pdf")
    with pytest.raises(InputError, match="cannot read file"):
        read_path(tmp_path / "missing.txt")


def test_markdown_title_line(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# A title\n\nBody text.\n", encoding="utf-8")
    [article] = read_path(path)
    assert (article.title, article.text, article.source) == ("A title", "Body text.", str(path))


def test_html_reads_the_article_element_only(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(
        '<html><head><meta property="og:site_name" content="Gov Site"><title>T</title>'
        '<link rel="canonical" href="https://example.org/a"></head><body><nav><p>Menu</p></nav>'
        '<article><h1>The headline</h1><time datetime="2024-01-02T10:00">2 Jan</time>'
        "<p>First <b>para</b>.</p><p>Second para.</p></article><footer><p>© 2024</p></footer></body></html>",
        encoding="utf-8",
    )
    [article] = read_path(path)
    assert (article.title, article.published, article.publisher) == ("The headline", "2024-01-02", "Gov Site")
    assert article.text == "First para.\n\nSecond para."
    assert article.url == "https://example.org/a"


def test_html_without_paragraphs_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "e.html"
    path.write_text("<html><body><article><h1>Only a title</h1></article></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match=r"e\.html: empty article body"):
        read_path(path)


def test_jsonl_one_article_per_line(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    rows = [
        {
            "url": "u1",
            "title": "One",
            "published": "2024-02-03T08:00:00",
            "body": "Body one.",
            "publisher": "P",
        },
        {"title": "Two", "body": "Body two.\n\nMore.", "author": "A. Writer"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    first, second = read_path(path)
    assert (first.url, first.title, first.published, first.publisher, first.text) == (
        "u1",
        "One",
        "2024-02-03",
        "P",
        "Body one.",
    )
    assert (second.title, second.byline, second.text) == ("Two", "A. Writer", "Body two.\n\nMore.")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", r"b\.jsonl:2: not valid JSON"),
        ('{"title": "x"}', r"b\.jsonl:2: missing or empty 'body'"),
        ("[1, 2]", r"b\.jsonl:2: expected a JSON object"),
    ],
)
def test_jsonl_errors_name_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "b.jsonl"
    path.write_text('{"body": "fine"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_path(path)


def test_real_corpus_layouts() -> None:
    corpus = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "articles"
    if not corpus.exists():
        pytest.skip(f"corpus not found at {corpus} (it lives outside the project)")
    agency = read_path(corpus / "000_1e62c3754abeb158.txt")[0]
    assert (agency.published, agency.byline, agency.publisher) == ("2023-12-14", "Asim Aliyev", "Azernews")
    assert "Follow us" not in agency.text and "---" not in agency.text
    official = read_path(corpus / "001_fcb2d7a34c69d5ac.txt")[0]
    assert official.published is None and official.title.startswith(
        "The Chief of the State Migration Service"
    )
    assert "©" not in official.text and "Privacy Policy" not in official.text
