"""Counting policy vocabulary over a tokens table (:func:`helpers.tokenise.tokens_table`).

Term frequencies (counts and per 10 000 characters), TF-IDF, keyness (G², χ², p-values and log ratio, as
quanteda's ``textstat_keyness``), keyword in context, collocations and filler density. Every function takes
tidy tables and returns a tidy table; none of them plots.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.regions import MACRO_REGIONS
from helpers.unavailable import Unavailable
from helpers.weighting import plain_idf


def with_meta(tokens: pd.DataFrame, corpus: pd.DataFrame, columns: Sequence[str] = ("macro_region", "province")) -> pd.DataFrame:
    """``tokens`` with report-level metadata columns joined on ``report_id`` (for grouping by region).

    Mapped, not merged: the token columns are not copied (pandas copy-on-write), which matters at 10⁷ tokens.
    """
    by_report = corpus.set_index("report_id")
    if not by_report.index.is_unique:
        raise ValueError("the corpus table lists a report_id twice")
    return tokens.assign(**{column: tokens["report_id"].map(by_report[column]) for column in columns})


def _weights(tokens: pd.DataFrame) -> pd.Series:
    """How many tokens each row stands for: ``n`` in a table of token counts, 1 in a tokens table."""
    return tokens["n"] if "n" in tokens.columns else pd.Series(1, index=tokens.index, dtype="int64")


def part_totals(tokens: pd.DataFrame) -> pd.DataFrame:
    """Per part (in order of first appearance): tokens, word tokens, content tokens, lexicon-term tokens.

    Args:
        tokens: a tokens table, or token counts (:meth:`helpers.store.Store.token_counts`).
    """
    n = _weights(tokens)
    frame = pd.DataFrame({"part": tokens["part"], "tokens": n, "word_tokens": n * (tokens["token_kind"] == "word"),
                          "content_tokens": n * tokens["content"], "lexicon_terms": n * (tokens["category"] != "")})
    return frame.groupby("part", sort=False).sum()


def category_shares(tokens: pd.DataFrame, parts: Sequence[str]) -> pd.DataFrame:
    """Share (%) of each lexicon category among the lexicon-term tokens of each part (columns: ``parts`` present)."""
    terms = tokens[(tokens["category"] != "") & tokens["part"].isin(list(parts))]
    table = (terms.assign(_n=_weights(terms)).pivot_table(index="category", columns="part", values="_n", aggfunc="sum",
                                                          fill_value=0))
    return table / table.sum(axis=0) * 100


def char_totals(parts: pd.DataFrame, corpus: pd.DataFrame, by: Sequence[str]) -> pd.Series:
    """Characters of normalised text in each group (the denominator of per-10 000-character rates).

    Args:
        parts: :func:`helpers.structure.parts_table`.
        corpus: :func:`helpers.structure.corpus_table` (for report-level columns such as ``macro_region``).
        by: grouping columns, any of the parts' or the corpus table's columns.
    """
    table = parts.merge(corpus.drop(columns=["chars"], errors="ignore"), on="report_id", how="left")
    return table.groupby(list(by))["chars"].sum()


def term_frequencies(tokens: pd.DataFrame, totals: pd.Series, by: Sequence[str], content_only: bool = True) -> pd.DataFrame:
    """Counts of each token per group, and per 10 000 characters of that group.

    Args:
        tokens: a tokens table or token counts (with any grouping columns joined, see :func:`with_meta`).
        totals: :func:`char_totals` for the same ``by``.
        by: grouping columns, e.g. ``["report_id"]``, ``["part"]``, ``["macro_region"]``.
        content_only: count only content tokens (default) or every word token.

    Returns:
        Columns ``*by, token, count, per_10k_chars``, sorted by group then descending count, then token.
    """
    by = list(by)
    selected = tokens[tokens["content"]] if content_only else tokens[tokens["token_kind"] == "word"]
    counts = (selected.assign(_n=_weights(selected)).groupby([*by, "token"])["_n"].sum().rename("count")
              .reset_index())
    denominators = counts.set_index(by).index.map(totals)
    counts["per_10k_chars"] = counts["count"] / np.asarray(denominators, dtype=float) * 10_000
    return counts.sort_values([*by, "count", "token"], ascending=[True] * len(by) + [False, True], ignore_index=True)


def tfidf(tokens: pd.DataFrame, doc: str = "report_id", top: int = 10) -> pd.DataFrame:
    """Distinctive terms of each document by TF-IDF over content tokens.

    ``tf`` is the term's share of the document's content tokens and ``idf = ln(N / df)``
    (:func:`helpers.weighting.plain_idf`: N documents, df of them holding the term), so a term every document
    uses scores 0: with five reports, "distinctive" has to mean "not shared by all".

    Returns:
        The ``top`` terms of each document: ``doc, token, count, tf, df, idf, tfidf``, best first.
    """
    content = tokens[tokens["content"]]
    counts = content.assign(_n=_weights(content)).groupby([doc, "token"])["_n"].sum().rename("count").reset_index()
    counts["total"] = counts.groupby(doc)["count"].transform("sum")
    counts["df"] = counts.groupby("token")[doc].transform("nunique")
    return tfidf_ranked(counts, counts[doc].nunique(), doc, top)


def tfidf_ranked(counts: pd.DataFrame, n_docs: int, doc: str = "report_id", top: int = 10) -> pd.DataFrame:
    """:func:`tfidf` from the counts: ``doc, token, count, total`` (the document's content tokens), ``df``.

    ``counts`` may hold only each document's best candidates (the store ranks them in SQL:
    :meth:`helpers.store.Store.tfidf_candidates`); the figures shown are computed here either way.
    """
    counts = counts.copy()
    counts["tf"] = counts["count"] / counts["total"]
    counts["idf"] = plain_idf(n_docs, counts["df"])
    counts["tfidf"] = counts["tf"] * counts["idf"]
    ranked = counts.sort_values([doc, "tfidf", "token"], ascending=[True, False, True])
    columns = [doc, "token", "count", "tf", "df", "idf", "tfidf"]
    return ranked.groupby(doc, sort=False).head(top)[columns].reset_index(drop=True)


def _chi2_sf(x: np.ndarray) -> np.ndarray:
    """Upper tail of the χ² distribution with one degree of freedom."""
    return np.array([math.erfc(math.sqrt(v / 2)) for v in np.abs(x)])


#: The corrections of G² that :func:`keyness` knows (quanteda's names).
G2_CORRECTIONS = ("williams", "yates", "none")


def keyness(target: pd.Series, reference: pd.Series, min_count: int = 3,
            g2_correction: str = "williams") -> pd.DataFrame:
    """Keyness of terms in a target corpus against a reference corpus, as quanteda's ``textstat_keyness`` defines it.

    For each term, the 2 × 2 table is ``a`` (term in target), ``b`` (term in reference), ``c``/``d`` (all other
    tokens of target/reference). ``G2`` is the log-likelihood ratio; by default with Williams' correction (none
    when a cell is empty), which is quanteda's ``textstat_keyness(measure = "lr", correction = "williams")`` —
    not its default for G², which ``g2_correction="yates"`` gives: each cell moved ½ towards independence where
    an expected count is below 5 and |ad − bc| ≥ N/2 (``quanteda.textstats`` ``src/keyness.cpp``); ``"none"``
    corrects nothing. ``chi2`` is Pearson's χ² with Yates' correction under that same condition, quanteda's
    default for χ². Both are signed (+ when the term is over-represented in the target) and have p-values from
    χ²(1). ``log_ratio`` is Hardie's effect size, log2 of the ratio of relative frequencies, with 0.5 in place
    of a zero count.

    Args:
        target: token → count in the target (e.g. the shortcomings parts).
        reference: token → count in the reference (e.g. the measures parts).
        min_count: keep terms with at least this many occurrences in target and reference together.
        g2_correction: ``williams`` (the study's), ``yates`` (quanteda's default for G²) or ``none``.

    Returns:
        ``token, n_target, n_reference, G2, p_G2, chi2, p_chi2, log_ratio``, sorted by descending ``G2``.
    """
    if g2_correction not in G2_CORRECTIONS:
        raise ValueError(f"g2_correction={g2_correction!r}: use one of {', '.join(G2_CORRECTIONS)}")
    both = pd.concat([target.rename("n_target"), reference.rename("n_reference")], axis=1).fillna(0)
    both = both[(both["n_target"] + both["n_reference"]) >= min_count]
    a = both["n_target"].to_numpy(float)
    b = both["n_reference"].to_numpy(float)
    c = float(target.sum()) - a
    d = float(reference.sum()) - b
    n = a + b + c + d
    rows_t, rows_r = a + c, b + d
    cols_1, cols_2 = a + b, c + d
    expected = [rows_t * cols_1 / n, rows_r * cols_1 / n, rows_t * cols_2 / n, rows_r * cols_2 / n]
    sign = np.where(a > expected[0], 1.0, -1.0)
    small = np.minimum.reduce(expected) < 5
    diff = np.abs(a * d - b * c)
    yates = small & (diff >= n / 2)
    cells = (a, b, c, d)
    if g2_correction == "yates":  # ½ towards independence: the margins, hence the expected counts, stay
        shift = np.where(yates, 0.5, 0.0) * np.where(a * d - b * c > 0, 1.0, -1.0)
        cells = (a - shift, b + shift, c + shift, d - shift)
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = np.asarray(2 * sum(np.where(o > 0, o * np.log(o / e), 0.0) for o, e in zip(cells, expected)))
        if g2_correction == "williams":
            q = 1 + (n / cols_1 + n / cols_2 - 1) * (n / rows_t + n / rows_r - 1) / (6 * n)
            g2 = g2 / np.where(a * b * c * d == 0, 1.0, q)  # Williams' correction needs no empty cell
        chi2 = n * (diff - np.where(yates, n / 2, 0.0)) ** 2 / (rows_t * rows_r * cols_1 * cols_2)
        rate_t = np.where(a > 0, a, 0.5) / rows_t
        rate_r = np.where(b > 0, b, 0.5) / rows_r
        log_ratio = np.log2(rate_t / rate_r)
    result = pd.DataFrame({
        "token": both.index,
        "n_target": a.astype(int),
        "n_reference": b.astype(int),
        "G2": sign * g2,
        "p_G2": _chi2_sf(g2),
        "chi2": sign * chi2,
        "p_chi2": _chi2_sf(chi2),
        "log_ratio": log_ratio,
    })
    return result.sort_values(["G2", "token"], ascending=[False, True], ignore_index=True)


def part_keyness(tokens: pd.DataFrame, target: str, reference: str, min_count: int = 3) -> pd.DataFrame | Unavailable:
    """:func:`keyness` of one part label against another (content tokens of every report pooled).

    Returns:
        The keyness table, or :class:`~helpers.unavailable.Unavailable` when either part has no content token in
        this corpus (no report has the part, or the part holds no words).
    """
    counts = {p: counts_where(tokens, tokens["part"] == p) for p in (target, reference)}
    missing = [p for p, c in counts.items() if c.sum() == 0]
    if missing:
        return Unavailable(f"keyness of {target} against {reference}",
                           f"no report in this corpus has words in a {' or '.join(missing)} part")
    return keyness(counts[target], counts[reference], min_count)


def both_ends(table: pd.DataFrame | Unavailable, top_label: str, bottom_label: str, n: int) -> pd.DataFrame | Unavailable:
    """The ``n`` first and ``n`` last rows of a ranked table side by side (e.g. both ends of a keyness table)."""
    if isinstance(table, Unavailable):
        return table
    return pd.concat({top_label: table.head(n).reset_index(drop=True),
                      bottom_label: table.tail(n).iloc[::-1].reset_index(drop=True)}, axis=1)


def region_keyness(tokens: pd.DataFrame, top: int = 6, column: str = "macro_region",
                   corpus: pd.DataFrame | None = None) -> pd.DataFrame | Unavailable:
    """Each region against the rest of the corpus: the ``top`` key terms of every region with reports.

    Args:
        tokens: a tokens table with ``column`` joined (:func:`with_meta`), or token counts by ``column``.
        top: terms per region.
        column: the grouping column (reports without a value are left out of both sides).
        corpus: the corpus table, to count the reports without a region when ``tokens`` has no ``report_id``.

    Returns:
        ``token, n_target, n_reference, G2, p_G2, log_ratio`` indexed by (region, rank), or
        :class:`~helpers.unavailable.Unavailable` when fewer than two regions have reports.
    """
    placed = tokens[tokens[column].fillna("") != ""]
    present = set(placed[column])
    regions = [r for r in MACRO_REGIONS if r in present] + sorted(present - set(MACRO_REGIONS))
    if "report_id" in tokens.columns:
        unplaced = tokens.loc[tokens[column].fillna("") == "", "report_id"].nunique()
    else:
        unplaced = int((corpus[column].fillna("") == "").sum()) if corpus is not None else 0
    if len(regions) < 2:
        have = f"{len(regions)} ({'、'.join(regions)})" if regions else "none"
        return Unavailable("keyness of each region against the rest",
                           f"it needs reports from two regions or more; this corpus has {have}"
                           + (f", and {unplaced} report(s) without a province" if unplaced else ""))
    return pd.concat({
        region: keyness(counts_where(placed, placed[column] == region), counts_where(placed, placed[column] != region))
        .head(top)[["token", "n_target", "n_reference", "G2", "p_G2", "log_ratio"]].reset_index(drop=True)
        for region in regions
    })


def counts_where(tokens: pd.DataFrame, mask: pd.Series) -> pd.Series:
    """Content-token counts (token → count) of the rows selected by ``mask``."""
    rows = tokens[mask & tokens["content"]]
    return _weights(rows).groupby(rows["token"]).sum().rename("count").rename_axis("token").sort_index()


def kwic(tokens: pd.DataFrame, pattern: str, window: int = 6) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``pattern`` as one token or a run of whole tokens.

    Args:
        tokens: a tokens table (with the tokens' raw offsets).
        pattern: a term (``不够``, ``法律明白人``, or several tokens written together).
        window: tokens of context each side (line breaks count as tokens and are shown as ``⏎``).

    Returns:
        ``report_id, part, item_seq, left, keyword, right, start, end, raw_start, raw_end`` (offsets of the
        keyword in the normalised and the raw text), in corpus order.
    """
    rows = []
    for report_id, group in tokens.groupby("report_id", sort=False):
        words = group["token"].tolist()
        starts, ends = group["start"].tolist(), group["end"].tolist()
        raw_starts, raw_ends = group["raw_start"].tolist(), group["raw_end"].tolist()
        parts, items = group["part"].tolist(), group["item_seq"].tolist()
        for i, word in enumerate(words):
            if not pattern.startswith(word):
                continue
            j, joined = i, ""
            while j < len(words) and len(joined) < len(pattern):
                joined += words[j]
                j += 1
            if joined != pattern:
                continue
            left = "".join(words[max(0, i - window) : i]).replace("\n", "⏎")
            right = "".join(words[j : j + window]).replace("\n", "⏎")
            raw_start, raw_end = raw_starts[i], raw_ends[j - 1]
            rows.append({"report_id": report_id, "part": parts[i], "item_seq": items[i], "left": left,
                         "keyword": pattern, "right": right, "start": starts[i], "end": ends[j - 1],
                         "raw_start": raw_start, "raw_end": raw_end})
    table = pd.DataFrame(rows, columns=["report_id", "part", "item_seq", "left", "keyword", "right",
                                        "start", "end", "raw_start", "raw_end"])
    table["item_seq"] = table["item_seq"].astype("Int64")
    return table


