"""The curated actor list (``gazetteer/actors/actors.csv``): armed groups and state forces of the zone.

Each row has a stable id, the canonical name, the spellings news uses
(Jaish al-Adl / Jaish ul-Adl / Jaysh al-Adl ...), its kind, the country it is based
in, and the public page that documents it.  Loading validates every row and
reports a bad one by file and line.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from geo import io
from geo.errors import DataError, GazetteerError

COLUMNS = ("id", "name", "variants", "kind", "based_in", "source", "note")
KINDS = ("militant_group", "state_forces")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    variants: tuple[str, ...]
    kind: str
    based_in: str | None
    source: str
    note: str | None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.variants)

    @property
    def is_state(self) -> bool:
        return self.kind == "state_forces"


def read(path: Path) -> list[Actor]:
    try:
        text = io.read_text(path)
    except DataError as exc:
        raise GazetteerError(exc.detail, path=exc.path, line=exc.line) from None
    reader = csv.DictReader(text.splitlines(keepends=True), strict=True)
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise GazetteerError(f"header must be {','.join(COLUMNS)}", path=str(path), line=1)
    actors: list[Actor] = []
    seen: set[str] = set()
    for raw in reader:
        line = reader.line_num

        def bad(msg: str) -> GazetteerError:
            return GazetteerError(msg, path=str(path), line=line)  # noqa: B023

        if None in raw or any(raw.get(c) is None for c in COLUMNS):
            raise bad(f"expected {len(COLUMNS)} fields")
        v = {k: (raw[k] or "").strip() for k in COLUMNS}
        if not _ID.match(v["id"]):
            raise bad(f"id {v['id']!r} must be lower-case words joined by '-'")
        if v["id"] in seen:
            raise bad(f"duplicate id {v['id']!r}")
        seen.add(v["id"])
        if not v["name"]:
            raise bad("name is empty")
        if v["kind"] not in KINDS:
            raise bad(f"kind {v['kind']!r} is not one of {', '.join(KINDS)}")
        if v["based_in"] and not re.fullmatch(r"[A-Z]{2}", v["based_in"]):
            raise bad(f"based_in {v['based_in']!r} must be an ISO country code")
        if not v["source"].startswith("https://"):
            raise bad(f"source {v['source']!r} must be the https:// address of the page that documents it")
        actors.append(
            Actor(
                id=v["id"],
                name=v["name"],
                variants=tuple(x.strip() for x in v["variants"].split("|") if x.strip()),
                kind=v["kind"],
                based_in=v["based_in"] or None,
                source=v["source"],
                note=v["note"] or None,
            )
        )
    return actors


@cache
def bundled() -> tuple[Actor, ...]:
    return tuple(read(io.data_path("gazetteer") / "actors" / "actors.csv"))
