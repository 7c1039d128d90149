"""The fallback chain's backends, each with geopy's ``geocode(query, *, exactly_one=True)``.

curated gazetteer -> offline GeoNames -> online geocoder (opt-in, cached).
:class:`geo.resolver.Resolver` walks them in that order and weighs context;
:class:`FallbackChain` offers the same walk behind geopy's interface.
"""

from __future__ import annotations

from geo.geocoders.base import Backend, Candidate
from geo.geocoders.gazetteer import GazetteerGeocoder
from geo.geocoders.geonames import GeoNamesGeocoder

__all__ = ["Backend", "Candidate", "GazetteerGeocoder", "GeoNamesGeocoder"]
