"""Word lists the extraction rules share: titles, organization heads, honorifics, months.

They describe the genre (official press releases about posts, ranks, sessions and meetings),
not any one article: no person or event name appears here.
"""

from __future__ import annotations

import re

from kg.calendar import MONTHS  # noqa: F401 - re-exported for the extractor

HONORIFIC = r"(?:Mr|Mrs|Ms|Dr|Prof|H\.\s?E|Madam|Mme|Sir|Excellency|His Excellency|Her Excellency)\.?"

TITLE_MODIFIERS = (
    "First Deputy",
    "Deputy",
    "Acting",
    "Vice",
    "Executive",
    "Senior",
    "Assistant",
    "Permanent",
    "Special",
    "Regional",
    "Resident",
    "Honorary",
    "Chief",
    "General",
    "Prime",
    "Foreign",
)
TITLE_HEADS = (
    "Ambassador Extraordinary and Plenipotentiary",
    "Under-Secretary-General",
    "Assistant Secretary-General",
    "Deputy Secretary-General",
    "State Secretary",
    "Secretary of State",
    "Director General",
    "Director-General",
    "Secretary General",
    "Secretary-General",
    "Chargé d'Affaires",
    "Charge d'Affaires",
    "High Commissioner",
    "Consul General",
    "Permanent Representative",
    "Chief of Staff",
    "Minister",
    "Chief",
    "Head",
    "Director",
    "Chairman",
    "Chairwoman",
    "Chairperson",
    "Chair",
    "President",
    "Vice-President",
    "Ambassador",
    "Representative",
    "Commissioner",
    "Secretary",
    "Rapporteur",
    "Coordinator",
    "Adviser",
    "Advisor",
    "Consul",
    "Envoy",
    "Governor",
    "Mayor",
    "Rector",
    "Spokesperson",
    "Spokesman",
    "Officer",
    "Manager",
    "Administrator",
    "Ombudsman",
)
# A unit that a title can govern before the body: "Head of (the) Representation of UNHCR".
TITLE_UNITS = ("Representation", "Office", "Mission", "Delegation", "Department", "Division", "Bureau")

ORG_HEADS = frozenset(
    "Service Organization Organisation Office Ministry Commission Agency Representation Embassy "
    "Mission Committee Department Army Fund Programme Program Bank Union Institute University "
    "Secretariat Centre Center Council Assembly Parliament Court Police Administration Authority "
    "Academy Association Foundation Corporation Company Federation Cabinet Directorate "
    "Inspectorate Guard Forces Troops Consulate Chamber Board Alliance Network Partnership "
    "Society Community Red Crescent Cross Prosecutor's Procuracy Team Group Unit Section Platform "
    "Initiative Division Bureau".split()
)
# Heads that name a local unit: "in <Place>" belongs to their name ("IOM Representation in X").
UNIT_HEADS = frozenset({"Representation", "Embassy", "Mission", "Consulate", "Delegation"})
GOVERNING_HEADS = frozenset({"Council", "Assembly", "Committee", "Commission", "Board", "Conference"})

EVENT_HEADS = frozenset(
    "Forum Conference Summit Congress Session Symposium Dialogue Consultations Games Week Festival Review "
    "Exhibition Workshop Roundtable Meeting Assembly Seminar Expo Olympiad Convention".split()
)

KNOWN_ACRONYMS = frozenset(
    "UN UNHCR IOM WHO UNICEF UNDP OSCE EU ILO OHCHR UNFPA WFP ICRC IFRC ICMPD OIC CIS NATO ASEAN "
    "GUAM OECD UNESCO UNODC UNOPS ECO BSEC IMF WTO ADB EBRD UNECE ESCAP UNRWA IFAD FAO ITU ICAO "
    "INTERPOL FRONTEX EUAA SMS ASAN".split()
)
NOT_ORG_ACRONYMS = frozenset(
    "COVID IDP IDPS GDP USA US UK UAE CEO PHD TV IT OK AM PM UTC ID NGO NGOS".split()
)

# Capitalised words that never start or make up a person's name.
NON_NAME_WORDS = frozenset(
    """The A An At In On Of For And With From By To As This That These Those His Her Their Our Its It
    He She They We I Also Later Then Furthermore Moreover However Meanwhile Additionally Besides
    Finally Lastly During After Before Within Under Among Between Following According Speaking
    Noting Opinion In Turn Thus Therefore Today Yesterday Tomorrow Mr Mrs Ms Dr Prof Madam Sir
    State National International Global United Nations Republic Government Minister Ministry Foreign
    Affairs Internal Migration Service Services Council Forum Session Conference Summit Committee
    Organization Organisation Office Head Chief Director General Deputy President Chairman
    Chairperson Ambassador Representative Representation Commissioner Secretary Rapporteur Special
    High Human Rights Refugees Refugee Compact Report World Agency Embassy Mission Army Patriotic War
    Regional Department Union European Assembly Parliament Prime Executive Permanent Acting
    First Second Third Fourth Fifth Sixth Seventh Eighth Ninth Tenth Plenary Segment Dialogue
    Review Fund Bank Programme Program Centre Center Institute University Police Border Customs
    Labour Labor Social Protection Population Justice Health Education Economy Economic Defence
    Defense Emergency Situations Interior Public Security Development Cooperation Relations Law
    Citizens Citizenship Country Countries Representatives Lands Territories Champion Day Week
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Summit Board Cabinet Member States
    Ombudsman Commissioner Consul Embassy Secretariat Administration Directorate Agenda Goals
    Sustainable Millennium Declaration Convention Protocol Strategy Plan Action Framework
    Azerbaijani Azerbaijan Turkish Turkiye Turkey Geneva Baku Swiss Switzerland Asia Europe Africa America
    Eastern Western Central Northern Southern Caspian Caucasus Middle East Team Group Unit Section""".split()
)


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

COUNTRIES = frozenset(
    """Afghanistan Albania Algeria Argentina Armenia Australia Austria Azerbaijan Bahrain Bangladesh Belarus
    Belgium Brazil Bulgaria Canada Chile China Colombia Croatia Cyprus Czechia Denmark Egypt Estonia Ethiopia
    Finland France Georgia Germany Greece Hungary India Indonesia Iran Iraq Ireland Israel Italy Japan Jordan
    Kazakhstan Kenya Korea Kuwait Kyrgyzstan Latvia Lebanon Libya Lithuania Luxembourg Malaysia Malta Mexico
    Moldova Mongolia Montenegro Morocco Netherlands Nigeria Norway Oman Pakistan Palestine Philippines Poland
    Portugal Qatar Romania Russia Serbia Singapore Slovakia Slovenia Spain Sweden Switzerland Syria
    Tajikistan Tunisia Turkiye Türkiye Turkey Turkmenistan Ukraine Uzbekistan Vietnam Yemen Emirates
    Britain Kingdom States Afghanistan Belarus Sudan Somalia""".split()
)
COUNTRY_RE = (
    r"(?:(?:the\s+)?(?:[A-Z][\w-]+\s+)?Republic\s+of\s+[A-Z][\w-]+|(?:the\s+)?United\s+(?:States|Kingdom|Arab\s+Emirates)"
    r"|(?:the\s+)?(?:Kingdom|State|Sultanate|Principality|Grand\s+Duchy|Commonwealth)\s+of\s+(?:the\s+)?"
    r"(?!(?:Ministry|Service|Office|Committee|Agency|Department|Council|Commission)\b)[A-Z][\w-]+"
    r"|(?:the\s+)?Kyrgyz\s+Republic|" + "|".join(sorted(COUNTRIES - {"States", "Kingdom", "Emirates"})) + r")"
)
