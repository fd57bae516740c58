"""Measures against stated shortcomings: responsiveness of plans, self-criticism and concreteness.

Builds on coded items (:mod:`helpers.themes`), tokens (:mod:`helpers.tokenise`) and claims
(:mod:`helpers.indicators`). Every table keeps report, part and item ids, so each number traces to offsets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd

from helpers.citations import TITLE
from helpers.segment import ITEM_KEYS
from helpers.themes import split_labels, theme_profile
from helpers.unavailable import Unavailable
from helpers.weighting import document_frequencies, tfidf_rows, vocabulary

KEYS = list(ITEM_KEYS)
#: Place words that follow a proper name (小寨十字, 红专南路社区, 洪湖里地区, 华家周二大集, 吉祥村).
_PLACE_SUFFIX = re.compile(r"十字|大集|社区|小区|街区|地区|村")
#: Characters that end a name on its left (在小寨十字 → 小寨): prepositions, conjunctions, quantifiers.
_NAME_STOP = set("在对以和及与的从向把将于至为用街我各每全本该个进到驻")
#: Before 社区/小区/村/地区/街区, a proper name ends like a place name does (红专南路, 亿城堂庭, 洪湖里, 虹都中心);
#: a verb before them (指导社区, 提高社区) is not a name. 十字 and 大集 follow any name (小寨十字, 华家周二大集).
_NAME_END = re.compile(r"(?:[路街里园苑城庭门桥坊湾家堂府庄山湖港寺院楼坝口岗屯营铺塘坡]|中心)$")
#: A "name" containing one of these is a generic place (辖区, 网红街区, 民主法治示范社区, 行政村 …).
_GENERIC_PLACE = re.compile(r"辖区|周边|网红|城乡|基层|农村|乡村|城市|示范|法治|民主|精品|文化|功能|重点|相关|两级|"
                            r"行政|社区|小区|成立|建设|打造|创建|开展|设立|推进|深入|走进|机关|新区|治安|街道")

#: A shortcoming item and its closest plan item share its words at this TF-IDF cosine or above.
SIMILAR = 0.2


def named_places(text: str) -> list[str]:
    """Proper place names in ``text``: up to four characters before a place word, cut at a preposition.

    Example:
        >>> named_places("重点在小寨十字、吉祥村十字周边；组织各社区开展巡查")
        ['小寨十字', '吉祥村十字']
    """
    found = []
    for m in _PLACE_SUFFIX.finditer(text):
        if m.group() == "村" and text.startswith("十字", m.end()):
            continue  # 吉祥村十字: the name runs on to 十字
        window_start = m.start()
        while window_start > 0 and m.start() - window_start < 4 and "\u4e00" <= text[window_start - 1] <= "\u9fff":
            window_start -= 1
        name = text[window_start : m.start()]
        stops = [k for k, ch in enumerate(name) if ch in _NAME_STOP]
        if stops:
            name = name[stops[-1] + 1 :]
        if m.group() not in ("十字", "大集") and not _NAME_END.search(name):
            continue
        if len(name) >= 2 and not _GENERIC_PLACE.search(name):
            found.append(name + m.group())
    return found


def concreteness(items: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Which items are concrete: hold a figure (a quantitative claim), a named document (《…》) or a named place.

    Returns:
        One row per item of ``items``: ``*KEYS, part, has_figure, has_document, has_place, concrete`` (any of the
        three), ``places`` (the names found).
    """
    with_claim = set(zip(claims["report_id"], claims["part_seq"], claims["item_seq"].astype("Int64")))
    keys = list(zip(items["report_id"].tolist(), items["part_seq"].tolist(), items["item_seq"].tolist()))
    texts = items["text"].tolist()
    places = ["、".join(named_places(text)) for text in texts]
    table = pd.DataFrame({
        "report_id": [k[0] for k in keys], "part_seq": [k[1] for k in keys], "item_seq": [k[2] for k in keys],
        "part": items["part"].tolist(),
        "has_figure": [key in with_claim for key in keys],
        "has_document": [bool(TITLE.search(text)) for text in texts],
        "has_place": [bool(p) for p in places],
    })
    table["concrete"] = table["has_figure"] | table["has_document"] | table["has_place"]
    table["places"] = places
    return table


