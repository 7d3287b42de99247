"""Find the institutions an article names, with their acronyms.

An organization is a capitalised phrase built around a head noun ("Service", "Organization",
"Office", "Ministry", ...), extended by "of/for/on" complements and, for local units such
as a representation or an embassy, by the place it sits in. Acronyms count when the text
defines them "(IOM)", when their letters spell a named body ("SMS"), when a title follows
them ("WHO Director General") or when they are well-known international bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.lexicon import (
    COUNTRIES,
    COUNTRY_NAMES,
    COUNTRY_RE,
    DEMONYMS,
    KNOWN_ACRONYMS,
    MONTHS,
    NOT_ORG_ACRONYMS,
    ORG_HEADS,
    PORTFOLIO_WORDS,
    TITLE_RE,
    TITLE_UNITS,
    UNIT_HEADS,
    WEAK_HEADS,
)
from kg.extract.sentences import Sentence, Span

TOKEN = re.compile(r"\w+(?:['’-]\w+)*|\S")
CONNECTORS = frozenset({"of", "for", "on"})
LEFT_STOP = frozenset(
    "The A An At In On Of By With From For And This Its His Her Their Our Mr Mrs Ms Dr Head Chief Minister "
    "Director Deputy Ambassador Chairman Chairperson Secretary Rapporteur Representative President Assistant "
    "Acting Vice Senior".split()
)
# Units whose name ends with the body they belong to: "Division for X of the UN Department of Y".
OWNED_UNITS = frozenset({"Division", "Department", "Bureau", "Section", "Unit", "Directorate", "Secretariat"})
BODY_STARTS = frozenset({"United", "UN", "World", "International", "European", "Global"})
HONORIFIC_WORDS = frozenset({"Mr", "Mrs", "Ms", "Dr", "Prof", "Madam", "Sir"})
# "Minister of Territorial Administration and Development": what follows a minister's title is a portfolio.
PORTFOLIO_BEFORE = re.compile(r"\bMinister\s+(?:of|for)\s+(?:the\s+)?$")
TITLE_AT = re.compile(TITLE_RE + r"(?![\w-])")
TITLE_OF_AT = re.compile(r"(?<![\w-])" + TITLE_RE + r"\s+(?:of|at)\s+(?:the\s+)?$")
TITLE_BEFORE_UNIT = re.compile(TITLE_RE + r"\s+of\s+(?:the\s+)?$")
# "Office ... of the Republic / of <Country>" and "Office in (the) <Country>": an office of a country.
OFFICE_OF_COUNTRY = re.compile(r"\bRepublic\b|" + "|".join(COUNTRIES))
IN_COUNTRY = re.compile(r"\s*in\s+(?:the\s+)?" + COUNTRY_RE)


@dataclass
class OrgMention:
    start: int
    end: int
    name: str
    acronym: str | None = None


@dataclass
class OrgTable:
    """The article's organizations: long names, their acronyms, and where they are mentioned."""

    names: list[str] = field(default_factory=list)
    acronyms: dict[str, str] = field(default_factory=dict)  # "IOM" -> "International Organization ..."

    def canonical(self, name: str) -> str:
        """The long form of an acronym when the article gives one, else the name itself."""
        return self.acronyms.get(name, name)


def tokens(text: str) -> list[re.Match]:
    return list(TOKEN.finditer(text))


def is_cap(word: str) -> bool:
    return word[:1].isupper() and word not in HONORIFIC_WORDS


def is_acronym(word: str) -> bool:
    return 2 <= len(word) <= 8 and word.isalpha() and word.isupper()


