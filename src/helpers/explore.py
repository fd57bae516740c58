"""The items explorer: every item of the corpus in a sortable, filterable, paged table, offline.

``write_explorer(study, site)`` writes, into a site folder:

* ``items.html`` — one row per item (report, part, item, themes with their evidence keywords, text), sorted by a
  click on a column's head, filtered by report, part, theme, kind and words of the text, shown a page at a time;
* ``report.html`` — one viewer for every report: ``report.html?id=<report_id>&r=<n>#item-<part_seq>-<item_seq>``
  shows the report's normalised text part by part with that item marked (exactly its characters, from the
  store's offsets) and scrolled into view;
* ``explore/`` — the data, as small ``.js`` files the pages load with ``<script src>`` (a page opened from
  ``file://`` may not ``fetch()`` files beside it): ``meta.js`` (counts, part, kind and theme names),
  ``rows/c00000.js`` … (:data:`CHUNK_ROWS` items each, in corpus order), ``index.js`` (one compact column per
  sort and filter key, loaded at the first sort or filter), ``reports/r00000.js`` … (one report's text, parts
  and items) and the two scripts. Both pages are the site's (:func:`helpers.site.page_html`): its navigation,
  footer and inline fonts, cut to every character the data hold.

The first page of rows needs the HTML (with its font), ``meta.js``, the first chunk and the script, whatever the corpus
size; a sort or facet filter adds ``index.js`` (a few bytes per item); a text filter reads every chunk, with a
progress line. ``benchmarks/bench_explore.py`` measures these at 10⁴ reports.
"""

from __future__ import annotations

import html
import json
import pickle
import shutil
import tempfile
from array import array
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from helpers.context import Study

#: Items per data chunk: a page of rows in corpus order needs one or two chunks (~40 KB each for real reports).
CHUNK_ROWS = 250
#: The folder of the explorer's data and scripts, inside the site folder.
DATA = "explore"
#: Characters of an item's text shown in the table (the whole text is on its report's page).
SHOWN_CHARS = 140
#: The item kinds, in the order the filter lists them (helpers.segment).
KINDS = ("lead", "numbered", "titled", "paragraph")
#: One character per category or code in the compact index: letters, then code points from U+0100.
_CODES = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_TITLE = "Items · 条目"


def _code(k: int) -> str:
    return _CODES[k] if k < len(_CODES) else chr(0x100 + k)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _js(call: str, *values: Any) -> str:
    """A data file: one call of a function the page defines, with ``values`` as JSON arguments."""
    args = ",".join(json.dumps(v, ensure_ascii=False, separators=(",", ":")) for v in values)
    return f"{call}({args});\n"


def item_rows(study: Study, reports: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per item of the study, in corpus order, with its themes and causes and their evidence.

    Args:
        study: an opened study (:func:`helpers.context.load_study`).
        reports: only these reports' items (default every report's).

    Returns:
        The items table (``Study.items``: ``report_id, part_seq, part, item_seq, item_kind, marker, item_title,
        text, start, end`` …) in the study's report order then text order, with ``report_n`` (the report's
        position in that order), ``themes`` and ``causes`` (``;``-joined ids, empty for an item not coded) and
        ``evidence`` (a list of ``(scheme, category, keywords)``, best first).
    """
    if reports is None:
        items = study.items()
        coded, evidence = study.coded()
    else:
        items, coded, evidence = (study.store.table(name, reports=reports) for name in ("items", "coded", "evidence"))
    keys = ["report_id", "part_seq", "item_seq"]
    order = {rid: n for n, rid in enumerate(study.order)}
    items = items.assign(report_n=items["report_id"].map(order))
    items = items[items["report_n"].notna() & items["item_seq"].notna()].astype({"report_n": "int64"})
    items = items.sort_values(["report_n", "start", "end"], kind="stable").reset_index(drop=True)
    items = _with_codes(items, coded)
    found: dict[tuple, list[tuple[str, str, str]]] = {}
    if not evidence.empty:
        ranked = evidence.sort_values([*keys, "scheme", "score"], ascending=[True, True, True, False, False],
                                      kind="stable")
        columns = _lists(ranked, [*keys, "scheme", "category", "keywords"])
        for rid, part_seq, item_seq, scheme, category, keywords in zip(*columns):
            found.setdefault((rid, part_seq, item_seq), []).append((scheme, category, keywords))
    items["evidence"] = [found.get(k, []) for k in zip(*_lists(items, keys))]
    return items


def _with_codes(items: pd.DataFrame, coded: pd.DataFrame) -> pd.DataFrame:
    """``items`` with the coder's ``themes`` and ``causes`` (``;``-joined ids, empty for an item not coded)."""
    keys = ["report_id", "part_seq", "item_seq"]
    if coded.empty:
        return items.assign(themes="", causes="")
    items = items.merge(coded[[*keys, "themes", "causes"]], on=keys, how="left", validate="one_to_one")
    items[["themes", "causes"]] = items[["themes", "causes"]].fillna("")
    return items


