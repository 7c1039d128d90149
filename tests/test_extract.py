"""Extraction units: dates, counts, actors, locations — and what is not an event."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from geo.extract import ArticleInput, Extractor, reference_date, resolve_date


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor()


def read(
    ex: Extractor, text: str, date: str | None = "2024-04-04", precision: str | None = "day"
) -> list[dict[str, Any]]:
    return ex.extract(ArticleInput(id="t", text=text, publication_date=date, date_precision=precision))


def one(ex: Extractor, text: str, **kw: Any) -> dict[str, Any]:
    recs = read(ex, text, **kw)
    assert len(recs) == 1, recs
    return recs[0]


# -- dates ----------------------------------------------------------------------------------------

REF = (dt.date(2024, 4, 4), "day")  # a Thursday


@pytest.mark.parametrize(
    ("kind", "text", "ref", "want"),
    [
        ("day", "Dec. 15", (dt.date(2023, 12, 19), "day"), ("2023-12-15", "day")),
        ("day", "October 26", (dt.date(2024, 12, 31), "year"), ("2024-10-26", "day")),
        ("day", "January 16", (dt.date(2024, 1, 31), "month"), ("2024-01-16", "day")),
        ("day", "December 20", REF, ("2023-12-20", "day")),  # no year: the last one before the article
        ("day", "3 March 2019", None, ("2019-03-03", "day")),
        ("month", "in December 2023", REF, ("2023-12", "month")),
        ("weekday", "on Thursday", REF, ("2024-04-04", "day")),
        ("weekday", "on Monday", REF, ("2024-04-01", "day")),
        ("weekday", "last Thursday", REF, ("2024-03-28", "day")),
        ("relative", "overnight", REF, ("2024-04-04", "day")),
        ("relative", "yesterday", REF, ("2024-04-03", "day")),
        ("week", "last week", REF, ("2024-03-25", "week")),
        ("day", "October 26", None, None),  # no year and no article date: cannot be fixed
        ("weekday", "on Thursday", (dt.date(2024, 4, 30), "month"), None),  # article known only to the month
    ],
)
def test_dates(kind: str, text: str, ref: Any, want: Any) -> None:
    assert resolve_date(kind, text, ref) == want


def test_reference_date_from_the_text() -> None:
    art = ArticleInput(id="x", text=" date 2023-12-19 Pakistan on Monday reaffirmed ...")
    assert reference_date(art) == (dt.date(2023, 12, 19), "day")
    art = ArticleInput(id="x", text="Headline\nUpdated 04 April 2024\nBody")
    assert reference_date(art) == (dt.date(2024, 4, 4), "day")
    assert reference_date(ArticleInput(id="x", text="No date here.")) is None


def test_reaction_day_is_not_the_event_day(ex: Extractor) -> None:
    r = one(
        ex, "The spokesperson on Thursday condemned the attack in Saravan that killed two police officers."
    )
    assert r["date"] is None  # Thursday is the day of the condemnation
    r = one(
        ex, "Pakistan condemned a terrorist attack in Saravan on April 1, which killed two police officers."
    )
    assert r["date"] == "2024-04-01"


# -- counts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "fatalities", "attackers", "injured"),
    [
        ("Gunmen killed 11 police officers in Rask.", (11, 11, 11), None, None),
        ("Gunmen killed at least five police officers in Rask.", (5, 5, None), None, None),
        ("Ten Iranian police officers were killed in an ambush in Rask.", (10, 10, 10), None, None),
        ("An ambush in Rask killed two soldiers and injured four others.", (2, 2, 2), None, 4),
        (
            "Fifteen militants who attacked the police station in Rask were killed by security forces.",
            (None, None, None),
            15,
            None,
        ),
        ("The attack in Rask resulted in the deaths of 10 Iranian citizens.", (10, 10, 10), None, None),
        ("Gunmen attacked a post in Rask and the death toll rose to 7.", (7, 7, 7), None, None),
        ("An attack in Rask killed several policemen.", (None, None, None), None, None),
    ],
)
def test_counts(
    ex: Extractor, sentence: str, fatalities: tuple[Any, ...], attackers: Any, injured: Any
) -> None:
    r = one(ex, sentence)
    f = r["fatalities"]
    assert (f["best"], f["low"], f["high"]) == fatalities
    assert r["attackers_killed"] == attackers
    assert r["injured"] == injured


# -- actors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    ["Jaish al-Adl", "Jaish ul-Adl", "Jaysh al-Adl", "Jaish-ul-Adl", "Jeish al-Adl", "Army of Justice"],
)
def test_actor_spellings(ex: Extractor, spelling: str) -> None:
    r = one(
        ex,
        f"{spelling} claimed responsibility for the attack on a police station in Saravan that killed two officers.",
    )
    assert r["perpetrator"] == "Jaish al-Adl" and r["perpetrator_attribution"] == "claimed"


@pytest.mark.parametrize(
    ("sentence", "actor", "attribution"),
    [
        (
            "The BLA claimed the attack in Turbat that killed four soldiers.",
            "Baloch Liberation Army",
            "claimed",
        ),
        (
            "Officials blamed the Baloch Liberation Front for the attack in Turbat that killed four soldiers.",
            "Baloch Liberation Front",
            "blamed",
        ),
        (
            "The attack in Turbat that killed four soldiers was carried out by the TTP, police said.",
            "Tehrik-i-Taliban Pakistan",
            "blamed",
        ),
        ("An attack by Jundallah in Zahedan killed four soldiers.", "Jundallah", "attributed"),
    ],
)
def test_claimed_or_blamed(ex: Extractor, sentence: str, actor: str, attribution: str) -> None:
    r = one(ex, sentence)
    assert (r["perpetrator"], r["perpetrator_attribution"]) == (actor, attribution)


def test_target_group_is_not_the_perpetrator(ex: Extractor) -> None:
    r = one(ex, "On April 2, Iran launched drone and missile strikes on two bases of Jaish al-Adl.")
    assert r["perpetrator"] == "Iran (state forces)"
    assert r["event_type"] == "air_drone_strike"
    assert r["place_id"] == "pk-pakistan"  # where the target group is based; the text names no place
    assert "actor list" in r["place_context"]


def test_the_group_refers_back(ex: Extractor) -> None:
    text = (
        "Jaish al-Adl was formed in 2012.\n"
        "On April 1, the group attacked a police station in Saravan, killing two officers."
    )
    r = one(ex, text)
    assert r["perpetrator"] == "Jaish al-Adl"


# -- locations ------------------------------------------------------------------------------------


def test_briefing_place_is_not_the_event_place(ex: Extractor) -> None:
    r = one(
        ex,
        "Pakistan's foreign ministry condemned the attack on a police patrol in the Gowhar kuh region of Khash County, "
        "which killed 10 Iranian citizens, during a press briefing in Islamabad.",
    )
    assert r["place_id"] == "ir-gohar-kuh"


def test_in_the_city_refers_back(ex: Extractor) -> None:
    text = (
        "In March, an attack on a police station in the city of Rask killed two officers.\n"
        "On April 2, another attack on a police station in the city killed one officer."
    )
    recs = read(ex, text)
    assert {r["place_id"] for r in recs} == {"ir-rask"} and len(recs) == 2


def test_two_named_sites_are_two_incidents(ex: Extractor) -> None:
    recs = read(
        ex, "Militants launched two separate overnight attacks in the Iranian towns of Chabahar and Rask."
    )
    assert sorted(r["place_id"] for r in recs) == ["ir-chabahar", "ir-rask"]
    assert all(r["date"] == "2024-04-04" for r in recs)


def test_ambiguous_name_is_decided_by_the_sentence(ex: Extractor) -> None:
    r = one(
        ex,
        "Gunmen attacked a border post in Taftan, a town in Chagai district of Balochistan, killing two soldiers.",
    )
    assert r["place_id"] == "pk-taftan"
    r = one(
        ex,
        "Gunmen attacked police in Taftan County in Iran's Sistan and Baluchestan province, killing two officers.",
    )
    assert r["place_id"] == "ir-taftan-county"


def test_road_between_two_towns_is_a_line(ex: Extractor) -> None:
    r = one(ex, "A suicide car bombing on a bus on the Khash-Zahedan road killed 27 Revolutionary Guards.")
    assert r["place_id"] is None and r["location_precision"] == 5
    assert 28.2 < r["lat"] < 29.5 and r["event_type"] == "suicide_bomb"


def test_border_strip_from_the_other_side(ex: Extractor) -> None:
    r = one(
        ex,
        "On April 1, Pakistan carried out strikes against militant hideouts in regions close to Iran's border.",
    )
    assert r["place_id"] == "ir-pakistan-border-region"


# -- what is not an event -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Pakistan strongly condemned terrorism and expressed solidarity with Iran.",  # a condemnation
        "The two foreign ministers met in Islamabad on Monday to discuss border security.",  # a meeting
        "This handout photo provided by the army on October 18 shows soldiers taking part in a drill in Zahedan.",  # caption
        "Militants have targeted the border in recent years, and the two countries have exchanged accusations.",  # background
        "The minister condemned the Israeli strikes in Gaza that killed 20 people.",  # outside the zone
        "Read More:\nIranians observe funeral of martyrs of Taftan terrorist attack",  # a teaser of another article
    ],
)
def test_not_events(ex: Extractor, text: str) -> None:
    assert read(ex, text) == []


def test_quotes_are_verbatim_with_offsets(ex: Extractor) -> None:
    text = "Intro line.\n\nOn April 1, gunmen killed two police officers in Saravan, officials said.\n"
    (r,) = read(ex, text)
    (q,) = r["sources"][0]["quotes"]
    assert text[q["start"] : q["end"]] == q["text"]
    assert q["text"].startswith("On April 1, gunmen killed")


def test_a_road_project_is_not_a_place(ex: Extractor) -> None:
    r = one(
        ex,
        "On April 1, armed men kidnapped four labourers in Noshki district working on the Noshki-Kharan road project.",
    )
    assert r["place_id"] == "pk-nushki-district" and r.get("lat") is None


def test_word_at_a_time_fold_equals_the_character_level_one() -> None:
    import random
    import unicodedata

    from geo.text import _APOSTROPHES, aligned_fold

    def general(text: str) -> tuple[str, list[int]]:
        chars, origin, space = [], [], True
        for i, ch in enumerate(text):
            if ch in _APOSTROPHES:
                continue
            if ch.isalnum():
                base = (
                    "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
                    or ch
                )
                for c in base.casefold():
                    chars.append(c)
                    origin.append(i)
                space = False
            elif not space:
                chars.append(" ")
                origin.append(i)
                space = True
        return "".join(chars), origin

    rng = random.Random(1)
    alphabet = "aZ9 -.,'`\n()x"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        folded, origin = aligned_fold(text)
        assert (folded, list(origin)) == general(text), repr(text)
    # Any text: accents, ß, ligatures, fractions, combining marks, Persian and Arabic-Indic digits,
    # every apostrophe, dashes and no-break spaces.
    # Letters and digits all ASCII, with curly quotes, apostrophes, dashes and no-break spaces: the
    # array-operation path.
    alphabet = "aZ9 -.,'`\n()x’‘“”ʿʾʼ\u02bb´—–\u00a0_…"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        folded, origin = aligned_fold(text)
        assert (folded, list(origin)) == general(text), repr(text)
    alphabet = "aZ9 -.,'`\n()xéßḨİ½ﬁ\u0301بپ۳’‘ʿʾʼ\u02bb´—\u00a0_"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        folded, origin = aligned_fold(text)
        assert (folded, list(origin)) == general(text), repr(text)


def test_the_prefilters_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Patterns are skipped where a word they need is missing (geo.extract._Needing); over every
    bundled and test report, and sentences made for each pattern, the records are the same as with
    no prefilter at all."""
    from pathlib import Path

    from geo import extract, ingest

    files, _ = ingest.discover(
        [str(Path(__file__).parent / "data"), str(extract.__file__).rsplit("/", 2)[0] + "/../seeds"]
    )
    meta = ingest.metadata_for(files)
    articles = [a for f in files if isinstance(a := ingest.read(f, meta[f.parent]), ArticleInput)]
    made = [
        "Three soldiers were killed and 4 others were wounded in Rask on 2024-04-01.",
        "The blast left 5 people dead in Turbat.",
        "It claimed the lives of 7 passengers near Mastung.",
        "The death toll rose to 12 in Quetta.",
        "Two guards died alongside 3 civilians in Saravan.",
        "Gunmen injured 6 workers in Gwadar.",
        "The loss of 9 lives in Panjgur was mourned.",
        "Four policemen embraced martyrdom in Zahedan.",
        "On Monday night, gunmen killed 2 guards in Khash; last week 3 died alongside 4 soldiers.",
        "Militants attacked a post in Panjgur on 14 March 2024, the deadliest attack since early 2019.",
        "The attack in Mand overnight left 4 dead, and the number of fatalities rose to 6 by this morning.",
    ]
    articles += [
        ArticleInput(id=f"m{i}", text=t, publication_date="2024-04-04", date_precision="day")
        for i, t in enumerate(made)
    ]
    assert len(articles) > 20
    with_filter = [Extractor().extract(a) for a in articles]
    monkeypatch.setattr(extract, "_words_in", lambda _text: None)  # every pattern run, everywhere
    without = [Extractor().extract(a) for a in articles]
    assert with_filter == without
    assert sum(bool(r.get("fatalities", {}).get("best")) for recs in with_filter for r in recs) >= 8


