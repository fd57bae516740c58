"""Quantitative claims: every figure a report gives for its work, with unit, qualifiers and offsets.

A claim is a number followed by a unit or classifier (件, 次, 场, 份, 人次, 个, 项, 元, % …): Arabic digits
(``3.78万余份``), Chinese numerals (``两次``, ``千余次``, ``近百场``) and 万/千/百 multipliers are converted to a
value. Not claims: years and dates (``2024年``, ``12月30日``, ``3・15``), document numbers, ordinals (``第四年``,
``第一``), numbers inside fixed phrases of the lexicon (``两个维护``, ``一人一案``, ``三所联动``), ``一`` + classifier
used as an article (``一个警务室``), and numbered list markers (``1、2号楼``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

import ahocorasick
import numpy as np
import pandas as pd

from helpers.corpus import Report
from helpers.frames import frame_from_rows
from helpers.lexicon import Lexicon, default_lexicon
from helpers.numerals import NUMERAL_CHARS, chinese_value
from helpers.segment import ITEM_KEYS

#: Units and classifiers, longest first so that ``人次`` wins over ``人``.
UNITS = ("人次", "车次", "条次", "个次", "家次", "班次", "万元", "件", "次", "场", "份", "个", "项", "元", "%",
         "起", "人", "名", "条", "篇", "轮", "家", "户", "期")
_MULTIPLIERS = {"万": 10_000, "千": 1000, "百": 100, "亿": 100_000_000}
_UNIT_RE = "|".join(map(re.escape, UNITS))
#: Words right before a number that make it approximate or a floor (also :data:`QUALIFIERS`).
NEAR = ("近", "约", "超过", "逾")
_CLAIM = re.compile(
    # the look-ahead names every character a claim can start with: the scan skips the rest 3× faster
    rf"(?=[{''.join(w[0] for w in NEAR)}\d{NUMERAL_CHARS}])(?P<near>{'|'.join(NEAR)})?"
    rf"(?:(?P<arabic>\d+(?:,\d{{3}})*(?:\.\d+)?)(?P<mult>万|千|亿)?|(?P<chinese>[{NUMERAL_CHARS}]+))"
    rf"(?P<approx>余|多)?(?P<unit>{_UNIT_RE})"
)
#: Words before a number (in its clause) that qualify it.
QUALIFIERS = ("累计", "全年", "本年度", "今年", "年内", "共计", "共", "合计", "达到", "达", *NEAR)
#: What ends the clause a number is read in (its start is after the last of these before the number).
_BREAKS = "，。；：！？、\n（）“”"
_CLAUSE_BREAK = re.compile(f"[{_BREAKS}]")
_BREAK_CHARS = frozenset(_BREAKS)
#: How far back a claim's clause start is looked for character by character (beyond, by bisection).
_LOOK_BACK = 64
_AFTER_BREAK = re.compile(f"[{_BREAKS}|]")
_REACHED = re.compile(r"(达到了|达到|达)$")
#: Comparable indicators: (id, label, words the counted thing must contain, allowed units, words it must not contain).
FAMILIES = (
    ("mediation_cases", "调解纠纷 / disputes mediated", r"调解|调处", ("件", "起"), r"率"),
    ("mediation_success", "调解成功率 / mediation success rate", r"调解.*成功率|成功率", ("%",), r"$^"),
    ("disputes_screened", "排查纠纷 / disputes screened", r"排查|摸排", ("件", "次", "起"), r"调解"),
    ("publicity_events", "普法宣传活动 / publicity events", r"宣传|普法|讲座|宣讲|文艺", ("场", "次", "轮"),
     r"培训|资料|材料|信息"),
    ("materials", "宣传材料 / materials handed out", r"资料|材料|宣传单|宣传页|宣传信息", ("份", "条"), r"$^"),
    ("trainings", "培训与学法 / trainings and study sessions", r"培训|学法|学习|班次|课程", ("次", "场", "期"), r"宣传"),
)


#: Lexicon fingerprint → an automaton of its terms that hold a numeral (``None`` when there are none).
_NUMERAL_AUTOMATA: dict[str, ahocorasick.Automaton | None] = {}


def _numeral_automaton(lexicon: Lexicon) -> ahocorasick.Automaton | None:
    """An Aho–Corasick automaton of the lexicon's terms that hold a numeral: term → its length (made once)."""
    if lexicon.fingerprint not in _NUMERAL_AUTOMATA:
        terms = [t for t in lexicon.terms["term"] if re.search(r"[一二两三四五六七八九十\d]", t)]
        automaton = None
        if terms:
            automaton = ahocorasick.Automaton()
            for term in terms:
                automaton.add_word(term, len(term))
            automaton.make_automaton()
        _NUMERAL_AUTOMATA[lexicon.fingerprint] = automaton
    return _NUMERAL_AUTOMATA[lexicon.fingerprint]


