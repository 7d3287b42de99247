"""Find the people an article names, and every later form it uses for them.

A capitalised pair is only taken for a person's name when something in its context says so:
an honorific ("Mr."), a title next to it ("Director General X", "X, the Head of ..."), a
delegation it heads, or a reporting verb after it ("X noted"). Place, body and event names
fail that test, which is what keeps precision high on unseen articles. Later forms of a
known name (surname alone, "N.Rahimova") become aliases of the fullest form.
"""

from __future__ import annotations

import re

from kg.extract.lexicon import (
    EVENT_HEADS,
    HONORIFIC,
    KNOWN_ACRONYMS,
    NON_NAME_WORDS,
    NOT_ORG_ACRONYMS,
    ORG_HEADS,
    PERSON_NOUNS,
    RANK_WORDS,
    TITLE_HEADS,
    TITLE_RE,
)
from kg.extract.sentences import Sentence, Span
from kg.facts import Person

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
PARTICLES = frozenset(
    {"de", "da", "van", "von", "der", "bin", "al", "el", "ibn", "di", "du", "dos", "la", "le"}
)
TITLE_WORDS = frozenset(w for title in TITLE_HEADS for w in re.split(r"[\s-]", title) if w[:1].isupper())
RANK_ENDS = frozenset({w.lower() for w in RANK_WORDS}) | frozenset(
    {
        "counselor",
        "councelor",
        "counsellor",
        "councellor",
        "adviser",
        "advisor",
        "general",
        "colonel",
        "officer",
        "inspector",
        "counsel",
    }
)
VERBS = (
    "said says stated noted notes stressed emphasized emphasised underlined highlighted pointed expressed "
    "met meets delivered addressed spoke speaks talked informed welcomed thanked congratulated received "
    "visited attended added mentioned recalled praised called announced reiterated explained assured "
    "wished told gave made presented signed discussed conveyed invited participated took opened chaired "
    "headed led remarked underscored voiced hailed urged briefed appointed reappointed dismissed elected "
    "awarded signed served serves posted reported held holds hosted hosts"
).split()
AFTER_VERB = re.compile(
    r"^,?\s+(?:has\s+|have\s+|had\s+|also\s+|then\s+|further\s+|first\s+|later\s+)?(?:"
    + "|".join(VERBS)
    + r")\b"
)
# ", the IOM Regional Director", ", United Nations Under-Secretary-General", ", National Programme Officer".
AFTER_TITLE = re.compile(
    r"^(?:\s*\([A-Z][^()]{1,40}\))?(?:,|\s+[—–])\s*(?:the\s+|a\s+|an\s+)?"
    r"(?:(?:current|former|new|newly\s+appointed|then|acting|interim)\s+)?"
    r"(?:[A-Z][\w-]*\s+){0,3}?" + TITLE_RE + r"\b"
    # "X Foreign Minister of Y": a full title phrase right after the name, without a comma.
    r"|^\s+(?:(?:[A-Z][\w-]*\s+){0,2}?" + TITLE_RE + r")\s+of\s+(?:the\s+)?[A-Z]"
)
TITLE_OF_AFTER = re.compile(r"^\s+(?:(?:[A-Z][\w-]*\s+){0,2}?" + TITLE_RE + r")\s+of\s+(?:the\s+)?[A-Z]")
AFTER_ASIDE = re.compile(r"^,\s*(?:in turn|for (?:his|her) part|also|in (?:his|her) (?:speech|turn))\b")
BEFORE_HONORIFIC = re.compile(HONORIFIC + r"\s*$")
BEFORE_AGENT = re.compile(
    r"\b(?:headed|led|chaired|accompanied|represented|attended|welcomed|received)\s+by\s*$"
    r"|\b(?:counterpart|leader|met\s+with|meeting\s+with|talks\s+with)\s*$"
)
INSIDE_NAME = re.compile(r"[A-Z][\w'’-]*\s+(?P<conj>of|for|on|in|and|de)\s+$")
BODY = r"[A-Z(][\w'’()-]*(?:\s+(?:(?:of|for|on|and|in|to)\s+(?:the\s+)?)?[A-Z(][\w'’()-]*)*,?"
# "... to the head of the northern province, X": a title of something, then the name after a comma.
TITLE_OF_BEFORE = re.compile(r"(?<![\w-])" + TITLE_RE + r"\s+of\s+[^,;:()]{1,80},\s*$")
TITLE_BEFORE = re.compile(r"(?<![\w-])" + TITLE_RE + r"(?:\s+(?:of|for|to)\s+(?:the\s+)?" + BODY + r")?$")
INITIAL_FORM = re.compile(r"\b([A-Z])\.\s?([A-Z][^\W\d_]+(?:['’-][^\W\d_]+)*)")
# A name written only as initial and surname ("T.Bold"), taken when its context says person.
INITIAL_NAME = re.compile(r"(?<![\w.])[A-Z]\.\s?[A-Z][a-z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?\b(?!\.\w)")