def _runs(tokens: pd.DataFrame) -> list[list[str]]:
    """Runs of adjacent content tokens: a non-content token (punctuation, function word, filler) ends a run."""
    runs, current = [], []
    for token, content in zip(tokens["token"], tokens["content"]):
        if content:
            current.append(token)
        elif token.strip():
            if len(current) > 1:
                runs.append(current)
            current = []
    if len(current) > 1:
        runs.append(current)
    return runs


def collocations(tokens: pd.DataFrame, size: int = 2, min_count: int = 3) -> pd.DataFrame:
    """Adjacent content-token sequences (bigrams or trigrams) ranked by association.

    Sequences never cross punctuation, function words or filler. For bigrams, ``G2`` is Dunning's
    log-likelihood of the 2 × 2 table (w1 followed by w2 or not) and ``pmi`` is log2 of observed over expected;
    for trigrams ``pmi`` compares with the product of the three words' frequencies.

    Returns:
        ``collocation, count, pmi`` (and ``G2`` for bigrams), ranked by ``G2`` (bigrams) or ``pmi`` (trigrams).
    """
    if size not in (2, 3):
        raise ValueError("size must be 2 or 3")
    runs = [run for _, group in tokens.groupby("report_id", sort=False) for run in _runs(group)]
    unigrams = Counter(w for run in runs for w in run)
    grams = Counter(tuple(run[i : i + size]) for run in runs for i in range(len(run) - size + 1))
    return collocation_table(unigrams, grams, size, min_count)


