"""Article text -> incident records, each fact tied to the sentence it came from.

The work, cheap steps first:

1. split the article into sentences (``sentencex``) and find, in one pass of a
   multi-pattern automaton over the folded text, every event word, gazetteer
   place name and actor spelling;
2. keep the sentences that report a violent event: an event word plus at least
   one fact (a place of the zone, a count, a date, a named perpetrator), leaving
   out photo captions, "read more" teasers, background ("in recent years...")
   and reactions that carry no fact of their own;
3. in those sentences only, read the facts: the event's place (not every place:
   the site of a press briefing or the country of a foreign minister is not where
   the attack happened; "in the city" refers back to the last city; "in the towns
   of Chabahar and Rask" is two sites), the date (absolute, or relative to the
   article's date: "on Thursday", "overnight"; ``dateparser`` reads the words),
   the counts (``text2num`` reads number words) of victims, attackers and
   injured, the perpetrator and whether it claimed the attack or was blamed, and
   the event type;
4. group the sentences of one article that tell the same event (compatible date,
   place, type and actor), and turn each group into a record in the format of
   the curated records, with the verbatim sentences as its sources.

Merging the records of different articles is :mod:`geo.dedup`'s job.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from geo.actors import Actor
from geo.gazetteer import Entry
from geo.geocoders.base import haversine_km
from geo.records import date_span
from geo.resolver import Resolver
from geo.text import Sentence, aligned_fold, sentences

# -- the lexicon -------------------------------------------------------------------------------

#: Event words and the kind of event each suggests.
EVENT_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ["attack", "attacks", "attacked", "attacking", "ambush", "ambushed", "ambushes", "assault",
         "assaulted", "raid", "raided", "gunmen", "gunman", "armed men", "assailants", "opened fire",
         "shot dead", "shot at", "fired at", "fired on", "opened fire", "gunfight", "firefight", "clash",
         "clashes", "clashed", "shootout", "storming",
         "stormed", "terrorist attack", "militant attack"], "attack"),
    **dict.fromkeys(
        ["bomb", "bombs", "bombing", "bombings", "blast", "blasts", "explosion", "explosions",
         "exploded", "improvised explosive device", "ied", "roadside bomb", "landmine", "land mine",
         "remote controlled", "magnetic bomb", "car bomb", "explosives"], "explosive"),
    **dict.fromkeys(["suicide", "suicide bomber", "suicide bombing", "suicide attack", "suicide blast"], "suicide"),
    **dict.fromkeys(["grenade", "grenades", "hand grenade"], "grenade"),
    **dict.fromkeys(
        ["drone", "drones", "missile", "missiles", "airstrike", "airstrikes", "air strike", "air strikes",
         "strike", "strikes", "struck", "rocket", "rockets", "shelling", "mortar", "mortars"], "strike"),
    **dict.fromkeys(
        ["abducted", "abduction", "abductions", "kidnapped", "kidnapping", "kidnap", "taken hostage",
         "hostages", "hijacked", "hijacking", "abduct", "abductees", "captives", "seized"], "abduction"),
    **dict.fromkeys(["incident", "terrorist act", "terror act", "the assault"], "generic"),
    **dict.fromkeys(
        ["killed", "martyred", "dead", "deaths", "died", "slain", "lost their lives", "killing",
         "wounded", "injured", "death toll"], "harm"),
}  # fmt: skip

_COUNTRY_STEMS = "iran|pakistan|afghan"


@dataclass(frozen=True, slots=True)
class _Found:
    """What :func:`_words_in` found in a text."""

    #: Each needed or starting word present, with its start offsets.
    words: dict[str, list[int]]
    #: The groups of needed words (by number) with a word present, and -1 when there is a digit.
    met: frozenset[int]


def _words_in(text: str) -> _Found | None:
    """Where the words that :class:`_Needing` patterns need or start at are in ``text`` (case-folded, all
    found in one pass), and which groups of needed words that meets.  None when ``text`` has a letter
    beyond ASCII: case-insensitive patterns match some of those (the Kelvin sign, a dotted İ) to ASCII
    letters that folding does not give.  Answers are kept for the last few hundred texts: an article's
    sentences meet many patterns, and meet them again when its mentions are compared."""
    try:
        return _words_cache[text]
    except KeyError:
        pass
    found: _Found | None = None
    folded = text.casefold()
    if len(folded) == len(text) and (text.isascii() or not _LETTER_BEYOND_ASCII.search(text)):
        words: dict[str, list[int]] = {}
        for end, w in _needed_words_automaton().iter(folded):  # the same offsets as in text
            if w in words:
                words[w].append(end - len(w) + 1)
            else:
                words[w] = [end - len(w) + 1]
        met: set[int] = {-1} if _DIGIT.search(text) else set()
        for w in words:
            met.update(_GROUPS_OF_WORD.get(w, ()))
        found = _Found(words, frozenset(met))
    if len(_words_cache) >= 512:
        _words_cache.clear()
    _words_cache[text] = found
    return found


_LETTER_BEYOND_ASCII = re.compile(r"[^\W\d_\x00-\x7f]")
_words_cache: dict[str, _Found | None] = {}
_NEEDED_WORDS: set[str] = set()
#: Each group of needed words by number, and the groups each word belongs to.
_GROUP_NUMBERS: dict[frozenset[str], int] = {}
_GROUPS_OF_WORD: dict[str, set[int]] = {}


@functools.cache
def _needed_words_automaton() -> Any:
    import ahocorasick

    auto = ahocorasick.Automaton()
    for w in _NEEDED_WORDS:
        auto.add_word(w, w)
    auto.make_automaton()
    return auto


class _Needing:
    """A pattern with the words it cannot match without, and where its matches can start.

    Each group of ``needs`` ("a|b|c") needs one of its words in the case-folded text (so a pattern that
    minds case needs them too); the group "\\d" needs a digit (of any script).  The pattern is not run on text that lacks them.  ``starts``, when
    given, says where every match of the pattern begins: at one of these words ("a|b|c", "\\d" for any
    digit).  The pattern is then tried only there, in order, as ``finditer`` would find them.  The words
    are found in one pass per sentence.  Tests check both claims on generated sentences, against the
    plain regex.
    """

    __slots__ = ("needs", "pattern", "starts")

    def __init__(self, pattern: re.Pattern[str], *needs: str, starts: str | None = None) -> None:
        self.pattern = pattern
        self.starts = frozenset(starts.split("|")) if starts else None
        numbers = set()
        for group in needs:
            if group == "\\d":
                numbers.add(-1)
                continue
            words = frozenset(group.split("|"))
            number = _GROUP_NUMBERS.setdefault(words, len(_GROUP_NUMBERS))
            numbers.add(number)
            for w in words:
                _GROUPS_OF_WORD.setdefault(w, set()).add(number)
            _NEEDED_WORDS.update(words)
        #: The groups this pattern needs met (-1: a digit).
        self.needs = frozenset(numbers)
        _NEEDED_WORDS.update(self.starts or ())
        _NEEDED_WORDS.discard("\\d")
        _needed_words_automaton.cache_clear()
        _words_cache.clear()

    def can_match(self, text: str) -> bool:
        found = _words_in(text)
        return found is None or self.needs <= found.met

    def search(self, text: str) -> re.Match[str] | None:
        found = _words_in(text)
        if found is None:
            return self.pattern.search(text)
        if not self.needs <= found.met:
            return None
        if self.starts is None:
            return self.pattern.search(text)
        return next(self._from_starts(text, found.words), None)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        found = _words_in(text)
        if found is None:
            return self.pattern.finditer(text)
        if not self.needs <= found.met:
            return iter(())
        if self.starts is None:
            return self.pattern.finditer(text)
        return self._from_starts(text, found.words)

    def _from_starts(self, text: str, words: dict[str, list[int]]) -> Iterator[re.Match[str]]:
        assert self.starts is not None
        offsets: set[int] = set()
        for w in words.keys() & self.starts:
            offsets.update(words[w])
        if "\\d" in self.starts:
            offsets.update(m.start() for m in _DIGIT.finditer(text))
        after = 0
        for at in sorted(offsets):
            if at >= after and (m := self.pattern.match(text, at)):
                yield m
                after = max(m.end(), at + 1)


_DIGIT = re.compile(r"\d")
_BATTLE = _Needing(
    re.compile(
        r"\b(battle|clash\w*|gunfight|firefight|exchange of fire|fire exchange|storm\w*|shootout)\b", re.I
    ),
    "battle|clash|gunfight|firefight|exchange of fire|fire exchange|storm|shootout",
)
#: "a policeman was killed": one victim, written as a word that alpha2digit leaves alone.
_ONE_VICTIM = _Needing(
    re.compile(
        r"\b(?:a|one)\s+(?=(?:police|officer|soldier|policeman|guard|civilian|person|member)\b)", re.I
    ),
    "police|officer|soldier|guard|civilian|person|member",
)
#: "an attack on a police station in ...": what was attacked.
_TARGET_AFTER = _Needing(
    re.compile(
        r"\b(?:attacks?|attacked|ambush(?:ed)?|assault|raid|strikes?|bombing)\s+(?:on|against|targeting)\s+"
        r"(?:a\s+|an\s+|the\s+|what\s+it\s+called\s+)?(?P<t>[^,.;]+?)(?=\s+(?:in|at|near|on|that|which|who|killing|by|during|,)\b|[,.;]|$)",
        re.I,
    ),
    "attack|ambush|assault|raid|strike|bombing",
    "on|against|targeting",
    starts="attack|ambush|assault|raid|strike|bombing",
)
_REACTION_WORDS = (
    "condemn|condolence|denounc|deplor|press|weekly|meeting|met with|talks|visit|telephone|phone call|called his|"
    "solidarity|sympath|reaffirm|urged|call|spokes|accus|blam|a letter|summon|investigation|probe"
)
_REACTION = _Needing(
    re.compile(
        r"\b(condemn\w*|condolence\w*|denounc\w*|deplor\w*|press (?:briefing|conference)|weekly briefing|"
        r"meeting|met with|talks|visit\w*|telephone|phone call|called his|solidarity|sympath\w*|"
        r"reaffirm\w*|urged|calls? for|spokes(?:man|woman|person)|accus\w*|blam\w*|a letter|summon\w*|"
        r"investigation|probe)\b",
        re.I,
    ),
    _REACTION_WORDS,
    starts=_REACTION_WORDS,
)
#: Sentences that summarise a history or a relation, not an event: never a mention.
_SUMMARY = _Needing(
    re.compile(
        r"\b(tensions|each other(?:['’]s)?|exchanged|at odds|frequent(?:ly)? targets?|routinely|long-running|"
        r"have been behind|history of|campaign of|insurgency|uptick|surge in|spate of|wave of|from time to time|"
        r"sometimes|occasional(?:ly)?)\b",
        re.I,
    ),
    "tensions|each other|exchanged|at odds|frequent|routinely|long-running|have been behind|history of|campaign of|insurgency|uptick|surge in|spate of|wave of|from time to time|sometimes|occasional",
)
#: Vague time: background unless the sentence also fixes a day or names a place of the zone.
_VAGUE_TIME = _Needing(
    re.compile(
        r"\b(in recent (?:years|months)|over the (?:years|past)|in the past|for years|for decades|since then|"
        r"has conducted|have targeted|have lost)\b",
        re.I,
    ),
    "in recent|over the|in the past|for years|for decades|since then|has conducted|have targeted|have lost",
)
_CAPTION = _Needing(
    re.compile(
        r"\b(photo|handout|file picture|file image)\b.*\b(shows?|showing|taken)\b|\((?:AFP|Reuters|AP|EPA)[^)]*\)|"
        r"[—–-]\s*(?:AFP|Reuters|AP|EPA|Photo\b.*|File)\s*$|^(?:relatives|mourners|people|residents|soldiers)\s+(?:mourn|gather|stand|attend)",
        re.I,
    ),
    "photo|handout|file|(|afp|reuters|ap|epa|mourn|gather|stand|attend",
)
_BOILERPLATE = re.compile(
    r"^(read more|related|also read|see also|short url|follow|share|click here|updated\b|published\b)", re.I
)
_BULLET = re.compile(r"^[•*·▪►\-–]\s*")
_SECURITY_WORDS = (
    "police|officer|guard|borderguard|constable|cop|sepoy|soldier|troops|security|military|army|irgc|revolutionary|"
    "headquarters|checkpoint|check|post|station|patrol|convoy|frontier|fc|levies|camp|base|installation|personnel|"
    "servicemen|paramilitar"
)
_SECURITY = _Needing(
    re.compile(
        r"\b(police\w*|officers?|guards?|borderguards?|constables?|cops?|sepoys?|soldiers?|troops|security|military|army|irgc|revolutionary guards|"
        r"headquarters|checkpoints?|check[- ]?posts?|posts?|stations?|patrols?|convoys?|frontier corps|fc|"
        r"levies|camps?|bases?|installations?|personnel|servicemen|paramilitar\w*)\b",
        re.I,
    ),
    _SECURITY_WORDS,
    starts=_SECURITY_WORDS,
)
_CLAIM = _Needing(
    re.compile(r"\bclaim(?:ed|s|ing)?\b(?!\s+the\s+lives)|\bresponsibility\b", re.I),
    "claim|responsibility",
)
_BLAME = _Needing(
    re.compile(
        r"\b(blam\w*|accus\w*|attribut\w*|suspected|allegedly|believed to|state media|state television|"
        r"said|says|stated|according to|reported|reportedly|press release|evidence)\b",
        re.I,
    ),
    "blam|accus|attribut|suspected|allegedly|believed to|state media|state television|said|says|stated|according to|reported|reportedly|press release|evidence",
)
_GROUP_ANAPHOR = _Needing(
    re.compile(
        r"\b(?:the|this|that)\s+(?:militant\s+|terrorist\s+|armed\s+|separatist\s+|terror\s+)?(?:group|outfit|organi[sz]ation)\b",
        re.I,
    ),
    "group|outfit|organi",
)
_TARGET_BEFORE = re.compile(
    r"(?:\b(?:on|against|targeting|targeted|at)\s+(?:what\s+it\s+called\s+)?(?:the\s+)?(?:two\s+)?(?:bases?|hideouts?|positions?|camps?|training camps?|members?)?\s*(?:of\s+)?(?:the\s+)?(?:separatist\s+|militant\s+)?$)",
    re.I,
)
_STATE_STRIKE = _Needing(
    re.compile(
        r"\b(?P<who>Iran|Pakistan|Afghanistan|Iranian|Pakistani|Afghan)(?:'s|’s)?\s+(?:also\s+|then\s+)?"
        r"(?:(?:armed\s+)?(?:forces|military|army|air\s+force|jets|drones|troops)\s+)?(?:has\s+|had\s+|have\s+)?"
        r"(?:launched|carried\s+out|conducted|fired|struck|targeted|hit|launches|carries\s+out|bombed|retaliated)\b",
        re.I,
    ),
    _COUNTRY_STEMS,
    starts=_COUNTRY_STEMS,
)
_STATE_CODE = {
    "iran": "IR",
    "iranian": "IR",
    "pakistan": "PK",
    "pakistani": "PK",
    "afghanistan": "AF",
    "afghan": "AF",
}
_COUNTRY_IN = _Needing(
    re.compile(
        r"\b(?:in|inside|on)\s+(?:the\s+)?(?:(?:south[- ]?eastern|southeast|south[- ]?western|southwest|eastern|western|"
        r"northern|southern|north[- ]?western|north[- ]?eastern|restive|volatile)\s+)?"
        r"(?P<country>Iran|Pakistan|Afghanistan)\b(?!['’]s)|\bon\s+(?P<adj>Iranian|Pakistani|Afghan)\s+soil\b|"
        r"\bin\s+(?P<poss>Iran|Pakistan|Afghanistan)['’]s\s+(?:restive\s+|volatile\s+|remote\s+|troubled\s+)?"
        r"(?:south[- ]?east(?:ern)?|south[- ]?west(?:ern)?|east(?:ern)?|west(?:ern)?|north(?:ern)?|south(?:ern)?)\b",
        re.I,
    ),
    _COUNTRY_STEMS,
)
_BORDER_REGION = _Needing(
    re.compile(
        r"\b(?:close\s+to|near|along|on|across)\s+(?:the\s+)?(?P<country>Iran|Pakistan|Afghanistan|Iranian|Pakistani|Afghan)"
        r"(?:['’]s)?\s+(?:border|frontier)\b|\b(?:close\s+to|near|along|on)\s+the\s+(?P<a>Iran|Pakistan)[-–\s]+(?P<b>Iran|Pakistan)\s+border\b|"
        r"\b(?:close\s+to|near|along|on)\s+the\s+(?:border|frontier)\s+with\s+(?P<with>Iran|Pakistan|Afghanistan)\b",
        re.I,
    ),
    _COUNTRY_STEMS,
    "border|frontier",
)
_ROAD = _Needing(
    re.compile(
        r"(?P<a>[A-Z][\w’'-]*?)\s*[-–]\s*(?P<b>[A-Z][\w’'-]*)\s+(?:road|highway|motorway|route|railway|railway\s+line)\b"
        r"(?!\s+(?:project|construction|scheme|works?|contract))"  # "the Noshki-Kharan road project": not a place
    ),
    "-|–",
    "road|highway|motorway|route|railway",
)
_NAMED_PLACE = _Needing(
    re.compile(
        r"\b(?:in|at|near|outside|inside)\s+(?:the\s+)?(?P<name>[A-Z][a-z’'-]{2,}(?:[ -][A-Z][a-z’'-]{2,}){0,2})"
        r"(?:\s+(?:area|region|village|town|city|district|tehsil|county|valley))?"
    ),
    "in|at|near|outside|inside",
    starts="in|at|near|outside|inside",
)
_NOT_NAMES = frozenset(
    (
        *calendar.month_name[1:],
        *calendar.day_name,
        *[
            "The",
            "This",
            "That",
            "These",
            "Those",
            "His",
            "Her",
            "Their",
            "Its",
            "Our",
            "An",
            "A",
            "Iran",
            "Iranian",
            "Pakistan",
            "Pakistani",
            "Afghanistan",
            "Afghan",
            "Islamic",
            "Baloch",
            "Balochi",
            "Sunni",
            "Shia",
            "Muslim",
            "Muslims",
            "Government",
            "Ministry",
            "Parliament",
            "Security",
            "Army",
            "Police",
            "Revolutionary",
            "Guards",
            "Corps",
            "Frontier",
            "Taliban",
            "Daesh",
            "State",
        ],
    )
)
_ANAPHOR_PLACE = _Needing(
    re.compile(
        r"\b(?:in|at|near)\s+the\s+(?P<kind>city|town|village|port city|border town)\b(?!\s+of\b)", re.I
    ),
    "city|town|village",
)
_MULTI_SITE = _Needing(
    re.compile(r"\b(?:towns|cities|villages|districts|areas|counties)\s+of\b", re.I),
    "towns|cities|villages|districts|areas|counties",
)
_PLURAL_EVENTS = _Needing(
    re.compile(
        r"\b(?:two|three|four|2|3|4|twin|separate|simultaneous|coordinated|multiple)\s+(?:\w+\s+){0,2}(?:attacks|bombings|blasts|assaults|raids|strikes)\b|\battacks\s+in\b",
        re.I,
    ),
    "attacks|bombings|blasts|assaults|raids|strikes",
)
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|near|outside|inside|into|of|on\s+the\s+outskirts\s+of|outskirts\s+of|from\s+the\s+area\s+of|around)\s+(?:the\s+)?(?:\w+\s+){0,3}$",
    re.I,
)
_NOT_LOCATION_BEFORE = re.compile(
    r"\b(?:from|bordering|border\s+with|briefing\s+in|conference\s+in|based\s+in|to|ambassador\s+to)\s+(?:the\s+)?$",
    re.I,
)
_CAPITALS = frozenset({"islamabad", "tehran", "kabul"})

# -- numbers -----------------------------------------------------------------------------------

_QUALIFIERS = ("at least", "more than", "over", "up to", "as many as", "nearly", "almost", "around", "about", "some",
               "approximately", "roughly", "a total of")  # fmt: skip
_Q = r"(?:(?P<q>" + "|".join(q.replace(" ", r"\s+") for q in _QUALIFIERS) + r")\s+)?"
#: Where a pattern starts with a count (``{_Q}{_N}``), its first character is a digit or a qualifier's
#: first letter: this lookahead says so, and the regex engine rejects every other start at once.
_QN_START = rf"(?=[\d{''.join(sorted({q[0] for q in _QUALIFIERS}))}])"
_N = r"(?P<n>\d{1,4})"
_ADJ = (
    r"(?:(?!(?:and|or|but|were|was|are|is|in|on|at|by|the|to|of|with|who|which|that)\b)[\w’'()-]+\s+){0,4}?"
)
_VICTIM = (
    r"(?P<noun>people|persons|civilians|citizens|passengers|workers|labou?rers|children|women|men|pilgrims|"
    r"policemen|police\s+officers|police|officers|officials|personnel|border\s+guards|borderguards|guards|soldiers|troops|constables|"
    r"security\s+forces|security\s+personnel|security\s+officers|forces|members|servicemen|paramilitaries|levies|"
    r"others|militants|attackers|assailants|terrorists|gunmen|insurgents|rebels|fighters|bombers|separatists|"
    r"officer|soldier|policeman|guard|civilian|person|militant|attacker|terrorist)"
)
_ATTACKER_NOUNS = frozenset(
    {"militants", "attackers", "assailants", "terrorists", "gunmen", "insurgents", "rebels", "fighters",
     "bombers", "separatists", "militant", "attacker", "terrorist"}
)  # fmt: skip
_KILL = r"(?:killed|martyred|slain|shot\s+dead|dead|died|lost\s+their\s+lives|gunned\s+down|sacrificed\s+their\s+lives|embraced\s+(?:shahadat|martyrdom))"
#: Each count pattern with the words it needs (see :class:`_Needing`; each also needs a number in figures).
_KILL_STEMS = "kill|martyr|slain|dead|died|lives|gunned|sacrific|embraced"
_HURT_STEMS = "injur|wound|hurt"
#: A word that each of the count patterns below requires (kept in step with them; a test checks).
_COUNT_STEMS = f"{_KILL_STEMS}|left|death|loss|fatalit|{_HURT_STEMS}"
_COUNT_WORDS = _Needing(re.compile(_COUNT_STEMS, re.I), _COUNT_STEMS)
_COUNT_PATTERNS: tuple[tuple[str, _Needing], ...] = (
    (
        "kill",
        _Needing(
            re.compile(
                rf"{_QN_START}{_Q}{_N}\s+{_ADJ}{_VICTIM}\b[^.;]*?\b(?:were|was|have\s+been|had\s+been|are|got)\s+{_KILL}",
                re.I,
            ),
            _KILL_STEMS,
            "were|was|been|are|got",
        ),
    ),
    (
        "kill",
        _Needing(
            re.compile(
                rf"\b(?:killed|killing|martyred|martyring|kill|claimed\s+the\s+lives\s+of|left)\s+{_Q}{_N}\b(?:\s+{_ADJ}{_VICTIM})?(?!\s*(?:%|percent|km|kilomet|years?|hours?|minutes?|days?)\b)",
                re.I,
            ),
            "kill|martyr|lives|left",
            starts="killed|killing|martyr|kill|claimed|left",
        ),
    ),
    (
        "kill",
        _Needing(
            re.compile(
                rf"\b(?:deaths?|loss|lives)\s+of\s+(?:the\s+)?{_Q}{_N}\b(?:\s+{_ADJ}{_VICTIM})?", re.I
            ),
            "death|loss|lives",
            starts="death|loss|lives",
        ),
    ),
    (
        "kill",
        _Needing(
            re.compile(rf"{_QN_START}{_Q}{_N}\s+{_ADJ}{_VICTIM}\s+(?:were\s+|being\s+)?{_KILL}", re.I),
            _KILL_STEMS,
        ),
    ),
    (
        "kill",
        _Needing(
            re.compile(
                rf"\b(?:death\s+toll|number\s+of\s+(?:fatalities|deaths|dead|those\s+killed)|fatalities|deaths)\b[^.;]{{0,60}}?\b(?:rose\s+to|climbed\s+to|reached|increased\s+to|jumped\s+to|stood\s+at|of|at|to)\s+{_Q}{_N}\b(?!\s*(?:a\.m|p\.m|km|kilomet))",
                re.I,
            ),
            "death|fatalities|number",
            starts="death|number|fatalities",
        ),
    ),
    (
        "kill",
        _Needing(
            re.compile(
                rf"{_KILL}[^.;]{{0,40}}?\b(?:alongside|along\s+with|together\s+with)\s+{_Q}{_N}\s+{_ADJ}{_VICTIM}",
                re.I,
            ),
            "along|together",
            _KILL_STEMS,
            starts="killed|martyred|slain|shot|dead|died|lost|gunned|sacrificed|embraced",
        ),
    ),
    (
        "hurt",
        _Needing(
            re.compile(rf"\b(?:injured|wounded|injuring|wounding|hurt)\s+{_Q}{_N}", re.I),
            _HURT_STEMS,
            starts="injur|wound|hurt",
        ),
    ),
    (
        "hurt",
        _Needing(
            re.compile(
                rf"{_QN_START}{_Q}{_N}\s+{_ADJ}(?:{_VICTIM}\s+)?(?:were\s+|others\s+were\s+)?(?:injured|wounded|hurt)",
                re.I,
            ),
            _HURT_STEMS,
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class Count:
    low: int | None
    best: int | None
    high: int | None

    @staticmethod
    def of(n: int, qualifier: str | None) -> Count:
        q = " ".join((qualifier or "").lower().split())
        if q in ("at least", "a total of"):
            return Count(n, n, None) if q == "at least" else Count(n, n, n)
        if q in ("more than", "over"):
            return Count(n + 1, None, None)
        if q in ("up to", "as many as"):
            return Count(None, None, n)
        if q in ("nearly", "almost", "around", "about", "some", "approximately", "roughly"):
            return Count(None, n, None)
        return Count(n, n, n)


class Tally:
    """Several reports of one number, a report at a time: what :func:`combine` makes of them."""

    __slots__ = ("best", "high", "low", "open", "seen")

    def __init__(self) -> None:
        self.seen = self.open = False  # any count; any count without a high
        self.low: int | None = None
        self.best: int | None = None
        self.high: int | None = None

    def add(self, c: Count) -> None:
        self.seen = True
        if c.low is not None and (self.low is None or c.low < self.low):
            self.low = c.low
        if c.best is not None and (self.best is None or c.best > self.best):
            self.best = c.best
        if c.high is None:
            self.open = True
        elif self.high is None or c.high > self.high:
            self.high = c.high

    def count(self) -> Count | None:
        return (
            Count(low=self.low, best=self.best, high=None if self.open else self.high) if self.seen else None
        )


def combine(counts: Sequence[Count]) -> Count | None:
    """Several reports of one number: the lowest low, the highest best (the fullest count), and
    a high only when every report closes the range (one "at least" leaves it open)."""
    tally = Tally()
    for c in counts:
        tally.add(c)
    return tally.count()


# -- what a sentence says ----------------------------------------------------------------------


@dataclass
class PlaceHit:
    entry: Entry
    start: int
    end: int
    text: str
    locative: bool

    @property
    def rank(self) -> int:
        """Finer places first: towns, areas, bakhsh/tehsil, county/district, province, region, country."""
        order = {"village": 0, "town": 0, "city": 0, "border_crossing": 0, "area": 1, "subdistrict": 2,
                 "county": 3, "district": 3, "province": 4, "region": 5, "country": 6}  # fmt: skip
        return order.get(self.entry.kind, 6)


@dataclass
class DateHit:
    date: str
    precision: str
    text: str
    start: int


@dataclass
class Mention:
    sentence: Sentence
    kinds: set[str]
    sites: list[PlaceHit] = field(default_factory=list)
    broad: list[PlaceHit] = field(default_factory=list)
    date: DateHit | None = None
    perpetrator: Actor | None = None
    attribution: str | None = None
    targets: list[Actor] = field(default_factory=list)
    target_text: str | None = None
    victims: Count | None = None
    attackers: Count | None = None
    injured: Count | None = None
    security: bool = False
    reaction: bool = False
    summary: bool = False
    plural: bool = False
    state: str | None = None  # ISO code of a state that carried out strikes
    abroad: bool = False  # names a place far from the zone (and none in it)
    unresolved: list[str] = field(default_factory=list)
    border_side: str | None = None  # ISO code of the country whose border is named
    border_text: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def anchored(self) -> bool:
        """The sentence opens with its own date ("On July 8, ...", "In late May, ..."): a new event."""
        return self.date is not None and self.date.start - self.sentence.start <= 12

    @property
    def place(self) -> PlaceHit | None:
        pool = self.sites or self.broad
        return min(pool, key=lambda p: p.rank) if pool else None

    @property
    def has_fact(self) -> bool:
        return bool(
            self.sites or self.broad or self.date or self.victims or self.attackers or self.injured
            or (self.perpetrator and self.attribution == "claimed") or self.state
        )  # fmt: skip

    @property
    def event_type(self) -> str:
        k = self.kinds
        if "suicide" in k:
            return "suicide_bomb"
        if "explosive" in k:
            return "remote_explosive"
        battle = _BATTLE.search(self.sentence.text)
        if "grenade" in k and not (battle and self.security):
            return "grenade"
        if "abduction" in k and not (self.victims and self.victims.best):
            return "abduction"
        if "strike" in k and (
            self.state
            or (
                "drone" in self.sentence.text.lower()
                or "missile" in self.sentence.text.lower()
                or "airstrike" in self.sentence.text.lower().replace(" ", "")
            )
        ):
            text = self.sentence.text.lower()
            if (
                ("missile" in text or "rocket" in text or "shelling" in text)
                and "drone" not in text
                and "air" not in text
            ):
                return "missile_attack"
            return "air_drone_strike"
        return "armed_clash" if self.security else "attack"


@dataclass(frozen=True)
class ArticleInput:
    """An article to read: its text and what is known of it."""

    id: str
    text: str
    title: str | None = None
    publisher: str | None = None
    publication_date: str | None = None
    date_precision: str | None = None
    url: str | None = None


_DATE_IN_TEXT = re.compile(
    r"\b(?:date|updated|published|posted|last\s+updated)\s*:?\s*(?:on\s+)?"
    r"(?P<d>\d{4}-\d{2}-\d{2}|\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})",
    re.I,
)
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
#: Each date pattern with what it needs (see :class:`_Needing`): a digit, a month name, a weekday or some words.
_MONTH_STEMS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_DATE_PATTERNS: tuple[tuple[str, _Needing], ...] = (
    ("iso", _Needing(re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "\\d", "-", starts="\\d")),
    (
        "day",
        _Needing(
            re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?\b", re.I),
            "\\d",
            _MONTH_STEMS,
            starts="\\d",
        ),
    ),
    (
        "day",
        _Needing(
            re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?(?!\d)", re.I),
            "\\d",
            _MONTH_STEMS,
            starts=_MONTH_STEMS,
        ),
    ),
    (
        "month",
        _Needing(
            re.compile(
                rf"\b(?:in|during|since|early|late|mid-?|of|last)\s+{_MONTH}(?:\s+\d{{4}})?\b(?!\s+\d{{1,2}}\b)",
                re.I,
            ),
            _MONTH_STEMS,
            starts="in|during|since|early|late|mid|of|last",
        ),
    ),
    (
        "month",
        _Needing(re.compile(rf"\b{_MONTH}\s+\d{{4}}\b", re.I), "\\d", _MONTH_STEMS, starts=_MONTH_STEMS),
    ),
    # "In 2013, a similar ambush...": a year alone, after a preposition, not a count or part of a range
    (
        "year",
        _Needing(
            re.compile(
                r"\b(?:in|during|since|early|late|mid-?)\s+(?:19[5-9]\d|20\d\d)\b(?![-–/]\d|\s*(?:people|%|km))",
                re.I,
            ),
            "\\d",
            starts="in|during|since|early|late|mid",
        ),
    ),
    (
        "weekday",
        _Needing(
            re.compile(
                rf"\b(?:on|last|this|late|early)\s+{_WEEKDAY}\b(?:\s+(?:night|morning|evening|afternoon))?",
                re.I,
            ),
            "day",
            starts="on|last|this|late|early",
        ),
    ),
    (
        "weekday",
        _Needing(
            re.compile(rf"(?<=\bfire\s){_WEEKDAY}\b|(?<=ed\s){_WEEKDAY}\b", re.I),
            "day",
            starts="monday|tuesday|wednesday|thursday|friday|saturday|sunday",
        ),
    ),
    (
        "relative",
        _Needing(
            re.compile(
                r"\b(?:overnight|last\s+night|yesterday|today|earlier\s+today|this\s+morning|tonight|on\s+the\s+same\s+day)\b",
                re.I,
            ),
            "night|yesterday|today|morning|same",
            starts="overnight|last|yesterday|today|earlier|this|tonight|on",
        ),
    ),
    (
        "week",
        _Needing(
            re.compile(r"\b(?:last\s+week|earlier\s+this\s+week|this\s+week|past\s+week)\b", re.I),
            "week",
            starts="last|earlier|this|past",
        ),
    ),
    ("lastmonth", _Needing(re.compile(r"\blast\s+month\b", re.I), "month", starts="last")),
)


class Extractor:
    """Reads articles; one instance keeps its lookup tables for many articles."""

    def __init__(self, resolver: Resolver | None = None, actors: Sequence[Actor] | None = None) -> None:
        from geo import actors as actors_mod

        self.resolver = resolver or Resolver()
        self.actors = tuple(actors if actors is not None else actors_mod.bundled())

    # -- the automaton -----------------------------------------------------------------------

    @cached_property
    def _automaton(self) -> Any:
        import ahocorasick

        auto = ahocorasick.Automaton()
        entries: dict[str, list[tuple[str, Any]]] = {}

        def add(name: str, what: tuple[str, Any]) -> None:
            key = aligned_fold(name)[0].strip()
            if len(key) >= 3 or what[0] == "event":
                entries.setdefault(key, []).append(what)

        for word, kind in EVENT_WORDS.items():
            add(word, ("event", kind))
        for e in self.resolver.gazetteer.entries:
            for name in e.names:
                add(name, ("place", e.id))
        for a in self.actors:
            for name in a.names:
                if len(name) <= 4 and name.isupper():  # BLA, TTP: only as written, see below
                    add(name, ("acronym", a.id))
                else:
                    add(name, ("actor", a.id))
        for key, values in entries.items():
            auto.add_word(key, (key, tuple(values)))
        auto.make_automaton()
        return auto

    @cached_property
    def _actors_by_id(self) -> dict[str, Actor]:
        return {a.id: a for a in self.actors}

    def _scan(self, text: str) -> list[tuple[int, int, str, tuple[tuple[str, Any], ...]]]:
        """Whole-word hits in the original text: (start, end, key, values), longest first where they overlap."""
        folded, origin = aligned_fold(text)
        hits = []
        for end, (key, values) in self._automaton.iter(folded):
            start = end - len(key) + 1
            if (start > 0 and folded[start - 1].isalnum()) or (
                end + 1 < len(folded) and folded[end + 1].isalnum()
            ):
                continue
            hits.append((origin[start], origin[end] + 1, key, values))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out = []
        last_end = -1
        for h in hits:
            if h[0] < last_end:
                continue
            out.append(h)
            last_end = h[1]
        return out

    # -- reading one article -----------------------------------------------------------------

    def extract(self, article: ArticleInput) -> list[dict[str, Any]]:
        """The incident records (curated-record format) that ``article`` reports."""
        ref = reference_date(article)
        sents = sentences(article.text)
        hits = self._scan(article.text)
        starts = [h[0] for h in hits]
        mentions: list[Mention] = []
        history: list[PlaceHit] = []  # places of earlier sentences, for "in the city"
        last_group: list[Actor] = []
        skip_rest = False
        for s in sents:
            if _BOILERPLATE.match(s.text):
                if re.match(r"^(read more|related|also read|see also)", s.text, re.I):
                    skip_rest = True  # what follows is teasers of other articles
                continue
            if skip_rest:
                continue
            # The hits are in order of their start: those of this sentence are one run of them.
            first, past = bisect.bisect_left(starts, s.start), bisect.bisect_left(starts, s.end)
            in_s = [h for h in hits[first:past] if h[1] <= s.end]
            # Each place name of the sentence is read once, for the mention and for "in the city" later.
            places = [p for h in in_s if (p := self._place_hit(article, s, h)) is not None]
            mention = self._read_sentence(article, s, in_s, places, ref, history, last_group)
            history.extend(places)
            if mention is not None:
                mentions.append(mention)
        clusters = cluster(mentions, ref)
        records: list[dict[str, Any]] = []
        for c in clusters:
            records.extend(self._records_of(article, c, ref))
        return records

    def _read_sentence(
        self,
        article: ArticleInput,
        s: Sentence,
        hits: list[tuple[int, int, str, tuple[tuple[str, Any], ...]]],
        places: list[PlaceHit],
        ref: tuple[dt.date, str] | None,
        history: list[PlaceHit],
        last_group: list[Actor],
    ) -> Mention | None:
        kinds = {v[1] for h in hits for v in h[3] if v[0] == "event"}
        text = s.text
        actors_here = self._actors_in(article.text, hits)
        for a, _start in actors_here:
            if not a.is_state:
                last_group.append(a)
        if not kinds:
            return None
        if _CAPTION.search(text):
            return None
        summary = bool(_BULLET.match(text)) or (
            s.line == 0 and not text.rstrip().endswith((".", "!", "?", "”", '"'))
        )
        m = Mention(sentence=s, kinds=kinds, summary=summary, reaction=bool(_REACTION.search(text)))
        summary_like = bool(_SUMMARY.search(text))
        vague = bool(_VAGUE_TIME.search(text))
        m.security = bool(_SECURITY.search(text))
        m.plural = bool(_PLURAL_EVENTS.search(text))
        self._read_places(article, s, hits, places, m, history)
        self._read_date(s, m, ref, hits)
        self._read_counts(m)
        self._read_actors(s, m, actors_here, last_group)
        if m.abroad and not (m.sites or m.broad):
            return None  # an event far from the zone ("the strikes in Gaza")
        claimed = m.perpetrator is not None and m.attribution == "claimed"
        if summary_like and not (claimed or (m.date and m.date.precision == "day")):
            return None
        if vague and not (claimed or (m.date and m.date.precision == "day") or m.sites):
            return None
        if m.reaction and not (m.sites or m.date or m.victims or m.attackers or claimed or m.state):
            if m.perpetrator is None:
                return None  # a reaction that only names a country: no fact of the event
            m.summary = True  # "X accused Y of the attack": joins the event, never starts one
        if m.kinds <= {"harm"} and not (m.victims or m.attackers or m.injured):
            return None
        if not m.has_fact:
            return None
        return m

    # places

    def _place_hit(
        self, article: ArticleInput, s: Sentence, h: tuple[int, int, str, tuple[tuple[str, Any], ...]]
    ) -> PlaceHit | None:
        ids = [v[1] for v in h[3] if v[0] == "place"]
        if not ids:
            return None
        by_id = self.resolver.gazetteer.by_id
        if len(ids) == 1:
            entry = by_id[ids[0]]
        elif _one_family([by_id[i] for i in ids]):
            # A town and the county of the same name: the town, unless the text says "County"/"district".
            after = article.text[h[1] : h[1] + 12].lower()
            admin = after.lstrip().startswith(("county", "district", "shahrestan"))
            pool = [by_id[i] for i in ids]
            entry = min(pool, key=lambda e: (e.kind in ("county", "district")) != admin)
        else:
            written = article.text[h[0] : h[1]]
            context = article.text[max(0, s.start - 300) : min(len(article.text), s.end + 300)]
            r = self.resolver.resolve(written, context)
            chosen = r.best.place.source_ref if r.best else None
            entry = by_id[chosen] if chosen in by_id else by_id[ids[0]]
        before = article.text[max(s.start, h[0] - 60) : h[0]]
        return PlaceHit(entry, h[0], h[1], article.text[h[0] : h[1]], bool(_LOCATIVE_BEFORE.search(before)))

    def _read_places(
        self,
        article: ArticleInput,
        s: Sentence,
        hits: list[tuple[int, int, str, tuple[tuple[str, Any], ...]]],
        places: list[PlaceHit],
        m: Mention,
        history: list[PlaceHit],
    ) -> None:
        text = article.text
        candidates: list[PlaceHit] = []
        for p in places:
            if p.entry.kind == "country":
                continue
            before = text[max(s.start, p.start - 40) : p.start]
            after = text[p.end : min(s.end, p.end + 25)]
            if _NOT_LOCATION_BEFORE.search(before):
                continue
            if p.entry.name.lower() in _CAPITALS and (m.reaction or not p.locative):
                continue
            if re.match(
                r"^\s*(?:['’]s\s+)?(?:state|government|foreign|interior|ministry|officials?|authorities|ambassador|embassy)",
                after,
                re.I,
            ) and p.entry.kind in ("province", "city"):
                continue
            if re.match(
                r"^\s*(?:['’]s\s+)?(?:senior|deputy|chief|police\s+chief|superintendent|ssp|dig|igp|commissioner|"
                r"mayor|governor|press\s+club|high\s+court|bar\s+association|university|-based)\b",
                after,
                re.I,
            ):
                continue  # "Quetta Senior Superintendent of Police": an office, not where it happened
            named_as_province = (
                re.search(r"\bprovince\s+of\s+$", before, re.I)
                or re.match(r"^\s*(?:province|region)\b", after, re.I)
                or re.search(r"\b(?:province|region)$", p.text, re.I)
            )
            if p.entry.kind == "province" and not p.locative and not named_as_province:
                continue  # "Balochistan's independence", "Sistan-Baluchestan police": not where it happened
            candidates.append(p)
        candidates.extend(self._other_places(article, s, hits, m))
        fine = [p for p in candidates if p.rank <= 3]
        coarse = [p for p in candidates if p.rank > 3]
        if fine:
            # Two or more named sites of plural events ("in the towns of Chabahar and Rask").
            distinct: dict[str, PlaceHit] = {}
            for p in fine:
                distinct.setdefault(p.entry.id, p)
            joined = (
                len(distinct) > 1
                and (m.plural or _MULTI_SITE.search(s.text))
                and self._joined(text, list(distinct.values()))
            )
            if joined:
                m.sites = sorted(distinct.values(), key=lambda p: p.start)
                m.notes.append("two or more sites named together: " + ", ".join(p.text for p in m.sites))
            else:
                nested = all(places_compatible(a.entry, b.entry) for a in fine for b in fine)
                if nested:  # "Taftan County's Gohar Kuh district": the finest of nested places
                    best = min(fine, key=lambda p: (p.rank, not p.locative, p.start))
                else:  # unrelated places: the one the sentence puts the event in
                    best = min(fine, key=lambda p: (not p.locative, p.rank, p.start))
                m.sites = [best]
        m.broad = coarse
        for road in _ROAD.finditer(s.text):
            start, end = s.start + road.start(), s.start + road.end()
            ends = [p for p in candidates if start <= p.start and p.end <= end and p.rank == 0]
            if len(ends) >= 2:
                m.sites = [self._road(ends[0], ends[-1], start, end, text[start:end])]
                m.notes.append(
                    f"on the road between {ends[0].entry.name} and {ends[-1].entry.name}: its midpoint, precision 5"
                )
                break
        anaphor = _ANAPHOR_PLACE.search(s.text)
        if not m.sites and anaphor:
            want = {"city", "town", "village", "border_crossing"}
            for p in reversed(history):
                if p.entry.kind in want:
                    m.sites = [
                        PlaceHit(
                            p.entry,
                            s.start + anaphor.start(),
                            s.start + anaphor.end(),
                            anaphor.group(0),
                            True,
                        )
                    ]
                    m.notes.append(f"'{anaphor.group(0)}' refers to {p.entry.name}, named before")
                    break
        border = _BORDER_REGION.search(s.text)
        if border:
            named = (border.group("country") or border.group("b") or border.group("with") or "").lower()
            m.border_side = _STATE_CODE.get(named)
            m.border_text = border.group(0)
        for cm in _COUNTRY_IN.finditer(s.text):
            if re.search(
                r"\b(?:based|headquartered|hiding|sheltering|entered\s+\w+\s+from)\s*$",
                s.text[: cm.start()],
                re.I,
            ):
                continue  # "based in Pakistan": where the group is, not where the attack was
            word = (cm.group("country") or cm.group("adj") or cm.group("poss") or "").lower()
            code = _STATE_CODE.get(word)
            entry = self._country_entry(code)
            if entry is not None:
                start = s.start + cm.start()
                m.broad.append(PlaceHit(entry, start, s.start + cm.end(), cm.group(0), True))

    def _other_places(
        self,
        article: ArticleInput,
        s: Sentence,
        hits: list[tuple[int, int, str, tuple[tuple[str, Any], ...]]],
        m: Mention,
    ) -> list[PlaceHit]:
        """Names after "in"/"at"/"near" that the gazetteer lacks: looked up offline in GeoNames.

        Inside the zone they become places (from GeoNames, precision 1); far away ("in
        Gaza") they mark the event as abroad; unknown they are reported as unresolved.
        """
        from geo.geocoders.base import zone_prior

        out: list[PlaceHit] = []
        covered = [(h[0], h[1]) for h in hits]
        for nm in _NAMED_PLACE.finditer(s.text):
            start, end = s.start + nm.start("name"), s.start + nm.end("name")
            name = nm.group("name")
            if any(a < end and start < b for a, b in covered) or set(name.split()) & _NOT_NAMES:
                continue
            result = self.resolver.resolve(name, s.text)
            if result.best is None:
                m.unresolved.append(name)
                continue
            place = result.best.place
            if place.source == "gazetteer":
                continue  # already seen by the automaton
            if zone_prior(place) < 0.4:
                m.abroad = True
                continue
            entry = Entry(
                id=place.source_ref or f"geonames:{name}", name=place.name, variants=(), local_name=None,
                kind="town", country=place.country or "", admin1=place.admin1, admin2=None, seat=None,
                lat=place.lat, lon=place.lon, population=None, source=place.source_ref or "geonames", note=None,
            )  # fmt: skip
            out.append(PlaceHit(entry, start, end, article.text[start:end], True))
            m.notes.append(
                f"{name!r} is not in the curated gazetteer: located from {place.source_ref or 'GeoNames'}"
            )
        return out

    @staticmethod
    def _road(a: PlaceHit, b: PlaceHit, start: int, end: int, written: str) -> PlaceHit:
        """A road between two towns: a line, not a point (UCDP precision 5), placed at its midpoint."""
        ea, eb = a.entry, b.entry
        entry = Entry(
            id=f"road-{ea.id}-{eb.id}",
            name=f"{ea.name}–{eb.name} road",
            variants=(),
            local_name=None,
            kind="area",
            country=ea.country,
            admin1=ea.admin1 if ea.admin1 == eb.admin1 else None,
            admin2=None,
            seat=None,
            lat=round((ea.lat + eb.lat) / 2, 5),
            lon=round((ea.lon + eb.lon) / 2, 5),
            population=None,
            source="midpoint",
            note=None,
        )
        return PlaceHit(entry, start, end, written, True)

    @staticmethod
    def _joined(text: str, places: list[PlaceHit]) -> bool:
        ordered = sorted(places, key=lambda p: p.start)
        for a, b in itertools.pairwise(ordered):
            between = text[a.end : b.start].strip().lower()
            if between not in (",", "and", ", and", "&", "as well as", "or"):
                return False
        return True

    def _country_entry(self, code: str | None) -> Entry | None:
        if code is None:
            return None
        for e in self.resolver.gazetteer.entries:
            if e.kind == "country" and e.country == code:
                return e
        return None

    # dates

    def _read_date(
        self,
        s: Sentence,
        m: Mention,
        ref: tuple[dt.date, str] | None,
        hits: list[tuple[int, int, str, tuple[tuple[str, Any], ...]]],
    ) -> None:
        events = [h[0] for h in hits if any(v[0] == "event" for v in h[3])]
        reactions = [s.start + r.start() for r in _REACTION.finditer(s.text)] if m.reaction else []
        found: list[DateHit] = []
        for kind, pattern in _DATE_PATTERNS:
            for dm in pattern.finditer(s.text):
                start = s.start + dm.start()
                to_event = min((abs(start - e) for e in events), default=10**6)
                to_reaction = min((abs(start - r) for r in reactions), default=10**6)
                if to_reaction < to_event:
                    continue  # "on Thursday condemned the attack": the reaction's day, not the event's
                hit = resolve_date(kind, dm.group(0), ref)
                if hit is not None:
                    found.append(DateHit(hit[0], hit[1], dm.group(0), start))
        if found:
            order = {"day": 0, "week": 1, "month": 2, "year": 3}
            first = min(events, default=s.start)
            m.date = min(found, key=lambda d: (order[d.precision], abs(d.start - first)))

    # counts

    def _read_counts(self, m: Mention) -> None:
        from text_to_num import alpha2digit

        if not _COUNT_WORDS.can_match(m.sentence.text):  # every count pattern needs one of these words
            m.victims = m.attackers = m.injured = None
            return
        text = alpha2digit(m.sentence.text, "en", threshold=0)
        if _ONE_VICTIM.can_match(text):
            text = _ONE_VICTIM.pattern.sub("1 ", text)
        victims: list[Count] = []
        attackers: list[Count] = []
        injured: list[Count] = []
        # Every count pattern needs a number in figures (after alpha2digit): none, nothing to read.
        for what, pattern in _COUNT_PATTERNS if _DIGIT.search(text) else ():
            for cm in pattern.finditer(text):
                n = int(cm.group("n"))
                if n > 5000 or (1900 <= n <= 2100):
                    continue  # a year, not a count
                count = Count.of(n, cm.groupdict().get("q"))
                noun = (cm.groupdict().get("noun") or "").lower()
                if what == "hurt":
                    injured.append(count)
                elif noun in _ATTACKER_NOUNS:
                    attackers.append(count)
                else:
                    victims.append(count)
        m.victims = _strongest(victims)
        m.attackers = _strongest(attackers)
        m.injured = _strongest(injured)

    # actors

    def _actors_in(
        self, text: str, hits: list[tuple[int, int, str, tuple[tuple[str, Any], ...]]]
    ) -> list[tuple[Actor, int]]:
        out = []
        for h in hits:
            for kind, actor_id in h[3]:
                if kind == "actor" or (kind == "acronym" and text[h[0] : h[1]].isupper()):
                    out.append((self._actors_by_id[actor_id], h[0]))
        return out

    def _read_actors(
        self, s: Sentence, m: Mention, actors_here: list[tuple[Actor, int]], last_group: list[Actor]
    ) -> None:
        text = s.text
        state = _STATE_STRIKE.search(text)
        if state and ("strike" in m.kinds):
            m.state = _STATE_CODE[state.group("who").lower()]
            m.perpetrator = next((a for a in self.actors if a.is_state and a.based_in == m.state), None)
            m.attribution = "attributed"
        for actor, start in actors_here:
            before = text[max(0, start - s.start - 45) : start - s.start]
            if _TARGET_BEFORE.search(before) and not re.search(r"\bby\s+(?:the\s+)?$", before, re.I):
                m.targets.append(actor)
                continue
            if actor.is_state:
                continue  # state forces named in an attack are its victims unless they struck (above)
            if m.perpetrator is None:
                m.perpetrator = actor
        if m.perpetrator is None and _GROUP_ANAPHOR.search(text) and last_group:
            m.perpetrator = last_group[-1]
            m.notes.append(f"'{_GROUP_ANAPHOR.search(text).group(0)}' refers to {last_group[-1].name}")  # type: ignore[union-attr]
        if m.perpetrator is not None and not m.perpetrator.is_state:
            if _CLAIM.search(text):
                m.attribution = "claimed"
            elif _BLAME.search(text):
                m.attribution = "blamed"
            else:
                m.attribution = "attributed"
        target = _TARGET_AFTER.search(text)
        if target:
            m.target_text = target.group("t").strip()

    # records

    def _records_of(
        self, article: ArticleInput, c: list[Mention], ref: tuple[dt.date, str] | None
    ) -> list[dict[str, Any]]:
        body = [m for m in c if not m.summary] or c
        sites: list[PlaceHit] = []
        for m in body:
            if len(m.sites) > 1:
                sites = m.sites
                break
        if not sites:
            fine = [m.place for m in body if m.place is not None]
            best = min(fine, key=lambda p: (p.rank, p.start)) if fine else None
            sites = [best] if best is not None else []
        dates = [m.date for m in body if m.date is not None]
        order = {"day": 0, "week": 1, "month": 2, "year": 3}
        date = min(dates, key=lambda d: order[d.precision]) if dates else None
        # Headlines and "X accused Y" statements may be all that names the perpetrator.
        perps = [m for m in body if m.perpetrator is not None] or [m for m in c if m.perpetrator is not None]
        perp = perps[0].perpetrator if perps else None
        rank = {"claimed": 0, "blamed": 1, "attributed": 2}
        attribution = min(
            (m.attribution for m in perps if m.attribution), key=lambda a: rank[a], default=None
        )
        state = next((m.state for m in body if m.state), None)
        border_side = next((m.border_side for m in body if m.border_side), None)
        border_text = next((m.border_text for m in body if m.border_text), None)
        # One article's figures evolve as it goes ("three were killed... a fourth died later"):
        # keep its highest; reports of different articles are combined by geo.dedup.
        victims = _strongest([m.victims for m in body if m.victims])
        attackers = _strongest([m.attackers for m in body if m.attackers])
        injured = _strongest([m.injured for m in body if m.injured])
        types = [m.event_type for m in body]
        event_type = _most_specific(types)
        if len(sites) > 1:  # a total over several sites: combine the article's statements, conservatively
            victims = combine([m.victims for m in body if m.victims])
            attackers = combine([m.attackers for m in body if m.attackers])
        targets = [t for m in body for t in m.targets]
        target_text = next((m.target_text for m in body if m.target_text), None)
        notes = [n for m in body for n in m.notes]
        place_basis = None
        if (
            state is not None
            and (not sites or sites[0].rank >= 6)
            and event_type in ("air_drone_strike", "missile_attack")
        ):
            # A state's cross-border strike: the other side of the border, or where its target is based.
            other = None
            if border_side is not None:
                side = border_side if border_side != state else None
                side = side or ("IR" if state == "PK" else "PK" if state == "IR" else None)
                region = {"IR": "ir-pakistan-border-region", "PK": "pk-iran-border-region"}.get(side or "")
                other = self.resolver.gazetteer.by_id.get(region or "")
                place_basis = f"a strike by {state} near the border: the other side of it ({side})"
            elif targets and targets[0].based_in and targets[0].based_in != state:
                other = self._country_entry(targets[0].based_in)
                place_basis = f"a strike by {state} on {targets[0].name}, which the actor list places in {targets[0].based_in}; the text names no place"
            if other is not None:
                written = border_text if border_side is not None else None
                sites = [PlaceHit(other, 0, 0, written or _target_phrase(body) or "(no place named)", True)]
        elif not sites and border_side is not None:
            region = {"IR": "pk-iran-border-region", "PK": "ir-pakistan-border-region"}.get(border_side)
            entry = self.resolver.gazetteer.by_id.get(region or "")
            if entry is not None:
                sites = [PlaceHit(entry, 0, 0, border_text or "(near the border)", True)]
                place_basis = "near the border of the country named: its other side"
        quotes_by_sentence = {m.sentence.start: m.sentence for m in body}
        quotes = [
            {"text": sq.text, "start": sq.start, "end": sq.end}
            for sq in sorted(quotes_by_sentence.values(), key=lambda x: x.start)
        ]
        out = []
        multi = len(sites) > 1
        site_list: list[PlaceHit | None] = list(sites) if sites else [None]
        for site in site_list:
            place_text = site.text if site is not None and site.text else None
            rec: dict[str, Any] = {
                "date": date.date if date else None,
                "date_precision": date.precision if date else None,
                "date_basis": f"'{date.text}'"
                + (f" relative to the article's date {ref[0].isoformat()} ({ref[1]})" if ref else "")
                if date
                else None,
                "place_text": place_text or _first_place_text(body),
                "place_id": site.entry.id if site is not None else None,
                "place_context": place_basis,
                "event_type": event_type,
                "perpetrator": perp.name if perp else None,
                "perpetrator_attribution": attribution if perp else None,
                "target": target_text,
                "fatalities": _count_dict(victims, split=multi),
                "attackers_killed": None if (multi or attackers is None) else attackers.best,
                "injured": None if (multi or injured is None) else injured.best,
                "sources": [{"article": article.id, "quotes": quotes}],
            }
            if multi and (victims or attackers):
                rec["fatalities_note"] = (
                    f"the counts ({_count_text(victims, 'killed')}; {_count_text(attackers, 'attackers killed')}) "
                    f"cover the {len(sites)} sites together"
                )
            if notes:
                rec["notes"] = "; ".join(dict.fromkeys(notes))
            if site is not None and site.entry.id.startswith("road-"):
                rec.update(place_id=None, lat=site.entry.lat, lon=site.entry.lon, location_precision=5)
                rec["place_context"] = (
                    f"on the {site.entry.name}: the midpoint of its two towns (a line, precision 5)"
                )
            elif site is not None and site.entry.id.startswith("geonames:"):
                rec.update(place_id=None, lat=site.entry.lat, lon=site.entry.lon, location_precision=1)
                rec["place_context"] = (
                    f"not in the curated gazetteer; {site.entry.name} from GeoNames ({site.entry.id})"
                )
            unresolved = [u for mm in body for u in mm.unresolved]
            if rec["place_id"] is None and rec.get("lat") is None and unresolved:
                rec["place_text"] = unresolved[0]
                rec["place_context"] = (
                    f"{unresolved[0]!r} is in neither the gazetteer nor GeoNames: unlocated"
                )
            if rec["place_text"] is None and rec["place_id"] is None:
                rec["place_text"] = "(no place named)"
            out.append(rec)
        return out


def _one_family(entries: Sequence[Entry]) -> bool:
    """Same-named rows that are one place: a seat and its county or district (same country, nested)."""
    first = entries[0]
    for e in entries[1:]:
        if e.country != first.country or not places_compatible(first, e, km=30.0):
            return False
    return True


def _target_phrase(mentions: Iterable[Mention]) -> str | None:
    for m in mentions:
        if m.target_text:
            return m.target_text
    return None


def _first_place_text(mentions: Iterable[Mention]) -> str | None:
    for m in mentions:
        if m.place is not None:
            return m.place.text
    return None


def _strongest(counts: list[Count]) -> Count | None:
    if not counts:
        return None
    return max(counts, key=lambda c: (c.best or c.low or c.high or 0, c.high is not None))


def _count_dict(c: Count | None, *, split: bool) -> dict[str, int | None]:
    if c is None:
        return {"best": None, "low": None, "high": None}
    if split:  # a total over several sites says nothing exact of each
        return {"best": None, "low": None, "high": c.high}
    return {"best": c.best, "low": c.low, "high": c.high}


def _count_text(c: Count | None, what: str) -> str:
    if c is None:
        return f"{what}: not reported"
    if c.low is not None and c.high is None:
        return f"at least {c.low} {what}"
    return f"{c.best if c.best is not None else c.high} {what}"


_TYPE_ORDER = (
    "suicide_bomb",
    "remote_explosive",
    "grenade",
    "abduction",
    "air_drone_strike",
    "missile_attack",
    "armed_clash",
    "attack",
)


def _most_specific(types: Sequence[str]) -> str:
    return min(types, key=_TYPE_ORDER.index) if types else "attack"


# -- dates ---------------------------------------------------------------------------------------


def reference_date(article: ArticleInput) -> tuple[dt.date, str] | None:
    """The date that relative expressions count from: the article's own date, and its precision.

    From the metadata when given, else from a "date:"/"Updated"/"Published" line near
    the top of the text.  A month- or year-precise date counts from its last day.
    """
    if article.publication_date and article.date_precision:
        span = date_span(article.publication_date, article.date_precision)
        if span is not None:
            return span[1], article.date_precision
    m = _DATE_IN_TEXT.search(article.text[:800])
    if m:
        import dateparser

        parsed = dateparser.parse(m.group("d"), languages=["en"], settings={"STRICT_PARSING": True})
        if parsed is not None:
            return parsed.date(), "day"
    return None


_MONTH_NUMBERS = {m: i for i, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), 1) for m in names}  # fmt: skip
_PLAIN_DAY = re.compile(
    r"^(?:(?P<m1>[A-Za-z]+)\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>[A-Za-z]+)\.?)"
    r"(?:,?\s+(?P<y>\d{4}))?$",
    re.I,
)


@functools.lru_cache(maxsize=4096)
def resolve_date(kind: str, text: str, ref: tuple[dt.date, str] | None) -> tuple[str, str] | None:
    """A date expression -> (ISO date, precision), or None when it cannot be fixed.

    "October 26" and "26 October 2024" are read directly; other forms go to dateparser.
    """
    if kind == "day":
        fast = _plain_day(" ".join(text.split()), ref)
        if not isinstance(fast, bool):
            return fast
    return _resolve_date(kind, text, ref)


def _plain_day(t: str, ref: tuple[dt.date, str] | None) -> tuple[str, str] | bool | None:
    """The common "Month day[, year]" / "day Month [year]" forms; False when it is another form."""
    m = _PLAIN_DAY.match(t)
    if not m:
        return False
    month = _MONTH_NUMBERS.get((m.group("m1") or m.group("m2") or "").lower())
    if month is None:
        return False
    day = int(m.group("d1") or m.group("d2"))
    if m.group("y"):
        year = int(m.group("y"))
    elif ref is not None:
        year = ref[0].year
    else:
        return None  # no year and no article date: cannot be fixed
    try:
        d = dt.date(year, month, day)
    except ValueError:
        return None
    if ref is not None and not m.group("y") and d > ref[0]:
        try:
            d = d.replace(year=d.year - 1)
        except ValueError:
            return None
    return d.isoformat(), "day"


_PLAIN_MONTH = re.compile(r"^(?P<m>[A-Za-z]+)\.?(?:,?\s+(?P<y>\d{4}))?$")


def _plain_month(core: str, ref: tuple[dt.date, str] | None) -> tuple[str, str] | None:
    """ "October" / "Oct. 2023" -> ("2023-10", "month"): without a year, the latest such month not after
    the article's date.  None for any other form (dateparser reads those)."""
    m = _PLAIN_MONTH.match(core)
    month = _MONTH_NUMBERS.get(m.group("m").lower()) if m else None
    if m is None or month is None:
        return None
    if m.group("y"):
        return f"{int(m.group('y')):04d}-{month:02d}", "month"
    if ref is None:
        return None
    year = ref[0].year if (ref[0].year, month) <= (ref[0].year, ref[0].month) else ref[0].year - 1
    return f"{year:04d}-{month:02d}", "month"


def _resolve_date(kind: str, text: str, ref: tuple[dt.date, str] | None) -> tuple[str, str] | None:
    import dateparser

    t = " ".join(text.split())
    low = t.lower()
    has_year = bool(re.search(r"\b\d{4}\b", t))
    base = dt.datetime.combine(ref[0], dt.time()) if ref else None
    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first"}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    if kind == "iso":
        try:
            return dt.date.fromisoformat(t).isoformat(), "day"
        except ValueError:
            return None
    if kind == "year":
        year = int(re.search(r"\d{4}", t).group(0))  # type: ignore[union-attr]
        if ref is not None and year > ref[0].year:
            return None  # a year after the article's: a plan or a forecast, not the event
        return f"{year:04d}", "year"
    if kind in ("day", "month"):
        if not has_year and (ref is None or ref[1] not in ("day", "month", "year")):
            return None
        core = re.sub(r"^(?:in|during|since|early|late|mid-?|of|last)\s+", "", t, flags=re.I)
        if kind == "month" and (plain := _plain_month(core, ref)) is not None:
            return plain  # "October", "October 2023": what dateparser would say, without it
        parsed = dateparser.parse(core, languages=["en"], settings=settings)
        if parsed is None:
            return None
        d = parsed.date()
        if ref is not None and not has_year and d > ref[0]:
            d = d.replace(year=d.year - 1)
        if kind == "month":
            return f"{d.year:04d}-{d.month:02d}", "month"
        return d.isoformat(), "day"
    if ref is None or ref[1] != "day":
        return None  # relative to a date we do not know to the day
    today = ref[0]
    if kind == "weekday":
        wd = re.search(_WEEKDAY, low)
        assert wd is not None
        target = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].index(
            wd.group(0)
        )
        delta = (today.weekday() - target) % 7
        if low.startswith("last") and delta == 0:
            delta = 7
        return (today - dt.timedelta(days=delta)).isoformat(), "day"
    if kind == "relative":
        if "yesterday" in low or "last night" in low:
            return (today - dt.timedelta(days=1)).isoformat(), "day"
        if "same day" in low:
            return None
        return today.isoformat(), "day"
    if kind == "week":
        monday = today - dt.timedelta(days=today.weekday())
        if "last" in low or "past" in low:
            monday -= dt.timedelta(days=7)
        return monday.isoformat(), "week"
    if kind == "lastmonth":
        first = today.replace(day=1) - dt.timedelta(days=1)
        return f"{first.year:04d}-{first.month:02d}", "month"
    return None