def find_org_spans(text: str, blocked: list[Span]) -> list[OrgMention]:
    """Phrases headed by an organization noun, maximal ones only; people's names block them."""
    toks = tokens(text)
    found = []
    for i, tok in enumerate(toks):
        if _is_head(toks, i) and not _inside(tok.start(), blocked):
            first, last = _left(toks, i, blocked), _right(toks, i, blocked)
            last = _place(toks, i, first, last, text)
            if _unit_under_title(toks, i, first, text):
                continue
            mention = _mention(toks, first, last, text)
            if mention and _weak(toks[i].group(), mention):
                continue
            if mention:
                found.append(_under_acronym(mention, text))
    kept = [m for m in found if not any(_nested(m, o, text) for o in found)]
    return [m for m in kept if not _country_itself(m.name) and not PORTFOLIO_BEFORE.search(text[: m.start])]


def _country_itself(name: str) -> bool:
    """A country's own name ("Russian Federation") or a country's delegation is not a body."""
    name = re.sub(r"^the\s+", "", name)
    if name in COUNTRY_NAMES:
        return True
    m = re.fullmatch(r"Delegation\s+of\s+(?:the\s+)?(.+)", name)
    return bool(m and m.group(1) in COUNTRY_NAMES)


WEEKDAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())


def _is_date_word(word: str) -> bool:
    return word.lower() in MONTHS or word in WEEKDAYS


def _nested(inner: OrgMention, outer: OrgMention, text: str) -> bool:
    """Say whether `inner` lies inside `outer` as a mere part of its name; a body named after
    "of (the)" inside a unit's name is a body of its own ("Division ... of the UN Department of ...")."""
    if inner is outer or not (outer.start <= inner.start and inner.end <= outer.end):
        return False
    head = next((w for w in outer.name.split() if w in ORG_HEADS), None)
    owner = re.search(r"\bof\s+(?:the\s+)?$", text[outer.start : inner.start])
    full_name = re.search(r"\s(?:of|for|on)\s", inner.name) is not None
    return not (owner and full_name and head in OWNED_UNITS and inner.end == outer.end)


def _under_acronym(mention: OrgMention, text: str) -> OrgMention:
    """A unit written after its body's acronym: "... Fund (UNFPA) Country Office" is the "UNFPA Country Office"."""
    if m := re.search(r"\(([A-Z]{2,8})\)\s+$", text[: mention.start]):
        return OrgMention(mention.start, mention.end, f"{m.group(1)} {mention.name}", mention.acronym)
    return mention


def _weak(head: str, mention: OrgMention) -> bool:
    """A programme, partnership or initiative is a plan more often than a body: keep it only when
    it has an acronym or an international body's name ("United Nations Development Programme")."""
    return head in WEAK_HEADS and not mention.acronym and mention.name.split()[0] not in BODY_STARTS


def _is_head(toks: list[re.Match], i: int) -> bool:
    word = toks[i].group()
    before = toks[i - 1].group() if i > 0 else ""
    if word in ("Nations", "Power"):  # "United Nations"; "Ganja City Executive Power"
        return before == {"Nations": "United", "Power": "Executive"}[word]
    if word == "Commissioner":
        owner = toks[i - 2].group() if i > 1 else ""
        high = i > 0 and toks[i - 1].group() == "High" and i + 1 < len(toks) and toks[i + 1].group() == "for"
        return high and is_cap(owner) and owner not in LEFT_STOP
    return word in ORG_HEADS


def _inside(pos: int, spans: list[Span]) -> bool:
    return any(s.start <= pos < s.end for s in spans)


def _left(toks: list[re.Match], i: int, blocked: list[Span]) -> int:
    """Extend left over capitalised modifiers and acronyms ("UN Office", "State Migration Service")."""
    j = i
    while j > 0:
        word = toks[j - 1].group()
        if word == "and" and j > 1 and j < i and _joins_modifiers(toks[j - 2].group(), toks[j].group()):
            j -= 1  # "European Border and Coast Guard Agency", "Ideology and Human Resources Department"
            continue
        if word in ("”", '"') and j > 2 and toks[j - 3].group() in ("“", '"') and is_cap(toks[j - 2].group()):
            j -= 3  # a quoted name word: "“Harbour” Civic Foundation"
            continue
        if not is_cap(word) or word in LEFT_STOP or _inside(toks[j - 1].start(), blocked) or _owner(word):
            break
        j -= 1
    return j


