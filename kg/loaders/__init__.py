"""Read articles from files of several formats into `kg.facts.Article` records.

One entry point, `read_path`, picks the reader from the file's extension so that the CLI and
the ingest code never need to know which formats exist.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import InputError
from kg.facts import Article
from kg.loaders.html import read_html
from kg.loaders.jsonl import read_jsonl, read_jsonl_records
from kg.loaders.text import decode, read_text

__all__ = ["read_path", "read_items", "read_text", "read_html", "read_jsonl", "read_jsonl_records", "SUFFIXES"]

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
    a file that cannot be read at all still raises `InputError`.
    """
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(SUFFIXES))
        raise InputError(f"{path}: unknown article format {path.suffix!r} (expected one of {known})")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    text = decode(raw, source=str(path))
    if kind == "html":
        return [read_html(text, source=str(path))]
    if kind == "jsonl":
        return read_jsonl_records(text, source=str(path))
    return [read_text(text, source=str(path))]
