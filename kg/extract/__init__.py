"""Extract the facts an article states: people, bodies, posts, ranks, events and actions.

`extract(article)` is deterministic and rule-based. It reads the headline and body sentence
by sentence in a fixed order of passes, because later rules lean on earlier results: names
before organizations (a name stops an organization phrase), organizations before events
(acronyms expand series names), events before posts and actions (a statement needs an event),
posts before role references ("the Chief of the Service" is whoever holds that post).
"""

from __future__ import annotations

import re

from kg.extract import actions, delegations, eventinfo, events, names, occasions, orgs, roles, topics
from kg.extract.dates import find_dates
from kg.extract.sentences import Sentence, Span, split_sentences
from kg.facts import Article, ArticleFacts, Meeting, Organization, Position, Rank

__all__ = ["extract"]

# "Accompanied by X, Y took part": X is not the subject "she" will refer to next.
COMPANION = re.compile(
    r"\b(?:[Aa]ccompanied|[Jj]oined|[Ee]scorted|[Ww]elcomed|[Rr]eceived)\s+by\s+(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?$"
    r"|\b[Tt]ogether\s+with\s+(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?$"
)
SAME_DAY = re.compile(r"\b(?:on\s+)?the\s+same\s+day\b", re.IGNORECASE)


def extract(article: Article, topic_scheme: topics.Topics | None = None) -> ArticleFacts:
    """Read one article into `ArticleFacts`, each fact with the sentence it comes from.

    `topic_scheme` maps topic labels to their signal words; by default the project's reference
    topic scheme is read (once) from the ontology folder.
    """
    sentences = split_sentences(article)
    facts = ArticleFacts(article=article, people=names.find_people(sentences))
    name_spans = {s.index: names.name_mentions(s, facts.people) for s in sentences}
    org_spans = {s.index: orgs.find_org_spans(s.text, name_spans[s.index]) for s in sentences}
    table = orgs.build_table(sentences, org_spans)
    for s in sentences:
        org_spans[s.index] += orgs.acronym_spans(s, table, org_spans[s.index])
    event_refs, event_table = _events(sentences, org_spans, table, facts, article.published)
    facts.events = event_table.events
    phrases = {s.index: roles.title_phrases(s.text, org_spans[s.index], table, name_spans[s.index]) for s in sentences}
    facts.positions, facts.ranks = _posts(sentences, name_spans, phrases)
    people = _people_spans(sentences, name_spans, phrases, facts.positions, table)
    _actions(sentences, people, event_refs, event_table, facts)
    facts.organizations = _organizations(sentences, org_spans, event_refs, table, facts)
    _occasions(sentences, people, phrases, event_refs, facts)
    scheme = topics.default_topics() if topic_scheme is None else topic_scheme
    _topics(sentences, event_refs, org_spans, scheme, facts)
    return facts


def _occasions(sentences: list[Sentence], people: dict, phrases: dict, refs: dict, facts: ArticleFacts) -> None:
    """Elections, congratulations and the dates posts began (title phrases as read for the posts:
    a sentence's name mentions are the same, so they are not read twice)."""
    named: list[str] = []
    for s in sentences:
        occasions.elections(s, people[s.index], phrases[s.index], refs[s.index], facts)
        occasions.congratulations(s, people[s.index], named, facts)
        occasions.appointments(s, people[s.index], facts)
        named += [p.value for p in people[s.index] if p.kind in ("name", "alias")]


def _topics(
    sentences: list[Sentence], refs: dict, org_spans: dict, scheme: topics.Topics, facts: ArticleFacts
) -> None:
    """Tag each statement and meeting with the topics of the sentences that report it."""
    masked = [_masked(s.text, refs[s.index], org_spans[s.index]) for s in sentences]
    where = {}
    for s in reversed(sentences):
        where[s.text] = s.index
    tagged = [*facts.statements, *facts.meetings]
    scope = topics.scopes([where[f.evidence] for f in tagged if f.evidence in where], sentences)
    for fact in tagged:
        if fact.evidence in where:
            fact.topics = topics.signalled([masked[s.index] for s in scope[where[fact.evidence]]], scheme)


def _masked(text: str, refs: list, mentions: list) -> str:
    """The sentence with event and organization names blanked out."""
    for span in [r for r in refs if r.explicit] + list(mentions):
        text = text[: span.start] + " " * (span.end - span.start) + text[span.end :]
    return text


def _events(
    sentences: list[Sentence],
    org_spans: dict,
    table: orgs.OrgTable,
    facts: ArticleFacts,
    published: str | None,
) -> tuple[dict[int, list[events.EventRef]], events.EventTable]:
    """Find events, pick the main one, resolve "the session", and read their details."""
    etable = events.EventTable()
    refs = {s.index: events.find_explicit(s, etable, table.acronyms) for s in sentences}
    for s in sentences:
        eventinfo.place_and_year(s, refs[s.index], etable, org_spans[s.index])
    opening = [r for s in sentences if s.paragraph <= 0 for r in refs[s.index]] or [
        r for s in sentences for r in refs[s.index]
    ]
    eventinfo.choose_main(etable, opening)
    for s in sentences:
        refs[s.index] = sorted(
            refs[s.index] + events.find_anaphors(s, etable, refs[s.index]), key=lambda r: r.start
        )
        governments = eventinfo.subject_details(s, refs[s.index], etable, org_spans[s.index], published)
        facts.organizations += [Organization(name=g) for g in governments]
        eventinfo.link_parts(s, refs[s.index], etable)
    return refs, etable


