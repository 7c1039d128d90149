"""Name normalisation shared by every backend.

News in English spells the zone's names many ways: ``Gohar Kuh``, ``Gowhar kuh``,
``Goharkuh``; ``Saravan`` and ``Sarawan``; ``Nushki`` and ``Noshki``.  Two keys
absorb most of that:

* :func:`compact_key` folds case, diacritics, apostrophes, hyphens and spaces;
  it is safe: two names with the same compact key are written the same way.
* :func:`loose_key` further merges the vowel and consonant alternations of
  Persian/Urdu transliteration (o/u, e/i, w/v, ow/o, kh/k, q/k, doubled
  letters).  It is only used when no compact key matches, and the resolver
  lowers its confidence and says so in its reason.

>>> compact_key("Gowhar-Kuh") == compact_key("gowhar kuh")
True
>>> loose_key("Gowhar Kuh") == loose_key("Gohar Koh")
True
>>> loose_key("Mashkail") == loose_key("Mashkel")
True
"""

from __future__ import annotations

import re
import unicodedata

_DROP = dict.fromkeys(map(ord, "'’‘`´ʿʾʼ\u02bb\u0640\u200c\u200d"), None)
_SPACE_LIKE = re.compile(r"[\s\-_./,()]+")

# Order matters: digraphs before the single letters they contain.
_LOOSE_RULES: tuple[tuple[str, str], ...] = (
    ("ow", "o"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ai", "e"),
    ("ay", "e"),
    ("ei", "e"),
    ("ey", "e"),
    ("aa", "a"),
    ("kh", "k"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "c"),
    ("zh", "z"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("q", "k"),
    ("w", "v"),
    ("y", "i"),
    ("o", "u"),
    ("e", "i"),
)
_DOUBLED = re.compile(r"(.)\1+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics and apostrophes, and turn separators into single spaces."""
    if text.isascii():  # the common case, without decomposing every character
        return _SPACE_LIKE.sub(" ", text.translate(_DROP).lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.translate(_DROP).casefold()
    return _SPACE_LIKE.sub(" ", stripped).strip()


def compact_key(text: str) -> str:
    """:func:`fold` without spaces: the exact-match key."""
    return fold(text).replace(" ", "")


def loose_key(text: str) -> str:
    """A transliteration-insensitive key (see the module docstring)."""
    key = compact_key(text)
    for old, new in _LOOSE_RULES:
        key = key.replace(old, new)
    return _DOUBLED.sub(r"\1", key)


# Words that say what kind of place a name stands for: "Khash County", "the town of Rask".
_KIND_WORDS: dict[str, frozenset[str]] = {
    "county": frozenset({"county"}),
    "shahrestan": frozenset({"county"}),
    "district": frozenset({"district", "subdistrict", "county"}),
    "bakhsh": frozenset({"subdistrict"}),
    "tehsil": frozenset({"subdistrict"}),
    "subdistrict": frozenset({"subdistrict"}),
    "province": frozenset({"province"}),
    "city": frozenset({"city", "town"}),
    "town": frozenset({"city", "town", "village"}),
    "village": frozenset({"village", "town"}),
    "port": frozenset({"city", "town"}),
    "region": frozenset({"area", "subdistrict", "county", "district"}),
    "area": frozenset({"area", "subdistrict", "county", "district"}),
    "border crossing": frozenset({"border_crossing"}),
    "crossing": frozenset({"border_crossing"}),
    "border point": frozenset({"border_crossing"}),
}
_PREFIX = re.compile(
    r"^(?:the\s+)?(?P<kind>county|district|city|town|village|port|province|region|area|"
    r"bakhsh|tehsil|shahrestan)\s+of\s+(?P<name>.+)$",
    re.IGNORECASE,
)
_SUFFIX = re.compile(
    r"^(?:the\s+)?(?P<name>.+?)\s+(?P<kind>border\s+crossing|border\s+point|crossing|county|district|"
    r"subdistrict|city|town|village|port|province|region|area|bakhsh|tehsil|shahrestan)$",
    re.IGNORECASE,
)


def split_designator(text: str) -> tuple[str, frozenset[str] | None, str | None]:
    """Split ``"Khash County"`` into the name, the kinds it allows, and the word.

    >>> split_designator("Khash County")[0], sorted(split_designator("Khash County")[1] or ())
    ('Khash', ['county'])
    >>> split_designator("the town of Rask")[0]
    'Rask'
    >>> split_designator("Rask")
    ('Rask', None, None)
    """
    cleaned = " ".join(text.split())
    for pattern in (_SUFFIX, _PREFIX):
        m = pattern.match(cleaned)
        if m:
            word = " ".join(m.group("kind").lower().split())
            return m.group("name").strip(), _KIND_WORDS[word], word
    return cleaned, None, None