@dataclass(frozen=True)
class GramTotals:
    """What :func:`collocation_table` takes from every sequence counted, the rare ones too.

    The store counts the sequences of a large corpus as arrays and hands over only those counted often enough to
    be ranked, with these totals of all of them: the 31 external reports (0.6 M characters) hold 47 764 distinct
    bigrams and 40 484 trigrams, of which 7 697 and 6 320 are counted often enough (3 and 2 times); a Python tuple
    in a ``Counter`` takes some 150–200 bytes, and a national corpus's distinct sequences run to millions.
    """

    #: sequences counted (the sum of every sequence's count).
    n: int
    #: bigrams only: each word's count as a bigram's first word, and as its second.
    firsts: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)


def collocation_table(unigrams: Counter, grams: Counter, size: int, min_count: int = 3,
                      totals: GramTotals | None = None) -> pd.DataFrame:
    """:func:`collocations` from the counts: words in runs of two or more content tokens, and the sequences.

    (The store computes the same counts from its token files: :meth:`helpers.store.Store.collocation_counts`.)

    Args:
        unigrams: word → count in those runs.
        grams: ``size``-word sequence → count: every one, or (with ``totals``) at least those counted ``min_count``
            times.
        size: 2 or 3.
        min_count: the fewest times a sequence is counted to be ranked.
        totals: the totals over every sequence (default: those of ``grams``, then every sequence).
    """
    n_uni = sum(unigrams.values())
    if totals is None:
        firsts: Counter[str] = Counter()
        seconds: Counter[str] = Counter()
        if size == 2:
            for (w1, w2), n in grams.items():
                firsts[w1] += n
                seconds[w2] += n
        totals = GramTotals(sum(grams.values()), firsts, seconds)
    n_grams, firsts, seconds = totals.n, totals.firsts, totals.seconds
    rows = []
    for gram, n in grams.items():
        if n < min_count:
            continue
        expected = n_grams * np.prod([unigrams[w] / n_uni for w in gram])
        row = {"collocation": " ".join(gram), "count": n, "pmi": math.log2(n / expected)}
        if size == 2:
            a = n
            b = firsts[gram[0]] - a
            c = seconds[gram[1]] - a
            d = n_grams - a - b - c
            cells = np.array([a, b, c, d], dtype=float)
            exp = np.array([(a + b) * (a + c), (a + b) * (b + d), (c + d) * (a + c), (c + d) * (b + d)]) / n_grams
            row["G2"] = float(2 * np.sum(np.where(cells > 0, cells * np.log(np.where(cells > 0, cells, 1) / exp), 0)))
        rows.append(row)
    key = "G2" if size == 2 else "pmi"
    columns = ["collocation", "count", "pmi"] + (["G2"] if size == 2 else [])
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values([key, "collocation"], ascending=[False, True], ignore_index=True)