def _protected_spans(text: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    """Spans of lexicon terms that hold a numeral (fixed phrases such as 两个维护, 一人一案).

    Overlapping ones included, in order of their ends.
    """
    automaton = _numeral_automaton(lexicon)
    if automaton is None:
        return []
    return [(last + 1 - n, last + 1) for last, n in automaton.iter(text)]


def _clause_start(text: str, at: int) -> int | None:
    """Where the clause holding ``at`` starts: just after the last clause break before ``at`` (or 0).

    ``None`` when no break lies within :data:`_LOOK_BACK` characters before it (the caller bisects its list of
    breaks).
    """
    k = at - 1
    stop = max(-1, at - 1 - _LOOK_BACK)
    while k > stop and text[k] not in _BREAK_CHARS:
        k -= 1
    if k > stop:
        return k + 1
    return 0 if stop == -1 else None


def extract_claims(text: str, lexicon: Lexicon | None = None) -> list[dict]:
    """All quantitative claims of a normalised text.

    A number inside a lexicon term (``两个维护``, ``一人一案``) is not a claim: ``lexicon`` names them (default: the
    study's lexicon).

    Returns:
        One dict per claim, in text order: ``value, unit, number_text, qualifiers, counted, after, is_rate,
        is_100pct, start, end`` (``start``/``end`` cover the number and unit; ``counted`` is the clause text
        before the number — the thing counted — and ``after`` the words right after the unit).
    """
    # the characters inside a fixed phrase
    protected = {k for s, e in _protected_spans(text, lexicon or default_lexicon()) for k in range(s, e)}
    breaks: list[int] | None = None  # where clauses start, in order: computed only for a long clause
    claims = []
    for m in _CLAIM.finditer(text):
        start, end = m.start(), m.end()
        number_start = m.start("arabic") if m.group("arabic") else m.start("chinese")
        if number_start in protected:
            continue
        before = text[max(0, number_start - 1) : number_start]
        if before == "第" or (m.group("arabic") and (before.isdigit() or before in ".・·-—")):
            continue
        after_unit = text[end : end + 2]
        if m.group("arabic"):
            if text[end : end + 1].isdigit():
                continue
            value = float(m.group("arabic").replace(",", "")) * _MULTIPLIERS.get(m.group("mult") or "", 1)
        else:
            chinese = chinese_value(m.group("chinese"))
            if chinese is None or chinese == 1 or after_unit.startswith(("小组", "组")):
                continue
            value = chinese
        # the last clause break that ends at or before the claim (a break is one character: it lies before start)
        clause_start = _clause_start(text, start)
        if clause_start is None:  # a long clause: bisect every break's end
            breaks = breaks if breaks is not None else [b.end() for b in _CLAUSE_BREAK.finditer(text)]
            before_claim = bisect.bisect_right(breaks, start)
            clause_start = breaks[before_claim - 1] if before_claim else 0
        clause = text[clause_start:start]
        qualifiers = [q for q in QUALIFIERS if q in clause]
        if m.group("near"):
            qualifiers.insert(0, m.group("near"))
        if m.group("approx"):
            qualifiers.append(m.group("approx"))
        counted = clause
        for q in ("截至目前", "本年度", "全年", "今年", "年内", "累计", "共计", "共", "合计", "其中", "同时"):
            counted = counted.replace(q, "")
        # "|" separates the cells of a .docx table row: 调解纠纷|215件 counts 调解纠纷
        counted = _REACHED.sub("", counted.strip("| ")).strip()
        after = _AFTER_BREAK.split(text[end : end + 12])[0]
        unit = m.group("unit")
        claims.append({
            "value": value, "unit": unit, "number_text": m.group(0), "qualifiers": "、".join(dict.fromkeys(qualifiers)),
            "counted": counted, "after": after, "is_rate": unit == "%", "is_100pct": unit == "%" and value == 100,
            "start": start, "end": end,
        })
    return claims


#: :data:`FAMILIES` with their patterns compiled: ``(family, words, units, veto)``.
_FAMILY_PATTERNS = tuple((family, re.compile(words), units, re.compile(veto)) for family, _, words, units, veto in FAMILIES)

#: Family id → its label.
FAMILY_LABELS = {family: label for family, label, *_ in FAMILIES}


def family_of(counted: str, after: str, unit: str) -> str:
    """The comparable indicator a claim belongs to (see :data:`FAMILIES`), or ``""``."""
    context = counted + after
    for family, words, units, veto in _FAMILY_PATTERNS:
        if unit in units and words.search(context) and not veto.search(context):
            return family
    return ""


def claims_table(reports: Sequence[Report], coded: pd.DataFrame | None = None,
                 lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Every claim of every report, tied to its part, item and (if given) the item's themes.

    Args:
        reports: the reports.
        coded: :func:`helpers.themes.code_items` output, to attach the item's themes.
        lexicon: whose numeral-holding terms are not claims (:func:`extract_claims`; default: the study's).

    Returns:
        ``report_id, part, part_seq, item_seq, value, unit, qualifiers, counted, after, family, is_rate, is_100pct,
        themes, start, end, raw_start, raw_end, raw_text`` (``raw_text`` is the claim as written in the file).
    """
    lexicon = lexicon or default_lexicon()
    columns = ["report_id", "part", "part_seq", "item_seq", "value", "unit", "qualifiers", "counted", "after",
               "family", "is_rate", "is_100pct", "start", "end", "raw_start", "raw_end", "raw_text"]
    rows = []
    for r in reports:
        parts, items = r.segmentation.parts, r.segmentation.items
        claims = extract_claims(r.text, lexicon)
        starts = [claim["start"] for claim in claims]
        part_at, item_at = r.segmentation.locate(starts)
        raw_starts, raw_ends = r.normalised.spans_to_raw(starts, [claim["end"] for claim in claims])
        for claim, p, i, raw_start, raw_end in zip(claims, part_at.tolist(), item_at.tolist(), raw_starts.tolist(),
                                                   raw_ends.tolist()):
            rows.append((r.report_id, parts[p].label, parts[p].seq, items[i].item_seq if i >= 0 else None,
                         claim["value"], claim["unit"], claim["qualifiers"], claim["counted"], claim["after"],
                         family_of(claim["counted"], claim["after"], claim["unit"]), claim["is_rate"],
                         claim["is_100pct"], claim["start"], claim["end"], raw_start, raw_end,
                         r.raw.text[raw_start:raw_end]))
    table = frame_from_rows(rows, columns)
    table["item_seq"] = table["item_seq"].astype("Int64")
    table[["is_rate", "is_100pct"]] = table[["is_rate", "is_100pct"]].astype(bool)  # also when there is no claim
    return with_themes(table, coded)


def with_themes(claims: pd.DataFrame, coded: pd.DataFrame | None) -> pd.DataFrame:
    """Claims with the ``themes`` of the item each lies in (``""`` outside items, or without ``coded``).

    Args:
        claims: claims without a ``themes`` column (:func:`claims_table`'s, or the store's).
        coded: :func:`helpers.themes.code_items` output.

    Returns:
        The claims with ``themes`` inserted before ``start``.
    """
    table = claims.drop(columns="themes", errors="ignore").copy()
    if coded is not None:
        keys = list(ITEM_KEYS)
        found = table[keys].astype({"item_seq": "Int64"}).merge(
            coded[[*keys, "themes"]].astype({"item_seq": "Int64"}), on=keys, how="left")  # left order kept
        values = found["themes"].fillna("").tolist()
    else:
        values = ""
    table.insert(table.columns.get_loc("start"), "themes", values)
    return table


def headline_title(headline: pd.DataFrame, claims: pd.DataFrame, reports: int) -> str:
    """``3 of 5 reports count disputes, 4 count publicity events; 7 claims of 100 %`` for the indicators' chart.

    Args:
        headline: :func:`headline_indicators`.
        claims: :func:`claims_table`.
        reports: how many reports the corpus has.
    """
    disputes = headline.loc[headline["family"].isin(["mediation_cases", "disputes_screened"]), "report_id"].nunique()
    publicity = headline.loc[headline["family"] == "publicity_events", "report_id"].nunique()
    return (f"{disputes} of {reports} reports count disputes, {publicity} count publicity events; "
            f"{int(claims['is_100pct'].sum())} claim{'s' if int(claims['is_100pct'].sum()) != 1 else ''} of 100 %")


def headline_indicators(claims: pd.DataFrame) -> pd.DataFrame:
    """For each report and comparable indicator (:data:`FAMILIES`), the headline claim: the largest value.

    Reports often give several figures for one indicator (cases mediated, then cases mediated successfully);
    the largest is the one a report leads with. Every other claim stays in the claims table.

    Returns:
        ``report_id, family, value, unit, qualifiers, flag, claims, start, raw_start`` — ``claims`` counts the
        report's claims of that family; ``flag`` is ``100%`` for a claim of total success.
    """
    columns = ["report_id", "family", "value", "unit", "qualifiers", "flag", "claims", "start", "raw_start"]
    found = claims[claims["family"] != ""]
    if found.empty:
        return pd.DataFrame(columns=columns)
    groups = found.groupby(["report_id", "family"], sort=False)  # in order of first appearance
    number = groups.ngroup()
    ranked = found.assign(_group=number, _claims=groups["value"].transform("size")).sort_values(
        ["_group", "value", "start"], ascending=[True, False, True], kind="stable")
    best = ranked.drop_duplicates("_group")
    return pd.DataFrame({
        "report_id": best["report_id"].to_numpy(), "family": best["family"].to_numpy(),
        "value": best["value"].to_numpy(), "unit": best["unit"].to_numpy(), "qualifiers": best["qualifiers"].to_numpy(),
        "flag": np.where(best["is_100pct"].to_numpy(dtype=bool), "100%", "").astype(object),
        "claims": best["_claims"].to_numpy(), "start": best["start"].to_numpy(), "raw_start": best["raw_start"].to_numpy(),
    }, columns=columns)



def claims_by_part(claims: pd.DataFrame, order: list[str], labels: dict[str, str]) -> pd.DataFrame:
    """Claims per report and part, and each report's claims of 100 % (reports in ``order``, labelled)."""
    table = pd.crosstab(claims["report_id"], claims["part"]).reindex(order).fillna(0).astype(int)
    table["100% claims"] = claims.groupby("report_id")["is_100pct"].sum().reindex(order).fillna(0).astype(int).to_numpy()
    return table.rename(index=labels)


def headline_table(headline: pd.DataFrame, order: list[str], labels: dict[str, str]) -> pd.DataFrame:
    """Each report's headline claim of each comparable indicator: indicator × report (labelled), blank where none."""
    table = headline.pivot_table(index="family", columns="report_id", values="value", aggfunc="first")
    return table.reindex(index=list(FAMILY_LABELS), columns=order).rename(index=FAMILY_LABELS, columns=labels)
