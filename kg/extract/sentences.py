"""Split an article into sentences, keeping the headline apart as sentence zero.

Press releases abbreviate honorifics ("Mr.", "H.E.") and initials ("N.Rahimova"); a naive
split on full stops would cut names in two, so the split skips those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.facts import Article

BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(\[]*[A-Z0-9])")
# "Aug. 20", "Sept. 3": a month's abbreviation before a day number ends no sentence.
MONTH_DAY = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$")
NO_BREAK_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Hon|Amb|Rev|Sen|Gov|St|No|Nos|Art|Gen|Brig|Adm|Col|Lt|Maj|Capt|Jr|Sr|vs|etc|e\.g|i\.e|H\.E|U\.S)"
    r"|\b[A-Z])\.[\"”’)]?$"
)


@dataclass(frozen=True)
class Sentence:
    """One sentence with its place in the article; the headline is a sentence of its own."""

    text: str
    index: int
    paragraph: int  # -1 for the headline, then 0, 1, ... for body paragraphs
    is_title: bool = False


@dataclass(frozen=True)
class Span:
    """A stretch of a sentence that refers to something: a person, an organization, an event."""

    start: int
    end: int
    value: str  # what it refers to: a person's name, an organization name, an event key
    kind: str = ""  # "name", "alias", "role", "pronoun", "anaphor", ...


def tidy(text: str) -> str:
    """Repair spacing slips common in the genre ("Service,II rank") before any rule runs."""
    text = re.sub(r"[\u200b-\u200d\u2060\ufeff]", "", text)  # zero-width characters
    text = re.sub(r",(?=[A-Za-z])", ", ", text)
    return re.sub(r"\s+", " ", text).strip()  # any space: no-break, thin, tabs, stray newlines


def split_sentences(article: Article) -> list[Sentence]:
    """Return the headline (if any) and then every body sentence in order."""
    sentences: list[Sentence] = []
    if article.title and tidy(article.title):
        sentences.append(Sentence(tidy(article.title), 0, -1, True))
    paragraphs = [p for p in re.split(r"\n\s*\n", article.text) if p.strip()]
    for number, paragraph in enumerate(paragraphs):
        for line in _units(paragraph):
            for piece in _split_paragraph(tidy(line)):
                sentences.append(Sentence(piece, len(sentences), number))
    return sentences


def _units(paragraph: str) -> list[str]:
    """The paragraph's text, cut at line ends that end a unit: a headline or a list item.

    Some pages put a headline and its first paragraph on consecutive lines ("... Kuwait MFA" /
    "The 1st round ..."); a line without closing punctuation followed by a capitalised line is
    then its own sentence. Text hard-wrapped at a fixed width ("... Rafiyev and" / "Director of")
    is joined: there a line end is only a space.
    """
    lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
    if len(lines) < 2 or _wrapped(lines):
        return [" ".join(paragraph.split())]
    units, current = [], [lines[0]]
    for line in lines[1:]:
        if not re.search(r"[.!?:;,\"”’)]$|\b(?:and|or|of|the|to|in|for|with|by)$", current[-1]) and line[:1].isupper():
            units.append(" ".join(current))
            current = [line]
        else:
            current.append(line)
    units.append(" ".join(current))
    return units


def _wrapped(lines: list[str]) -> bool:
    """Lines cut at a fixed width: all but the last about as long as the longest."""
    widest = max(len(line) for line in lines)
    return len(lines) >= 3 and widest <= 120 and all(len(line) >= 0.6 * widest for line in lines[:-1])


def _split_paragraph(text: str) -> list[str]:
    """Cut at sentence ends that do not follow an abbreviation or an initial."""
    pieces, start = [], 0
    for m in BOUNDARY.finditer(text):
        if NO_BREAK_BEFORE.search(text[start : m.start()]):
            continue
        if MONTH_DAY.search(text[start : m.start()]) and text[m.end() : m.end() + 1].isdigit():
            continue
        pieces.append(text[start : m.start()].strip())
        start = m.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]
