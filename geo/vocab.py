"""Closed vocabularies: event types (aligned with ACLED) and how an actor is tied to an event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class EventType:
    slug: str
    label: str
    acled_event_type: str
    acled_sub_event_type: str
    colour: str


#: Our event types, each mapped to ACLED's event type and sub-event type.  Militant
#: attacks on police, border guards or soldiers are ACLED "Battles / Armed clash"
#: (two armed sides); attacks on people who are not armed are "Violence against civilians".
EVENT_TYPES: dict[str, EventType] = {
    e.slug: e
    for e in (
        EventType(
            "armed_clash", "Armed clash / attack on security forces", "Battles", "Armed clash", "#d62728"
        ),
        EventType("attack", "Attack on civilians", "Violence against civilians", "Attack", "#9467bd"),
        EventType(
            "abduction",
            "Abduction",
            "Violence against civilians",
            "Abduction/forced disappearance",
            "#8c564b",
        ),
        EventType(
            "air_drone_strike",
            "Air or drone strike",
            "Explosions/Remote violence",
            "Air/drone strike",
            "#1f77b4",
        ),
        EventType(
            "missile_attack",
            "Missile or shelling attack",
            "Explosions/Remote violence",
            "Shelling/artillery/missile attack",
            "#17becf",
        ),
        EventType("suicide_bomb", "Suicide bombing", "Explosions/Remote violence", "Suicide bomb", "#ff7f0e"),
        EventType(
            "remote_explosive",
            "Bombing (IED, landmine)",
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
            "#e377c2",
        ),
        EventType("grenade", "Grenade attack", "Explosions/Remote violence", "Grenade", "#bcbd22"),
    )
}

Attribution = Literal["claimed", "blamed", "attributed"]
#: claimed: the actor said it did it; blamed: others (a government, state media) said the
#: actor did it; attributed: the report states it as fact without saying who says so.
ATTRIBUTIONS: tuple[str, ...] = ("claimed", "blamed", "attributed")

DatePrecision = Literal["day", "month", "year"]
DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year")

#: Radius (km) within which the true location lies, by location precision (UCDP where_prec).
#: 1 is a town's own extent; 3 is a typical county or district of the zone (their areas run
#: from ~2,000 to ~50,000 km²); 5 is a strip along a border; 6 (country) has no useful radius.
UNCERTAINTY_KM: dict[int, float | None] = {1: 5.0, 2: 25.0, 3: 60.0, 4: 350.0, 5: 150.0, 6: None, 7: None}
