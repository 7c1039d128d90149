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


_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_AGENCIES = {"Iranian": "the official IRNA news agency", "Pakistani": "the state-run APP news agency"}
_OFFICIALS = {"Iranian": "Interior Minister Ahmad Vahidi", "Pakistani": "Interior Minister Mohsin Naqvi"}


def realistic_report(i: int) -> tuple[str, str]:
    """A news-length report (1.7 KB on average; the real ones in tests/data average 1.9 KB) of one attack, with the
    paragraphs real reports carry around it: casualties, a claim, the background of earlier attacks
    elsewhere in the zone, reactions and typographic punctuation.  Deterministic in ``i``."""
    import random

    rng = random.Random(i)
    town, province, adj = TOWNS[i % len(TOWNS)]
    other, _p2, _a2 = TOWNS[(i + 3) % len(TOWNS)]
    month = MONTHS[(i // len(TOWNS)) % 12]
    day = 1 + (i * 7) % 27
    year = 2015 + (i // 96) % 10
    killed = 2 + i % 9
    hurt = 1 + i % 5
    group = ["Jaish al-Adl", "the Baloch Liberation Army", "Jaish ul-Adl", "the BLF"][i % 4]
    weekday = _WEEKDAYS[rng.randrange(7)]
    country = "Iran" if adj == "Iranian" else "Pakistan"
    paragraphs = [
        f"Gunmen kill {killed} {adj} soldiers in {town} attack",
        f"{town.upper()}, {country} — Gunmen attacked a security post in {town} in {province} province on "
        f"{month} {day}, {year}, killing {killed} {adj} soldiers, officials said.",
        f"Another {hurt} soldiers were injured in the attack, a police official told reporters on condition of "
        f"anonymity because he was not authorised to speak to the media. The wounded were taken to a hospital "
        f"in {town}, where two of them were said to be in a critical condition.",
        f"The attackers opened fire from {rng.choice(['two vehicles', 'a nearby hill', 'motorcycles'])} shortly "
        f"after {rng.choice(['midnight', 'dawn', 'the evening prayer'])} and fled towards the border after an "
        f"exchange of fire that lasted {rng.choice(['nearly an hour', 'about 40 minutes', 'several hours'])}.",
        f"{group} claimed responsibility for the attack in a statement posted on Telegram, saying its fighters "
        f"had targeted what it called “occupation forces”.",
        f"The province, which borders {rng.choice(['Pakistan and Afghanistan', 'Iran and Afghanistan'])}, has "
        f"long been the scene of clashes between security forces and militants, as well as drug smugglers. "
        f"In {year - 1 - rng.randrange(3)}, a similar ambush near {other} killed {3 + rng.randrange(9)} border "
        f"guards, and the authorities have since reinforced posts along the frontier.",
        f"“We heard heavy gunfire for a long time, then the sound of vehicles leaving,” said a shopkeeper in "
        f"{town} who asked not to be named.",
        f"Residents said the area’s mobile phone network was cut after the attack, and roads into {town} were "
        f"closed while security forces searched nearby villages.",
        f"{_OFFICIALS[adj]} condemned the attack on {weekday} and ordered an investigation, {_AGENCIES[adj]} "
        f"reported. “Those responsible will be brought to justice,” he said.",
        "Rights groups say the region’s residents, many of them from the Baluch minority, have long complained "
        "of discrimination and neglect by the central government, a charge officials deny.",
    ]
    return f"report-{i:05d}.txt", "\n\n".join(paragraphs) + "\n"


def write_corpus(folder: Path, n: int, start: int = 0, *, realistic: bool = False) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        name, text = realistic_report(i) if realistic else synthetic_report(i)
        p = folder / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths
