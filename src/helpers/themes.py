"""Theme coding of report items with the versioned codebook (validation: helpers.hand_codes; NMF: helpers.topics).

The codebook (``data/codebook/themes.yaml``; causes of shortcomings in ``causes.yaml``) gives each theme weighted
keywords. An item's score for a theme is the sum of the weights of the distinct keywords found in it (the
longest match wins where keywords overlap), counted twice when the keyword is in the item's title — reports
name an item's subject in its title. A theme is assigned when its score reaches the codebook's threshold; an
item keeps at most :data:`MAX_LABELS` themes, the best scored. Every assignment keeps its evidence: which
keywords, at which offsets of the report's normalised text.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import ahocorasick
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from helpers.errors import StudyError
from helpers.frames import frame_from_rows
from helpers.paths import CODEBOOK, relative
from helpers.segment import MANDATED_ORDER
from helpers.spans import occurrences
from helpers.unavailable import Unavailable

MAX_LABELS = 3
#: Parts whose items are coded: every mandated part (front matter and sign-off are not).
CODED_PARTS = MANDATED_ORDER
#: The columns of the evidence table (:func:`code_items`).
EVIDENCE_COLUMNS = ["report_id", "part_seq", "item_seq", "scheme", "category", "score", "keywords", "offsets"]


class CodebookError(StudyError, ValueError):
    """The codebook file is malformed."""


@dataclass(frozen=True)
class Category:
    """One theme (or cause) of a codebook."""

    id: str
    zh: str
    en: str
    definition: str
    keywords: dict[str, float]

    @property
    def label(self) -> str:
        """Bilingual label ``中文 / English``."""
        return f"{self.zh} / {self.en}"

    @functools.cached_property
    def literal_keywords(self) -> frozenset[str]:
        """The keywords matched as written (all but ``re:`` patterns)."""
        return frozenset(kw for kw in self.keywords if not kw.startswith("re:"))

    @functools.cached_property
    def pattern_keywords(self) -> tuple[str, ...]:
        """The ``re:`` keywords (regular expressions)."""
        return tuple(kw for kw in self.keywords if kw.startswith("re:"))


@dataclass(frozen=True)
class Codebook:
    """A versioned list of categories with keyword weights and a threshold."""

    version: str
    threshold: float
    categories: tuple[Category, ...]
    raw: dict

    @property
    def ids(self) -> list[str]:
        """Category ids in codebook order (the study's theme order)."""
        return [c.id for c in self.categories]

    @property
    def labels(self) -> dict[str, str]:
        """Category id → bilingual label."""
        return {c.id: c.label for c in self.categories}

    @functools.cached_property
    def keywords(self) -> frozenset[str]:
        """Every literal keyword of every category."""
        return frozenset().union(*(c.literal_keywords for c in self.categories))

    @functools.cached_property
    def _automaton(self) -> ahocorasick.Automaton:
        """An Aho–Corasick automaton of the literal keywords: keyword → (length, keyword, its categories' indices)."""
        automaton = ahocorasick.Automaton()
        for kw in sorted(self.keywords):
            automaton.add_word(kw, (len(kw), kw, tuple(k for k, c in enumerate(self.categories)
                                                       if kw in c.literal_keywords)))
        automaton.make_automaton()
        return automaton

    @functools.cached_property
    def _arrays(self) -> tuple[ahocorasick.Automaton, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """What :func:`code_arrays` needs, made once.

        An automaton of keyword → its index (keywords sorted), each keyword's length, its categories
        (``ptr``/``owners``, CSR), the categories × keywords weight matrix and the keywords.
        """
        words = sorted(self.keywords)
        automaton = ahocorasick.Automaton()
        for k, kw in enumerate(words):
            automaton.add_word(kw, k)
        if words:
            automaton.make_automaton()
        owners = [[c for c, cat in enumerate(self.categories) if kw in cat.literal_keywords] for kw in words]
        ptr = np.zeros(len(words) + 1, dtype=np.int64)
        ptr[1:] = np.cumsum([len(o) for o in owners])
        weights = np.zeros((len(self.categories), len(words)), dtype=np.float64)
        for k, kw in enumerate(words):
            for c in owners[k]:
                weights[c, k] = self.categories[c].keywords[kw]
        return (automaton, np.array([len(w) for w in words], dtype=np.int64), ptr,
                np.array([c for o in owners for c in o], dtype=np.int64), weights, np.array(words, dtype=object))

    @functools.cached_property
    def _patterned(self) -> tuple[int, ...]:
        """Indices of the categories with ``re:`` keywords."""
        return tuple(k for k, c in enumerate(self.categories) if c.pattern_keywords)

    def matches(self, text: str) -> dict[int, list[tuple[int, int, str]]]:
        """Every occurrence of every keyword in ``text``, overlapping ones included.

        Returns category index (codebook order) → ``[(start, end, keyword), …]`` for the categories with at least
        one — one pass over the text, whatever the number of keywords.
        """
        found: dict[int, list[tuple[int, int, str]]] = {}
        if self.keywords:
            for last, (n, kw, owners) in self._automaton.iter(text):
                span = (last + 1 - n, last + 1, kw)
                for k in owners:
                    spans = found.get(k)
                    if spans is None:
                        found[k] = [span]
                    else:
                        spans.append(span)
        for k in self._patterned:
            spans = [(s, e, kw) for kw in self.categories[k].pattern_keywords for s, e in _find(kw, text)]
            if spans:
                found.setdefault(k, []).extend(spans)
        return found


def load_codebook(path: Path | str, key: str = "themes") -> Codebook:
    """Load a codebook YAML (``key`` is ``themes`` or ``causes``).

    Raises:
        CodebookError: missing fields, duplicate ids, non-positive weights.
    """
    path = Path(path)
    try:
        # libyaml's loader when PyYAML has it (≈ 9× faster: each worker and kernel loads three codebooks)
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise CodebookError(f"{relative(path)}: cannot be read as YAML ({exc})") from None
    name = relative(path)
    if not isinstance(raw, dict) or key not in raw:
        raise CodebookError(f"{name}: expected a mapping with '{key}'")
    categories = []
    for entry in raw[key]:
        missing = [f for f in ("id", "zh", "en", "definition", "include", "exclude", "keywords", "examples") if f not in entry]
        if missing:
            raise CodebookError(f"{name}: {entry.get('id', '?')} lacks {', '.join(missing)}")
        weights = {str(k): float(v) for k, v in entry["keywords"].items()}
        if any(w <= 0 for w in weights.values()):
            raise CodebookError(f"{name}: {entry['id']} has a keyword weight that is not positive")
        categories.append(Category(entry["id"], entry["zh"], entry["en"], entry["definition"], weights))
    ids = [c.id for c in categories]
    if len(ids) != len(set(ids)):
        raise CodebookError(f"{name}: duplicate ids")
    return Codebook(str(raw.get("version", "")), float(raw.get("threshold", 3)), tuple(categories), raw)


def default_codebooks() -> tuple[Codebook, Codebook]:
    """The study's theme and cause codebooks."""
    return load_codebook(CODEBOOK / "themes.yaml", "themes"), load_codebook(CODEBOOK / "causes.yaml", "causes")


def _find(keyword: str, text: str) -> Iterable[tuple[int, int]]:
    if keyword.startswith("re:"):
        for m in re.finditer(keyword[3:], text):
            yield m.start(), m.end()
        return
    for start in occurrences(text, keyword):
        yield start, start + len(keyword)


def _longest_first(matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The matches taken longest first (then leftmost) where they overlap none taken before, in text order.

    The spans taken never overlap, so kept in order of start a new span can overlap only its two neighbours.
    """
    starts: list[int] = []
    taken: list[tuple[int, int, str]] = []
    for s, e, kw in sorted(matches, key=lambda m: (m[0] - m[1], m[0])):
        i = bisect.bisect_right(starts, s)
        if (i and taken[i - 1][1] > s) or (i < len(starts) and starts[i] < e):
            continue
        starts.insert(i, s)
        taken.insert(i, (s, e, kw))
    return taken


def _score(matches: list[tuple[int, int, str]], category: Category, title_end: int) -> tuple[float, list[tuple[str, int]]]:
    """Score and evidence from every occurrence of a category's keywords (see :func:`score_text`)."""
    if not matches:
        return 0.0, []
    if len(matches) == 1:
        (s, _, kw), = matches
        return category.keywords[kw] * (2 if s < title_end else 1), [(kw, s)]
    taken = sorted(matches)
    end = -1
    for s, e, _ in taken:
        if s < end:  # some overlap: take the longest first, each where it overlaps nothing taken
            taken = _longest_first(matches)
            break
        end = e
    seen: dict[str, bool] = {}
    for s, _, kw in taken:
        seen[kw] = seen.get(kw, False) or s < title_end
    score = 0.0
    for kw, in_title in seen.items():
        score += category.keywords[kw] * (2 if in_title else 1)
    return score, [(kw, s) for s, _, kw in taken]


def score_text(text: str, category: Category, title_end: int = 0) -> tuple[float, list[tuple[str, int]]]:
    """Score of ``text`` for one category and the evidence ``[(keyword, offset), …]``.

    Matches are taken longest first without overlap; each distinct keyword counts once, twice when one of its
    matches starts before ``title_end`` (inside the item's title).
    """
    found = [kw for kw in category.keywords if kw in text or kw.startswith("re:")]  # most keywords are absent
    return _score([(s, e, kw) for kw in found for s, e in _find(kw, text)], category, title_end)


def code_text(text: str, codebook: Codebook, title_end: int = 0) -> list[tuple[str, float, list[tuple[str, int]]]]:
    """Categories assigned to one text: ``[(id, score, evidence)]``, best first, at most :data:`MAX_LABELS`.

    Each category is scored as :func:`score_text` does; the keywords of all of them are found in one pass
    (:meth:`Codebook.matches`).

    Example:
        >>> themes, _ = default_codebooks()
        >>> [t for t, _, _ in code_text("全年调解矛盾纠纷120件，调解成功率100%。", themes)]
        ['disputes']
    """
    scored = []
    found = codebook.matches(text)
    # a category without a keyword here scores 0: below any positive threshold
    for k in range(len(codebook.categories)) if codebook.threshold <= 0 else sorted(found):
        category = codebook.categories[k]
        score, evidence = _score(found.get(k, []), category, title_end)
        if score >= codebook.threshold:
            scored.append((k, category.id, score, evidence))
    scored.sort(key=lambda t: (-t[2], t[0]))
    return [(cid, score, evidence) for _, cid, score, evidence in scored[:MAX_LABELS]]


def _literal_matches(texts: Sequence[str], codebook: Codebook) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every literal keyword match in every text, in one pass: ``(text, category, start, keyword index)`` arrays."""
    automaton, lengths, ptr, owners, _, _ = codebook._arrays
    empty = np.zeros(0, dtype=np.int64)
    if not len(lengths) or not texts:
        return empty, empty, empty, empty
    sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    bases = np.zeros(len(texts), dtype=np.int64)
    bases[1:] = np.cumsum(sizes + 1)[:-1]
    # "\0" between texts: no keyword holds it, so no match spans two texts
    found = np.fromiter(itertools.chain.from_iterable(automaton.iter("\0".join(texts))), dtype=np.int64).reshape(-1, 2)
    last, word = found[:, 0], found[:, 1]
    start = last + 1 - lengths[word]
    text = np.searchsorted(bases, start, side="right") - 1
    counts = ptr[word + 1] - ptr[word]  # a keyword of several categories counts for each
    match = np.repeat(np.arange(len(word)), counts)
    within = np.arange(len(match)) - np.repeat(np.cumsum(counts) - counts, counts)
    return text[match], owners[ptr[word[match]] + within], (start - bases[text])[match], word[match]


@dataclass(frozen=True)
class CodedTexts:
    """What :func:`code_arrays` assigns to many texts, as arrays.

    Label ``k`` is category ``category[k]`` (codebook order) of text ``text[k]``, with ``score[k]``; labels come
    text by text, each text's best first (at most :data:`MAX_LABELS`). Its evidence is the keyword matches
    ``bounds[k]:bounds[k + 1]`` of ``keyword`` (index into ``keywords``) and ``start`` (offset into the text), in
    the text's order.
    """

    text: np.ndarray
    category: np.ndarray
    score: np.ndarray
    bounds: np.ndarray
    keyword: np.ndarray
    start: np.ndarray
    keywords: np.ndarray  # the keyword strings, object array
    ids: tuple[str, ...]  # the codebook's category ids

    def __len__(self) -> int:
        return len(self.text)

    def lists(self, n: int) -> list[list[tuple[str, float, list[tuple[str, int]]]]]:
        """The labels of each of ``n`` texts as :func:`code_text` gives them."""
        out: list[list[tuple[str, float, list[tuple[str, int]]]]] = [[] for _ in range(n)]
        words, starts, bounds = self.keywords[self.keyword].tolist(), self.start.tolist(), self.bounds.tolist()
        for k, (t, c, score) in enumerate(zip(self.text.tolist(), self.category.tolist(), self.score.tolist())):
            a, b = bounds[k], bounds[k + 1]
            out[t].append((self.ids[c], score, list(zip(words[a:b], starts[a:b]))))
        return out

    def joined(self, n: int, sep: str = ";") -> list[str]:
        """Each of ``n`` texts' category ids, ``sep``-joined in label order (``""`` for none)."""
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.text, minlength=n), out=offsets[1:])
        ids = pa.array(list(self.ids), type=pa.string()).take(pa.array(self.category, type=pa.int64()))
        return pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), ids), sep).to_pylist()

    def evidence_strings(self, base: np.ndarray) -> tuple[pa.Array, pa.Array]:
        """Each label's keywords and offsets, as two Arrow string arrays.

        The label's distinct keywords ``、``-joined (in the order first found) and its matches' offsets plus the
        ``base`` of its text (one per text, e.g. the text's offset in its report) ``,``-joined.
        """
        label = np.repeat(np.arange(len(self.text)), np.diff(self.bounds))
        offsets = pa.array(self.bounds, type=pa.int32())
        at = self.start + base[self.text[label]] if len(label) else self.start
        shifted = pc.cast(pa.array(at, type=pa.int64()), pa.string())
        # a keyword matched twice in one label is named once: each (label, keyword)'s first match
        _, first = np.unique(label * max(len(self.keywords), 1) + self.keyword, return_index=True)
        first.sort()
        kept = np.zeros(len(self.text) + 1, dtype=np.int64)
        np.cumsum(np.bincount(label[first], minlength=len(self.text)), out=kept[1:])
        names = pa.array(self.keywords[self.keyword[first]].tolist(), type=pa.string())
        return (pc.binary_join(pa.ListArray.from_arrays(pa.array(kept, type=pa.int32()), names), "、"),
                pc.binary_join(pa.ListArray.from_arrays(offsets, shifted), ","))


