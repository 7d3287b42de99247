"""Show what the extractor reads in an article, fact by fact, with the sentence that says it.

`kg extract FILE...` prints this before anything is stored, so a user can see why a fact was
found (or not) in a new source. Facts that carry no evidence of their own (a person, a body)
are shown with the first sentence that names them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract.sentences import split_sentences
from kg.facts import Article, ArticleFacts


@dataclass(frozen=True)
class ShownFact:
    """One fact as a line of text: its type, what it says, and the sentence it comes from."""

    type: str
    summary: str
    evidence: str


def shown_facts(facts: ArticleFacts) -> Iterator[ShownFact]:
    """Every fact of an article, in the order of the fact types the scorer uses."""
    first = _first_sentence(facts.article)
    events = {e.key: e.name for e in facts.events}
    for p in facts.people:
        aliases = f" (also: {', '.join(p.aliases)})" if p.aliases else ""
        yield ShownFact("person", p.name + aliases, first(p.name, *p.aliases))
    for o in facts.organizations:
        aliases = f" (also: {', '.join(o.aliases)})" if o.aliases else ""
        yield ShownFact("organization", o.name + aliases, first(o.name, *o.aliases))
    for post in facts.positions:
        where = f" | {post.organization}" if post.organization else ""
        yield ShownFact("position", f"{post.person} | {post.title}{where}", post.evidence)
    for r in facts.ranks:
        yield ShownFact("rank", f"{r.person} | {r.rank}", r.evidence)
    for e in facts.events:
        details = [f"{k}={v}" for k, v in (("series", e.series), ("place", e.location), ("start", e.start)) if v]
        yield ShownFact("event", e.name + (f" ({', '.join(details)})" if details else ""), e.evidence)
    for part in facts.participations:
        yield ShownFact("participation", f"{part.person} | {part.role} | {events.get(part.event, part.event)}",
                        part.evidence)
    for m in facts.meetings:
        at = f" | {events[m.event]}" if m.event in events else ""
        yield ShownFact("meeting", " + ".join(m.participants) + (f" | {m.date}" if m.date else "") + at, m.evidence)
    for st in facts.statements:
        mode = f" | {st.mode}" if st.mode else ""
        yield ShownFact("statement", f"{st.person} | {events.get(st.event, st.event)}{mode}", st.evidence)


def _first_sentence(article: Article):
    """A lookup: the first sentence of the article that contains any of the given forms."""
    texts = [s.text for s in split_sentences(article)]

    def first(*forms: str) -> str:
        return next((t for t in texts if any(f and f in t for f in forms)), "")

    return first


def as_text(facts: ArticleFacts, *, label: str) -> str:
    """The facts of one article as indented lines: `type  summary` then `    « evidence »`."""
    lines = [f"== {label}"]
    for fact in shown_facts(facts):
        lines.append(f"{fact.type:<13} {fact.summary}")
        if fact.evidence:
            lines.append(f"{'':<13}   « {' '.join(fact.evidence.split())} »")
    if len(lines) == 1:
        lines.append("(no facts found)")
    return "\n".join(lines)
