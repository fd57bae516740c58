"""Each notebook's main findings, computed from the corpus and worded with their denominators.

A notebook's opening cell says what it does and what limits it; what it *found* is computed here, for whatever
corpus the study runs on (STYLE.md, "Findings are data"). For each notebook one function returns the numbers behind
each headline sentence (a small dataclass: ``corpus_figures``, ``vocabulary_figures``, ``theme_figures``,
``comparison_figures``) and another words them (``*_sentences``): always with the denominator ("12 of 15 shortcoming
items"), with a ranking word only where the numbers rank, ties and exceptions named, and a sentence that cannot be
computed for this corpus saying so, or left out — never a wrong one. :func:`show` displays the sentences as the
notebook's ``findings`` cell output (Markdown beginning ``**Main findings**``, with a plain-text twin).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import pandas as pd

from helpers.comparison import SIMILAR
from helpers.regions import MACRO_REGIONS
from helpers.segment import ITEM_KEYS, MANDATED_ORDER
from helpers.themes import label_counts
from helpers.unavailable import Unavailable

KEYS = list(ITEM_KEYS)
#: Mandated parts 1–4 (measures, shortcomings, leadership, plans).
MANDATED = tuple(MANDATED_ORDER[:4])
#: The parts whose filler notebook 02 compares.
FILLER_PARTS = ("measures", "shortcomings", "leadership", "plans")
#: Indicator families that count disputes (mediated or screened), counted together as :data:`DISPUTES`.
DISPUTE_FAMILIES = ("mediation_cases", "disputes_screened")
DISPUTES = "disputes"
#: The genres the 2019 《法治政府建设与责任落实督察工作规定》 governs: its four mandated parts, in its order (a
#: report of unknown genre is read with the 法治 report's profile, so as one of them).
REGULATED_GENRES = ("fazhi_report", "unknown")
#: The theme coder's goal for macro-F1 against hand codes (notebook 03).
F1_GOAL = 0.80
#: A theme with fewer gold items than this has an F1 that moves a lot with one item.
FEW_GOLD = 10


# ---------------------------------------------------------------------------------------------------------------
# wording


def listing(names: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    names = [str(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def of(k: int, n: int, noun: str = "") -> str:
    """``3 of 5 reports``; ``all 5 reports`` when every one; ``none of the 5 reports`` when none."""
    noun = f" {noun}" if noun else ""
    if n and k == n and n > 1:
        return f"all {n:,}{noun}"
    if n and k == 0:
        return f"none of the {n:,}{noun}"
    return f"{k:,} of {n:,}{noun}"


def cap(text: str) -> str:
    """``text`` with its first letter upper-case (the rest untouched, unlike :meth:`str.capitalize`)."""
    return text[:1].upper() + text[1:]


def span(values: Sequence[float], fmt: str = "{:.0f}") -> str:
    """``12–45`` (or ``12`` when every value rounds the same)."""
    low, high = fmt.format(min(values)), fmt.format(max(values))
    return low if low == high else f"{low}–{high}"


def leaders(counts: Mapping[str, float]) -> list[str]:
    """The keys holding the largest positive value (all of them when tied); none when every value is 0."""
    if not counts:
        return []
    top = max(counts.values())
    return [k for k, v in counts.items() if v == top] if top > 0 else []


def who(reports: Sequence[str], total: int, named: int = 3) -> str:
    """``a and b``; ``all 31 reports``; ``12 reports (a, b, c …)`` past ``named`` names."""
    if len(reports) == total and total > named:
        return f"all {total:,} reports"
    if len(reports) <= named:
        return listing(reports)
    return f"{len(reports):,} reports ({', '.join(reports[:named])} …)"


def grouped(per_report: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """``{report: [what, …]}`` → ``{what: [report, …]}`` (first-seen order), so that a sentence names each fact once."""
    out: dict[str, list[str]] = {}
    for report, whats in per_report.items():
        for what in whats:
            out.setdefault(what, []).append(report)
    return out


def unit_names(corpus: pd.DataFrame) -> dict[str, str]:
    """Report id → the unit's name (the id when the unit is unknown), for sentences; one name per report.

    Figures are keyed by these names, so two reports of one unit (two years, or two 和平街道 of different cities)
    must not share one: the second and later get the year, or the report id when the year does not tell them apart.
    """
    units = corpus["unit"].fillna("").astype(str) if "unit" in corpus else pd.Series("", index=corpus.index)
    years = corpus["report_year"].astype("string").fillna("") if "report_year" in corpus else pd.Series("", index=corpus.index)
    named = [unit or rid for rid, unit in zip(corpus["report_id"], units)]
    counts = pd.Series(named).value_counts()
    dated = pd.Series([f"{name} ({year})" if year else name for name, year in zip(named, years)])
    dated_counts = dated.value_counts()
    out = {}
    for rid, name, with_year in zip(corpus["report_id"], named, dated):
        if counts[name] == 1 or name == rid:
            out[rid] = name
        else:
            out[rid] = with_year if dated_counts[with_year] == 1 and with_year != name else f"{name} ({rid})"
    return out


def n_line(corpus: pd.DataFrame) -> str:
    """``n = 5 reports, 4 macro-regions with 1–2 reports each`` (and how many have no region)."""
    n = len(corpus)
    region = corpus["macro_region"].fillna("") if "macro_region" in corpus else pd.Series("", index=corpus.index)
    sizes = region[region != ""].value_counts()
    words = f"n = {n:,} report{'s' if n != 1 else ''}"
    if sizes.empty:
        return words + ", none placed in a macro-region"
    held = span(sizes.tolist(), "{:,.0f}")
    each = " each" if len(sizes) > 1 else ""
    words += (f", {len(sizes)} macro-region{'s' if len(sizes) > 1 else ''} with {held} "
              f"report{'s' if sizes.max() > 1 else ''}{each}")
    unplaced = int((region == "").sum())
    return words + (f", {unplaced:,} without a region" if unplaced else "")


@dataclass(frozen=True)
class Findings:
    """A notebook's findings: the worded sentences, the limits that depend on this corpus, and the figures behind them."""

    sentences: list[str]
    limits: list[str] = field(default_factory=list)
    figures: object = None
    #: id → label (themes, causes) for the figures table, so that a reader sees labels, not ids.
    labels: Mapping[str, str] = field(default_factory=dict)
    #: figure → its own id → label mapping, where its ids are not themes (indicator families).
    field_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def markdown(self) -> str:
        """``**Main findings** (computed …)`` then one bullet a sentence, then the limits."""
        lines = ["**Main findings** (computed from this corpus when the notebook runs):", ""]
        lines += [f"- {s}" for s in self.sentences] or ["- No finding can be computed for this corpus."]
        if self.limits:
            lines += ["", "**Limits of this corpus:** " + " ".join(self.limits)]
        return "\n".join(lines)

    def table(self) -> pd.DataFrame:
        """The figures behind the sentences, one row each (``figure``, ``value``).

        Labels for ids, ``–`` for a figure this corpus has no value for, wording fields (part names) left out.
        """
        several = self.figures if isinstance(self.figures, tuple) else (self.figures,)
        figures = {(f"{_section(f)} · {k}" if len(several) > 1 else k): v
                   for f in several if f is not None for k, v in asdict(f).items()}  # type: ignore[call-overload]
        shown = {k: v for k, v in figures.items()
                 if k.split(" · ")[-1] not in _WORDING and not (k.endswith("genre_name") and not v)}
        return pd.DataFrame({"figure": [k.replace("100pct", "of 100 %").replace("_pct", " %").replace("_", " ")
                                        for k in shown],
                             "value": [_plain(v, self.field_labels.get(k.split(" · ")[-1], self.labels))
                                       for k, v in shown.items()]})

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def __str__(self) -> str:
        return self.markdown()


def _section(figures: object) -> str:
    """``ComplianceFigures`` → ``compliance``: which analysis a figure of a combined table belongs to."""
    return re.sub(r"(Figures|Summary)$", "", type(figures).__name__).lower()


#: Where a sentence of a limit ends (a full stop and a space; not the ``.`` inside ``2026.12.0`` or a file name).
_SENTENCE_END = re.compile(r"(?<=\.) ")


def combined(*parts: Findings) -> Findings:
    """One notebook's findings from several analyses' (sentences in order; each limit once; the figures side by side).

    Figures of one name in two analyses would shadow each other in :meth:`Findings.table`: name them apart.
    """
    limits, seen = [], set()
    for limit in (limit for part in parts for limit in part.limits):  # each sentence once: two analyses' limits
        kept = [s for s in _SENTENCE_END.split(limit) if s not in seen]  # often open with the same n = … line
        seen.update(kept)
        if kept:
            limits.append(" ".join(kept))
    figures = tuple(part.figures for part in parts if part.figures is not None)
    return Findings([s for part in parts for s in part.sentences], limits, figures,
                    {k: v for part in parts for k, v in part.labels.items()},
                    {k: v for part in parts for k, v in part.field_labels.items()})


#: Figures fields that only word the sentences (what the parts are called), not figures a reader checks.
_WORDING = frozenset({"part_names", "part_words", "parts"})