def test_what_each_pattern_needs_is_in_every_sentence_it_matches() -> None:
    """Patterns are skipped where a word they need is missing (geo.extract._Needing): on generated
    sentences made of their own words, every match has what its pattern is said to need."""
    import random

    from geo import extract

    joined = (
        "at least|more than|over|up to|as many as|nearly|about|some|a total of|3|12|250|2019|2024|"
        "2024-04-01|07|۳|۲۰۲۴|people|civilians|police officers|border guards|security forces|militants|"
        "attackers|soldier|Levies|Others|were|was|have been|are|got|being|killed|KILLED|martyred|slain|"
        "shot dead|dead|died|lost their lives|gunned down|sacrificed their lives|embraced martyrdom|"
        "embraced shahadat|killing|kill|claimed the lives of|left|deaths|death|loss|lives|of|the|"
        "death toll|number of|fatalities|those killed|rose to|reached|stood at|at|to|alongside|along with|"
        "together with|injured|Wounded|injuring|wounding|hurt|in|during|since|early|late|mid-|last|on|"
        "this|fire|attacked|January|feb|Mar.|May|june|JULY|Sept|october|Nov.|dec|1st|22nd|Monday|"
        "friday|SUNDAY|night|morning|evening|overnight|last night|yesterday|today|earlier today|"
        "this morning|tonight|on the same day|week|earlier this week|past week|month|,|.|;|’|—|and|a|"
        "an|its|Rask|Chabahar|ſlain|İnjured|5 soldiers|were killed|2 others|last month|killed alongside|"
        "died along with|7 policemen|"
        # the sentence-level patterns' words
        "condemned|condolences|denounced|press conference|weekly briefing|meeting|met with|talks|visited|"
        "phone call|called his|solidarity|sympathy|urged|calls for|spokesman|accused|blamed|a letter|"
        "summoned|investigation|probe|tensions|each other’s|exchanged|at odds|frequent targets|routinely|"
        "long-running|history of|insurgency|surge in|wave of|from time to time|sometimes|occasionally|"
        "in recent years|over the past|in the past|for decades|since then|have targeted|have lost|photo|"
        "handout|file picture|shows|taken|(AFP)|(Reuters/File)|— AP|- Photo by staff|mourners gather|"
        "police|officer|guards|revolutionary guards|checkpost|check-post|posts|convoy|frontier corps|FC|"
        "camp|bases|personnel|paramilitary|claimed|claims responsibility|attributed|suspected|allegedly|"
        "believed to|state media|said|according to|reportedly|evidence|the group|this militant outfit|"
        "that organisation|Iran|Pakistan’s|Afghan|Iranian forces|launched|carried out|struck|drones|"
        "inside|southeastern|restive|soil|border|frontier|close to|near|along|across|border with|"
        "Iran-Pakistan border|the city|the town|the port city|the border town|the village|towns of|"
        "districts of|two|separate|coordinated|attacks|bombings|blasts|raids|strikes|attacks in|"
        "near the Iranian border|along the border with Afghanistan|close to the Iran-Pakistan border|"
        "on the Pakistani frontier|the death toll rose to 9|the loss of 4|the deaths of 6 people|"
        "inside Iran|in southeastern Pakistan|on Monday|killed along with 3 guards|battle|clashes|"
        "gunfight|exchange of fire|stormed|shootout|attack on|ambushed|assault against|strikes targeting|"
        "flat least 5|as  many\tas 4|12345 people were killed|borderguards|Revolutionary Guards|fired Monday|"
        "killed on Tuesday|last  week|Sistān|ﬁred|ß|Quetta-Karachi highway|Noshki–Kharan road|"
        "Panjgur - Turbat road|Mastung-Kalat railway line|in Kech|at the Taftan|near Rask area|Saindak|In Chabahar|"
        "a policeman|one soldier|A civilian|one member|Iran launched|Pakistan’s jets struck|In 2019"
    )
    phrases = joined.split("|")
    needing = [(name, v) for name, v in vars(extract).items() if isinstance(v, extract._Needing)]
    needing += [(f"_DATE_PATTERNS[{i}] {k}", n) for i, (k, n) in enumerate(extract._DATE_PATTERNS)]
    needing += [(f"_COUNT_PATTERNS[{i}] {w}", n) for i, (w, n) in enumerate(extract._COUNT_PATTERNS)]
    assert len(needing) > 30
    rng = random.Random(7)
    matched = dict.fromkeys((name for name, _ in needing), 0)
    for _ in range(15000):
        text = rng.choice(("", " ", "\n")).join(rng.choice(phrases) for _ in range(rng.randint(2, 9)))
        for name, n in needing:
            plain = [m.span() for m in n.pattern.finditer(text)]
            if plain:
                matched[name] += 1
                assert n.can_match(text), (name, text)
            # Where a pattern says its matches start, trying it there finds what finditer finds.
            assert [m.span() for m in n.finditer(text)] == plain, (name, text)
            first = n.search(text)
            assert (first.span() if first else None) == (plain[0] if plain else None), (name, text)
    assert min(matched.values()) >= 10, sorted(matched.items(), key=lambda kv: kv[1])[:3]