# Single-word titles ("Advisor", "Specialist") are never part of a name either.
NOT_IN_NAMES = (
    NON_NAME_WORDS | ORG_HEADS | EVENT_HEADS | RANK_WORDS | {t for t in TITLE_HEADS if " " not in t and "-" not in t}
)


def is_name_word(word: str) -> bool:
    """A capitalised word that could be part of a person's name; never a body's or event's head noun,
    nor a hyphenated title or rank ("Secretary-General", "Major-General")."""
    if not word[:1].isupper() or word.isupper() or word in NOT_IN_NAMES:
        return False
    return not any(part in NOT_IN_NAMES for part in word.split("-"))


def is_capital_surname(word: str, run: list[re.Match]) -> bool:
    """A surname in capitals after a given name ("Selim KARAN"), as some ministries print them;
    never an acronym the lists know, and never the first word of a run."""
    return (
        bool(run)
        and len(word) >= 3
        and word.isupper()
        and word.isalpha()
        and word not in NOT_IN_NAMES
        and word not in KNOWN_ACRONYMS
        and word not in NOT_ORG_ACRONYMS
        and any(c in "AEIOUYİ" for c in word)
    )


FOLLOWING_NAME_WORD = re.compile(r" ([^\W\d_]+)")


def is_bare_initial(word: str, after: str) -> bool:
    """Initials written without a full stop before a name ("S Surname", "AK Given Surname"): one or
    two capitals, never "A" or "I", nor an acronym the lists know, and a name word right after."""
    if not (1 <= len(word) <= 2 and word.isupper()) or word in ("A", "I"):
        return False
    if word in KNOWN_ACRONYMS or word in NOT_ORG_ACRONYMS:
        return False
    nxt = FOLLOWING_NAME_WORD.match(after)
    return nxt is not None and is_name_word(nxt.group(1))


def candidates(text: str) -> list[tuple[int, int]]:
    """Runs of two to four name-like words, cut wherever a non-name word intervenes."""
    runs: list[list[re.Match]] = []
    for m in WORD.finditer(text):
        gap = text[runs[-1][-1].end() : m.start()] if runs and runs[-1] else None
        joined = gap == " "
        current = runs[-1] if runs and joined else []
        initial = is_bare_initial(m.group(), text[m.end() :])
        if initial and current:
            runs.append([])  # an initial opens a name: "Minister of Water AK X Y"
            current = []
        if (
            is_name_word(m.group())
            or (m.group() in PARTICLES and runs and runs[-1])
            or is_capital_surname(m.group(), current)
            or initial
        ):
            if not (runs and runs[-1] and joined):
                runs.append([])
            runs[-1].append(m)
        elif runs and runs[-1]:
            runs.append([])
    spans = []
    for run in runs:
        while run and run[-1].group() in PARTICLES:
            run.pop()
        if run and run[0].start() == 0 and run[0].group().endswith(("ing", "ly")):
            run = run[1:]
        if run and re.search(r"['’]s$", run[-1].group()):
            spans_end_trim = 2
        else:
            spans_end_trim = 0
        longest = 6 if any(w.group() in PARTICLES or w.group() in ("Al", "Ould", "Bin", "Ibn") for w in run) else 5
        if 2 <= len(run) <= longest:
            spans.append((run[0].start(), run[-1].end() - spans_end_trim))
    return spans


def has_person_context(text: str, start: int, end: int, known: frozenset[str] = frozenset()) -> bool:
    """Say whether the words around a candidate mark it as a person's name.

    A candidate that continues a longer proper name ("Europe and Central Asia", "... Work
    Team") is refused unless an honorific vouches for it.
    """
    before, after = text[:start].rstrip(" ,"), text[end:]
    if BEFORE_HONORIFIC.search(text[:start]):
        return True
    if m := INSIDE_NAME.search(text[:start]):
        # "... of Montenegro and X Y Foreign Minister of Z": a full title right after the pair says person.
        return m.group("conj") == "and" and (
            any(text[:start].rstrip()[:-3].rstrip().endswith(k) for k in known) or bool(TITLE_OF_AFTER.match(after))
        )
    if re.match(r"\s+[A-Z][\w'’-]*", after) and after.split()[0] in ORG_HEADS:
        return False
    last = before.split()[-1] if before.split() else ""
    if (
        BEFORE_AGENT.search(before)
        or TITLE_BEFORE.search(before)
        or TITLE_OF_BEFORE.search(text[:start])
        or last in TITLE_WORDS
        or last in PERSON_NOUNS
        or last.lower().split("-")[-1] in RANK_ENDS
    ):
        return True
    return bool(AFTER_VERB.match(after) or AFTER_TITLE.match(after) or AFTER_ASIDE.match(after))


