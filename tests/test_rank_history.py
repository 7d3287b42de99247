"""'Which rank did he hold in 2020, and when was he promoted?' answered from dated rank attestations."""

from __future__ import annotations

from kg.build import build_article
from kg.facts import Article, ArticleFacts, Person, Position, Rank
from kg.named import named_query


def article(published: str, rank: str, text: str) -> ArticleFacts:
    return ArticleFacts(
        article=Article(text=text, title="Chief addresses the board", published=published, source=f"{published}.txt"),
        people=[Person("Karim Haddad")],
        organizations=[],
        positions=[Position("Karim Haddad", "Chief", "State Migration Service", evidence=text)],
        ranks=[Rank("Karim Haddad", rank, evidence=text)],
    )


def test_rank_history_shows_the_promotion(memory_ingestor):
    for published, rank in (("2020-03-02", "III rank state migration service counselor"),
                            ("2020-11-20", "III rank state migration service councelor"),
                            ("2023-06-01", "II rank state migration service counselor")):
        facts = article(published, rank, f"Karim Haddad spoke on {published}.")
        assert memory_ingestor.commit(build_article(facts, memory_ingestor.ref, memory_ingestor.minter)).ok
    rows = [{k.value: s[k].value for k in r.variables if s[k] is not None}
            for r in [memory_ingestor.store.query(named_query("rank_history").sparql)] for s in r]
    assert [(r["rank_label"], r["seniority"], r["first_attested"], r["last_attested"], r["attestations"])
            for r in rows] == [
        ("III rank state migration service counselor", "4", "2020-03-02", "2020-11-20", "2"),
        ("II rank state migration service counselor", "3", "2023-06-01", "2023-06-01", "1"),
    ]
