"""Incidents -> GeoDataFrame: compact column types that still read as plain values."""

from __future__ import annotations

import pandas as pd

from geo import frame, incidents
from geo.columns import arrow_of, python_values


def test_columns_are_compact_and_read_as_plain_values() -> None:
    located = incidents.load()
    gdf = frame.to_frame(located)
    for col in frame.TEXT_COLUMNS:
        assert str(gdf[col].dtype) == "str" and arrow_of(gdf[col]) is not None, col  # Arrow buffers
    for col in frame.CATEGORY_COLUMNS:
        assert isinstance(gdf[col].dtype, pd.CategoricalDtype), col
    by_id = {i.id: i for i in located}
    for row, sources in zip(gdf.itertuples(), python_values(gdf["sources"]), strict=True):
        assert sources == [s.to_dict() for s in by_id[row.id].record.sources]
        assert row.event_type == by_id[row.id].record.event_type  # a category compares as its text
    first = gdf["sources"].iloc[0]
    assert isinstance(first, list) and isinstance(first[0]["quotes"][0]["text"], str)


def test_typed_makes_a_plain_frame_compact() -> None:
    gdf = frame.to_frame(incidents.load())
    plain = pd.DataFrame({c: gdf[c].astype(object) for c in frame.COLUMNS})
    plain["sources"] = python_values(gdf["sources"])
    typed = frame.typed(plain)
    assert arrow_of(typed["sources"]) is not None
    assert python_values(typed["sources"]) == python_values(gdf["sources"])
    assert (typed.dtypes == gdf.drop(columns="geometry").dtypes).all()
