"""Errors raised by geo.

Every error derives from :class:`GeoError`, and each also inherits the builtin
exception it is a kind of, so callers can catch either ``GeoError`` or the
builtin (``except ValueError`` keeps working).  The CLI translates ``GeoError``
into a message and exit code 1 in exactly one place.
"""

from __future__ import annotations


class GeoError(Exception):
    """Root of every error geo raises on purpose."""


class DataError(GeoError, ValueError):
    """A data file holds a bad value.

    ``path`` and ``line`` say where; the message names the value.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.detail = message
        where = path if path is not None else ""
        if line is not None:
            where = f"{where}:{line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)


class GazetteerError(DataError):
    """A gazetteer row is malformed (missing field, bad coordinate, duplicate id...)."""


class RecordError(DataError):
    """An incident record (or article metadata) is malformed; ``path`` and ``line`` say where."""


class UnknownPlaceError(GeoError, LookupError):
    """No backend knows the name. ``suggestions`` holds close names, best first."""

    def __init__(self, query: str, suggestions: tuple[str, ...] = ()) -> None:
        self.query = query
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown place {query!r}.{hint}")


class GeocoderUnavailable(GeoError, ConnectionError):
    """A geocoding service could not be asked (timeout, HTTP 429/5xx, bad answer).

    This is never "no such place": the name may well exist.
    """

    def __init__(self, service: str, reason: str) -> None:
        self.service = service
        self.reason = reason
        super().__init__(f"could not ask {service}: {reason}")


class ConfigError(GeoError, ValueError):
    """A setting (flag or GEO_* environment variable) has a bad value."""