def side_by_side(table: pd.DataFrame, column: str, groups: Sequence[str], n: int, columns: Sequence[str]) -> pd.DataFrame:
    """The first ``n`` rows of ``table`` in each of ``groups`` (values of ``column``), side by side.

    Returns:
        One block of ``columns`` per group, under the group's name, rows numbered from 0 (a group with fewer rows
        leaves its block's last rows empty).
    """
    return pd.concat({group: table[table[column] == group].head(n)[list(columns)].reset_index(drop=True)
                      for group in groups}, axis=1)


def top_terms_line(by_doc: pd.DataFrame, n: int = 10, doc: str = "report_id") -> pd.Series:
    """Each document's ``n`` first terms on one line: ``法治 12 · 调解 9 · …`` (per 10 000 characters, rounded).

    Args:
        by_doc: :func:`term_frequencies` by ``doc``, each document's terms best first.
        n: terms per document.
        doc: the document column.

    Returns:
        The lines, indexed by document in order of first appearance.
    """
    return by_doc.groupby(doc, sort=False).head(n).assign(
        term=lambda t: t["token"] + " " + t["per_10k_chars"].round(0).astype(int).astype(str)
    ).groupby(doc, sort=False)["term"].apply(" · ".join)


def weights_by_group(table: pd.DataFrame, column: str, groups: Sequence[str], key: str = "token",
                     value: str = "count") -> dict[str, dict[str, float]]:
    """``{group: {token: count}}`` for each of ``groups`` (values of ``column``): what a word cloud draws."""
    return {group: table[table[column] == group].set_index(key)[value].to_dict() for group in groups}


