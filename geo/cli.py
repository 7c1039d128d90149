"""The ``geo`` command: a thin shell over the library.

Exit codes: 0 success; 1 bad input or an answer that is not there (unknown
place, unreadable file, service unavailable), with a message naming the value
and where it came from; 2 a usage error.  Errors are translated here, once.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

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


class ResolveFormat(str, Enum):
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
