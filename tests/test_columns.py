"""Arrow columns: the JSON text Arrow's kernels make is exactly orjson's, for every awkward value."""

from __future__ import annotations

import random
from typing import Any

import orjson
import pyarrow as pa
import pytest

from geo.columns import json_array_pieces, json_texts, python_values, sources_array, sources_type

#: Characters that need an escape (every control character, the quote, the backslash) and some that
#: must not get one (DEL, non-ASCII, a line separator, an astral character, the slash, "<").
ALPHABET = [chr(c) for c in range(0x20)] + ['"', "\\", "\x7f", "é", "\u2028", "😀", "/", "<", "a", " ", ","]


def _text(rng: random.Random) -> str | None:
    if rng.random() < 0.15:
        return None
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 6)))


def _source(rng: random.Random) -> dict[str, Any] | None:
    if rng.random() < 0.05:
        return None
    quotes = None if rng.random() < 0.1 else [
        {"text": _text(rng), "start": rng.choice([None, 0, 7, 2**40]), "end": rng.randint(-3, 9)}
        for _ in range(rng.randint(0, 3))
    ]  # fmt: skip
    keys = ("article", "title", "publisher", "publication_date", "url")
    return {k: _text(rng) for k in keys} | {"quotes": quotes}


def _rows(seed: int, n: int) -> list[Any]:
    rng = random.Random(seed)
    return [
        None if rng.random() < 0.1 else [_source(rng) for _ in range(rng.randint(0, 3))] for _ in range(n)
    ]


def test_json_of_nested_sources_is_orjson_byte_for_byte() -> None:
    rows = _rows(1, 2000)
    arr = pa.array(rows, type=sources_type())
    for start, length in [(0, 2000), (13, 400), (1999, 1), (5, 0)]:  # slices start inside the buffers
        got = json_texts(arr.slice(start, length)).to_pylist()
        assert got == [orjson.dumps(r).decode() for r in rows[start : start + length]]
    chunked = pa.chunked_array([arr.slice(0, 7), arr.slice(7, 50)])
    assert json_texts(chunked).to_pylist() == [orjson.dumps(r).decode() for r in rows[:57]]


def test_every_escape_is_orjson_s() -> None:
    every = [chr(c) for c in range(0x80)] + ["é", "\u2028", "😀", '"\\', ""]
    assert json_texts(pa.array(every)).to_pylist() == [orjson.dumps(s).decode() for s in every]
    for c in every:  # each alone: an array whose only awkward character is this one
        assert json_texts(pa.array(["ab" + c, None])).to_pylist() == [orjson.dumps("ab" + c).decode(), "null"]
    assert json_texts(pa.array([True, None, False])).to_pylist() == ["true", "null", "false"]
    assert json_texts(pa.array([1, None, -5], pa.int32())).to_pylist() == ["1", "null", "-5"]


def test_a_column_is_written_in_pieces_with_the_same_bytes() -> None:
    rng = random.Random(2)
    values = [_text(rng) for _ in range(1000)]
    arr = pa.array(values)
    assert b"".join(json_array_pieces(arr, rows=64)) == orjson.dumps(values)
    take = pa.array([5, 3, 999, 0, 3])
    assert b"".join(json_array_pieces(arr, rows=2, take=take)) == orjson.dumps(
        [values[i] for i in (5, 3, 999, 0, 3)]
    )
    assert b"".join(json_array_pieces(pa.array([], pa.string()))) == b"[]"


def test_values_without_a_json_text_are_refused() -> None:
    with pytest.raises(TypeError, match="double"):
        json_texts(pa.array([1.5]))


def test_sources_read_back_as_lists_of_dicts() -> None:
    import pandas as pd

    rows = _rows(3, 50)
    column = pd.Series(sources_array(rows))
    assert python_values(column) == rows
    assert column.iloc[1] == rows[1] or rows[1] is None
