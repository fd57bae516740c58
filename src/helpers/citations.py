"""Documents cited in 《…》: laws, regulations, plans, books and media, normalised and counted.

``《中华人民共和国民法典》`` and ``《民法典》`` are one document: the key drops the ``中华人民共和国`` prefix, a bracketed
version or period (``（试行）``, ``（2021—2025年）``, ``(摘要)``), spaces and a leading ``关于``-less variant is kept
as is. Aliases that no rule can see (a common short name) are listed in ``data/lexicon/document_aliases.csv``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from helpers.corpus import Report
from helpers.paths import LEXICON
from helpers.unavailable import Unavailable

#: A document named in 《…》: one to 80 characters on one line (the one definition the study uses).
TITLE = re.compile(r"《([^《》\n]{1,80})》")
_PREFIXES = ("中华人民共和国",)
_BRACKETED = re.compile(r"[（(][^（）()]{0,20}[）)]")
#: Kinds of document, decided by how the title ends (first match wins).
KINDS = (
    ("党内法规", re.compile(r"^中国共产党.*(条例|准则|规定)$|准则$|^党政主要负责人.*规定$|督察工作规定$")),
    ("法律", re.compile(r"法$|法典$|宪法修正案$")),
    ("法规规章", re.compile(r"(条例|规定|办法|细则|规则)$")),
    ("规划纲要", re.compile(r"(纲要|规划|方案|意见|通知|要点|计划|清单|决定)$")),
    ("媒体", re.compile(r"(报|日报|头条|杂志|周刊)$")),
    ("书籍讲话", re.compile(r"(谈治国理政|论述|讲话|文选|摘编)")),
    ("本单位制度", re.compile(r"制度$")),
)


def load_aliases(path: Path | str = LEXICON / "document_aliases.csv") -> dict[str, str]:
    """Alias → canonical key (both already normalised by :func:`document_key`)."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {document_key(a, {}): document_key(c, {}) for a, c in zip(table["alias"], table["canonical"])}


def document_key(title: str, aliases: dict[str, str] | None = None) -> str:
    """The canonical key of a cited title.

    Example:
        >>> document_key("中华人民共和国民法典"), document_key("法治政府建设实施纲要（2021—2025年）")
        ('民法典', '法治政府建设实施纲要')
    """
    key = re.sub(r"\s+", "", title)
    for prefix in _PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
    key = _BRACKETED.sub("", key) or key
    aliases = load_aliases() if aliases is None else aliases
    return aliases.get(key, key)


def document_kind(key: str) -> str:
    """法律 / 党内法规 / 法规规章 / 规划纲要 / 媒体 / 书籍讲话 / 本单位制度 / 其他, from how the title reads."""
    for kind, pattern in KINDS:
        if pattern.search(key):
            return kind
    return "其他"


def cited_documents(reports: Sequence[Report]) -> pd.DataFrame:
    """Every 《…》 title in every report, one row per citation.

    Returns:
        ``report_id, part, item_seq, title, document, document_kind, start, end, raw_start, raw_end`` — ``title`` as
        written, ``document`` the canonical key; offsets cover the brackets.
    """
    aliases = load_aliases()
    rows = []
    for r in reports:
        found = list(TITLE.finditer(r.text))
        part_at, item_at = r.segmentation.locate([m.start() for m in found])
        for m, p, i in zip(found, part_at.tolist(), item_at.tolist()):
            part = r.segmentation.parts[p].label
            item = r.segmentation.items[i].item_seq if i >= 0 else None
            key = document_key(m.group(1), aliases)
            raw_start, raw_end = r.normalised.to_raw(m.start(), m.end())
            rows.append({"report_id": r.report_id, "part": part, "item_seq": item, "title": m.group(1),
                         "document": key, "document_kind": document_kind(key), "start": m.start(), "end": m.end(),
                         "raw_start": raw_start, "raw_end": raw_end})
    table = pd.DataFrame(rows, columns=["report_id", "part", "item_seq", "title", "document", "document_kind",
                                        "start", "end", "raw_start", "raw_end"])
    table["item_seq"] = table["item_seq"].astype("Int64")
    return table


def document_counts(citations: pd.DataFrame) -> pd.DataFrame | Unavailable:
    """Citations per document: ``document, document_kind, citations, reports, titles`` (the spellings seen), most cited first.

    Returns :class:`~helpers.unavailable.Unavailable` when no report of the corpus cites a document in 《》.
    """
    if citations.empty:
        return Unavailable("the documents the reports cite", "no report in this corpus cites a document in 《》")
    grouped = citations.groupby(["document", "document_kind"]).agg(
        citations=("title", "size"),
        reports=("report_id", "nunique"),
        titles=("title", lambda s: " / ".join(sorted(set(s)))),
    ).reset_index()
    return grouped.sort_values(["citations", "reports", "document"], ascending=[False, False, True], ignore_index=True)


def kinds_by_part(citations: pd.DataFrame) -> pd.DataFrame | Unavailable:
    """Citations of each kind of document in each part, the most cited kind first."""
    if citations.empty:
        return Unavailable("citations by kind and part", "no report in this corpus cites a document in 《》")
    table = pd.crosstab(citations["document_kind"], citations["part"])
    return table.loc[table.sum(axis=1).sort_values(ascending=False).index]


def citation_matrix(citations: pd.DataFrame, counts: pd.DataFrame | Unavailable, labels: dict[str, str],
                    top: int = 10) -> pd.DataFrame | Unavailable:
    """How often each report cites the ``top`` most cited documents (rows: documents; columns: report labels)."""
    if isinstance(counts, Unavailable):
        return counts
    table = pd.crosstab(citations["document"], citations["report_id"]).loc[counts["document"].head(top)]
    return table.reindex(columns=list(labels), fill_value=0).rename(columns=labels)
