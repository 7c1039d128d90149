from __future__ import annotations

import pytest

from geo.names import compact_key, fold, loose_key, split_designator


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Gohar Kuh", "Goharkuh"),
        ("Gowhar-kuh", "gowhar kuh"),
        ("Sīb and Sūrān", "Sib and Suran"),
        ("Qasr-e Qand", "Qasr e-Qand"),
    ],
)
def test_compact_key_folds_case_diacritics_and_separators(a: str, b: str) -> None:
    assert compact_key(a) == compact_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Gowhar Kuh", "Gohar Koh"),
        ("Saravan", "Sarawan"),
        ("Nushki", "Noshki"),
        ("Mashkel", "Mashkail"),
        ("Jakigur", "Jakigour"),
    ],
)
def test_loose_key_merges_transliterations(a: str, b: str) -> None:
    assert compact_key(a) != compact_key(b)
    assert loose_key(a) == loose_key(b)


@pytest.mark.parametrize(
    ("a", "b"), [("Rask", "Mask"), ("Pishin", "Pasni"), ("Chabahar", "Chahbahar"), ("Zahedan", "Zabol")]
)
def test_loose_key_keeps_different_names_apart(a: str, b: str) -> None:
    assert loose_key(a) != loose_key(b)


def test_fold_drops_apostrophes_and_keeps_words() -> None:
    assert fold("Jaish al-‘Adl’s  base") == "jaish al adls base"


@pytest.mark.parametrize(
    ("text", "name", "kinds"),
    [
        ("Khash County", "Khash", {"county"}),
        ("the town of Rask", "Rask", {"city", "town", "village"}),
        ("Chagai district", "Chagai", {"district", "subdistrict", "county"}),
        ("Taftan border crossing", "Taftan", {"border_crossing"}),
        ("Gohar Kuh", "Gohar Kuh", None),
    ],
)
def test_split_designator(text: str, name: str, kinds: set[str] | None) -> None:
    got_name, got_kinds, _word = split_designator(text)
    assert got_name == name
    assert (set(got_kinds) if got_kinds else None) == kinds
