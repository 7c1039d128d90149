"""Arrow columns of the incident frame: the type of ``sources``, and the JSON text of Arrow arrays.

A million incidents as Python objects (a dict per source, a string per quote) take gigabytes;
as Arrow arrays they take a few hundred megabytes, and whole columns are turned into JSON text
by Arrow's own string kernels, without making a Python object per value.  The text is exactly
``orjson.dumps`` of the same values (same escapes, same key order, no spaces).

>>> import pyarrow as pa
>>> json_texts(pa.array(['say "hi"', None, "tab\\there"])).to_pylist()
['"say \\\\"hi\\\\""', 'null', '"tab\\\\there"']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any


def sources_type() -> Any:
    """``list<struct<article, title, publisher, publication_date, url, quotes: list<struct<text, start,
    end>>>>``: the fields of :meth:`geo.records.Source.to_dict`, in its order."""
    import pyarrow as pa

    quote = pa.struct([("text", pa.string()), ("start", pa.int64()), ("end", pa.int64())])
    source = pa.struct(
        [
            ("article", pa.string()),
            ("title", pa.string()),
            ("publisher", pa.string()),
            ("publication_date", pa.string()),
            ("url", pa.string()),
            ("quotes", pa.list_(quote)),
        ]
    )
    return pa.list_(source)


def sources_array(values: Sequence[Any]) -> Any:
    """A pandas array of the ``sources`` type from lists of source dicts (None for none)."""
    import pandas as pd
    import pyarrow as pa

    return pd.arrays.ArrowExtensionArray(pa.array(list(values), type=sources_type()))


def sources_from_parts(
    counts: Any,
    fields: Mapping[str, Any],
    quote_counts: Any,
    quotes: Mapping[str, Any],
) -> Any:
    """The ``sources`` column (a pandas array) from flat parts: the number of sources of each row; each
    source's ``article``, ``title``, ``publisher``, ``publication_date`` and ``url`` (lists or Arrow
    arrays, one value per source); the number of quotes of each source; each quote's ``text``,
    ``start`` and ``end``.  No dict is made per source."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    def offsets(lengths: Any) -> Any:
        out = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(np.asarray(lengths, dtype=np.int64), out=out[1:])
        return pa.array(out.astype(np.int32))  # (ListArray's offsets are 32-bit: 2^31 quotes at most)

    def arrow(values: Any, kind: Any) -> Any:
        return values.cast(kind) if isinstance(values, pa.Array) else pa.array(values, kind)

    kind = sources_type().value_type
    quote = kind.field("quotes").type.value_type
    struct = pa.StructArray.from_arrays([arrow(quotes[f.name], f.type) for f in quote], fields=list(quote))
    listed = pa.ListArray.from_arrays(offsets(quote_counts), struct)
    parts = [arrow(fields[f.name], f.type) for f in list(kind)[:-1]] + [listed]
    source = pa.StructArray.from_arrays(parts, fields=list(kind))
    return pd.arrays.ArrowExtensionArray(pa.ListArray.from_arrays(offsets(counts), source))


def list_values(lists: Any) -> tuple[Any, Any]:
    """The values under an Arrow list array, of this slice only, and the offsets into them (from 0):
    ``lists.values`` is the whole buffer of a sliced array, and ``list_flatten`` drops what lies
    under a missing list."""
    import pyarrow.compute as pc

    offsets = lists.offsets  # this slice's n + 1 offsets into the values, not starting at 0
    first, last = offsets[0].as_py(), offsets[-1].as_py()
    return lists.values.slice(first, last - first), pc.subtract(offsets, first)


def sources_of(series: Any) -> Any:
    """The ``sources`` column as one Arrow list array of :func:`sources_type` (made first from the
    lists of dicts of a frame that holds Python objects)."""
    data = arrow_of(series)
    if data is None or data.type != sources_type():
        data = arrow_of(sources_array(python_values(series)))
    return data.chunk(0) if data.num_chunks == 1 else data.combine_chunks()