def self_criticism(coded: pd.DataFrame, concrete: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    """Per report: how long, how itemised and how concrete the shortcomings are next to the measures.

    Returns:
        ``measures_chars, shortcomings_chars, shortcomings_per_100_measures_chars, measures_items,
        shortcomings_items, measures_concrete_pct, shortcomings_concrete_pct`` indexed by report id in ``order``
        (items are the coded items other than leads and heading-only items without text of their own).
    """
    frame = coded.merge(concrete[KEYS + ["concrete"]], on=KEYS)
    frame = frame[(frame["item_kind"] != "lead") & frame["part"].isin(["measures", "shortcomings"])]
    grouped = frame.groupby(["part", "report_id"])
    chars, items, concrete_share = grouped["chars"].sum(), grouped.size(), grouped["concrete"].mean()
    table = pd.DataFrame(index=pd.Index(list(order), name="report_id"))
    for part in ("measures", "shortcomings"):
        def of_part(series: pd.Series, part: str = part) -> pd.Series:
            return (series.xs(part, level="part") if part in series.index.get_level_values("part")
                    else series.iloc[:0].droplevel("part")).reindex(table.index)

        table[f"{part}_chars"] = of_part(chars).fillna(0).astype(np.int64)
        table[f"{part}_items"] = of_part(items).fillna(0).astype(np.int64)
        table[f"{part}_concrete_pct"] = 100 * of_part(concrete_share).astype(float)
    measures = table["measures_chars"].replace(0, np.nan)  # no measures part: no ratio
    table["shortcomings_per_100_measures_chars"] = 100 * table["shortcomings_chars"] / measures
    columns = ["measures_chars", "shortcomings_chars", "shortcomings_per_100_measures_chars", "measures_items",
               "shortcomings_items", "measures_concrete_pct", "shortcomings_concrete_pct"]
    return table[columns]


#: The parts whose items :func:`responsiveness` compares.
_COMPARED = ["shortcomings", "plans"]
#: Reports whose items' tokens :func:`responsiveness` reads at once when it reads them from the store.
RESPONSIVENESS_SLICE_REPORTS = 5000

#: ``item_texts`` of :func:`responsiveness`: the table, or what gives the table of the items asked for.
ItemTexts: TypeAlias = pd.DataFrame | Callable[[pd.DataFrame], pd.DataFrame]


def responsiveness(coded: pd.DataFrame, item_texts: ItemTexts, column: str = "themes",
                   reports: int = RESPONSIVENESS_SLICE_REPORTS) -> pd.DataFrame:
    """For every shortcoming item with a theme: is there a plan item of the same report on the same theme?

    Args:
        coded: coded items (``*KEYS, part, themes`` — or hand codes merged in under ``column``).
        item_texts: ``*KEYS, tokens`` (space-joined content tokens) for the coded items — or a function giving
            that table for the items (``*KEYS``) it is given (:meth:`helpers.store.Store.item_texts`), called for
            ``reports`` reports at a time, twice: every item's tokens at once held 0.7 GB at 2·10⁴ reports.
        column: which label column to use (``themes`` from the coder, or another holding hand codes).
        reports: reports a slice, when ``item_texts`` is a function. Each answer is the same, to the bit, for
            any slicing: the idf counts every item of ``coded`` first, and a shortcoming is compared with the plan
            items of its own report only.

    Returns:
        One row per shortcoming item with ≥ 1 theme: ``*KEYS, themes, answered, plan_part_seq, plan_item_seq,
        shared_themes, similarity`` — ``plan_part_seq``/``plan_item_seq`` locate the most similar plan item sharing a
        theme (or, when none shares one, the most similar plan item at all; a report may have two plans parts),
        ``similarity`` the cosine of their TF-IDF vectors (:mod:`helpers.weighting`: smooth idf over every item of
        ``coded``, rows L2-normalised), in the order of the reports' first items in ``coded``, then of the items.
    """
    frame = coded[KEYS + ["part", column]]
    if callable(item_texts):
        read = item_texts
    else:
        texts = item_texts[KEYS + ["tokens"]]
        read = lambda _items: texts  # noqa: E731 — merged with each slice's items below
    ids = pd.unique(frame["report_id"])  # in order of first appearance: the answers' order
    step = max(reports, 1) if callable(item_texts) else max(len(ids), 1)
    slices = [ids[at:at + step] for at in range(0, len(ids), step)]

    def with_tokens(chosen, compared: bool = False) -> pd.DataFrame:
        """The slice's items with their tokens (only the shortcomings' and plans' when ``compared``, others "")."""
        piece = frame[frame["report_id"].isin(chosen)] if len(slices) > 1 else frame
        wanted = piece[piece["part"].isin(_COMPARED)] if compared else piece
        piece = piece.merge(read(wanted[KEYS])[KEYS + ["tokens"]], on=KEYS, how="left")
        piece["tokens"] = piece["tokens"].fillna("")
        return piece

    # the idf over every item of coded (the measures too), a slice of reports at a time
    terms, idf = vocabulary([document_frequencies(with_tokens(chosen)["tokens"]) for chosen in slices], len(frame))
    tables = [_answers(with_tokens(chosen, compared=True), column, terms, idf) for chosen in slices]
    tables = [t for t in tables if len(t)] or tables[:1]  # an empty slice's columns are of no type: left out
    table = (pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0] if tables else
             _answers(with_tokens([]), column, terms, idf))
    for column_name in ("plan_part_seq", "plan_item_seq"):
        table[column_name] = table[column_name].astype("Int64")
    return table


