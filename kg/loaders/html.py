"""Read an HTML article page: its headline, date, publisher and body paragraphs.

Pages carry navigation, scripts and footers around the story; only the article element (or
the main element, or the body as a last resort) is read, paragraph by paragraph.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from kg.errors import InputError
from kg.facts import Article

DROP = "script, style, nav, header, footer, aside, form, noscript, iframe, figure"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_html(html: str, *, source: str | None = None) -> Article:
    """Turn one HTML page into an `Article`; raise `InputError` when it has no body text."""
    tree = HTMLParser(html)
    meta = _meta(tree)
    root = tree.css_first("article") or tree.css_first("main") or tree.body
    title = _text(tree.css_first("h1")) or meta.get("og:title") or _text(tree.css_first("title"))
    if root is None:
        raise InputError(f"{source or '<html>'}: no body element")
    for node in root.css(DROP):
        node.decompose()
    paragraphs = [p for p in (_text(n) for n in root.css("p")) if p]
    if not paragraphs:
        paragraphs = [line for line in root.text(separator="\n").split("\n") if line.strip()]
    paragraphs = [" ".join(p.split()) for p in paragraphs if p.strip() != (title or "").strip()]
    if not paragraphs:
        raise InputError(f"{source or '<html>'}: empty article body (no paragraphs)")
    return Article(
        text="\n\n".join(paragraphs),
        title=title,
        published=_published(tree, meta),
        url=meta.get("og:url") or _canonical(tree),
        publisher=meta.get("og:site_name"),
        byline=meta.get("author"),
        source=source,
    )


def _meta(tree: HTMLParser) -> dict[str, str]:
    """Collect ``<meta>`` properties and names, lower-cased."""
    found: dict[str, str] = {}
    for node in tree.css("meta"):
        key = node.attributes.get("property") or node.attributes.get("name")
        value = node.attributes.get("content")
        if key and value:
            found.setdefault(key.lower(), value.strip())
    return found


def _published(tree: HTMLParser, meta: dict[str, str]) -> str | None:
    """Take the page's own publication date: article metadata, else a ``<time>`` element."""
    candidates = [meta.get("article:published_time"), meta.get("date")]
    candidates += [n.attributes.get("datetime") for n in tree.css("time")]
    for value in candidates:
        if value and (m := ISO_DATE.search(value)):
            return m.group(0)
    return None


def _canonical(tree: HTMLParser) -> str | None:
    node = tree.css_first('link[rel="canonical"]')
    return node.attributes.get("href") if node else None


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    text = " ".join(node.text(separator=" ").split())
    return re.sub(r"\s+([.,;:!?)])", r"\1", text) or None
