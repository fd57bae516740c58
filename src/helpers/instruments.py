"""Policy-instrument coding of measures and plans items: a second codebook dimension beside the themes.

The codebook (``data/codebook/instruments.yaml``, read with ``docs/coding_guide_instruments.md``) has the format of
the theme codebook and is scored by the theme coder (:func:`helpers.themes.code_text`: weighted keywords, the
longest match first, a keyword in the item's title counted twice, a threshold, at most three labels per item). Its
14 sub-instruments fall into three types after Rothwell & Zegveld — supply-side, environment-side, demand-side —
named by each entry's ``type`` and the codebook's ``types`` list. Only the items of the parts ``measures`` and
``plans`` are coded (:data:`INSTRUMENT_PARTS`); the hand codes of the bundled reports
(``data/annotations/instrument_labels.csv``) were written under the guide before the keywords, and
:func:`validation_table` scores the coder on them per sub-instrument and per type.

Tables for the notebooks: the instrument mix by theme (theme × instrument, the usual two-dimensional table of
policy-instrument studies), by macro-region and by part; :func:`summary` and :func:`words` word the findings with
their denominators.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers import memory
from helpers.frames import frame_from_rows
from helpers.hand_codes import labelled_items, read_labels, validation
from helpers.paths import ANNOTATIONS, CODEBOOK, relative
from helpers.regions import MACRO_REGIONS
from helpers.segment import ITEM_KEYS
from helpers.themes import (
    Codebook,
    CodebookError,
    code_arrays,
    codebook_table,
    load_codebook,
    theme_profile,
    title_end,
)
from helpers.unavailable import Unavailable

if TYPE_CHECKING:
    from helpers.findings import Findings

#: The parts whose items carry instruments: what a report did and what it plans to do.
INSTRUMENT_PARTS = ("measures", "plans")
#: The codebook's key (``load_codebook(path, key=KEY)``).
KEY = "instruments"
#: The study's instrument codebook and hand codes.
DEFAULT_CODEBOOK = CODEBOOK / "instruments.yaml"
DEFAULT_LABELS = ANNOTATIONS / "instrument_labels.csv"
#: A macro-region left empty in the corpus table.
NO_REGION = "(no region)"
#: A theme column for items without a theme (theme × instrument).
NO_THEME = "(none)"

KEYS = list(ITEM_KEYS)
INSTRUMENT_COLUMNS = ["report_id", "part_seq", "item_seq", "part", "item_kind", "start", "end", "chars",
                      "instruments", "instrument_types"]
EVIDENCE_COLUMNS = ["report_id", "part_seq", "item_seq", "instrument", "instrument_type", "score", "keyword",
                    "offset"]


def load_instruments(path: Path | str | None = None) -> Codebook:
    """The instrument codebook (:func:`helpers.themes.load_codebook` with ``key="instruments"``), types checked.

    Args:
        path: the YAML file (default ``data/codebook/instruments.yaml``).

    Raises:
        CodebookError: what :func:`~helpers.themes.load_codebook` raises, a missing ``types`` list, or an entry
            whose ``type`` is missing or not one of ``types`` (the file and the entry are named).
    """
    path = Path(path) if path is not None else DEFAULT_CODEBOOK
    book = load_codebook(path, key=KEY)
    types = [str(t.get("id")) for t in book.raw.get("types") or [] if isinstance(t, dict)]
    if not types or not all(isinstance(t, dict) and {"id", "zh", "en"} <= set(t) for t in book.raw["types"]):
        raise CodebookError(f"{relative(path)}: expected a 'types' list of {{id, zh, en}} (supply, environment, demand)")
    for entry in book.raw[KEY]:
        if entry.get("type") not in types:
            raise CodebookError(f"{relative(path)}: {entry['id']} has type {entry.get('type')!r}: use one of "
                                f"{', '.join(types)}")
    return book


def type_ids(codebook: Codebook) -> list[str]:
    """Type ids in the codebook's order (``supply, environment, demand``)."""
    return [t["id"] for t in codebook.raw["types"]]


def type_labels(codebook: Codebook) -> dict[str, str]:
    """Type id → bilingual label (``供给型 / Supply-side``)."""
    return {t["id"]: f"{t['zh']} / {t['en']}" for t in codebook.raw["types"]}


def instrument_types(codebook: Codebook) -> dict[str, str]:
    """Sub-instrument id → its type id, in codebook order."""
    return {entry["id"]: entry["type"] for entry in codebook.raw[KEY]}


def instrument_codebook_table(codebook: Codebook) -> pd.DataFrame:
    """The codebook as a table for reading (:func:`helpers.themes.codebook_table`) with each entry's type first.

    Returns:
        ``type, id, label, frame, definition, include, exclude, keywords, strongest keywords``.
    """
    table = codebook_table(codebook, key=KEY)
    kinds, of_type = type_labels(codebook), instrument_types(codebook)
    return table.assign(type=table["id"].map(of_type).map(kinds))[["type", *table.columns]]


def types_of(labels: pd.Series, codebook: Codebook) -> list[str]:
    """The types of ``;``-joined sub-instrument labels, ``;``-joined in type order (``""`` for none)."""
    of_type, order = instrument_types(codebook), type_ids(codebook)
    codes, uniques = pd.factorize(labels.fillna("").astype(str))
    joined = [";".join(t for t in order if any(of_type.get(i) == t for i in u.split(";"))) for u in uniques]
    return [joined[c] for c in codes]


