"""People, organizations, posts and ranks: one test per rule family, on sentences written for them.

Also: IRI minting never lets a correct name fail a shape; generic body names stay local to
their article; `kg extract` prints facts with their evidence and stores nothing; and a title or
a rank scheme a user adds as data (KG_KNOWLEDGE_DIR, KG_ONTOLOGY_DIR) is read by the rules.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.extract import extract
from kg.extract.orgs import is_generic
from kg.facts import Article, ArticleFacts
from kg.iris import Minter, slug

ROOT = Path(__file__).resolve().parents[1]


def facts_of(body: str, *, published: str | None = "2025-03-04") -> ArticleFacts:
    return extract(Article(text=body, published=published))


def posts(facts: ArticleFacts) -> set[tuple[str, str, str | None]]:
    return {(p.person, p.title, p.organization) for p in facts.positions}


def people(facts: ArticleFacts) -> set[str]:
    return {p.name for p in facts.people}


# --- people ------------------------------------------------------------------------------------


def test_a_surname_in_capitals_is_part_of_the_name() -> None:
    facts = facts_of("The opening remarks were made by Mr. Selim KARAN, Deputy Director General of Border Management.")
    assert people(facts) == {"Selim KARAN"}


def test_an_initial_and_surname_alone_is_a_name_when_the_context_says_person() -> None:
    facts = facts_of("The Lakeland side was chaired by T.Bold, State Secretary for Water Resources.")
    assert people(facts) == {"T.Bold"}


def test_hyphenated_titles_and_ranks_are_not_names() -> None:
    facts = facts_of(
        "Secretary-General Omar Castellan welcomed the guests. Major-General Ivo Brandt, Commander of the "
        "Northern Guard Service, attended."
    )
    assert people(facts) == {"Omar Castellan", "Ivo Brandt"}


def test_a_name_after_a_portfolio_drops_the_portfolio_word() -> None:
    facts = facts_of("The guests included Deputy Minister of Culture Rasim Talibli and others.")
    assert people(facts) == {"Rasim Talibli"}


def test_a_possessive_is_not_part_of_the_name() -> None:
    facts = facts_of("President Arvid Lund noted the progress. Arvid Lund’s decision was welcomed.")
    assert people(facts) == {"Arvid Lund"}


def test_capitalised_phrases_that_are_not_people_stay_out() -> None:
    facts = facts_of("The Pilot Project was discussed with the Group of States Against Corruption in Lisbon.")
    assert people(facts) == set()


def test_initials_without_a_full_stop_open_a_name() -> None:
    facts = facts_of("Water Minister T Bold met Deputy Minister of Water AK Lena Varga on Monday.")
    assert people(facts) == {"T Bold", "AK Lena Varga"}


def test_a_lower_case_person_noun_before_a_name_says_person() -> None:
    facts = facts_of(
        "The debate was moderated by the noted journalist Ivo Brandt. The academician Ada Pirk was honoured."
    )
    assert people(facts) == {"Ivo Brandt", "Ada Pirk"}


def test_a_title_with_its_body_right_after_two_names_joined_by_and() -> None:
    facts = facts_of(
        "He met Ivo Brandt, Deputy Prime Minister of Norway and Ada Pirk Foreign Minister of Finland."
    )
    assert people(facts) == {"Ivo Brandt", "Ada Pirk"}
    assert ("Ada Pirk", "Foreign Minister", "Finland") in posts(facts)


# --- posts ---------------------------------------------------------------------------------------


def test_a_demonym_before_a_title_names_the_country_served() -> None:
    facts = facts_of("Kazakh Foreign Minister and Deputy Prime Minister Aset Berikov received the guests.")
    assert posts(facts) == {
        ("Aset Berikov", "Deputy Prime Minister", "Kazakhstan"),
        ("Aset Berikov", "Foreign Minister", "Kazakhstan"),
    }


def test_a_countrys_possessive_before_a_title_names_the_country_served() -> None:
    facts = facts_of("On the sidelines, he met with Norway’s Foreign Minister Eline Solberg.")
    assert posts(facts) == {("Eline Solberg", "Foreign Minister", "Norway")}


def test_an_ambassador_serves_the_country_before_the_title_not_the_host() -> None:
    facts = facts_of("The talks included Karim Nasser, UAE Ambassador to Georgia, and others.")
    assert posts(facts) == {("Karim Nasser", "Ambassador to Georgia", "UAE")}


def test_in_a_list_of_appositions_a_title_belongs_to_the_name_before_it() -> None:
    facts = facts_of(
        "Present were Ms Rena Holt, Chief Planning Officer at the Ministry of Water, Mr. Tomas Greer, "
        "UNICEF Representative to Lakeland, and others."
    )
    assert ("Rena Holt", "Chief Planning Officer", "Ministry of Water") in posts(facts)
    assert not any(p[0] == "Tomas Greer" and p[2] == "Ministry of Water" for p in posts(facts))


def test_a_dash_list_of_appointments_gives_each_name_its_own_title() -> None:
    facts = facts_of(
        "By decree the President named: Pavel Orlov — Chairman of the Lakeland Coast Guard Committee "
        "Ivan Sokol — First Deputy Chairman of the Lakeland Coast Guard Committee."
    )
    assert ("Pavel Orlov", "Chairman", "Lakeland Coast Guard Committee") in posts(facts)
    assert ("Ivan Sokol", "First Deputy Chairman", "Lakeland Coast Guard Committee") in posts(facts)
    assert ("Ivan Sokol", "Chairman", "Lakeland Coast Guard Committee") not in posts(facts)


def test_a_title_that_needs_its_body_is_no_post_without_one() -> None:
    facts = facts_of("Minister Rasim Talibli opened the meeting. Ambassador Tomas Greer and Head Ivo Brandt spoke.")
    assert posts(facts) == set()


def test_a_title_that_stands_alone_is_a_post_with_no_body() -> None:
    facts = facts_of(
        "President Lena Varga opened the forum. Minister of Education Ada Pirk and Ms Rena Holt, Education "
        "Specialist, spoke after her."
    )
    assert posts(facts) == {
        ("Lena Varga", "President", None),
        ("Ada Pirk", "Minister of Education", None),
        ("Rena Holt", "Education Specialist", None),
    }


def test_a_title_cut_short_is_not_written_without_its_body() -> None:
    facts = facts_of("He met Ivo Brandt, State Secretary to the Minister for Water Resources.")
    assert posts(facts) == set()


def test_a_bare_title_repeating_a_full_one_adds_no_post() -> None:
    facts = facts_of(
        "Norway’s Minister of Justice Eline Solberg received the delegation. Later, Minister Eline Solberg "
        "visited the court."
    )
    assert posts(facts) == {("Eline Solberg", "Minister of Justice", "Norway")}


def test_a_portfolio_stops_before_another_title_and_both_titles_are_the_names() -> None:
    facts = facts_of("Norway sent Deputy Minister of Foreign Affairs Ambassador Ivo Brandt to the talks.")
    assert posts(facts) == {("Ivo Brandt", "Deputy Minister of Foreign Affairs", None)}


def test_the_positions_query_gives_the_country_as_worded(memory_ingestor) -> None:
    """The post serves the reference country (one node for every wording), and the positions query
    answers with the wording the article used, as the annotation rules ask."""
    from kg.named import named_query

    outcome = memory_ingestor.ingest_article(Article(
        text="Kyrgyz Republic President Temir Osmonov and President Lena Varga met in the capital.",
        published="2025-03-04",
    ))
    assert outcome.ok, outcome
    rows = {(r["person_name"].value, r["title"].value, r["organization_name"].value if r["organization_name"] else None)
            for r in memory_ingestor.store.query(named_query("positions").sparql)}
    assert rows == {("Temir Osmonov", "President", "Kyrgyz Republic"), ("Lena Varga", "President", None)}
    served = memory_ingestor.store.query(
        "ASK { GRAPH ?g { ?post <https://kg.example.org/def/kg#jurisdiction> "
        "<https://kg.example.org/id/country/kyrgyzstan> } }"
    )
    assert bool(served)


def test_listed_names_with_a_country_in_parentheses_keep_their_own_titles() -> None:
    facts = facts_of(
        "Then Lena Varga (Norway), President of the Lakeland Water Agency, Ivo Brandt (Finland), Chairman of "
        "the Board of Directors of the Harbour Civic Foundation, and Ada Pirk delivered speeches."
    )
    assert posts(facts) == {
        ("Lena Varga", "President", "Lakeland Water Agency"),
        ("Ivo Brandt", "Chairman of the Board of Directors", "Harbour Civic Foundation"),
    }


def test_in_a_dash_list_a_name_before_a_dash_opens_the_next_entry() -> None:
    facts = facts_of(
        "The decree appointed: Ivo Brandt — Deputy Chairman of the Lakeland Border Committee, Chief of the "
        "Central Supply Department Ada Pirk — Deputy Chairman of the Lakeland Border Committee."
    )
    assert ("Ivo Brandt", "Chief", "Central Supply Department") in posts(facts)
    assert ("Ada Pirk", "Chief", "Central Supply Department") not in posts(facts)


def test_titles_joined_by_a_dash_or_an_address_form_belong_to_the_name_after_them() -> None:
    facts = facts_of(
        "Guests included IMF Managing Director Ivo Brandt, UN Under-Secretary-General – Executive Secretary of "
        "ESCAP Ada Pirk, and OSCE Secretary General Ambassador Lena Varga."
    )
    assert posts(facts) == {
        ("Ivo Brandt", "Managing Director", "IMF"),
        ("Ada Pirk", "Under-Secretary-General", "UN"),
        ("Ada Pirk", "Executive Secretary", "ESCAP"),
        ("Lena Varga", "Secretary General", "OSCE"),
    }


def test_a_country_between_a_title_and_its_holder() -> None:
    facts = facts_of("He met Foreign Minister Ada Pirk, Minister of Water Resources UK Ivo Brandt and others.")
    assert ("Ivo Brandt", "Minister of Water Resources", "UK") in posts(facts)
    assert not any(p[0] == "Ada Pirk" and "Water" in p[1] for p in posts(facts))


def test_portfolio_words_before_a_minister_make_a_post_without_a_country() -> None:
    facts = facts_of("External Affairs Minister T Bold met the delegates.")
    assert posts(facts) == {("T Bold", "External Affairs Minister", None)}


def test_two_titles_of_one_holder_joined_by_and_the() -> None:
    facts = facts_of("Ada Pirk, Minister of Water of Finland and the Chair of the Lakes Process, spoke first.")
    assert posts(facts) == {("Ada Pirk", "Minister of Water", "Finland"), ("Ada Pirk", "Chair", "Lakes Process")}


def test_a_rank_between_a_title_and_its_holder() -> None:
    facts = facts_of(
        "On Monday the Deputy Minister of Interior, Lieutenant General Ivo Brandt, briefed the first deputy head "
        "of the Main Directorate for Water of the Republic of Finland, Colonel Ada Pirk."
    )
    assert ("Ivo Brandt", "Deputy Minister of Interior", None) in posts(facts)
    assert ("Ada Pirk", "First Deputy Head", "Main Directorate for Water of the Republic of Finland") in posts(facts)


def test_an_envoy_to_a_body_and_the_address_before_it_serve_the_sending_country() -> None:
    facts = facts_of(
        "Among the guests was Ambassador, Permanent Representative of the Republic of Finland to the "
        "European Union Lena Varga."
    )
    assert posts(facts) == {
        ("Lena Varga", "Ambassador", "Republic of Finland"),
        ("Lena Varga", "Permanent Representative to the European Union", "Republic of Finland"),
    }


# --- ranks ---------------------------------------------------------------------------------------


def test_a_service_rank_before_a_name() -> None:
    facts = facts_of(
        "Deputy Chief of the Main Border Directorate, Police Major-General Ivo Brandt, led the delegation."
    )
    assert {(r.person, r.rank) for r in facts.ranks} == {("Ivo Brandt", "Police Major-General")}


def test_the_rank_is_given_to_the_holder_never_to_the_giver() -> None:
    facts = facts_of(
        "President Arvid Lund granted the rank of military major general to Ivo Brandt, governor of the "
        "lake district. Years earlier, President Tor Aas awarded Ivo Brandt the rank of police major general."
    )
    assert {(r.person, r.rank) for r in facts.ranks} == {
        ("Ivo Brandt", "military major general"),
        ("Ivo Brandt", "police major general"),
    }


def test_a_rank_in_parentheses_after_a_name() -> None:
    facts = facts_of(
        "Talks were chaired by the Assistant Foreign Minister of the State of Kuwait Faisal Omar "
        "(in the rank of Deputy Minister)."
    )
    assert ("Faisal Omar", "Deputy Minister") in {(r.person, r.rank) for r in facts.ranks}


def test_a_rank_closing_an_apposition_that_opens_the_sentence() -> None:
    facts = facts_of(
        "Chairman of the State Customs Committee, Colonel-General of the country's customs service Rafael Orujov "
        "took part in the meeting."
    )
    expected = {("Rafael Orujov", "Colonel-General of the country's customs service")}
    assert {(r.person, r.rank) for r in facts.ranks} == expected


def test_a_rank_word_in_running_text_is_not_a_rank() -> None:
    facts = facts_of("Arvid Lund noted that this is a major step. The general assembly met later.")
    assert facts.ranks == []


# --- organizations -------------------------------------------------------------------------------


def test_a_countrys_name_or_delegation_is_not_a_body() -> None:
    facts = facts_of(
        "The Delegation of Tajikistan and the Russian Federation signed it with the Lakeland Water Agency."
    )
    assert {o.name for o in facts.organizations} == {"Lakeland Water Agency"}


def test_a_bodys_name_stops_before_a_date() -> None:
    facts = facts_of("Cadets graduated from the Customs Academy of the Ministry of Finance on March 14.")
    assert {o.name for o in facts.organizations} == {"Customs Academy of the Ministry of Finance"}


@pytest.mark.parametrize(
    ("name", "generic"),
    [
        ("Ministry of Foreign Affairs", True),
        ("Press Service of the Ministry of Justice", True),
        ("Ministry of Foreign Affairs of Mongolia", False),
        ("International Organization for Migration", False),
        ("Lakeland Water Agency", False),
    ],
)
def test_generic_body_names(name: str, generic: bool) -> None:
    assert is_generic(name) is generic


def test_two_countries_unqualified_ministries_do_not_merge(memory_ingestor) -> None:
    texts = [
        "Lakeland's delegation was received at the Ministry of Foreign Affairs. Deputy Minister of Foreign "
        "Affairs of Lakeland Aset Berikov said so.",
        "Norway’s Foreign Minister Eline Solberg spoke at the Ministry of Foreign Affairs on Monday.",
    ]
    outcomes = [memory_ingestor.ingest_article(Article(text=t, published="2025-03-04", url=f"https://example.org/{n}"))
                for n, t in enumerate(texts)]
    assert all(o.ok for o in outcomes), outcomes
    rows = memory_ingestor.store.query(
        'SELECT DISTINCT ?org WHERE { GRAPH ?g { ?org <https://schema.org/name> "Ministry of Foreign Affairs" } }'
    )
    assert len(list(rows)) == 2


def test_body_names_read_over_slashes_quotes_and_comma_lists() -> None:
    facts = facts_of(
        "Addressing the event, Director of the United Nations Programme on Water/Sanitation Ivo Brandt thanked "
        "the “Harbour” Civic Foundation and the Deputy Chairperson of Norway's State Committee for Family, Youth "
        "and Sports Affairs Ada Pirk, Deputy Minister of Culture Lena Varga and others for their help."
    )
    names = {o.name for o in facts.organizations}
    assert "United Nations Programme on Water/Sanitation" in names
    assert "“Harbour” Civic Foundation" in names
    assert "State Committee for Family, Youth and Sports Affairs" in names  # the owner's possessive is not in it


def test_a_platform_process_and_an_acronym_after_a_title_are_bodies() -> None:
    facts = facts_of(
        "Ada Pirk, Researcher at LRTC, presented the Lakes Process to Ivo Brandt, Director General of LRTC."
    )
    names = {o.name for o in facts.organizations}
    assert {"Lakes Process", "LRTC"} <= names
    assert ("Ivo Brandt", "Director General", "LRTC") in posts(facts)


# --- IRIs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Əli Həsənov", "Łucja Żak", "Жанна Ivanova", "王伟", "Ali_Veli", "İlkin Öz"])
def test_a_slug_is_always_plain_ascii(name: str) -> None:
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in slug(name)), slug(name)
    assert slug(name) != "unnamed"


def test_distinct_scripts_keep_distinct_slugs() -> None:
    assert slug("Жанна") != slug("Жанно")
    assert Minter("https://kg.example.org/").person("Əli Həsənov").endswith("/id/person/ali-hasanov")


def test_a_name_with_a_non_ascii_letter_is_stored(memory_ingestor) -> None:
    outcome = memory_ingestor.ingest_article(
        Article(text="Deputy Minister of Foreign Affairs of Lakeland Nərgiz Əhmədova met Mr. Tomas Greer.",
                published="2025-03-04")
    )
    assert outcome.ok, outcome


# --- kg extract ----------------------------------------------------------------------------------


def test_kg_extract_prints_facts_with_evidence_and_stores_nothing(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Norway’s Foreign Minister Eline Solberg met Kazakh Foreign Minister Aset Berikov in Oslo.\n",
                       encoding="utf-8")
    store = tmp_path / "store"
    result = CliRunner().invoke(cli, ["--store", str(store), "extract", str(article)])
    assert result.exit_code == 0, result.output
    assert "position      Eline Solberg | Foreign Minister | Norway" in result.output
    assert "« Norway’s Foreign Minister Eline Solberg met" in result.output
    assert not store.exists()


def test_kg_extract_names_a_bad_file_and_goes_on(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("President Arvid Lund of Norway noted the progress.\n", encoding="utf-8")
    bad.write_bytes(b"")
    result = CliRunner().invoke(cli, ["extract", str(bad), str(good)])
    assert result.exit_code == 2
    assert "bad.txt" in result.output and "== " + str(good) in result.output


# --- knowledge a user adds -----------------------------------------------------------------------


def _extract_in_subprocess(text: str, env: dict[str, str]) -> dict:
    code = (
        "import json, sys\n"
        "from kg.extract import extract\nfrom kg.facts import Article\n"
        "f = extract(Article(text=sys.argv[1], published='2025-03-04'))\n"
        "print(json.dumps({'posts': [[p.person, p.title, p.organization] for p in f.positions],"
        " 'ranks': [[r.person, r.rank] for r in f.ranks]}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, text], env={**os.environ, **env}, cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


SENTENCE = "Ivo Brandt, Chief Quartermaster of the Lakeland Water Agency, noted it. Fleet Warden Rasim Talibli agreed."


def test_a_title_added_in_the_knowledge_dir_is_read(tmp_path: Path) -> None:
    before = _extract_in_subprocess(SENTENCE, {})
    assert not any(p[1].endswith("Quartermaster") for p in before["posts"])
    (tmp_path / "titles.tsv").write_text("title\tbody\nQuartermaster\torganization\n", encoding="utf-8")
    after = _extract_in_subprocess(SENTENCE, {"KG_KNOWLEDGE_DIR": str(tmp_path)})
    assert ["Ivo Brandt", "Chief Quartermaster", "Lakeland Water Agency"] in after["posts"]


def test_a_rank_scheme_added_to_the_reference_data_is_read(tmp_path: Path) -> None:
    before = _extract_in_subprocess(SENTENCE, {})
    assert before["ranks"] == []
    ontology = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", ontology)
    (ontology / "reference-ranks-fleet.ttl").write_text(
        "@prefix kg: <https://kg.example.org/def/kg#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<id/rank-scheme/fleet> a kg:RankScheme ; skos:prefLabel \"Ranks of the fleet\"@en .\n"
        "<id/rank/fleet/warden> a kg:Rank ; skos:inScheme <id/rank-scheme/fleet> ;"
        " skos:prefLabel \"Fleet Warden\"@en .\n",
        encoding="utf-8",
    )
    after = _extract_in_subprocess(SENTENCE, {"KG_ONTOLOGY_DIR": str(ontology)})
    assert after["ranks"] == [["Rasim Talibli", "Fleet Warden"]]
