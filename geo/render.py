"""GeoDataFrame -> folium.Map of the border zone.  Never writes a file (see :func:`to_html`).

The incidents are sent to the page once, as JSON in a ``<script type="application/json">``
element, and drawn by a small script on Leaflet's canvas renderer.  Everything that
comes from an article reaches the page as JSON data and is put into the popups with
``textContent``, never as HTML, so a ``<script>`` in a title or a quote stays text.

How a place is drawn says how precisely it is known:

* precision 1 (an exact place): a filled dot, its size by fatalities;
* precision 2-4 (an area, a county or district, a province): a dashed circle of the
  uncertainty radius around a hollow dot;
* a border region: a band along the Iran–Pakistan border line;
* known only to a country, or not located at all: listed in the summary panel,
  not drawn as a point.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geo import boundaries
from geo.boundaries import BORDER_REGIONS
from geo.vocab import EVENT_TYPES

if TYPE_CHECKING:
    from typing import IO

    import folium
    import geopandas as gpd

#: The two provinces with a margin: what the map frames.
ZONE_BOUNDS = [[24.4, 58.4], [32.4, 70.5]]
TITLE = "Militant violence and cross-border strikes in the Iran–Pakistan border zone"

#: The files the page loads from the jsDelivr CDN, besides Leaflet (which folium adds).
#: Tests serve the same package versions from the npm registry (tests/web/package.json).
SCRIPTS = (
    ("supercluster", "https://cdn.jsdelivr.net/npm/supercluster@9.1.0/dist/supercluster.min.js"),
    ("leaflet_heat", "https://cdn.jsdelivr.net/npm/leaflet.heat@0.2.0/dist/leaflet-heat.js"),
)

#: Text fields of the popups, sent as a table of distinct strings and one index per incident.
#: (The page rebuilds the date, precision, uncertainty and perpetrator from the drawing columns.)
_TEXT_FIELDS = (
    "date_precision", "place_text", "place_name", "place_reason", "country", "admin1", "admin2",
    "precision_label", "perpetrator_attribution", "target", "fatalities_note", "injured_note", "notes",
)  # fmt: skip
#: Number fields of the popups (null as -1).
_NUMBER_FIELDS = ("fatalities_best", "fatalities_low", "fatalities_high", "attackers_killed", "injured")


class JsonText:
    """A column of text sent to the page as JSON written a part at a time from its Arrow array
    (:func:`geo.columns.json_array_pieces`): a million quotes never become a million Python strings."""

    __slots__ = ("array", "rows")

    def __init__(self, array: Any, rows: Any = None) -> None:
        self.array = array
        self.rows = rows  # which of the array's values, in order (None: all)

    def pieces(self) -> Any:
        from geo.columns import json_array_pieces

        return json_array_pieces(self.array, rows=_PIECE, take=self.rows)


def _strings(series: Any) -> dict[str, Any]:
    """A column of text as distinct values and indexes (-1 for null): repeated strings are sent once."""
    import pandas as pd
    import pyarrow as pa

    from geo.columns import arrow_of

    if isinstance(getattr(series, "dtype", None), pd.CategoricalDtype):  # already codes and values
        codes = series.cat.codes.to_numpy().astype("int32")
        uniques = pa.array([str(c) for c in series.cat.categories], pa.string())
    else:
        data = arrow_of(series)
        if data is None:  # Python objects (a frame not made by geo.frame): as text
            values = series.to_numpy(dtype=object)
            data = pa.chunked_array(
                [pa.array([None if _missing(v) else str(v) for v in values], pa.string())]
            )
        codes, uniques = _factorize(data)
    return {"v": JsonText(uniques), "i": _constant_or_list(codes)}  # the same everywhere: sent once


def _missing(value: Any) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def _factorize(data: Any) -> tuple[Any, Any]:
    """(int32 code of each value, -1 for null; the distinct values in order of first appearance).

    Arrow's own dictionary encoding, on the column as it is: no copy of the column, and the
    distinct values made once (pandas' ``factorize`` of an Arrow column copies them twice).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = data.chunk(0) if data.num_chunks == 1 else data.combine_chunks()
    if pa.types.is_large_string(arr.type) or pa.types.is_string_view(arr.type):
        arr = arr.cast(pa.string())
    encoded = pc.dictionary_encode(arr)
    codes = pc.fill_null(encoded.indices, -1).cast(pa.int32()).to_numpy(zero_copy_only=False)
    return codes, encoded.dictionary


def _children(lists: Any) -> Any:
    """The values of an Arrow list array (of this slice only), and the number under each list."""
    import numpy as np

    from geo.columns import list_values

    values, offsets = list_values(lists)
    return values, np.diff(offsets.to_numpy())


def _detail_columns(g: Any) -> dict[str, Any]:
    """The popups' fields, column by column; sources flattened into parallel arrays (with Arrow's
    kernels, not a loop over a million lists of dicts)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    from geo.columns import sources_of

    out: dict[str, Any] = {c: _strings(g[c]) for c in _TEXT_FIELDS}
    for c in _NUMBER_FIELDS:  # whole numbers; -1 stands for null
        col = pd.to_numeric(g[c], errors="coerce").astype("Float64").round().fillna(-1).astype("int32")
        out[c] = _constant_or_list(col.to_numpy())
    sources, count = _children(sources_of(g["sources"]))
    quotes, qcount = _children(pc.struct_field(sources, ["quotes"]))

    def field(arr: Any, name: str) -> dict[str, Any]:
        return _strings(pa.chunked_array([pc.struct_field(arr, [name])]))

    qstart = pc.fill_null(pc.struct_field(quotes, ["start"]), -1).to_numpy(zero_copy_only=False)
    article = field(sources, "article")
    codes = article["i"]  # each quote's article, for telling quotes apart by their span
    quote_articles = (
        np.repeat(codes, qcount) if isinstance(codes, np.ndarray) else np.full(len(quotes), codes)
    )
    out["sources"] = {
        "count": _constant_or_list(count),
        "article": article, "title": field(sources, "title"),
        "publisher": field(sources, "publisher"), "date": field(sources, "publication_date"),
        "url": field(sources, "url"),
        "qcount": _constant_or_list(qcount),
        "qtext": _quote_texts(quotes, quote_articles), "qstart": qstart.astype("int64"),
    }  # fmt: skip
    return out


def _quote_texts(quotes: Any, articles: Any) -> dict[str, Any]:
    """The quotes' texts as distinct values and indexes, like :func:`_strings`, but told apart by
    (article, start, end) rather than by hashing every text: the same span of the same article is the
    same sentence.  Each pair so joined is checked to hold the same text; if one does not (a frame
    whose quotes were not checked against their articles), the texts themselves are compared."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from geo.columns import combine_codes, first_rows

    texts = pc.struct_field(quotes, ["text"])
    kept = np.flatnonzero(np.asarray(texts.is_valid()))  # (a missing text is code -1)
    codes = np.asarray(articles, dtype="int64")[kept]
    count = len(kept)
    for k in ("start", "end"):
        span = pc.fill_null(pc.struct_field(quotes, [k]), -1).to_numpy(zero_copy_only=False)[kept]
        codes, count = combine_codes(codes, span)
    rows = kept[first_rows(codes, count)]  # the first quote of each (article, start, end)
    joined = np.flatnonzero(kept != rows[codes])  # quotes sent as an earlier one's text
    later, earlier = kept[joined], rows[codes[joined]]
    if len(joined) and not pc.all(pc.equal(texts.take(later), texts.take(earlier))).as_py():
        return _strings(pa.chunked_array([texts]))
    index = np.full(len(texts), -1, dtype="int32")
    index[kept] = codes
    values = JsonText(texts, None if len(rows) == len(texts) else pa.array(rows))
    return {"v": values, "i": _constant_or_list(index)}


def _constant_or_list(values: Any) -> Any:
    """One number when every value is the same (sent once), else the values (a NumPy array of whole
    numbers, in their own width)."""
    import numpy as np

    arr = np.asarray(values)
    if arr.dtype.kind not in "iu":
        arr = arr.astype("int64")
    return int(arr[0]) if len(arr) and (arr == arr[0]).all() else arr


def _codes_of(series: Any, index: dict[str, int]) -> Any:
    """The position of each value in ``index`` (-1 for a missing or unlisted one), as a NumPy array."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    table = np.array([index.get(u, -1) for u in uniques] + [-1], dtype="int32")
    return table[codes]


def _days(series: Any) -> Any:
    """ISO dates -> days since 1970-01-01 (-1 where missing), vectorised (a NumPy array)."""
    import numpy as np
    import pandas as pd

    parsed = pd.to_datetime(series, errors="coerce", format="%Y-%m-%d")
    days = (parsed - pd.Timestamp("1970-01-01")).dt.days
    return np.where(days.isna(), -1, days.fillna(-1)).astype("int32")


def page_data(gdf: gpd.GeoDataFrame, *, query: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the page needs: the incidents as columns (compact), their popup details, and the context."""
    import numpy as np
    import pandas as pd

    from geo.gazetteer import load as load_gazetteer

    g = gdf.sort_values("id", kind="stable")
    slugs = list(EVENT_TYPES)
    actor_counts = g["perpetrator"].dropna().value_counts()
    actor_counts = actor_counts[actor_counts > 0]  # (a category column counts its unused values too)
    actors = sorted(actor_counts.index, key=lambda a: (-int(actor_counts[a]), a))
    actor_index = {a: i for i, a in enumerate(actors)}
    countries = sorted(str(c) for c in g["country"].dropna().unique())
    country_index = {c: i for i, c in enumerate(countries)}
    lat = g["lat"].to_numpy(dtype="float64", na_value=np.nan)
    lon = g["lon"].to_numpy(dtype="float64", na_value=np.nan)
    best = g["fatalities_best"].astype("Float64").fillna(g["fatalities_low"].astype("Float64")).fillna(-1)
    starts, ends = _days(g["date_start"]), _days(g["date_end"])
    # Columns as NumPy arrays (orjson writes them as lists, NaN as null): no Python object per value.
    slug_index = {s_: i for i, s_ in enumerate(slugs)}
    cols = {
        "lat": np.round(lat, 5),
        "lon": np.round(lon, 5),
        "t": _codes_of(g["event_type"], slug_index),
        "a": _codes_of(g["perpetrator"], actor_index),
        "f": best.astype(int).to_numpy(dtype="int32"),
        "d0": starts,
        "dd": _constant_or_list(np.where(starts >= 0, ends - starts, 0)),
        "p": g["location_precision"].astype("Float64").fillna(0).astype(int).to_numpy(dtype="int8"),
        "u": g["uncertainty_km"].astype("Float64").fillna(-1).to_numpy(dtype="float32"),
        "strip": g["place_id"].isin(list(BORDER_REGIONS)).to_numpy().astype("int8"),
        "c": _codes_of(g["country"], country_index),
    }
    details = _detail_columns(g)
    dated = starts[starts >= 0]
    ends_dated = ends[ends >= 0]
    today = int((pd.Timestamp.now().normalize() - pd.Timestamp("1970-01-01")).days)
    places = []
    for e in load_gazetteer().entries:
        places.append(
            [
                e.name,
                e.lat,
                e.lon,
                e.kind,
                list(dict.fromkeys(e.names[: len(e.names) - (1 if e.local_name else 0)])),
            ]
        )
    return {
        "title": TITLE,
        "n": len(g),
        "cols": cols,
        "details": details,
        "types": [
            {
                "slug": s_,
                "label": et.label,
                "colour": et.colour,
                "acled": f"{et.acled_event_type} / {et.acled_sub_event_type}",
            }
            for s_, et in EVENT_TYPES.items()
        ],
        "actors": actors,
        "countries": countries,
        "dayMin": int(dated.min()) if len(dated) else today,
        "dayMax": int(ends_dated.max()) if len(ends_dated) else today,
        "border": [[la, lo] for la, lo in boundaries.border_vertices()],
        "bounds": ZONE_BOUNDS,
        "labels": boundaries.labels(),
        "places": places,
        "query": query,
    }


def render_map(
    gdf: gpd.GeoDataFrame, *, subtitle: str | None = None, query: dict[str, Any] | None = None
) -> folium.Map:
    """The incidents on a map of the zone, with its border, provinces, legend, panels and filters.

    ``query`` (``lat``, ``lon``, ``radius_km``, ``label``) draws the centre and circle of a radius query.
    """
    import folium
    from branca.element import Element, MacroElement
    from jinja2 import Template

    m = folium.Map(location=[28.4, 64.4], zoom_start=6, tiles=None, control_scale=True, prefer_canvas=True)
    # The page needs Leaflet alone from folium: no jQuery, Bootstrap or icon fonts from other CDNs.
    m.default_js = [(name, url) for name, url in m.default_js if name == "leaflet"] + list(SCRIPTS)
    m.default_css = [(name, url) for name, url in m.default_css if name == "leaflet_css"]
    folium.TileLayer(
        "OpenStreetMap",
        name="OpenStreetMap",
        attr='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    ).add_to(m)
    folium.GeoJson(
        boundaries.zone(),
        name="Countries and provinces",
        style_function=_boundary_style,
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
        control=False,
    ).add_to(m)
    folium.GeoJson(
        boundaries.border(),
        name="Iran–Pakistan border",
        style_function=lambda _f: {"color": "#111111", "weight": 3, "opacity": 0.9},
        control=False,
    ).add_to(m)
    data = page_data(gdf, query=query)
    data["subtitle"] = subtitle or ""
    root: Any = m.get_root()
    root.header.add_child(Element('<meta name="generator" content="geo">'))
    layer = MacroElement()  # type: ignore[no-untyped-call]
    layer._name = "IncidentLayer"
    layer._template = Template(
        "{% macro header(this, kwargs) %}<style>" + _asset("map.css") + "</style>{% endmacro %}"
        "{% macro html(this, kwargs) %}"
        '<script type="application/octet-stream" id="geo-incidents" data-encoding="gzip+base64">'
        + _DATA_MARK
        + "</script>"
        "{% endmacro %}"
        "{% macro script(this, kwargs) %}"
        + _asset("map.js")
        + "\ngeoLoad({{ this._parent.get_name() }}, document.getElementById('geo-incidents'));"
        "{% endmacro %}"
    )
    m.add_child(layer)
    # The data (tens of MB at 10^5 incidents) is gzipped and put in after rendering, not compiled
    # into a template; the page unzips it with the browser's own DecompressionStream.
    m._geo_data_json = _packed_pieces(data)  # type: ignore[attr-defined]
    return m


_DATA_MARK = "__GEO_INCIDENT_DATA__"
#: Values written at a time: each piece of text stays around a megabyte, so the pieces reuse each
#: other's memory (larger ones leave the heap holding hundreds of MB at 10^6 incidents).
_PIECE = 32768


def pack_data(data: Any) -> str:
    """The page's data as base64 of gzipped JSON (level 1: fast, and text shrinks 3-5 times).

    The JSON is made and compressed a part at a time (each column of each table), so the whole
    uncompressed text (hundreds of MB at 10^6 incidents) never sits in memory; the bytes are the
    same as ``orjson.dumps(data)``'s (a :class:`JsonText` written as the list of its strings).  Base64 holds no ``<``, ``>`` or ``&``: whatever the strings
    say, they cannot end the ``<script>`` element that carries them.
    """

    return "".join(_packed_pieces(data))


def _packed_pieces(data: Any) -> list[str]:
    """:func:`pack_data`'s text in pieces (base64 of whole 3-byte groups each): the compressed bytes
    are encoded as they come, and the page joins the pieces once."""
    import base64
    import zlib

    packer = zlib.compressobj(1, zlib.DEFLATED, 31)  # wbits 31: a gzip stream
    pieces: list[str] = []
    pending = b""

    def take(data: bytes) -> None:
        nonlocal pending
        if data:
            pending += data
            whole = len(pending) - len(pending) % 3
            if whole >= 1 << 16:
                pieces.append(base64.b64encode(pending[:whole]).decode("ascii"))
                pending = pending[whole:]

    _stream_json(data, lambda b: take(packer.compress(b)))
    take(packer.flush())
    pieces.append(base64.b64encode(pending).decode("ascii"))
    return pieces


def _stream_json(value: Any, emit: Any) -> None:
    """Emit ``orjson.dumps(value)`` in pieces: dicts are written key by key, :class:`JsonText` a part
    at a time."""
    import numpy as np
    import orjson

    if isinstance(value, JsonText):
        for piece in value.pieces():
            emit(piece)
    elif isinstance(value, dict) and all(isinstance(k, str) for k in value):
        emit(b"{")
        for i, (k, v) in enumerate(value.items()):
            emit((b"," if i else b"") + orjson.dumps(k) + b":")
            _stream_json(v, emit)
        emit(b"}")
    elif isinstance(value, np.ndarray) and value.ndim == 1 and len(value) > _PIECE:
        emit(b"[")
        for start in range(0, len(value), _PIECE):
            text = orjson.dumps(value[start : start + _PIECE], option=orjson.OPT_SERIALIZE_NUMPY)
            emit((b"," if start else b"") + text[1:-1])
        emit(b"]")
    else:
        emit(orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY))


def unpack_data(text: str) -> Any:
    """The inverse of :func:`pack_data` (for tests and tools that read a page's data)."""
    import base64
    import gzip

    import orjson

    return orjson.loads(gzip.decompress(base64.b64decode(text)))


def _asset(name: str) -> str:
    from pathlib import Path

    return (Path(__file__).parent / "assets" / name).read_text(encoding="utf-8")


def _boundary_style(feature: dict[str, Any]) -> dict[str, Any]:
    if feature["properties"].get("level") == 1:
        return {
            "color": "#555555",
            "weight": 2,
            "dashArray": "6 4",
            "fillColor": "#ffe9a8",
            "fillOpacity": 0.12,
        }
    return {"color": "#777777", "weight": 1, "fillOpacity": 0.0}


def to_html(m: folium.Map) -> str:
    """The page as text, with stable element ids so that the same input gives the same bytes."""
    return "".join(page_parts(m))


def write_html(m: folium.Map, out: IO[str]) -> None:
    """Write the page of :func:`to_html` to ``out`` a part at a time (its data is never copied into
    one string: a million incidents' page is about 100 MB)."""
    for part in page_parts(m):
        out.write(part)


def page_parts(m: folium.Map) -> list[str]:
    """The page's text in parts, in order: the page around its data, and the data's pieces."""
    counter = 0

    def renumber(el: Any) -> None:
        nonlocal counter
        counter += 1
        el._id = f"{counter:05d}"
        children = list(el._children.values())
        el._children.clear()
        for child in children:
            renumber(child)
            el._children[child.get_name()] = child

    root = m.get_root()
    renumber(root)
    html: str = root.render()
    data = getattr(m, "_geo_data_json", None)
    if data is None:
        return [html]
    head, _mark, tail = html.partition(_DATA_MARK)
    return [head, *data, tail]