def filler_density(tokens: pd.DataFrame, totals: pd.Series, by: Sequence[str]) -> pd.DataFrame:
    """Bureaucratic filler per group: filler tokens, their share of word tokens, and per 1 000 characters.

    Returns:
        ``*by, word_tokens, filler_tokens, filler_pct, filler_per_1k_chars``.
    """
    by = list(by)
    words = tokens[tokens["token_kind"] == "word"]
    n = _weights(words)
    table = (words[by].assign(word_tokens=n, filler_tokens=n * words["is_filler"]).groupby(by).sum().reset_index())
    table["filler_pct"] = 100 * table["filler_tokens"] / table["word_tokens"]
    chars = np.asarray(table.set_index(by).index.map(totals), dtype=float)
    table["filler_per_1k_chars"] = 1000 * table["filler_tokens"] / chars
    return table


def summary_figures(tokens: pd.DataFrame, scores: pd.DataFrame, short_vs_measures: pd.DataFrame | Unavailable,
                    documents: pd.DataFrame | Unavailable, cited: pd.DataFrame) -> pd.Series:
    """The numbers notebook 02 states in prose and titles, computed here (``"n/a"`` where this corpus has none)."""
    def keyness_count(sign: int):
        if isinstance(short_vs_measures, Unavailable):
            return "n/a"
        significant = (np.sign(short_vs_measures["G2"]) == sign) & (short_vs_measures["p_G2"] < 0.01)
        return int(significant.sum())

    n = _weights(tokens)
    return pd.Series({
        "tokens": int(n.sum()),
        "content tokens": int((n * tokens["content"]).sum()),
        "lexicon terms used (types)": int(tokens.loc[tokens["category"] != "", "token"].nunique()),
        "gold F1, lexicon, HMM off": scores.loc["lexicon, HMM off (used)", "f1"],
        "gold F1, bare jieba, HMM off": scores.loc["bare jieba, HMM off", "f1"],
        "top shortcoming terms (G²)": "n/a" if isinstance(short_vs_measures, Unavailable)
        else " · ".join(short_vs_measures.head(5)["token"]),
        "shortcoming terms with p < 0.01": keyness_count(1),
        "measure terms with p < 0.01": keyness_count(-1),
        "documents cited (distinct)": 0 if isinstance(documents, Unavailable) else len(documents),
        "citations of laws": int(cited["document_kind"].eq("法律").sum()),
    }, dtype=object)


