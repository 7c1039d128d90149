"""Every read and write of files.  Writes are atomic: a temporary file in the
same folder, flushed and fsynced, then renamed over the target."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from geo.errors import DataError

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_path(name: str) -> Path:
    """A bundled data folder (``gazetteer``, ``seeds``).

    In an installed wheel the folders live in ``geo/_data/``; in a source
    checkout (editable install, tests) they are the top-level folders.
    """
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, naming the file in any error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError("file not found", path=str(path)) from None
    except IsADirectoryError:
        raise DataError("is a folder, not a file", path=str(path)) from None
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path=str(path),
            line=line,
        ) from None


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
