"""The ``geo`` command: a thin shell over the library.

Exit codes: 0 success; 1 bad input or an answer that is not there (unknown
place, unreadable file, service unavailable), with a message naming the value
and where it came from; 2 a usage error.  Errors are translated here, once.
"""

from __future__ import annotations

import csv
import gc
import json
import math
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn

import typer
from typer.core import TyperGroup

from geo import __version__
from geo.errors import GeoError

if TYPE_CHECKING:
    from geo.models import Resolution


class _GeoGroup(TyperGroup):
    """Translates GeoError into a message on stderr and exit code 1, in one place."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except GeoError as exc:
            _fail(str(exc))


app = typer.Typer(
    cls=_GeoGroup,
    name="geo",
    help=(
        "Map militant violence and cross-border strikes in the Iran–Pakistan border zone "
        "(Sistan and Baluchestan, Balochistan).\n\n"
        "Place names resolve through a curated gazetteer, then offline GeoNames, then (with "
        "--online) an online geocoder. Settings come from flags, then GEO_* environment "
        "variables (see the README)."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
gazetteer_app = typer.Typer(
    cls=_GeoGroup, help="Check and inspect the curated gazetteer.", no_args_is_help=True
)
app.add_typer(gazetteer_app, name="gazetteer")


class ResolveFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"geo: {message}", err=True)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"geo {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """geo: incidents of the Iran–Pakistan border zone, on a map you can trust."""


def _names(names: list[str]) -> Iterator[str]:
    for n in names:
        if n == "-":
            for line in sys.stdin:
                line = line.strip()
                if line:
                    yield line
        elif n.strip():
            yield n


@app.command()
def resolve(
    names: Annotated[
        list[str],
        typer.Argument(
            help="Place names as a report writes them; '-' reads names from standard input, one per line."
        ),
    ],
    context: Annotated[
        str | None,
        typer.Option(
            "--context",
            "-c",
            help="Text around the name (a sentence, 'Chagai district, Balochistan') used to choose among places of the same name.",
        ),
    ] = None,
    online: Annotated[
        bool | None,
        typer.Option(
            "--online/--offline",
            help="Also ask the online geocoder when the offline steps do not know a name (default: GEO_ONLINE, else off).",
        ),
    ] = None,
    fmt: Annotated[
        ResolveFormat,
        typer.Option(
            "--format", "-f", help="table for people; json (one object per line) or csv for scripts."
        ),
    ] = ResolveFormat.table,
) -> None:
    """Resolve place names to coordinates, saying how precise and how sure each answer is.

    Every answer names its source (gazetteer, geonames, or the online geocoder),
    its location precision (UCDP GED where_prec: 1 exact place ... 3 county/district,
    4 province, 6 country), a confidence, the reason it won, and the other places
    of the same name.

    Examples:

      geo resolve "Gowhar kuh" --format json

      geo resolve Taftan --context "a border town in Chagai district, Balochistan"

      cut -d, -f3 incidents.csv | geo resolve - --format csv > places.csv

    Exit code 1 if any name is unknown (with "did you mean" suggestions) or could not
    be looked up because a service was down; the other names are still answered.
    """
    from geo.config import Settings
    from geo.resolver import Resolver

    resolver = Resolver(Settings.from_env(online=online))
    results = (resolver.resolve(n, context) for n in _names(names))
    failed = _emit(results, fmt)
    if failed:
        raise typer.Exit(1)


def _emit(results: Iterator[Resolution], fmt: ResolveFormat) -> int:
    failed = 0
    rows: list[Resolution] = []
    writer = None
    if fmt is ResolveFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
    for r in results:
        if r.status != "resolved":
            failed += 1
            _report_failure(r)
        if fmt is ResolveFormat.json:
            typer.echo(json.dumps(r.to_dict(), ensure_ascii=False))
            sys.stdout.flush()
        elif writer is not None:
            writer.writerow(_csv_row(r))
            sys.stdout.flush()
        else:
            rows.append(r)
    if fmt is ResolveFormat.table and rows:
        _print_table(rows)
    return failed


def _report_failure(r: Resolution) -> None:
    if r.status == "unavailable":
        typer.echo(
            f"geo: could not resolve {r.query!r}: {'; '.join(r.errors)} "
            "(the name may exist; try again later)",
            err=True,
        )
    else:
        hint = f"; did you mean: {', '.join(r.suggestions)}?" if r.suggestions else ""
        typer.echo(f"geo: unknown place {r.query!r}{hint}", err=True)


CSV_COLUMNS = (
    "query", "status", "name", "lat", "lon", "country", "admin1", "admin2", "kind",
    "location_precision", "source", "source_ref", "confidence", "ambiguous", "alternatives",
    "reason", "suggestions",
)  # fmt: skip


def _csv_row(r: Resolution) -> list[object]:
    d = r.to_dict()
    alts = "; ".join(f"{a['name']} ({a['kind']}, {a['country']})" for a in d["alternatives"])
    d["alternatives"] = alts
    d["suggestions"] = "; ".join(d["suggestions"])
    return ["" if d.get(c) is None else d[c] for c in CSV_COLUMNS]


def _print_table(rows: list[Resolution]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for col, justify in (
        ("query", "left"), ("place", "left"), ("kind", "left"), ("lat", "right"), ("lon", "right"),
        ("prec", "right"), ("source", "left"), ("conf", "right"),
    ):  # fmt: skip
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    notes: list[str] = []
    for r in rows:
        if r.best is None:
            table.add_row(r.query, r.status.replace("_", " "), "", "", "", "", "", "")
            continue
        p = r.best.place
        where = ", ".join(
            x for x in (p.name, p.admin2 if p.admin2 != p.name else None, p.admin1, p.country) if x
        )
        flag = " (ambiguous)" if r.ambiguous else ""
        table.add_row(
            r.query, where + flag, p.kind.replace("_", " "), f"{p.lat:.5f}", f"{p.lon:.5f}",
            str(p.location_precision), p.source_ref or p.source, f"{r.best.confidence:.2f}",
        )  # fmt: skip
        notes.append(f"{r.query}: {r.best.reason}")
    # Piped into a file or a pager, the table keeps its lines whole instead of 80 columns.
    console = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)
    console.print(table)
    for n in notes:
        console.print(n, markup=False, highlight=False, soft_wrap=True)


# -- incidents: the shared options -----------------------------------------------------------

DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="The incident store (SQLite) to read or write; default GEO_DB, else the user data folder.",
    ),
]
RecordsOpt = Annotated[
    Path | None,
    typer.Option(
        "--records", help="A records file (JSON Lines, see README) instead of the bundled seed records."
    ),
]
SinceOpt = Annotated[
    str | None,
    typer.Option("--since", help="Only incidents on or after this date (YYYY-MM-DD, YYYY-MM or YYYY)."),
]
UntilOpt = Annotated[
    str | None,
    typer.Option("--until", help="Only incidents on or before this date (YYYY-MM-DD, YYYY-MM or YYYY)."),
]
TypeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--type",
        help="Only this event type (repeatable): armed_clash, attack, abduction, air_drone_strike, missile_attack, suicide_bomb, remote_explosive, grenade.",
    ),
]
ActorOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--actor",
        help="Only incidents whose perpetrator's name contains this text (repeatable; case and accents ignored).",
    ),
]
CountryOpt = Annotated[
    list[str] | None,
    typer.Option("--country", help="Only incidents in this country: IR, PK, AF or the name (repeatable)."),
]


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class NearFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    geojson = "geojson"


class ExportFormatOpt(StrEnum):
    geojson = "geojson"
    csv = "csv"
    gpkg = "gpkg"


def _selection(
    records: Path | None,
    db: Path | None,
    since: str | None,
    until: str | None,
    types: list[str] | None,
    actors: list[str] | None,
    countries: list[str] | None,
) -> tuple[Any, str]:
    """The filtered incidents and a sentence saying what they are."""
    from geo import api
    from geo.config import Settings

    store = Settings.from_env(db=db).db_path
    if records is not None:
        gdf = api.load_incidents(records)
        origin = str(records)
    elif api.store_has_incidents(store):
        gdf = api.load_incidents(db=store)
        origin = f"the store {store}"
    else:
        if db is not None:
            raise GeoError(f"no incidents in the store {db} (run geo ingest --db {db} first)")
        gdf = api.load_incidents()
        origin = "the bundled seed records"
        _note(f"No store yet at {store}: using the bundled seed records (build a store with geo ingest).")
    total = len(gdf)
    gdf = api.filter_incidents(
        gdf, since=since, until=until, types=types or (), actors=actors or (), countries=countries or ()
    )
    filters = [
        f"{name} {value}"
        for name, value in (
            ("since", since), ("until", until), ("type", ", ".join(types or [])),
            ("actor", ", ".join(actors or [])), ("country", ", ".join(countries or [])),
        )
        if value
    ]  # fmt: skip
    text = f"{len(gdf)} of {total} incidents from {origin}" + (f" ({'; '.join(filters)})" if filters else "")
    return gdf, text


def _note(text: str) -> None:
    typer.echo(text, err=True)


def _incident_rows(gdf: Any, *, near: bool = False) -> list[list[str]]:
    rows = []
    for r in gdf.itertuples(index=False):
        deaths = (
            "" if r.fatalities_best is None or str(r.fatalities_best) == "<NA>" else str(r.fatalities_best)
        )
        place = r.place_name or f"({r.place_text}: not located)"
        prec = "" if str(r.location_precision) == "<NA>" else str(r.location_precision)
        row = [
            r.id,
            r.date or "",
            r.event_type,
            place,
            r.country or "",
            prec,
            r.perpetrator or "",
            deaths,
            str(r.n_sources),
        ]
        if near:
            row.insert(0, f"{r.distance_km:.1f}")
        rows.append(row)
    return rows


def _print_incidents(gdf: Any, title: str, *, near: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 180)
    table = Table(title=title, title_justify="left")
    head = ["id", "date", "type", "place", "cc", "prec", "perpetrator", "deaths", "src"]
    if near:
        head.insert(0, "km")
    for h in head:
        table.add_column(h, justify="right" if h in ("km", "prec", "deaths", "src") else "left")
    for row in _incident_rows(gdf, near=near):
        table.add_row(*row)
    console.print(table)


def _write_lines(gdf: Any, fmt: str, *, keep_order: bool = False) -> None:
    from geo import export as export_mod

    if fmt == "csv":
        export_mod.write_csv(gdf, sys.stdout, keep_order=keep_order)
    elif fmt == "geojson":
        export_mod.write_geojson(gdf, sys.stdout, keep_order=keep_order)
    else:
        for props, point in export_mod.records_of(gdf, keep_order=keep_order):
            props["lat"], props["lon"] = (point[1], point[0]) if point else (None, None)
            typer.echo(json.dumps(props, ensure_ascii=False))


@app.command()
def incidents(
    fmt: Annotated[
        TableFormat,
        typer.Option(
            "--format", "-f", help="table for people; json (one object per line) or csv for scripts."
        ),
    ] = TableFormat.table,
    records: RecordsOpt = None,
    db: DbOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    type_: TypeOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
) -> None:
    """List the incidents with their resolved places, precision, perpetrator and fatalities.

    Each incident is a curated record joined to its place in the gazetteer. JSON and CSV
    carry every field, the sources with their verbatim sentences included.

    Examples:

      geo incidents

      geo incidents --country IR --since 2024-01 --format json
    """
    gdf, text = _selection(records, db, since, until, type_, actor, country)
    if fmt is TableFormat.table:
        _print_incidents(gdf, text)
    else:
        _note(text)
        _write_lines(gdf, fmt.value)


@app.command("map")
def map_(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the HTML map.")] = Path(
        "maps/incidents.html"
    ),
    records: RecordsOpt = None,
    db: DbOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    type_: TypeOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
) -> None:
    """Draw the incidents on an HTML map of the border zone (default maps/incidents.html).

    One marker per incident, coloured by event type and sized by fatalities; a place known
    only to a county, district or province is drawn as a dashed circle of its uncertainty,
    a border region as a band along the border, and an incident known only to a country is
    listed in the panel, not pinned. Popups give the date, place (as written and as
    resolved), precision, perpetrator, fatalities and the quoted source sentences.

    Examples:

      geo map

      geo map -o rask-2024.html --since 2024 --until 2024
    """
    from geo import api

    gdf, text = _selection(records, db, since, until, type_, actor, country)
    api.write_map(gdf, output, subtitle=text)
    typer.echo(f"Wrote {output} ({text}).")


@app.command()
def near(
    where: Annotated[
        str,
        typer.Argument(
            metavar="PLACE|LAT,LON",
            help="A place name (resolved through the gazetteer chain) or a point such as 26.237,61.399.",
        ),
    ],
    radius_km: Annotated[
        float,
        typer.Option(
            "--radius-km",
            "-r",
            metavar="KM",
            parser=lambda v: _km(v),
            help="Radius in km, measured on the great circle.",
        ),
    ],
    context: Annotated[
        str | None,
        typer.Option(
            "--context", "-c", help="Words that tell places of the same name apart (e.g. 'Chagai district')."
        ),
    ] = None,
    fmt: Annotated[
        NearFormat, typer.Option("--format", "-f", help="table, json (one object per line), csv or geojson.")
    ] = NearFormat.table,
    map_path: Annotated[
        Path | None,
        typer.Option(
            "--map",
            help="Also draw the query on an HTML map: the centre, the radius circle and the incidents found.",
        ),
    ] = None,
    records: RecordsOpt = None,
    db: DbOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    type_: TypeOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
) -> None:
    """List the incidents within a radius of a place or a point, nearest first, with distance_km.

    Distances are great-circle (haversine, R = 6371.0088 km). An ambiguous place name is
    refused with its candidates: give --context or LAT,LON.

    Incidents located more coarsely than the radius (a county, province or border region
    whose uncertainty is larger than R, or only a country) are kept when their area of
    uncertainty reaches the circle and are LISTED APART: after the precise ones in the
    table, and with "coarse": true in json, csv and geojson. Unlocated incidents are never
    listed.

    Examples:

      geo near Rask --radius-km 50

      geo near 26.237,61.399 -r 25 --format geojson > near-rask.geojson

      geo near Rask -r 50 --map maps/near-rask.html
    """
    from geo import api

    centre = api.centre_of(where, context)
    gdf, text = _selection(records, db, since, until, type_, actor, country)
    found = api.incidents_near(gdf, centre.lat, centre.lon, radius_km)
    summary = f"{len(found)} incidents within {radius_km:g} km of {centre.label} ({text})"
    if map_path is not None:
        query = {"lat": centre.lat, "lon": centre.lon, "radius_km": radius_km, "label": centre.label}
        api.write_map(found, map_path, subtitle=summary, query=query)
        _note(f"Wrote {map_path}.")
    if fmt is NearFormat.table:
        precise = found[~found["coarse"]]
        coarse = found[found["coarse"]]
        _print_incidents(precise, summary, near=True)
        if len(coarse):
            _print_incidents(coarse, "Located more coarsely than the radius (may lie within it):", near=True)
    else:
        _note(summary)
        _write_lines(found, fmt.value, keep_order=True)  # nearest first, precise before coarse


@app.command()
def export(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (atomically); geojson and csv go to standard output without it.",
        ),
    ] = None,
    fmt: Annotated[
        ExportFormatOpt | None,
        typer.Option(
            "--format",
            "-f",
            help="geojson (RFC 7946), csv or gpkg (GeoPackage). Default: from -o's suffix, else geojson.",
        ),
    ] = None,
    records: RecordsOpt = None,
    db: DbOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    type_: TypeOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
) -> None:
    """Export the incidents as GeoJSON, CSV or GeoPackage (for QGIS, a newsroom map, a script).

    GeoJSON follows RFC 7946: [lon, lat] in WGS 84, no crs member, one Feature per incident
    with every field and its sources as properties. Unlocated incidents are kept with a
    null geometry. Output is sorted by id and byte-for-byte the same for the same input.

    Examples:

      geo export > incidents.geojson

      geo export -o incidents.gpkg
    """
    from geo import api

    chosen = fmt.value if fmt else _format_from_suffix(output)
    gdf, text = _selection(records, db, since, until, type_, actor, country)
    n = api.export_incidents(gdf, chosen, output, stdout=sys.stdout)
    _note(f"Exported {n} incidents as {chosen}" + (f" to {output}" if output else "") + f" ({text}).")


def _km(value: str) -> float:
    try:
        km = float(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a number of kilometres") from None
    if not math.isfinite(km):
        raise typer.BadParameter(f"{value!r} is not a finite number of kilometres")
    return km


def _format_from_suffix(output: Path | None) -> Literal["geojson", "csv", "gpkg"]:
    suffix = output.suffix.lower() if output else ""
    if suffix == ".csv":
        return "csv"
    if suffix == ".gpkg":
        return "gpkg"
    return "geojson"


@app.command()
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Article files (plain text or HTML), folders (read recursively) or glob patterns such as 'news/*.html'."
        ),
    ],
    db: DbOpt = None,
    fmt: Annotated[
        TableFormat,
        typer.Option("--format", "-f", help="table: a summary for people; json: the summary as one object."),
    ] = TableFormat.table,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress", help="Show a progress bar (default: when the terminal shows it)."
        ),
    ] = None,
) -> None:
    """Read news reports and store the incidents they report, each fact tied to its sentence.

    Each article is read (sentences, places, dates, counts, actors), its incidents are
    merged with those already stored when they are the same event (compatible date,
    the same or a nearby place, the same kind of event and perpetrator), and each
    article is stored whole or not at all. The store commits every 32 articles or every
    second: a crash loses at most those, leaves the store consistent, and running the
    same command again picks up where it stopped. An article already stored (same
    text) changes nothing. A folder may hold an
    articles.jsonl giving each article's title, publisher, date and URL.

    Files that are empty, binary, not UTF-8, larger than 5 MB or without text are
    refused, each with its reason; the others are still read. Exit code 1 when any
    file was refused.

    Examples:

      geo ingest seeds/

      geo ingest 'reports/**/*.html' --db my-store.sqlite
    """
    from geo import ingest as ingest_mod
    from geo.config import Settings
    from geo.extract import Extractor
    from geo.store import Store

    settings = Settings.from_env(db=db)
    files, refused = ingest_mod.discover(paths)
    meta = ingest_mod.metadata_for(files)
    extractor = Extractor()
    summary: dict[str, Any] = {
        "store": str(settings.db_path), "files": len(files) + len(refused), **ingest_mod.new_counts(),
        "refused": [{"path": str(r.path), "reason": r.reason} for r in refused],
    }  # fmt: skip
    show = sys.stderr.isatty() if progress is None else progress
    gc.freeze()  # the extractor's tables live as long as the run: the collector need not scan them again
    with Store(settings.db_path) as store, _progress(len(files), show) as advance:
        ingest_mod.store_files(store, files, meta, extractor, summary, advance)
        articles, incidents_total = store.count()
    summary["store_articles"], summary["store_incidents"] = articles, incidents_total
    if fmt is TableFormat.json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
    else:
        _print_ingest_summary(summary)
    if summary["refused"]:
        raise typer.Exit(1)


def _print_ingest_summary(s: dict[str, Any]) -> None:
    typer.echo(
        f"Read {s['files']} files: {s['articles_new']} new articles, {s['articles_already_stored']} already stored, "
        f"{len(s['refused'])} refused."
    )
    typer.echo(
        f"Incidents: {s['incidents_new']} new, {s['incidents_merged']} reports merged into known incidents."
    )
    typer.echo(
        f"The store {s['store']} now holds {s['store_articles']} articles and {s['store_incidents']} incidents."
    )
    if s["unresolved_places"]:
        typer.echo("Places that did not resolve (the incident is kept, unlocated):")
        for u in s["unresolved_places"]:
            typer.echo(f"  {u['place']!r} in {u['article']}")
    if s["refused"]:
        typer.echo("Refused:", err=True)
        for r in s["refused"]:
            typer.echo(f"  {r['path']}: {r['reason']}", err=True)


class _Noop:
    def __enter__(self) -> Any:
        return lambda: None

    def __exit__(self, *exc: object) -> None:
        return None


def _progress(total: int, show: bool) -> Any:
    if not show or total < 2:
        return _Noop()
    from contextlib import contextmanager

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    @contextmanager
    def bar() -> Iterator[Any]:
        with Progress(
            "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            transient=True,
        ) as p:  # fmt: skip
            task = p.add_task("Reading articles", total=total)
            yield lambda: p.advance(task)

    return bar()


@app.command()
def evaluate(
    folders: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Labelled folders: article texts, articles.jsonl and the hand-made incidents.jsonl (default: the bundled seeds)."
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Exit 1 unless every labelled incident is found, right in every field, and nothing spurious.",
        ),
    ] = False,
    fmt: Annotated[
        TableFormat, typer.Option("--format", "-f", help="table, or json (one object per folder).")
    ] = TableFormat.table,
) -> None:
    """Compare the incidents read from labelled articles with the hand-curated ones.

    The articles are read exactly as geo ingest reads them (nothing is stored). Each
    labelled incident is paired with the closest extracted one; for found pairs the place
    (within 15 km), date, fatalities (best/low/high), perpetrator and attribution, and
    event type are checked. Spurious incidents are extracted ones no label matches.

    Examples:

      geo evaluate

      geo evaluate seeds tests/data/reports --strict
    """
    from geo import io
    from geo.evaluate import evaluate as run_evaluation

    targets = folders or [io.data_path("seeds")]
    all_perfect = True
    for folder in targets:
        ev = run_evaluation(folder)
        all_perfect &= ev.perfect
        if fmt is TableFormat.json:
            typer.echo(json.dumps(_evaluation_dict(folder, ev), ensure_ascii=False))
        else:
            _print_evaluation(folder, ev)
    if strict and not all_perfect:
        raise typer.Exit(1)


def _evaluation_dict(folder: Path, ev: Any) -> dict[str, Any]:
    return {
        "folder": str(folder),
        "labelled": len(ev.pairs),
        "found": ev.found,
        "missed": ev.missed,
        "spurious": len(ev.spurious),
        "fields": {k: {"right": r, "of": n} for k, (r, n) in ev.field_scores().items()},
        "pairs": [
            {
                "label": p.gold["id"],
                "found": p.found["id"] if p.found else None,
                "checks": p.checks,
                "km": p.km,
            }
            for p in ev.pairs
        ],
        "spurious_incidents": [s["id"] for s in ev.spurious],
    }


def _print_evaluation(folder: Path, ev: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)
    table = Table(
        title=f"{folder}: {ev.found} of {len(ev.pairs)} labelled incidents found, {ev.missed} missed, {len(ev.spurious)} spurious",
        title_justify="left",
    )
    for col in ("labelled incident", "found as", "place ≤15 km", "date", "fatalities", "actor", "type"):
        table.add_column(col)
    mark = {True: "✓", False: "✗"}
    for p in ev.pairs:
        if p.found is None:
            table.add_row(p.gold["id"], "MISSED", "", "", "", "", "")
            continue
        c = p.checks
        place = mark[c["place"]] + (f" {p.km:.1f} km" if p.km is not None else "")
        table.add_row(
            p.gold["id"],
            p.found["id"],
            place,
            mark[c["date"]],
            mark[c["fatalities"]],
            mark[c["actor"]],
            mark[c["type"]],
        )
    for sp in ev.spurious:
        table.add_row("(no label)", f"SPURIOUS {sp['id']}", "", "", "", "", "")
    console.print(table)
    scores = ", ".join(f"{k} {r}/{n}" for k, (r, n) in ev.field_scores().items())
    console.print(f"Right among the found: {scores}", highlight=False)


@gazetteer_app.command("check")
def gazetteer_check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Gazetteer folders or CSV files to check (default: the bundled gazetteer)."),
    ] = None,
) -> None:
    """Validate gazetteer files and report every bad row by file and line.

    Example: geo gazetteer check my-places.csv
    """
    from collections import Counter

    from geo import gazetteer

    g = gazetteer.load(paths or None)
    kinds = Counter(e.kind for e in g.entries)
    summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(kinds.items()))
    typer.echo(f"{len(g.entries)} places OK ({summary})")


if __name__ == "__main__":
    app()
