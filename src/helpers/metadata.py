"""The metadata table ``reports.csv``: its columns, reading it as people save it, checking it, and drafting it.

``reports.csv`` has one row per report (columns :data:`COLUMNS`). People edit it in Excel, which on Chinese
Windows saves GB18030 and reads UTF-8 only with a byte-order mark: the table is read in UTF-8 (with or without
BOM) or GB18030, and drafts are written as UTF-8 *with* BOM so that Excel opens them correctly.

A draft row is inferred from the report itself (:func:`infer_row`): unit and level from the title or
sign-off, year from the title, date and issuer from the sign-off, province / prefecture / county from a real
gazetteer (:mod:`helpers.places`). The column ``inferred`` names the fields that were inferred, so a user knows
what to check; an empty value means "not known" and is never guessed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from helpers.errors import MetadataError
from helpers.paths import relative
from helpers.regions import macro_region

#: Columns of ``reports.csv``, in order.
COLUMNS = (
    "report_id", "file", "original_file", "unit", "unit_level", "province", "city", "district",
    "macro_region", "report_year", "dated", "issuer", "source", "received", "sha256",
)
#: Columns a complete table must have (the bundled corpus's; a user's table needs only ``file``).
REQUIRED = ("report_id", "file", "unit", "unit_level", "province", "report_year", "sha256")
#: Unit levels, from the smallest unit up; ``部门`` is a government department at any level.
UNIT_LEVELS = ("街道", "乡镇", "区县", "地市", "省级", "部门")
#: Fields a draft may infer from a report's text (and fill where a given table leaves them empty).
INFERABLE = ("unit", "unit_level", "province", "city", "district", "report_year", "dated", "issuer")
#: Encodings a metadata table may come in, tried in this order.
TABLE_ENCODINGS = ("utf-8-sig", "gb18030")
#: What other names a table of reports may give the metadata columns (lower case; first found wins).
ALIASES: Mapping[str, tuple[str, ...]] = {
    "report_id": ("report_id", "id", "编号"),
    "unit": ("unit", "单位", "发布单位"),
    "unit_level": ("unit_level", "level", "层级"),
    "province": ("province", "省份", "省"),
    "city": ("city", "prefecture", "城市", "地市"),
    "district": ("district", "county", "区县"),
    "report_year": ("report_year", "year", "年份", "年度"),
    "dated": ("dated", "date", "publish_date", "发布日期", "日期"),
    "issuer": ("issuer", "发布机关"),
    "source": ("source", "source_url", "url", "来源", "链接"),
}
_TITLE_COLUMNS = ("title", "标题", "题目")


def read_table(path: Path | str) -> pd.DataFrame:
    """Read a metadata table as saved by a person: UTF-8 (BOM or not) or GB18030, every value as text.

    Returns:
        The table as written (all columns, values stripped, empty cells as ``""``).

    Raises:
        MetadataError: the file is missing or cannot be read as a CSV table in a supported encoding.
    """
    path = Path(path)
    name = relative(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise MetadataError(f"{name}: no metadata table; create it with one row per report and columns "
                            + ", ".join(COLUMNS)) from None
    except OSError as exc:
        raise MetadataError(f"{name}: cannot be read ({exc.strerror or exc}) — check the file's permissions") from None
    for encoding in TABLE_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise MetadataError(f"{name}: cannot be read as a CSV table ({exc}) — save it again as CSV") from None
        table.columns = [str(c).strip() for c in table.columns]
        return table.apply(lambda s: s.str.strip())
    raise MetadataError(f"{name}: cannot be read as a CSV table in UTF-8 or GB18030 — save it again as "
                        "'CSV UTF-8' (Excel: File › Save As › CSV UTF-8)")


def table_problems(meta: pd.DataFrame, exists=None) -> list[str]:
    """Problems with the values of a metadata table, one line each, naming the file of the row.

    Args:
        meta: the table (columns :data:`COLUMNS` at least).
        exists: optional ``file → bool``; when given, a row whose file does not exist is a problem too.

    Returns:
        Messages of the form ``FILE: what is wrong — what to do``; empty when the table is sound.
    """
    problems = []
    for row in meta.itertuples(index=False):
        name = row.file
        if exists is not None and not exists(row.file):
            problems.append(f"{name}: listed (report_id {row.report_id}) but no such file; add the file or remove its row")
            continue
        if row.unit_level and row.unit_level not in UNIT_LEVELS:
            problems.append(f"{name}: unit_level {row.unit_level!r} is not one of {'/'.join(UNIT_LEVELS)}")
        if row.report_year and (not row.report_year.isdigit() or not 1990 <= int(row.report_year) <= 2100):
            problems.append(f"{name}: report_year {row.report_year!r} is not a year (the year reported on, e.g. 2024)")
        if row.dated and not is_date(row.dated):
            problems.append(f"{name}: dated {row.dated!r} is not a date like 2025-01-06 (leave it empty when unknown)")
        expected = macro_region(row.province) if row.province else ""
        if expected is None:
            problems.append(f"{name}: province {row.province!r} is not a Chinese province-level unit")
        elif row.macro_region and row.macro_region != expected:
            problems.append(f"{name}: macro_region {row.macro_region!r} disagrees with {row.province} ({expected})")
    return problems


def duplicate_problems(meta: pd.DataFrame, required: tuple[str, ...] = ("report_id", "file")) -> list[str]:
    """Rows without a value in a ``required`` column, and ids or files used twice (each report needs its own)."""
    problems = []
    for column in ("report_id", "file"):
        empty = meta.index[meta[column] == ""].tolist()
        if empty and column in required:
            problems.append(f"row(s) {[i + 2 for i in empty]} have no {column}")
        dup = meta[(meta[column] != "") & meta[column].duplicated(keep=False)]
        if len(dup):
            problems.append(f"duplicate {column} {sorted(set(dup[column]))} (files: {sorted(set(dup['file']))}); "
                            f"each report needs its own {column}")
    return problems


def complete_columns(meta: pd.DataFrame) -> pd.DataFrame:
    """``meta`` with every column of :data:`COLUMNS` (missing ones empty) first, other columns kept after them."""
    meta = meta.copy()
    for column in COLUMNS:
        if column not in meta.columns:
            meta[column] = ""
    return meta[list(COLUMNS) + [c for c in meta.columns if c not in COLUMNS]]


def fill_regions(meta: pd.DataFrame) -> pd.DataFrame:
    """``macro_region`` filled from ``province`` where empty (the NBS four regions)."""
    meta = meta.copy()
    meta["macro_region"] = [m or (macro_region(p) or "" if p else "") for m, p in zip(meta["macro_region"], meta["province"])]
    return meta


def is_date(value: str) -> bool:
    """True for an ISO date ``YYYY-MM-DD`` that exists."""
    try:
        pd.Timestamp(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def iso_date(value: str) -> str:
    """``2025年1月6日``, ``2025/1/6``, ``2025-01-06 08:00`` → ``2025-01-06``; ``""`` when it is no date."""
    value = value.strip()
    m = re.match(r"(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})", value)
    if not m:
        return ""
    candidate = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return candidate if is_date(candidate) else ""


def from_columns(columns: Mapping[str, str]) -> tuple[dict[str, str], str]:
    """Metadata found in a table-of-reports row's own columns (see :data:`ALIASES`), and its title.

    Values that do not fit the column (a year that is no year, a date that is no date, a province that is
    none) are left out, to be inferred from the text instead.
    """
    lowered = {str(k).strip().lower(): str(v).strip() for k, v in columns.items() if v is not None}
    found: dict[str, str] = {}
    for column, names in ALIASES.items():
        value = next((lowered[n] for n in names if lowered.get(n)), "")
        if column == "report_year":
            m = re.search(r"(19|20)\d{2}", value)
            value = m.group() if m else ""
        elif column == "dated":
            value = iso_date(value)
        elif column == "province" and value and macro_region(value) is None:
            value = ""
        elif column == "unit_level" and value not in UNIT_LEVELS:
            value = ""
        if value:
            found[column] = value
    title = next((lowered[n] for n in _TITLE_COLUMNS if lowered.get(n)), "")
    return found, title


#: A unit's name: a run of name characters (no digits, dates, prepositions or punctuation) ending in a unit word.
_UNIT = re.compile(r"[^\s\d年月日在的、，,.:;。：；！？（）《》“”\"'—-]{1,16}?"
                   r"(?:街道|乡|镇|局|委员会|办公室|厅|县|区|旗|市|省|自治区)")
#: Which unit word makes a unit most specific: the reporting unit is the smallest one its title names.
_UNIT_RANK = (("街道", "乡", "镇"), ("局", "委员会", "办公室", "厅"), ("县", "区", "旗"), ("市",), ("省", "自治区"))
_YEAR_TITLE = re.compile(r"((?:19|20)\d{2})\s*年度?")
#: A date as the sign-off writes it (2024年12月30日): year, month, day.
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_UNIT_HEAD = re.compile(r"^(?:中共|中国共产党)")


def unit_name(text: str) -> str:
    """The reporting unit a title (or sign-off) names: the most specific unit in its first line that names one.

    Example:
        >>> unit_name("雁塔区小寨路街道2024年度法治政府建设工作总结")
        '小寨路街道'
        >>> unit_name("西安市司法局2024年法治政府建设年度报告")
        '西安市司法局'
    """
    for line in text.split("\n"):
        if line.rstrip().endswith(("：", ":")):
            continue  # a salutation (新区党工委、管委会：) names who is addressed, not who reports
        found = [(m, _UNIT_HEAD.sub("", m.group())) for m in _UNIT.finditer(line)]
        found = [(m, name) for m, name in found if len(name) >= 2]
        if not found:
            continue
        def rank(name: str) -> int:
            return next(k for k, words in enumerate(_UNIT_RANK) if name.endswith(words))
        best = min(range(len(found)), key=lambda k: (rank(found[k][1]), k))
        m, name = found[best]
        if rank(name) == 1 and best > 0 and found[best - 1][0].end() == m.start():
            name = found[best - 1][1] + name  # a department is named with its government: 西安市 + 司法局
        return name
    return ""


def unit_level(unit: str, province: str = "", city: str = "") -> str:
    """The level of a unit from its name: ``华家街道`` → 街道, ``XX镇`` → 乡镇, ``雁塔区`` → 区县, ``XX局`` → 部门.

    A unit named like its province (``北京市``) is 省级, like its prefecture (``益阳市``) 地市.
    """
    if unit.endswith("街道"):
        return "街道"
    if unit.endswith(("乡", "镇")):
        return "乡镇"
    if unit.endswith(("局", "委员会", "办公室", "厅")):
        return "部门"
    if (province and unit and province.startswith(unit.removesuffix("市").removesuffix("省"))
            and unit.endswith(("省", "市", "自治区"))):
        return "省级"
    if unit.endswith(("县", "区", "旗")):
        return "区县"
    if unit.endswith("市"):
        return "地市" if not city or unit == city else "区县"
    return ""


def infer_row(report, title: str = "", given: Mapping[str, str] | None = None) -> dict[str, str]:
    """What a report says about itself: the inferable fields (:data:`INFERABLE`) it gives, and which ones.

    Args:
        report: a loaded :class:`helpers.corpus.Report` (its text and parts are read).
        title: a title known from elsewhere (a table's ``title`` column), read before the text.
        given: values already known (from ``reports.csv`` or a table's columns): they are kept, and help
            (a given province narrows the place search).

    Returns:
        Every field of :data:`INFERABLE` plus ``macro_region``, ``inferred`` (the fields filled here,
        ``;``-separated), ``adcode`` (the administrative code of the most specific place found) and ``place_note``
        (why a place was left empty, e.g. an ambiguous county name); a field that could not be inferred stays ``""``.
    """
    from helpers.places import locate

    given = {k: v for k, v in (given or {}).items() if v}
    text, seg = report.text, report.segmentation
    preamble = next((text[p.start : p.end] for p in seg.parts if p.label == "preamble"), text[:300])
    signoff = next((text[p.start : p.end] for p in seg.parts if p.label == "signoff"), "")
    head = (title + "\n" + preamble[:300]).strip()
    guessed: dict[str, str] = {}
    year = _YEAR_TITLE.search(head)
    if year:
        guessed["report_year"] = year.group(1)
    date = DATE.search(signoff)
    if date:
        guessed["dated"] = iso_date(date.group())
    # the issuer: the sign-off's first line once its date is taken out (a scraped sign-off is one line: 工作委员会2024年12月30日)
    issuer = next((rest for line in signoff.split("\n") if (rest := DATE.sub("", line).strip())), "")
    if issuer:
        guessed["issuer"] = issuer
    unit = unit_name(head) or unit_name(signoff)
    if unit:
        guessed["unit"] = unit
    place = locate({"metadata": given.get("province", "") + given.get("city", "") + given.get("district", ""),
                    "unit": given.get("unit", guessed.get("unit", "")), "issuer": given.get("issuer", issuer),
                    "title": head, "text": text[:600]})
    for field, value in (("province", place.province), ("city", place.city), ("district", place.county)):
        if value:
            guessed[field] = value
    unit = given.get("unit", guessed.get("unit", ""))
    level = unit_level(unit, given.get("province", guessed.get("province", "")), given.get("city", guessed.get("city", "")))
    if level:
        guessed["unit_level"] = level
    province_level = level == "省级"
    if province_level:  # a province's own report: the places its text names are not where it stands
        guessed.pop("city", None)
        guessed.pop("district", None)
    row = {field: given.get(field, "") or guessed.get(field, "") for field in INFERABLE}
    row["inferred"] = ";".join(f for f in INFERABLE if not given.get(f) and guessed.get(f))
    adcode = place.adcode if row["province"] == place.province else ""
    row["adcode"] = adcode[:2] + "0000" if adcode and province_level else adcode  # the province's own code
    row["place_note"] = place.note
    row["macro_region"] = macro_region(row["province"]) or "" if row["province"] else ""
    return row


def write_draft(table: pd.DataFrame, path: Path) -> Path:
    """Write a draft metadata table as UTF-8 with BOM (what Excel opens correctly); returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, lineterminator="\n", encoding="utf-8-sig")
    return path


def report_id_for(name: str, taken: set[str]) -> str:
    """A readable, unique id from a file's stem (letters, digits, ideographs; ``-2``, ``-3`` … on collision)."""
    base = re.sub(r"[^0-9A-Za-z_\u4e00-\u9fff-]+", "_", name).strip("_").lower() or "report"
    candidate, k = base, 1
    while candidate in taken:
        k += 1
        candidate = f"{base}-{k}"
    taken.add(candidate)
    return candidate