def _owner(word: str) -> bool:
    """A country's possessive ("Azerbaijan's") says whose body follows; it is not part of the name."""
    base = re.sub(r"['’]s$", "", word)
    return base != word and base in COUNTRY_NAMES


def _joins_modifiers(before: str, after: str) -> bool:
    """Say whether "<before> and <after>" joins two modifiers of one body's name, not two countries or
    two bodies: both capitalised, neither a country or demonym nor a qualifier like "State"."""
    return (
        is_cap(before)
        and before not in LEFT_STOP
        and before not in COUNTRY_NAMES
        and before not in DEMONYMS
        and after not in GENERIC_QUALIFIERS
        and before not in ORG_HEADS
    )


def _right(toks: list[re.Match], i: int, blocked: list[Span]) -> int:
    """Extend right over "of/for/on (the) Capitalised ..." complements, stopping at names."""
    k = i
    while k + 2 < len(toks) and (toks[k + 1].group() in CONNECTORS or _subordinate(toks, k + 1)):
        m = k + 2
        if toks[m].group() == "the" and m + 1 < len(toks):
            m += 1
        if not is_cap(toks[m].group()) or _inside(toks[m].start(), blocked) or _is_date_word(toks[m].group()):
            break
        k = _cap_run(toks, m, blocked)
    return k


def _any_inside(toks: list[re.Match], spans: list[Span]) -> bool:
    return any(_inside(t.start(), spans) for t in toks)


def _listed(toks: list[re.Match], j: int, blocked: list[Span]) -> int | None:
    """A comma list inside a name, closed by "and": ", Women and Children Affairs" -> the last token.
    A person's name right after the list ends it ("... Youth Affairs Lena Varga")."""
    def word_goes_on(k: int) -> bool:
        nxt = toks[k + 1]
        return is_cap(nxt.group()) and nxt.group() not in LEFT_STOP and not _inside(nxt.start(), blocked)

    k = j
    while k + 1 < len(toks) and toks[k].group() == "," and is_cap(toks[k + 1].group()):
        k += 1
        while k + 1 < len(toks) and word_goes_on(k):
            k += 1
        if k + 2 < len(toks) and toks[k + 1].group() == "and" and is_cap(toks[k + 2].group()):
            k += 2
            while k + 1 < len(toks) and word_goes_on(k):
                k += 1
            return k
        k += 1
    return None


def _subordinate(toks: list[re.Match], j: int) -> bool:
    """ "under/at the <body>": a body placed under another ("Customs Service under the Government of X")."""
    if toks[j].group() not in ("under", "at") or j + 2 >= len(toks) or toks[j + 1].group() != "the":
        return False
    if toks[j + 2].group() not in ORG_HEADS and toks[j + 2].group() not in ("Government", "President"):
        return False
    # "at the Ministry" alone refers back to a body already named; "at the Ministry of Labor" names one.
    return j + 3 < len(toks) and (toks[j + 3].group() in CONNECTORS or is_cap(toks[j + 3].group()))


def _cap_run(toks: list[re.Match], m: int, blocked: list[Span]) -> int:
    """The last token of a run of capitalised words, allowing inner "and/for" before a capital."""
    while m + 1 < len(toks):
        nxt = toks[m + 1].group()
        if _title_of_name(toks[m + 1], blocked):
            break
        if is_cap(nxt) and nxt not in LEFT_STOP and not _inside(toks[m + 1].start(), blocked):
            m += 1
        elif nxt == "/" and m + 2 < len(toks) and toks[m + 2].group()[:1].isupper():
            m += 2  # "Programme on Water/Sanitation"
        elif nxt in ("and", "for") and m + 2 < len(toks) and is_cap(toks[m + 2].group()):
            m += 2
        elif nxt == "," and (end := _listed(toks, m + 1, blocked)) and not _any_inside(toks[m + 1 : end + 1], blocked):
            m = end
        else:
            break
    return m