def test_plain_month_names_read_as_dateparser_reads_them() -> None:
    """The direct reading of "October" / "Oct. 2023" gives what dateparser gives, for every month
    name and abbreviation, with and without a year, against article dates across the year."""
    import dateparser

    from geo.extract import _MONTH_NUMBERS, _plain_month

    refs = [(dt.date(2024, 4, 4), "day"), (dt.date(2023, 12, 31), "day"), (dt.date(2022, 1, 1), "year"),
            (dt.date(2021, 10, 1), "month"), (dt.date(2020, 2, 29), "day")]  # fmt: skip
    for name in _MONTH_NUMBERS:
        for text in (name, name.title(), name.upper(), f"{name.title()} 2019", f"{name.title()}. 2019"):
            for ref in refs:
                got = _plain_month(text, ref)
                base = dt.datetime.combine(ref[0], dt.time())
                settings = {
                    "PREFER_DATES_FROM": "past",
                    "PREFER_DAY_OF_MONTH": "first",
                    "RELATIVE_BASE": base,
                }
                parsed = dateparser.parse(text, languages=["en"], settings=settings)
                if parsed is None:
                    continue  # dateparser does not read this form: neither way gives a date from it
                d = parsed.date()
                if "2019" not in text and d > ref[0]:
                    d = d.replace(year=d.year - 1)
                assert got == (f"{d.year:04d}-{d.month:02d}", "month"), (text, ref)


def test_a_year_alone_dates_an_earlier_incident(ex: Extractor) -> None:
    recs = read(
        ex, "In 2013, a similar ambush near Saravan killed 6 border guards, officials said.", "2015-01-09"
    )
    assert [(r["date"], r["date_precision"]) for r in recs] == [("2013", "year")]
    # A range, a later year (a plan) and a count are not dates.
    for text in ("Work planned in 2019-20 near Gwadar stopped after 4 workers were killed.",
                 "In 2030, officials said, 4 soldiers were killed near Gwadar."):  # fmt: skip
        assert all(r["date"] is None or r["date_precision"] != "year" for r in read(ex, text, "2015-01-09"))
