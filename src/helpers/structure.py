"""Tidy tables over a corpus: one row per report, per report × part, per report × part × item.

Every row keeps offsets into the report's normalised text (``start``, ``end``) and into the raw file's text
(``raw_start``, ``raw_end``), so any number in the study can be traced back to the report as received.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from helpers.corpus import Report
from helpers.frames import frame_from_rows
from helpers.regions import MACRO_REGIONS
from helpers.segment import MANDATED_ORDER, PARTS

COUNTED_KINDS = ("numbered", "titled", "paragraph")
#: Below this many reports, captions warn that comparisons between reports are anecdotal.
SMALL_N = 30


def report_order(reports: Sequence[Report]) -> list[str]:
    """Report ids ordered by macro-region (东部, 中部, 西部, 东北), then province, then id."""
    return list(metadata_order(pd.DataFrame([{"report_id": r.report_id, **r.meta} for r in reports])))


def metadata_order(metadata: pd.DataFrame) -> pd.Index:
    """Report ids of a metadata table ordered by macro-region (东部, 中部, 西部, 东北), then province, then id."""
    if metadata.empty:
        return pd.Index([], dtype=object)
    region = metadata.get("macro_region", pd.Series("", index=metadata.index)).fillna("")
    rank = region.map(lambda r: MACRO_REGIONS.index(r) if r in MACRO_REGIONS else len(MACRO_REGIONS))
    province = metadata.get("province", pd.Series("", index=metadata.index)).fillna("")
    keys = sorted(zip(rank, province, metadata["report_id"]))
    return pd.Index([rid for _, _, rid in keys])


def corpus_table(reports: Sequence[Report]) -> pd.DataFrame:
    """One row per report: who, where, which year, how long (see :func:`corpus_table_from`)."""
    metadata = pd.DataFrame([{"report_id": r.report_id, **r.meta} for r in reports])
    texts = pd.DataFrame([{"report_id": r.report_id, "encoding": r.raw.encoding, "raw_chars": len(r.raw.text),
                           "chars": len(r.text)} for r in reports])
    return corpus_table_from(metadata, texts)


def corpus_table_from(metadata: pd.DataFrame, texts: pd.DataFrame) -> pd.DataFrame:
    """One row per report from its metadata and its text's figures (the store's ``texts`` table).

    Returns:
        Columns ``report_id, unit, unit_level, province, macro_region, report_year, dated, encoding,
        raw_chars, chars`` (``chars`` counts the normalised text), in :func:`metadata_order`.
    """
    fields = ["unit", "unit_level", "province", "macro_region", "report_year", "dated"]
    meta = metadata.set_index("report_id").reindex(columns=fields).fillna("")
    table = meta.join(texts.set_index("report_id")[["encoding", "raw_chars", "chars"]])
    table = table.loc[metadata_order(metadata)].rename_axis("report_id").reset_index()
    table["report_year"] = pd.to_numeric(table["report_year"].astype(str).replace("", None)).astype("Int64")
    for column in ("raw_chars", "chars"):
        table[column] = table[column].astype("int64")
    return table


def parts_table(reports: Sequence[Report]) -> pd.DataFrame:
    """One row per part of each report, in text order.

    Returns:
        Columns ``report_id, part_seq, part, heading, heading_raw, heading_rank, nested, start, end, raw_start,
        raw_end, chars, share_pct, items`` — ``heading`` is normalised, ``heading_raw`` as written in the file;
        ``items`` counts numbered, titled and paragraph items (not leads).
    """
    rows = []
    for r in reports:
        seg = r.segmentation
        for p in seg.parts:
            raw_start, raw_end = r.normalised.to_raw(p.start, p.end)
            items = sum(1 for i in seg.items if i.part_seq == p.seq and i.kind in COUNTED_KINDS)
            heading_end = r.normalised.to_raw(p.start, p.start + len(p.heading))[1] if p.heading else raw_start
            rows.append({
                "report_id": r.report_id, "part_seq": p.seq, "part": p.label, "heading": p.heading,
                "heading_raw": r.raw.text[raw_start:heading_end].strip(),
                "heading_rank": p.heading_rank, "nested": p.nested, "start": p.start, "end": p.end,
                "raw_start": raw_start, "raw_end": raw_end, "chars": p.end - p.start,
                "share_pct": 100 * (p.end - p.start) / len(r.text), "items": items,
            })
    table = pd.DataFrame(rows)
    table["heading_rank"] = table["heading_rank"].astype("Int64")
    return table


def items_table(reports: Sequence[Report]) -> pd.DataFrame:
    """One row per item (and lead) of every part.

    Returns:
        Columns ``report_id, part_seq, part, item_seq, item_kind, level, parent_seq, marker, number, item_title, text,
        start, end, raw_start, raw_end``.
    """
    rows: list[tuple] = []
    for r in reports:
        items = r.segmentation.items
        raw_starts, raw_ends = r.normalised.spans_to_raw([i.start for i in items], [i.end for i in items])
        rows += [(r.report_id, i.part_seq, i.part, i.item_seq, i.kind, i.level, i.parent_seq, i.marker, i.number,
                  i.title, i.text, i.start, i.end, raw_start, raw_end)
                 for i, raw_start, raw_end in zip(items, raw_starts.tolist(), raw_ends.tolist())]
    table = frame_from_rows(rows, ["report_id", "part_seq", "part", "item_seq", "item_kind", "level", "parent_seq",
                                   "marker", "number", "item_title", "text", "start", "end", "raw_start", "raw_end"])
    for name in ("parent_seq", "number"):
        table[name] = table[name].astype("Int64")
    for name in ("part_seq", "item_seq", "level", "start", "end", "raw_start", "raw_end"):
        table[name] = table[name].astype("int64")
    return table


def part_shares(parts: pd.DataFrame, order: Sequence[str] | None = None) -> pd.DataFrame:
    """Share of each report's characters in each part label (rows: reports; columns: :data:`PARTS`; %).

    Args:
        parts: a :func:`parts_table`.
        order: report ids in display order (default: as they come).
    """
    shares = parts.pivot_table(index="report_id", columns="part", values="chars", aggfunc="sum", fill_value=0)
    shares = shares.reindex(columns=list(PARTS), fill_value=0)
    shares = shares.div(shares.sum(axis=1), axis=0) * 100
    shares.columns.name = "part"
    return shares.loc[list(order)] if order is not None else shares


def items_per_part(parts: pd.DataFrame, order: Sequence[str] | None = None) -> pd.DataFrame:
    """Number of items in each report × part label (parts with items only: preamble and sign-off have none)."""
    counts = parts.pivot_table(index="report_id", columns="part", values="items", aggfunc="sum", fill_value=0)
    counts = counts.reindex(columns=[p for p in PARTS if p not in ("preamble", "signoff")], fill_value=0)
    counts.columns.name = "part"
    return counts.loc[list(order)] if order is not None else counts


def order_deviations(parts: pd.DataFrame, order: Sequence[str] | None = None) -> pd.DataFrame:
    """Where each report departs from the mandated order of contents.

    The mandated order is :data:`MANDATED_ORDER` (measures, shortcomings, leadership, plans, other).

    Returns:
        One row per report: ``observed_order`` (the parts as they follow each other, repeats folded),
        ``missing`` (mandated parts 1–4 not found), ``out_of_order`` (``a before b`` where the regulation
        lists b first, by first appearance), ``nested`` (parts found as a sub-section of another), ``split`` (parts
        found in more than one place), and ``follows_mandate`` (none of these).
    """
    rows = []
    ids = list(order) if order is not None else list(dict.fromkeys(parts["report_id"]))
    of_report: dict[str, list[tuple[str, bool]]] = {}  # each report's (part, nested) in text order, found once
    ordered = parts.sort_values("start", kind="stable")
    for rid, part, nested in zip(ordered["report_id"].tolist(), ordered["part"].tolist(), ordered["nested"].tolist()):
        of_report.setdefault(rid, []).append((part, bool(nested)))
    for rid in ids:
        rp = of_report.get(rid, [])
        seq = [p for p, _ in rp if p in MANDATED_ORDER]
        folded = [p for k, p in enumerate(seq) if k == 0 or seq[k - 1] != p]
        missing = [p for p in MANDATED_ORDER[:4] if p not in seq]
        ranked = list(dict.fromkeys(folded))  # by first appearance
        out_of_order = [
            f"{a} before {b}" for k, a in enumerate(ranked) for b in ranked[k + 1 :]
            if MANDATED_ORDER.index(a) > MANDATED_ORDER.index(b)
        ]
        nested = sorted({p for p, is_nested in rp if is_nested}, key=MANDATED_ORDER.index)
        split = [p for p in dict.fromkeys(seq) if folded.count(p) > 1]
        rows.append({
            "report_id": rid, "observed_order": " → ".join(folded),
            "missing": ", ".join(missing), "out_of_order": ", ".join(out_of_order),
            "nested": ", ".join(nested), "split": ", ".join(split),
            "follows_mandate": not (missing or out_of_order or nested or split),
        })
    return pd.DataFrame(rows)


def source_caption(corpus: pd.DataFrame, source: str, versions: dict[str, str] | None = None,
                   genre: str = "法治政府建设") -> str:
    """Caption line for charts: n reports, unit levels, reporting years, where the metadata come from, versions.

    Args:
        corpus: :func:`corpus_table`.
        source: where the metadata come from (a table, or a note that they were inferred from the text).
        versions: the lexicon's and codebooks' versions (:meth:`helpers.pipeline.Settings.versions`).
        genre: what the reports are (a genre profile's ``caption``).
    """
    years = pd.to_numeric(corpus["report_year"], errors="coerce").dropna().astype(int)
    span = "unknown" if years.empty else f"{years.min()}" if years.min() == years.max() else f"{years.min()}–{years.max()}"
    levels = "、".join(sorted(set(corpus["unit_level"].fillna("")) - {""})) or "levels unknown"
    caution = " n is small: comparisons between reports are anecdotal." if len(corpus) < SMALL_N else ""
    stamp = version_line(versions) if versions else ""
    years_word = "reporting year" if years.empty or years.min() == years.max() else "reporting years"
    return (f"Source: n = {len(corpus)} annual {genre} reports ({levels}), {years_word} {span}; {source}."
            f"{caution}{' ' + stamp if stamp else ''}")


def version_line(versions: dict[str, str]) -> str:
    """``Lexicon 2026.11.0, codebook 2026.11.0.`` (the two codebooks' versions when they differ)."""
    themes_version, causes_version = versions.get("themes", ""), versions.get("causes", "")
    book = themes_version if themes_version == causes_version else f"{themes_version} (causes {causes_version})"
    return f"Lexicon {versions.get('lexicon', '')}, codebook {book}."


def region_sizes(corpus: pd.DataFrame) -> str:
    """``Regions hold 1–2 reports each.`` for a caption: how many reports each macro-region with reports has."""
    counts = corpus.loc[corpus["macro_region"].fillna("") != "", "macro_region"].value_counts()
    if counts.empty:
        return "No report has a region yet."
    low, high = int(counts.min()), int(counts.max())
    unplaced = int((corpus["macro_region"].fillna("") == "").sum())
    held = f"{low}" if low == high else f"{low}–{high}"
    return f"Regions hold {held} report{'s' if high > 1 else ''} each." + (
        f" {unplaced} report(s) have no region." if unplaced else "")


def regions_present(corpus: pd.DataFrame) -> list[str]:
    """The macro-regions that hold at least one report, in the Bureau's order."""
    return present(MACRO_REGIONS, set(corpus["macro_region"]))


def no_region_note(corpus: pd.DataFrame) -> str:
    """A line naming the reports without a macro-region (and how to give them one); ``""`` when every one has one."""
    missing = corpus.loc[corpus["macro_region"].fillna("") == "", "report_id"]
    if missing.empty:
        return ""
    return (f"{len(missing)} report(s) have no macro-region yet (add a province in reports.csv): "
            + ", ".join(missing))


def present(wanted: Sequence[str], have) -> list[str]:
    """The names of ``wanted`` that ``have`` holds (a frame's columns, an index, a set), in the order of ``wanted``."""
    return [w for w in wanted if w in have]


def items_title(summary: pd.Series) -> str:
    """The items chart's title from :func:`summary_figures`: the median ratio of measure to shortcoming items.

    Without a report that lists shortcoming items the ratio has no value, and the title says so (never "nan").
    """
    ratio = summary["measure items per shortcoming item, median"]
    if pd.isna(ratio):
        return "No report lists a shortcoming item: measures cannot be set against admissions here"
    return f"Reports list {ratio:.1f} measure items per shortcoming item (median)"


def summary_figures(corpus: pd.DataFrame, parts: pd.DataFrame, deviations: pd.DataFrame) -> pd.Series:
    """The handful of numbers the corpus notebook states in prose and titles, computed here, never typed by hand."""
    shares = part_shares(parts)
    counts = items_per_part(parts)
    mandated = list(MANDATED_ORDER[:4])
    smallest = shares[mandated].idxmin(axis=1)
    ratio = counts["measures"] / counts["shortcomings"].where(counts["shortcomings"] > 0)
    return pd.Series({
        "reports": len(corpus),
        "characters (normalised)": int(corpus["chars"].sum()),
        "reports with all four mandated parts": int(sum(deviations["missing"] == "")),
        "reports that follow the mandated order": int(deviations["follows_mandate"].sum()),
        "measures share, min %": round(float(shares["measures"].min()), 1),
        "measures share, max %": round(float(shares["measures"].max()), 1),
        "shortcomings share, min %": round(float(shares["shortcomings"].min()), 1),
        "shortcomings share, max %": round(float(shares["shortcomings"].max()), 1),
        "reports where shortcomings is the smallest mandated part": int(sum(smallest == "shortcomings")),
        "measure items per shortcoming item, median": round(float(ratio.median()), 1),
    }, dtype=object)


def part_items(items: pd.DataFrame, part: str) -> pd.DataFrame:
    """The items of one part (leads left out): what the notebooks count as the part's items."""
    return items[(items["part"] == part) & (items["item_kind"] != "lead")]
