"""Read who holds which post and rank, and resolve role phrases ("the Chief of the Service").

A post is read from a title phrase written next to a name, on either side: "the First Deputy
Minister of Justice of the Republic of Moldova Ms. X", "X, the Head of Office of UNICEF",
"ILO Regional Director X", "greeted X on his appointment as the Executive Secretary of the
ECO". A post is kept only when the body or country it belongs to is named.
The same title phrases, standing without a name, are later references to the holder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.lexicon import (
    COUNTRY_NAMES,
    COUNTRY_RE,
    DEMONYM_RE,
    DEMONYMS,
    HONORIFIC,
    ORG_HEADS,
    PORTFOLIO_WORDS,
    RANK_LABEL_RE,
    RANK_SERVICES,
    TITLE_BODY,
    TITLE_HEADS,
    TITLE_RE,
    TITLE_UNITS,
    TITLES_ALONE,
    alternation,
)
from kg.extract.names import AFTER_VERB
from kg.extract.orgs import OrgMention, OrgTable
from kg.extract.sentences import Sentence, Span
from kg.facts import Position, Rank

RANK = re.compile(
    r"\b(?:[IVX]{1,4}|\d{1,2}(?:st|nd|rd|th)?|[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth)[\s-]+(?:rank|class|degree)\s+"
    r"(?:[a-z]+\s+){0,6}?(?:coun[sc]ell?or|council+or|advis[eo]r|counsel|officer|inspector|general|colonel|"
    r"attach[eé]|secretary)\b(?:\s+of\s+(?:the\s+)?[a-z]+(?:\s+[a-z]+){0,3}?\s+(?:service|justice|police|customs))?"
    r"|\b(?:[Ll]ieutenant|[Mm]ajor|[Cc]olonel)[\s-](?:[Gg]eneral|[Cc]olonel)?\s*of\s+(?:the\s+)?[a-z]+(?:\s+[a-z]+){0,3}?"
    r"\s+(?:service|justice|police|customs)\b"
)
_SERVICE = "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in RANK_SERVICES) + ")"
# A rank of a reference scheme, with the service written before or after it: "Police Major-General",
# "military major general", "Colonel-General of the country's customs service".
LABELLED_RANK = re.compile(
    r"(?<![\w-])(?i:(?:" + _SERVICE + r"\s+)?" + RANK_LABEL_RE
    + r"(?:\s+of\s+(?:the\s+)?(?:country['’]s\s+)?" + _SERVICE + r"(?:\s+service)?(?![\w-]))?)"
)
# "the rank of X to Y", "awarded Y the rank of X", "(in the rank of Deputy Minister)".
GIVEN_RANK = re.compile(r"\s+the\s+(?:special\s+)?rank\s+of\s+")
RANK_OF = re.compile(r"\brank\s+of\s+$", re.IGNORECASE)
IN_RANK = re.compile(r"\(\s*in\s+the\s+rank\s+of\s+(?P<rank>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})\s*\)")
GIVER = re.compile(r"\b(?:awarded|conferred|granted|promoted|assigned|gave|signed)\b")
TITLE = re.compile(r"(?<![\w-])" + TITLE_RE + r"\b")
# The head of a title ("Minister" in "Deputy Minister of Culture"), to look up whether it stands alone.
TITLE_HEAD = re.compile(r"(?<![\w-])" + alternation(TITLE_HEADS) + r"(?![\w-])", re.IGNORECASE)
_ALONE = {t.lower() for t in TITLES_ALONE}
UNIT_OF = re.compile(r"\s+of\s+(?:the\s+)?(?P<unit>" + "|".join(TITLE_UNITS) + r")(?=\s+of\s)")
# "Head of the Legal Department of the Service": a named unit of a body the text refers back to.
UNIT_OF_BODY = re.compile(
    r"\s+of\s+(?:the\s+)?(?P<unit>(?:[A-Z][a-z]+\s+){1,3}(?:" + "|".join(TITLE_UNITS) + r"))"
    r"(?=\s+of\s+the\s+(?:" + "|".join(sorted(ORG_HEADS)) + r")\b(?!\s+of\b))"
)
_WORDS = r"[A-Z][a-z]+(?:\s+(?:and\s+)?[A-Z][a-z]+)*"
# "of Labour and Social Protection", "of Labour, Social Security and Migration" (a list ends in "and");
# never a country: "Ambassador ... of Italy to Azerbaijan" serves Italy.
PORTFOLIO = re.compile(
    r"\s+(?:of|for)\s+(?!the\b)(?!" + COUNTRY_RE + r"\b)(?P<p>" + _WORDS
    + r"(?:(?:,\s+" + _WORDS + r")+,?\s+and\s+" + _WORDS + r")?)"
)
# A portfolio goes on over "of (the) Population"; it stops before a country or a body.
PORTFOLIO_MORE = re.compile(r"\s+of\s+(?:the\s+)?(?P<p>[A-Z][a-z]+(?:\s+(?:and\s+)?[A-Z][a-z]+)*)")
# A country written between a title and the name it precedes: "... Minister of X UK Ivo Brandt".
BARE_COUNTRY = re.compile(r"\s+(?P<c>" + COUNTRY_RE + r")(?=\s+(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?[A-Z][a-z])")
IN_COUNTRY = re.compile(r"\s+in\s+(?:the\s+)?(?:" + COUNTRY_RE + r")(?=\s+(?:of|at|to)\s)")
OWNER = re.compile(r"(?:" + COUNTRY_RE + r")['’]s\s+")
LINK = re.compile(r"\s+(?:of|at|to)\s+(?:the\s+)?")
GENERIC = re.compile(r"\s+of\s+(?:the\s+)?(?P<head>" + "|".join(sorted(ORG_HEADS)) + r")\b(?!\s+of\b)")
COUNTRY = re.compile(COUNTRY_RE)
# "UNICEF Deputy Representative in Azerbaijan Natalia X": a title, its country, then the name.
BEFORE_NAME = re.compile(
    r"^(?:\s*\([A-Z]{2,8}\))?(?:\s+in\s+(?:the\s+)?(?:" + COUNTRY_RE + r"|[A-Z][a-z]+))?[\s,]*(?:(?:" + RANK.pattern
    + r"|" + LABELLED_RANK.pattern + r")[\s,]*)?"
    + r"(?:(?:HE|Ambassador|" + HONORIFIC + r")\s*){0,2}$"  # "Secretary General Ambassador X"
)
# Capitalised words that open a title in apposition: "X, National Programme Officer of IOM".
TITLE_OPENER = re.compile(r",\s+(?P<words>(?:[A-Z][a-z]+\s+){1,2})$")
AFTER_NAME = re.compile(
    r"^(?:\s*\([A-Z][^()]{1,40}\))?\s*(?:|,\s*(?:the\s+|a\s+|an\s+)?(?:(?:current|former|new|newly\s+appointed|then)\s+)?|\s*[—–]\s*|\s+on\s+(?:his|her)\s+(?:re-)?(?:election|appointment)\s+as\s+(?:the\s+)?"
    r"|\s+(?:was\s+|has\s+been\s+)?(?:dismissed|relieved)\s+(?:from\s+(?:the\s+)?(?:post|office)\s+of|of\s+(?:his|her)\s+duties\s+as)\s+(?:the\s+)?"
    r"|,?\s+(?:who\s+)?(?:is|was|has\s+been|had\s+been|became)(?:\s+(?:appointed|elected|re-elected|named))?"
    r"\s+(?:as\s+)?(?:the\s+)?)$"
)
SYNONYMS = {"head": "chief", "leader": "chief"}
PREFIX_WINDOW = 120  # characters before a title searched for its country or opening words
BETWEEN_ORG_AND_TITLE = re.compile(r"(?:['’]s)?\s+(?:(?:new|newly\s+appointed|former|current)\s+)?")
# Words that end a sentence's opening run of appositions: a verb or a preposition of an action.
OPENING_STOPS = (
    "met", "meets", "said", "says", "received", "welcomed", "noted", "with", "by", "to", "at", "is", "was",
    "were", "has", "have", "had", "who", "which", "that", "during", "after", "before",
)
# "Afghan Refugees and Repatriation Minister X": the portfolio between the country and the title.
COUNTRY_PORTFOLIO = re.compile(
    r"(?<![\w-])(?:the\s+)?(?P<c>" + DEMONYM_RE + r"|" + COUNTRY_RE + r")(?:['’]s)?\s+"
    r"(?P<p>(?:[A-Z][a-z]+\s+(?:and\s+)?){1,4})$"
)
# Portfolio words right before a title, no country: "External Affairs Minister X".
PORTFOLIO_BEFORE = re.compile(r"(?<![\w-])(?P<p>(?:[A-Z][a-z]+\s+){1,3})$")
# What may stand before such portfolio words: not more of a name or title ("of Foreign Affairs Ambassador").
OPENS_PORTFOLIO = re.compile(r"(?:^|[^\w\s-]\s*|\b(?!(?:of|for|and)\b)[a-z]+\s+)$")
# The country a title serves, written before it: "Kazakh", "Tajikistan's", "the UAE".
COUNTRY_BEFORE = re.compile(
    r"(?<![\w-])(?:the\s+)?(?P<c>" + DEMONYM_RE + r"|" + COUNTRY_RE + r")(?:['’]s)?\s+$"
)
# A diplomat's host written after the title: "Ambassador to Georgia", "Permanent Representative to the EU".
ACCREDITED = re.compile(r"(?:Ambassador|Representative|Envoy|Observer|Consul)$", re.IGNORECASE)
HOST = re.compile(
    r"\s+to\s+(?:the\s+)?(?P<host>" + COUNTRY_RE + r"|[A-Z][\w-]*(?:\s+(?:[A-Z][\w-]*|of|the))*(?<![\s,]))"
)
# A title phrase followed by more of it that the rules did not read ("State Secretary to the Minister
# for ..."): without its body it is not written at all.
CUT_SHORT = re.compile(r"\s+(?:of|to|for|at|in)\s")
# Two titles of one holder: "Deputy Prime Minister and Foreign Minister X".
SHARED_HOLDER = re.compile(r"^\s*(?:and|,)\s*$")
STACKED = re.compile(r"^\s*(?:and|,)?\s*$")
DASHED = re.compile(r"^\s*[—–]\s*$")
DASH_AFTER = re.compile(r"\s*[—–]")


def country_named(text: str) -> str | None:
    """The country a country name, official form or demonym stands for ("Kazakh" -> "Kazakhstan")."""
    text = re.sub(r"^the\s+", "", text)
    return DEMONYMS.get(text) or COUNTRY_NAMES.get(text) or (text if COUNTRY.fullmatch(text) else None)


@dataclass
class TitlePhrase:
    start: int
    end: int
    title: str  # "Deputy Minister of Foreign Affairs", "Head of Representation"
    organization: str | None  # canonical body or country
    org_text: str | None  # as written, also a bare head noun ("Service") for role references


def title_case(title: str) -> str:
    return " ".join(
        w if w in ("of", "and", "the", "for", "on", "to", "in") else w[:1].upper() + w[1:] for w in title.split()
    )


def title_phrases(
    text: str, orgs: list[OrgMention], table: OrgTable, names: list[Span] = ()
) -> list[TitlePhrase]:
    """Every title phrase in a sentence with the body it names, if any; a name ends a portfolio."""
    phrases = []
    for m in TITLE.finditer(text):
        title, pos, u = m.group(0), m.end(), None
        if u := UNIT_OF.match(text, pos) or UNIT_OF_BODY.match(text, pos):
            title, pos = text[m.start() : u.end()], u.end()  # as worded: "Chairman of the Board"
        if (
            (p := PORTFOLIO.match(text, pos))
            and not _org_at(text, p.start("p"), orgs)
            and p.group("p") not in ORG_HEADS
        ):
            title, pos = f"{title}{p.group(0)[: p.start('p') - p.start()]}{p.group('p')}", p.end()
            title, pos = _portfolio_more(text, title, pos, orgs)
            other = TITLE.search(text, p.start("p"), pos)  # "Deputy Minister of Foreign Affairs Ambassador X"
            cuts = [n.start for n in names if m.end() < n.start < pos] + ([other.start()] if other else [])
            if cut := min(cuts, default=None):
                title, pos = text[m.start() : cut].rstrip(), cut - 1
        if where := IN_COUNTRY.match(text, pos):
            pos = where.end()
        served = None
        if bare := BARE_COUNTRY.match(text, pos):  # "Minister of Water UK Ivo Brandt"
            served, pos = bare.group("c"), bare.end()
        if ACCREDITED.search(title) and (host := HOST.match(text, pos)):
            title, pos = f"{title} to {host.group('host')}", host.end()
        org, org_text, pos = _org_after(text, pos, orgs, table)
        if org and ACCREDITED.search(title) and (host := HOST.match(text, pos)):
            # "Permanent Representative of X to the European Union Y": the host after the sender
            end = min([n.start for n in names if host.start("host") < n.start < host.end()] + [host.end()])
            if text[host.start("host") : end].strip():
                worded = text[pos:end].rstrip()  # " to the European Union"
                title, pos = title + " " + " ".join(worded.split()), pos + len(worded)
        if org is None and org_text and " " not in org_text and u:
            org = _body_named(org_text, table)
        start = m.start()
        near = max(0, start - PREFIX_WINDOW)  # what qualifies a title is written just before it
        home = COUNTRY_BEFORE.search(text, near, start)
        country = country_named(home.group("c")) if home else None
        if country is None and (home := COUNTRY_PORTFOLIO.search(text, near, start)):
            if not TITLE.search(home.group("p")) and (country := country_named(home.group("c"))):
                title, start = home.group("p") + title, home.start("p")
        opener = TITLE_OPENER.search(text, near, m.start())
        if opener and not country and not _taken(opener.start("words"), m.start(), orgs, names):
            title, start = opener.group("words") + title, opener.start("words")
        if country is None and start == m.start() and (words := PORTFOLIO_BEFORE.search(text, near, start)):
            if all(w in PORTFOLIO_WORDS for w in words.group("p").split()) and OPENS_PORTFOLIO.search(
                text, 0, words.start("p")
            ):  # "External Affairs Minister X"
                title, start = words.group("p") + title, words.start("p")
        if org is None and (before := _org_before(text, m.start(), orgs)):
            org, org_text, start = table.canonical(before.name), before.name, before.start
        if org is None and served:
            org, org_text = served, served
        if org is None and country:
            # A country's name is kept as worded ("the Kyrgyz Republic"); a demonym gives the country.
            written = home.group("c")
            org = written if COUNTRY.fullmatch(written) else country
            org_text, start = written, home.start()
        phrases.append(TitlePhrase(start, pos, title_case(title), org, org_text))
    return _shared_countries(text, phrases)


def _shared_countries(text: str, phrases: list[TitlePhrase]) -> list[TitlePhrase]:
    """ "Kazakh Deputy Prime Minister and Foreign Minister": the second title serves the same country."""
    for first, second in zip(phrases, phrases[1:], strict=False):
        if first.organization and second.organization is None and SHARED_HOLDER.match(text[first.end : second.start]):
            second.organization, second.org_text = first.organization, first.org_text
    return phrases


def _taken(start: int, end: int, orgs: list[OrgMention], names: list[Span]) -> bool:
    """Say whether a body's or a person's name covers any of text[start:end]."""
    return any(o.start < end and start < o.end for o in [*orgs, *names])


def _portfolio_more(text: str, title: str, pos: int, orgs: list[OrgMention]) -> tuple[str, int]:
    """Extend "Minister of Labour and Social Protection" over "of (the) Population", not over a country."""
    while (more := PORTFOLIO_MORE.match(text, pos)) and not (
        COUNTRY.match(text, more.start("p"))
        or _org_at(text, more.start("p"), orgs)
        or more.group("p").split()[0] in ORG_HEADS | {"Republic"}
    ):
        title, pos = f"{title}{more.group(0)}", more.end()
    return title, pos


def _body_named(head: str, table: OrgTable) -> str | None:
    """The one body of the article whose name ends in `head` ("the Service": the State Migration Service)."""
    bodies = {table.canonical(n) for n in table.names if n.split()[-1] == head}
    return bodies.pop() if len(bodies) == 1 else None


def _org_at(text: str, pos: int, orgs: list[OrgMention]) -> OrgMention | None:
    return next((o for o in orgs if o.start == pos), None)


def _org_after(
    text: str, pos: int, orgs: list[OrgMention], table: OrgTable
) -> tuple[str | None, str | None, int]:
    """The body or country a title governs: "... of the State Migration Service", "... of Turkiye"."""
    if link := LINK.match(text, pos):
        owner = OWNER.match(text, link.end())  # "Chairperson of Norway's State Committee for ..."
        if org := _org_at(text, owner.end() if owner else link.end(), orgs):
            return table.canonical(org.name), org.name, org.end
        if country := COUNTRY.match(text, link.end()):
            name = re.sub(r"^the\s+", "", country.group(0))
            return name, name, country.end()
    if generic := GENERIC.match(text, pos):
        return None, generic.group("head"), generic.end()
    return None, None, pos


def _org_before(text: str, pos: int, orgs: list[OrgMention]) -> OrgMention | None:
    """An acronym or name written right before a title: "IOM Director General", "WHO's new Director-General"."""
    return next((o for o in orgs if o.end < pos and BETWEEN_ORG_AND_TITLE.fullmatch(text[o.end : pos])), None)


def positions(
    sentence: Sentence, phrases: list[TitlePhrase], names: list[Span]
) -> list[tuple[Position, Span]]:
    """Posts of the people named next to a title phrase that names its body."""
    found, text, held = [], sentence.text, []
    opening = _opening_subject(text, phrases, names)
    for i, phrase in enumerate(phrases):
        holder = _holder(text, phrase, names)
        # In a dash list ("A — T1, T2 B — T3"), a name followed by a dash opens the next entry.
        opens_entry = holder is not None and holder.start >= phrase.end and DASH_AFTER.match(text, holder.end)
        if (
            i
            and (not (holder and holder.start >= phrase.end) or opens_entry)
            and held[-1]
            and held[-1].end <= phrases[i - 1].start
            and re.fullmatch(r"\s*(?:[,—–]|,?\s+and(?:\s+the)?)\s*", text[phrases[i - 1].end : phrase.start])
        ):
            holder = held[-1]  # "A — First Deputy Chairman of X, Chief of Y", "A, Minister of X and the Chair of Y"
        # "Deputy Minister of Foreign Affairs and Foreign Minister X", "Secretary General Ambassador X":
        # stacked titles before one name are all that name's.
        between = text[phrase.end : phrases[i + 1].start] if i + 1 < len(phrases) else None
        if between is not None and (
            (holder is None and STACKED.match(between))
            or (holder and holder.end <= phrase.start and DASHED.match(between))
        ):  # "UN Under-Secretary-General – Executive Secretary of LRTC X": the dash joins two titles of X
            after = _holder(text, phrases[i + 1], names)
            holder = after if after and after.start > phrases[i + 1].end else (None if holder is None else holder)
            if (
                holder is after and holder and phrase.organization is None and phrases[i + 1].organization
                and _is_state_title(phrase.title)
            ):
                # "Ambassador, Permanent Representative of X to Y Z": both titles serve X
                phrase.organization, phrase.org_text = phrases[i + 1].organization, phrases[i + 1].org_text
        if holder is None and opening and phrase.end <= opening.start:
            holder = opening
        held.append(holder)
        if holder and (phrase.organization or (stands_alone(phrase.title) and not CUT_SHORT.match(text, phrase.end))):
            found.append(
                (Position(holder.value, phrase.title, phrase.organization, evidence=sentence.text), holder)
            )
    return found


def stands_alone(title: str) -> bool:
    """Say whether a title names a post even when the text gives no body or country for it:
    "President X" and "Minister of Education X" do; "Head X", "Minister X" or "Ambassador X" (a
    form of address) do not."""
    head = TITLE_HEAD.search(title)
    if head is None:
        return False
    word = head.group(0).lower()
    portfolio_before = any(w in PORTFOLIO_WORDS for w in title[: head.start()].split())  # "External Affairs Minister"
    with_portfolio = TITLE_BODY.get(word) == "state" and (
        PORTFOLIO.match(title, head.end()) is not None or portfolio_before
    )
    return word in _ALONE or with_portfolio


def _is_state_title(title: str) -> bool:
    """Say whether a title's head is a state office ("Ambassador", "Minister"), per titles.tsv."""
    head = TITLE_HEAD.search(title)
    return head is not None and TITLE_BODY.get(head.group(0).lower()) == "state"