def _lists(frame: pd.DataFrame, columns: list[str]) -> list[list]:
    """Columns as plain Python lists (iterating Arrow-backed columns value by value is ~100× slower)."""
    out = []
    for column in columns:
        values = frame[column].to_numpy(dtype=object).tolist()
        if pd.api.types.is_integer_dtype(frame[column].dtype):
            values = [int(v) for v in values]
        out.append(values)
    return out


def _categories(items: pd.DataFrame) -> tuple[list[list[str]], list[list[str]]]:
    """``[id, label]`` of every theme and cause, codebook order first, then any other id the store holds."""
    from helpers.themes import default_codebooks

    themes_book, causes_book = default_codebooks()
    out = []
    for book, column in ((themes_book, "themes"), (causes_book, "causes")):
        labels = book.labels
        seen = {c for value in items[column].unique() for c in str(value).split(";") if c}
        ids = [c for c in labels if c in seen] + sorted(seen - set(labels))
        out.append([[c, labels.get(c, c)] for c in ids])
    return out[0], out[1]


def _page_maker(nav: str, font_text: str) -> Callable[[str, str, Iterable[str]], str]:
    """Pages in the site's look (:func:`helpers.site.page_html`): its nav, fonts covering ``font_text``, footer."""
    from helpers.site import page_html

    def page(title: str, body: str, scripts: Iterable[str]) -> str:
        tags = "".join(f'<script src="{html.escape(s)}"></script>' for s in scripts)
        return page_html(title, f"{body}\n{tags}", nav, head_extra=f"<style>{_STYLE}</style>", font_text=font_text)

    return page


#: The explorer's entry in the site's navigation (:func:`helpers.site.site_nav`).
ITEMS_LINK = ("items.html", "Items")
#: The explorer's pages in a site without notebooks (tests, the benchmark): the index and the items page.
DEFAULT_NAV = '<a href="index.html">Index</a><a href="items.html">Items</a>'

_STYLE = """
#items{width:100%} #items td{white-space:normal} th{background:#f5f5f5} th.sort{cursor:pointer;white-space:nowrap}
th.sort:hover{background:#e8e8e8}
th[aria-sort=ascending]::after{content:" ▲"} th[aria-sort=descending]::after{content:" ▼"}
td.num{text-align:right;font-variant-numeric:tabular-nums} .theme{display:inline-block;margin:0 .3rem .15rem 0}
.theme b{font-weight:500} .ev{color:#555} .cause{color:#8a3b00}
.filters{display:flex;flex-wrap:wrap;gap:.4rem 1rem;font-size:.85rem;align-items:end} .filters label{display:flex;
flex-direction:column} .filters input,.filters select{font:inherit;max-width:16rem}
.pager{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;font-size:.85rem;margin:.5rem 0} .pager button{font:inherit}
#status{color:#555;font-size:.85rem;min-height:1.3em} .error{color:#b00020}
.report{white-space:pre-wrap;font-size:.95rem} .part{border-left:3px solid #ddd;padding-left:.8rem;margin:1rem 0}
.part h2{font-size:1rem;margin:.2rem 0;color:#555;white-space:normal} .item:target,.item.hit{background:#fff2a8;
outline:2px solid #e0b400} .meta{color:#555;font-size:.9rem}
@media (max-width:600px){.hide-narrow{display:none} #items thead tr{display:flex;flex-wrap:wrap;gap:.3rem}
#items thead th{border:1px solid #ddd} #items th:not(.sort){display:none} #items tbody tr{display:block;border-top:1px solid
#bbb;padding:.4rem 0} #items tbody td{display:block;border:none;padding:.05rem 0} #items tbody td.num{text-align:left}
#items tbody td.num:first-child::before{content:"# "} #items tbody td.num:last-child::after{content:" chars"}}
"""


def _chunk_rows(columns: list[list], theme_ix: dict[str, int], cause_ix: dict[str, int], part_ix: dict[str, int],
                kind_ix: dict[str, int]) -> list[list]:
    """The rows of one chunk (see :func:`write_explorer` for the columns) as JSON-ready lists."""
    out = []
    for n, part_seq, item_seq, part, kind, marker, assigned, caused, evidence, start, end, text in zip(*columns):
        themes = [[theme_ix[c], kw] for scheme, c, kw in evidence if scheme == "theme" and c in theme_ix]
        causes = [[cause_ix[c], kw] for scheme, c, kw in evidence if scheme == "cause" and c in cause_ix]
        # a category assigned without an evidence row (none today) still shows, with no keywords
        themes += [[theme_ix[c], ""] for c in assigned.split(";") if c and theme_ix[c] not in {t for t, _ in themes}]
        causes += [[cause_ix[c], ""] for c in caused.split(";") if c and cause_ix[c] not in {t for t, _ in causes}]
        out.append([n, part_seq, item_seq, part_ix[part], kind_ix[kind], marker or "", themes, causes, start, end,
                    text])
    return out


#: Reports whose items are read and written at once (:func:`write_explorer`).
SLICE_REPORTS = 2000


def _present(study: Study) -> tuple[list[list[str]], list[list[str]], list[str], list[str]]:
    """The themes and causes (:func:`_categories`), parts and item kinds of the items shown, read without text."""
    items = study.items(columns=["part_seq", "item_seq", "part", "item_kind"])
    items = items[items["report_id"].isin(set(study.order)) & items["item_seq"].notna()]
    items = _with_codes(items, study.store.table("coded", columns=["part_seq", "item_seq", "themes", "causes"]))
    themes, causes = _categories(items)
    present = set(items["part"].unique())
    parts = [p for p in study.part_names if p in present] + sorted(present - set(study.part_names))
    kinds = [*KINDS, *sorted(set(items["item_kind"].unique()) - set(KINDS))]
    return themes, causes, parts, kinds


def write_explorer(study: Study, site: Path | str, nav: str = DEFAULT_NAV, reports: int = SLICE_REPORTS) -> Path:
    """Write the items explorer (``items.html``, ``report.html`` and ``explore/``) into a site folder.

    Args:
        study: the opened study whose items are shown (one genre: :func:`helpers.context.load_study`).
        site: the site folder (created); an earlier explorer there is replaced.
        nav: the site's navigation (:func:`helpers.site.site_nav` with an ``("items.html", "Items")`` entry).
        reports: reports whose items, texts and evidence are read and written at once (the files are the same
            whatever it is).

    Returns:
        The items page.
    """
    site = Path(site)
    data = site / DATA
    shutil.rmtree(data, ignore_errors=True)
    (data / "rows").mkdir(parents=True)
    (data / "reports").mkdir()
    themes, causes, parts, kinds = _present(study)
    theme_ix = {c: k for k, (c, _) in enumerate(themes)}
    cause_ix = {c: k for k, (c, _) in enumerate(causes)}
    part_ix = {p: k for k, p in enumerate(parts)}
    kind_ix = {k: n for n, k in enumerate(kinds)}
    labels = study.labels
    names = ["report_n", "part_seq", "item_seq", "part", "item_kind", "marker", "themes", "causes", "evidence", "start",
             "end", "text", "report_id"]
    pending: list[list] = [[] for _ in names]  # rows not yet in a chunk (fewer than CHUNK_ROWS once a slice is done)
    index: dict[str, list[str]] = {"part": [], "kind": [], "themes": [], "causes": []}  # a string a report
    lengths = array("q")  # each item's characters
    counts: dict[int, int] = {}
    chars: set[str] = set()
    n_rows = k = 0

    def write_chunk(rows: int) -> None:
        nonlocal k
        columns = [c[:rows] for c in pending]
        for c in pending:
            del c[:rows]
        named = {n: [rid, labels.get(rid, rid)] for n, rid in zip(columns[0], columns[-1])}
        body = {"reports": named, "rows": _chunk_rows(columns[:-1], theme_ix, cause_ix, part_ix, kind_ix)}
        (data / "rows" / f"c{k:05d}.js").write_text(_js("EXPLORE.chunk", k, body), encoding="utf-8")
        k += 1

    # a slice of reports at a time, in the store's order (a slice is read from its own batch files): every item's
    # text and evidence at once held 2.2 GB at 2·10⁴ reports, slices of 5 000 in display order (each read from every
    # batch file) 0.99 GB. Each report's rows are spilled to a file of the slice, then taken back in display order
    # for the chunks and the index.
    order = list(study.order)
    position = {rid: n for n, rid in enumerate(order)}
    stored = [rid for rid in study.store.metadata()["report_id"] if rid in position]
    spilled: list[tuple[int, int, int] | None] = [None] * len(order)  # a report's (spill file, offset, length)
    step = max(reports, 1)
    with tempfile.TemporaryDirectory(prefix=".explorer-", dir=site) as spill:
        for s, at in enumerate(range(0, len(stored), step)):
            chosen = sorted(stored[at:at + step], key=position.__getitem__)
            rows = item_rows(study, chosen)
            chars |= _write_reports(study, data / "reports", rows, [position[rid] for rid in chosen], chosen)
            columns = _lists(rows, names)
            numbers = rows["report_n"].to_numpy(dtype="int64")
            bounds = np.flatnonzero(np.diff(numbers, prepend=-1, append=len(order)))  # where each report's rows start
            with open(Path(spill) / f"s{s}.pickle", "wb") as out:
                for i0, i1 in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
                    blob = pickle.dumps([c[i0:i1] for c in columns], protocol=pickle.HIGHEST_PROTOCOL)
                    spilled[int(numbers[i0])] = (s, out.tell(), len(blob))
                    out.write(blob)
            del rows, columns
        files = [open(path, "rb") for path in sorted(Path(spill).glob("s*.pickle"), key=lambda p: int(p.stem[1:]))]
        try:
            for n, where in enumerate(spilled):
                if where is None:
                    continue
                files[where[0]].seek(where[1])
                columns = pickle.loads(files[where[0]].read(where[2]))
                n_rows += len(columns[0])
                counts[n] = len(columns[0])
                part, kind, assigned, caused, start, end = (columns[i] for i in (3, 4, 6, 7, 9, 10))
                index["part"].append("".join(_code(part_ix[p]) for p in part))
                index["kind"].append("".join(_code(kind_ix[k]) for k in kind))
                # a report's codes joined at once: a string per item held ~0.1 GB at 2·10⁴ reports
                index["themes"].append(",".join("".join(_code(theme_ix[c]) for c in v.split(";") if c) for v in assigned))
                index["causes"].append(",".join("".join(_code(cause_ix[c]) for c in v.split(";") if c) for v in caused))
                lengths.extend(b - a for a, b in zip(start, end))
                for held, new in zip(pending, columns):
                    held += new
                while len(pending[0]) >= CHUNK_ROWS:
                    write_chunk(CHUNK_ROWS)
        finally:
            for handle in files:
                handle.close()
    if pending[0] or k == 0:
        write_chunk(len(pending[0]))
    n_chunks = k
    reports_row = [[rid, labels.get(rid, rid), int(counts.get(n, 0))] for n, rid in enumerate(order)]
    (data / "index.js").write_text(_js("EXPLORE.index", {
        "reports": reports_row, "part": "".join(index["part"]), "kind": "".join(index["kind"]),
        "themes": ",".join(index["themes"]), "causes": ",".join(index["causes"]),
        "chars": lengths.tolist()}),
        encoding="utf-8")
    meta = {"rows": n_rows, "chunk_rows": CHUNK_ROWS, "chunks": n_chunks, "reports": len(study.order),
            "shown_chars": SHOWN_CHARS, "parts": [[p, study.part_names.get(p, p)] for p in parts], "kinds": kinds,
            "codes": _CODES, "themes": themes, "causes": causes, "caption": study.caption, "genre": study.genre}
    (data / "meta.js").write_text(_js("EXPLORE.meta", meta), encoding="utf-8")
    chars.update(_UI_TEXT)
    chars.update(c for c in _ITEMS_JS + _REPORT_JS if ord(c) > 0x7E)  # what the scripts write: "…", "▲" …
    for value in (labels.values(), (label for _, label in themes + causes), study.part_names.values()):
        chars.update("".join(value))
    chars.update(study.caption)
    items_body = _ITEMS_BODY.format(rows=_count(n_rows, "item"), reports=_count(len(study.order), "report"),
                                    caption=html.escape(study.caption))
    pages = {"report.html": ("Report · 报告", _REPORT_BODY, f"{DATA}/report.js"),
             "items.html": (_TITLE, items_body, f"{DATA}/items.js")}
    for heading, text, script in pages.values():  # both pages' own text too: their fonts are the same, cut once
        chars.update(html.unescape(heading + text + script))
    page = _page_maker(nav, "".join(sorted(chars)))
    (data / "items.js").write_text(_ITEMS_JS, encoding="utf-8")
    (data / "report.js").write_text(_REPORT_JS, encoding="utf-8")
    for name, (heading, text, script) in pages.items():
        (site / name).write_text(page(heading, text, [script]), encoding="utf-8")
    return site / "items.html"


def write_site_explorer(site: Path | str, corpus_dir: Path | str | None = None, store_dir: Path | str | None = None,
                        nav: str = DEFAULT_NAV) -> tuple[Path | None, str]:
    """Write the explorer of the bundled corpus (or ``corpus_dir``) into ``site``; what ``python -m helpers site`` does.

    The site's pages come from executed notebooks and need no store; the explorer reads the store. Without a
    current one the site is still written, and the line returned says why the explorer is not, and what to run.

    Returns:
        The items page (None when not written) and one line for the terminal: where it was written, or why not.
    """
    from helpers.context import load_study
    from helpers.errors import StudyError
    from helpers.paths import relative

    try:
        study = load_study(corpus_dir, store_dir=store_dir)
    except StudyError as exc:
        return None, f"items explorer not written: {exc}"
    page = write_explorer(study, site, nav)
    return page, f"items explorer written: {relative(page)} ({_count(len(study.order), 'report')})"


def _write_reports(study: Study, folder: Path, rows: pd.DataFrame, positions: Sequence[int],
                   chosen: Sequence[str]) -> set[str]:
    """One ``r<n>.js`` per report of ``chosen``: its normalised text, parts and items; the characters they use.

    ``chosen`` are study reports at display ``positions`` (ascending: ``n`` of ``r<n>.js``); ``rows`` their items
    (:func:`item_rows`).
    """
    seen = np.zeros(0x110000, dtype=bool)  # the code points the texts use (a set updated char by char: 4 s at 10⁴)
    order = dict(zip(chosen, positions))
    texts = study.store.table("texts", columns=["text"], reports=chosen)
    text_of = dict(zip(texts["report_id"], texts["text"]))
    del texts
    parts = study.store.table("parts", reports=chosen)
    parts = parts.assign(report_n=parts["report_id"].map(order)).dropna(subset=["report_n"])
    parts = parts.sort_values(["report_n", "start"], kind="stable")
    part_cols = _lists(parts, ["part", "part_seq", "heading", "start", "end"])
    numbers = np.asarray(positions, dtype="int64")
    part_n = parts["report_n"].to_numpy(dtype="int64")
    part_bounds = np.searchsorted(part_n, numbers), np.searchsorted(part_n, numbers, side="right")
    item_cols = _lists(rows, ["part_seq", "item_seq", "start", "end"])
    item_n = rows["report_n"].to_numpy(dtype="int64")
    item_bounds = np.searchsorted(item_n, numbers), np.searchsorted(item_n, numbers, side="right")
    names = study.part_names
    for m, (rid, n) in enumerate(zip(chosen, positions)):
        text = str(text_of.get(rid, ""))
        seen[np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)] = True
        p0, p1 = int(part_bounds[0][m]), int(part_bounds[1][m])
        i0, i1 = int(item_bounds[0][m]), int(item_bounds[1][m])
        body = {"id": rid, "label": study.labels.get(rid, rid), "text": text,
                "parts": [[part, names.get(part, part), int(seq), str(heading), int(start), int(end)]
                          for part, seq, heading, start, end in zip(*(c[p0:p1] for c in part_cols))],
                "items": [list(values) for values in zip(*(c[i0:i1] for c in item_cols))]}
        (folder / f"r{n:05d}.js").write_text(_js("EXPLORE.report", body), encoding="utf-8")
    return {chr(c) for c in np.flatnonzero(seen)}


_UI_TEXT = "条目报告部分主题原文字数证据全部无搜索第页共上一下一不足原因举措"

_ITEMS_BODY = """<h1>Items · 条目</h1>
<p class="meta">{rows} of {reports}, one row each: click a column's head to sort, filter below, and
follow a row's link to read the item in its report. Themes are the coder's (keywords found, best first), as in
notebooks 03 and 04; leads (a part's opening lines, kind <code>lead</code>) are listed too, but the notebooks'
counts of items with and without a theme leave them out. {caption}</p>
<form class="filters" id="filters" onsubmit="return false">
<label>Report 报告<input id="f-report" type="search" placeholder="name, province, year"></label>
<label>Part 部分<select id="f-part"><option value="">all</option></select></label>
<label>Theme 主题<select id="f-theme"><option value="">all</option><option value="-">(none)</option></select></label>
<label>Kind<select id="f-kind"><option value="">all</option></select></label>
<label>Text 原文<input id="f-text" type="search" placeholder="words of the item"></label>
<label>Rows<select id="f-size"><option>25</option><option selected>50</option><option>100</option></select></label>
</form>
<div id="status" role="status"></div>
<div class="pager"><button id="prev" type="button">‹ Previous</button><span id="where"></span>
<button id="next" type="button">Next ›</button></div>
<table id="items"><thead><tr><th class="sort num" data-col="row">#</th><th class="sort" data-col="report">Report 报告</th>
<th class="sort" data-col="part">Part 部分</th><th class="hide-narrow">Item</th>
<th class="sort" data-col="themes">Themes 主题 (evidence)</th><th>Text 原文</th>
<th class="sort num" data-col="chars">Chars</th></tr></thead><tbody></tbody></table>
<noscript>The table needs JavaScript; the data are in explore/rows/.</noscript>"""

_REPORT_BODY = """<h1 id="title">Report · 报告</h1>
<p class="meta" id="about"></p>
<div id="status" role="status"></div>
<div class="report" id="report"></div>"""