def _posts(sentences: list[Sentence], name_spans: dict, title_phrases: dict) -> tuple[list[Position], list[Rank]]:
    posts: list[Position] = []
    ranks: list[Rank] = []
    for s in sentences:
        phrases = title_phrases[s.index]
        found = [post for post, _ in roles.positions(s, phrases, name_spans[s.index])]
        for post in found + delegations.state_posts(s, phrases, name_spans[s.index]):
            if not any(
                (p.person, p.title, p.organization) == (post.person, post.title, post.organization)
                for p in posts
            ):
                posts.append(post)
        for rank in roles.ranks(s, name_spans[s.index]):
            if not any((r.person, r.rank.lower()) == (rank.person, rank.rank.lower()) for r in ranks):
                ranks.append(rank)
    return roles.without_repeats(posts), ranks


def _people_spans(
    sentences: list[Sentence], name_spans: dict, title_phrases: dict, posts: list[Position], table: orgs.OrgTable
) -> dict[int, list[Span]]:
    """Every reference to a person per sentence: names, role phrases, and "he"/"she"."""
    found, last_subject, guest = {}, None, None
    for s in sentences:
        phrases = title_phrases[s.index]
        spans = name_spans[s.index] + roles.role_refs(s, phrases, name_spans[s.index], posts, table)
        spans += [g for g in actions.guest_refs(s, guest) if not any(x.start <= g.start < x.end for x in spans)]
        guest = actions.guest_of(s, spans) or guest
        spans += [
            p for p in actions.pronoun_refs(s, last_subject) if not any(x.start == p.start for x in spans)
        ]
        # A title phrase that holds a name refers to that name, whatever post it was matched to.
        spans = [x for x in spans if x.kind != "role" or not any(_inside(n, x) for n in name_spans[s.index])]
        found[s.index] = sorted(spans, key=lambda x: x.start)
        subjects = [p for p in found[s.index] if not COMPANION.search(s.text[: p.start])]
        if subjects:
            last_subject = subjects[0].value
    return found


def _inside(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _actions(
    sentences: list[Sentence], people: dict, refs: dict, etable: events.EventTable, facts: ArticleFacts
) -> None:
    said, heard, took_part, one_each, together = [], [], [], False, False
    host = next((h for s in sentences[:1] if (h := actions.headline_host(s, people[s.index]))), None)
    for s in sentences:
        one_each = one_each or bool(actions.ONE_EACH.search(s.text))
        together = together or bool(actions.TOGETHER.search(s.text))
        for meeting in actions.meetings(
            s, people[s.index], refs[s.index], facts.article.published, host, one_each=one_each, together=together
        ):
            if meeting.date is None and SAME_DAY.search(s.text):
                meeting.date = _last_date(sentences[: s.index], facts.article.published)
            _add_meeting(facts.meetings, meeting)
        if facts.meetings and (others := actions.present(s, people[s.index])):
            last = facts.meetings[-1]
            last.participants += [n for n in others if n not in last.participants]
        spoke = actions.statements(s, people[s.index], refs[s.index], etable)
        said += spoke
        heard += [] if spoke else actions.reported(s, people[s.index], refs[s.index], etable)
        took_part += actions.participations(s, people[s.index], refs[s.index], etable)
    met = {name for m in facts.meetings for name in m.participants}  # what they said, they said in a meeting
    said += [st for st in heard if st.person not in met]
    for st in sorted(said, key=lambda x: etable.get(x.event).part_of is None):
        if not any(
            (x.person, actions.root(x.event, etable)) == (st.person, actions.root(st.event, etable))
            for x in facts.statements
        ):
            facts.statements.append(st)
    facts.delegations, members = delegations.delegations(sentences, people, refs, etable)
    facts.participations = actions.strongest(took_part + members + actions.speakers(facts.statements, etable))
    for meeting in delegations.consultation_meetings(facts.participations, etable):
        _add_meeting(facts.meetings, meeting)
    facts.meetings = [  # "A meets B" in the headline, "A met B in the presence of C" in the body: one meeting
        m for m in facts.meetings if not any(set(m.participants) < set(o.participants) for o in facts.meetings)
    ]


def _last_date(before: list[Sentence], published: str | None) -> str | None:
    """The last full date written before a sentence ("On the same day ..."), looked for only when asked."""
    for s in reversed(before):
        dated = [d.begin for d in find_dates(s.text, published) if not d.until]
        if found := next((d for d in reversed(dated) if len(d) == 10 or d.startswith("--")), None):
            return found
    return None


def _add_meeting(found: list[Meeting], meeting: Meeting) -> None:
    """Keep one meeting per set of participants, completing it from later mentions."""
    same = next((m for m in found if set(m.participants) == set(meeting.participants)), None)
    if same is None:
        found.append(meeting)
        return
    same.date, same.location = same.date or meeting.date, same.location or meeting.location
    same.event = same.event or meeting.event


def _organizations(
    sentences: list[Sentence], org_spans: dict, refs: dict, table: orgs.OrgTable, facts: ArticleFacts
) -> list[Organization]:
    """Organizations named outside event names, acronyms folded into their long names."""
    series = {events.fold(e.series) for e in facts.events if e.series}
    found: list[Organization] = list(facts.organizations)
    for s in sentences:
        for mention in org_spans[s.index]:
            inside_event = any(r.explicit and r.start <= mention.start < r.end for r in refs[s.index])
            name = table.canonical(mention.name)
            if inside_event or events.fold(name) in series or any(o.name == name for o in found):
                continue
            found.append(Organization(name=name))
    found = orgs.fold_short_forms(found, table)
    for org in found:
        org.aliases += [a for a, long in table.acronyms.items() if long == org.name and a not in org.aliases]
    return found
