"""Settings: a command-line flag beats a ``GEO_*`` environment variable, which beats the default.

==========================  ===================================================
variable                    meaning (default)
==========================  ===================================================
``GEO_GAZETTEER``           extra gazetteer folders or CSV files, ``:``-separated,
                            loaded after the bundled one (none)
``GEO_CACHE_DIR``           where the GeoNames index and the online cache live
                            (the user cache folder, e.g. ``~/.cache/geo``)
``GEO_ONLINE``              ``1`` to ask the online geocoder by default (``0``)
``GEO_GEOCODER``            any geopy service name: ``nominatim``, ``photon``,
                            ``arcgis``... (``nominatim``)
``GEO_GEOCODER_DOMAIN``     the service's host[:port] (the service's own)
``GEO_GEOCODER_SCHEME``     ``https`` or ``http`` (``https``)
``GEO_GEOCODER_OPTIONS``    JSON object of extra constructor arguments, e.g.
                            ``{"api_key": "..."}`` (``{}``)
``GEO_USER_AGENT``          identifies us to the service (``geo-border-mapper/<version>``)
``GEO_MIN_DELAY``           seconds between two requests to the service (``1.0``)
``GEO_TIMEOUT``             seconds to wait for one answer (``10``)
``GEO_DB``                  the incident store, a SQLite file (the user data
                            folder, e.g. ``~/.local/share/geo/geo.sqlite``)
==========================  ===================================================
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from geo import __version__
from geo.errors import ConfigError

DEFAULT_USER_AGENT = f"geo-border-mapper/{__version__} (Iran-Pakistan border incident mapper)"


def _float(env: Mapping[str, str], name: str, default: float, *, minimum: float) -> float:
    text = env.get(name)
    if text is None or text == "":
        return default
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"{name}={text!r} is not a number") from None
    if not value >= minimum:
        raise ConfigError(f"{name}={text!r} must be at least {minimum:g}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    text = env.get(name)
    if text is None or text == "":
        return default
    low = text.strip().lower()
    if low in ("1", "true", "yes", "on"):
        return True
    if low in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}={text!r} is not a yes/no value (use 1 or 0)")


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("geo", appauthor=False))


@dataclass(frozen=True)
class Settings:
    """Everything configurable, in one frozen object."""

    gazetteer_extra: tuple[Path, ...] = ()
    cache_dir: Path | None = None
    online: bool = False
    geocoder: str = "nominatim"
    geocoder_domain: str | None = None
    geocoder_scheme: str = "https"
    geocoder_options: Mapping[str, Any] = field(default_factory=dict)
    user_agent: str = DEFAULT_USER_AGENT
    min_delay_s: float = 1.0
    timeout_s: float = 10.0
    db: Path | None = None

    @property
    def db_path(self) -> Path:
        from geo.store import default_path

        return self.db if self.db is not None else default_path()

    @property
    def cache_path(self) -> Path:
        return self.cache_dir if self.cache_dir is not None else default_cache_dir()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read ``GEO_*`` variables, then apply ``overrides`` (CLI flags; ``None`` means not given)."""
        env = os.environ if env is None else env
        options_text = env.get("GEO_GEOCODER_OPTIONS", "")
        try:
            options = json.loads(options_text) if options_text else {}
        except json.JSONDecodeError as exc:
            raise ConfigError(f"GEO_GEOCODER_OPTIONS is not valid JSON: {exc}") from None
        if not isinstance(options, dict):
            raise ConfigError("GEO_GEOCODER_OPTIONS must be a JSON object")
        scheme = env.get("GEO_GEOCODER_SCHEME") or "https"
        if scheme not in ("http", "https"):
            raise ConfigError(f"GEO_GEOCODER_SCHEME={scheme!r} must be http or https")
        extra = tuple(Path(p) for p in env.get("GEO_GAZETTEER", "").split(os.pathsep) if p)
        settings = cls(
            gazetteer_extra=extra,
            cache_dir=Path(env["GEO_CACHE_DIR"]) if env.get("GEO_CACHE_DIR") else None,
            online=_bool(env, "GEO_ONLINE", False),
            geocoder=(env.get("GEO_GEOCODER") or "nominatim").strip().lower(),
            geocoder_domain=env.get("GEO_GEOCODER_DOMAIN") or None,
            geocoder_scheme=scheme,
            geocoder_options=options,
            user_agent=env.get("GEO_USER_AGENT") or DEFAULT_USER_AGENT,
            min_delay_s=_float(env, "GEO_MIN_DELAY", 1.0, minimum=0.0),
            timeout_s=_float(env, "GEO_TIMEOUT", 10.0, minimum=0.1),
            db=Path(env["GEO_DB"]) if env.get("GEO_DB") else None,
        )
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **given) if given else settings
