"""geo: a geospatial incident mapper for the Iran–Pakistan border zone.

The library is the product; the ``geo`` command is a thin shell over it::

    >>> import geo
    >>> r = geo.resolve("Gowhar kuh")
    >>> r.best.place.name, r.best.place.location_precision
    ('Gohar Kuh', 3)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from geo.resolver import Resolver, resolve

__all__ = ["Resolver", "__version__", "resolve"]


def __getattr__(name: str) -> Any:
    # The module is called resolver (not resolve) so that it never shadows the
    # function geo.resolve.  Imported lazily so that `import geo` (and the CLI's
    # start-up) stays cheap.
    if name in ("resolve", "Resolver"):
        from geo import resolver as _resolver_module

        return getattr(_resolver_module, name)
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
