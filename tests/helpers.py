"""Builders for the tests: a folder of articles and a records file of one's own."""

from __future__ import annotations

import calendar
import json
from pathlib import Path
from typing import Any

ARTICLE_ID = "t001"
ARTICLE_TEXT = (
    "Gunmen attacked a police post in Saravan on Tuesday. "
    "Three policemen were killed, officials said. "
    "The attack was claimed by Jaish al-Adl.\n"
)


def quote(sentence: str, text: str = ARTICLE_TEXT) -> dict[str, Any]:
    start = text.index(sentence)
    return {"text": sentence, "start": start, "end": start + len(sentence)}


def record(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "t-2024-02-06-saravan",
        "date": "2024-02-06",
        "date_precision": "day",
        "place_text": "Saravan",
        "place_id": "ir-saravan",
        "event_type": "armed_clash",
        "perpetrator": "Jaish al-Adl",
        "perpetrator_attribution": "claimed",
        "target": "police post",
        "fatalities": {"best": 3, "low": 3, "high": 3},
        "attackers_killed": None,
        "injured": None,
        "sources": [
            {"article": ARTICLE_ID, "quotes": [quote("Three policemen were killed, officials said.")]}
        ],
    }
    base.update(overrides)
    return base


def write_records(
    folder: Path, records: list[dict[str, Any]] | list[str], *, title: str = "Police post attacked"
) -> Path:
    """A records file with one article beside it; strings are written as raw lines."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{ARTICLE_ID}.txt").write_text(ARTICLE_TEXT, encoding="utf-8")
    meta = {
        "id": ARTICLE_ID,
        "file": f"{ARTICLE_ID}.txt",
        "title": title,
        "publisher": "Test Wire",
        "publication_date": "2024-02-07",
        "date_precision": "day",
        "date_basis": "test",
        "url": "https://example.org/news/t001",
    }
    (folder / "articles.jsonl").write_text(json.dumps(meta, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path = folder / "incidents.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


TOWNS = [
    ("Saravan", "Sistan and Baluchestan", "Iranian"),
    ("Zahedan", "Sistan and Baluchestan", "Iranian"),
    ("Chabahar", "Sistan and Baluchestan", "Iranian"),
    ("Iranshahr", "Sistan and Baluchestan", "Iranian"),
    ("Turbat", "Balochistan", "Pakistani"),
    ("Panjgur", "Balochistan", "Pakistani"),
    ("Gwadar", "Balochistan", "Pakistani"),
    ("Quetta", "Balochistan", "Pakistani"),
]
MONTHS = list(calendar.month_name)[1:]


def synthetic_report(i: int) -> tuple[str, str]:
    """A short, realistic-looking report of one attack (deterministic in ``i``): (file name, text)."""
    town, province, adj = TOWNS[i % len(TOWNS)]
    month = MONTHS[(i // len(TOWNS)) % 12]
    day = 1 + (i * 7) % 27
    year = 2015 + (i // 96) % 10
    killed = 2 + i % 9
    group = ["Jaish al-Adl", "the Baloch Liberation Army", "Jaish ul-Adl", "the BLF"][i % 4]
    text = (
        f"Gunmen attack security post in {town}\n\n"
        f"{town}, {month} {day}, {year} - Gunmen attacked a security post in {town} in {province} province "
        f"on {month} {day}, killing {killed} {adj} soldiers, officials said.\n\n"
        f"Another {i % 4 + 1} soldiers were injured in the attack, a police official told reporters.\n\n"
        f"{group} claimed responsibility for the attack in a statement.\n\n"
        f"The foreign ministry condemned the attack and expressed condolences to the families of the victims.\n"
    )
    return f"synthetic-{i:05d}.txt", text


def write_corpus(folder: Path, n: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        name, text = synthetic_report(i)
        p = folder / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths
