"""Records files read a column at a time give the very frame that reading them record by record gives,
and leave every file that reading refuses (or that needs it) to it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from geo import api, frame, incidents, records
from geo.errors import RecordError
from geo.recordcols import read_frame
from tests.helpers import record
from tests.test_records import BAD


def _write(folder: Path, lines: list[Any], *, articles: list[dict[str, Any]] | None = None) -> Path:
    """A records file with no article text beside it (so that the column reader may take it)."""
    folder.mkdir(parents=True, exist_ok=True)
    if articles is not None:
        (folder / "articles.jsonl").write_text(
            "".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8"
        )
    path = folder / "incidents.jsonl"
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines), encoding="utf-8")  # fmt: skip
    return path


def _same(path: Path) -> None:
    fast = read_frame(path)
    assert fast is not None, "the column reader left a plain file to the record reader"
    pd.testing.assert_frame_equal(fast, frame.to_frame(incidents.load(path)))


def test_every_kind_of_record_gives_the_same_frame(tmp_path: Path) -> None:
    quote = {"text": "Gunmen attacked", "start": 0, "end": 15}
    lines = [
        record(id="b-by-id"),
        record(id="a-by-id-own-precision", location_precision=4, date="2023-11", date_precision="month"),
        record(id="c-point", place_id=None, place_text=None, lat=27.5, lon=62.25, location_precision=2),
        record(id="d-named-point", place_id=None, place_text="a checkpoint", lat=-3.0, lon=0.5, location_precision=1),
        record(id="e-text", place_id=None, place_text="Rask", date="2024", date_precision="year"),
        record(id="f-text-context", place_id=None, place_text="Gowhar kuh", place_context="Taftan County"),
        record(id="g-unresolved", place_id=None, place_text="Atlantis", date=None, date_precision=None),
        record(id="h-counts", fatalities={"best": None, "low": 2}, attackers_killed=4, injured=0, perpetrator=None,
               perpetrator_attribution=None, notes="ünïcödé ✓ \"quoted\" \\ </script>"),
        record(id="i-titled", sources=[{"article": "x1", "title": "Own title", "url": "https://e.org/1", "quotes": [quote]},
                                       {"article": "x2", "quotes": [quote, quote]}]),
    ]  # fmt: skip
    articles = [
        {"id": "x2", "title": "From the article file", "publisher": "Wire", "publication_date": "2024-01-02",
         "date_precision": "day"}
    ]  # fmt: skip
    _same(_write(tmp_path / "one", lines, articles=articles))


def test_the_bundled_seed_records_give_the_same_frame(tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(records.bundled_records_path(), folder / "incidents.jsonl")  # without the articles
    _same(folder / "incidents.jsonl")


def test_synthetic_records_give_the_same_frame(tmp_path: Path) -> None:
    from benchmarks.synth import write_records

    path = tmp_path / "incidents.jsonl"
    write_records(400, path)
    _same(path)
    assert api.load_incidents(path).equals(read_frame(path))


@pytest.mark.parametrize(("bad", "words"), BAD, ids=[w for _b, w in BAD])
def test_what_the_record_reader_refuses_is_left_to_it(tmp_path: Path, bad: Any, words: str) -> None:
    path = _write(tmp_path, [record(id="t-good-1"), bad, record(id="t-good-2")])
    if "are not the quote" in words:  # that check needs the article's text, which is not here: both take it
        _same(path)
        return
    assert read_frame(path) is None
    with pytest.raises(RecordError, match=words.replace("(", r"\(").replace(")", r"\)")):
        records.load(path)


@pytest.mark.parametrize(
    "lines",
    [
        [record(id="a"), record(id="a")],  # a duplicate id
        [record(place_id="ir-nowhere")],  # not in the gazetteer: the record reader suggests places
        [json.dumps(record(id="a")) + " " + json.dumps(record(id="b"))],  # two records on a line
        [
            json.dumps(record()).replace(
                '"place_id": "ir-saravan"',
                '"lat": NaN, "lon": 61.0, "location_precision": 1, "place_id": null',
            )
        ],
        [record(target="   ")],  # blank text: read as missing by the record reader
        [
            record(
                sources=[{"article": "t001", "note": "x", "quotes": [{"text": "abc", "start": 0, "end": 3}]}]
            )
        ],
        [record(fatalities={"best": 1, "low": 0, "high": 0})],
        [record(lat=95.0, lon=61.0, location_precision=1)],
    ],
    ids=[
        "duplicate",
        "unknown-place",
        "two-on-a-line",
        "nan",
        "blank",
        "extra-source-key",
        "high-below-best",
        "lat-95",
    ],
)
def test_unusual_files_are_left_to_the_record_reader(tmp_path: Path, lines: list[Any]) -> None:
    path = _write(tmp_path, lines)
    assert read_frame(path) is None


def test_line_ends_blank_lines_and_separators_read_alike(tmp_path: Path) -> None:
    """CRLF, empty lines, a raw U+2028 or NEL inside a string (JSON allows them): both readers agree."""
    path = _write(tmp_path, [record(id="a", target="x"), record(id="b")])
    text = path.read_bytes()
    variants = [
        text.replace(b"\n", b"\r\n"),
        b"\n\n" + text.replace(b"\n", b"\n\n\n", 1) + b"\n \n",
        text.replace(b'"x"', '"a\u2028b\x85c"'.encode()),
    ]
    for variant in variants:
        path.write_bytes(variant)
        _same(path)
    path.write_bytes(text.replace(b"\n", b"\n \t\n", 1))  # a line of spaces between records
    assert read_frame(path) is None and len(records.load(path)) == 2
    path.write_bytes(b"\xef\xbb\xbf" + text)  # a byte-order mark
    assert read_frame(path) is None and len(records.load(path)) == 2
    path.write_bytes(text.replace(b'"id": "b", ', b'\n"id": "b", ', 1))  # a record over two lines
    assert read_frame(path) is None
    with pytest.raises(RecordError, match="not valid JSON"):
        records.load(path)


def test_quotes_with_their_articles_beside_them_are_checked_by_the_record_reader(tmp_path: Path) -> None:
    from tests.helpers import write_records

    path = write_records(tmp_path, [record()])  # writes the article's text beside the records
    assert read_frame(path) is None
    assert len(api.load_incidents(path)) == 1


def test_text_that_is_not_utf8_is_left_to_the_record_reader(tmp_path: Path) -> None:
    path = _write(tmp_path, [record(id="a", target="zz")])
    path.write_bytes(path.read_bytes().replace(b"zz", b"\xff\xfe"))
    assert read_frame(path) is None
    with pytest.raises(RecordError, match="not UTF-8"):
        records.load(path)


def test_escaped_characters_read_alike(tmp_path: Path) -> None:
    path = _write(tmp_path, [record(id="a", target="zz")])
    path.write_bytes(path.read_bytes().replace(b'"zz"', b'"a\\u0000b\\ud83d\\ude00\\n\\"c"'))
    _same(path)
    fast = read_frame(path)
    assert fast is not None and fast["target"].iloc[0] == 'a\x00b\U0001f600\n"c'