def _from_lists(found: list[list[tuple[str, float, list[tuple[str, int]]]]], codebook: Codebook) -> CodedTexts:
    """:class:`CodedTexts` of :func:`code_text`'s lists (the path of codebooks with patterns)."""
    index = {c: k for k, c in enumerate(codebook.ids)}
    labels = [(t, index[c], score, evidence) for t, labels in enumerate(found) for c, score, evidence in labels]
    keywords = sorted({kw for *_, evidence in labels for kw, _ in evidence})
    at = {kw: k for k, kw in enumerate(keywords)}
    sizes = [len(evidence) for *_, evidence in labels]
    bounds = np.zeros(len(labels) + 1, dtype=np.int64)
    np.cumsum(sizes, out=bounds[1:])
    return CodedTexts(np.array([t for t, *_ in labels], dtype=np.int64), np.array([c for _, c, _, _ in labels], dtype=np.int64),
                      np.array([s for _, _, s, _ in labels], dtype=np.float64), bounds,
                      np.array([at[kw] for *_, ev in labels for kw, _ in ev], dtype=np.int64),
                      np.array([s for *_, ev in labels for _, s in ev], dtype=np.int64),
                      np.array(keywords, dtype=object), tuple(codebook.ids))


def code_arrays(texts: Sequence[str], codebook: Codebook, title_ends: Sequence[int] | None = None) -> CodedTexts:
    """:func:`code_text` of many texts at once, as arrays (:class:`CodedTexts`), with identical results.

    The keywords of every text are found in one pass over the texts joined, and the scoring is done on arrays of
    matches; only clusters of overlapping matches where the longest does not cover the others are resolved one
    by one (:func:`_longest_first`).
    """
    n = len(texts)
    ends = np.zeros(n, dtype=np.int64) if title_ends is None else np.asarray(title_ends, dtype=np.int64)
    _, lengths, _, _, weights, words = codebook._arrays
    nothing = np.zeros(0, dtype=np.int64)
    empty = CodedTexts(nothing, nothing, np.zeros(0, dtype=np.float64), np.zeros(1, dtype=np.int64), nothing, nothing,
                       words, tuple(codebook.ids))
    if codebook.threshold <= 0 or codebook._patterned:  # every category scored, or patterns: text by text
        return _from_lists([code_text(t, codebook, int(e)) for t, e in zip(texts, ends.tolist())], codebook)
    text, cat, start, word = _literal_matches(texts, codebook)
    if not len(text):
        return empty
    stop = start + lengths[word]
    order = np.lexsort((word, stop, start, cat, text))  # (text, category), then as sorted(matches)
    text, cat, start, stop, word = text[order], cat[order], start[order], stop[order], word[order]
    group_start = np.ones(len(text), dtype=bool)
    group_start[1:] = (text[1:] != text[:-1]) | (cat[1:] != cat[:-1])
    group = np.cumsum(group_start) - 1
    # clusters of overlapping matches within a group: a match opens one where it starts at or after the ends so far
    big = int(stop.max()) + 1
    reach = np.maximum.accumulate(group * big + stop) - group * big
    cluster_start = group_start.copy()
    cluster_start[1:] |= start[1:] >= reach[:-1]
    # in each cluster the longest match (leftmost of equals) is taken; where it covers the cluster, every other
    # match overlaps it and is dropped; elsewhere the cluster is resolved match by match
    bounds = np.flatnonzero(cluster_start)
    cluster = np.cumsum(cluster_start) - 1
    span = stop - start
    longest = np.flatnonzero(span == np.maximum.reduceat(span, bounds)[cluster])
    best = longest[np.append(True, cluster[longest][1:] != cluster[longest][:-1])]  # one per cluster, in order
    covers = (start[best] == start[bounds]) & (stop[best] == np.maximum.reduceat(stop, bounds))
    taken = np.zeros(len(text), dtype=bool)
    taken[best[covers]] = True
    ends_of = np.append(bounds[1:], len(text))
    for c in np.flatnonzero(~covers).tolist():
        a, b = int(bounds[c]), int(ends_of[c])
        kept = _longest_first([(int(s), int(e), str(k)) for s, e, k in zip(start[a:b], stop[a:b], word[a:b])])
        at = {(s, e): i for i, (s, e) in enumerate(zip(start[a:b].tolist(), stop[a:b].tolist()))}  # a span is one match
        for s, e, _ in kept:
            taken[a + at[s, e]] = True
    text, cat, start, word, group = text[taken], cat[taken], start[taken], word[taken], group[taken]
    in_title = start < ends[text]
    # each distinct keyword once per (text, category), doubled when one of its matches is in the title
    # (the distinct pairs in the order first seen, so that each score is summed in the same order as before)
    pair = group * len(words) + word
    pairs, first_seen, which = np.unique(pair, return_index=True, return_inverse=True)
    seen_order = np.argsort(first_seen, kind="stable")
    titled = np.bincount(which, weights=in_title, minlength=len(pairs))[seen_order] > 0
    g, w = pairs[seen_order] // len(words), pairs[seen_order] % len(words)
    first = np.flatnonzero(np.append(True, group[1:] != group[:-1]))  # each group's first taken match
    group_cat = np.zeros(int(group.max()) + 1, dtype=np.int64)
    group_cat[group[first]] = cat[first]
    group_text = np.zeros_like(group_cat)
    group_text[group[first]] = text[first]
    score = np.zeros(len(group_cat), dtype=np.float64)
    np.add.at(score, g, weights[group_cat[g], w] * np.where(titled, 2.0, 1.0))
    kept_groups = np.flatnonzero(score >= codebook.threshold)
    if not len(kept_groups):
        return empty
    rank = np.lexsort((group_cat[kept_groups], -score[kept_groups], group_text[kept_groups]))
    kept_groups = kept_groups[rank]
    # at most MAX_LABELS a text: the best, as they come
    of_text = group_text[kept_groups]
    runs = np.flatnonzero(np.append(True, of_text[1:] != of_text[:-1]))
    place = np.arange(len(kept_groups)) - np.repeat(runs, np.diff(np.append(runs, len(kept_groups))))
    kept_groups = kept_groups[place < MAX_LABELS]
    # each label's matches: its group's taken matches (sorted by group, in the text's order)
    lo = np.searchsorted(group, kept_groups, side="left")
    sizes = np.searchsorted(group, kept_groups, side="right") - lo
    label_bounds = np.zeros(len(kept_groups) + 1, dtype=np.int64)
    np.cumsum(sizes, out=label_bounds[1:])
    picked = np.repeat(lo - label_bounds[:-1], sizes) + np.arange(int(label_bounds[-1]))
    return CodedTexts(group_text[kept_groups], group_cat[kept_groups], score[kept_groups], label_bounds, word[picked],
                      start[picked], words, tuple(codebook.ids))


