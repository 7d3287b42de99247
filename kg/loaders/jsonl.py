"""Read JSON Lines article dumps: one object per line with url, title, published, body, ...

Crawlers and exports often hand over many articles in one file; each line becomes one
`Article`, and a bad line is reported by its number so it can be fixed at the source.
"""

from __future__ import annotations

import json

from kg.errors import InputError
from kg.facts import Article
from kg.loaders.published import iso_date
from kg.loaders.text import read_text

FIELDS = ("url", "title", "published", "publisher", "author")


def read_jsonl(text: str, *, source: str | None = None) -> list[Article]:
    """Read every non-blank line as one article; raise `InputError` naming the first bad line."""
    items = read_jsonl_records(text, source=source)
    for item in items:
        if isinstance(item, InputError):
            raise item
    return items


def read_jsonl_records(text: str, *, source: str | None = None) -> list[Article | InputError]:
    """Read every non-blank line on its own: an article, or the `InputError` naming that line.

    A batch goes on past a bad record: the caller stores the good ones and reports the others.
    """
    items: list[Article | InputError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                items.append(_article(line, f"{source or '<jsonl>'}:{number}"))
            except InputError as exc:
                items.append(exc)
    if not items:
        raise InputError(f"{source or '<jsonl>'}: no articles (the file holds no JSON lines)")
    return items


def _article(line: str, where: str) -> Article:
    """Build one article from a JSON object whose ``body`` is plain text."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
    except RecursionError as exc:  # the decoder recurses once per nested array or object
        raise InputError(f"{where}: the JSON nests too deeply to read (an article record is one flat object)") from exc
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    body = record.get("body")
    if not isinstance(body, str) or not body.strip():
        raise InputError(f"{where}: missing or empty 'body' field")
    values = {key: record.get(key) if isinstance(record.get(key), str) else None for key in FIELDS}
    article = read_text(body, source=where)
    article.title = values["title"] or article.title
    article.published = iso_date(values["published"]) or article.published
    article.url, article.byline = values["url"], values["author"] or article.byline
    article.publisher = values["publisher"] or article.publisher
    return article
