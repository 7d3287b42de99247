"""Read plain-text articles as collected from news sites, dropping their site furniture.

Two layouts occur in the genre: a news-agency layout (a ``date YYYY-MM-DD ...`` line, a ``By
Name`` byline, the body, then ``---`` and a "Follow us" line) and an official-site layout (a
title line, the body, then a copyright footer). Both become the same `Article`; the footer
tells who published the text, never when (a copyright year is not a publication date).
"""

from __future__ import annotations

import re

from kg.errors import InputError
from kg.facts import Article
from kg.loaders.published import date_line

DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b", re.IGNORECASE)
BYLINE = re.compile(r"^\s*By\s+([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s*$")
COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)|Copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(.*?)\s*\.?\s*$", re.I)
FURNITURE = re.compile(
    r"^\s*(?:---+|Follow us\b.*|Terms for users\b.*|.*\bAll rights reserved\b.*|Share\b.*|Print\b.*"
    r"|Read more\b.*|Subscribe\b.*|Tags?:.*|Related (?:news|articles)\b.*|Privacy Policy\b.*)\s*$",
    re.IGNORECASE,
)
HANDLE = re.compile(r"Follow us on \w+ @(\w+)", re.IGNORECASE)
REPORTS = re.compile(r",\s+([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)\s+(?:reports|reported|informs)\b")
CREDIT = re.compile(
    r"^\s*(?:Source\s*:\s*([^|·]+?)\s*(?:[|·]|$)|Press\s+(?:Service|Office|Centre|Center)\s+of\s+(?:the\s+)?([^|]+?)\s*$)",
    re.IGNORECASE,
)
MD_TITLE = re.compile(r"^\s*#+\s+")
# Lines of a closing contact block: "Press Office of ...", "Source: X | Share", an address, an e-mail.
CONTACT = re.compile(
    r"@|\||\bPress\s+(?:Service|Office|Centre|Center)\b|^\s*(?:Source|Address|Phone|Tel|E-?mail|Fax)\b\s*:?"
    r"|\b(?:str|street|avenue|ave)\b\.?,",
    re.IGNORECASE,
)


def decode(raw: bytes, *, source: str | None) -> str:
    """Decode UTF-8 bytes (with or without a BOM); name the file and offset when they are not."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = raw[exc.start : exc.start + 1].hex()
        raise InputError(
            f"{source or '<text>'}: not UTF-8 text (byte 0x{byte} at offset {exc.start})"
        ) from exc


def read_text(text: str, *, source: str | None = None) -> Article:
    """Turn one plain-text article into an `Article`, furniture removed.

    Raises `InputError` when nothing but furniture is left.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    published, lines = _take_date_line(lines)
    byline, lines = _take_byline(lines)
    body_lines, footer = _split_footer(lines)
    title = None
    if published is None and byline is None:
        published, body_lines = _take_site_date(body_lines)
        title, body_lines = _take_title(body_lines)
        if published is None:
            published, body_lines = _take_site_date(body_lines)
    body = _paragraphs(body_lines)
    if not body and title:
        raise InputError(f"{source or '<text>'}: not an article: one line of text ({title[:60]!r}), read as a "
                         "title; an article has a title line and at least one paragraph")
    if not body:
        raise InputError(f"{source or '<text>'}: empty article body (only furniture or blank lines)")
    publisher = _publisher(footer, body)
    return Article(
        text=body, title=title, published=published, publisher=publisher, byline=byline, source=source
    )


def _take_date_line(lines: list[str]) -> tuple[str | None, list[str]]:
    """Read the agency layout's leading ``date`` line, the only trusted publication date."""
    first = _first_nonblank(lines)
    if first is not None and (m := DATE_LINE.match(lines[first])):
        # Some copies run the first paragraph on after the date; a time stamp there is not a paragraph.
        rest = lines[first][m.end() :].strip()
        kept = [rest] if len(rest.split()) >= 8 else []
        return m.group(1), kept + lines[first + 1 :]
    return None, lines


def _take_site_date(lines: list[str]) -> tuple[str | None, list[str]]:
    """Read a line that holds only a date, as official sites print it above or below the title."""
    first = _first_nonblank(lines)
    if first is not None and (found := date_line(lines[first])):
        return found, lines[first + 1 :]
    return None, lines


def _take_byline(lines: list[str]) -> tuple[str | None, list[str]]:
    """Remove a ``By Name`` line near the top; bylines are not people of the story."""
    first = _first_nonblank(lines)
    if first is not None and (m := BYLINE.match(lines[first])):
        return m.group(1), lines[first + 1 :]
    return None, lines


def _take_title(lines: list[str]) -> tuple[str | None, list[str]]:
    """Take a leading one-line title: a short line followed by a blank line, not a sentence."""
    first = _first_nonblank(lines)
    if first is None:
        return None, lines
    line = MD_TITLE.sub("", lines[first]).strip()
    followed_by_blank = first + 1 >= len(lines) or not lines[first + 1].strip()
    if followed_by_blank and len(line) < 250 and not line.endswith((".", ":")) and first + 1 < len(lines):
        return line, lines[first + 1 :]
    return None, lines


def _split_footer(lines: list[str]) -> tuple[list[str], list[str]]:
    """Separate body lines from furniture lines (separator, copyright, follow-us, legal links),
    and a closing contact block ("Press Office of ...", an address, "Source: X | Share")."""
    body, footer = [], []
    for line in lines:
        if FURNITURE.match(line) or COPYRIGHT.match(line):
            footer.append(line.strip())
        else:
            body.append(line)
    while (block := _last_block(body)) and all(_contact(body[i]) for i in block):
        footer = [body[i].strip() for i in block] + footer
        del body[block[0] :]
    return body, footer


def _last_block(lines: list[str]) -> list[int]:
    """Indexes of the last paragraph's lines, when there is more than that paragraph."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    start = end
    while start and lines[start - 1].strip():
        start -= 1
    has_more = any(line.strip() for line in lines[:start])
    return list(range(start, end)) if has_more and end > start else []


def _contact(line: str) -> bool:
    """A line of a contact block: not a sentence, and an address, a source credit or a press office."""
    text = line.strip()
    if len(text) > 200:  # a paragraph cut off mid-sentence that mentions a press service is still prose
        return False
    return not text.endswith((".", "!", "?", '"', "”")) and bool(CONTACT.search(text))


def _paragraphs(lines: list[str]) -> str:
    """Join lines into paragraphs separated by one blank line, spaces tidied."""
    paragraphs, current = [], []
    for line in lines + [""]:
        if line.strip():
            current.append(" ".join(line.split()))
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return "\n\n".join(paragraphs)


def _publisher(footer: list[str], body: str) -> str | None:
    """Name the publisher from the copyright holder, an agency credit, or a social handle."""
    for line in footer:
        if (m := COPYRIGHT.match(line)) and m.group(1):
            return m.group(1)
    if m := REPORTS.search(body):
        return m.group(1)
    for line in footer:
        if m := HANDLE.search(line) or CREDIT.search(line):
            return next(g for g in m.groups() if g).strip()
    return None


def _first_nonblank(lines: list[str]) -> int | None:
    return next((i for i, line in enumerate(lines) if line.strip()), None)
