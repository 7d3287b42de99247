"""Rule families of event and action extraction, one group of tests each, on sentences written
for these tests (no corpus text): events without a proper name, meetings, attendance, leading a
delegation, speaking, and the signal words kept as data in kg/extract/knowledge/signals.tsv.

Each test reads a short article through the whole pipeline (`kg.extract.extract`), so a rule is
checked together with the people and events it depends on, and asserts both what is found and
what must not be (a fact the text does not clearly state is not written).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.extract import extract
from kg.extract.knowledge import table
from kg.extract.signals import signal
from kg.facts import Article, ArticleFacts


def read(text: str, title: str | None = None, published: str | None = "2024-03-05") -> ArticleFacts:
    return extract(Article(text=text, title=title, published=published))


def event_names(facts: ArticleFacts) -> list[str]:
    return [e.name for e in facts.events]


def event_of(facts: ArticleFacts, key: str) -> str:
    return next(e.name for e in facts.events if e.key == key)


def meetings(facts: ArticleFacts) -> list[set[str]]:
    return [set(m.participants) for m in facts.meetings]


def roles(facts: ArticleFacts) -> dict[str, tuple[str, str]]:
    return {p.person: (event_of(facts, p.event), p.role) for p in facts.participations}


def speakers(facts: ArticleFacts) -> dict[str, tuple[str, str | None]]:
    return {s.person: (event_of(facts, s.event), s.mode) for s in facts.statements}


# --- events without a proper name ----------------------------------------------------------


def test_descriptive_event_with_ordinal_and_qualifier():
    facts = read(
        "Minister of Foreign Affairs Tomas Varga attended the fifth ministerial meeting of the "
        "Danube riparian states in Vienna on 4 March."
    )
    assert event_names(facts) == ["fifth ministerial meeting of the Danube riparian states"]
    assert facts.events[0].ordinal == 5


def test_same_numbered_meeting_written_twice_is_one_event():
    facts = read(
        "Tomas Varga attended the fifth ministerial meeting of the Danube riparian states.\n\n"
        "On the margins of the 5th ministerial meeting on river transport, Tomas Varga met with Lena Ostrova."
    )
    assert len(facts.events) == 1


def test_ceremony_dedicated_to_and_its_anaphor():
    facts = read(
        "A solemn ceremony dedicated to the Day of Customs Officers was held at the Customs Academy.\n\n"
        "Deputy Chairman Marek Duval addressed the participants of the solemn ceremony."
    )
    assert "solemn ceremony dedicated to the Day of Customs Officers" in event_names(facts)
    assert speakers(facts) == {"Marek Duval": ("solemn ceremony dedicated to the Day of Customs Officers", None)}


def test_round_of_consultations():
    facts = read("The 3rd round of Latvian-Chilean political consultations took place in Riga.")
    assert event_names(facts) == ["3rd round of Latvian-Chilean political consultations"]
    assert facts.events[0].kind == "consultations"


def test_body_that_opened_its_numbered_session():
    facts = read("The Regional Committee for the Northern Seas today opened its 41st session in Oslo.")
    assert event_names(facts) == ["41st session of the Regional Committee for the Northern Seas"]
    assert facts.events[0].ordinal == 41


def test_capitalised_senior_officials_meeting_in_the_body_but_not_a_title_case_headline():
    facts = read(
        "The Lisbon Process Senior Officials Meeting was held in Porto.",
        title="Deputy Minister Holds Meeting With Partners",
    )
    assert event_names(facts) == ["Lisbon Process Senior Officials Meeting"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The parties discussed a meeting of the parties next year.",
        "Tomas Varga held a bilateral meeting with Lena Ostrova.",
        "The sides expressed interest in holding political consultations in 2026.",
        "The minister spoke at the plenary session of the forum.",
    ],
)
def test_unqualified_event_nouns_name_no_event(sentence):
    assert event_names(read(sentence)) == []


# --- meetings ---------------------------------------------------------------------------------


def test_met_without_with_and_received():
    facts = read(
        "Minister of Justice Tomas Varga met the Ambassador of Chile, Ms. Lena Ostrova, on 2 March.\n\n"
        "On 3 March, Tomas Varga received Mr. Marek Duval and Mr. Ivo Kralj."
    )
    assert meetings(facts) == [{"Tomas Varga", "Lena Ostrova"}, {"Tomas Varga", "Marek Duval", "Ivo Kralj"}]
    assert facts.meetings[0].date == "2024-03-02"


def test_three_guests_in_a_list_are_separate_meetings():
    facts = read(
        "Minister Tomas Varga also met with Deputy Minister of Culture Lena Ostrova, "
        "Deputy Minister of Youth and Sports Marek Duval and Director General Ivo Kralj."
    )
    assert meetings(facts) == [
        {"Tomas Varga", "Lena Ostrova"},
        {"Tomas Varga", "Marek Duval"},
        {"Tomas Varga", "Ivo Kralj"},
    ]


def test_courtesy_call_passive_and_people_present():
    facts = read(
        "Minister of Education Lena Ostrova was paid a courtesy call by Ms Nora Feld, Regional Director "
        "of the Children's Fund.\n\n"
        "Present at the meeting were Mr. Ivo Kralj, Chief Planning Officer, and Ms Dana Rusu, Education Specialist."
    )
    assert meetings(facts) == [{"Lena Ostrova", "Nora Feld", "Ivo Kralj", "Dana Rusu"}]


def test_possessive_meeting_with_and_a_recalled_meeting_between():
    facts = read(
        "Tomas Varga attended the forum.\n\n"
        "His meeting with Lena Ostrova focused on transit.\n\n"
        "The ambassador recalled the meeting between Marek Duval, Chief of the Service, and Ivo Kralj, "
        "Director of the Bureau, held in Split last year."
    )
    assert {"Tomas Varga", "Lena Ostrova"} in meetings(facts)
    assert {"Marek Duval", "Ivo Kralj"} in meetings(facts)


def test_a_planned_meeting_is_not_a_meeting():
    facts = read(
        "Spokesman Ivo Kralj said that Minister Tomas Varga is scheduled to hold talks with Lena Ostrova."
    )
    assert facts.meetings == []


def test_a_letter_received_is_not_a_meeting():
    facts = read("Tomas Varga received a letter from Lena Ostrova.")
    assert facts.meetings == []


# --- attendance and delegations -----------------------------------------------------------------


def test_attended_by_a_list_with_titles():
    facts = read(
        "The 12th Session of the Council of the Maritime Organization was held in Lisbon.\n\n"
        "The session was attended by Secretary General Nora Feld, Acting Chairman of the Council Ivo Kralj "
        "and Ambassador, Permanent Representative to the Organization Ms. Dana Rusu."
    )
    session = "12th Session of the Council of the Maritime Organization"
    assert roles(facts) == {p: (session, "participant") for p in ("Nora Feld", "Ivo Kralj", "Dana Rusu")}


def test_in_the_city_to_attend():
    facts = read(
        "Interior Minister Tomas Varga, who was in the Austrian city of Vienna to attend the 12th session "
        "of the Governing Board of the Water Agency, met with Lena Ostrova."
    )
    assert roles(facts)["Tomas Varga"][1] == "participant"
    assert {"Tomas Varga", "Lena Ostrova"} in meetings(facts)


def test_led_the_delegation_at_and_members_in_the_same_sentence():
    facts = read(
        "Deputy Minister Tomas Varga led the delegation at the 4th meeting of the Joint Commission on Trade.\n\n"
        "The Chilean delegation was led by Lena Ostrova, Deputy Minister of Foreign Affairs, and included "
        "Marek Duval, Ambassador to Peru, and Ivo Kralj, Director of the Americas Department."
    )
    meeting = "4th meeting of the Joint Commission on Trade"
    assert roles(facts) == {
        "Tomas Varga": (meeting, "head of delegation"),
        "Lena Ostrova": (meeting, "head of delegation"),
        "Marek Duval": (meeting, "member of delegation"),
        "Ivo Kralj": (meeting, "member of delegation"),
    }


def test_consultations_make_a_meeting_of_both_sides():
    facts = read(
        "The 2nd round of Latvian-Chilean political consultations was held in Riga.\n\n"
        "While the Latvian side was chaired by Tomas Varga, State Secretary, the Chilean side was chaired "
        "by Lena Ostrova, Deputy Minister."
    )
    consultations = "2nd round of Latvian-Chilean political consultations"
    assert roles(facts) == {p: (consultations, "head of delegation") for p in ("Tomas Varga", "Lena Ostrova")}
    assert meetings(facts) == [{"Tomas Varga", "Lena Ostrova"}]
    assert event_of(facts, facts.meetings[0].event) == consultations


# --- speaking -------------------------------------------------------------------------------------


def test_speeches_made_by_a_semicolon_list():
    facts = read(
        "The Vistula Process Senior Officials Meeting was held in Gdansk on 3-4 March.\n\n"
        "Opening speeches at the event were made by Mr. Tomas Varga, Deputy Director General of "
        "Migration; Ms. Lena Ostrova, Head of Unit of the Commission; and Mr. Marek Duval, Director General "
        "of the Centre."
    )
    som = "Vistula Process Senior Officials Meeting"
    assert speakers(facts) == {p: (som, None) for p in ("Tomas Varga", "Lena Ostrova", "Marek Duval")}
    assert {p: r for p, (_, r) in roles(facts).items()} == dict.fromkeys(speakers(facts), "speaker")


def test_opening_remarks_and_addressing_the_meeting():
    facts = read(
        "Minister Tomas Varga participated in the Labour Ministerial Meeting of the Baltic Group.\n\n"
        "Addressing the meeting, Minister Tomas Varga stressed the protection of migrant workers.\n\n"
        "In her opening remarks, Ms. Lena Ostrova, Chair of the meeting, thanked the hosts."
    )
    meeting = "Labour Ministerial Meeting of the Baltic Group"
    assert speakers(facts) == {"Tomas Varga": (meeting, None), "Lena Ostrova": (meeting, None)}


def test_speech_in_video_format():
    facts = read(
        "Tomas Varga delivered a speech in video format at the 9th Global Forum on Mobility in Lima."
    )
    assert speakers(facts) == {"Tomas Varga": ("9th Global Forum on Mobility", "video")}


def test_several_speakers_in_their_remarks_not_at_a_session_named_in_a_title():
    facts = read(
        "Minister Tomas Varga declared at the 50th session of the Rights Council in Geneva that his "
        "country would stand for election.\n\n"
        "Secretary-General Lena Ostrova, the High Commissioner Marek Duval and the chairman of the 80th "
        "session of the General Assembly, Mr. Ivo Kralj in their remarks stressed cooperation."
    )
    session = "50th session of the Rights Council"
    assert speakers(facts) == {p: (session, None) for p in ("Tomas Varga", "Lena Ostrova", "Marek Duval", "Ivo Kralj")}


# --- signal words as data ------------------------------------------------------------------------


def test_every_signal_relation_compiles_and_is_documented():
    relations = {row["relation"] for row in table("signals")}
    assert {"meeting", "attendance", "lead", "speech", "video", "appointment", "dismissal", "rank_award"} <= relations
    for relation in relations:
        assert signal(relation).pattern
    with pytest.raises(KeyError, match="no rows for relation 'farewell'"):
        signal("farewell")


def test_event_kinds_table_names_the_genre_kinds():
    kinds = {row["head"]: row["kind"] for row in table("event_kinds")}
    for head in ("round table", "consultations", "seminar", "senior officials meeting", "day", "anniversary"):
        assert head in kinds


# --- appointment and dismissal dates --------------------------------------------------------------


def test_dismissal_dates_the_end_of_the_post():
    facts = read(
        "Mr. Tomas Varga, Head of the Border Guard Service, was relieved from duties on 4 January 2025.",
        published="2025-01-05",
    )
    assert [(p.person, p.title, p.end) for p in facts.positions] == [("Tomas Varga", "Head", "2025-01-04")]
    assert facts.positions[0].start is None


def test_a_wording_added_as_data_is_read(tmp_path: Path) -> None:
    """A user's signals.tsv in KG_KNOWLEDGE_DIR adds a wording; run in a fresh interpreter because
    the knowledge tables are read once per process."""
    sentence = "Minister Tomas Varga had an audience with Ms. Lena Ostrova on 2 March."
    script = (
        "import json, sys; from kg.extract import extract; from kg.facts import Article; "
        "f = extract(Article(text=sys.argv[1], published='2024-03-05')); "
        "print(json.dumps([m.participants for m in f.meetings]))"
    )

    def meetings_found(extra: dict[str, str]) -> list[list[str]]:
        env = {**os.environ, **extra}
        done = subprocess.run([sys.executable, "-c", script, sentence], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    assert meetings_found({}) == []
    row = "meeting\t\\bhad\\s+an\\s+audience\\s+with\\b\n"
    (tmp_path / "signals.tsv").write_text("relation\tpattern\n" + row, encoding="utf-8")
    assert meetings_found({"KG_KNOWLEDGE_DIR": str(tmp_path)}) == [["Tomas Varga", "Lena Ostrova"]]


def test_meetings_plural_are_separate_and_an_unknown_host_makes_none():
    facts = read(
        "Then, Minister Tomas Varga continued his meetings at the forum with Ms. Lena Ostrova, Foreign "
        "Minister of Chile, and Mr. Marek Duval, Deputy Prime Minister of Peru.\n\n"
        "The envoy met Ms. Dana Rusu, Minister of Labour, and Mr. Ivo Kralj, Minister of Health."
    )
    assert meetings(facts) == [{"Tomas Varga", "Lena Ostrova"}, {"Tomas Varga", "Marek Duval"}]


# --- rules added for the dev set's forum and session reports (own sentences) ----------------


def test_event_name_followed_by_its_acronym_is_read():
    facts = read(
        "On May 3-4, the capital hosted the Lakeside Economic Forum (LEF), themed Trade and Trust. "
        "The forum was attended by Trade Minister Oskar Lindqvist and Mayor Petra Holm."
    )
    assert event_names(facts) == ["Lakeside Economic Forum"]
    assert roles(facts) == {
        "Oskar Lindqvist": ("Lakeside Economic Forum", "participant"),
        "Petra Holm": ("Lakeside Economic Forum", "participant"),
    }


def test_opening_ceremony_refers_to_the_main_event_and_guests_included_attend():
    facts = read(
        "The Northern Rivers Summit opened in Tallinn on 6 May. "
        "The opening ceremony was attended by Prime Minister Kaarel Tamm. "
        "The high-level guests included Foreign Minister Ilse Vaher and Governor Jonas Pikk."
    )
    assert {p: r for p, (e, r) in roles(facts).items()} == {
        "Kaarel Tamm": "participant",
        "Ilse Vaher": "participant",
        "Jonas Pikk": "participant",
    }
    assert {e for e, _ in roles(facts).values()} == {"Northern Rivers Summit"}


def test_an_unqualified_plenary_or_ceremony_with_no_main_event_is_not_an_event_reference():
    facts = read("The opening ceremony was attended by Mayor Petra Holm.")
    assert facts.participations == []


def test_moderator_is_a_speaker():
    facts = read(
        "The Baltic Energy Forum was held in Riga on 6 May. "
        "The plenary session was moderated by Ms. Marta Ozola."
    )
    assert roles(facts) == {"Marta Ozola": ("Baltic Energy Forum", "speaker")}


def test_listed_people_with_titles_who_delivered_speeches_each_made_a_statement():
    facts = read(
        "The 3rd meeting of the heads of the culture agencies of the Nordic states was held in Oslo on 2 May. "
        "Then, Ingrid Solberg (Norway), Director of the Heritage Board, Mikko Rantanen (Finland), "
        "Chairman of the Language Council, Elsa Berg, President of the Archive Foundation, delivered speeches."
    )
    assert set(speakers(facts)) == {"Ingrid Solberg", "Mikko Rantanen", "Elsa Berg"}


def test_one_person_delivering_a_speech_after_others_named_is_alone():
    facts = read(
        "The Baltic Energy Forum was held in Riga on 6 May. "
        "After Marta Ozola, Chair of the Grid Board, welcomed the guests, Janis Liepa delivered a speech."
    )
    assert set(speakers(facts)) == {"Janis Liepa"}


def test_during_her_welcome_statement_and_an_abbreviated_honorific():
    facts = read(
        "The 2nd Ministerial Consultation of the Coral Sea Process was convened in Suva on 8 May. "
        "During her welcome statement, Hon. Litia Vuki, Minister of Labour of Fiji, stressed the value of safe work."
    )
    assert speakers(facts) == {"Litia Vuki": ("2nd Ministerial Consultation of the Coral Sea Process", None)}


def test_reported_speech_in_an_event_report_is_a_statement_there():
    facts = read(
        "The 4th Lakeside Migration Conference was held in Geneva on 6 May. "
        "Director General Anna Weber stressed that safe routes save lives. "
        "Minister of Labour Tomas Novak spoke about the need for fair recruitment."
    )
    assert speakers(facts) == {
        "Anna Weber": ("4th Lakeside Migration Conference", None),
        "Tomas Novak": ("4th Lakeside Migration Conference", None),
    }
    assert {r for _, r in roles(facts).values()} == {"speaker"}


def test_reported_speech_is_no_statement_in_a_meeting_to_the_press_or_before_the_event():
    facts = read(
        "The 4th Lakeside Migration Conference was held in Geneva on 6 May. "
        "On its sidelines, Minister Tomas Novak met with Director General Anna Weber. "
        "Anna Weber stressed that safe routes save lives. "
        "Spokesman Piet de Vries told reporters that the minister stressed the agenda. "
        "Earlier, Ambassador Lena Kraus had said that the talks would be long."
    )
    assert facts.statements == []
    assert meetings(facts) == [{"Tomas Novak", "Anna Weber"}]


def test_reported_speech_needs_an_event_where_speeches_are_made():
    facts = read("Minister Tomas Novak stressed that the new law protects workers.")
    assert facts.statements == []


def test_bilateral_meetings_announced_then_listed_are_one_each():
    facts = read(
        "Minister Oskar Lindqvist held bilateral meetings with fellow ministers on the sidelines of "
        "the Baltic Energy Forum. He began by meeting with Janis Liepa, Minister of Energy of Latvia, "
        "and Ilse Vaher, Foreign Minister of Estonia."
    )
    assert sorted(map(sorted, meetings(facts))) == [
        ["Ilse Vaher", "Oskar Lindqvist"],
        ["Janis Liepa", "Oskar Lindqvist"],
    ]


def test_without_bilateral_meetings_announced_two_guests_met_together():
    facts = read("Minister Oskar Lindqvist met with Janis Liepa and Ilse Vaher in Riga.")
    assert meetings(facts) == [{"Oskar Lindqvist", "Janis Liepa", "Ilse Vaher"}]


def test_acronym_then_capitalised_words_name_a_meeting_and_a_shorter_name_is_the_same_event():
    facts = read(
        "Minister Oskar Lindqvist met Janis Liepa during the NB8 Foreign Ministers' meeting in "
        "Latvia's Riga earlier this month. The Foreign Ministers' Meeting adopted a statement."
    )
    assert event_names(facts) == ["NB8 Foreign Ministers' meeting"]
    assert facts.events[0].location == "Riga"


def test_a_same_day_meeting_takes_the_last_date_written_before_it():
    facts = read(
        "On 4 March, Minister Oskar Lindqvist opened the Baltic Energy Forum in Riga. "
        "He called for a common grid. "
        "On the same day, Minister Oskar Lindqvist met with Ambassador Ilse Vaher."
    )
    dated = [(set(m.participants), m.date) for m in facts.meetings]
    assert dated == [({"Oskar Lindqvist", "Ilse Vaher"}, "2024-03-04")]


def test_people_listed_after_a_closed_door_meeting_is_announced_met_together():
    facts = read(
        "Minister Oskar Lindqvist met delegates from three states in a closed-door meeting on Monday. "
        "Minister Oskar Lindqvist met Foreign Minister Janis Liepa, Minister Ilse Vaher and Minister Jonas Pikk."
    )
    assert meetings(facts) == [{"Oskar Lindqvist", "Janis Liepa", "Ilse Vaher", "Jonas Pikk"}]


def test_three_listed_without_a_joint_meeting_said_are_one_each():
    facts = read(
        "Minister Oskar Lindqvist met Foreign Minister Janis Liepa, Minister Ilse Vaher and Minister Jonas Pikk."
    )
    assert len(facts.meetings) == 3


def test_whoever_reads_out_a_message_speaks_at_the_event():
    facts = read(
        "The 10th Baltic Energy Forum opened in Riga on 6 May. "
        "The Premier's message was read out by Ambassador Ilse Vaher at the opening of the 10th Baltic Energy Forum."
    )
    assert roles(facts) == {"Ilse Vaher": ("10th Baltic Energy Forum", "speaker")}


def test_an_event_held_by_video_conference_makes_its_statements_video():
    facts = read(
        "The 12th meeting of the Council of Heads of Water Agencies was held in a video conferencing mode. "
        "In his opening remarks, Minister Tomas Novak stressed the need for shared data."
    )
    assert facts.events[0].mode == "video"
    assert speakers(facts) == {"Tomas Novak": ("12th meeting of the Council of Heads of Water Agencies", "video")}


def test_an_event_held_in_person_leaves_the_statement_mode_unsaid():
    facts = read(
        "The 12th meeting of the Council of Heads of Water Agencies was held in Vienna. "
        "In his opening remarks, Minister Tomas Novak stressed the need for shared data."
    )
    assert facts.events[0].mode is None
    assert speakers(facts) == {"Tomas Novak": ("12th meeting of the Council of Heads of Water Agencies", None)}


def test_the_opening_session_is_the_main_events_not_a_past_session_named_beside_it():
    facts = read(
        "The 9th Lakeside Summit on Water opened in Geneva on 6 May. "
        "The first session of the Lakeside Summit was held in 2011 in Bern. "
        "Ambassador Ilse Vaher attended the opening session of the Summit."
    )
    first = next(e for e in facts.events if e.ordinal == 1)
    assert first.start == "2011"
    assert roles(facts) == {"Ilse Vaher": ("9th Lakeside Summit on Water", "participant")}


def test_information_given_in_a_meeting_is_no_statement_but_at_a_session_it_is():
    in_meeting = read(
        "The 4th Lakeside Migration Conference was held in Geneva on 6 May. "
        "On its sidelines, Minister Tomas Novak met with Director General Anna Weber. "
        "Anna Weber gave detailed information about the work of the Agency."
    )
    assert in_meeting.statements == []
    at_session = read(
        "The 4th Lakeside Migration Conference was held in Geneva on 6 May. "
        "Director General Anna Weber gave detailed information about the work of the Agency."
    )
    assert speakers(at_session) == {"Anna Weber": ("4th Lakeside Migration Conference", None)}