def _answers(frame: pd.DataFrame, column: str, terms, idf: np.ndarray) -> pd.DataFrame:
    """:func:`responsiveness` of whole reports' items (``frame``: ``*KEYS, part, column, tokens``)."""
    part = frame["part"].to_numpy()
    needed = np.isin(part, _COMPARED)  # the items compared
    # vectors of the items compared only (the measures are most of the items: their vectors took 0.3 GB at
    # 2·10⁴ reports)
    vectors = tfidf_rows(frame["tokens"][needed], terms, idf)
    row = np.cumsum(needed) - 1  # an item's row among the vectors
    # the labels of shortcomings and plans; the others share one empty set (a set an item: 0.1 GB for the measures
    # of 2·10⁴ reports)
    labels: list[set[str]] = [set()] * len(frame)
    for at, found in zip(np.flatnonzero(needed).tolist(), split_labels(frame.loc[needed, column])):
        labels[at] = found
    keys = {k: frame[k].tolist() for k in KEYS}
    label_text = frame[column].tolist()
    report = pd.factorize(frame["report_id"])[0]  # reports numbered in order of appearance
    short = np.array([i for i in np.flatnonzero(part == "shortcomings") if labels[i]], dtype=np.int64)
    plans = pd.DataFrame({"j": np.flatnonzero(part == "plans")})
    plans["report"] = report[plans["j"].to_numpy()]
    plans["k"] = plans.groupby("report").cumcount()  # the plan item's place in its report (ties: the first)
    pairs = pd.DataFrame({"i": short, "report": report[short]}).merge(plans, on="report")  # same report only
    i, j = pairs["i"].to_numpy(), pairs["j"].to_numpy()
    pairs["sim"] = np.asarray(vectors[row[i]].multiply(vectors[row[j]]).sum(axis=1)).ravel()  # rows are L2-normalised
    pairs["shares"] = [bool(labels[a] & labels[b]) for a, b in zip(i.tolist(), j.tolist())]
    # the most similar plan item among those sharing a theme, or among all when none shares one
    best = (pairs.sort_values(["i", "shares", "sim", "k"], ascending=[True, False, False, True], kind="stable")
            .drop_duplicates("i").set_index("i"))
    chosen = dict(zip(best.index.tolist(), zip(best["j"].tolist(), best["shares"].tolist(), best["sim"].tolist())))
    rows = []
    for i in sorted(short.tolist(), key=lambda i: (report[i], i)):
        plan, shares, sim = chosen.get(i, (None, False, np.nan))
        rows.append({
            **{k: keys[k][i] for k in KEYS}, "themes": label_text[i], "answered": bool(shares),
            "plan_part_seq": keys["part_seq"][plan] if plan is not None else None,
            "plan_item_seq": keys["item_seq"][plan] if plan is not None else None,
            "shared_themes": ";".join(sorted(labels[i] & labels[plan])) if plan is not None else "",
            "similarity": float(sim),
        })
    return pd.DataFrame(rows, columns=[*KEYS, "themes", "answered", "plan_part_seq", "plan_item_seq", "shared_themes",
                                       "similarity"])


