"""The compliance scorecard: what each report holds of what the 2019 regulation mandates, and when it is dated.

The 2019 《法治政府建设与责任落实督察工作规定》 lists five contents of the annual 法治政府建设 report (举措和成效,
不足和原因, the 第一责任人's duties, 下一年度安排, 其他) and, in 第二十四条, has it published by 1 April of the following
year (../shared/reference/national_frame.md). :func:`scorecard` checks each report of a study against those rules,
one column per rule, from the tables the study already has — the parts, the coded items, the metadata, and notebook
04's concreteness and plan answers (:func:`helpers.findings.comparison_tables`) — and never adds the columns up
into a score: their weights would be a choice the regulation does not make. Every present part carries the raw
offset of its heading, so each "present" can be checked in the file. docs/compliance.md gives each column's rule,
the article it comes from and how the code decides it.

The date a report carries is the date it gives itself (its sign-off, or the date a metadata table gives), not
the date it was published: publication dates are not in the data, so :data:`DEADLINE_COLUMN` says whether the
report is *dated* by 1 April, which is necessary for publication by then but not the same.

:func:`group_shares` gives each column's share by macro-region and by unit level (with counts and n);
:func:`summary` and :func:`words` give the headline numbers and sentences (as :mod:`helpers.findings` does for
notebooks 01–04).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.comparison import responsiveness_summary
from helpers.findings import REGULATED_GENRES, Findings, cap, listing, n_line, of, span, unit_names, who
from helpers.metadata import DATE as SIGNOFF_DATE  # the sign-off date as the metadata draft reads it
from helpers.metadata import UNIT_LEVELS, iso_date
from helpers.profiles import profile_for
from helpers.regions import MACRO_REGIONS
from helpers.unavailable import Unavailable

#: The contents the 2019 regulation lists for the annual report, as the parts the segmenter reads (1–5, in its order).
MANDATED_CONTENTS = ("measures", "shortcomings", "leadership", "plans", "other")
#: The first four must be there; 其他需要报告的情况 (5) is there when there is something else to report.
REQUIRED_CONTENTS = MANDATED_CONTENTS[:4]
#: 第二十四条: published by 1 April of the year after the year reported on (month, day).
DEADLINE = (4, 1)
#: What the deadline column measures: whether the report's own date is on or before the deadline.
DEADLINE_COLUMN = "dated_by_deadline"
#: Where a date or an issuer came from: the metadata as given, read from the report's text, or not known.
SOURCES = ("given", "text", "unknown")
#: A group whose macro-region or unit level is not known.
UNKNOWN_GROUP = "(unknown)"
#: English names of the macro-regions and unit levels, for bilingual chart labels.
REGION_EN = {"东部": "East", "中部": "Central", "西部": "West", "东北": "Northeast"}
LEVEL_EN = {"街道": "subdistrict", "乡镇": "township", "区县": "county", "地市": "prefecture", "省级": "province",
            "部门": "department"}
#: The groupings of :func:`group_shares`, with their bilingual names.
GROUPINGS = {"macro_region": "大区 / macro-region", "unit_level": "层级 / unit level"}

#: The yes/no columns of the scorecard that :func:`group_shares` counts over reports, with their chart labels.
REPORT_CHECKS = {
    "has_measures": "举措和成效 / measures",
    "has_shortcomings": "不足和原因 / shortcomings",
    "causes_stated": "原因 (编码) / causes stated",
    "causes_in_heading": "标题含“原因” / 原因 in heading",
    "has_leadership": "第一责任人 / leadership",
    "has_plans": "下一年度安排 / plans",
    "has_other": "其他 / other",
    "issuer_present": "发布机关 / issuer known",
    "date_present": "日期 / date known",
    DEADLINE_COLUMN: "4月1日前落款 / dated by 1 April",
}
#: Item shares :func:`group_shares` pools over a group's shortcoming items: count column → (denominator column, chart label).
ITEM_CHECKS = {
    "shortcoming_items_concrete": ("shortcoming_items", "具体的不足条目 / concrete shortcoming items"),
    "shortcoming_items_answered": ("shortcoming_items_with_theme", "有安排回应 / answered by a plan"),
}


def _part_columns(part: str, zh: str) -> dict[str, tuple[str, str]]:
    return {f"has_{part}": ("boolean", f"the report has a `{part}` part ({zh}) opened by a heading"),
            f"{part}_raw_start": ("integer", f"where the first `{part}` part's heading begins, offset into the "
                                             "report's file as read; empty when the report has none")}


#: Every column of :func:`scorecard` (before the versions stamp): ``column → (type, meaning)``, for the data
#: dictionary; docs/compliance.md gives the rule behind each and the article it comes from.
COLUMNS: dict[str, tuple[str, str]] = {
    "report_id": ("text", "the report's id (as in `reports.csv`)"),
    "unit": ("text", "as in `reports.csv`"),
    "unit_level": ("text", "as in `reports.csv`"),
    "province": ("text", "as in `reports.csv`"),
    "macro_region": ("text", "as in `reports.csv`"),
    "report_year": ("integer", "the year reported on; empty when unknown"),
    **_part_columns("measures", "举措和成效"),
    **_part_columns("shortcomings", "不足和原因"),
    "causes_stated": ("boolean", "at least one item of the shortcomings part carries a cause of the causes codebook "
                                 "(`coded.causes`, data/codebook/causes.yaml); false without a shortcomings part"),
    "causes_in_heading": ("boolean", "a shortcomings heading names 原因 (the report announces causes)"),
    **_part_columns("leadership", "第一责任人职责"),
    **_part_columns("plans", "下一年度安排"),
    **_part_columns("other", "其他需要报告的情况"),
    "signoff_raw_start": ("integer", "where the sign-off (issuer and date after the last part) begins, offset into the "
                                     "file as read; empty when the report ends without one"),
    "signoff_dated": ("text", "the date the sign-off itself states (ISO; `YYYY年M月D日` read as the metadata draft "
                              "reads it); empty when it states none or there is no sign-off"),
    "issuer": ("text", "the issuer, as in `reports.csv` (given, or read from the sign-off)"),
    "issuer_present": ("boolean", "an issuer is known"),
    "issuer_source": ("text", "`given` (reports.csv or a table's columns), `text` (read from the sign-off) or "
                              "`unknown`"),
    "dated": ("text", "the date the report carries (ISO), as in `reports.csv`; empty when unknown — not the "
                      "publication date"),
    "date_present": ("boolean", "a date is known"),
    "date_source": ("text", "`given` (reports.csv or a table's columns), `text` (read from the sign-off) or `unknown`"),
    "days_after_year_end": ("integer", "days from 31 December of the year reported on to `dated` (negative: dated "
                                       "before the year's end); empty without a date or a year"),
    DEADLINE_COLUMN: ("boolean", "`dated` is on or before 1 April of the year after the year reported on (第二十四条 "
                                 "sets that day for publication); empty without a date or a year, never guessed"),
    "chars": ("integer", "characters of the normalised text"),
    "raw_chars": ("integer", "characters of the file as read"),
    "shortcoming_items": ("integer", "items of the shortcomings parts, leads left out (notebook 04's count)"),
    "shortcoming_items_with_cause": ("integer", "of them, items with a coded cause"),
    "shortcoming_items_concrete": ("integer", "of them, items naming a figure, a 《document》 or a place "
                                              "(helpers.comparison.concreteness)"),
    "shortcoming_items_with_theme": ("integer", "shortcoming items with a theme (leads included when they have one): "
                                                "the items a plan can answer (helpers.comparison.responsiveness)"),
    "shortcoming_items_answered": ("integer", "of them, items with a plan item of the same report on the same theme"),
    "concrete_pct": ("float", "`shortcoming_items_concrete` ÷ `shortcoming_items`, in percent; empty when there are "
                              "no items"),
    "answered_pct": ("float", "`shortcoming_items_answered` ÷ `shortcoming_items_with_theme`, in percent; empty when "
                              "no item has a theme"),
}


# ---------------------------------------------------------------------------------------------------------------
# the scorecard


def _source(value: str, field_name: str, inferred: str) -> str:
    """``given``, ``text`` (the field is among the metadata's ``inferred`` fields) or ``unknown`` (no value)."""
    if not value:
        return "unknown"
    return "text" if field_name in str(inferred).split(";") else "given"


def deadline_check(report_year: object, dated: str) -> tuple[int | None, bool | None]:
    """Days from the end of the year reported on to the report's date, and whether that date is by 1 April.

    Args:
        report_year: the year reported on (an int, a digit string, or empty/NA when unknown).
        dated: the report's date, ISO (``2025-01-06``), or ``""`` when unknown.

    Returns:
        ``(days_after_year_end, dated_by_deadline)``: 31 December of the year is day 0 (a report signed on
        30 December is -1); 1 April of the next year is the last day that meets the deadline (day 91, or 92 in a
        leap year). Both are ``None`` when the date or the year is not known — never guessed.

    Example:
        >>> deadline_check(2024, "2025-04-01")
        (91, True)
        >>> deadline_check(2024, "2025-04-02")
        (92, False)
        >>> deadline_check(None, "2025-01-06")
        (None, None)
    """
    if not dated or report_year is None or pd.isna(report_year) or str(report_year).strip() == "":  # type: ignore[arg-type]
        return None, None
    year = int(str(report_year))
    day = dt.date.fromisoformat(str(dated))
    days = (day - dt.date(year, 12, 31)).days
    return days, day <= dt.date(year + 1, *DEADLINE)


def signoff_dates(parts: pd.DataFrame, texts: pd.DataFrame) -> dict[str, str]:
    """Report id → the date its sign-off states (ISO), read as :func:`helpers.metadata.infer_row` reads it.

    Args:
        parts: the parts table (``report_id, part, start, end``).
        texts: ``report_id, text`` (the normalised texts the offsets point into).

    Returns:
        ``""`` for a report whose sign-off states no ``YYYY年M月D日`` date; reports without a sign-off left out.
    """
    sign = parts[parts["part"] == "signoff"].drop_duplicates("report_id")
    text_of = texts.set_index("report_id")["text"]
    out = {}
    for rid, start, end in zip(sign["report_id"], sign["start"], sign["end"]):
        found = SIGNOFF_DATE.search(text_of[rid][start:end])
        out[str(rid)] = iso_date(found.group()) if found else ""
    return out


def scorecard_from(corpus: pd.DataFrame, metadata: pd.DataFrame, parts: pd.DataFrame, coded: pd.DataFrame,
                   critic: pd.DataFrame, answers: pd.DataFrame, texts: pd.DataFrame | Mapping[str, str]) -> pd.DataFrame:
    """The scorecard of a corpus from its tables (:func:`scorecard` reads them from a study).

    Args:
        corpus: the corpus table (:func:`helpers.structure.corpus_table_from`): ``report_id, unit, unit_level,
            province, macro_region, report_year, dated, raw_chars, chars``, in the study's order.
        metadata: the metadata used (``report_id, issuer, dated, inferred`` — ``inferred`` names the fields read
            from the report's text, ``;``-separated).
        parts: the parts table (``report_id, part_seq, part, heading, start, end, raw_start``).
        coded: the coded items (``report_id, part_seq, item_seq, part, item_kind, causes``).
        critic: :func:`helpers.comparison.self_criticism` indexed by report id (``shortcomings_items``,
            ``shortcomings_concrete_pct``).
        answers: :func:`helpers.comparison.responsiveness` of the coder's themes (may be empty).
        texts: ``report_id, text``, the normalised texts (for the date the sign-off states) — or those dates,
            already read (:func:`signoff_dates`).

    Returns:
        One row per report of ``corpus``, in its order: see docs/compliance.md for every column and its rule.
    """
    order = list(corpus["report_id"])
    table = corpus[["report_id", "unit", "unit_level", "province", "macro_region", "report_year"]].copy()
    table = table.reset_index(drop=True)
    headed = parts[parts["heading"].fillna("") != ""].sort_values(["report_id", "part_seq"], kind="stable")
    for part in MANDATED_CONTENTS:
        first = headed[headed["part"] == part].drop_duplicates("report_id").set_index("report_id")["raw_start"]
        starts = first.reindex(order)
        table[f"has_{part}"] = starts.notna().to_numpy()
        table[f"{part}_raw_start"] = starts.astype("Int64").array
        if part == "shortcomings":  # a cause is stated in a shortcomings part the report has (opened by a heading)
            with_cause, in_heading = _causes(order, coded, headed)
            table["causes_stated"] = with_cause & table["has_shortcomings"].to_numpy()
            table["causes_in_heading"] = in_heading
    signoff = parts[parts["part"] == "signoff"].drop_duplicates("report_id").set_index("report_id")["raw_start"]
    table["signoff_raw_start"] = signoff.reindex(order).astype("Int64").array
    stated = texts if isinstance(texts, Mapping) else signoff_dates(parts, texts)
    table["signoff_dated"] = [stated.get(r, "") for r in order]
    meta = metadata.set_index("report_id").reindex(order)
    inferred = meta["inferred"].fillna("") if "inferred" in meta else pd.Series("", index=meta.index)
    issuer = meta["issuer"].fillna("").astype(str)
    dated = meta["dated"].fillna("").astype(str)
    table["issuer"] = issuer.to_numpy()
    table["issuer_present"] = (issuer != "").to_numpy()
    table["issuer_source"] = [_source(v, "issuer", i) for v, i in zip(issuer, inferred)]
    table["dated"] = dated.to_numpy()
    table["date_present"] = (dated != "").to_numpy()
    table["date_source"] = [_source(v, "dated", i) for v, i in zip(dated, inferred)]
    checked = [deadline_check(y, d) for y, d in zip(table["report_year"], table["dated"])]
    table["days_after_year_end"] = pd.array([c[0] for c in checked], dtype="Int64")
    table[DEADLINE_COLUMN] = pd.array([c[1] for c in checked], dtype="boolean")
    sizes = corpus.set_index("report_id").reindex(order)
    table["chars"] = sizes["chars"].astype("int64").to_numpy()
    table["raw_chars"] = sizes["raw_chars"].astype("int64").to_numpy()
    table = pd.concat([table, _shortcoming_items(order, coded, critic, answers)], axis=1)
    return table[list(COLUMNS)]


def _causes(order: Sequence[str], coded: pd.DataFrame, headed: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per report: whether a shortcomings item carries a coded cause, whether a shortcomings heading names 原因."""
    short = coded[(coded["part"] == "shortcomings") & (coded["causes"].fillna("") != "")]
    with_cause = set(short["report_id"])
    named = set(headed.loc[(headed["part"] == "shortcomings") & headed["heading"].str.contains("原因", regex=False),
                           "report_id"])
    return np.array([r in with_cause for r in order]), np.array([r in named for r in order])


def _shortcoming_items(order: Sequence[str], coded: pd.DataFrame, critic: pd.DataFrame,
                       answers: pd.DataFrame) -> pd.DataFrame:
    """Per report: shortcoming items, with a cause, concrete (notebook 04's count), with a theme, answered by a plan."""
    crit = critic.reindex(list(order))
    items = crit["shortcomings_items"].fillna(0).astype("int64")
    concrete = (items * crit["shortcomings_concrete_pct"].fillna(0) / 100).round().astype("int64")
    listed = coded[(coded["part"] == "shortcomings") & (coded["item_kind"] != "lead")]
    with_cause = listed[listed["causes"].fillna("") != ""].groupby("report_id").size().reindex(list(order))
    if len(answers):
        answered = responsiveness_summary(answers, order)
    else:
        answered = pd.DataFrame({"shortcoming_items": np.nan, "answered": np.nan}, index=pd.Index(list(order)))
    out = pd.DataFrame({
        "shortcoming_items": items.to_numpy(),
        "shortcoming_items_with_cause": with_cause.fillna(0).astype("int64").to_numpy(),
        "shortcoming_items_concrete": concrete.to_numpy(),
        "shortcoming_items_with_theme": answered["shortcoming_items"].fillna(0).astype("int64").to_numpy(),
        "shortcoming_items_answered": answered["answered"].fillna(0).astype("int64").to_numpy(),
    })
    out["concrete_pct"] = _pct(out["shortcoming_items_concrete"], out["shortcoming_items"])
    out["answered_pct"] = _pct(out["shortcoming_items_answered"], out["shortcoming_items_with_theme"])
    return out


def _pct(count: pd.Series, n: pd.Series) -> pd.Series:
    """``100 · count / n``, NaN where ``n`` is 0 (nothing to take a share of)."""
    return 100 * count / n.where(n > 0)


def not_governed(genre: str) -> Unavailable | None:
    """The sentence a study of a genre the 2019 regulation does not govern shows instead of a scorecard (else None)."""
    if genre in REGULATED_GENRES:
        return None
    name = profile_for(genre).name
    return Unavailable("the compliance scorecard",
                       f"these reports are {name} (genre {genre}), which the 2019 《法治政府建设与责任落实督察工作规定》 "
                       "does not govern: its mandated contents and its 1 April deadline are those of the annual "
                       "法治政府建设 report, so a table of what they lack would say nothing about these reports")


def scorecard(study, tables: Mapping | None = None) -> pd.DataFrame | Unavailable:
    """One row per report of a study: the mandated contents it has, its issuer and date, its shortcoming items.

    Args:
        study: a :class:`helpers.context.Study`.
        tables: :func:`helpers.findings.comparison_tables` of the study, when notebook 04's tables are at hand
            (computed here otherwise).

    Returns:
        :func:`scorecard_from` of the study's tables with the versions stamp (:meth:`Study.stamped`) — or an
        :class:`~helpers.unavailable.Unavailable` for a genre the 2019 regulation does not govern (政府工作报告).
    """
    refused = not_governed(getattr(study, "genre", "fazhi_report"))
    if refused is not None:
        return refused
    from helpers.findings import comparison_tables

    t = tables if tables is not None else comparison_tables(study, claims=False)
    parts = study.parts()
    table = scorecard_from(study.corpus, study.metadata, parts, t["coded"], t["critic"], t["answers"],
                           _signoff_dates(study.store, parts))
    return study.stamped(table)


#: Reports whose texts are read at once for the dates their sign-offs state (:func:`scorecard`): at 2·10⁴ reports a
#: slice of 5 000 held 0.19 GB, of 2 000 0.09 GB (0.3 s more), on top of notebook 04's tables.
TEXT_SLICE_REPORTS = 2000


def _signoff_dates(store, parts: pd.DataFrame, reports: int = TEXT_SLICE_REPORTS) -> dict[str, str]:
    """:func:`signoff_dates` of the store's reports, their texts read a slice of ``reports`` at a time.

    Every text at once held 0.3 GB at 2·10⁴ reports, for the few lines of each sign-off.
    """
    signed = parts[parts["part"] == "signoff"]
    ids = list(dict.fromkeys(signed["report_id"].tolist()))
    stated: dict[str, str] = {}
    for at in range(0, len(ids), max(reports, 1)):
        chosen = ids[at:at + max(reports, 1)]
        stated.update(signoff_dates(signed[signed["report_id"].isin(chosen)],
                                    store.table("texts", columns=["text"], reports=chosen)))
    return stated


# ---------------------------------------------------------------------------------------------------------------
# by group


def _groups(values: pd.Series, known: Sequence[str]) -> tuple[pd.Series, list[str]]:
    """The group of each report (:data:`UNKNOWN_GROUP` when empty) and the groups present, in the study's order."""
    groups = values.fillna("").astype(str).replace("", UNKNOWN_GROUP)
    present = set(groups)
    ordered = [g for g in known if g in present] + sorted(present - set(known) - {UNKNOWN_GROUP})
    return groups, ordered + ([UNKNOWN_GROUP] if UNKNOWN_GROUP in present else [])


def group_shares(table: pd.DataFrame, by: Sequence[str] = ("macro_region", "unit_level")) -> pd.DataFrame:
    """Each column's share by group: reports with each yes/no column, shortcoming items pooled, with counts and n.

    Args:
        table: a :func:`scorecard`.
        by: the groupings (``macro_region``, ``unit_level``; ``all`` for the whole corpus).

    Returns:
        One row per grouping × group × column: ``grouping, group, group_reports, column, counted`` (``reports``
        or ``items``), ``count``, ``n`` (the denominator: reports whose answer is known — for the deadline, those
        with a date and a year — or the group's shortcoming items, or those with a theme), ``not_known``
        (reports left out of ``n`` for want of a date or year), ``share_pct`` (NaN when ``n`` is 0). Groups in
        the study's order (:data:`helpers.regions.MACRO_REGIONS`, :data:`helpers.metadata.UNIT_LEVELS`), an
        unknown group last.
    """
    rows = []
    for grouping in by:
        if grouping == "all":
            groups, ordered = pd.Series("all", index=table.index), ["all"]
        else:
            groups, ordered = _groups(table[grouping], MACRO_REGIONS if grouping == "macro_region" else UNIT_LEVELS)
        for group in ordered:
            own = table[groups == group]
            for column in REPORT_CHECKS:
                values = own[column].astype("boolean")
                known = values.dropna()
                rows.append({"grouping": grouping, "group": group, "group_reports": len(own), "column": column,
                             "counted": "reports", "count": int(known.sum()), "n": len(known),
                             "not_known": len(values) - len(known)})
            for column, (denominator, _) in ITEM_CHECKS.items():
                rows.append({"grouping": grouping, "group": group, "group_reports": len(own), "column": column,
                             "counted": "items", "count": int(own[column].sum()), "n": int(own[denominator].sum()),
                             "not_known": 0})
    out = pd.DataFrame(rows, columns=["grouping", "group", "group_reports", "column", "counted", "count", "n",
                                      "not_known"])
    out["share_pct"] = _pct(out["count"], out["n"])
    return out


def group_label(grouping: str, group: str, reports: int) -> str:
    """``东部 / East (n = 3)``: a group's bilingual label with its number of reports."""
    names = {**REGION_EN, **LEVEL_EN}
    name = f"{group} / {names[group]}" if group in names else ("（未知）/ unknown" if group == UNKNOWN_GROUP else group)
    return f"{name} (n = {reports:,})"


def chart_tables(shares: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame] | Unavailable:
    """The heatmap's cells from :func:`group_shares`: shares (%) and their ``count/n`` labels.

    Returns:
        ``(shares_pct, counts)``: rows are the columns' bilingual labels (:data:`REPORT_CHECKS`,
        :data:`ITEM_CHECKS`), columns a two-level index (grouping's name, group's label with n); NaN and ``""``
        where a share has no denominator. :class:`~helpers.unavailable.Unavailable` when no group has a report.
    """
    shares = shares[shares["grouping"] != "all"]
    if shares.empty:
        return Unavailable("compliance by macro-region and unit level", "the scorecard has no report")
    labels = {**REPORT_CHECKS, **{c: label for c, (_, label) in ITEM_CHECKS.items()}}
    keys = list(dict.fromkeys(zip(shares["grouping"], shares["group"], shares["group_reports"])))
    columns = pd.MultiIndex.from_tuples([(GROUPINGS.get(g, g), group_label(g, x, n)) for g, x, n in keys])
    rows = [c for c in labels if c in set(shares["column"])]
    pct = pd.DataFrame(np.nan, index=[labels[c] for c in rows], columns=columns)
    counts = pd.DataFrame("", index=pct.index, columns=columns)
    for r in shares.itertuples():
        col = (GROUPINGS.get(r.grouping, r.grouping), group_label(r.grouping, r.group, r.group_reports))
        if r.n:
            pct.loc[labels[r.column], col] = r.share_pct
            counts.loc[labels[r.column], col] = f"{r.count:,}/{r.n:,}"
    return pct, counts


# ---------------------------------------------------------------------------------------------------------------
# findings


@dataclass(frozen=True)
class ComplianceFigures:
    """The numbers behind the scorecard's sentences (unit names, not ids)."""

    reports: int
    #: mandated content → reports that have it, and the names of those that lack it.
    present: dict[str, int]
    lacking: dict[str, list[str]]
    #: reports with all four required parts; (report, the required parts it lacks) for the others, in the
    #: table's order (a list: two reports may share a unit's name).
    complete: int
    missing: list[tuple[str, list[str]]]
    #: reports with a shortcomings part; of them, those with a coded cause, and with 原因 in the heading.
    with_shortcomings: int
    causes_stated: int
    causes_not_stated: list[str]
    causes_in_heading: int
    issuer_present: int
    #: reports carrying a date, by where it came from (given / text); those without one.
    dated: int
    date_sources: dict[str, int]
    undated: list[str]
    #: reports with a date but no year reported on (no deadline to check).
    year_unknown: list[str]
    #: reports whose date could be checked, those dated by 1 April, and those dated after it.
    judged: int
    by_deadline: int
    late: list[str]
    days_after_year_end: tuple[float, float]
    chars: tuple[float, float]
    chars_median: float
    shortcoming_items: int
    with_cause: int
    concrete: int
    with_theme: int
    answered: int
    #: grouping → the groups with reports (the unknown group left out), and, per column whose share differs
    #: between them, ``(lowest groups, lowest %, highest groups, highest %)`` (:func:`differences`).
    groups: dict[str, list[str]]
    differ: dict[str, dict[str, tuple[float, list[Held], float, list[Held]]]]


#: A group at one end of a column's shares: (group, count, n).
Held = tuple[str, int, int]


def differences(shares: pd.DataFrame, grouping: str) -> tuple[list[str], dict[str, tuple[float, list[Held], float, list[Held]]]]:
    """Where the groups of a grouping differ, from :func:`group_shares`, widest gap first.

    Returns:
        ``(groups, differ)``: the groups with reports, in the study's order (the unknown group left out: it is
        no place), and per column whose share differs between the groups with a denominator, ``(lowest %, groups
        there, highest %, groups there)`` with each group's count and n; columns ordered by the gap between the
        two shares, widest first (ties in the scorecard's order).
    """
    own = shares[(shares["grouping"] == grouping) & (shares["group"] != UNKNOWN_GROUP)]
    groups = list(dict.fromkeys(own["group"]))
    differ = {}
    for column, rows in own.groupby("column", sort=False):
        known = rows[rows["n"] > 0]
        if known.empty:
            continue
        low, high = float(known["share_pct"].min()), float(known["share_pct"].max())

        def held(rows: pd.DataFrame) -> list[Held]:
            return [(str(g), int(k), int(n)) for g, k, n in zip(rows["group"], rows["count"], rows["n"])]

        if low != high:
            differ[str(column)] = (low, held(known[known["share_pct"] == low]), high, held(known[known["share_pct"] == high]))
    ranked = sorted(differ, key=lambda c: -(differ[c][2] - differ[c][0]))  # stable: ties keep the column order
    return groups, {c: differ[c] for c in ranked}


def summary(table: pd.DataFrame) -> ComplianceFigures:
    """The scorecard's headline numbers, from a :func:`scorecard` (any number of reports, one or more)."""
    names = unit_names(table)
    ids = list(table["report_id"])
    with_short = table[table["has_shortcomings"]]
    judged = table[table[DEADLINE_COLUMN].notna()]
    days = judged["days_after_year_end"].astype(float)
    chars = table["chars"].astype(float)

    def named(mask: pd.Series) -> list[str]:
        return [names[r] for r, m in zip(ids, mask) if m]

    sources = table.loc[table["date_present"], "date_source"].value_counts()
    shares = group_shares(table)
    spread = {g: differences(shares, g) for g in GROUPINGS}
    missing = [[p for p in REQUIRED_CONTENTS if not has[p]]
               for has in table[[f"has_{p}" for p in REQUIRED_CONTENTS]].rename(columns=lambda c: c[4:]).to_dict("records")]
    return ComplianceFigures(
        reports=len(table),
        present={p: int(table[f"has_{p}"].sum()) for p in MANDATED_CONTENTS},
        lacking={p: named(~table[f"has_{p}"].astype(bool)) for p in MANDATED_CONTENTS},
        complete=sum(1 for lack in missing if not lack),
        missing=[(names[r], lack) for r, lack in zip(ids, missing) if lack],
        with_shortcomings=len(with_short),
        causes_stated=int(with_short["causes_stated"].sum()),
        causes_not_stated=named(table["has_shortcomings"] & ~table["causes_stated"]),
        causes_in_heading=int(with_short["causes_in_heading"].sum()),
        issuer_present=int(table["issuer_present"].sum()),
        dated=int(table["date_present"].sum()),
        date_sources={s: int(sources.get(s, 0)) for s in SOURCES[:2]},
        undated=named(~table["date_present"]),
        year_unknown=named(table["date_present"] & table["report_year"].isna()),
        judged=len(judged),
        by_deadline=int(judged[DEADLINE_COLUMN].astype(bool).sum()),
        late=named(table[DEADLINE_COLUMN].fillna(True) == False),  # noqa: E712 - a nullable boolean column
        days_after_year_end=(float(days.min()), float(days.max())) if len(days) else (np.nan, np.nan),
        chars=(float(chars.min()), float(chars.max())) if len(chars) else (np.nan, np.nan),
        chars_median=float(chars.median()) if len(chars) else np.nan,
        shortcoming_items=int(table["shortcoming_items"].sum()),
        with_cause=int(table["shortcoming_items_with_cause"].sum()),
        concrete=int(table["shortcoming_items_concrete"].sum()),
        with_theme=int(table["shortcoming_items_with_theme"].sum()),
        answered=int(table["shortcoming_items_answered"].sum()),
        groups={g: found[0] for g, found in spread.items()},
        differ={g: found[1] for g, found in spread.items()},
    )


def _reports(k: int, n: int) -> str:
    """``3 of 5 reports``, ``all 5 reports``; ``the report`` (or ``no report``) in a corpus of one."""
    if n == 1:
        return "the report" if k else "no report"
    return of(k, n, "reports")


def _have(k: int, n: int) -> str:
    return "has" if n == 1 or k == 1 else "have"


def _contents_sentence(f: ComplianceFigures) -> str:
    n = f.reports
    complete = f.complete
    required = f"all four required parts ({listing(list(REQUIRED_CONTENTS))}: items 1–4 of the 2019 regulation's list)"
    if n == 1 and f.missing:
        sentence = "The report lacks " + listing(f.missing[0][1]) + f" of {required}"
    else:
        sentence = f"{cap(_reports(complete, n))} {_have(complete, n)} {required}"
        gaps: dict[str, list[str]] = {}
        for name, lack in f.missing:
            gaps.setdefault(listing(lack), []).append(name)
        if len(gaps) > 3:  # many combinations (a large corpus): part by part, each report counted under each part
            gaps = {p: f.lacking[p] for p in REQUIRED_CONTENTS if f.lacking[p]}
        if gaps:
            sentence += "; " + "; ".join(f"{ps} missing in {who(rs, n)}" for ps, rs in gaps.items())
    other = f.present["other"]
    return sentence + (f"; {_reports(other, n)} {_have(other, n)} a part for other matters (其他需要报告的情况, item 5, "
                       "needed only when there are any).")


def _causes_sentence(f: ComplianceFigures) -> str:
    k = f.with_shortcomings
    scope = "Its shortcomings part" if f.reports == 1 else (
        f"Of the {k:,} report{'s' if k != 1 else ''} with a shortcomings part, {of(f.causes_stated, k)}")
    sentence = scope + (" states" if f.reports == 1 or f.causes_stated == 1 else " state") + (
        " a cause the causes codebook recognises in at least one item" if f.causes_stated or f.reports > 1 else
        " no cause the causes codebook recognises")
    if f.reports == 1:
        sentence += " and " + ("names" if f.causes_in_heading else "does not name") + " 原因 in its heading"
    else:
        sentence += f", and {of(f.causes_in_heading, k)} name 原因 in the part's heading"
        if f.causes_not_stated:
            sentence += f"; no cause is recognised in {who(f.causes_not_stated, k)}"
    if f.shortcoming_items:
        sentence += (f"; {of(f.with_cause, f.shortcoming_items, 'shortcoming items')} carry a cause, "
                     f"{of(f.concrete, f.shortcoming_items)} name a figure, a document or a place")
    return sentence + "."


def _date_sentence(f: ComplianceFigures) -> str:
    n = f.reports
    given, text = f.date_sources["given"], f.date_sources["text"]
    where = listing([s for s in (f"{given:,} given in the metadata" if given else "",
                                 f"{text:,} read from the report's sign-off" if text else "") if s])
    sentence = f"{cap(_reports(f.dated, n))} carr{'ies' if n == 1 or f.dated == 1 else 'y'} a date"
    if f.dated:
        sentence += f" ({where})"
    if f.undated and f.dated:
        one = len(f.undated) == 1
        sentence += (f"; {who(f.undated, n)} {'does' if one else 'do'} not, so whether {'it was' if one else 'they were'} "
                     "dated by the deadline is not known")
    if f.year_unknown:
        sentence += f"; {who(f.year_unknown, n)} {'has' if len(f.year_unknown) == 1 else 'have'} no year reported on"
    if f.judged:
        dated = "dated report with a known year" if f.judged == 1 else "dated reports with a known year"
        lead = ("It is" if f.by_deadline else "It is not") if n == 1 else (
            f"{cap(of(f.by_deadline, f.judged))} {dated} {'is' if f.by_deadline == 1 else 'are'}")
        sentence += f". {lead} dated by 1 April of the following year"
        if n == 1 or f.judged == 1:
            sentence += f" ({_days(f.days_after_year_end)})"
        else:
            if f.late:
                sentence += f"; {who(f.late, f.judged)} {'is' if len(f.late) == 1 else 'are'} dated later"
            sentence += f"; their dates fall {_days(f.days_after_year_end)}"
    return sentence + (". The 1 April rule (第二十四条) is about publication, and publication dates are not in the "
                       "data: a report dated by 1 April may still have been published late.")


def _days(days: tuple[float, float]) -> str:
    """``27 days after the year's end``; ``from -1 to 27 days after …`` (-1: dated the day before it ends)."""
    low, high = (f"{d:.0f}" for d in days)
    said = f"{low} days" if low == high else f"from {low} to {high} days"
    return said + " after the year's end" + (", a negative number being a date before it" if days[0] < 0 else "")


def _label(column: str) -> str:
    """A column's English name, as in the chart (``date known``, ``answered by a plan``)."""
    label = {**REPORT_CHECKS, **{c: text for c, (_, text) in ITEM_CHECKS.items()}}[column]
    return label.split(" / ", 1)[1]


def _groups_sentence(f: ComplianceFigures, grouping: str, shown: int = 3) -> str:
    """How the groups of a grouping differ: the columns whose shares differ, their lowest and highest groups."""
    noun = {"macro_region": ("macro-region", "macro-regions"), "unit_level": ("unit level", "unit levels")}[grouping]
    groups, differ = f.groups[grouping], f.differ[grouping]
    if not groups:
        return f"No report has a known {noun[0]}: the columns cannot be compared by {noun[0]}."
    if len(groups) == 1:
        return f"Every report with a known {noun[0]} is in one ({groups[0]}): nothing to compare by {noun[0]}."
    columns = len(REPORT_CHECKS) + len(ITEM_CHECKS)
    if not differ:
        return f"The {len(groups)} {noun[1]} ({listing(groups)}) have the same share in every column."
    def at(share: float, held: list[Held]) -> str:
        return f"{share:.0f} % in " + listing([f"{g} ({k:,} of {n:,})" for g, k, n in held])

    said = [f"{_label(c)}, {at(low, lows)} to {at(high, highs)}" for c, (low, lows, high, highs) in list(differ.items())[:shown]]
    more = len(differ) - shown
    widest = "the widest gaps" if len(differ) > 1 else "the gap"
    return (f"Between the {len(groups)} {noun[1]} with reports, shares differ in {len(differ)} of {columns} columns; "
            f"{widest}: " + "; ".join(said) + (f"; and {more} more" if more > 0 else "") + ".")


def words(f: ComplianceFigures) -> list[str]:
    """The scorecard's findings, worded with their denominators (see :class:`ComplianceFigures`)."""
    if f.reports == 0:
        return ["The scorecard has no report."]
    n = f.reports
    out = [_contents_sentence(f)]
    if f.with_shortcomings:
        out.append(_causes_sentence(f))
    else:
        out.append(("The report has no" if n == 1 else "No report has a")
                   + " shortcomings part: whether causes are stated cannot be asked here.")
    if f.with_theme:
        out.append(f"{cap(of(f.answered, f.with_theme, 'shortcoming items'))} with a theme have a plan item of the "
                   "same report on the same theme.")
    out.append(f"{cap(_reports(f.issuer_present, n))} name{'s' if n == 1 or f.issuer_present == 1 else ''} an issuer. "
               + _date_sentence(f))
    if n > 1:
        out += [_groups_sentence(f, g) for g in GROUPINGS]
    out.append(("The report runs to " if n == 1 else "Reports run to ") + f"{span(f.chars, '{:,.0f}')} characters"
               + (f" (median {f.chars_median:,.0f})." if n > 2 else "."))
    return out


def compliance_findings(study, table: pd.DataFrame | Unavailable | None = None) -> Findings:
    """The scorecard's :class:`~helpers.findings.Findings` for a study (``findings.show`` displays them).

    Args:
        study: a :class:`helpers.context.Study`.
        table: its :func:`scorecard`, when already computed.

    Returns:
        The sentences of :func:`words`, the limits of this corpus and the :class:`ComplianceFigures`; for a genre
        the regulation does not govern, one sentence saying so.
    """
    table = scorecard(study) if table is None else table
    if isinstance(table, Unavailable):
        return Findings([str(table)])
    limits = [f"{n_line(study.corpus)}: shares describe these reports, not a population. Parts are read from the "
              "headings and causes by the keyword coder; dates are the reports' own (sign-off or metadata), and "
              "publication dates, which the 1 April rule is about, are not in the data."]
    return Findings(words(summary(table)), limits, summary(table))


def chart_caption(source: str) -> str:
    """The heatmap's caption: the study's source line (n, years, versions), then what the cells hold."""
    return (f"{source} Cells: share of the group's reports (%), with count/n; the last two rows pool the group's "
            "shortcoming items (concrete: names a figure, a document or a place; answered: of the items with a theme, "
            "a plan item of the same report on the same theme). Dated by 1 April: of the reports with a date and a "
            "year reported on (blank where none has both) — the report's own date, not its publication date, which is "
            "not in the data.")


def chart_title(f: ComplianceFigures) -> str:
    """The heatmap's title: the required part(s) present in the fewest reports, and how many are dated by 1 April."""
    if f.reports == 0:
        return "No report to score"
    fewest = min(f.present[p] for p in REQUIRED_CONTENTS)
    if fewest == f.reports:
        title = "Every report has the four required parts" if f.reports > 1 else "The report has the four required parts"
    else:
        parts = [p for p in REQUIRED_CONTENTS if f.present[p] == fewest]
        title = f"{cap(listing(parts))} present in {of(fewest, f.reports, 'reports')}"
    if f.judged:
        return title + f"; {of(f.by_deadline, f.judged)} dated reports dated by 1 April"
    return title + "; no report has both a date and a year, so the 1 April deadline cannot be checked"