def without_repeats(posts: list[Position]) -> list[Position]:
    """Drop a post with no body that repeats one of the same person's posts with a body ("Minister X"
    after "Armenia's Minister of Justice X"): the shorter mention says nothing new."""
    def repeats(bare: Position, full: Position) -> bool:
        return (
            full.person == bare.person and full.organization is not None
            and set(_core(bare.title).split()) <= set(_core(full.title).split())
        )
    return [p for p in posts if p.organization is not None or not any(repeats(p, o) for o in posts if o is not p)]


def _opening_subject(text: str, phrases: list[TitlePhrase], names: list[Span]) -> Span | None:
    """ "Chairman of X (XC), Colonel-General of ..., Deputy Chairman of Y for the region Z took part":
    titles that open a sentence, before any name and any verb, are those of the subject they lead to."""
    if not phrases or not names:
        return None
    if text[: phrases[0].start].strip(" ,.\"“") not in ("", "The", "the"):
        return None
    subject = names[0]
    if subject.start < phrases[0].end or not AFTER_VERB.match(text[subject.end :]):
        return None
    between = text[phrases[0].end : subject.start]
    if re.search(r"\b(?:" + "|".join(OPENING_STOPS) + r")\b", between):
        return None
    return subject


def _holder(text: str, phrase: TitlePhrase, names: list[Span]) -> Span | None:
    """The name in apposition with a title phrase, after it or before it."""
    dashed = [n for n in names if n.end <= phrase.start and re.fullmatch(r"\s*[—–]\s*", text[n.end : phrase.start])]
    if dashed:
        return dashed[-1]
    after = [n for n in names if n.start >= phrase.end and BEFORE_NAME.match(text[phrase.end : n.start])]
    before = [n for n in names if n.end <= phrase.start and AFTER_NAME.match(text[n.end : phrase.start])]
    # "A, Chief Planning Officer at X, Mr. B, Representative ...": in a list of appositions the
    # title belongs to the name before it.
    listed = after and before and "," in text[phrase.end : after[0].start]
    if listed and re.sub(r"^\s*\([^()]*\)", "", text[before[-1].end : phrase.start]).strip() == ",":
        return before[-1]
    if after:
        return after[0]
    return before[-1] if before else None


