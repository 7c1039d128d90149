"""The records loader: every kind of bad record is reported with its line, and nothing is half-loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from geo import incidents, records
from geo.errors import RecordError
from tests.helpers import ARTICLE_TEXT, quote, record, write_records


def test_bundled_seed_records_load_and_quote_their_articles() -> None:
    rs = records.load()
    assert len(rs) == 7
    seeds = records.bundled_records_path().parent
    for r in rs:
        for s in r.sources:
            text = (seeds / f"{s.article}.txt").read_text(encoding="utf-8")
            for q in s.quotes:
                assert text[q.start : q.end] == q.text


def test_the_two_seed_pairs_are_one_incident_each_with_two_sources() -> None:
    by_id = {r.id: r for r in records.load()}
    gohar = by_id["seed-2024-10-26-gohar-kuh"]
    assert {s.article[:3] for s in gohar.sources} == {"000", "004"}
    rask = by_id["seed-2023-12-15-rask"]
    assert {s.article[:3] for s in rask.sources} == {"001", "002"}


def test_places_merely_mentioned_are_not_incidents() -> None:
    places = {r.place_id for r in records.load()}
    assert places.isdisjoint({None}) and not any("islamabad" in (p or "") for p in places)
    texts = " ".join((r.place_text or "") for r in records.load())
    for mentioned in ("Islamabad", "Gaza", "Washington", "Aras", "Tehran"):
        assert mentioned not in texts


def test_strike_without_a_place_stays_at_country_precision() -> None:
    (inc,) = [i for i in incidents.load() if i.id == "seed-2024-01-16-iran-strikes-in-pakistan"]
    assert inc.location_precision == 6 and inc.place is not None and inc.place.country == "PK"


def test_user_records_file_loads(tmp_path: Path) -> None:
    path = write_records(tmp_path, [record()])
    (r,) = records.load(path)
    assert r.sources[0].title == "Police post attacked" and r.sources[0].publisher == "Test Wire"
    assert r.date_range is not None


BAD: list[tuple[Any, str]] = [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "must be a JSON object"),
    (record(id=None), "field 'id' is required"),
    (record(id="has space"), "id 'has space'"),
    (record(date="2024-13-40"), "not a calendar date"),
    (record(date="2024-02"), "does not match date_precision 'day'"),
    (record(date_precision="week"), "date_precision 'week'"),
    (record(event_type="riot"), "event_type 'riot' is not one of"),
    (record(perpetrator_attribution="rumoured"), "perpetrator_attribution 'rumoured'"),
    (record(fatalities={"best": 5, "low": 7, "high": 9}), "low <= best <= high"),
    (record(fatalities={"best": -1}), "must be a whole number >= 0"),
    (record(fatalities={"best": "three"}), "must be a whole number >= 0"),
    (record(injured=2.5), "injured 2.5"),
    (record(sources=[]), "sources must be a non-empty list"),
    (record(sources=[{"article": "t001", "quotes": []}]), "needs at least one quote"),
    (
        record(sources=[{"article": "t001", "quotes": [{"text": "Three policemen", "start": 0, "end": 15}]}]),
        "are not the quote",
    ),
    (
        record(sources=[{"article": "t001", "quotes": [{"text": "abc", "start": 0, "end": 5}]}]),
        "end - start = 5",
    ),
    (record(place_id=None, place_text=None), "needs place_id, place_text or lat/lon"),
    (record(place_id=None, lat=123.0, lon=61.0, location_precision=1), "lat 123.0 is not a number"),
    (record(place_id=None, lat=27.0, lon=61.0), "must say its location_precision"),
    (record(location_precision=9), "location_precision 9"),
    (record(colour="red"), "unknown field(s) 'colour'"),
]


@pytest.mark.parametrize(("bad", "words"), BAD, ids=[w for _b, w in BAD])
def test_bad_record_is_reported_with_file_and_line(tmp_path: Path, bad: Any, words: str) -> None:
    good = record(id="t-good-1")
    other = record(id="t-good-2")
    path = write_records(tmp_path, [good, bad, other])
    with pytest.raises(RecordError) as info:
        records.load(path)
    assert info.value.line == 2, str(info.value)
    assert str(info.value).startswith(f"{path}:2: ")
    assert words in str(info.value)


def test_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    path = write_records(tmp_path, [record(), record(id="x"), record()])
    with pytest.raises(RecordError, match="duplicate id") as info:
        records.load(path)
    assert info.value.line == 3 and "first on line 1" in str(info.value)


def test_unknown_place_id_is_reported_with_line(tmp_path: Path) -> None:
    path = write_records(tmp_path, [record(), record(id="t2", place_id="ir-saravann")])
    with pytest.raises(RecordError, match="place_id 'ir-saravann' is not in the gazetteer") as info:
        incidents.load(path)
    assert info.value.line == 2 and "Saravan" in str(info.value)


def test_missing_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(RecordError, match="file not found"):
        records.load(tmp_path / "nope.jsonl")
    bad = tmp_path / "bad" / "incidents.jsonl"
    bad.parent.mkdir()
    bad.write_bytes(b'{"id": "caf\xe9"}\n')
    with pytest.raises(RecordError, match="not UTF-8"):
        records.load(bad)


def test_place_text_alone_is_resolved_with_context(tmp_path: Path) -> None:
    path = write_records(
        tmp_path,
        [record(place_id=None, place_text="Taftan", place_context="a border town in Chagai district")],
    )
    (inc,) = incidents.load(path)
    assert inc.place is not None and inc.place.source_ref == "pk-taftan"


def test_unresolvable_place_text_leaves_the_incident_unlocated(tmp_path: Path) -> None:
    path = write_records(tmp_path, [record(place_id=None, place_text="Qqzxv Bazaar")])
    (inc,) = incidents.load(path)
    assert inc.place is None and "could not resolve 'Qqzxv Bazaar'" in inc.place_reason


def test_own_coordinates(tmp_path: Path) -> None:
    path = write_records(tmp_path, [record(place_id=None, lat=27.1, lon=62.2, location_precision=2)])
    (inc,) = incidents.load(path)
    assert inc.place is not None and (inc.place.lat, inc.place.lon) == (27.1, 62.2)
    assert inc.location_precision == 2


def test_article_text_offsets_are_checked_only_when_the_text_is_at_hand(tmp_path: Path) -> None:
    path = write_records(
        tmp_path,
        [
            record(
                sources=[
                    {
                        "article": "elsewhere-9",
                        "quotes": [quote("Three policemen were killed, officials said.")],
                    }
                ]
            )
        ],
    )
    (r,) = records.load(path)  # no text of 'elsewhere-9' beside the file: offsets checked for shape only
    assert r.sources[0].article == "elsewhere-9"
    assert r.sources[0].quotes[0].start == ARTICLE_TEXT.index("Three policemen")