# -- grouping the sentences of one article --------------------------------------------------------

_TYPE_FAMILY = {
    "air_drone_strike": "strike", "missile_attack": "strike",
    "armed_clash": "ground", "attack": "ground", "suicide_bomb": "ground", "remote_explosive": "ground",
    "grenade": "ground", "abduction": "abduction",
}  # fmt: skip


def dates_compatible(a: tuple[str, str] | None, b: tuple[str, str] | None, slack_days: int = 0) -> bool:
    if a is None or b is None:
        return True
    sa, sb = date_span(*a), date_span(*b)
    if sa is None or sb is None:
        return True
    slack = dt.timedelta(days=slack_days)
    return sa[0] - slack <= sb[1] and sb[0] - slack <= sa[1]


def places_compatible(a: Entry | None, b: Entry | None, km: float = 25.0) -> bool:
    if a is None or b is None or a.id == b.id:
        return True
    for x, y in ((a, b), (b, a)):
        if x.kind == "country" and y.country == x.country:
            return True
        if x.kind == "province" and y.country == x.country and y.admin1 == x.name:
            return True
        if x.kind in ("county", "district") and y.country == x.country and y.admin2 == x.name:
            return True
        if x.kind == "region" and y.country == x.country:
            return True
    return haversine_km(a.lat, a.lon, b.lat, b.lon) <= km