def top_terms_wide(table: pd.DataFrame, column: str, n: int = 8) -> pd.DataFrame:
    """The ``n`` commonest terms of each group side by side: token × group, per 10 000 characters (blank elsewhere).

    Args:
        table: :func:`term_frequencies` by ``column``, each group's terms best first.
        column: the group column (``macro_region`` …).
        n: terms per group.
    """
    wide = table.groupby(column, sort=False).head(n).pivot_table(index="token", columns=column, values="per_10k_chars")
    return wide.round(1).astype("object").fillna("")


def terms_by_report(ranked: pd.DataFrame, labels: dict[str, str], name: str = "top TF-IDF terms") -> pd.DataFrame:
    """Each report's ranked terms on one line (``a · b · c``), reports in ``labels``' order and labelled."""
    lines = ranked.groupby("report_id", sort=False)["token"].apply(" · ".join)
    return lines.reindex(list(labels)).rename(index=labels).to_frame(name)


def lexicon_sources(terms: pd.DataFrame) -> pd.DataFrame:
    """The lexicon's terms counted by category (rows) and where they were found (columns: ``source``)."""
    return terms.pivot_table(index="category", columns="source", values="term", aggfunc="count", fill_value=0)


def beside(tables: dict[str, pd.DataFrame], n: int = 12) -> pd.DataFrame:
    """The first ``n`` rows of each table side by side, one block of columns per name (rows renumbered from 0)."""
    return pd.concat({name: table.head(n).reset_index(drop=True) for name, table in tables.items()}, axis=1)