def ranks(sentence: Sentence, names: list[Span]) -> list[Rank]:
    """Ranks as written ("II rank state migration service counselor", "Police Major-General").

    The holder is a name written right after the rank ("... counselor Mr. X"), the one a rank
    is given to ("the rank of X to ..., Y", "awarded Y the rank of X"), else the name whose
    apposition the rank closes ("X, Chief of ..., II rank ... counselor"), never the one who
    gives it.
    """
    text, found, taken = sentence.text, [], []
    matches = list(RANK.finditer(text))
    matches += [m for m in LABELLED_RANK.finditer(text) if not any(o.start() <= m.start() < o.end() for o in matches)]
    for m in matches:
        holder = _rank_holder(text, m.start(), m.end(), names)
        if holder and not any(s <= m.start() < e for s, e in taken):
            taken.append((m.start(), m.end()))
            found.append(Rank(holder.value, m.group(0), evidence=text))
    for m in IN_RANK.finditer(text):
        before = [n for n in names if n.end <= m.start() and not text[n.end : m.start()].strip()]
        if before:
            found.append(Rank(before[-1].value, m.group("rank"), evidence=text))
    return found


def _rank_holder(text: str, start: int, end: int, names: list[Span]) -> Span | None:
    after = [
        n for n in names
        if n.start >= end and re.fullmatch(r"[\s,]*(?:" + HONORIFIC + r"\s*)?", text[end : n.start])
    ]
    if after:
        return after[0]
    if RANK_OF.search(text[:start]):
        if re.match(r"\s+to\s", text[end:]):
            return next((n for n in names if n.start >= end), None)
        given = [n for n in names if n.end <= start and GIVEN_RANK.fullmatch(text[n.end : start])]
        return given[-1] if given else None
    before = [n for n in names if n.end <= start]
    if not before and re.match(r"\s*,", text[end:]):
        # "Chairman of X, Colonel-General of ..., Deputy Chairman of Y Z took part": the appositions
        # open the sentence and the name that closes them is its subject.
        subject = next((n for n in names if n.start >= end), None)
        return subject if subject and AFTER_VERB.match(text[subject.end :]) else None
    if not before or GIVER.search(text[before[-1].end : start]):
        return None
    if RANK.fullmatch(text[start:end]) is None and not re.search(r",\s*$", text[:start]):
        return None  # a scheme's rank closes an apposition only after a comma
    return before[-1]