def code_texts(texts: Sequence[str], codebook: Codebook,
               title_ends: Sequence[int] | None = None) -> list[list[tuple[str, float, list[tuple[str, int]]]]]:
    """:func:`code_text` of many texts at once, with identical results: ``[code_text(t, codebook, e), …]``.

    Computed by :func:`code_arrays` (about 4× faster than calling :func:`code_text` per item).

    Example:
        >>> themes, _ = default_codebooks()
        >>> [[t for t, _, _ in found] for found in code_texts(["全年调解矛盾纠纷120件。", "会议"], themes)]
        [['disputes'], []]
    """
    return code_arrays(texts, codebook, title_ends).lists(len(texts))


def title_end(text: str, heading: str) -> int:
    """Where an item's title ends in its text (0 without one): keywords before it count twice."""
    if not heading:
        return 0
    at = text.find(heading)
    return at + len(heading) if at != -1 else 0


def code_items(items: pd.DataFrame, themes: Codebook, causes: Codebook | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Code every item of the coded parts.

    Args:
        items: :func:`helpers.structure.items_table`.
        themes: the theme codebook.
        causes: the cause codebook, applied to ``shortcomings`` items.

    Returns:
        ``(coded, evidence)``: ``coded`` has one row per item (``report_id, part_seq, item_seq, part, item_kind, start,
        end, chars, themes, causes`` with ``themes``/``causes`` as ``;``-joined ids); ``evidence`` one row per
        item × assigned category (``scheme, category, score, keywords, offsets`` — offsets into the report's
        normalised text).
    """
    coded_items = items[items["part"].isin(CODED_PARTS)]
    columns = ["report_id", "part_seq", "item_seq", "part", "item_kind", "start", "end"]
    coded_columns = {c: coded_items[c].tolist() for c in columns}
    starts = coded_items["start"].to_numpy(dtype=np.int64)
    coded_columns["chars"] = (coded_items["end"].to_numpy(dtype=np.int64) - starts).tolist()
    texts = coded_items["text"].tolist()
    ends = [title_end(text, heading) for text, heading in zip(texts, coded_items["item_title"].tolist())]
    n = len(texts)
    by_theme = code_arrays(texts, themes, ends)  # every item in one pass; causes for shortcomings items only
    short = np.flatnonzero(coded_items["part"].to_numpy() == "shortcomings")
    by_cause = (code_arrays([texts[k] for k in short.tolist()], causes, [ends[k] for k in short.tolist()])
                if causes is not None and len(short) else None)
    coded_columns["themes"] = by_theme.joined(n)
    cause_of = [""] * n
    if by_cause is not None:
        for k, joined in zip(short.tolist(), by_cause.joined(len(short))):
            cause_of[k] = joined
    coded_columns["causes"] = cause_of
    coded = pd.DataFrame(coded_columns) if n else pd.DataFrame()
    # evidence: each item's theme labels, then its cause labels, best first
    schemes = [("theme", by_theme, np.arange(n))] + ([("cause", by_cause, short)] if by_cause is not None else [])
    item = np.concatenate([at[found.text] for _, found, at in schemes])
    if not len(item):
        return coded, frame_from_rows([], EVIDENCE_COLUMNS)
    order = np.argsort(item * 2 + np.concatenate([np.full(len(found), k) for k, (_, found, _) in enumerate(schemes)]),
                      kind="stable")
    item = item[order]
    pieces = [found.evidence_strings(starts[at]) for _, found, at in schemes]
    keywords = pa.concat_arrays([k for k, _ in pieces]).take(pa.array(order))
    offsets = pa.concat_arrays([o for _, o in pieces]).take(pa.array(order))
    ids = np.concatenate([np.asarray(found.ids, dtype=object)[found.category] for _, found, _ in schemes])[order]
    evidence = pd.DataFrame({
        "report_id": coded_items["report_id"].to_numpy()[item],
        "part_seq": coded_items["part_seq"].to_numpy()[item],
        "item_seq": coded_items["item_seq"].to_numpy()[item],
        "scheme": np.concatenate([np.full(len(found), name, dtype=object) for name, found, _ in schemes])[order],
        "category": ids,
        "score": np.concatenate([found.score for _, found, _ in schemes])[order],
        "keywords": keywords.to_pylist(),
        "offsets": offsets.to_pylist(),
    })
    return coded, evidence.astype({c: "str" for c in ("report_id", "scheme", "category", "keywords", "offsets")})


def split_labels(series: pd.Series) -> list[set[str]]:
    """``;``-joined label strings → list of sets."""
    return [set(filter(None, str(v).split(";"))) for v in series.fillna("").tolist()]


def theme_profile(coded: pd.DataFrame, ids: Sequence[str], by: Sequence[str] = ("report_id", "part"),
                  column: str = "themes") -> pd.DataFrame:
    """Share of items and of characters carrying each theme (or the labels of ``column``), per group.

    Returns:
        ``*by, theme, items, items_with_theme, item_share_pct, char_share_pct`` (an item with two themes counts
        for both; shares are of the group's coded items and their characters), groups in order of appearance.
    """
    by = list(by)
    if coded.empty:
        return pd.DataFrame(columns=[*by, "theme", "items", "items_with_theme", "item_share_pct", "char_share_pct"])
    # which themes a label string holds, worked out once per distinct string (a corpus repeats a few hundred over
    # 10⁵ items), and summed over each group's (string, items, characters): at 10⁴ reports a per-item loop and
    # ``np.add.at`` took seconds a call, and a matrix of items × themes 70 MB at 2·10⁴ reports
    codes, distinct = pd.factorize(np.array(coded[column].fillna("").tolist(), dtype=object))
    holds = np.array([[theme in s for theme in ids] for s in split_labels(pd.Series(distinct, dtype=object))],
                     dtype=np.int64).reshape(len(distinct), len(ids))
    chars = coded["chars"].to_numpy(dtype=np.int64)
    groups = coded.groupby(by, sort=False)
    number = groups.ngroup().to_numpy()
    n_groups = groups.ngroups
    pairs, inverse = np.unique(number.astype(np.int64) * max(len(distinct), 1) + codes, return_inverse=True)
    pair_items = np.bincount(inverse.ravel(), minlength=len(pairs))
    pair_chars = np.bincount(inverse.ravel(), weights=chars, minlength=len(pairs)).astype(np.int64)  # exact: < 2⁵³
    pair_holds = holds[pairs % max(len(distinct), 1)]
    starts = np.searchsorted(pairs // max(len(distinct), 1), np.arange(n_groups))  # every group has an item
    items = np.add.reduceat(pair_items, starts)
    group_chars = np.add.reduceat(pair_chars, starts)
    with_theme = np.add.reduceat(pair_holds * pair_items[:, None], starts, axis=0)
    theme_chars = np.add.reduceat(pair_holds * pair_chars[:, None], starts, axis=0)
    first = coded.loc[~pd.Series(number).duplicated().to_numpy(), by]  # one row per group, in order of appearance
    first = first.iloc[np.argsort(number[~pd.Series(number).duplicated().to_numpy()], kind="stable")]
    with np.errstate(divide="ignore", invalid="ignore"):  # a group of no characters has shares of 0
        item_share = np.where(items[:, None] > 0, 100 * with_theme / items[:, None], 0.0)
        char_share = np.where(group_chars[:, None] > 0, 100 * theme_chars / group_chars[:, None], 0.0)
    repeat = len(ids)
    return pd.DataFrame({**{c: np.repeat(np.array(first[c].tolist(), dtype=object), repeat).tolist() for c in by},
                         "theme": list(ids) * n_groups, "items": np.repeat(items, repeat).astype(np.int64),
                         "items_with_theme": with_theme.ravel().astype(np.int64),
                         "item_share_pct": item_share.ravel().astype(np.float64),
                         "char_share_pct": char_share.ravel().astype(np.float64)})


def profile_by_report_or_region(coded: pd.DataFrame, corpus: pd.DataFrame, ids: Sequence[str],
                                labels: dict[str, str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """The theme profile by report and part — or, past :data:`helpers.structure.SMALL_N` reports, by macro-region.

    Args:
        coded: :func:`code_items` output.
        corpus: the corpus table (for each report's macro-region).
        ids: theme ids.
        labels: report id → label, in display order.

    Returns:
        ``(profile, columns)``: :func:`theme_profile` by ``report_id`` or ``macro_region`` (and part), and
        group → label in display order (``东部（1,204 reports）``; reports without a province as ``(no region)``).
    """
    from helpers.regions import MACRO_REGIONS
    from helpers.structure import SMALL_N

    if len(labels) <= SMALL_N:
        return theme_profile(coded, ids, by=["report_id", "part"]), dict(labels)
    region = corpus.set_index("report_id")["macro_region"].fillna("").replace("", "(no region)")
    with_region = coded.assign(macro_region=coded["report_id"].map(region))
    sizes = region.value_counts()
    order = [r for r in [*MACRO_REGIONS, "(no region)"] if r in sizes.index]
    return (theme_profile(with_region, ids, by=["macro_region", "part"]),
            {r: f"{r}（{sizes[r]:,} reports）" for r in order})


def label_counts(labels: pd.Series, ids: Sequence[str]) -> pd.Series:
    """How many items carry each category (``;``-joined label strings), in codebook order, zeros included."""
    # each distinct label string counted, then split once (a corpus repeats a few hundred over 10⁵ items)
    counts: Counter[str] = Counter()
    held = Counter(labels.fillna("").tolist())
    for categories, n in zip(split_labels(pd.Series(list(held), dtype=object)), held.values()):
        for category in categories:
            counts[category] += n
    return pd.Series(counts, dtype="int64", name="count").reindex(list(ids), fill_value=0).astype(int)


def theme_matrix(profile: pd.DataFrame, ids: Sequence[str], parts: Sequence[str], reports: Sequence[str],
                 report_first: bool = False) -> pd.DataFrame | Unavailable:
    """Themes (rows) × (part, report) or (report, part) columns of ``char_share_pct`` from :func:`theme_profile`.

    ``reports`` are the column groups in order: report ids, or macro-regions for a profile by region.

    Returns :class:`~helpers.unavailable.Unavailable` when no report has any of ``parts``.
    """
    rows = profile[profile["part"].isin(parts)]
    if rows.empty:
        return Unavailable(f"themes of {' and '.join(parts)} by report",
                           f"no report in this corpus has a {' or '.join(parts)} part with coded items")
    group = "report_id" if "report_id" in profile.columns else "macro_region"  # see profile_by_report_or_region
    levels = [group, "part"] if report_first else ["part", group]
    product = [list(reports), list(parts)] if report_first else [list(parts), list(reports)]
    wide = rows.pivot_table(index="theme", columns=levels, values="char_share_pct")
    return wide.reindex(index=list(ids), columns=pd.MultiIndex.from_product(product))


def matrix_labels(wide: pd.DataFrame | Unavailable, labels: dict[str, str], names: dict[str, str],
                  report_first: bool = False) -> pd.DataFrame | Unavailable:
    """:func:`theme_matrix` with readable one-line column labels (``举措 · 小寨路街道（陕西，2024）``)."""
    if isinstance(wide, Unavailable):
        return wide
    out = wide.copy()
    out.columns = [f"{labels[a]} · {names[b]}" if report_first else f"{names[a]} · {labels[b]}" for a, b in wide.columns]
    return out


def codebook_table(codebook: Codebook, key: str | None = None) -> pd.DataFrame:
    """The codebook as a table for reading: ``id, label, frame, definition, include, exclude, keywords``.

    ``key``: the codebook's list of categories (default ``themes``, else ``causes``).
    """
    key = key or ("themes" if "themes" in codebook.raw else "causes")
    rows = []
    for entry in codebook.raw[key]:
        top = sorted(entry["keywords"].items(), key=lambda kv: (-kv[1], kv[0]))[:6]
        rows.append({"id": entry["id"], "label": f"{entry['zh']} / {entry['en']}", "frame": entry.get("frame", ""),
                     "definition": entry["definition"], "include": entry["include"], "exclude": entry["exclude"],
                     "keywords": len(entry["keywords"]),
                     "strongest keywords": "、".join(k for k, _ in top)})
    return pd.DataFrame(rows)


def items_per_theme(coded: pd.DataFrame, ids: Sequence[str], labels: dict[str, str]) -> pd.DataFrame:
    """Items the coder gives each theme (labelled, codebook order), then ``(no theme)``: one column ``items (coder)``.

    Leads (a part's opening sentences before its first item) are left out, as in the findings' count of items.
    """
    if "item_kind" in coded:
        coded = coded[coded["item_kind"] != "lead"]
    counts = label_counts(coded["themes"], ids).rename(index=labels)
    none = pd.Series({"(no theme)": int(coded["themes"].fillna("").eq("").sum())})
    return pd.concat([counts, none]).rename("items (coder)").to_frame()
