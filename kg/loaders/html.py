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
from kg.loaders.published import date_line, iso_date
from kg.loaders.text import COPYRIGHT

DROP = "script, style, nav, header, footer, aside, form, noscript, iframe, figure"
# Class or id words of page furniture in sites built from plain <div>s: menus, footers, share bars.
FURNITURE_WORDS = frozenset(
    "menu nav navbar navigation footer header sidebar breadcrumb breadcrumbs share social search related "
    "cookie cookies banner subscribe copyright".split()
)
DATE_META = ("article:published_time", "datepublished", "date", "dcterms.date", "dc.date", "pubdate",
             "publishdate", "og:published_time", "article:published")


def read_html(html: str, *, source: str | None = None) -> Article:
    """Turn one HTML page into an `Article`; raise `InputError` when it has no body text."""
    tree = HTMLParser(html)
    meta = _meta(tree)
    root = tree.css_first("article") or tree.css_first("main") or tree.body
    title = _title(tree, meta)
    if root is None:
        raise InputError(f"{source or '<html>'}: no body element")
    published = _published(tree, meta)
    publisher = meta.get("og:site_name") or _copyright_holder(tree)
    for node in root.css(DROP):
        node.decompose()
    for node in [n for n in root.css("[class], [id]") if _furniture(n)]:
        node.decompose()
    paragraphs = [p for p in (_text(n) for n in root.css("p")) if p]
    if not paragraphs:
        paragraphs = [line for line in root.text(separator="\n").split("\n") if line.strip()]
    paragraphs = [
        " ".join(p.split()) for p in paragraphs if p.strip() != (title or "").strip() and not date_line(p)
    ]
    if not paragraphs:
        raise InputError(f"{source or '<html>'}: empty article body (no paragraphs)")
    return Article(
        text="\n\n".join(paragraphs),
        title=title,
        published=published,
        url=meta.get("og:url") or _canonical(tree),
        publisher=publisher,
        byline=meta.get("author"),
        source=source,
    )


def _title(tree: HTMLParser, meta: dict[str, str]) -> str | None:
    """The headline: the page's <h1>, its Open Graph title, a "title" element, or <title> less the site name."""
    found = _text(tree.css_first("h1")) or meta.get("og:title")
    for node in tree.css("h2, h3, div, span"):
        if found:
            break
        if "title" in _class_words(node):
            found = _text(node)
    if not found and (page := _text(tree.css_first("title"))):
        found = re.split(r"\s+[|–—-]\s+(?=[^|–—-]+$)", page)[0] if re.search(r"\s[|–—-]\s", page) else page
    return found


def _copyright_holder(tree: HTMLParser) -> str | None:
    """The holder named in the page's copyright line ("© 2023 State Migration Service."), if any."""
    for node in tree.css("footer, [class], [id]"):
        if node.tag == "footer" or "footer" in _class_words(node):
            for line in (node.text(separator="\n") or "").split("\n"):
                if (m := COPYRIGHT.match(line)) and m.group(1):
                    return m.group(1).split(". ")[0].rstrip(".")
    return None


def _class_words(node: Node) -> set[str]:
    words = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
    return set(re.split(r"[\s_-]+", words.lower()))


def _furniture(node: Node) -> bool:
    return node.tag not in ("body", "html", "article", "main") and bool(_class_words(node) & FURNITURE_WORDS)


def _meta(tree: HTMLParser) -> dict[str, str]:
    """Collect ``<meta>`` properties and names, lower-cased."""
    found: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        value = node.attributes.get("content")
        if key and value:
            found.setdefault(key.lower(), value.strip())
    return found


def _published(tree: HTMLParser, meta: dict[str, str]) -> str | None:
    """Take the page's own publication date: article metadata, else a ``<time>`` element."""
    candidates = [meta.get(key) for key in DATE_META]
    candidates += [n.attributes.get("datetime") for n in tree.css("time")]
    for value in candidates:
        if found := iso_date(value):
            return found
    for node in tree.css("time, [class], [id]"):
        if (node.tag == "time" or "date" in _class_words(node)) and (found := date_line(_text(node) or "")):
            return found
    return None


def _canonical(tree: HTMLParser) -> str | None:
    node = tree.css_first('link[rel="canonical"]')
    return node.attributes.get("href") if node else None


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    text = " ".join(node.text(separator=" ").split())
    return re.sub(r"\s+([.,;:!?)])", r"\1", text) or None
