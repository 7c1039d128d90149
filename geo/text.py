"""Article text: sentences with character offsets, offset-keeping folding, HTML to text.

Every span here indexes the *original* text, so that a quote can always be cut
back out of the article verbatim.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    #: 0-based position of the line in the article: headlines and bullets are told apart by it.
    line: int


_LINE_BREAK = re.compile(r"\n+")


def sentences(text: str) -> list[Sentence]:
    """Sentences (split by ``sentencex``, then at line breaks), stripped, with offsets into ``text``.

    >>> [s.text for s in sentences("Gunmen attacked a post. Two died.\\nRead more")]
    ['Gunmen attacked a post.', 'Two died.', 'Read more']
    """
    import sentencex

    out: list[Sentence] = []
    pos = 0
    for segment in sentencex.segment("en", text):
        seg_start = text.find(segment, pos) if segment else pos
        if seg_start < 0:  # the segmenter changed the text: fall back to a plain search
            seg_start = pos
        pos = seg_start + len(segment)
        for piece in _split_lines(segment, seg_start):
            out.append(piece)
    line_of = 0
    last_end = 0
    numbered: list[Sentence] = []
    for s in out:
        line_of += text.count("\n", last_end, s.start)
        last_end = s.start
        numbered.append(Sentence(s.start, s.end, s.text, line_of))
    return numbered


def _split_lines(segment: str, offset: int) -> list[Sentence]:
    if "\n" not in segment:  # most sentences: one piece, stripped
        stripped = segment.strip()
        if not stripped:
            return []
        start = offset + len(segment) - len(segment.lstrip())
        return [Sentence(start, start + len(stripped), stripped, 0)]
    pieces = []
    cursor = 0
    for m in [*_LINE_BREAK.finditer(segment), None]:
        end = m.start() if m else len(segment)
        chunk = segment[cursor:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            start = offset + cursor + lead
            pieces.append(Sentence(start, start + len(stripped), stripped, 0))
        if m:
            cursor = m.end()
    return pieces


_APOSTROPHES = frozenset("'’‘`´ʿʾʼ\u02bb")


def aligned_fold(text: str) -> tuple[str, Sequence[int]]:
    """Fold like :func:`geo.names.fold` (case, diacritics, separators) but keep a map back.

    Returns ``(folded, origin)`` where ``origin[i]`` is the index in ``text`` of
    ``folded[i]`` (a sequence of ints); runs of spaces and separators become one space.  Apostrophes are
    dropped, as in the gazetteer's keys ("Qasr-e Qand" and "Qasr e Qand" fold alike).

    >>> text = "In Gowhar-Kuh’s  hills"
    >>> f, o = aligned_fold(text)
    >>> f
    'in gowhar kuhs hills'
    >>> i = f.index("gowhar kuh")
    >>> text[o[i] : o[i + len("gowhar kuh") - 1] + 1]
    'Gowhar-Kuh'
    """
    fast = _fold_without_letters_beyond_ascii(text)
    if fast is not None:
        return fast
    parts: list[str] = []
    origin: list[int] = []
    words = list(_WORD.finditer(text))
    for k, m in enumerate(words):
        word, start = m.group(0), m.start()
        if word.isascii() and "'" not in word and "`" not in word:  # most words of English news
            parts.append(word.lower())
            origin.extend(range(start, m.end()))
        else:  # a character at a time: apostrophes vanish, other letters lose their diacritics
            for i, ch in enumerate(word, start):
                if ch in _APOSTROPHES:
                    continue
                folded = _fold_char(ch) if not ch.isascii() else ch.lower()
                parts.append(folded)
                origin.extend([i] * len(folded))
        gap_end = words[k + 1].start() if k + 1 < len(words) else len(text)
        for i in range(m.end(), gap_end):
            if text[i] not in _APOSTROPHES:  # apostrophes vanish; anything else separates
                parts.append(" ")
                origin.append(i)
                break
    return "".join(parts), origin


def _fold_without_letters_beyond_ascii(text: str) -> tuple[str, Sequence[int]] | None:
    """:func:`aligned_fold` in array operations, for text whose letters and digits are all ASCII (most
    English news: curly quotes and dashes are separators, curly apostrophes vanish); None for other text.
    """
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    beyond = codes >= 128
    beyond_at = np.flatnonzero(beyond).tolist()
    if any(text[i].isalnum() and text[i] not in _APOSTROPHES for i in beyond_at):
        return None  # a letter to strip of its diacritics, or a Persian one: a word at a time
    alnum, lower, apostrophes = _ascii_tables()
    keep = ~apostrophes[codes & 127]  # apostrophes vanish: the ASCII ones here, the others below
    for i in beyond_at:
        keep[i] = text[i] not in _APOSTROPHES
    kept = np.flatnonzero(keep)
    k = codes[kept]
    word = ~beyond[kept] & alnum[k & 127]
    emit = word.copy()
    emit[1:] |= word[:-1]  # a letter or digit, and the first separator after one: one space per run
    out = np.where(word[emit], lower[k[emit] & 127], np.uint8(32))
    # A memoryview's items are Python ints, read without copying them all into a list.
    return out.tobytes().decode("ascii"), cast(Sequence[int], memoryview(kept[emit]))


@functools.cache
def _ascii_tables() -> tuple[Any, Any, Any]:
    """Letter-or-digit, lower case and apostrophe, for each ASCII code."""
    import numpy as np

    alnum = np.array([chr(c).isalnum() for c in range(128)])
    lower = np.array([ord(chr(c).lower()) for c in range(128)], dtype=np.uint8)
    apostrophes = np.array([chr(c) in _APOSTROPHES for c in range(128)])
    return alnum, lower, apostrophes


def _fold_char(ch: str) -> str:
    """One letter or digit as the gazetteer's keys write it: no diacritics, case-folded."""
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)) or ch
    return base.casefold()


# A word: letters and digits (not apostrophes, some of which, such as U+02BC, are letters to Unicode),
# joined by apostrophes.  Folding goes a word at a time, not a character at a time.
_APOS_CLASS = "".join(sorted(_APOSTROPHES))
_WORD = re.compile(rf"[^\W_{_APOS_CLASS}]+(?:[{_APOS_CLASS}]+[^\W_{_APOS_CLASS}]+)*")


def html_to_text(html: str) -> tuple[str, dict[str, Any]]:
    """The main text of a news page and what the page says of itself (title, date, site).

    ``trafilatura`` removes navigation, adverts and comments; its metadata gives the
    title, the publication date (from the page's own markup) and the site name.
    """
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True) or ""
    meta_obj = trafilatura.extract_metadata(html)
    meta: dict[str, Any] = {}
    if meta_obj is not None:
        meta = {
            "title": meta_obj.title,
            "publication_date": meta_obj.date,
            "publisher": meta_obj.sitename,
            "url": meta_obj.url,
        }
    return text, meta
