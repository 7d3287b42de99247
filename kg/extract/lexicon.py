"""Word lists the extraction rules share: titles, organization heads, honorifics, countries.

The lists themselves are data (kg/extract/knowledge/*.tsv, and the countries in the reference
data, ontology/reference-countries.ttl); this module compiles them into the sets and patterns
the rules use. They describe the genre, not any one article: no person or event name is here.
"""

from __future__ import annotations

import re

from kg.extract.knowledge import country_names, rank_labels, table, words
from kg.month_names import MONTHS  # noqa: F401 - re-exported for the extractor


def _forms(name: str, column: str | None = None) -> tuple[str, ...]:
    return words(name, column)


HONORIFICS = _forms("honorifics")
HONORIFIC = (
    "(?:" + "|".join(re.escape(h).replace(r"\ ", r"\s?") for h in sorted(HONORIFICS, key=len, reverse=True)) + r")\.?"
)

TITLE_MODIFIERS = _forms("title_modifiers")
TITLE_HEADS = _forms("titles")
# The kind of body each title serves: "state" (a country's office), "organization", or "any".
TITLE_BODY = {row["title"].lower(): row.get("body") or "any" for row in table("titles")}
# Titles that, said without a body or country, still state a post ("President X"); see titles.tsv.
TITLES_ALONE = frozenset(row["title"] for row in table("titles") if row.get("alone", "yes").lower() != "no")
# A unit that a title can govern before the body: "Head of (the) Representation of UNHCR".
TITLE_UNITS = ("Representation", "Office", "Mission", "Delegation", "Department", "Division", "Bureau", "Board")

_HEAD_KINDS = {row["head"]: row.get("kind") or "body" for row in table("org_heads")}
ORG_HEADS = frozenset(_HEAD_KINDS)
# Heads that name a local unit: "in <Place>" belongs to their name ("IOM Representation in X").
UNIT_HEADS = frozenset(h for h, kind in _HEAD_KINDS.items() if kind == "local")
GOVERNING_HEADS = frozenset({h for h, kind in _HEAD_KINDS.items() if kind == "governing"} | {"Conference"})
WEAK_HEADS = frozenset(h for h, kind in _HEAD_KINDS.items() if kind == "weak") | {"Plan"}

EVENT_HEADS = frozenset(
    "Forum Conference Summit Congress Session Symposium Dialogue Consultations Games Week Festival Review "
    "Exhibition Workshop Roundtable Meeting Assembly Seminar Expo Olympiad Convention".split()
)

KNOWN_ACRONYMS = frozenset(_forms("body_acronyms"))
NOT_ORG_ACRONYMS = frozenset(_forms("not_body_acronyms"))

COUNTRY_NAMES, DEMONYMS = country_names()
# Capitalised words that never start or make up a person's name; country names and demonyms too.
PORTFOLIO_WORDS = frozenset(_forms("portfolio_words"))
NON_NAME_WORDS = (
    frozenset(_forms("non_name_words"))
    | PORTFOLIO_WORDS
    | {w for name in COUNTRY_NAMES for w in name.split() if w[:1].isupper()}
    | frozenset(DEMONYMS)
)
RANK_SERVICES = _forms("rank_services")
# Lower-case nouns that mark the name after them as a person's ("academician X", "journalist X").
PERSON_NOUNS = frozenset(_forms("person_nouns"))
# Capitalised words of the reference ranks ("Colonel", "Lieutenant"): never part of a person's name.
RANK_WORDS = frozenset(
    w for label in rank_labels() for w in re.split(r"[\s-]+", label)
    if w[:1].isupper() and len(w) > 2 and not re.fullmatch(r"[IVX]+", w)
)
# The ranks of the reference rank schemes, as a pattern: any case, a hyphen or a space between words.
RANK_LABEL_RE = "(?:" + "|".join(
    r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", label)) for label in rank_labels()
) + r")(?![\w-])"


WORD_ORDINALS = {
    w: i + 1
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
        "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split()
    )
}
ORDINAL = (
    r"(?:\d{1,3}(?:st|nd|rd|th)|" + "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in WORD_ORDINALS) + r")"
)


ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def ordinal_value(text: str) -> int | None:
    """Read "114th", "third" or "XXII" as a number."""
    if m := re.match(r"(\d+)", text):
        return int(m.group(1))
    if re.fullmatch(r"[IVXLC]+", text):
        values = [ROMAN[c] for c in text]
        return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    return WORD_ORDINALS.get(text.lower())


def alternation(words: tuple[str, ...] | frozenset[str], *, any_case_first: bool = True) -> str:
    """Build a regex alternation, longest first, the first letter matching either case."""
    parts = []
    for word in sorted(words, key=len, reverse=True):
        escaped = re.escape(word)
        if any_case_first and word[:1].isalpha():
            escaped = f"[{word[0].upper()}{word[0].lower()}]" + re.escape(word[1:])
        parts.append(escaped)
    return "(?:" + "|".join(parts) + ")"


TITLE_RE = r"(?:(?:" + alternation(TITLE_MODIFIERS) + r")[\s-]+)*" + alternation(TITLE_HEADS)

# Single-word country names (and the last words of longer ones) as the older rules match them.
COUNTRIES = frozenset(w for name in COUNTRY_NAMES if name[:1].isupper() for w in [name.split()[-1]])
_COUNTRY_ALTERNATION = "|".join(
    re.escape(n).replace(r"\ ", r"\s+") for n in sorted(COUNTRY_NAMES, key=len, reverse=True) if n[:1].isupper()
)
COUNTRY_RE = (
    r"(?:(?:the\s+)?(?:[A-Z][\w-]+\s+)?Republic\s+of\s+[A-Z][\w-]+|(?:the\s+)?United\s+(?:States|Kingdom|Arab\s+Emirates)"
    r"|(?:the\s+)?(?:Kingdom|State|Sultanate|Principality|Grand\s+Duchy|Commonwealth)\s+of\s+(?:the\s+)?"
    r"(?!(?:Ministry|Service|Office|Committee|Agency|Department|Council|Commission)\b)[A-Z][\w-]+"
    r"|(?:the\s+)?Kyrgyz\s+Republic|(?:the\s+)?(?:" + _COUNTRY_ALTERNATION + r"))(?![\w-])"
)
DEMONYM_RE = "(?:" + "|".join(re.escape(d) for d in sorted(DEMONYMS, key=len, reverse=True)) + r")(?![\w-])"