def find_people(sentences: list[Sentence]) -> list[Person]:
    """Collect every person named with person-like context anywhere in the article."""
    people: list[Person] = []
    found = [(sentence, candidates(sentence.text)) for sentence in sentences]
    for _ in range(2):  # the second round admits "X and Y" where X was found in the first
        known = frozenset(p.name for p in people)
        for sentence, spans in found:
            for start, end in spans:
                if taken := _with_context(sentence.text, start, end, known):
                    _add(people, sentence.text[taken[0] : taken[1]])
    for sentence, _ in found:
        for m in INITIAL_NAME.finditer(sentence.text):
            form = m.group().replace(". ", ".")
            if not _owner(form, people) and has_person_context(sentence.text, m.start(), m.end()):
                _add(people, form)
    for sentence in sentences:
        for _, _, form in _alias_forms(sentence.text, people):
            person = _owner(form, people)
            if person and form != person.name and form not in person.aliases:
                person.aliases.append(form)
    return people


def _with_context(text: str, start: int, end: int, known: frozenset[str]) -> tuple[int, int] | None:
    """The candidate, or the longest two-word-or-more tail of it, whose context marks a person:
    "... Deputy Minister of Culture Farid X" gives "Farid X", not "Culture Farid X"."""
    words = list(WORD.finditer(text, start, end))
    for first in range(len(words) - 1):
        tail = words[first].start()
        if has_person_context(text, tail, end, known):
            return tail, end
    return None


def _add(people: list[Person], name: str) -> None:
    """Add a name, merging it with a known person when one name's words contain the other's."""
    words = set(name.split())
    for person in people:
        known = set(person.name.split())
        if words <= known:
            return
        if known < words:
            person.aliases.append(person.name)
            person.name = name
            return
    people.append(Person(name=name))


def _owner(form: str, people: list[Person]) -> Person | None:
    """The one person a short form (surname, initial and surname) can stand for, if unique."""
    surname = form.split(".")[-1].split()[-1]
    initial = form[0] if "." in form else None
    found = [p for p in people if p.name.split()[-1] == surname and (not initial or p.name[0] == initial)]
    return found[0] if len(found) == 1 else None


def _alias_forms(text: str, people: list[Person]) -> list[tuple[int, int, str]]:
    """Short forms of known names in a sentence: "N.Rahimova", "N. Rahimova", a lone surname."""
    found = [(m.start(), m.end(), f"{m.group(1)}.{m.group(2)}") for m in INITIAL_FORM.finditer(text)]
    full = [(m.start(), m.end()) for p in people if p.name in text
            for m in re.finditer(rf"\b{re.escape(p.name)}\b", text)]
    taken = full + [(s, e) for s, e, _ in found]
    for person in people:
        surname = person.name.split()[-1]
        if surname not in text:  # the regex below needs it as a substring
            continue
        for m in re.finditer(rf"(?<![.\w]){re.escape(surname)}\b", text):
            if not any(s <= m.start() < e for s, e in taken):
                found.append((m.start(), m.end(), surname))
    return [f for f in found if _owner(f[2], people)]


def name_mentions(sentence: Sentence, people: list[Person]) -> list[Span]:
    """Every place in a sentence where a known person is named, in full or in a short form."""
    spans = []
    for person in people:
        for form in sorted({person.name, *person.aliases}, key=len, reverse=True):
            if form not in sentence.text:  # the regex below needs it as a substring
                continue
            for m in re.finditer(rf"(?<![\w.]){re.escape(form)}\b", sentence.text):
                if not any(s.start <= m.start() < s.end for s in spans):
                    spans.append(Span(m.start(), m.end(), person.name, "name"))
    for start, end, form in _alias_forms(sentence.text, people):
        owner = _owner(form, people)
        if owner and not any(s.start <= start < s.end for s in spans):
            spans.append(Span(start, end, owner.name, "alias"))
    return sorted(spans, key=lambda s: s.start)