_ITEMS_JS = r"""'use strict';
// The items table: pages of rows from explore/rows/c*.js, sort and facet filters from explore/index.js,
// the text filter over every chunk. Data files call EXPLORE.*: a <script src> works from file://, where fetch and
// XHR of local files are refused.
var EXPLORE = (function () {
  var meta = null, index = null, chunks = {}, waiting = {};
  var state = {sort: 'row', dir: 1, report: '', part: '', theme: '', kind: '', text: '', page: 0, size: 50};
  var view = null, viewKey = null, busy = 0;
  function $(id) { return document.getElementById(id); }
  function load(src, key) {
    if (waiting[key]) return waiting[key].promise;
    var entry = {};
    entry.promise = new Promise(function (resolve, reject) {
      entry.resolve = resolve;
      var s = document.createElement('script');
      s.src = src;
      s.onerror = function () { reject(new Error('could not load ' + src + ' (is the site folder complete?)')); };
      document.body.appendChild(s);
    });
    waiting[key] = entry;
    return entry.promise;
  }
  function pad(k) { return ('0000' + k).slice(-5); }
  function chunk(k) { return chunks[k] ? Promise.resolve(chunks[k]) : load('explore/rows/c' + pad(k) + '.js', 'c' + k); }
  function loadIndex() { return index ? Promise.resolve(index) : load('explore/index.js', 'index'); }
  function code(c) { var i = meta.codes.indexOf(c); return i >= 0 ? i : c.charCodeAt(0) - 0x100; }
  function say(text, error) { var s = $('status'); s.textContent = text; s.className = error ? 'error' : ''; }
  function el(tag, text, cls) {
    var e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e;
  }
  function readHash() {
    var h = location.hash.slice(1);
    if (!h) return;
    h.split('&').forEach(function (kv) {
      var p = kv.split('='), k = decodeURIComponent(p[0]), v = decodeURIComponent(p[1] || '');
      if (k in state) state[k] = (k === 'page' || k === 'size' || k === 'dir') ? parseInt(v, 10) || 0 : v;
    });
    if (state.size <= 0) state.size = 50;
    if (state.dir !== -1) state.dir = 1;
  }
  function writeHash() {
    var parts = [];
    ['sort', 'dir', 'report', 'part', 'theme', 'kind', 'text', 'page', 'size'].forEach(function (k) {
      var d = {sort: 'row', dir: 1, page: 0, size: 50}[k];
      if (state[k] !== (d === undefined ? '' : d)) parts.push(k + '=' + encodeURIComponent(state[k]));
    });
    history.replaceState(null, '', parts.length ? '#' + parts.join('&') : location.pathname + location.search);
  }
  function needsIndex() { return state.sort !== 'row' || state.report || state.part || state.theme || state.kind || state.text; }
  function key() { return [state.sort, state.dir, state.report, state.part, state.theme, state.kind, state.text].join('\u0001'); }
  // The row ids shown, in order: null means every row in corpus order (no index needed).
  function computeView() {
    if (!needsIndex()) return Promise.resolve(null);
    return loadIndex().then(function () {
      var n = meta.rows, ids = [], i;
      var part = state.part === '' ? -1 : meta.parts.findIndex(function (p) { return p[0] === state.part; });
      var kind = state.kind === '' ? -1 : meta.kinds.indexOf(state.kind);
      var theme = state.theme === '' || state.theme === '-' ? null : meta.codes.charAt(meta.themes.findIndex(
        function (t) { return t[0] === state.theme; }));
      var q = state.report.trim().toLowerCase(), keep = null;
      if (q) keep = index.reports.map(function (r) { return (r[0] + ' ' + r[1]).toLowerCase().indexOf(q) >= 0; });
      for (i = 0; i < n; i++) {
        if (part >= 0 && code(index.part.charAt(i)) !== part) continue;
        if (kind >= 0 && code(index.kind.charAt(i)) !== kind) continue;
        if (state.theme === '-' && index.themes[i] !== '') continue;
        if (theme !== null && index.themes[i].indexOf(theme) < 0) continue;
        if (keep && !keep[index.report[i]]) continue;
        ids.push(i);
      }
      var text = state.text.trim();
      var done = text ? everyChunk().then(function () {
        return ids.filter(function (i) { return rowOf(i)[10].indexOf(text) >= 0; });
      }) : Promise.resolve(ids);
      return done.then(function (ids) { return sorted(ids); });
    });
  }
  function sorted(ids) {
    var d = state.dir, by = {
      row: function (i) { return i; },
      report: function (i) { return index.report[i]; },
      part: function (i) { return code(index.part.charAt(i)); },
      themes: function (i) { var t = index.themes[i]; return t ? code(t.charAt(0)) : 1e9; },
      chars: function (i) { return index.chars[i]; }
    }[state.sort] || function (i) { return i; };
    var keys = new Float64Array(meta.rows);
    ids.forEach(function (i) { keys[i] = by(i); });
    return ids.sort(function (a, b) { return (keys[a] - keys[b]) * d || a - b; });
  }
  function everyChunk() {
    var next = 0, loaded = 0, total = meta.chunks;
    function worker() {
      if (next >= total) return Promise.resolve();
      var k = next++;
      return chunk(k).then(function () {
        loaded++;
        if (loaded % 20 === 0) say('Searching the text … ' + loaded + ' of ' + total + ' chunks');
        return worker();
      });
    }
    var pool = [];
    for (var w = 0; w < 6; w++) pool.push(worker());
    return Promise.all(pool);
  }
  function rowOf(i) { return chunks[Math.floor(i / meta.chunk_rows)].rows[i % meta.chunk_rows]; }
  function reportOf(i) { var c = chunks[Math.floor(i / meta.chunk_rows)], r = rowOf(i); return c.reports[r[0]]; }
  function render() {
    busy++;
    var mine = busy;
    var k = key();
    var ready = (viewKey === k) ? Promise.resolve(view) : computeView().then(function (v) { view = v; viewKey = k; return v; });
    if (needsIndex()) say('Sorting and filtering …');
    return ready.then(function (v) {
      var total = v ? v.length : meta.rows, pages = Math.max(1, Math.ceil(total / state.size));
      if (state.page >= pages) state.page = pages - 1;
      if (state.page < 0) state.page = 0;
      var first = state.page * state.size, ids = [];
      for (var j = first; j < Math.min(total, first + state.size); j++) ids.push(v ? v[j] : j);
      var need = {};
      ids.forEach(function (i) { need[Math.floor(i / meta.chunk_rows)] = true; });
      return Promise.all(Object.keys(need).map(function (c) { return chunk(+c); })).then(function () {
        if (mine !== busy) return;
        draw(ids);
        $('where').textContent = total ? 'rows ' + (first + 1).toLocaleString() + '–' + (first + ids.length).toLocaleString()
          + ' of ' + total.toLocaleString() + (total < meta.rows ? ' (filtered from ' + meta.rows.toLocaleString() + ')' : '')
          + ' · page ' + (state.page + 1) + ' of ' + pages : 'no item matches';
        $('prev').disabled = state.page === 0; $('next').disabled = state.page >= pages - 1;
        say('');
        writeHash();
        document.querySelectorAll('th.sort').forEach(function (th) {
          th.setAttribute('aria-sort', th.dataset.col === state.sort ? (state.dir > 0 ? 'ascending' : 'descending') : 'none');
        });
      });
    }).catch(function (e) { say(String(e.message || e), true); });
  }
  function draw(ids) {
    var body = document.querySelector('#items tbody'), frag = document.createDocumentFragment();
    ids.forEach(function (i) {
      var r = rowOf(i), rep = reportOf(i), tr = el('tr');
      tr.dataset.row = i;
      tr.appendChild(el('td', String(i + 1), 'num'));
      var td = el('td'), a = el('a', rep[1]);
      a.href = 'report.html?id=' + encodeURIComponent(rep[0]) + '&r=' + r[0] + '#item-' + r[1] + '-' + r[2];
      a.title = rep[0];
      td.appendChild(a); tr.appendChild(td);
      tr.appendChild(el('td', meta.parts[r[3]][1]));
      tr.appendChild(el('td', (r[5] || meta.kinds[r[4]] || '') + ' ', 'hide-narrow'));
      var th = el('td');
      r[6].forEach(function (t) {
        var s = el('span', undefined, 'theme'); s.appendChild(el('b', meta.themes[t[0]][1]));
        if (t[1]) s.appendChild(el('span', ' ' + t[1], 'ev'));
        th.appendChild(s);
      });
      r[7].forEach(function (t) {
        var s = el('span', undefined, 'theme cause'); s.appendChild(el('b', '原因: ' + meta.causes[t[0]][1]));
        if (t[1]) s.appendChild(el('span', ' ' + t[1], 'ev'));
        th.appendChild(s);
      });
      tr.appendChild(th);
      var text = r[10], shown = text.length > meta.shown_chars ? text.slice(0, meta.shown_chars) + ' …' : text;
      tr.appendChild(el('td', shown, 'text'));
      tr.appendChild(el('td', String(r[9] - r[8]), 'num'));
      frag.appendChild(tr);
    });
    body.replaceChildren(frag);
  }
  function start() {
    readHash();
    meta.parts.forEach(function (p) { $('f-part').appendChild(new Option(p[1] + ' (' + p[0] + ')', p[0])); });
    meta.themes.forEach(function (t) { $('f-theme').appendChild(new Option(t[1], t[0])); });
    meta.kinds.forEach(function (k) { $('f-kind').appendChild(new Option(k, k)); });
    var filters = [['f-report', 'report'], ['f-part', 'part'], ['f-theme', 'theme'], ['f-kind', 'kind'], ['f-text', 'text']];
    filters.forEach(function (f) {
      var input = $(f[0]), timer = null;
      input.value = state[f[1]];
      input.addEventListener(input.tagName === 'SELECT' ? 'change' : 'input', function () {
        clearTimeout(timer);
        var delay = input.tagName === 'SELECT' ? 0 : 250;  // typing: wait for a pause
        timer = setTimeout(function () { state[f[1]] = input.value; state.page = 0; render(); }, delay);
      });
    });
    $('f-size').value = String(state.size);
    $('f-size').addEventListener('change', function () {
      state.size = parseInt($('f-size').value, 10); state.page = 0; render();
    });
    $('prev').addEventListener('click', function () { state.page--; render(); });
    $('next').addEventListener('click', function () { state.page++; render(); });
    document.querySelectorAll('th.sort').forEach(function (th) {
      th.tabIndex = 0;
      function go() {
        state.dir = state.sort === th.dataset.col ? -state.dir : 1; state.sort = th.dataset.col; state.page = 0; render();
      }
      th.addEventListener('click', go);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } });
    });
    return render();
  }
  return {
    meta: function (m) { meta = m; if (waiting.meta) waiting.meta.resolve(m); },
    chunk: function (k, data) { chunks[k] = data; if (waiting['c' + k]) waiting['c' + k].resolve(data); },
    index: function (data) {
      index = data;
      // the report of every row, from the reports' item counts (rows are in report order)
      var report = new Int32Array(meta.rows), i = 0;
      data.reports.forEach(function (r, n) { for (var j = 0; j < r[2]; j++) report[i++] = n; });
      index.report = report;
      index.themes = data.themes.split(',');
      if (waiting.index) waiting.index.resolve(data);
    },
    boot: function () {
      return load('explore/meta.js', 'meta').then(start).catch(function (e) { say(String(e.message || e), true); });
    },
    ready: null
  };
})();
EXPLORE.ready = EXPLORE.boot();
"""