def _title_of_name(tok: re.Match, blocked: list[Span]) -> bool:
    """Say whether a title that a person's name follows starts at `tok`: "... of Lakes High
    Representative X" ends the body's name before "High"."""
    title = TITLE_AT.match(tok.string, tok.start())
    if title is None:
        return False
    if any(s.start == title.end() + 1 or s.start == title.end() for s in blocked):
        return True
    # "... of Lakes High Representative, and ...": a title that closes the phrase is no part of the name
    return re.match(r"\s*(?:[,.;]|and\b|$)", tok.string[title.end() :]) is not None and not re.search(
        r"\b(?:of|the)\s+$", tok.string[: tok.start()]
    )


def _place(toks: list[re.Match], i: int, first: int, last: int, text: str) -> int:
    """Take "in <Place>" into the name of a local unit or of an office of a country."""
    local = toks[i].group() in UNIT_HEADS or (
        toks[i].group() == "Office"
        and (
            OFFICE_OF_COUNTRY.search(text[toks[i].end() : toks[last].end()])
            or IN_COUNTRY.match(text[toks[last].end() :])
        )
    )
    if not local or last + 2 >= len(toks) or toks[last + 1].group() != "in":
        return last
    m = last + 2
    if toks[m].group() == "the" and m + 1 < len(toks):
        m += 1
    if not is_cap(toks[m].group()):
        return last
    end = _cap_run(toks, m, [])
    while end + 2 < len(toks) and toks[end + 1].group() == "of" and is_cap(toks[end + 2].group()):
        end = _cap_run(toks, end + 2, [])
    return end


def _unit_under_title(toks: list[re.Match], i: int, first: int, text: str) -> bool:
    """A unit governed by a title belongs to the title: "Head of (the) Representation of X"."""
    word = toks[i].group()
    if word not in TITLE_UNITS or not TITLE_BEFORE_UNIT.search(text[: toks[first].start()]):
        return False
    rest = [t.group() for t in toks[i + 1 : i + 5]]
    if rest[:1] in (["for"], ["on"]) and len(rest) > 1 and is_cap(rest[1]):
        return False  # a unit with a name of its own: "Division for Inclusive Social Development"
    anaphoric = rest[:2] == ["of", "the"] and len(rest) > 2 and rest[2] in ORG_HEADS and rest[3:4] != ["of"]
    return first == i or anaphoric


def _mention(toks: list[re.Match], first: int, last: int, text: str) -> OrgMention | None:
    """Build a mention, picking up a defining acronym "(IOM)" right after it."""
    name = text[toks[first].start() : toks[last].end()]
    words = [t.group() for t in toks[first : last + 1] if is_cap(t.group())]
    acronym = None
    if last + 3 < len(toks) and toks[last + 1].group() == "(" and toks[last + 3].group() == ")":
        if is_acronym(toks[last + 2].group()):
            acronym = toks[last + 2].group()
    if len(words) < 2 and not acronym:
        return None
    return OrgMention(toks[first].start(), toks[last].end(), name, acronym)


def initials(name: str) -> str:
    """The capital letters of a name's main words: "State Migration Service" -> "SMS"."""
    return "".join(w[0] for w in re.findall(r"[A-Z][\w'’-]*", name) if w[0].isupper())


