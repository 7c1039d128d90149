"""Synthetic incidents and reports for the benchmarks: deterministic, realistic in shape.

Incidents are spread over the zone's towns (gazetteer places) with jitter, over 2010–2025,
with event types, perpetrators, fatalities, a ~200-character description and one or two
sources quoting it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from geo.gazetteer import load as load_gazetteer
from geo.vocab import EVENT_TYPES

ACTORS = ["Jaish al-Adl", "Baloch Liberation Army", "Baloch Liberation Front", "Tehrik-i-Taliban Pakistan",
          "Islamic State Khorasan Province", "Jundallah", None]  # fmt: skip
WORDS = ["gunmen", "attacked", "a", "checkpoint", "near", "the", "town", "killing", "several", "security", "personnel", "and", "wounding", "others", "officials", "said", "the", "attackers", "fled", "toward", "the", "border", "after", "an", "exchange", "of", "fire", "that", "lasted", "hours"]  # fmt: skip


def incidents_frame(n: int, seed: int = 7):  # type: ignore[no-untyped-def]
    """A GeoDataFrame with the columns of :func:`geo.frame.to_frame`, n rows."""
    import geopandas as gpd
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    from geo.columns import sources_from_parts
    from geo.frame import COLUMNS, typed
    from geo.models import PRECISION_LABELS
    from geo.vocab import UNCERTAINTY_KM

    rng = np.random.default_rng(seed)
    places = [e for e in load_gazetteer().entries if e.admin1 in ("Sistan and Baluchestan", "Balochistan")]
    pick = rng.integers(0, len(places), n)
    plat = np.array([p.lat for p in places])[pick]
    plon = np.array([p.lon for p in places])[pick]
    from geo.models import PRECISION_BY_KIND

    precision = np.array([PRECISION_BY_KIND[p.kind] for p in places])[pick]
    lat = np.round(plat + rng.normal(0, 0.05, n), 5)
    lon = np.round(plon + rng.normal(0, 0.05, n), 5)
    start = np.datetime64("2010-01-01")
    days = rng.integers(0, 365 * 16, n)
    dates = (start + days.astype("timedelta64[D]")).astype(str)
    slugs = list(EVENT_TYPES)
    types = np.array(slugs)[rng.integers(0, len(slugs), n)]
    actors = np.array(ACTORS, dtype=object)[rng.integers(0, len(ACTORS), n)]
    killed = rng.poisson(3, n)
    # Text made by Arrow kernels, not a Python object per row: the frame is what to_frame makes,
    # and the memory measured after it is the frame's, not the garbage of making it.
    words = pa.array(WORDS).take(pa.array(rng.integers(0, len(WORDS), n * 30)))
    desc = pc.binary_join(
        pa.ListArray.from_arrays(pa.array(np.arange(0, n * 30 + 1, 30, dtype=np.int32)), words), " "
    )
    numbers = pc.cast(pa.array(np.arange(n)), pa.string())
    ids = pc.binary_join_element_wise("syn-", pc.utf8_lpad(numbers, 7, "0"), "")
    articles = pc.binary_join_element_wise("a", numbers, "")
    dates = pa.array(dates)
    ones = np.ones(n, dtype=np.int32)  # one source per incident, one quote per source
    sources = sources_from_parts(
        ones,
        {"article": articles, "title": pa.nulls(n, pa.string()), "publisher": pa.array(np.full(n, "Synthetic Wire")),
         "publication_date": dates, "url": pa.nulls(n, pa.string())},
        ones,
        {"text": desc, "start": pa.array(np.zeros(n, dtype=np.int64)), "end": pc.cast(pc.utf8_length(desc), pa.int64())},
    )  # fmt: skip
    names = np.array([p.name for p in places], dtype=object)[pick]
    df = pd.DataFrame(
        {
            "id": pd.arrays.ArrowStringArray(ids),
            "date": pd.arrays.ArrowStringArray(dates),
            "date_precision": "day",
            "date_start": pd.arrays.ArrowStringArray(dates),
            "date_end": pd.arrays.ArrowStringArray(dates),
            "date_basis": "synthetic",
            "place_text": names,
            "place_name": names,
            "place_id": np.array([p.id for p in places], dtype=object)[pick],
            "place_kind": "town",
            "place_source": "gazetteer",
            "place_reason": "synthetic",
            "place_confidence": 1.0,
            "country": np.array([p.country for p in places], dtype=object)[pick],
            "admin1": np.array([p.admin1 for p in places], dtype=object)[pick],
            "admin2": np.array([p.admin2 for p in places], dtype=object)[pick],
            "lat": lat,
            "lon": lon,
            "location_precision": precision,
            "precision_label": [PRECISION_LABELS[int(x)] for x in precision],
            "uncertainty_km": [UNCERTAINTY_KM[int(x)] for x in precision],  # None for a country
            "event_type": types,
            "event_label": [EVENT_TYPES[t].label for t in types],
            "acled_event_type": [EVENT_TYPES[t].acled_event_type for t in types],
            "acled_sub_event_type": [EVENT_TYPES[t].acled_sub_event_type for t in types],
            "perpetrator": actors,
            "perpetrator_attribution": np.where(pd.isna(actors), None, "claimed"),
            "target": "security post",
            "fatalities_best": killed,
            "fatalities_low": killed,
            "fatalities_high": killed + rng.integers(0, 3, n),
            "fatalities_note": None,
            "attackers_killed": None,
            "injured": rng.poisson(2, n),
            "injured_note": None,
            "n_sources": 1,
            "sources": sources,
            "notes": None,
        },
        columns=list(COLUMNS),
    )
    typed(df)
    return gpd.GeoDataFrame(
        df, geometry=gpd.points_from_xy(df["lon"], df["lat"], crs="EPSG:4326"), crs="EPSG:4326"
    )


def write_records(n: int, path: Path, seed: int = 7) -> None:
    """A records file (``geo map --records``) of the n incidents of :func:`incidents_frame`: what a
    user who has their own incident data writes.  No article texts lie beside it, so the quotes are
    not checked against them."""
    import orjson

    from geo.columns import python_values

    gdf = incidents_frame(n, seed)
    sources = python_values(gdf["sources"])
    keep = ("article", "quotes")
    with path.open("wb") as out:
        for k, row in enumerate(gdf.itertuples()):
            perpetrator = None if row.perpetrator != row.perpetrator else row.perpetrator  # NaN: none
            record = {
                "id": row.id, "date": row.date, "date_precision": row.date_precision,
                "place_text": row.place_name, "place_id": row.place_id, "event_type": row.event_type,
                "perpetrator": perpetrator, "perpetrator_attribution": "claimed" if perpetrator else None,
                "target": row.target,
                "fatalities": {"best": row.fatalities_best, "low": row.fatalities_low, "high": row.fatalities_high},
                "injured": row.injured,
                "sources": [{key: src[key] for key in keep} for src in sources[k]],
            }  # fmt: skip
            out.write(orjson.dumps(record, option=orjson.OPT_SERIALIZE_NUMPY) + b"\n")