def responsiveness_summary(table: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    """Per report: shortcoming items with a theme, how many a plan item answers, the share, mean similarity.

    Reports without a shortcoming item with a theme have NaN (nothing to answer).
    """
    grouped = table.groupby("report_id").agg(shortcoming_items=("answered", "size"), answered=("answered", "sum"),
                                             mean_similarity=("similarity", "mean"))
    grouped["answered_pct"] = 100 * grouped["answered"] / grouped["shortcoming_items"]
    return grouped.reindex(order)[["shortcoming_items", "answered", "answered_pct", "mean_similarity"]]


def answered_by_plans(coded: pd.DataFrame, hand: pd.DataFrame | None, item_texts: ItemTexts,
                      order: Sequence[str], reports: int = RESPONSIVENESS_SLICE_REPORTS,
                      ) -> tuple[pd.DataFrame | Unavailable, pd.DataFrame]:
    """Whether plans answer shortcomings, per report, from the coder and (beside it) from the hand codes.

    ``item_texts`` and ``reports``: as :func:`responsiveness` takes them (a function reading the store, ``reports``
    reports at a time).

    Returns:
        ``(summary, answers)``: the :func:`responsiveness_summary` of the coder's themes with a column
        ``answered_pct (hand codes)`` when ``hand`` is given — or :class:`~helpers.unavailable.Unavailable` when
        no shortcoming item of the corpus has a theme — and the coder's item-level :func:`responsiveness` table.
    """
    answers = responsiveness(coded, item_texts, reports=reports)
    if answers.empty:
        return Unavailable("whether plans answer the stated shortcomings",
                           "no shortcoming item in this corpus carries a theme (or no report has a shortcomings part)"), answers
    summary = responsiveness_summary(answers, order)
    if hand is not None:  # only the bundled reports are hand-coded
        summary["answered_pct (hand codes)"] = responsiveness_summary(responsiveness(hand, item_texts, reports=reports),
                                                                    order)["answered_pct"]
    return summary, answers


def shortcoming_plan_pairs(answers: pd.DataFrame, items: pd.DataFrame, coded: pd.DataFrame,
                           width: int = 45) -> pd.DataFrame | Unavailable:
    """Each shortcoming next to the most similar plan item on its theme (texts cut to ``width`` characters).

    Returns:
        ``report_id, themes, answered, shortcoming, closest plan item, similarity``, unanswered shortcomings first.
    """
    if answers.empty:
        return Unavailable("shortcomings beside the plans that answer them", "no shortcoming item in this corpus carries a theme")
    # a dict, not the items indexed by their keys: a lookup a shortcoming in pandas took 5 s at 10⁴ reports (a key
    # read as floats, 3.0, finds the item 3 as well)
    text_of = dict(zip(zip(*(items[k].tolist() for k in KEYS)), items["text"].tolist()))
    pairs = answers.sort_values(["answered", "similarity"]).copy()

    def cut(key) -> str:
        return text_of[key][:width].replace("\n", " ")

    pairs["shortcoming"] = [cut(k) for k in zip(pairs["report_id"], pairs["part_seq"], pairs["item_seq"])]
    pairs["closest plan item"] = [cut((r, p, i)) if pd.notna(i) else ""
                                  for r, p, i in zip(pairs["report_id"], pairs["plan_part_seq"], pairs["plan_item_seq"])]
    return pairs[["report_id", "themes", "answered", "shortcoming", "closest plan item", "similarity"]]


def regional_shares(coded: pd.DataFrame, ids: Sequence[str], parts: Sequence[str] = ("measures", "shortcomings")) -> pd.DataFrame:
    """Share of each macro-region's items of each part on each theme (reports without a region left out)."""
    placed = coded[coded["macro_region"].fillna("") != ""]
    if placed.empty:
        return pd.DataFrame(columns=["macro_region", "part", "theme", "items", "item_share_pct"])
    regional = theme_profile(placed, ids, by=["macro_region", "part"])
    return regional[regional["part"].isin(parts)]


def shortcoming_gaps(regional: pd.DataFrame, regions: Sequence[str]) -> pd.DataFrame | Unavailable:
    """Per theme and region: share of shortcoming items minus share of measure items (percentage points).

    Only regions with both parts count. Returns :class:`~helpers.unavailable.Unavailable` when no region has both.
    """
    table = regional.pivot_table(index="theme", columns=["macro_region", "part"], values="item_share_pct")
    both = [r for r in regions if (r, "shortcomings") in table.columns and (r, "measures") in table.columns]
    if not both:
        reason = ("no report in this corpus has a province yet (add it in reports.csv)" if regional.empty else
                  "no region has reports with both a measures and a shortcomings part")
        return Unavailable("measures against shortcomings by region", reason)
    return pd.DataFrame({r: table[(r, "shortcomings")] - table[(r, "measures")] for r in both})


def gap_title(gaps: pd.DataFrame, labels: dict[str, str]) -> str:
    """The headline of the regional dumbbells: the theme with the widest mean gap, and in how many regions."""
    widest = gaps.mean(axis=1).idxmax()
    return (f"{labels[widest]}: shortcomings outweigh measures in {int((gaps.loc[widest] > 0).sum())} of "
            f"{gaps.shape[1]} regions")


def uptake_title(answers: pd.DataFrame, similar: float = SIMILAR) -> str:
    """``Plans take up the shortcoming's own words for 4 of 12 shortcoming items with a theme`` (:func:`responsiveness`).

    An item "takes up the words" when the closest plan item on its theme has a TF-IDF cosine of at least ``similar``.
    """
    close = int((answers["similarity"] >= similar).sum())
    return (f"Plans take up the shortcoming's own words (similarity ≥ {similar:g}) for {close} of {len(answers)} "
            f"shortcoming item{'s' if len(answers) != 1 else ''} with a theme")


def regional_table(regional: pd.DataFrame, regions: Sequence[str], ids: Sequence[str],
                   labels: dict[str, str]) -> pd.DataFrame | Unavailable:
    """The regional shares as a theme × (region, part) table, in the study's theme and region order."""
    if regional.empty:
        return Unavailable("theme shares by region", "no report in this corpus has a province yet (add it in reports.csv)")
    table = regional.pivot_table(index="theme", columns=["macro_region", "part"], values="item_share_pct")
    return table.reindex(index=list(ids), columns=pd.MultiIndex.from_product([list(regions), ["measures", "shortcomings"]])
                         ).round(0).rename(index=labels)


def _gathered(profile: pd.DataFrame, part: str) -> str | None:
    """The theme with the largest mean share of ``part``'s characters across the profile's columns (None if none)."""
    shares = profile[profile["part"] == part]
    if shares.empty or not shares["char_share_pct"].gt(0).any():
        return None
    return str(shares.groupby("theme")["char_share_pct"].mean().idxmax())


def heatmap_title(profile: pd.DataFrame, labels: dict[str, str]) -> str:
    """Notebook 03's theme heatmap headline: how many themes measures touch, and where shortcomings gather.

    Both from :func:`helpers.themes.theme_profile`-style rows (``part, theme, char_share_pct``): a theme is
    touched when some column gives it a share of the measures; shortcomings gather on the theme with the largest
    mean share.
    """
    measures = profile[(profile["part"] == "measures") & (profile["char_share_pct"] > 0)]
    touched = measures["theme"].nunique()
    said = f"Measures touch {touched} of {len(labels)} themes"
    gathered = _gathered(profile, "shortcomings")
    if gathered is None:
        return said + "; no report of this corpus states a shortcoming with a theme"
    return f"{said}; shortcomings gather on {labels[gathered]}"


def plans_heatmap_title(profile: pd.DataFrame, labels: dict[str, str]) -> str:
    """Notebook 04's heatmap headline: the theme plans weigh most, set against the one shortcomings gather on."""
    plans, short = _gathered(profile, "plans"), _gathered(profile, "shortcomings")
    if plans is None:
        return "No plan item of this corpus carries a theme" + (
            f"; shortcomings gather on {labels[short]}" if short else "")
    if short is None:
        return f"Plans weigh most on {labels[plans]}; no shortcoming item carries a theme"
    if plans == short:
        return f"Plans weigh most on {labels[plans]}, the theme shortcomings gather on too"
    return f"Plans weigh most on {labels[plans]}, while shortcomings gather on {labels[short]}"


def concrete_examples(concrete: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame | Unavailable:
    """Per report and part: how many items hold a figure, a document, a place, and the places named."""
    found = concrete[concrete["concrete"]]
    if found.empty:
        return Unavailable("concrete items", "no item of this corpus names a figure, a document or a place")
    return found.groupby(["report_id", "part"]).agg(
        figures=("has_figure", "sum"), documents=("has_document", "sum"), places=("has_place", "sum"),
        named=("places", lambda p: "、".join(sorted({x for v in p for x in v.split("、") if x}))),
    ).reindex(list(order), level=0)


def summary_figures(coded: pd.DataFrame, summary_answers: pd.DataFrame | Unavailable, answers: pd.DataFrame,
                    critic: pd.DataFrame, claims: pd.DataFrame, similar: float = SIMILAR) -> pd.Series:
    """The numbers notebook 04 states in prose and titles, computed here (0 where this corpus has none)."""
    answered = summary_answers if not isinstance(summary_answers, Unavailable) else pd.DataFrame(
        columns=["shortcoming_items", "answered"])

    def rounded(value: float) -> float:
        return round(float(value), 1)

    return pd.Series({
        "coded items": len(coded),
        "shortcoming items with a theme": int(answered["shortcoming_items"].sum()),
        "answered by a plan on the same theme": int(answered["answered"].sum()),
        f"answered with similarity ≥ {similar}": int((answers["answered"] & (answers["similarity"] >= similar)).sum())
        if len(answers) else 0,
        "shortcomings chars per 100 measures chars (median)": rounded(critic["shortcomings_per_100_measures_chars"].median()),
        "concrete measures items, % (median)": rounded(critic["measures_concrete_pct"].median()),
        "concrete shortcomings items, % (max)": rounded(critic["shortcomings_concrete_pct"].max()),
        "quantitative claims": len(claims),
        "claims in shortcomings parts": int((claims["part"] == "shortcomings").sum()),
        "claims of 100%": int(claims["is_100pct"].sum()),
    }, dtype=object)


def concreteness_by_part(critic: pd.DataFrame) -> pd.DataFrame:
    """The concrete share of measures and shortcomings items per report (%), columns named by part."""
    return critic[["measures_concrete_pct", "shortcomings_concrete_pct"]].rename(
        columns={"measures_concrete_pct": "measures", "shortcomings_concrete_pct": "shortcomings"})


def concreteness_title(critic: pd.DataFrame) -> str:
    """The concreteness chart's title: whether any shortcoming item is concrete, and the range for measures."""
    measures = critic["measures_concrete_pct"].dropna()
    if measures.empty:
        return "No report has measure items to set shortcomings against"
    low, high = f"{measures.min():.0f}", f"{measures.max():.0f}"
    share = f"{low}%" if low == high else f"{low}–{high}%"
    if critic["shortcomings_concrete_pct"].dropna().empty:
        return f"{share} of measure items name a figure, document or place; no report lists shortcoming items"
    if critic["shortcomings_concrete_pct"].max() == 0:
        return f"No shortcoming item names a figure, document or place; {share} of measure items do"
    return f"Shortcoming items name a figure, document or place in some reports; {share} of measure items do"
