"""Read elections, congratulations and appointment dates.

"X congratulated Ms. Y on her election as the Director General of the IOM" gives an election
(Y, Director General, IOM) and a congratulation (X to Y, on that election); "Y was elected at
the 28th meeting of ..." places the election at an event; "Y, who was appointed Representative
... on 3 March 2024" dates the start of Y's post. Each is read from one sentence and only from
the words the sentence says.
"""

from __future__ import annotations

import re

from kg.extract.actions import subjects_before
from kg.extract.dates import find_dates
from kg.extract.events import EventRef
from kg.extract.roles import TitlePhrase
from kg.extract.sentences import Sentence, Span
from kg.extract.signals import signal
from kg.facts import ArticleFacts, Congratulation, Election

ON_ELECTION = re.compile(r"\bon\s+(?:his|her|their)\s+(?:re-)?election\s+as\s+(?:the\s+)?")
WAS_ELECTED = re.compile(r"\b(?:was|has\s+been|had\s+been|were)\s+(?:re-)?elected\s+(?:as\s+)?(?:the\s+)?")
CONGRATULATE = re.compile(
    r"\bcongratulat(?:ed|es|ing)\b"
    r"|\bsent\s+(?:a\s+)?(?:congratulatory\s+(?:letter|message)|letter\s+of\s+congratulations?|congratulations)\s+to\b"
    r"|\b(?:extended|conveyed|expressed)\s+(?:his|her|their)?\s*congratulations\s+to\b"
)
APPOINTED = signal("appointment")
DISMISSED = signal("dismissal")
AT_EVENT = re.compile(r"\s+(?:at|during|within)\s+(?:the\s+)?$")


def elections(
    sentence: Sentence, people: list[Span], phrases: list[TitlePhrase], refs: list[EventRef], facts: ArticleFacts
) -> None:
    """Add the elections a sentence states, or place an already known election at an event."""
    text = sentence.text
    for m in list(ON_ELECTION.finditer(text)) + list(WAS_ELECTED.finditer(text)):
        before = [p for p in people if p.end <= m.start()]
        if not before:
            continue
        person = before[-1].value
        phrase = next((p for p in phrases if 0 <= p.start - m.end() <= 1 and p.organization), None)
        event = next(
            (r.key for r in refs if r.start >= m.end() and AT_EVENT.search(text[: r.start])), None
        )
        known = next((e for e in facts.elections if e.person == person), None)
        if known:
            known.event = known.event or event
        elif phrase:
            facts.elections.append(Election(person, phrase.title, phrase.organization, event, evidence=text))


def congratulations(
    sentence: Sentence, people: list[Span], last_named: list[str], facts: ArticleFacts
) -> None:
    """Add who congratulated whom, and whether on an election the article states."""
    text = sentence.text
    for m in CONGRATULATE.finditer(text):
        who = subjects_before(text, m.start(), people)
        whom = _congratulated(text, m.end(), people, who[0].value if who else None, last_named)
        if not who or whom is None or whom == who[0].value:
            continue
        on_election = bool(ON_ELECTION.search(text, m.end()))
        same = next((c for c in facts.congratulations if (c.person, c.congratulated) == (who[0].value, whom)), None)
        if same is None:
            facts.congratulations.append(Congratulation(who[0].value, whom, on_election, evidence=text))
        elif on_election and not same.on_election:
            same.on_election, same.evidence = True, text


def _congratulated(
    text: str, pos: int, people: list[Span], who: str | None, last_named: list[str]
) -> str | None:
    """The person named right after the verb, or the one "him"/"her" stands for."""
    after = [p for p in people if pos <= p.start <= pos + 60 and p.kind != "pronoun"]
    if after and "," not in text[pos : after[0].start]:
        return after[0].value
    if re.match(r"\s+(?:him|her)\b", text[pos:]):
        others = [name for name in reversed(last_named) if name != who]
        return others[0] if others else None
    return None


def appointments(sentence: Sentence, people: list[Span], facts: ArticleFacts) -> None:
    """Date the start or the end of a post: "X, who was appointed <title> on 3 March 2024",
    "On 4 January X was dismissed from the post of <title>" (wordings in knowledge/signals.tsv)."""
    for signals, field in ((APPOINTED, "start"), (DISMISSED, "end")):
        for m in signals.finditer(sentence.text):
            _date_post(sentence.text, m, people, facts, field)


def _date_post(text: str, m: re.Match, people: list[Span], facts: ArticleFacts, field: str) -> None:
    """Set `field` of the one post of the person the phrase is about, from a date in the sentence."""
    passive = re.match(r"(?:was|were|has|have|had|is|been)\b", m.group(0))
    if passive:
        holder = [p for p in people if p.end <= m.start()][-1:]
    else:  # "the President appointed X", "dismissed X from the post of"
        holder = [p for p in people if p.start >= m.start() + len(m.group(0).split()[0])][:1]
    dates = [d for d in find_dates(text, facts.article.published) if not d.until]
    full = [d for d in dates if re.match(r"\d{4}-\d{2}-\d{2}$|--\d{2}-\d{2}$", d.begin)]
    if not holder or not full:
        return
    date = full[0] if field == "end" else next((d for d in full if d.start > m.end()), None)
    if date is None or not re.search(r"\b(?:on|since|from|as\s+of)\s+$", text[: date.start]):
        return
    said = text[m.end() :].lower() if field == "start" else text.lower()
    posts = [p for p in facts.positions if p.person == holder[0].value and p.title.lower() in said]
    if len(posts) == 1 and getattr(posts[0], field) is None:
        setattr(posts[0], field, date.begin)