def _plain(value: object, labels: Mapping[str, str] | None = None) -> str:
    labels = labels or {}
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, Mapping):
        return "; ".join(f"{labels.get(str(k), k)}: {_plain(v, labels)}" for k, v in value.items())
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], int | float) and not isinstance(value[1], bool):
        if isinstance(value[0], str):  # (theme, count)
            return f"{labels.get(value[0], value[0])} ({value[1]})"
        return f"{_plain(value[0])}–{_plain(value[1])}"  # (min, max)
    if isinstance(value, list | tuple):
        return " · ".join(_plain(v, labels) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return "–" if np.isnan(value) else f"{value:.0f}" if value.is_integer() else f"{value:.2f}".rstrip("0")
    if isinstance(value, str):
        return labels.get(value, value)
    return str(value)


def show(findings: Findings) -> None:
    """Display the findings as one display_data output: ``text/markdown`` and a ``text/plain`` twin."""
    from IPython.display import display

    text = findings.markdown()
    display({"text/markdown": text, "text/plain": text}, raw=True)


# ---------------------------------------------------------------------------------------------------------------
# 01 · the corpus and its parts


@dataclass(frozen=True)
class CorpusFigures:
    """The numbers behind notebook 01's sentences (report names, not ids)."""

    reports: int
    #: report → the mandated parts it lacks (only reports that lack one).
    missing: dict[str, list[str]]
    #: report → how it departs from the mandated order (out of order, nested, split), for reports that do.
    departures: dict[str, list[str]]
    #: reports whose largest part is measures, and the others with their largest part.
    measures_largest: list[str]
    largest_otherwise: dict[str, str]
    measures_share_pct: tuple[float, float]
    #: reports with a shortcomings part; those where it is the smallest of the mandated parts they have.
    with_shortcomings: list[str]
    shortcomings_smallest: list[str]
    shortcomings_share_pct: tuple[float, float]
    shortcoming_items: int
    shortcoming_items_per_report: tuple[int, int]
    measure_items: int
    #: median of each report's measure items ÷ shortcoming items (reports listing shortcoming items), and the
    #: reports that list more measure items than shortcoming items among those.
    items_ratio_median: float
    more_measure_items: list[str]
    #: the genre's name (政府工作报告 …) when the 2019 regulation does not govern it ("" when it does: then the parts
    #: are its four mandated parts and the order is its order), the parts the genre is read into, and their names.
    genre_name: str = ""
    parts: tuple[str, ...] = MANDATED
    part_names: Mapping[str, str] = field(default_factory=dict)

    def name(self, part: str) -> str:
        """What sentences call a part: ``measures`` for the 法治 report, ``工作回顾 (measures)`` for another genre."""
        if not self.genre_name or part not in self.part_names:
            return part
        return f"{self.part_names[part]} ({part})"


def corpus_figures(corpus: pd.DataFrame, parts: pd.DataFrame, deviations: pd.DataFrame, genre_name: str = "",
                   genre_parts: Sequence[str] = MANDATED, part_names: Mapping[str, str] | None = None) -> CorpusFigures:
    """Notebook 01's figures from the corpus table, the parts table and :func:`helpers.structure.order_deviations`.

    Args:
        corpus: the corpus table.
        parts: the parts table.
        deviations: :func:`helpers.structure.order_deviations` (read only for a genre the regulation governs).
        genre_name: the genre's name when the 2019 regulation does not govern it ("" when it does).
        genre_parts: the parts the genre is read into (default the four mandated parts).
        part_names: part → the genre's own name for it.
    """
    names = unit_names(corpus)
    order = list(corpus["report_id"])
    expected = list(genre_parts)
    chars = parts.pivot_table(index="report_id", columns="part", values="chars", aggfunc="sum", fill_value=0)
    chars = chars.reindex(index=order, columns=expected, fill_value=0)
    shares = 100 * chars.div(corpus.set_index("report_id")["chars"].reindex(order), axis=0)
    items = parts.pivot_table(index="report_id", columns="part", values="items", aggfunc="sum", fill_value=0)
    items = items.reindex(index=order, columns=expected, fill_value=0)
    found = set(zip(parts["report_id"].tolist(), parts["part"].tolist()))
    missing = {names[r]: [p for p in expected if (r, p) not in found] for r in order}
    dev = deviations.set_index("report_id").reindex(order).fillna("")
    departures: dict[str, list[str]] = {}
    for r, out_of_order, nested, split in (zip(order, dev["out_of_order"], dev["nested"], dev["split"])
                                          if not genre_name else ()):
        said = [pair for pair in str(out_of_order).split(", ") if pair]
        said += [f"{p} nested in another part" for p in str(nested).split(", ") if p]
        said += [f"{p} split over two or more places" for p in str(split).split(", ") if p]
        if said:
            departures[names[r]] = said
    # one report a row, one part a column, in numpy (a row at a time in pandas took 20 s at 10⁴ reports)
    c, sh, it = chars.to_numpy(), shares.to_numpy(dtype=float), items.to_numpy()
    m, s = expected.index("measures"), expected.index("shortcomings")
    has = c > 0
    top = np.where(np.isnan(sh), -np.inf, sh).argmax(axis=1) if len(order) else np.zeros(0, dtype=int)
    largest = {r: expected[k] if c[i].sum() else "" for i, (r, k) in enumerate(zip(order, top))}
    unique_measures = (sh == sh[:, [m]]).sum(axis=1) == 1
    measures_largest = [names[r] for i, r in enumerate(order) if largest[r] == "measures" and unique_measures[i]]
    low = np.where(has, sh, np.inf).min(axis=1) if len(order) else np.zeros(0)
    lowest = (sh[:, s] == low) & ((has & (sh == low[:, None])).sum(axis=1) == 1) & (has.sum(axis=1) > 1)
    with_short = [r for i, r in enumerate(order) if c[i, s] > 0]
    smallest = [names[r] for i, r in enumerate(order) if c[i, s] > 0 and lowest[i]]
    listing = it[:, s] > 0
    ratios = list(it[listing, m] / it[listing, s])
    more = it[:, m] > it[:, s]
    leading = set(measures_largest)  # a set: the list asked once a report was quadratic (0.8 s at 10⁴ reports)
    return CorpusFigures(
        reports=len(order),
        missing={k: v for k, v in missing.items() if v},
        departures=departures,
        measures_largest=measures_largest,
        largest_otherwise={names[r]: largest[r] or "(no part)" for r in order if names[r] not in leading},
        measures_share_pct=(float(shares["measures"].min()), float(shares["measures"].max())) if order else (np.nan, np.nan),
        with_shortcomings=[names[r] for r in with_short],
        shortcomings_smallest=smallest,
        shortcomings_share_pct=((float(shares.loc[with_short, "shortcomings"].min()),
                                 float(shares.loc[with_short, "shortcomings"].max())) if with_short else (np.nan, np.nan)),
        shortcoming_items=int(items["shortcomings"].sum()),
        shortcoming_items_per_report=((int(items.loc[with_short, "shortcomings"].min()),
                                       int(items.loc[with_short, "shortcomings"].max())) if with_short else (0, 0)),
        measure_items=int(items["measures"].sum()),
        items_ratio_median=float(np.median(ratios)) if ratios else float("nan"),
        more_measure_items=[names[r] for i, r in enumerate(order) if listing[i] and more[i]],
        genre_name=genre_name, parts=tuple(expected), part_names=dict(part_names or {}),
    )


def corpus_sentences(f: CorpusFigures) -> list[str]:
    """Notebook 01's findings, worded (see :class:`CorpusFigures`)."""
    n = f.reports
    out = []
    complete = n - len(f.missing)
    named = listing([f.name(p) for p in f.parts])
    if f.genre_name:
        sentence = (f"The {n} report{'s' if n != 1 else ''} are {f.genre_name}, a genre the 2019 regulation on 法治 "
                    f"reports does not govern, read into {len(f.parts)} parts: {named}; "
                    f"{of(complete, n, 'reports')} have all {len(f.parts)}")
    else:
        sentence = f"{cap(of(complete, n, 'reports'))} have the four mandated parts ({', '.join(f.parts)})"
    if f.missing:
        sentence += "; " + "; ".join(f"{listing([f.name(x) for x in p.split(', ')])} missing in {who(rs, n)}"
                                     for p, rs in grouped({r: [", ".join(p)] for r, p in f.missing.items()}).items())
    out.append(sentence + ".")
    if f.genre_name:
        pass  # no mandated order to depart from
    elif f.departures:
        verb = "departs" if len(f.departures) == 1 else "depart"
        out.append(f"{cap(of(len(f.departures), n, 'reports'))} {verb} from the mandated order or depth: "
                   + "; ".join(f"{d} in {who(rs, n)}" for d, rs in grouped(f.departures).items()) + ".")
    else:
        out.append(f"{cap(of(n, n, 'reports'))} follow the mandated order, each part in one place.")
    are = "is" if f.genre_name else "are"
    sentence = (f"{cap(f.name('measures'))} {are} the largest part in {of(len(f.measures_largest), n, 'reports')} "
                f"({span(f.measures_share_pct)} % of each report's text)")
    if f.largest_otherwise:
        sentence += "; the largest is " + "; ".join(f"{f.name(p) if p in f.parts else p} in {who(rs, n)}" for p, rs in
                                                    grouped({r: [p] for r, p in f.largest_otherwise.items()}).items())
    out.append(sentence + ".")
    k = len(f.with_shortcomings)
    if k == 0:
        out.append(f"No report has a {f.name('shortcomings')} part: what the reports admit cannot be measured here.")
        return out
    of_parts = "its parts" if f.genre_name else "the mandated parts"
    sentence = (f"{cap(f.name('shortcomings'))} {are} the smallest of {of_parts} in "
                f"{of(len(f.shortcomings_smallest), k)} reports that have one ({span(f.shortcomings_share_pct)} % of the text)")
    smallest = set(f.shortcomings_smallest)  # a set: a list asked once a report was quadratic (0.8 s at 10⁴ reports)
    others = [r for r in f.with_shortcomings if r not in smallest]
    if others:
        sentence += f"; not in {who(others, k)}"
    out.append(sentence + ".")
    if f.shortcoming_items:
        per = span(f.shortcoming_items_per_report)
        out.append(f"The reports list {f.shortcoming_items:,} shortcoming items ({per} a report) against "
                   f"{f.measure_items:,} measure items: a median of {f.items_ratio_median:.1f} measure items per "
                   f"shortcoming item, and more measure items than shortcoming items in "
                   f"{of(len(f.more_measure_items), k, 'reports')} that list shortcomings.")
    return out


def parts_title(f: CorpusFigures) -> str:
    """The parts chart's title: the measures' and the shortcomings' shares of each report, as the findings round them."""
    title = f"{cap(f.name('measures'))} fill{'s' if f.genre_name else ''} {span(f.measures_share_pct)} % of each report"
    if f.with_shortcomings:
        title += f"; {f.name('shortcomings')} {span(f.shortcomings_share_pct)} %"
    return title


def items_title(f: CorpusFigures) -> str:
    """The items chart's title: the median of measure items per shortcoming item, as the findings word it."""
    if np.isnan(f.items_ratio_median):
        return "No report lists a shortcoming item: measures cannot be set against admissions here"
    return f"Reports list {f.items_ratio_median:.1f} measure items per shortcoming item (median)"


def part_words(study) -> dict[str, str]:
    """What sentences call the parts.

    ``{}`` (the English names) for the 法治 report; ``{"measures": "工作回顾 (measures)", …}`` for a genre the 2019
    regulation does not govern.
    """
    name, parts = genre_parts(study)
    names = getattr(study, "part_names", {}) or {}
    return {p: f"{names[p]} ({p})" for p in parts if p in names} if name else {}


def genre_parts(study) -> tuple[str, tuple[str, ...]]:
    """``(genre name, parts)`` of the study's genre.

    ``("", MANDATED)`` for a genre the 2019 regulation governs; else the genre's profile name and the parts its
    profile reads a report into (``("政府工作报告", ("measures", "shortcomings", "plans"))``).
    """
    from helpers.profiles import profile_for

    genre = getattr(study, "genre", "fazhi_report")
    if genre in REGULATED_GENRES:
        return "", MANDATED
    profile = profile_for(genre)
    return profile.name, tuple(p for p in MANDATED if p in profile.labels) or MANDATED


def corpus_findings(study) -> Findings:
    """Notebook 01's :class:`Findings` for a :class:`helpers.context.Study`."""
    from helpers import structure

    parts = study.parts()
    name, expected = genre_parts(study)
    figures = corpus_figures(study.corpus, parts, structure.order_deviations(parts, study.order), name, expected,
                             getattr(study, "part_names", None))
    limits = [f"{n_line(study.corpus)}: shares and counts describe these documents, not a population."]
    return Findings(corpus_sentences(figures), limits, figures)


# ---------------------------------------------------------------------------------------------------------------
# 02 · vocabulary


@dataclass(frozen=True)
class VocabularyFigures:
    """The numbers behind notebook 02's sentences."""

    f1_used: float
    f1_bare: float
    f1_hmm: float
    gold_sentences: int
    #: shortcomings against measures: the top terms (positive G²), and how many terms of each side reach p < 0.01;
    #: None when keyness cannot be computed for this corpus.
    top_shortcoming_terms: list[str] | None
    shortcoming_terms_significant: int | None
    measure_terms_significant: int | None
    #: the lexicon category with the largest share of the measures' lexicon terms, its share there and in shortcomings.
    measures_category: str
    measures_category_pct: float
    shortcomings_category_pct: float
    #: reports with filler shares of several parts; per part, the reports where it alone carries the most filler
    #: (every part compared, most reports first); the reports where two parts tie; plans' list kept by name.
    filler_reports: int
    plans_most_filler: list[str]
    filler_ties: list[str]
    #: the most cited document(s), their citations, distinct titles, and how many are laws.
    top_documents: list[str]
    top_citations: int
    distinct_documents: int
    laws: int
    characters: int
    shortcomings_content_tokens: int
    filler_most: dict[str, list[str]] = field(default_factory=dict)
    #: what sentences call the parts ({} for the 法治 report's English names; ``工作回顾 (measures)`` … otherwise).
    part_words: dict[str, str] = field(default_factory=dict)


def vocabulary_figures(scores: pd.DataFrame, keyness: pd.DataFrame | Unavailable, shares: pd.DataFrame,
                       filler_pct: pd.DataFrame, documents: pd.DataFrame | Unavailable, names: Mapping[str, str],
                       gold_sentences: int, characters: int, shortcomings_content_tokens: int,
                       p: float = 0.01, top: int = 5) -> VocabularyFigures:
    """Notebook 02's figures from the tables the notebook shows.

    Args:
        scores: tokeniser × ``f1`` (rows ``lexicon, HMM off (used)``, ``lexicon, HMM on``, ``bare jieba, HMM off``).
        keyness: shortcomings against measures (:func:`helpers.vocabulary.part_keyness`).
        shares: :func:`helpers.vocabulary.category_shares` (category × part, %).
        filler_pct: report × part filler share (%).
        documents: :func:`helpers.citations.document_counts`.
        names: report id → unit name.
        gold_sentences: sentences in the gold sample.
        characters: the corpus's normalised characters.
        shortcomings_content_tokens: content tokens in the shortcomings parts.
        p: the significance level counted.
        top: how many shortcoming terms to name.
    """
    if isinstance(keyness, Unavailable):
        terms, short_sig, measure_sig = None, None, None
    else:
        terms = list(keyness.loc[keyness["G2"] > 0, "token"].head(top))
        short_sig = int(((keyness["G2"] > 0) & (keyness["p_G2"] < p)).sum())
        measure_sig = int(((keyness["G2"] < 0) & (keyness["p_G2"] < p)).sum())
    category, measures_pct, short_pct = "", float("nan"), float("nan")
    if "measures" in shares and shares["measures"].gt(0).any():
        category = str(shares["measures"].idxmax())
        measures_pct = float(shares.loc[category, "measures"])
        short_pct = float(shares.loc[category, "shortcomings"]) if "shortcomings" in shares else float("nan")
    compared = filler_pct.reindex(columns=[c for c in FILLER_PARTS if c in filler_pct]).dropna(thresh=2)
    by_part: dict[str, list[str]] = {str(c): [] for c in compared.columns}
    ties: list[str] = []
    values = compared.to_numpy(dtype=float, na_value=np.nan)
    best = values == (np.nanmax(values, axis=1, keepdims=True) if len(values) else values)  # NaN is never the max
    columns = [str(c) for c in compared.columns]
    for rid, row, count in zip(compared.index, best, best.sum(axis=1)):
        name = names.get(str(rid), str(rid))
        if count == 1:
            by_part[columns[int(row.argmax())]].append(name)
        else:
            ties.append(name)
    most = by_part.get("plans", [])
    filler_most = dict(sorted(by_part.items(), key=lambda kv: -len(kv[1])))
    if isinstance(documents, Unavailable) or documents.empty:
        top_docs, top_n, distinct, laws = [], 0, 0, 0
    else:
        top_n = int(documents["citations"].max())
        top_docs = list(documents.loc[documents["citations"] == top_n, "document"])
        distinct, laws = len(documents), int((documents["document_kind"] == "法律").sum())
    return VocabularyFigures(
        f1_used=float(scores.loc["lexicon, HMM off (used)", "f1"]), f1_bare=float(scores.loc["bare jieba, HMM off", "f1"]),
        f1_hmm=float(scores.loc["lexicon, HMM on", "f1"]), gold_sentences=gold_sentences,
        top_shortcoming_terms=terms, shortcoming_terms_significant=short_sig, measure_terms_significant=measure_sig,
        measures_category=category, measures_category_pct=measures_pct, shortcomings_category_pct=short_pct,
        filler_reports=len(compared), plans_most_filler=most, filler_ties=ties, filler_most=filler_most,
        top_documents=top_docs, top_citations=top_n, distinct_documents=distinct, laws=laws,
        characters=characters, shortcomings_content_tokens=shortcomings_content_tokens,
    )


def vocabulary_sentences(f: VocabularyFigures, p: float = 0.01) -> list[str]:
    """Notebook 02's findings, worded (see :class:`VocabularyFigures`)."""
    out = []
    better = "better than" if f.f1_used > f.f1_bare else "no better than"
    hmm = ("turning HMM on does not help" if f.f1_hmm <= f.f1_used else f"HMM on scores higher ({f.f1_hmm:.2f})")
    out.append(f"On the {f.gold_sentences} hand-segmented gold sentences the lexicon-aware tokeniser scores token F1 "
               f"{f.f1_used:.2f}, {better} bare jieba ({f.f1_bare:.2f}); {hmm}.")
    if f.top_shortcoming_terms is None:
        out.append("Shortcomings cannot be set against measures here (keyness needs both parts); no keyness finding.")
    else:
        words = (f"Against measures, the shortcomings' most distinctive terms are {'、'.join(f.top_shortcoming_terms)}"
                 if f.top_shortcoming_terms else "Against measures, no term is more frequent in shortcomings")
        words += f" ({f.shortcoming_terms_significant:,} shortcoming terms reach p < {p}, uncorrected); "
        words += ("no measure term is significantly over-represented against shortcomings"
                  if f.measure_terms_significant == 0 else
                  f"{f.measure_terms_significant:,} measure terms reach p < {p}")
        out.append(words + ".")
    if f.measures_category:
        out.append(f"The lexicon category with the largest share of the measures' lexicon terms is {f.measures_category} "
                   f"({f.measures_category_pct:.0f} %); in shortcomings it is {f.shortcomings_category_pct:.0f} %"
                   if not np.isnan(f.shortcomings_category_pct) else
                   f"The lexicon category with the largest share of the measures' lexicon terms is {f.measures_category} "
                   f"({f.measures_category_pct:.0f} %); no report has a shortcomings part to compare")
        out[-1] += "."
    if f.filler_reports:
        out.append(filler_sentence(f) + ".")
    if f.distinct_documents:
        most = "、".join(f"《{d}》" for d in f.top_documents)
        verb = "are" if len(f.top_documents) > 1 else "is"
        tie = " (tied)" if len(f.top_documents) > 1 else ""
        each = " each" if len(f.top_documents) > 1 else ""
        out.append(f"{most} {verb} the most cited{tie}, with {f.top_citations:,} citation{'s' if f.top_citations != 1 else ''}"
                   f"{each}; "
                   f"laws make up {f.laws} of the {f.distinct_documents} distinct titles cited.")
    else:
        out.append("No report cites a document in 《》.")
    return out


def vocabulary_limits(f: VocabularyFigures, corpus: pd.DataFrame) -> list[str]:
    """The limits that depend on this corpus: its size, the shortcomings' content tokens, the gold sample's size."""
    return [f"{n_line(corpus)}, {f.characters:,} characters in all; the shortcomings parts hold "
            f"{f.shortcomings_content_tokens:,} content tokens, so keyness there rests on small counts. "
            f"The tokeniser is scored on {f.gold_sentences} gold sentences only."]


def vocabulary_findings(study) -> Findings:
    """Notebook 02's :class:`Findings` for a :class:`helpers.context.Study`."""
    from helpers import citations, vocabulary
    from helpers.paths import ANNOTATIONS
    from helpers.word_gold import read_word_gold

    part_counts = study.token_counts(["part"])
    gold = read_word_gold(ANNOTATIONS / "word_segmentation_gold.txt")
    scores = tokeniser_scores(gold)
    keyness = vocabulary.part_keyness(part_counts, "shortcomings", "measures")
    shares = vocabulary.category_shares(part_counts, ["measures", "shortcomings"])
    filler = filler_table(study)
    documents = citations.document_counts(study.citations())
    short = part_counts[(part_counts["part"] == "shortcomings") & part_counts["content"]]
    figures = vocabulary_figures(scores, keyness, shares, filler, documents, unit_names(study.corpus), len(gold),
                                 int(study.corpus["chars"].sum()), int(short["n"].sum()))
    figures = replace(figures, part_words=part_words(study))
    return Findings(vocabulary_sentences(figures), vocabulary_limits(figures, study.corpus), figures)


#: :func:`tokeniser_scores` of a gold sample already scored in this process (notebook 02 shows them twice).
_SCORED: dict[str, pd.DataFrame] = {}


def tokeniser_scores(gold) -> pd.DataFrame:
    """Token precision, recall and F1 on the gold sample of the tokeniser used and three alternatives (rows)."""
    from helpers.tokenise import Tokeniser
    from helpers.word_gold import word_scores

    key = repr(gold.to_dict("list")) if isinstance(gold, pd.DataFrame) else repr(gold)
    if key not in _SCORED:
        _SCORED[key] = pd.DataFrame({
            "lexicon, HMM off (used)": word_scores(gold, Tokeniser(hmm=False, cache_dir=False)),
            "lexicon, HMM on": word_scores(gold, Tokeniser(hmm=True, cache_dir=False)),
            "bare jieba, HMM off": word_scores(gold, Tokeniser(use_lexicon=False, cache_dir=False)),
            "bare jieba, HMM on": word_scores(gold, Tokeniser(use_lexicon=False, hmm=True, cache_dir=False)),
        }).T
    return _SCORED[key].copy()


def filler_table(study, parts_shown: Sequence[str] = FILLER_PARTS) -> pd.DataFrame:
    """Report × part: filler tokens as % of word tokens, reports in display order, the parts present only."""
    from helpers import structure, vocabulary

    parts = study.parts()
    filler = vocabulary.filler_density(study.token_counts(["report_id", "part"], properties=["token_kind", "is_filler"]),
                                       vocabulary.char_totals(parts, study.corpus, ["report_id", "part"]),
                                       ["report_id", "part"])
    table = filler.pivot_table(index="report_id", columns="part", values="filler_pct").reindex(study.order)
    return table[structure.present(list(parts_shown), table)]


# ---------------------------------------------------------------------------------------------------------------
# 03 · themes


def top_counts(counts: Mapping[str, int], k: int = 3) -> list[tuple[str, int]]:
    """The ``k`` largest positive counts, and any tied with the ``k``-th, largest first (ties in the given order)."""
    ranked = sorted(((name, int(n)) for name, n in counts.items() if n > 0), key=lambda x: -x[1])
    if len(ranked) <= k:
        return ranked
    floor = ranked[k - 1][1]
    return [(name, n) for name, n in ranked if n >= floor]


def label_tally(labels: pd.Series, ids: Sequence[str]) -> dict[str, int]:
    """How many items carry each label (``;``-joined strings), in codebook order."""
    counts = label_counts(labels, ids)
    return {i: int(counts[i]) for i in ids}


def _ranked(pairs: Sequence[tuple[str, int]], labels: Mapping[str, str]) -> str:
    return ", ".join(f"{labels.get(name, name)} ({n:,})" for name, n in pairs)


def _against_hand(top: Sequence[tuple[str, int]], hand: Sequence[tuple[str, int]] | None,
                  labels: Mapping[str, str]) -> str:
    """``; the hand codes rank them the same`` or ``; by the hand codes …`` (nothing without hand codes)."""
    if hand is None:
        return ""
    if [t for t, _ in top] == [t for t, _ in hand]:
        return "; the hand codes rank them the same"
    return f"; by the hand codes {_ranked(hand, labels)}"


@dataclass(frozen=True)
class ThemeFigures:
    """The numbers behind notebook 03's sentences (theme and cause ids; labels are applied when worded)."""

    items: int
    items_with_theme: int
    themes: int
    #: validation against hand codes (None without hand codes).
    macro_f1: float | None
    micro_f1: float | None
    below_goal: list[str]
    same_as_first_run: bool | None
    cause_macro_f1: float | None
    few_gold: list[str]
    #: measures: items, themes used, commonest themes (coder; hand codes or None).
    measures_items: int
    measures_themes_used: int
    measures_top: list[tuple[str, int]]
    measures_top_hand: list[tuple[str, int]] | None
    #: shortcomings: items, items with a theme, commonest themes; the causes admitted most.
    shortcoming_items: int
    shortcoming_items_with_theme: int
    shortcomings_top: list[tuple[str, int]]
    shortcomings_top_hand: list[tuple[str, int]] | None
    causes_top: list[tuple[str, int]]
    causes_top_hand: list[tuple[str, int]] | None


def theme_figures(coded: pd.DataFrame, gold: pd.DataFrame | None, scores: pd.DataFrame | None,
                  cause_scores: pd.DataFrame | None, first_run: pd.DataFrame | None, theme_ids: Sequence[str],
                  cause_ids: Sequence[str], goal: float = F1_GOAL) -> ThemeFigures:
    """Notebook 03's figures.

    Args:
        coded: the coder's items (``*KEYS, part, item_kind, themes, causes``).
        gold: the hand codes (``*KEYS, themes, causes``) or None.
        scores: :func:`helpers.hand_codes.validation` of themes (``category, support, f1``) or None.
        cause_scores: the same for causes, or None.
        first_run: the stored first-run scores (``category`` → ``f1``) or None.
        theme_ids: the themes, in codebook order.
        cause_ids: the causes, in codebook order.
        goal: the macro-F1 goal.
    """
    items = coded[coded["item_kind"] != "lead"] if "item_kind" in coded else coded
    hand = items.drop(columns=["themes", "causes"]).merge(gold, on=KEYS) if gold is not None else None

    def part(frame: pd.DataFrame, name: str) -> pd.DataFrame:
        return frame[frame["part"] == name]

    measures, short = part(items, "measures"), part(items, "shortcomings")
    validated = gold is not None and isinstance(scores, pd.DataFrame) and "macro" in set(scores["category"])
    if isinstance(scores, pd.DataFrame) and validated:
        by = scores.set_index("category")
        per_theme = by.drop(index=["macro", "micro"], errors="ignore")
        same = None
        if first_run is not None:
            first = first_run["f1"].reindex(by.index)
            same = bool(np.allclose(by["f1"].round(4), first, equal_nan=True))
        cause_by = cause_scores.set_index("category") if isinstance(cause_scores, pd.DataFrame) else None
    else:
        by, per_theme, same, cause_by = pd.DataFrame(), pd.DataFrame(), None, None
    return ThemeFigures(
        items=len(items), items_with_theme=int(items["themes"].fillna("").ne("").sum()), themes=len(theme_ids),
        macro_f1=float(by.loc["macro", "f1"]) if validated else None,
        micro_f1=float(by.loc["micro", "f1"]) if validated else None,
        below_goal=[t for t in theme_ids if validated and t in per_theme.index and per_theme.loc[t, "f1"] < goal],
        same_as_first_run=same if validated else None,
        cause_macro_f1=(float(cause_by.loc["macro", "f1"]) if validated and cause_by is not None
                        and "macro" in cause_by.index else None),
        few_gold=[t for t in theme_ids if validated and t in per_theme.index and per_theme.loc[t, "support"] < FEW_GOLD],
        measures_items=len(measures),
        measures_themes_used=sum(n > 0 for n in label_tally(measures["themes"], theme_ids).values()),
        measures_top=top_counts(label_tally(measures["themes"], theme_ids)),
        measures_top_hand=top_counts(label_tally(part(hand, "measures")["themes"], theme_ids)) if hand is not None else None,
        shortcoming_items=len(short),
        shortcoming_items_with_theme=int(short["themes"].fillna("").ne("").sum()),
        shortcomings_top=top_counts(label_tally(short["themes"], theme_ids), 2),
        shortcomings_top_hand=(top_counts(label_tally(part(hand, "shortcomings")["themes"], theme_ids), 2)
                               if hand is not None else None),
        causes_top=top_counts(label_tally(short["causes"], cause_ids)),
        causes_top_hand=top_counts(label_tally(part(hand, "shortcomings")["causes"], cause_ids)) if hand is not None else None,
    )


def theme_sentences(f: ThemeFigures, theme_labels: Mapping[str, str], cause_labels: Mapping[str, str],
                    goal: float = F1_GOAL) -> list[str]:
    """Notebook 03's findings, worded (see :class:`ThemeFigures`)."""
    out = [f"The keyword coder gives a theme to {of(f.items_with_theme, f.items, 'items')} it codes "
           f"(leads left out)."]
    if f.macro_f1 is None:
        out.append("This corpus has no hand codes: the coder's accuracy is not measured on it (see the bundled "
                   "corpus's run for its scores), so every theme count below is the coder's alone.")
    else:
        run = " on its first and only run (the stored first-run scores)" if f.same_as_first_run else ""
        reach = "reaches" if f.macro_f1 >= goal else "falls short of"
        sentence = (f"Against hand codes of every item, the coder{run} reaches a theme macro-F1 of {f.macro_f1:.2f} "
                    f"(micro {f.micro_f1:.2f}), which {reach} the {goal:.2f} goal")
        if f.below_goal:
            sentence += (f"; {of(len(f.below_goal), f.themes, 'themes')} score below it: "
                         f"{listing([theme_labels.get(t, t) for t in f.below_goal])}")
        out.append(sentence + (f"; causes reach macro-F1 {f.cause_macro_f1:.2f}." if f.cause_macro_f1 is not None else "."))
    if f.measures_items:
        sentence = (f"The {f.measures_items:,} measure items spread over {of(f.measures_themes_used, f.themes, 'themes')}; "
                    f"the commonest (coder, items) are {_ranked(f.measures_top, theme_labels)}")
        out.append(sentence + _against_hand(f.measures_top, f.measures_top_hand, theme_labels) + ".")
    if not f.shortcoming_items:
        out.append("No report lists a shortcoming item: no theme or cause of admitted weakness can be counted.")
        return out
    if f.shortcomings_top:
        sentence = (f"Of the {f.shortcoming_items:,} shortcoming items, {f.shortcoming_items_with_theme:,} carry a theme; "
                    f"the commonest are {_ranked(f.shortcomings_top, theme_labels)}")
        out.append(sentence + _against_hand(f.shortcomings_top, f.shortcomings_top_hand, theme_labels) + ".")
    if f.causes_top:
        sentence = (f"The causes the {f.shortcoming_items:,} shortcoming items admit most (coder, items) are "
                    f"{_ranked(f.causes_top, cause_labels)}")
        out.append(sentence + _against_hand(f.causes_top, f.causes_top_hand, cause_labels) + ".")
    return out


def theme_limits(f: ThemeFigures, corpus: pd.DataFrame, theme_labels: Mapping[str, str]) -> list[str]:
    """The limits that depend on this corpus: its size, and the themes with few gold items."""
    said = f"{n_line(corpus)}; {f.items:,} coded items."
    if f.few_gold:
        said += (f" {of(len(f.few_gold), f.themes, 'themes')} have fewer than {FEW_GOLD} hand-coded items "
                 f"({listing([theme_labels.get(t, t) for t in f.few_gold])}): their F1 moves a lot with one item.")
    return [said]


def validation_tables(study, coded: pd.DataFrame | None = None):
    """``(gold, scores, cause_scores, first_run)``: the coder scored on the hand codes (notebook 03).

    ``gold`` is None for a corpus without hand codes, and the score tables are then empty; ``scores`` carries the
    stored first run's F1 beside the current one (``f1 (v1, first run)``); ``first_run`` is the stored first-run
    table of themes, by category.
    """
    from helpers import hand_codes, themes
    from helpers.paths import ANNOTATIONS

    theme_book, cause_book = themes.default_codebooks()
    coded = study.coded_items() if coded is None else coded
    gold = hand_codes.load_hand_codes(hand_codes.labelled_items(study, hand_codes.THEME_LABELS))
    first = pd.read_csv(ANNOTATIONS / "theme_scores_v1.csv").query("scheme == 'themes'").set_index("category")
    scores = hand_codes.validation(gold, coded, theme_book.ids)
    scores["f1 (v1, first run)"] = scores["category"].map(first["f1"])
    cause_scores = hand_codes.validation(gold, coded, cause_book.ids, column="causes")
    return gold, scores, cause_scores, first


def topic_labels(sources: Mapping[str, pd.DataFrame]) -> tuple[pd.DataFrame, str]:
    """The labels NMF topics are read against: the hand codes where there are any, else the coder's, and their name."""
    if "hand codes" in sources:
        return sources["hand codes"], "hand-coded theme"
    return sources["coder"], "coder's theme"


def below_goal(scores: pd.DataFrame | None, goal: float = F1_GOAL) -> pd.DataFrame | Unavailable:
    """The themes whose F1 falls below ``goal``, lowest first (``category, support, predicted, tp, precision, recall, f1``)."""
    if scores is None or scores.empty:
        return Unavailable("the themes below the F1 goal", "this corpus has no hand codes to score the coder on")
    failing = scores[(scores["f1"] < goal) & ~scores["category"].isin(["macro", "micro"])].sort_values("f1")
    return failing[["category", "support", "predicted", "tp", "precision", "recall", "f1"]]


def theme_findings(study) -> Findings:
    """Notebook 03's :class:`Findings` for a :class:`helpers.context.Study`."""
    from helpers import themes

    theme_book, cause_book = themes.default_codebooks()
    coded = study.coded_items()
    gold, scores, cause_scores, first = validation_tables(study, coded)
    figures = theme_figures(coded, gold, scores, cause_scores, first, theme_book.ids, cause_book.ids)
    return Findings(theme_sentences(figures, theme_book.labels, cause_book.labels),
                    theme_limits(figures, study.corpus, theme_book.labels), figures,
                    {**theme_book.labels, **cause_book.labels})


# ---------------------------------------------------------------------------------------------------------------
# 04 · measures against shortcomings


@dataclass(frozen=True)
class ComparisonFigures:
    """The numbers behind notebook 04's sentences (theme ids, region names, unit names)."""

    reports: int
    #: regions with both a measures and a shortcomings part; per theme, the regions where the share of shortcoming
    #: items on it exceeds the share of measure items (themes with at least one such region), coder and hand codes.
    regions: list[str]
    outweigh: dict[str, list[str]]
    outweigh_hand: dict[str, list[str]] | None
    #: shortcoming items (leads left out), those with a theme, and the others: headings over sub-items, and items
    #: the coder leaves without a theme (report → count).
    shortcoming_items: int
    with_theme: int
    headings: dict[str, int]
    no_theme: dict[str, int]
    answered: int
    close: int
    close_by_report: dict[str, int]
    ratio_median: float
    ratio_range: tuple[float, float]
    concrete_shortcomings: int
    measures_concrete_pct: tuple[float, float]
    claims: int
    claims_in_shortcomings: int
    claims_100pct: int
    #: indicator family → reports counting it (families counted by at least one report, most reports first).
    families: dict[str, int]


def heading_items(items: pd.DataFrame) -> pd.Series:
    """True for the items that head sub-items (an item whose ``item_seq`` is another item's ``parent_seq``)."""
    reports, parts = items["report_id"].tolist(), items["part_seq"].tolist()  # lists: a Series is slow to walk
    parents = {(r, p, i) for r, p, i in zip(reports, parts, items["parent_seq"].tolist()) if pd.notna(i)}
    return pd.Series([(r, p, i) in parents for r, p, i in zip(reports, parts, items["item_seq"].tolist())],
                     index=items.index)


def outweighing(coded: pd.DataFrame, ids: Sequence[str]) -> tuple[list[str], dict[str, list[str]]]:
    """Regions with both parts, and per theme the regions where its shortcoming share exceeds its measures share."""
    from helpers import comparison

    regional = comparison.regional_shares(coded, ids)
    regions = [r for r in MACRO_REGIONS if r in set(regional["macro_region"])]
    gaps = comparison.shortcoming_gaps(regional, regions)
    if isinstance(gaps, Unavailable):
        return [], {}
    found = {t: [r for r in gaps.columns if gaps.loc[t, r] > 0] for t in ids if t in gaps.index}
    return list(gaps.columns), {t: rs for t, rs in found.items() if rs}


def comparison_figures(coded: pd.DataFrame, hand: pd.DataFrame | None, heads: pd.DataFrame, answers: pd.DataFrame,
                       critic: pd.DataFrame, concrete: pd.DataFrame, claims: pd.DataFrame, names: Mapping[str, str],
                       ids: Sequence[str], similar: float = SIMILAR) -> ComparisonFigures:
    """Notebook 04's figures.

    Args:
        coded: the coder's items with ``macro_region``.
        hand: the same items with the hand codes as ``themes`` (or None).
        heads: the items that head sub-items (``report_id, part_seq, item_seq``; :func:`heading_items`).
        answers: :func:`helpers.comparison.responsiveness` of the coder's themes.
        critic: :func:`helpers.comparison.self_criticism`.
        concrete: :func:`helpers.comparison.concreteness`.
        claims: the claims table.
        names: report id → unit name.
        ids: theme ids.
        similar: the similarity from which a plan item takes up a shortcoming's words.
    """
    regions, outweigh = outweighing(coded, ids)
    hand_regions = outweighing(hand, ids)[1] if hand is not None else None
    short = coded[(coded["part"] == "shortcomings") & (coded["item_kind"] != "lead")]
    short = short.merge(heads[KEYS].assign(_head=True), on=KEYS, how="left")
    short["_head"] = short["_head"].fillna(False).astype(bool)
    none = short[short["themes"].fillna("") == ""]
    close = answers[answers["answered"] & (answers["similarity"] >= similar)] if len(answers) else answers
    ratio = critic["shortcomings_per_100_measures_chars"].dropna()
    ratio = ratio[critic.loc[ratio.index, "shortcomings_chars"] > 0]
    measured = critic.loc[critic["measures_items"] > 0, "measures_concrete_pct"]
    short_concrete = concrete.merge(short[KEYS], on=KEYS)
    from helpers.indicators import headline_indicators

    headline = headline_indicators(claims)
    counted = headline.groupby("family", sort=False)["report_id"].nunique()
    disputes = headline.loc[headline["family"].isin(DISPUTE_FAMILIES), "report_id"].nunique()
    if disputes:  # disputes mediated or screened: what the reports count of disputes, in one or the other
        counted = pd.concat([pd.Series({DISPUTES: disputes}), counted])
    families = counted.sort_values(ascending=False, kind="stable")
    return ComparisonFigures(
        reports=len(names), regions=regions, outweigh=outweigh, outweigh_hand=hand_regions,
        shortcoming_items=len(short), with_theme=len(short) - len(none),
        headings={names[r]: int(n) for r, n in none[none["_head"]].groupby("report_id", sort=False).size().items()},
        no_theme={names[r]: int(n) for r, n in none[~none["_head"]].groupby("report_id", sort=False).size().items()},
        answered=int(answers["answered"].sum()) if len(answers) else 0, close=len(close),
        close_by_report={names[r]: int(n) for r, n in close["report_id"].value_counts(sort=True).items()} if len(close) else {},
        ratio_median=float(ratio.median()) if len(ratio) else float("nan"),
        ratio_range=(float(ratio.min()), float(ratio.max())) if len(ratio) else (float("nan"), float("nan")),
        concrete_shortcomings=int(short_concrete["concrete"].sum()),
        measures_concrete_pct=(float(measured.min()), float(measured.max())) if len(measured) else (float("nan"), float("nan")),
        claims=len(claims), claims_in_shortcomings=int((claims["part"] == "shortcomings").sum()),
        claims_100pct=int(claims["is_100pct"].sum()), families={str(k): int(v) for k, v in families.items()},
    )


def _outweigh_sentence(outweigh: Mapping[str, list[str]], regions: Sequence[str], labels: Mapping[str, str]) -> str:
    n = len(regions)
    counts = {t: len(rs) for t, rs in outweigh.items()}
    top = leaders(counts)
    if not top:
        return f"in none of the {n} regions does any theme take a larger share of shortcoming items than of measure items"
    k = counts[top[0]]
    lead = listing([labels.get(t, t) for t in top])
    where = "every region" if k == n and n > 1 else f"{of(k, n)} regions"
    if n == 1:
        said = f"{lead} take{'s' if len(top) == 1 else ''} a larger share of shortcoming items than of measure items"
    elif len(top) == 1:
        said = f"{lead} is the theme where admitted weakness outweighs claimed effort in the most regions: {where}"
    else:
        said = f"{lead} tie as the themes where admitted weakness outweighs claimed effort in the most regions: {where} each"
    others = [(t, rs) for t, rs in outweigh.items() if t not in top]
    if others:
        said += "; so do " + ", ".join(
            f"{labels.get(t, t)} ({listing(rs) if len(rs) <= 2 else of(len(rs), n)})" for t, rs in others)
    return said


def _per_report(counts: Mapping[str, int], named: int = 3) -> str:
    """``a 2, b 1`` — or, past ``named`` reports, ``in 14 reports, most in a (6)``.

    When more than ``named`` reports share the largest count, none is named: ``in 6,191 reports, one each`` or
    ``in 900 reports, at most 2 in a report (40 of them)``.
    """
    if len(counts) <= named:
        return ", ".join(f"{r} {n}" for r, n in counts.items())
    top = leaders(counts)
    if len(top) <= named:
        return f"in {len(counts):,} reports, most in {listing(top)} ({counts[top[0]]})"
    if counts[top[0]] == 1:
        return f"in {len(counts):,} reports, one each"
    return f"in {len(counts):,} reports, at most {counts[top[0]]} in a report ({len(top):,} of them)"


def comparison_sentences(f: ComparisonFigures, labels: Mapping[str, str], similar: float = SIMILAR) -> list[str]:
    """Notebook 04's findings, worded (see :class:`ComparisonFigures`)."""
    out = []
    if not f.regions:
        out.append("No macro-region has reports with both a measures and a shortcomings part: effort and admitted "
                   "weakness cannot be set side by side by region.")
    else:
        scope = (f"In the one macro-region ({f.regions[0]}), " if len(f.regions) == 1 else
                 f"Across the {len(f.regions)} macro-regions with both parts, ")
        sentence = scope + _outweigh_sentence(f.outweigh, f.regions, labels)
        if f.outweigh_hand is not None:
            top, top_hand = leaders({t: len(r) for t, r in f.outweigh.items()}), leaders(
                {t: len(r) for t, r in f.outweigh_hand.items()})
            sentence += ("; the hand codes give the same" if top == top_hand and top else
                         "; by the hand codes: " + _outweigh_sentence(f.outweigh_hand, f.regions, labels))
        out.append(sentence + ".")
    if not f.shortcoming_items:
        out.append("No report lists a shortcoming item: whether plans answer them cannot be asked here.")
    else:
        sentence = f"{cap(of(f.with_theme, f.shortcoming_items, 'shortcoming items'))} carry a theme"
        reasons = []
        if f.headings:
            reasons.append(f"{sum(f.headings.values()):,} {'heads' if sum(f.headings.values()) == 1 else 'head'} sub-items ("
                           + _per_report(f.headings) + ")")
        if f.no_theme:
            bare = sum(f.no_theme.values())
            reasons.append(f"{bare:,} {'holds' if bare == 1 else 'hold'} no theme keyword (" + _per_report(f.no_theme) + ")")
        if reasons:
            sentence += " (of the others, " + "; ".join(reasons) + ")"
        if f.with_theme:
            close = f"only {f.close:,}" if f.close else "none"
            sentence += (f"; {of(f.answered, f.with_theme)} have a plan item of the same report on the same theme, "
                         f"but {close} take up the shortcoming's own words (TF-IDF similarity ≥ {similar})")
            most = leaders(f.close_by_report)
            if f.close > 1 and len(most) == 1 and f.close_by_report[most[0]] > 1:
                sentence += f", {f.close_by_report[most[0]]} of them in {most[0]}"
        out.append(sentence + ".")
    if not np.isnan(f.ratio_median):
        concrete = ("not one shortcoming item names a figure, a document or a place" if f.concrete_shortcomings == 0
                    else f"{of(f.concrete_shortcomings, f.shortcoming_items)} shortcoming items name a figure, a "
                         "document or a place")
        out.append(f"Shortcomings run to a median of {f.ratio_median:.0f} characters per 100 characters of measures "
                   f"({span(f.ratio_range)} across reports); {concrete}, while {span(f.measures_concrete_pct)} % of "
                   "each report's measure items do.")
    within = "none of them" if f.claims_in_shortcomings == 0 else f"{f.claims_in_shortcomings:,} of them"
    sentence = (f"The reports make {f.claims:,} quantitative claims, {within} in a shortcomings part, "
                f"{'none' if f.claims_100pct == 0 else f'{f.claims_100pct:,}'} of them of exactly 100 %")
    if f.families:
        from helpers.indicators import FAMILY_LABELS

        family_labels = {**FAMILY_LABELS, DISPUTES: "disputes (mediated or screened)"}
        everyone = [t for t, n in f.families.items() if n == f.reports]
        if DISPUTES in everyone:  # the two dispute families are named once, as disputes
            everyone = [t for t in everyone if t not in DISPUTE_FAMILIES]
        if everyone and f.reports > 1:
            sentence += f"; every report counts {listing([family_labels.get(t, t) for t in everyone])}"
        else:
            top = leaders(f.families)
            sentence += (f"; the indicator counted by the most reports is "
                         f"{listing([family_labels.get(t, t) for t in top])} ({of(f.families[top[0]], f.reports, 'reports')})")
    out.append(sentence + ".")
    return out


def comparison_tables(study, claims: bool = True):
    """What notebook 04 computes once and shows in several cells (notebook 05's scorecard reads them too).

    Kept in the store (:meth:`helpers.context.Study.computed`): the second notebook to ask reads them. The claims are
    not kept with them but read from the store when asked for (``claims``): the scorecard needs none, and every
    claim of 2·10⁴ reports took 0.23 GB beside the tables it needs.

    Returns:
        A dict: ``coded`` (with ``macro_region`` and ``province``), ``gold`` and ``hand`` (None without hand codes),
        ``heads`` (the keys of the items that head sub-items), ``summary_answers`` and ``answers``, ``plan_pairs``
        (:func:`helpers.comparison.shortcoming_plan_pairs`), ``concrete``, ``critic`` and, with ``claims``,
        ``claims`` (:meth:`helpers.context.Study.claims`, with the themes of ``coded``).
    """
    t = study.computed("comparison", lambda: _comparison_tables(study)) if hasattr(study, "computed") else (
        _comparison_tables(study))
    return {**t, "claims": study.claims(t["coded"])} if claims else t


#: Reports whose items are read at once for their concreteness (:func:`comparison_tables`): at 2·10⁴ reports, 5 000
#: a slice peaked at 1.03 GB in all, 2 000 at 0.87 GB (1 s more).
ITEM_SLICE_REPORTS = 2000


def _comparison_tables(study, reports: int = ITEM_SLICE_REPORTS, answer_reports: int | None = None):
    """:func:`comparison_tables`, the items read ``reports`` reports at a time.

    Their tokens, for the plans' answers, are read ``answer_reports`` at a time
    (:data:`helpers.comparison.RESPONSIVENESS_SLICE_REPORTS` by default).
    """
    from helpers import comparison, hand_codes, memory, themes

    coded = study.coded_items().merge(study.corpus[["report_id", "macro_region", "province"]], on="report_id")
    gold = hand_codes.load_hand_codes(hand_codes.labelled_items(study, hand_codes.THEME_LABELS))
    hand = coded.drop(columns=["themes", "causes"]).merge(gold, on=comparison.KEYS) if gold is not None else None
    # the items' tokens read a slice of reports at a time (every item's at once: 0.7 GB at 2·10⁴ reports)
    with study.store.session():  # one connection for the slices' queries
        summary_answers, answers = comparison.answered_by_plans(
            coded, hand, study.item_texts, study.order, answer_reports or comparison.RESPONSIVENESS_SLICE_REPORTS)
    memory.release()  # the TF-IDF's words and vectors, kept by malloc otherwise
    # the items a slice of reports at a time: read whole, and a copy of the coded parts' items for the
    # concreteness, they took 0.8 GB at 2·10⁴ reports (without their text, 0.3 GB); kept are the keys of the items
    # that head sub-items, and the text of the items the plan answers show
    shown = set(zip(answers["report_id"], answers["part_seq"], answers["item_seq"])) | set(
        zip(answers["report_id"], answers["plan_part_seq"], answers["plan_item_seq"]))
    held, concrete, texts = [], [], []
    ids = study.store.metadata()["report_id"].tolist()  # the store's order, the order of the items read whole
    # which items hold a claim: the claims' keys alone, read once (every claim whole: 0.23 GB at 2·10⁴ reports)
    claimed = study.store.table("claims", columns=["part_seq", "item_seq"])
    for at in range(0, len(ids), max(reports, 1)):
        chosen = ids[at:at + max(reports, 1)]
        piece = study.store.table("items", reports=chosen)
        coded_parts = piece[piece["part"].isin(themes.CODED_PARTS)]
        concrete.append(comparison.concreteness(coded_parts, claimed[claimed["report_id"].isin(chosen)]))
        keys = zip(*(piece[k].tolist() for k in comparison.KEYS))
        texts.append(piece.loc[[key in shown for key in keys], [*comparison.KEYS, "text"]])
        held.append(piece.loc[heading_items(piece), comparison.KEYS])  # a sub-item's head is in its report
        del piece, coded_parts
    empty = study.store.table("items", reports=[])
    heads = _joined(held, empty[comparison.KEYS])
    concreteness = _joined(concrete, comparison.concreteness(empty, claimed.iloc[:0]))
    plan_pairs = comparison.shortcoming_plan_pairs(answers, _joined(texts, empty[[*comparison.KEYS, "text"]]), coded)
    del held, concrete, texts, claimed
    critic = comparison.self_criticism(coded, concreteness, study.order)
    memory.release()  # the slices' tables and the comparison's joins, held by malloc otherwise
    return {"coded": coded, "gold": gold, "hand": hand, "heads": heads, "summary_answers": summary_answers,
            "answers": answers, "plan_pairs": plan_pairs, "concrete": concreteness, "critic": critic}


def _joined(pieces: list[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    """The pieces one under another (a fresh index), or ``empty`` when there is none."""
    return pd.concat(pieces, ignore_index=True) if pieces else empty


def comparison_findings(study, tables: Mapping | None = None) -> Findings:
    """Notebook 04's :class:`Findings` for a :class:`helpers.context.Study` (``tables``: :func:`comparison_tables`)."""
    from helpers import themes

    t = tables or comparison_tables(study)
    theme_book, _ = themes.default_codebooks()
    figures = comparison_figures(t["coded"], t["hand"], t["heads"], t["answers"], t["critic"], t["concrete"],
                                 t["claims"], unit_names(study.corpus), theme_book.ids)
    limits = [f"{n_line(study.corpus)}: every comparison between reports or regions describes these reports, not a "
              "region. Themes come from the keyword coder (notebook 03); claims are taken as the reports state them."]
    from helpers.indicators import FAMILY_LABELS

    return Findings(comparison_sentences(figures, theme_book.labels), limits, figures, theme_book.labels,
                    {"families": {**FAMILY_LABELS, DISPUTES: "disputes (mediated or screened)"}})


def documents_title(f: VocabularyFigures) -> str:
    """The cited documents chart's title: the most cited document(s), and how many of the titles are laws."""
    most = "、".join(f"《{d}》" for d in f.top_documents)
    verb = "are the most cited documents" if len(f.top_documents) > 1 else "is the most cited document"
    return f"{most} {verb}; laws make up {f.laws} of {f.distinct_documents} titles"


def keyness_title(f: VocabularyFigures, p: float = 0.01) -> str:
    """The keyness chart's title: the shortcomings' terms the findings name, and how many measure terms reach ``p``."""
    terms = "、".join(f.top_shortcoming_terms or []) or "no term of their own"
    return f"Shortcomings are written with {terms}; {f.measure_terms_significant:,} measure terms reach p < {p}"


def filler_ranking(f: VocabularyFigures) -> tuple[list[str], str]:
    """The part(s) most often carrying the most filler, and ``in 17 of 31 reports (plans in 9, measures in 5 …)``."""
    counts = {p: len(rs) for p, rs in f.filler_most.items()}
    top = leaders(counts)
    if not top:
        return [], ""
    others = [f"{f.part_words.get(p, p)} in {n:,}" for p, n in counts.items() if p not in top and n]
    if f.filler_ties:
        others.append(f"tied in {len(f.filler_ties):,}")
    where = f"in {of(counts[top[0]], f.filler_reports)} reports" + (" each" if len(top) > 1 else "")
    return top, where + (f" ({', '.join(others)})" if others else "")


def filler_sentence(f: VocabularyFigures) -> str:
    """``Shortcomings carry the most filler of the parts in 17 of 31 reports (plans in 9, measures in 5)``."""
    top, where = filler_ranking(f)
    if not top:
        return "No part carries filler"
    parts = listing([f.part_words.get(p, p) for p in top])
    verb = "carries" if len(top) == 1 and f.part_words else "carry"
    tie = " tie as the parts that carry" if len(top) > 1 else f" {verb}"
    return f"{cap(parts)}{tie} the most filler of the parts {where}"


def filler_title(f: VocabularyFigures) -> str:
    """The filler chart's title: the part most often carrying the most filler, with the counts of the others."""
    return filler_sentence(f)


# ---------------------------------------------------------------------------------------------------------------
# tables a reader sees

#: Shown for a cell this corpus has no value for (never ``NaN`` or ``None``).
EMPTY = "–"


def _number(value: float, digits: int) -> str:
    if value.is_integer():
        return f"{int(value):,}" if abs(value) >= 1e6 else str(int(value))
    return f"{value:,.{digits}f}"


def _p_value(value: float, digits: int) -> str:
    floor = 10.0 ** -digits
    return f"< {floor:.{digits}f}" if value < floor else f"{value:.{digits}f}"


#: Columns that hold theme or cause ids (``;``-joined where several): :func:`readable` shows their labels.
LABEL_COLUMNS = ("themes", "theme", "causes", "category")


#: Columns that hold a report's id (a pair of reports, the year before): :func:`readable` shows their labels.
REPORT_COLUMNS = frozenset({"report_id", "report_a", "report_b", "previous_report_id"})


def readable(table, digits: int = 1, p_digits: int = 3, keep: Sequence[str] = (),
             labels: Mapping[str, str] | None = None, reports: Mapping[str, str] | None = None,
             as_stated: Sequence[str] = ()):
    """A table as a reader should see it.

    No row or column that is empty throughout, whole numbers as integers, other numbers rounded to ``digits`` (never
    in scientific notation), p-values (columns named ``p`` or ``p_…``) as ``< 0.001`` below ``10**-p_digits``, and
    :data:`EMPTY` where a cell has no value.

    Args:
        table: a DataFrame (anything else, e.g. an :class:`~helpers.unavailable.Unavailable`, is returned as is).
        digits: decimals of the numbers that are not whole.
        p_digits: decimals of the p-values.
        keep: columns kept even when empty throughout.
        labels: id → label, applied to the ids in the :data:`LABEL_COLUMNS` (``cadre_capacity;disputes`` →
            ``干部法治能力与队伍 / … ; 矛盾纠纷化解 / …``).
        reports: report id → label, applied to the columns that hold report ids (:data:`REPORT_COLUMNS`).
        as_stated: columns whose numbers are shown each as it is (``24``, ``5.4``), not to one number of decimals
            for the column (the values of claims).

    Example:
        ``readable(pd.DataFrame({"n": [820.0, None], "p_G2": [0.0, 0.02]}))`` shows ``820 | < 0.001`` then
        ``– | 0.020``.
    """
    if not isinstance(table, pd.DataFrame):
        return table
    out = table.dropna(how="all")
    filled = out.notna().any(axis=0).to_numpy()  # by position: a column name may repeat
    out = out.iloc[:, [k for k, c in enumerate(out.columns) if filled[k] or c in keep]]
    # the columns are collected and the frame built once, the numbers' as Python strings: setting one column at a
    # time copies a wide table's block each time, and a typed column a time is slow too (a report a column at 10⁴)
    shown: list[list | pd.Series] = []
    for k, column in enumerate(out.columns):
        values = out.iloc[:, k]
        name = column[-1] if isinstance(column, tuple) else column
        if reports and name in REPORT_COLUMNS:
            values = _mapped(values, lambda r: reports.get(r, r))
        if labels and name in LABEL_COLUMNS and not pd.api.types.is_numeric_dtype(values):
            values = _mapped(values, lambda v: "; ".join(labels.get(x, x) for x in str(v).split(";") if x)
                             if isinstance(v, str) else v)
        if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):  # kept typed
            shown.append(_mapped(values, lambda v: EMPTY if v is None or (isinstance(v, float) and np.isnan(v)) else v))
        elif pd.api.types.is_integer_dtype(values):
            shown.append(values)  # kept as it is
        else:
            shown.append(_numbers(values, name, digits, p_digits, as_stated))
    objects = [k for k, c in enumerate(shown) if isinstance(c, list)]
    built = pd.DataFrame(np.array([shown[k] for k in objects], dtype=object).T.reshape(len(out), len(objects)),
                         index=out.index, columns=objects, dtype=object)
    kept = [k for k, c in enumerate(shown) if not isinstance(c, list)]
    if kept:
        built = pd.concat([built, pd.concat([shown[k] for k in kept], axis=1, keys=kept)], axis=1)
        built = built[list(range(len(shown)))]
    built.columns = out.columns
    return built


def _mapped(values: pd.Series, f) -> pd.Series:
    """``values.map(f)``; for a column of strings, ``f`` called once per distinct value (10⁵ rows hold few)."""
    if not isinstance(values.dtype, pd.StringDtype):
        return values.map(f)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    results = [f(u) for u in uniques]
    if not all(isinstance(r, str) for r in results):
        return values.map(f)
    return pd.Series(pd.array(results, dtype=values.dtype).take(codes), index=values.index, name=values.name)


def _numbers(values: pd.Series, name, digits: int, p_digits: int, as_stated: Sequence[str]) -> list:
    """A column of numbers (not whole-number typed) as :func:`readable` shows them."""
    raw = values.to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(raw)
    known = raw[~missing]
    if str(name) == "p" or str(name).startswith("p_"):
        form = lambda v: _p_value(v, p_digits)  # noqa: E731
    elif bool((np.isfinite(known) & (known == np.floor(known))).all()) or name in as_stated:  # whole (inf is not)
        form = lambda v: _number(v, digits)  # noqa: E731
    else:  # one number of decimals for the whole column
        form = lambda v: f"{v:,.{digits}f}"  # noqa: E731
    return [EMPTY if m else form(v) for v, m in zip(raw.tolist(), missing.tolist())]


def order_table(study) -> pd.DataFrame:
    """Notebook 01's order table.

    :func:`helpers.structure.order_deviations` for a genre the 2019 regulation governs; for another genre, which has
    no mandated order, the order observed only (``report_id, observed_order``).
    """
    from helpers import structure

    deviations = structure.order_deviations(study.parts(), study.order)
    name, _ = genre_parts(study)
    return deviations[["report_id", "observed_order"]] if name else deviations


def parts_shown(study, wanted: Sequence[str] = FILLER_PARTS) -> list[str]:
    """The parts of ``wanted`` that this corpus's genre has (a 政府工作报告 has no leadership part).

    So that tables carry no column that is empty by construction.
    """
    _, parts = genre_parts(study)
    return [p for p in wanted if p in parts]


def scores_or_note(gold: pd.DataFrame | None, scores: pd.DataFrame, what: str, labels: Mapping[str, str]):
    """The coder's scores against hand codes, categories labelled; a sentence when the corpus has no hand codes."""
    if gold is None or scores is None or scores.empty:
        return Unavailable(what, "this corpus has no hand codes to score the coder on (the bundled corpus's run has them)")
    return readable(scores, digits=3, labels=labels)


def claims_shown(claims: pd.DataFrame, report_labels: Mapping[str, str], theme_labels: Mapping[str, str],
                 only_100pct: bool = False) -> pd.DataFrame:
    """Notebook 04's claims as a reader sees them (``only_100pct``: the claims of total success only).

    Theme labels, values as stated (never in scientific notation), the raw offset named; report labels in the
    claims of 100 %, report ids (the key of the saved ``indicators.csv``) in the full table.
    """
    shown = claims[claims["is_100pct"]] if only_100pct else claims
    columns = (["report_id", "part", "counted", "raw_text", "raw_start"] if only_100pct else
               ["report_id", "part", "value", "unit", "qualifiers", "counted", "family", "themes", "raw_start", "raw_text"])
    # the full table keeps report ids: it is the saved indicators.csv, joined on them
    return readable(shown[columns].rename(columns={"raw_start": "offset (raw)"}), digits=2, labels=theme_labels,
                    reports=report_labels if only_100pct else None, as_stated=["value"])


def topics_table(item_tokens: pd.DataFrame, weights, labelled: pd.DataFrame, ids: Sequence[str], name: str,
                 labels: Mapping[str, str]):
    """Notebook 03's topics × themes table for a reader: themes (labelled) as rows, topics as columns.

    The :class:`~helpers.unavailable.Unavailable` of :func:`helpers.topics.topics_by_theme` when NMF cannot run.
    """
    from helpers import topics

    table = topics.topics_by_theme(item_tokens, weights, labelled, ids, name=name)
    return table if isinstance(table, Unavailable) else readable(table.T.rename(index=labels))