_REPORT_JS = r"""'use strict';
// One report's normalised text, part by part, with the item named in the URL's #item-<part_seq>-<item_seq> marked.
var EXPLORE = (function () {
  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e;
  }
  function mark() {
    document.querySelectorAll('.item.hit').forEach(function (e) { e.classList.remove('hit'); });
    var target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (target) { target.classList.add('hit'); target.scrollIntoView({block: 'center'}); }
    else if (location.hash) $('status').textContent = 'This report has no item ' + location.hash.slice(1) + '.';
  }
  function report(rep) {
    var params = new URLSearchParams(location.search);
    if (params.get('id') && params.get('id') !== rep.id) {
      $('status').textContent = 'report number ' + params.get('r') + ' is ' + rep.id + ', not ' + params.get('id');
      $('status').className = 'error';
      return;
    }
    document.title = rep.label + ' · 报告';
    $('title').textContent = rep.label;
    $('about').textContent = rep.id + ' · ' + rep.text.length.toLocaleString() + ' characters of normalised text, '
      + rep.items.length + ' items; the marked item is the one the table linked to.';
    var text = rep.text, root = $('report'), pos = 0, frag = document.createDocumentFragment();
    function plain(into, a, b) { if (b > a) into.appendChild(document.createTextNode(text.slice(a, b))); }
    rep.parts.forEach(function (p) {
      var start = Math.max(p[4], pos), end = p[5];
      plain(frag, pos, start);
      var section = el('section', undefined, 'part'), cursor = start;
      section.appendChild(el('h2', p[1] + ' · ' + p[0]));
      rep.items.forEach(function (it) {
        if (it[0] !== p[2] || it[2] < cursor || it[3] > end) return;
        plain(section, cursor, it[2]);
        var span = el('span', text.slice(it[2], it[3]), 'item');
        span.id = 'item-' + it[0] + '-' + it[1];
        section.appendChild(span);
        cursor = it[3];
      });
      plain(section, cursor, end);
      frag.appendChild(section);
      pos = Math.max(pos, end);
    });
    plain(frag, pos, text.length);
    root.replaceChildren(frag);
    mark();
  }
  window.addEventListener('hashchange', mark);
  function script(src) {
    var s = document.createElement('script');
    s.src = src;
    s.onerror = function () { $('status').textContent = 'could not load ' + src; $('status').className = 'error'; };
    document.body.appendChild(s);
  }
  function openReport(r) { script('explore/reports/r' + ('0000' + r).slice(-5) + '.js'); }
  var params = new URLSearchParams(location.search), r = params.get('r');
  if (r !== null && /^[0-9]+$/.test(r)) openReport(r);
  else if (params.get('id')) script('explore/index.js');  // ?id= alone: find the report's number in the index
  else $('status').textContent = 'No report named: open a report from the items table (items.html).';
  function index(data) {
    var n = data.reports.findIndex(function (rep) { return rep[0] === params.get('id'); });
    if (n >= 0) openReport(n);
    else { $('status').textContent = 'No report ' + params.get('id') + ' in this study.'; $('status').className = 'error'; }
  }
  return {report: report, index: index};
})();
"""
