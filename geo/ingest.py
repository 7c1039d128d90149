"""Finding and reading article files: plain text and HTML, with a clear outcome for each bad file.

A folder may hold ``articles.jsonl`` (one object per article: ``id`` = the file's
name without its suffix, ``title``, ``publisher``, ``publication_date``,
``date_precision``, ``url``), as ``seeds/`` does; HTML pages describe themselves.
"""

from __future__ import annotations

import glob
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.extract import ArticleInput
from geo.records import Article, load_articles

if TYPE_CHECKING:
    from geo.extract import Extractor
    from geo.store import Store

#: Articles read and extracted before they are stored (as many as the store commits at once).
CHUNK = 32
MAX_BYTES = 5 * 1024 * 1024  # the longest news article is a few hundred kB
TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


@dataclass(frozen=True)
class Refusal:
    path: Path
    reason: str


def discover(paths: Sequence[str]) -> tuple[list[Path], list[Refusal]]:
    """Files named by paths, folders (recursively) and glob patterns, in a stable order."""
    found: dict[Path, None] = {}
    refused: list[Refusal] = []
    for raw in paths:
        p = Path(raw)
        if any(ch in raw for ch in "*?["):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                refused.append(Refusal(p, "no file matches this pattern"))
            for m in matches:
                if Path(m).is_file():
                    found.setdefault(Path(m), None)
        elif p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and _is_article_name(f):
                    found.setdefault(f, None)
        elif p.is_file():
            found.setdefault(p, None)
        else:
            refused.append(Refusal(p, "no such file or folder"))
    return list(found), refused


def _is_article_name(f: Path) -> bool:
    if f.name.startswith("."):
        return False
    return f.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES


def read(path: Path, metadata: dict[str, Article]) -> ArticleInput | Refusal:
    """One article, or why it was refused (empty, binary, not UTF-8, too large, no text)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return Refusal(path, f"cannot read: {exc.strerror or exc}")
    if size == 0:
        return Refusal(path, "empty file")
    if size > MAX_BYTES:
        return Refusal(path, f"too large for an article ({size / 1e6:.1f} MB > {MAX_BYTES / 1e6:.0f} MB)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Refusal(path, f"cannot read: {exc.strerror or exc}")
    if b"\x00" in data[:8192]:
        return Refusal(path, "binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Refusal(
            path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); convert it to UTF-8"
        )
    meta = metadata.get(path.stem)
    title = meta.title if meta else None
    publisher = meta.publisher if meta else None
    published = meta.publication_date if meta else None
    precision = meta.date_precision if meta else None
    url = meta.url if meta else None
    if path.suffix.lower() in HTML_SUFFIXES or text.lstrip()[:15].lower().startswith(
        ("<!doctype html", "<html")
    ):
        from geo.text import html_to_text

        text, page = html_to_text(text)
        title = title or page.get("title")
        publisher = publisher or page.get("publisher")
        url = url or page.get("url")
        if not published and page.get("publication_date"):
            published, precision = str(page["publication_date"])[:10], "day"
    if not text.strip():
        return Refusal(path, "no article text in it")
    return ArticleInput(
        id=path.stem,
        text=text,
        title=title,
        publisher=publisher,
        publication_date=published,
        date_precision=precision,
        url=url,
    )


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def metadata_for(files: Iterable[Path]) -> dict[Path, dict[str, Article]]:
    """``articles.jsonl`` of every folder the files are in (validated; errors name file and line)."""
    out: dict[Path, dict[str, Article]] = {}
    for f in files:
        folder = f.parent
        if folder not in out:
            out[folder] = (
                load_articles(folder, texts=False)[0] if (folder / "articles.jsonl").exists() else {}
            )
    return out


def read_all(paths: Sequence[str]) -> Iterator[ArticleInput | Refusal]:
    files, refused = discover(paths)
    yield from refused
    meta = metadata_for(files)
    for f in files:
        yield read(f, meta[f.parent])


def new_counts() -> dict[str, Any]:
    """The counts :func:`store_files` adds to, all at nothing."""
    return {"articles_new": 0, "articles_already_stored": 0, "incidents_new": 0, "incidents_merged": 0,
            "unresolved_places": [], "refused": []}  # fmt: skip


def store_files(
    store: Store,
    files: Sequence[Path],
    metadata: Mapping[Path, dict[str, Article]],
    extractor: Extractor,
    summary: dict[str, Any],
    advance: Callable[[], None] = lambda: None,
) -> None:
    """Read each file, extract its incidents and store them, in one batch (see :meth:`Store.batch`).

    Counts go into ``summary`` (the keys of :func:`new_counts`); ``advance`` is called once per file.
    """
    entries = extractor.resolver.gazetteer.by_id
    with store.batch():
        for start in range(0, len(files), CHUNK):
            # A chunk is read and extracted, then stored: each half runs with its own tables and pages
            # warm in the processor's caches (interleaving them per article costs a fifth of the time).
            arts = [(f, read(f, metadata[f.parent])) for f in files[start : start + CHUNK]]
            shas = {f: sha256(a.text) for f, a in arts if isinstance(a, ArticleInput)}
            known = store.known_texts(shas.values())
            chunk = [
                (f, a, shas[f], extractor.extract(a) if shas[f] not in known else None)
                if isinstance(a, ArticleInput)
                else (f, a, "", None)
                for f, a in arts
            ]
            for f, art, sha, records in chunk:
                advance()
                if not isinstance(art, ArticleInput):
                    summary["refused"].append({"path": str(art.path), "reason": art.reason})
                    continue
                if records is None:
                    summary["articles_already_stored"] += 1
                    continue
                result = store.ingest(art, records, entries, sha=sha, path=str(f))
                if result.status == "duplicate":  # the same text earlier in this run
                    summary["articles_already_stored"] += 1
                    continue
                summary["articles_new"] += 1
                summary["incidents_new"] += result.new_incidents
                summary["incidents_merged"] += result.merged
                summary["unresolved_places"].extend(
                    {"place": p, "article": result.article_id} for p in result.unresolved
                )
