"""Place text + context -> :class:`~geo.models.Resolution`.

The chain is walked in order (curated gazetteer, offline GeoNames, the online
geocoder when switched on) and stops at the first backend that knows the name.
Its readings are then weighed:

* a prior: inside the zone's two provinces beats elsewhere in Iran, Pakistan or
  Afghanistan, which beats the rest of the world; then population;
* the query's own designator ("Khash County", "the town of Rask");
* context: country words and demonyms, provinces, counties and districts
  ("a border town in Chagai district"), and other places named nearby
  (within 50 km, 150 km), each reading of which is looked up in the gazetteer.

Readings of one place family (a town and the county of the same name around it)
do not compete; when two families score within :data:`AMBIGUITY_MARGIN`, the
answer is flagged ambiguous and both are listed.  Confidence is the winning
family's softmax share of the scores, lowered for transliteration-insensitive
matches and for backends further down the chain.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from geo import gazetteer as gazetteer_mod
from geo.config import Settings
from geo.errors import GeocoderUnavailable, UnknownPlaceError
from geo.gazetteer import Entry, Gazetteer
from geo.geocoders.base import Backend, Candidate, haversine_km, prior_score, to_location, zone_prior
from geo.geocoders.gazetteer import GazetteerGeocoder
from geo.models import ADMIN2_KINDS, Match, Resolution, Status
from geo.names import compact_key, fold, split_designator

if TYPE_CHECKING:
    from geopy.location import Location

AMBIGUITY_MARGIN = 1.0
FAMILY_KM = 30.0
BACKEND_TRUST = {"gazetteer": 1.0, "geonames": 0.85}
ONLINE_TRUST = 0.75
FAR_AWAY_TRUST = 0.6

_COUNTRY_WORDS: dict[str, str] = {
    "iran": "IR", "iranian": "IR", "iranians": "IR", "tehran": "IR", "islamic republic": "IR",
    "pakistan": "PK", "pakistani": "PK", "pakistanis": "PK", "islamabad": "PK",
    "afghanistan": "AF", "afghan": "AF", "afghans": "AF", "kabul": "AF",
}  # fmt: skip
_COUNTRY_NAMES = {"IR": "Iran", "PK": "Pakistan", "AF": "Afghanistan"}
_COUNTRY_RE = re.compile(r"\b(" + "|".join(sorted(_COUNTRY_WORDS, key=len, reverse=True)) + r")\b")
_DESIGNATORS = r"(county|district|subdistrict|city|town|village|port|province|region|area|bakhsh|tehsil|border crossing|crossing)"


_BORDER_AFTER = re.compile(r"^(?:\s*(?:iran|pakistan|afghanistan|and|-))*\s*(?:border|frontier)")
_BORDER_BEFORE = re.compile(r"(?:border|frontier)\s+(?:with|of)\s+(?:the\s+)?$")


def _names_a_border(text: str, m: re.Match[str]) -> bool:
    """True for "the Pakistani border", "near the Pakistan-Iran border", "border with Pakistan":
    such words say where the place is *not* (across the border), so they are no country evidence."""
    return bool(_BORDER_AFTER.match(text[m.end() :]) or _BORDER_BEFORE.search(text[: m.start()]))


@dataclass
class _Scored:
    cand: Candidate
    score: float
    evidence: list[tuple[str, float]] = field(default_factory=list)


@dataclass(frozen=True)
class Clues:
    """What a context text says: countries named, gazetteer places named, designators of the query."""

    countries: frozenset[str]
    places: tuple[tuple[str, tuple[Entry, ...]], ...]
    kinds: frozenset[str] | None


class Resolver:
    """Resolves place names through the fallback chain.

    >>> r = Resolver()
    >>> r.resolve("Taftan", context="a border town in Chagai district, Balochistan").best.place.country
    'PK'
    >>> r.resolve("Taftan", context="Taftan County, Sistan and Baluchestan").best.place.country
    'IR'
    """

    def __init__(self, settings: Settings | None = None, *, gazetteer: Gazetteer | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self._gazetteer = gazetteer

    @cached_property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is not None:
            return self._gazetteer
        dirs = [gazetteer_mod.bundled_dir(), *self.settings.gazetteer_extra]
        return gazetteer_mod.load(dirs)

    @cached_property
    def backends(self) -> tuple[Backend, ...]:
        from geo.geocoders.geonames import GeoNamesGeocoder

        chain: list[Backend] = [
            GazetteerGeocoder(self.gazetteer),
            GeoNamesGeocoder(self.settings.cache_path),
        ]
        if self.settings.online:
            from geo.geocoders.online import OnlineGeocoder

            chain.append(OnlineGeocoder(self.settings))
        return tuple(chain)

    # -- context ---------------------------------------------------------------------------

    @cached_property
    def _automaton(self) -> Any:
        import ahocorasick

        auto = ahocorasick.Automaton()
        for name in self.gazetteer.all_names:
            key = fold(name)
            if len(key) >= 3:
                auto.add_word(key, key)
        auto.make_automaton()
        return auto

    def clues(self, context: str | None, core: str) -> Clues:
        """Read ``context`` for country words, gazetteer places and designators of ``core``."""
        if not context:
            return Clues(frozenset(), (), None)
        # "Taftan County's" -> "Taftan County": a possessive must not glue onto the designator.
        text = fold(re.sub(r"['’]s\b", "", context))
        countries = frozenset(
            _COUNTRY_WORDS[m.group(1)] for m in _COUNTRY_RE.finditer(text) if not _names_a_border(text, m)
        )
        core_key = compact_key(core)
        found: dict[str, tuple[Entry, ...]] = {}
        spans: list[tuple[int, int, str]] = []
        for end, key in self._automaton.iter(text):
            start = end - len(key) + 1
            if (start > 0 and text[start - 1].isalnum()) or (end + 1 < len(text) and text[end + 1].isalnum()):
                continue
            spans.append((start, end, key))
        # Keep the longest match where matches overlap ("sib and suran" over "suran").
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        last_end = -1
        for start, end, key in spans:
            if start <= last_end:
                continue
            last_end = end
            if compact_key(split_designator(key)[0]) == core_key:
                continue  # the query itself ("Pishin District" when resolving Pishin)
            entries, _how = self.gazetteer.lookup(key)
            if entries:
                found.setdefault(key, entries)
        kinds: frozenset[str] | None = None
        core_text = re.escape(fold(core))
        m = re.search(rf"\b{core_text}\s+{_DESIGNATORS}\b", text) or re.search(
            rf"\b{_DESIGNATORS}\s+of\s+{core_text}\b", text
        )
        if m:
            kinds = split_designator(m.group(0))[1]
        return Clues(countries, tuple(found.items()), kinds)

    # -- scoring ---------------------------------------------------------------------------

    def _score(self, cand: Candidate, clues: Clues, kinds: frozenset[str] | None) -> _Scored:
        p = cand.place
        s = _Scored(cand, prior_score(cand))
        if cand.match == "loose":
            s.score -= 0.5
        if kinds:
            if p.kind in kinds:
                s.evidence.append((f"the name is written as a {p.kind.replace('_', ' ')}", 2.0))
            else:
                s.evidence.append((f"the name's designator does not fit a {p.kind.replace('_', ' ')}", -1.0))
        country_hits = set(clues.countries)
        place_points: list[tuple[str, float]] = []
        for _key, entries in clues.places:
            best: tuple[str, float] | None = None
            for e in entries:
                ev = self._evidence_from(p, cand, e)
                if ev and (best is None or ev[1] > best[1]):
                    best = ev
                if e.kind == "country":
                    country_hits.add(e.country)
            if best:
                place_points.append(best)
        if country_hits:
            if p.country in country_hits:
                s.evidence.append((f"context names {_COUNTRY_NAMES.get(p.country or '', p.country)}", 1.5))
            elif p.country is not None:
                s.evidence.append(("context names another country", -1.0))
        place_points.sort(key=lambda ev: -ev[1])
        total = 0.0
        for text, w in place_points:
            if total >= 5.0:
                break
            s.evidence.append((text, w))
            total += w
        s.score += sum(w for _t, w in s.evidence)
        return s

    def _evidence_from(self, p: Any, cand: Candidate, e: Entry) -> tuple[str, float] | None:
        if e.id == cand.entry_id or e.country != p.country:
            return None
        if e.kind == "province":
            if p.admin1 == e.name:
                return (f"context names {e.name}, which contains it", 2.0)
            return None
        if e.kind in ADMIN2_KINDS:
            if p.admin2 == e.name and p.admin1 == e.admin1:
                return (f"context names {e.name} {e.kind}, which contains it", 3.0)
            if e.seat is not None and e.seat == cand.entry_id:
                return (f"context names {e.name} {e.kind}, whose seat it is", 3.0)
        if e.kind == "country":
            return None
        km = haversine_km(p.lat, p.lon, e.lat, e.lon)
        if km <= 50:
            return (f"context names {e.name}, {km:.0f} km away", 2.0)
        if km <= 150:
            return (f"context names {e.name}, {km:.0f} km away", 1.0)
        return None

    @staticmethod
    def _same_family(a: Candidate, b: Candidate) -> bool:
        pa, pb = a.place, b.place
        if pa.country != pb.country:
            return False
        if pa.kind in ADMIN2_KINDS and pb.admin2 == pa.name:
            return True
        if pb.kind in ADMIN2_KINDS and pa.admin2 == pb.name:
            return True
        return haversine_km(pa.lat, pa.lon, pb.lat, pb.lon) <= FAMILY_KM

    # -- the walk --------------------------------------------------------------------------

    def resolve(self, query: str, context: str | None = None) -> Resolution:
        """Resolve one place name; ``context`` is text around it (a sentence, a hint)."""
        query = " ".join(query.split())
        core, kinds, _word = split_designator(query)
        errors: list[str] = []
        cands: list[Candidate] = []
        backend_name = ""
        for backend in self.backends:
            try:
                cands = backend.candidates(query)
            except GeocoderUnavailable as exc:
                errors.append(str(exc))
                continue
            if cands:
                backend_name = backend.name
                break
        if not cands:
            status: Status = "unavailable" if errors else "not_found"
            return Resolution(
                query=query,
                status=status,
                suggestions=self.suggest(query),
                errors=tuple(errors),
                context=context,
            )
        clues = self.clues(context, core)
        scored = sorted(
            (self._score(c, clues, kinds or clues.kinds) for c in cands),
            key=lambda s: (-s.score, s.cand.place.name, s.cand.place.source_ref or ""),
        )
        resolution = self._decide(query, context, scored, backend_name, errors)
        if backend_name != "gazetteer":
            close = tuple(n for n in self.suggest(query, cutoff=85) if compact_key(n) != compact_key(query))
            if close and resolution.best is not None:
                note = f"; not in the curated gazetteer, which has similar names: {', '.join(close)}"
                best = replace(resolution.best, reason=resolution.best.reason + note)
                resolution = replace(resolution, best=best, suggestions=close)
        return resolution

    def _decide(
        self,
        query: str,
        context: str | None,
        scored: list[_Scored],
        backend_name: str,
        errors: list[str],
    ) -> Resolution:
        best = scored[0]
        rivals: list[_Scored] = []  # the best reading of each other family
        for s in scored[1:]:
            if self._same_family(s.cand, best.cand):
                continue
            if any(self._same_family(s.cand, r.cand) for r in rivals):
                continue
            rivals.append(s)
        weights = [math.exp(best.score)] + [math.exp(r.score) for r in rivals]
        share = weights[0] / sum(weights)
        trust = BACKEND_TRUST.get(backend_name, ONLINE_TRUST)
        if backend_name != "gazetteer" and zone_prior(best.cand.place) == 0.0:
            trust *= FAR_AWAY_TRUST  # found only far from the zone: perhaps a misspelt zone name
        factor = 0.8 if best.cand.match == "loose" else 1.0
        confidence = min(0.99, share * trust * factor)
        ambiguous = bool(rivals) and rivals[0].score >= best.score - AMBIGUITY_MARGIN
        reason = self._reason(query, best, rivals, backend_name, ambiguous, context)
        alternatives = tuple(
            Match(
                place=s.cand.place,
                confidence=min(0.99, math.exp(s.score) / sum(weights) * trust) if s in rivals else 0.0,
                reason=self._alt_reason(s, best),
                score=round(s.score, 3),
            )
            for s in scored[1:]
        )
        return Resolution(
            query=query,
            status="resolved",
            best=Match(
                place=best.cand.place, confidence=confidence, reason=reason, score=round(best.score, 3)
            ),
            alternatives=alternatives,
            ambiguous=ambiguous,
            errors=tuple(errors),
            context=context,
        )

    def _reason(
        self,
        query: str,
        best: _Scored,
        rivals: Sequence[_Scored],
        backend_name: str,
        ambiguous: bool,
        context: str | None,
    ) -> str:
        p = best.cand.place
        where = {"gazetteer": "the curated gazetteer", "geonames": "offline GeoNames"}.get(
            backend_name, f"the online geocoder ({backend_name})"
        )
        how = {
            "exact": "matches",
            "loose": "matches, ignoring transliteration differences,",
            "service": "was answered by",
        }[best.cand.match]
        parts = [f"{query!r} {how} {p.name} in {where}"]
        if not rivals:
            return parts[0]
        rival_evidence = {t for r in rivals[:1] for t, _w in r.evidence}
        why = [t for t, w in best.evidence if w > 0 and t not in rival_evidence]
        if not why:
            why.append(self._prior_words(best, rivals[0]))
        others = "; ".join(self._label(r.cand) for r in rivals)
        verdict = "ambiguous: also " if ambiguous else "preferred over "
        parts.append(f"{verdict}{others}; chose this because {', '.join(why)}")
        if ambiguous and not context:
            parts.append("give --context (a country, province or nearby place) to decide")
        return "; ".join(parts)

    @staticmethod
    def _prior_words(best: _Scored, rival: _Scored) -> str:
        if zone_prior(best.cand.place) > zone_prior(rival.cand.place):
            return "it lies in the border zone (no context said otherwise)"
        if (best.cand.population or 0) > (rival.cand.population or 0):
            return "it is the more populous place (no context said otherwise)"
        return "it scores higher on the evidence available"

    def _alt_reason(self, s: _Scored, best: _Scored) -> str:
        if self._same_family(s.cand, best.cand):
            return f"same place family as {best.cand.place.name} ({s.cand.place.kind.replace('_', ' ')})"
        ev = ", ".join(t for t, w in s.evidence if w) or "no context points to it"
        return f"scored {s.score:.2f} against {best.score:.2f}: {ev}"

    @staticmethod
    def _label(c: Candidate) -> str:
        p = c.place
        where = ", ".join(x for x in (p.admin2, p.admin1, p.country) if x)
        return f"{p.name} ({p.kind.replace('_', ' ')}, {where})"

    # -- unknown names -----------------------------------------------------------------------

    def suggest(self, query: str, limit: int = 5, cutoff: float = 70) -> tuple[str, ...]:
        """Gazetteer names close to ``query`` (fuzzy), best first."""
        from rapidfuzz import fuzz, process

        core = split_designator(query)[0]
        hits = process.extract(
            fold(core), self._folded_names, scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=cutoff
        )
        out: dict[str, None] = {}
        for _key, _score, idx in hits:
            out.setdefault(self.gazetteer.all_names[idx], None)
        return tuple(list(out)[:limit])

    @cached_property
    def _folded_names(self) -> list[str]:
        return [fold(n) for n in self.gazetteer.all_names]

    def require(self, query: str, context: str | None = None) -> Match:
        """Like :meth:`resolve` but raises :class:`UnknownPlaceError` / :class:`GeocoderUnavailable`."""
        r = self.resolve(query, context)
        if r.best is not None:
            return r.best
        if r.status == "unavailable":
            raise GeocoderUnavailable("the fallback chain", "; ".join(r.errors))
        raise UnknownPlaceError(query, r.suggestions)


class FallbackChain:
    """The whole chain behind geopy's interface (no context: the zone prior decides)."""

    def __init__(self, resolver: Resolver | None = None) -> None:
        self.resolver = resolver or Resolver()

    def geocode(self, query: str, *, exactly_one: bool = True) -> Location | list[Location] | None:
        r = self.resolver.resolve(query)
        if r.status == "unavailable":
            raise GeocoderUnavailable("the fallback chain", "; ".join(r.errors))
        if r.best is None:
            return None
        matches = [r.best, *r.alternatives]
        locations = [to_location(Candidate(place=m.place, match="exact")) for m in matches]
        return locations[0] if exactly_one else locations


_default: Resolver | None = None


def resolve(query: str, context: str | None = None, *, settings: Settings | None = None) -> Resolution:
    """Resolve one place name with the default settings (``GEO_*`` variables).

    >>> resolve("Gowhar kuh").best.place.name
    'Gohar Kuh'
    """
    global _default
    if settings is not None:
        return Resolver(settings).resolve(query, context)
    if _default is None:
        _default = Resolver()
    return _default.resolve(query, context)