def role_refs(
    sentence: Sentence, phrases: list[TitlePhrase], names: list[Span], posts: list[Position], table: OrgTable
) -> list[Span]:
    """Title phrases standing for a person ("the Chief of the Service"), resolved to that person."""
    refs = []
    for phrase in phrases:
        if _holder(sentence.text, phrase, names):
            continue
        holders = {p.person for p in posts if _title_matches(phrase, p) and _org_matches(phrase, p, table)}
        if len(holders) == 1:
            refs.append(Span(phrase.start, phrase.end, holders.pop(), "role"))
    return refs


def _core(title: str) -> str:
    return " ".join(SYNONYMS.get(w, w) for w in title.lower().split() if w != "the")


def _title_matches(phrase: TitlePhrase, post: Position) -> bool:
    """Same title, or a shortened one with the same rank modifiers ("Ambassador" for "Ambassador
    Extraordinary and Plenipotentiary", but never "Chief" for "Deputy Chief")."""
    said, held = _core(phrase.title).split(), _core(post.title).split()
    modifiers = {"deputy", "assistant", "vice", "acting", "first", "senior", "executive", "special"}
    return set(said) <= set(held) and modifiers & set(said) == modifiers & set(held)


def _org_matches(phrase: TitlePhrase, post: Position, table: OrgTable) -> bool:
    """Same body, by name, acronym, or a bare head noun ("the Service") of the holder's body."""
    if phrase.org_text is None:
        return True
    written, held = phrase.organization or phrase.org_text, post.organization or ""
    if table.canonical(written).lower() == table.canonical(held).lower():
        return True
    return " " not in phrase.org_text and held.split()[-1:] == [phrase.org_text]