PAST_DAYS = 30


def _is_past(m: Mention, ref: tuple[dt.date, str] | None) -> bool:
    """Dated well before the article: history, not the article's news."""
    if m.date is None or ref is None:
        return False
    span = date_span(m.date.date, m.date.precision)
    art = date_span(ref[0].isoformat()[: {"day": 10, "month": 7}.get(ref[1], 4)], ref[1])
    return span is not None and art is not None and span[1] < art[0] - dt.timedelta(days=PAST_DAYS)


def _compatible(m: Mention, c: list[Mention], ref: tuple[dt.date, str] | None = None) -> bool:
    for o in c:
        if (m.date is None and _is_past(o, ref)) or (o.date is None and _is_past(m, ref)):
            return False
        if not dates_compatible(
            (m.date.date, m.date.precision) if m.date else None,
            (o.date.date, o.date.precision) if o.date else None,
        ):
            return False
        mp, op = m.place, o.place
        if (
            mp is not None
            and op is not None
            and not places_compatible(mp.entry, op.entry)
            and not (len(o.sites) > 1 and any(places_compatible(mp.entry, s.entry) for s in o.sites))
            and not (len(m.sites) > 1 and any(places_compatible(op.entry, s.entry) for s in m.sites))
        ):
            return False
        generic = {"generic"}
        if (
            not (m.kinds <= generic or o.kinds <= generic)
            and _TYPE_FAMILY[m.event_type] != _TYPE_FAMILY[o.event_type]
        ):
            return False
        if m.perpetrator and o.perpetrator and m.perpetrator.id != o.perpetrator.id:
            return False
    return True


def cluster(mentions: Sequence[Mention], ref: tuple[dt.date, str] | None = None) -> list[list[Mention]]:
    """Group one article's mentions into events: a mention joins the latest compatible group.

    Headlines and summary bullets only join groups; they start one only when the
    body reports no event at all.
    """
    groups: list[list[Mention]] = []
    body = [m for m in mentions if not m.summary]
    summaries = [m for m in mentions if m.summary]
    for m in body:
        for g in reversed(groups):
            if m.anchored and not any(o.date is not None and o.date.date == m.date.date for o in g):  # type: ignore[union-attr]
                continue
            if _compatible(m, g, ref):
                g.append(m)
                break
        else:
            groups.append([m])
    for m in summaries:
        for g in reversed(groups):
            if _compatible(m, g, ref):
                g.append(m)
                break
        else:
            if not body:
                groups.append([m])
    return groups