def first_rows(codes: Any, count: int) -> Any:
    """The first row holding each of the codes 0 .. count - 1 (every one of them present)."""
    import numpy as np

    first = np.empty(count, dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    return first


def combine_codes(codes: Any, part: Any) -> tuple[Any, int]:
    """One code per row for each distinct pair of ``codes`` and ``part`` (whole numbers, -1 for a
    missing one), numbered in order of first appearance; and how many there are.  Factorised at each
    step, so that combining many columns stays well inside 64 bits."""
    import numpy as np
    import pandas as pd

    joint = np.asarray(codes, dtype=np.int64) * (int(part.max(initial=0)) + 2) + (
        np.asarray(part, dtype=np.int64) + 1
    )
    together, uniques = pd.factorize(joint)
    return together, len(uniques)


def arrow_of(values: Any) -> Any:
    """The Arrow data behind a pandas column (a Series or an array), or None when it holds Python objects."""
    import pyarrow as pa

    if isinstance(values, pa.ChunkedArray):
        return values
    array = getattr(values, "array", values)
    data = getattr(array, "_pa_array", None)  # ArrowExtensionArray and pandas' Arrow-backed strings
    if isinstance(data, pa.ChunkedArray):
        return data
    return None


def python_values(series: Any) -> list[Any]:
    """The values of a column as Python objects: an Arrow column of lists gives lists of dicts
    (pandas' own ``tolist`` gives NumPy arrays for them)."""
    data = arrow_of(series)
    if data is not None:
        import pyarrow as pa

        if pa.types.is_nested(data.type):
            return data.to_pylist()  # type: ignore[no-any-return]
    return series.tolist()  # type: ignore[no-any-return]


#: orjson's escapes: the quote, the backslash, and the control characters (short forms where JSON has them).
_SHORT = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_ESCAPES = [("\\", "\\\\"), ('"', '\\"')] + [(chr(c), _SHORT.get(chr(c), f"\\u{c:04x}")) for c in range(0x20)]


def _strings(arr: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.string())
    if _needs_escape(arr):
        for raw, escaped in _ESCAPES:
            if pc.any(pc.match_substring(arr, raw)).as_py():
                arr = pc.replace_substring(arr, raw, escaped)
    return _or_null(arr, pc.binary_join_element_wise('"', arr, '"', ""))


def _needs_escape(arr: Any) -> bool:
    """Whether any value holds a byte JSON escapes (a control character, ``"`` or ``\\``): one pass of
    NumPy over the array's UTF-8 bytes (a regular expression over them is several times slower)."""
    import numpy as np

    if not len(arr):
        return False
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset : arr.offset + len(arr) + 1]
    data = arr.buffers()[2]
    if data is None:  # every value empty or missing
        return False
    utf8 = np.frombuffer(data, dtype=np.uint8)[offsets[0] : offsets[-1]]
    return bool(((utf8 < 0x20) | (utf8 == 0x22) | (utf8 == 0x5C)).any())


def _or_null(arr: Any, text: Any) -> Any:
    import pyarrow.compute as pc

    return pc.fill_null(text, "null") if arr.null_count else text


def _struct(arr: Any) -> Any:
    import pyarrow.compute as pc

    parts: list[Any] = []
    for k in range(arr.type.num_fields):
        name = arr.type.field(k).name
        parts.append(("{" if k == 0 else ",") + _json_key(name) + ":")
        parts.append(json_texts(pc.struct_field(arr, [k])))  # this slice's values of the field
    parts.append("}")
    return _or_null(arr, pc.if_else(arr.is_valid(), pc.binary_join_element_wise(*parts, ""), None))


def _json_key(name: str) -> str:
    import orjson

    return orjson.dumps(name).decode("utf-8")


def _list(arr: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    values, offsets = list_values(arr)
    joined = pc.binary_join(pa.ListArray.from_arrays(offsets, json_texts(values)), ",")
    return _or_null(arr, pc.if_else(arr.is_valid(), pc.binary_join_element_wise("[", joined, "]", ""), None))


def json_texts(arr: Any) -> Any:
    """The JSON text of each value (``null`` for a missing one), as an Arrow string array.

    Strings, integers, booleans, structs and lists of them; anything else raises TypeError.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    t = arr.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return _strings(arr)
    if pa.types.is_integer(t):
        return _or_null(arr, pc.cast(arr, pa.string()))
    if pa.types.is_boolean(t):
        return _or_null(arr, pc.if_else(arr, "true", "false"))
    if pa.types.is_null(t):
        return pa.array(["null"] * len(arr), pa.string())
    if pa.types.is_struct(t):
        return _struct(arr)
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return _list(arr)
    if pa.types.is_dictionary(t):
        return json_texts(arr.cast(t.value_type))
    raise TypeError(f"no JSON text for Arrow type {t}")


def json_array_pieces(arr: Any, rows: int = 65_536, take: Any = None) -> Iterator[bytes]:
    """``orjson.dumps(arr.to_pylist())`` (of ``arr.take(take)`` when given) in pieces of ``rows``
    values: a long column is written without its whole text (or a Python object per value) ever
    being in memory."""
    import pyarrow as pa
    import pyarrow.compute as pc

    yield b"["
    for start in range(0, len(arr) if take is None else len(take), rows):
        texts = json_texts(arr.slice(start, rows) if take is None else arr.take(take.slice(start, rows)))
        whole = pc.binary_join(pa.ListArray.from_arrays(pa.array([0, len(texts)], pa.int32()), texts), ",")
        yield (b"," if start else b"") + whole[0].as_buffer().to_pybytes()
    yield b"]"
