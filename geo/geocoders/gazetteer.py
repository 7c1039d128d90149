"""The first step of the chain: the curated gazetteer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.gazetteer import Gazetteer
from geo.geocoders.base import Candidate, geocode_from
from geo.names import split_designator

if TYPE_CHECKING:
    from geopy.location import Location


class GazetteerGeocoder:
    """Looks names up in the curated gazetteer (exact spelling first, then transliteration-insensitive).

    >>> from geo import gazetteer
    >>> GazetteerGeocoder(gazetteer.load()).geocode("Sarawan").raw["source_ref"]
    'ir-saravan'
    """

    name = "gazetteer"

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def candidates(self, query: str) -> list[Candidate]:
        entries, how = self.gazetteer.lookup(query)
        if not entries:
            core, _kinds, word = split_designator(query)
            if word:
                entries, how = self.gazetteer.lookup(core)
        return [
            Candidate(
                place=e.to_place(),
                match="exact" if how == "exact" else "loose",
                population=e.population,
                entry_id=e.id,
            )
            for e in entries
        ]

    def geocode(self, query: str, *, exactly_one: bool = True) -> Location | list[Location] | None:
        return geocode_from(self.candidates(query), exactly_one)