def code_instruments(items: pd.DataFrame, codebook: Codebook) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Code every measures and plans item with the instrument codebook (the theme coder's scoring).

    Args:
        items: :func:`helpers.structure.items_table` (the store's ``items``).
        codebook: :func:`load_instruments`.

    Returns:
        ``(instruments, evidence)``: ``instruments`` one row per item of :data:`INSTRUMENT_PARTS`
        (``report_id, part_seq, item_seq, part, item_kind, start, end, chars, instruments, instrument_types``,
        labels ``;``-joined, best scored first; types in type order); ``evidence`` one row per item × assigned
        sub-instrument × keyword match taken (``instrument, instrument_type, score, keyword, offset``, the offset
        into the report's normalised text).

    Example:
        >>> book = load_instruments()
        >>> table, _ = code_instruments(pd.DataFrame({"report_id": ["r"], "part_seq": [1], "item_seq": [0],
        ...     "part": ["measures"], "item_kind": ["numbered"], "start": [0], "end": [22], "item_title": [""],
        ...     "text": ["组织机关干部参加法治专题培训，全年培训6次。"]}), book)
        >>> table["instruments"].tolist()
        ['training']
    """
    mine = items[items["part"].isin(INSTRUMENT_PARTS)]
    columns = {c: mine[c].tolist() for c in INSTRUMENT_COLUMNS[:7]}
    starts = mine["start"].to_numpy(dtype=np.int64)
    columns["chars"] = (mine["end"].to_numpy(dtype=np.int64) - starts).tolist()
    texts = mine["text"].tolist()
    found = code_arrays(texts, codebook, [title_end(t, h) for t, h in zip(texts, mine["item_title"].fillna("").tolist())])
    columns["instruments"] = found.joined(len(texts))
    table = pd.DataFrame(columns, columns=INSTRUMENT_COLUMNS)
    table["instrument_types"] = types_of(table["instruments"], codebook) if len(table) else pd.Series(dtype=object)
    if not found.bounds[-1]:
        return table, frame_from_rows([], EVIDENCE_COLUMNS)
    # one row per label × keyword match taken
    label = np.repeat(np.arange(len(found)), np.diff(found.bounds))
    item = found.text[label]
    of_type = instrument_types(codebook)
    ids = np.asarray(found.ids, dtype=object)[found.category[label]]
    evidence = pd.DataFrame({"report_id": mine["report_id"].to_numpy()[item], "part_seq": mine["part_seq"].to_numpy()[item],
                             "item_seq": mine["item_seq"].to_numpy()[item], "instrument": ids,
                             "instrument_type": np.array([of_type[i] for i in found.ids], dtype=object)[found.category[label]],
                             "score": found.score[label], "keyword": found.keywords[found.keyword],
                             "offset": starts[item] + found.start})
    return table, evidence.astype({c: "str" for c in ("report_id", "instrument", "instrument_type", "keyword")})


def read_instrument_labels(path: Path | str, items: pd.DataFrame, reports: Sequence[str] | None = None) -> pd.DataFrame:
    """The instrument hand codes, checked against the current segmentation (:func:`helpers.hand_codes.read_labels`).

    Args:
        path: the labels table (``report_id, part_seq, item_seq, part, start, text_head, instruments``).
        items: :func:`helpers.structure.items_table`.
        reports: check only these reports.

    Returns:
        ``report_id, part_seq, item_seq, part, instruments``.

    Raises:
        StudyError: a measures or plans item has no label, a label names no item, or a labelled item no longer
            starts where it did or reads otherwise (the segmentation changed: re-check the labels).
    """
    return read_labels(path, items, reports, columns=("part", "instruments"), parts=INSTRUMENT_PARTS)


def load_instrument_hand_codes(items: pd.DataFrame, codebook: Codebook | None = None,
                               path: Path | str | None = None) -> pd.DataFrame | None:
    """The instrument hand codes of these items with their types, or ``None`` when no report of them was hand-coded.

    ``None`` only when no labelled report is in ``items`` (a user's corpus); for a hand-coded report a mismatch
    is an error (:func:`read_instrument_labels`), never a silent skip.

    Returns:
        ``report_id, part_seq, item_seq, part, instruments, instrument_types``.
    """
    path = Path(path) if path is not None else DEFAULT_LABELS
    labelled = set(pd.read_csv(path, usecols=["report_id"])["report_id"]) & set(items["report_id"])
    if not labelled:
        return None
    gold = read_instrument_labels(path, items, reports=sorted(labelled))
    return gold.assign(instrument_types=types_of(gold["instruments"], codebook or load_instruments()))


def validation_table(gold: pd.DataFrame | None, predicted: pd.DataFrame | Tally, codebook: Codebook) -> pd.DataFrame:
    """Precision, recall and F1 of the coder against the hand codes, per sub-instrument and per type.

    Both levels are :func:`helpers.hand_codes.validation` (items matched on their keys; ``macro`` the mean over the
    categories with gold or predicted support, ``micro`` the pooled counts).

    Returns:
        ``level`` (``sub-instrument`` or ``type``), ``category, type, label, support, predicted, tp, precision,
        recall, f1`` — empty for a corpus without hand codes.
    """
    columns = ["level", "category", "type", "label", "support", "predicted", "tp", "precision", "recall", "f1"]
    if gold is None:
        return pd.DataFrame(columns=columns)
    if isinstance(predicted, Tally):
        predicted = predicted.coded
    of_type, kinds = instrument_types(codebook), type_labels(codebook)
    sub = validation(gold, predicted, codebook.ids, column="instruments")
    sub = sub.assign(level="sub-instrument", type=sub["category"].map(of_type).fillna(""),
                     label=sub["category"].map(codebook.labels).fillna(sub["category"]))
    by_type = validation(gold, predicted, type_ids(codebook), column="instrument_types")
    by_type = by_type.assign(level="type", type=by_type["category"].where(by_type["category"].isin(kinds), ""),
                             label=by_type["category"].map(kinds).fillna(by_type["category"]))
    return pd.concat([sub, by_type], ignore_index=True)[columns]


# ---------------------------------------------------------------------------------------------------------------
# tables for the notebooks


def instrument_profile(instruments: pd.DataFrame, ids: Sequence[str], by: Sequence[str],
                       column: str = "instruments") -> pd.DataFrame:
    """Share of items carrying each sub-instrument (or type, ``column="instrument_types"``), per group.

    :func:`helpers.themes.theme_profile` on the instrument labels.

    Returns:
        ``*by, instrument, items, items_with_instrument, item_share_pct, char_share_pct``.
    """
    profile = theme_profile(instruments, ids, by=by, column=column)
    return profile.rename(columns={"theme": "instrument", "items_with_theme": "items_with_instrument"})


def indicators(labels: pd.Series, ids: Sequence[str]) -> np.ndarray:
    """``;``-joined labels → an items × ``ids`` matrix of 0/1 (int64), one row per label string, in order.

    Each distinct label string is split once (a corpus has few distinct combinations), so that this takes
    milliseconds at 10⁵ items.
    """
    codes, uniques = pd.factorize(labels.fillna("").astype(str))
    sets = [set(u.split(";")) for u in uniques]
    table = np.array([[i in u for i in ids] for u in sets], dtype=np.int64).reshape(len(sets), len(ids))
    return table[codes] if len(codes) else np.zeros((0, len(ids)), dtype=np.int64)


def combinations(frame: pd.DataFrame | Mapping[str, pd.Series], columns: Sequence[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """The distinct rows of ``columns`` (labels as strings, a missing one as ``""``) and how many rows each stands for.

    The counts of this module are sums over items of their labels' indicators; summed over the distinct
    combinations of labels, weighted by their number of items, they are the same integers without a row per item
    (an items × categories matrix of int64 held 50–75 MB per matrix at 2·10⁴ reports).
    """
    labels = pd.DataFrame({c: pd.Series(frame[c]).astype(object).fillna("").astype(str).to_numpy() for c in columns})
    if labels.empty:
        return labels, np.zeros(0, dtype=np.int64)
    codes = [pd.factorize(labels[c])[0] for c in columns]
    key = np.zeros(len(labels), dtype=np.int64)
    for values in codes:  # one integer per combination (renumbered after each column: no overflow)
        key = pd.factorize(key * (int(values.max()) + 1) + values)[0].astype(np.int64)
    _, first, weights = np.unique(key, return_index=True, return_counts=True)
    return labels.iloc[first].reset_index(drop=True), weights.astype(np.int64)


#: The labels a :class:`Tally` counts items by.
TALLY_COLUMNS = ["part", "instruments", "instrument_types", "themes", "macro_region"]


@dataclass(frozen=True)
class Tally:
    """Measures and plans items counted by their labels: what this module's tables sum, without a row per item.

    Attributes:
        counts: ``part, instruments, instrument_types, themes, macro_region, items``: each distinct combination of
            an item's part, sub-instruments and types (``;``-joined), themes and its report's macro-region
            (:data:`NO_REGION` if none), and how many items have it.
        reports: macro-region → reports with measures or plans items.
        coded: the coder's rows (``report_id, part_seq, item_seq, part, instruments, instrument_types``) of the items
            kept for validation (the hand-coded ones; every item when made from an items table).
    """

    counts: pd.DataFrame
    reports: dict[str, int]
    coded: pd.DataFrame

    @property
    def items(self) -> int:
        """The items counted."""
        return int(self.counts["items"].sum())

    def weighted(self, columns: Sequence[str]) -> tuple[pd.DataFrame, np.ndarray]:
        """:func:`combinations` of ``columns``, from the counts."""
        if self.counts.empty:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in columns}), np.zeros(0, dtype=np.int64)
        summed = self.counts.groupby(list(columns), sort=False)["items"].sum().reset_index()
        return summed[list(columns)], summed["items"].to_numpy(dtype=np.int64)


def tally(instruments: pd.DataFrame | Tally, coded: pd.DataFrame | None = None, corpus: pd.DataFrame | None = None,
          keep: pd.DataFrame | None = None) -> Tally:
    """The :class:`Tally` of an items table (:func:`code_instruments`; a tally is returned as it is).

    Args:
        instruments: the coded measures and plans items.
        coded: the theme-coded items (their ``themes``; none without).
        corpus: the corpus table (``report_id, macro_region``; no region without).
        keep: the keys of the items whose coder rows are kept (default every item's).
    """
    if isinstance(instruments, Tally):
        return instruments
    themes = (instruments[KEYS].merge(coded[[*KEYS, "themes"]], on=KEYS, how="left")["themes"] if coded is not None
              else pd.Series("", index=range(len(instruments))))
    region = _regions(instruments, corpus if corpus is not None else pd.DataFrame({"report_id": []}))
    labels, weights = combinations({"part": instruments["part"], "instruments": instruments["instruments"],
                                    "instrument_types": instruments["instrument_types"], "themes": themes,
                                    "macro_region": region}, TALLY_COLUMNS)
    reports = instruments["report_id"].groupby(region.to_numpy()).nunique()
    rows = instruments[[*KEYS, "part", "instruments", "instrument_types"]]
    if keep is not None:
        rows = rows.merge(keep[KEYS].drop_duplicates(), on=KEYS)
    return Tally(labels.assign(items=weights), {str(r): int(n) for r, n in reports.items()}, rows.reset_index(drop=True))


def merge_tallies(tallies: Sequence[Tally]) -> Tally:
    """One :class:`Tally` of several (of disjoint sets of reports: a slice of reports each)."""
    counts = pd.concat([t.counts for t in tallies], ignore_index=True) if tallies else pd.DataFrame(
        {**{c: pd.Series(dtype=object) for c in TALLY_COLUMNS}, "items": pd.Series(dtype=np.int64)})
    counts = counts.groupby(TALLY_COLUMNS, sort=False)["items"].sum().reset_index()
    reports: dict[str, int] = {}
    for t in tallies:
        for region, n in t.reports.items():
            reports[region] = reports.get(region, 0) + n
    coded = pd.concat([t.coded for t in tallies], ignore_index=True) if tallies else pd.DataFrame(
        columns=[*KEYS, "part", "instruments", "instrument_types"])
    return Tally(counts, reports, coded)


#: Reports whose instruments and themes :func:`study_tally` reads at a time.
TALLY_REPORTS = 2_000


def study_tally(study, keep: pd.DataFrame | None = None, reports: int | None = None) -> Tally:
    """The :class:`Tally` of a study's measures and plans items, read from the store a slice of reports at a time.

    Each slice's instruments and themes are read alone (in the store's order, from the batches that hold them)
    and counted; only the counts are kept, and the coder's rows of the items of ``keep`` (the hand codes' keys).
    Every item's labels at once held 0.25 GB, read, at 2·10⁴ reports.
    """
    ids = study.store.metadata()["report_id"].tolist()
    shown = set(study.order)
    ids = [rid for rid in ids if rid in shown]
    step = max(reports or TALLY_REPORTS, 1)
    corpus = study.corpus[["report_id", "macro_region"]] if "macro_region" in study.corpus else study.corpus[["report_id"]]
    pieces = []
    for at in range(0, len(ids), step):
        chosen = ids[at:at + step]
        table = study.store.table("instruments", columns=[*KEYS[1:], "part", "instruments", "instrument_types"],
                                  reports=chosen)
        coded = study.store.table("coded", columns=[*KEYS[1:], "themes"], reports=chosen)
        pieces.append(tally(table, coded, corpus, keep if keep is not None else table.iloc[:0]))
    return merge_tallies(pieces)


def by_part(instruments: pd.DataFrame | Tally, codebook: Codebook) -> pd.DataFrame:
    """Items carrying each sub-instrument in measures and in plans: sub-instruments (labelled rows) × parts.

    Returns:
        One row per sub-instrument (codebook order, bilingual label as index), two columns per part:
        ``<part> items (of n)`` (count) and ``<part> %`` (of the part's coded items; an item with two
        sub-instruments counts for both), parts in :data:`INSTRUMENT_PARTS` order, only parts with items.
    """
    combos, weights = tally(instruments).weighted(["part", "instruments"])
    has = indicators(combos["instruments"], codebook.ids) * weights[:, None] if len(combos) else np.zeros((0, 0))
    part = combos["part"].to_numpy()
    out = pd.DataFrame(index=pd.Index(codebook.ids, name="instrument"))
    for name in [p for p in INSTRUMENT_PARTS if (part == p).any()]:
        mine, n = has[part == name].sum(axis=0), int(weights[part == name].sum())
        out[f"{name} items (of {n:,})"] = mine
        out[f"{name} %"] = (100 * mine / n).round(1)
    return out.rename(index=codebook.labels)


def counts_by_source(instruments: pd.DataFrame | Tally, gold: pd.DataFrame | None, codebook: Codebook) -> pd.DataFrame:
    """Items carrying each sub-instrument and type by the coder and, where there are hand codes, by hand.

    Returns:
        Rows: sub-instruments (bilingual labels, codebook order), then the types, then ``(no instrument)``;
        columns ``items (coder)`` and, with hand codes, ``items (hand codes)`` — counted over the hand-coded items
        only when there are hand codes, so that the two columns have one denominator.
    """
    counted = tally(instruments)
    sources: dict[str, pd.DataFrame | Tally] = {"coder": counted}
    if gold is not None:
        sources = {"coder": counted.coded.merge(gold[KEYS], on=KEYS), "hand codes": gold}
    labels = [*codebook.labels.values(), *type_labels(codebook).values(), "(no instrument)"]
    out = {}
    for name, frame in sources.items():
        columns = ["instruments", "instrument_types"]
        combos, weights = frame.weighted(columns) if isinstance(frame, Tally) else combinations(frame, columns)
        size = frame.items if isinstance(frame, Tally) else len(frame)
        subs = indicators(combos["instruments"], codebook.ids)
        types = indicators(combos["instrument_types"], type_ids(codebook))
        none = int(weights[subs.sum(axis=1) == 0].sum())
        out[f"items (of {size:,}, {name})"] = [*(weights @ subs).tolist(), *(weights @ types).tolist(), none]
    return pd.DataFrame(out, index=pd.Index(labels, name="instrument"))


def by_theme(instruments: pd.DataFrame | Tally, coded: pd.DataFrame | None, codebook: Codebook,
             theme_ids: Sequence[str]) -> pd.DataFrame:
    """Theme × sub-instrument: how many items of each theme carry each sub-instrument.

    An item counts once under each of its themes and each of its sub-instruments; items without a theme are the
    theme :data:`NO_THEME`.

    Args:
        instruments: :func:`code_instruments` (or the hand codes, same keys and ``instruments``), or a
            :class:`Tally` of them.
        coded: the theme-coded items (:meth:`helpers.context.Study.coded`'s first table; not read with a tally).
        codebook: the instrument codebook.
        theme_ids: theme ids in codebook order.

    Returns:
        ``theme, instrument, instrument_type, items, theme_items, share_pct`` (``share_pct``: of the theme's
        measures and plans items), themes in codebook order then :data:`NO_THEME`, sub-instruments in codebook order.
    """
    combos, weights = tally(instruments, coded).weighted(["themes", "instruments"])
    has = indicators(combos["themes"], theme_ids)
    themes = np.hstack([has, (has.sum(axis=1) == 0).astype(np.int64)[:, None]])  # the last: no theme
    counts = themes.T @ (indicators(combos["instruments"], codebook.ids) * weights[:, None])
    theme_items = weights @ themes
    of_type = instrument_types(codebook)
    names = [*theme_ids, NO_THEME]
    share = np.divide(100 * counts, theme_items[:, None], out=np.zeros(counts.shape), where=theme_items[:, None] > 0)
    return pd.DataFrame({"theme": np.repeat(names, len(codebook.ids)),
                         "instrument": np.tile(codebook.ids, len(names)),
                         "instrument_type": np.tile([of_type[i] for i in codebook.ids], len(names)),
                         "items": counts.ravel(), "theme_items": np.repeat(theme_items, len(codebook.ids)),
                         "share_pct": share.ravel()})


def theme_instrument_matrix(table: pd.DataFrame, codebook: Codebook, theme_labels: Mapping[str, str],
                            value: str = "share_pct") -> pd.DataFrame | Unavailable:
    """:func:`by_theme` as a labelled matrix for a heatmap: themes (rows) × ``type · sub-instrument`` columns.

    Rows are bilingual theme labels with the theme's number of items (``矛盾纠纷化解 / Disputes (n = 12)``); themes
    with no measures or plans item are left out. Columns read ``供给型 / Supply-side · 教育培训 / Training & study``
    (the heatmap groups them by type).

    Returns:
        The matrix of ``value`` (``share_pct`` or ``items``), or :class:`~helpers.unavailable.Unavailable` when no
        item carries a theme.
    """
    present = table[(table["theme_items"] > 0) & (table["theme"] != NO_THEME)]
    if present.empty:
        return Unavailable("the instrument mix by theme", "no measures or plans item of this corpus carries a theme")
    kinds = type_labels(codebook)
    wide = present.pivot(index="theme", columns="instrument", values=value)
    order = [t for t in theme_labels if t in wide.index]
    wide = wide.reindex(index=order, columns=codebook.ids)
    n = present.groupby("theme")["theme_items"].first()
    wide.index = [f"{theme_labels[t]} (n = {int(n[t]):,})" for t in order]
    of_type = instrument_types(codebook)
    wide.columns = [f"{kinds[of_type[i]]} · {codebook.labels[i]}" for i in codebook.ids]
    return wide


def _regions(instruments: pd.DataFrame, corpus: pd.DataFrame) -> pd.Series:
    region = corpus.set_index("report_id")["macro_region"] if "macro_region" in corpus else pd.Series(dtype=object)
    return instruments["report_id"].map(region).astype(object).fillna("").replace("", NO_REGION)


def by_region(instruments: pd.DataFrame | Tally, corpus: pd.DataFrame | None, codebook: Codebook) -> pd.DataFrame:
    """The instrument-type mix of each macro-region.

    Returns:
        ``macro_region, reports, items, instrument_type, items_with_type, item_share_pct, codes, code_share_pct``:
        ``item_share_pct`` of the region's measures and plans items carrying the type (an item may carry two);
        ``codes`` the sub-instrument codes of that type and ``code_share_pct`` their share of the region's codes
        (the three sum to 100 where the region has any code). Regions in the study's order, then
        :data:`NO_REGION`; only regions with items.
    """
    columns = ["macro_region", "reports", "items", "instrument_type", "items_with_type", "item_share_pct", "codes",
               "code_share_pct"]
    counted = tally(instruments, corpus=corpus)
    if not counted.items:
        return pd.DataFrame(columns=columns)
    of_type, kinds = instrument_types(codebook), type_ids(codebook)
    membership = np.array([[of_type[i] == k for k in kinds] for i in codebook.ids], dtype=np.int64)
    combos, weights = counted.weighted(["macro_region", "instruments", "instrument_types"])
    codes = pd.DataFrame(indicators(combos["instruments"], codebook.ids) @ membership * weights[:, None], columns=kinds)
    with_type = pd.DataFrame(indicators(combos["instrument_types"], kinds) * weights[:, None], columns=kinds)
    groups = combos["macro_region"].to_numpy()
    regions = [r for r in [*MACRO_REGIONS, NO_REGION] if (groups == r).any()]
    code_sums = codes.groupby(groups).sum().reindex(regions)
    type_sums = with_type.groupby(groups).sum().reindex(regions)
    items = pd.Series(weights).groupby(groups).sum().reindex(regions)
    reports = pd.Series(counted.reports).reindex(regions)
    rows = []
    for name in regions:
        total = int(code_sums.loc[name].sum())
        for kind in kinds:
            n, k = int(items[name]), int(type_sums.loc[name, kind])
            rows.append({"macro_region": name, "reports": int(reports[name]), "items": n, "instrument_type": kind,
                         "items_with_type": k, "item_share_pct": 100 * k / n, "codes": int(code_sums.loc[name, kind]),
                         "code_share_pct": 100 * int(code_sums.loc[name, kind]) / total if total else 0.0})
    return pd.DataFrame(rows, columns=columns)


def _zh(label: str) -> str:
    return label.split(" / ")[0]


def theme_instrument_title(table: pd.DataFrame, theme_labels: Mapping[str, str], codebook: Codebook,
                           min_items: int = 5, pairs: int = 2) -> str:
    """The heatmap's title, from :func:`by_theme`: the themes that lean most on one sub-instrument, with counts.

    Among themes with at least ``min_items`` measures and plans items (all themes when none has), each theme's most
    frequent sub-instrument; the ``pairs`` largest shares are named (ties with the last one too).
    """
    rows = table[(table["theme"] != NO_THEME) & (table["items"] > 0)]
    if rows.empty:
        return "No measures or plans item carries both a theme and an instrument"
    big = rows[rows["theme_items"] >= min_items]
    rows = big if len(big) else rows
    best = rows.sort_values(["share_pct", "items"], ascending=False, kind="stable").drop_duplicates("theme")
    floor = float(best["share_pct"].iloc[min(pairs, len(best)) - 1])
    named = best[best["share_pct"] >= floor]
    said = [f"{_zh(codebook.labels[r.instrument])} in {r.items:,} of {r.theme_items:,} "
            f"{_zh(theme_labels.get(r.theme, r.theme))} items" for r in named.itertuples()]
    return "; ".join(said) + " — the themes that lean most on one instrument"


def type_mix_title(mix: pd.DataFrame, codebook: Codebook) -> str:
    """The type-mix chart's title, from :func:`by_region`: which type takes the largest share of codes, where."""
    kinds = type_labels(codebook)
    lead: dict[str, tuple[str, ...]] = {}
    for region, rows in mix.groupby("macro_region", sort=False):
        share = rows.set_index("instrument_type")["code_share_pct"]
        if share.max() > 0:
            lead[str(region)] = tuple(share.index[share == share.max()])
    if not lead:
        return "No measures or plans item carries an instrument"
    if len(lead) == 1:
        (region, top), = lead.items()
        rows = mix[mix["macro_region"] == region].set_index("instrument_type")
        share = float(rows.loc[top[0], "code_share_pct"])
        return (f"{region}: {' and '.join(_zh(kinds[t]) for t in top)} instruments take the largest share of "
                f"codes ({share:.0f} % of {int(rows['codes'].sum()):,})")
    grouped: dict[tuple[str, ...], list[str]] = {}
    for region, top in lead.items():
        grouped.setdefault(top, []).append(region)
    if len(grouped) == 1:
        (top, _), = grouped.items()
        return (f"{' and '.join(_zh(kinds[t]) for t in top)} instruments take the largest share of codes in all "
                f"{len(lead)} regions")
    return "; ".join(f"{' and '.join(_zh(kinds[t]) for t in top)} {'tie' if len(top) > 1 else 'lead'} in "
                     f"{len(regions)} of {len(lead)} regions" for top, regions in grouped.items())


# ---------------------------------------------------------------------------------------------------------------
# findings


@dataclass(frozen=True)
class InstrumentSummary:
    """The numbers behind the instrument findings (ids; labels are applied when worded by :func:`words`)."""

    reports: int
    items: int
    items_with_instrument: int
    #: Items carrying each sub-instrument / each type (codebook order).
    per_instrument: dict[str, int]
    per_type: dict[str, int]
    #: Items per part (measures, plans) and of them with an instrument.
    part_items: dict[str, int]
    part_with_instrument: dict[str, int]
    #: The most frequent theme × sub-instrument pairs (ties all named), their item count, and the theme's items.
    top_pairs: tuple[tuple[str, str, int, int], ...]
    #: Macro-region → the type(s) with the largest share of its codes, and the region's number of reports.
    region_leaders: dict[str, tuple[str, ...]]
    region_reports: dict[str, int]
    #: Hand-coded items of this corpus (``None``: no hand codes) and the validation's micro/macro F1 and type F1s.
    hand_items: int | None
    micro_f1: float | None
    macro_f1: float | None
    #: Sub-instruments the macro mean is over (those with hand codes or predictions).
    macro_over: int | None
    type_f1: dict[str, float]
    type_support: dict[str, int]


def summary(instruments: pd.DataFrame | Tally, coded: pd.DataFrame | None, corpus: pd.DataFrame | None,
            codebook: Codebook, theme_ids: Sequence[str], gold: pd.DataFrame | None = None) -> InstrumentSummary:
    """The instrument findings' numbers for a corpus.

    Args:
        instruments: :func:`code_instruments`, or a :class:`Tally` of it (``coded`` and ``corpus`` then unread).
        coded: the theme-coded items (for theme × instrument).
        corpus: the corpus table (``report_id``, ``macro_region``).
        codebook: the instrument codebook.
        theme_ids: theme ids in codebook order.
        gold: :func:`load_instrument_hand_codes` (``None`` for a corpus without hand codes).
    """
    counted = tally(instruments, coded, corpus)
    combos, weights = counted.weighted(["part", "instruments", "instrument_types"])
    subs = indicators(combos["instruments"], codebook.ids)
    types = indicators(combos["instrument_types"], type_ids(codebook))
    any_sub = subs.sum(axis=1) > 0
    parts = combos["part"].to_numpy()
    pairs = by_theme(counted, None, codebook, theme_ids)
    pairs = pairs[(pairs["theme"] != NO_THEME) & (pairs["items"] > 0)]
    best = int(pairs["items"].max()) if len(pairs) else 0
    top = tuple((r.theme, r.instrument, int(r.items), int(r.theme_items))
                for r in pairs[pairs["items"] == best].itertuples()) if best else ()
    mix = by_region(counted, None, codebook)
    leaders: dict[str, tuple[str, ...]] = {}
    for region, rows in mix.groupby("macro_region", sort=False):
        share = rows.set_index("instrument_type")["code_share_pct"]
        leaders[str(region)] = tuple(share.index[share == share.max()]) if share.max() > 0 else ()
    scores = validation_table(gold, counted, codebook).set_index(["level", "category"]) if gold is not None else None

    sub = scores.loc["sub-instrument"].drop(index=["macro", "micro"]) if scores is not None else None

    def score(level: str, category: str) -> float:
        return float(scores.loc[(level, category), "f1"]) if scores is not None else float("nan")

    return InstrumentSummary(
        reports=sum(counted.reports.values()), items=counted.items,
        items_with_instrument=int(weights[any_sub].sum()),
        per_instrument=dict(zip(codebook.ids, (weights @ subs).tolist())),
        per_type=dict(zip(type_ids(codebook), (weights @ types).tolist())),
        part_items={p: int(weights[parts == p].sum()) for p in INSTRUMENT_PARTS},
        part_with_instrument={p: int(weights[any_sub & (parts == p)].sum()) for p in INSTRUMENT_PARTS},
        top_pairs=top, region_leaders=leaders,
        region_reports={str(r): int(n) for r, n in mix.groupby("macro_region", sort=False)["reports"].first().items()},
        hand_items=len(gold) if gold is not None else None,
        micro_f1=score("sub-instrument", "micro") if scores is not None else None,
        macro_f1=score("sub-instrument", "macro") if scores is not None else None,
        macro_over=int(((sub["support"] > 0) | (sub["predicted"] > 0)).sum()) if sub is not None else None,
        type_f1={t: score("type", t) for t in type_ids(codebook)} if scores is not None else {},
        type_support={t: int(scores.loc[("type", t), "support"]) for t in type_ids(codebook)} if scores is not None else {},
    )


def words(s: InstrumentSummary, codebook: Codebook, theme_labels: Mapping[str, str]) -> list[str]:
    """The instrument findings as sentences, each number with its denominator, ties named.

    Works for any corpus: a corpus without measures or plans items, without themes, with one region or without
    hand codes gets the sentences that can be said, and says what cannot.
    """
    from helpers.findings import cap, leaders, listing, of, top_counts  # the study's wording (a later stage)

    kinds = type_labels(codebook)
    labels = codebook.labels
    if not s.items:
        return ["No report of this corpus has a measures or plans item: no instrument is coded."]
    parts = "; ".join(f"{of(s.part_with_instrument[p], s.part_items[p], f'{p} items')}"
                      for p in INSTRUMENT_PARTS if s.part_items[p])
    top = top_counts(s.per_instrument, k=3)
    out = [f"The instrument coder gives at least one instrument to {of(s.items_with_instrument, s.items, 'items')} "
           f"of measures and plans in {s.reports:,} report{'s' if s.reports != 1 else ''} ({parts})."]
    if top:
        ranked = ", ".join(f"{labels[i]} ({n:,})" for i, n in top)
        out.append(f"The most frequent sub-instruments (items of the {s.items:,}): {ranked}.")
        first = leaders(s.per_type)
        by_type = ", ".join(f"{kinds[t]} {s.per_type[t]:,}" for t in s.per_type)
        out.append(f"By type (items of the {s.items:,}): {by_type}"
                   f" — {listing([kinds[t] for t in first])} {'lead' if len(first) == 1 else 'tie'}"
                   " (an item may carry two types).")
    if s.top_pairs:
        pairs = listing([f"{theme_labels.get(t, t)} × {labels[i]} ({of(k, n, 'items of the theme')})"
                         for t, i, k, n in s.top_pairs])
        out.append(f"The most frequent theme × instrument pair{'s' if len(s.top_pairs) > 1 else ''}: {pairs}.")
    elif top:
        out.append("No item with an instrument carries a theme: the theme × instrument table is empty.")
    placed = {r: lead for r, lead in s.region_leaders.items() if lead}
    if len(placed) > 1:
        grouped: dict[tuple[str, ...], list[str]] = {}
        for region, lead in placed.items():
            grouped.setdefault(lead, []).append(region)
        out.append("The type with the largest share of instrument codes, by macro-region: " + "; ".join(
            f"{listing([kinds[t] for t in lead])}{' (tied)' if len(lead) > 1 else ''} in "
            f"{of(len(regions), len(placed), 'regions')} ({listing(regions)})" for lead, regions in grouped.items())
            + ".")
    elif placed:
        (region, lead), = placed.items()
        where = ("no report is placed in a macro-region" if region == NO_REGION else
                 f"all {s.region_reports[region]:,} reports are in one macro-region, {region}")
        out.append(f"No comparison between regions: {where}.")
    if s.hand_items is None:
        out.append("No item of this corpus is hand-coded for instruments: the coder is not validated on it (it was "
                   "validated on the five bundled reports only).")
    else:
        types = ", ".join(f"{kinds[t]} {s.type_f1[t]:.2f} (support {s.type_support[t]})" for t in s.type_f1)
        out.append(cap(f"against the hand codes of {s.hand_items:,} items, the coder's micro-F1 over the 14 "
                       f"sub-instruments is {s.micro_f1:.2f} (macro {s.macro_f1:.2f} over the {s.macro_over} with hand codes or "
                       f"predictions); F1 by type: {types}. "
                       f"One person wrote the hand codes and the keywords of codebook {codebook.version}, after "
                       "reading these items (its changelog gives the scores before and after tuning): these scores "
                       "flatter."))
    return out


def instrument_tables(study) -> dict:
    """What notebook 05's instrument section reads once: the codebook, the hand codes, the items' counts.

    Returns:
        A dict: ``book`` (the codebook), ``gold`` (:func:`load_instrument_hand_codes`, ``None`` without hand
        codes), ``tally`` (:func:`study_tally`: the coded measures and plans items counted by part, instruments,
        themes and region, and the coder's rows of the hand-coded items) — what every table and figure of the
        section is computed from, without a row per item (every item's codes and themes held 0.25 GB at 2·10⁴
        reports; :func:`write_export` reads the items a slice at a time).
    """
    book = load_instruments()
    gold = load_instrument_hand_codes(labelled_items(study, DEFAULT_LABELS), book)
    return {"book": book, "gold": gold, "tally": study_tally(study, keep=gold)}


def instrument_findings(study, tables: Mapping | None = None) -> Findings:
    """The instrument section's :class:`~helpers.findings.Findings`.

    ``tables``: :func:`instrument_tables` (a tally, small whatever the corpus: notebook 05 reads it once, for its
    findings and its instrument section), read from the study when not given.
    """
    from helpers.findings import Findings, n_line

    if tables is None:
        tables = instrument_tables(study)
    from helpers.themes import default_codebooks

    theme_book, _ = default_codebooks()
    figures = summary(tables["tally"], None, None, tables["book"], theme_book.ids, tables["gold"])
    limits = [f"{n_line(study.corpus)}: shares describe these reports, not a population. Instruments come from a "
              "keyword coder checked against one person's hand codes of the five bundled reports."]
    return Findings(words(figures, tables["book"], theme_book.labels), limits, figures,
                    {**theme_book.labels, **tables["book"].labels, **type_labels(tables["book"])})


#: The coder's first scores, before any keyword was tuned (codebook 2026.12.0, commit 8d6fb0d; tuning came after).
FIRST_RUN = ANNOTATIONS / "instrument_scores_v0.csv"


def scores_with_first_run(gold: pd.DataFrame | None, predicted: pd.DataFrame | Tally, codebook: Codebook,
                          path: Path | str = FIRST_RUN) -> pd.DataFrame:
    """:func:`validation_table` with the untuned first run's F1 beside the current one (``f1 (<version>, untuned)``).

    The stored first run is of the bundled corpus; for another corpus the table is empty, as is the validation.
    """
    scores = validation_table(gold, predicted, codebook)
    first = pd.read_csv(path)
    name = f"f1 ({first['codebook_version'].iloc[0]}, untuned)"
    merged = scores.merge(first[["level", "category", "f1"]].rename(columns={"f1": name}), on=["level", "category"],
                          how="left")
    return merged


#: ``instruments.csv``: column → (type, meaning), for the data dictionary (the versions' columns follow).
EXPORT_COLUMNS: dict[str, tuple[str, str]] = {
    "report_id": ("text", "the report's id (as in `reports.csv`)"),
    "part_seq": ("integer", "the part's position in its report, from 0"),
    "item_seq": ("integer", "the item's position in its part, from 0"),
    "part": ("text", "`measures` or `plans`"),
    "item_kind": ("text", "as in the store's `items`"),
    "start": ("integer", "the item's first character, offset into the report's normalised text"),
    "end": ("integer", "one past the item's last character, offset into the normalised text"),
    "raw_start": ("integer", "the item's first character, offset into the report's file as read"),
    "raw_end": ("integer", "one past the item's last character, offset into the file as read"),
    "chars": ("integer", "characters of the item"),
    "instruments": ("text", "the sub-instruments assigned (instruments.yaml ids, at most three, best first), "
                            "`;`-joined; empty when none reaches the threshold"),
    "instrument_types": ("text", "their types (`supply`, `environment`, `demand`), `;`-joined in that order"),
    "keywords": ("text", "the keywords that gave them, `instrument: keyword@offset` (normalised offsets), `;`-joined"),
}


def export_table(table: pd.DataFrame, evidence: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """``instruments.csv`` before its versions: each coded item with its raw offsets and the evidence in one column.

    Args:
        table: :func:`code_instruments`' table (the store's ``instruments``).
        evidence: its evidence (the store's ``instrument_evidence``).
        items: the store's ``items`` (for ``raw_start``, ``raw_end``).
    """
    raw = items[[*KEYS, "raw_start", "raw_end"]]
    # joined per item in one pass over the rows sorted by item (groups in order of first appearance, as a group-by
    # with sort=False gives them, but without its call per group: 10⁵–10⁶ items), in Arrow: the 1.4 M pieces of
    # 10⁴ reports as Python strings held 0.5 GB while the table was made
    text = pa.large_string()
    said = pc.binary_join_element_wise(pa.array(evidence["instrument"], type=text), pa.scalar(": ", text),
                                       pa.array(evidence["keyword"], type=text), pa.scalar("@", text),
                                       pc.cast(pa.array(evidence["offset"]), text), pa.scalar("", text))
    group = evidence.groupby(KEYS, sort=False).ngroup().to_numpy()
    order = np.argsort(group, kind="stable")
    starts = np.concatenate(([0], np.flatnonzero(np.diff(group[order])) + 1)) if len(order) else np.zeros(0, np.int64)
    firsts = evidence.iloc[order[starts]] if len(order) else evidence.iloc[:0]
    lists = pa.LargeListArray.from_arrays(pa.array(np.append(starts, len(order)), type=pa.int64()),
                                          said.take(pa.array(order)))
    joined = firsts[KEYS].reset_index(drop=True).assign(
        keywords=pc.binary_join(lists, pa.scalar(";", text)).to_pylist() if len(order) else [])
    out = table.merge(raw, on=KEYS, how="left").merge(joined, on=KEYS, how="left")
    out["keywords"] = out["keywords"].fillna("")
    return out[[c for c in EXPORT_COLUMNS if c in out.columns]]


#: Reports whose rows :func:`write_export` makes at a time (a slice's evidence and items are read from the store's
#: batches that hold it): at 2·10⁴ reports a slice of 5 000 held 0.45 GB while written, of 2 000 0.25–0.28 GB, of
#: 1 000 0.10–0.18 GB (5.3 s → 6.1–7.2 s in all; 500: 0.13 GB, 9.5 s).
EXPORT_REPORTS = 1_000


def write_export(study, path: Path | str, first: int = 10, reports: int = EXPORT_REPORTS) -> pd.DataFrame:
    """Write ``instruments.csv`` (:func:`export_table` with the versions) a slice of ``reports`` reports at a time.

    Each slice's coded items, their evidence and offsets are read from the store for it alone: the whole table and its
    evidence held 0.8 GB more than the notebook at 2·10⁴ reports; by slices, a slice's. The file is the whole
    table's, byte for byte.

    Args:
        study: a :class:`helpers.context.Study` (its store, its versions).
        path: the CSV file written.
        first: how many of the export's first rows to return, for showing.
        reports: reports a slice.

    Returns:
        The export's first ``first`` rows.
    """
    from helpers.exports import write_csv

    ids = study.store.metadata()["report_id"].tolist()
    shown: list[pd.DataFrame] = []

    def pieces():
        for at in range(0, max(len(ids), 1), max(reports, 1)):
            chosen = ids[at:at + max(reports, 1)]
            piece = study.stamped(export_table(
                study.store.table("instruments", reports=chosen),
                study.store.table("instrument_evidence", reports=chosen),
                study.store.table("items", columns=[*KEYS[1:], "raw_start", "raw_end"], reports=chosen)))
            if sum(map(len, shown)) < first:
                shown.append(piece.head(first))
            yield piece

    write_csv(pieces(), path)
    memory.release()  # the slices' tables and formatted rows: 0.2 GB kept by malloc at 2·10⁴ reports otherwise
    return pd.concat(shown, ignore_index=True).head(first) if shown else pd.DataFrame()