def acronym_spans(sentence: Sentence, table: OrgTable, taken: list[OrgMention]) -> list[OrgMention]:
    """Stand-alone acronyms that name a body, outside longer organization names."""
    found = []
    for m in re.finditer(r"\b[A-Z]{2,8}\b", sentence.text):
        word = m.group()
        if word in NOT_ORG_ACRONYMS or any(t.start <= m.start() < t.end + 8 for t in taken):
            continue
        if re.search(r"[\"“‘']$", sentence.text[: m.start()]) and re.match(r"\s+[A-Z]", sentence.text[m.end() :]):
            continue  # a quoted name that begins with an acronym: "ASAN Visa" is a system, not a body
        titled = re.match(r"\s+" + TITLE_RE, sentence.text[m.end() :]) is not None or (
            TITLE_OF_AT.search(sentence.text[: m.start()]) is not None  # "Director General of LRTC"
        )
        if word in table.acronyms or word in KNOWN_ACRONYMS or titled:
            found.append(OrgMention(m.start(), m.end(), word))
    return found


def build_table(sentences: list[Sentence], spans_of: dict[int, list[OrgMention]]) -> OrgTable:
    """Gather long names and acronyms over the article; link acronyms by definition or initials."""
    table = OrgTable()
    for sentence in sentences:
        for mention in spans_of.get(sentence.index, []):
            if mention.acronym:
                table.acronyms.setdefault(mention.acronym, mention.name)
            if mention.name not in table.names:
                table.names.append(mention.name)
    for sentence in sentences:
        for m in re.finditer(r"\b[A-Z]{2,8}\b", sentence.text):
            match = [n for n in table.names if initials(n) == m.group() and n != m.group()]
            if len(match) == 1 and m.group() not in NOT_ORG_ACRONYMS:
                table.acronyms.setdefault(m.group(), match[0])
    return table



def _words(name: str, table: OrgTable) -> set[str]:
    words = re.sub(r"['’]s\b", "", name).replace("(", " ").replace(")", " ").split()
    out: set[str] = set()
    for w in words:
        out |= {x.lower() for x in table.canonical(w).split()} if w in table.acronyms else {w.lower()}
    return out - {"the", "of", "in", "for", "on", "and"}


def _head(name: str) -> str | None:
    """The noun a body's name is built on: the first organization head word ("Ministry", "Office")."""
    return next((w for w in name.split() if w in ORG_HEADS), None)


def fold_short_forms(found: list, table: OrgTable) -> list:
    """Fold a short form into the one fuller name it shortens ("UNFPA Office" into "UNFPA Country Office
    in Azerbaijan", "Jordan's Ministry of Interior" into "Ministry of Interior of ... Jordan"): same
    head noun, all its words in the fuller name. A short form that fits several names stays apart."""
    kept = []
    for org in found:
        words, head = _words(org.name, table), _head(org.name)
        fuller = [
            o for o in found
            if o is not org and head and _head(o.name) == head and words < _words(o.name, table)
        ]
        if len(fuller) == 1:
            if org.name not in fuller[0].aliases:
                fuller[0].aliases.append(org.name)
            continue
        kept.append(org)
    return kept


# Words that do not tell one state's body from another's: "the Main Directorate", "State Committee".
STATE_BODY_HEADS = frozenset(
    "Ministry Service Directorate Department Committee Agency Office Administration Inspectorate Division "
    "Unit Section Bureau Police Guard Council Commission Academy".split()
)
GENERIC_QUALIFIERS = frozenset({"State", "National", "Main", "Central", "General", "Federal", "Republican"})


def is_generic(name: str) -> bool:
    """Say whether a body's name could be any state's: only head nouns and portfolio words
    ("Ministry of Foreign Affairs", "Press Service of the Ministry of Internal Affairs"). Such a
    name says nothing about which country's body it is, so it must not merge across articles."""
    words = [w for w in re.findall(r"[\w'’-]+", name) if w not in ("of", "the", "for", "on", "and", "in")]
    heads = [w for w in words if w in ORG_HEADS]
    return (
        bool(heads)
        and heads[0] in STATE_BODY_HEADS
        and not BODY_STARTS & set(words)
        and all(w in ORG_HEADS or w in PORTFOLIO_WORDS or w in GENERIC_QUALIFIERS for w in words)
    )

