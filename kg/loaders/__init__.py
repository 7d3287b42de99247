"""Read articles from files of several formats into `kg.facts.Article` records.

One entry point, `read_path`, picks the reader from the file's extension so that the CLI and
the ingest code never need to know which formats exist.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kg.errors import InputError
from kg.facts import Article
from kg.loaders.html import read_html
from kg.loaders.jsonl import read_jsonl, read_jsonl_records
from kg.loaders.text import decode, read_text

__all__ = [
    "STDIN", "SUFFIXES", "read_bytes", "read_html", "read_items", "read_jsonl", "read_jsonl_records", "read_path",
    "read_text", "sniff",
]

STDIN = "-"  # the path that means standard input
SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
}


def read_path(path: Path) -> list[Article]:
    """Read one file into its articles (one, or one per line for JSON Lines).

    Raises `InputError` naming the file when it is missing, of an unknown kind or unreadable.
    """
    items = read_items(path)
    for item in items:
        if isinstance(item, InputError):
            raise item
    return items


def read_items(path: Path) -> list[Article | InputError]:
    """Read one file into its articles, a bad JSON Lines record becoming its `InputError`.

    Use it where a batch must go on past one bad record of a file that holds several articles;
    a file that cannot be read at all still raises `InputError`. The path `-` is standard input,
    whose format is told from its first character ('{' JSON Lines, '<' HTML, else text).
    """
    path = Path(path)
    if str(path) == STDIN:
        return read_bytes(sys.stdin.buffer.read(), source="<stdin>")
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(SUFFIXES))
        raise InputError(f"{path}: unknown article format {path.suffix!r} (expected one of {known})")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    return read_bytes(raw, source=str(path), kind=kind)


def read_bytes(raw: bytes, *, source: str, kind: str | None = None) -> list[Article | InputError]:
    """Read articles from bytes of the given kind ('text', 'html', 'jsonl'), or of the kind they look like."""
    text = decode(raw, source=source)
    kind = kind or sniff(text)
    if kind == "html":
        return [read_html(text, source=source)]
    if kind == "jsonl":
        return read_jsonl_records(text, source=source)
    return [read_text(text, source=source)]


def sniff(text: str) -> str:
    """Tell an article's format from its first character, for input with no file name."""
    start = text.lstrip()[:1]
    return {"{": "jsonl", "<": "html"}.get(start, "text")
