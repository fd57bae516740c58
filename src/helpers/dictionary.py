"""The data dictionary: what every column of the study's tidy tables holds.

``docs/data_dictionary.md`` is written from here (``make docs``) and a test keeps the two equal, and keeps every
column of :data:`helpers.schemas.SCHEMAS` and :data:`helpers.metadata.COLUMNS` described here — a column added to a
table without a line here fails the test suite. Types come from the schemas, never retyped.
"""

from __future__ import annotations

from helpers.metadata import COLUMNS as METADATA_COLUMNS
from helpers.schemas import SCHEMAS

#: Offsets are character positions (Python string indices, end exclusive).
_OFFSETS = {
    "start": "first character, offset into the report's normalised text (`texts.text`)",
    "end": "one past the last character, offset into the normalised text",
    "raw_start": "first character, offset into the report's file as read (its decoded text, before normalisation)",
    "raw_end": "one past the last character, offset into the file as read",
}
#: Columns that mean the same in every table that has them.
_COMMON = {
    "key": "the report's sha256 (of its file's bytes, or of a table cell's UTF-8 text); the store's views "
           "(`Store.connect`) replace it by `report_id` and `report_order`",
    "part_seq": "the part's position in its report, from 0 (the preamble when there is one)",
    "part": "the part: `preamble`, `measures`, `shortcomings`, `leadership`, `plans`, `other` or `signoff` "
            "(README, *How a report is read*; helpers.segment)",
    "item_seq": "the item's position in its part, from 0 (a lead before the first numbered item is 0); empty for "
                "text in no item (a heading)",
    **_OFFSETS,
}

#: What each table is, one line.
TABLES = {
    "texts": "one row per report: its normalised text and how it was read",
    "parts": "one row per part of each report (the mandated contents, as the report names and orders them)",
    "items": "one row per item of each part: a numbered or titled unit, a paragraph, or the lead before them",
    "rawmap": "one row per run of each report's normalised text read from consecutive raw characters: the map "
              "from normalised to raw offsets (`Store.to_raw`), kept so that a span found later (a reused "
              "passage) is placed in the file without reading it again",
    "inferred": "one row per report: the metadata read from its own text (the draft of `reports.csv`)",
    "tokens": "one row per token of each report (white space and punctuation included: tokens tile the text)",
    "item_tokens": "one row per item: its content tokens, space-joined in text order (TF-IDF and NMF read these)",
    "terms": "one row per report × content token: how often the report uses it",
    "claims": "one row per quantitative claim (a number with a unit or classifier)",
    "citations": "one row per 《…》 title cited",
    "coded": "one row per item of the coded parts, with the themes (and, in `shortcomings`, causes) assigned",
    "evidence": "one row per item × assigned category: the keywords that gave it and where they are",
    "instruments": "one row per item of `measures` and `plans`, with the policy instruments assigned "
                   "(data/codebook/instruments.yaml, docs/coding_guide_instruments.md)",
    "instrument_evidence": "one row per item × assigned instrument × keyword match taken: what gave the instrument "
                           "and where",
    "reports.csv": "the metadata table: one row per report (given by the user, or the draft the study writes)",
    "compliance.csv": "one row per report: the compliance scorecard of notebook 05 — which contents the 2019 "
                      "规定 mandates it holds, issuer and date, the 1 April check, its shortcomings "
                      "(docs/compliance.md gives the rule behind each column)",
    "text_reuse_pairs.csv": "one row per pair of reports that share passages beyond boilerplate (notebook 05)",
    "text_reuse_passages.csv": "one row per passage two reports share, with its offsets on both sides in the "
                               "normalised texts and the files, boilerplate flagged",
    "text_reuse_boilerplate.csv": "one row per boilerplate passage (held by at least the threshold's reports): "
                                  "how many reports hold it, where it first stands",
    "text_reuse_by_part.csv": "one row per report × part: its characters found in another report, boilerplate and "
                              "pairwise apart",
    "text_reuse_plans_repeat.csv": "one row per report: the share of its plans repeating the same unit's report of "
                                   "the year before",
    "instruments.csv": "one row per measures and plans item: the policy instruments notebook 05 assigns it, with "
                       "the keywords that gave them and the item's offsets in the normalised text and the file",
}

#: Column → meaning, per table (a column of :data:`_COMMON` may be left out).
MEANINGS: dict[str, dict[str, str]] = {
    "texts": {
        "format": "how the report came: `txt`, `docx`, `pdf`, `html`, or a table's format (`csv`, `xlsx`, …)",
        "encoding": "how the text was decoded: `utf-8`, `utf-8-sig` or `gb18030` for a text or HTML file; the "
                    "format itself (`docx`, `pdf`, `csv` …) when the container gave the text",
        "raw_chars": "characters of the file as read",
        "chars": "characters of the normalised text",
        "text_sha256": "sha256 of the normalised text: two formats of one report share it",
        "note": "layout warnings met while reading (e.g. no part heading found); empty when none",
        "genre": "the kind of report, naming the profile its parts were read by (`data/profiles`): "
                 "`fazhi_report` (法治政府建设年度报告), `gov_work_report` (政府工作报告), or `unknown` (read as a "
                 "法治 report, with a warning)",
        "genre_evidence": "what gave the genre: `given` (reports.csv), `title`, `opening` (the first lines), "
                          "`cues` (the genre's words in the text) or `none`",
        "furniture_lines": "lines of web-page furniture dropped before segmenting (下载 / 打印 / 【字号… / "
                           "来源： / a photo caption; helpers.furniture)",
        "text": "the normalised text, in simplified characters (helpers.normalise: line ends, full-width forms "
                "and white space made regular, lines broken inside a sentence joined); every offset of the other "
                "tables points into it",
    },
    "rawmap": {
        "start": "the run's first character, offset into the normalised text; a last row at the text's length "
                 "closes the map",
        "raw_start": "where the run's first character starts in the file as read; each next character of the run "
                     "is one raw character further",
        "raw_end": "where the run's first character ends in the file as read (a run of several characters reads "
                   "one raw character each; a character folded from several, e.g. `\\r\\n`, is a run of its "
                   "own)",
    },
    "parts": {
        "heading": "the part's heading line, normalised; empty for a part that opens without one",
        "heading_raw": "the heading as written in the file",
        "heading_rank": "the outline rank of the heading's marker: 1 `一、`, 2 `（一）`, 3 `1.`, 4 `（1）`; empty "
                        "for an unnumbered heading",
        "nested": "the part was opened by a heading inside another part (`（二）存在的不足` under `一、`)",
        "chars": "characters of the part (`end - start`)",
        "share_pct": "the part's share of the report's characters, in percent",
        "items": "numbered, titled and paragraph items in the part (leads not counted)",
    },
    "items": {
        "item_kind": "`numbered` (opens with an outline marker), `titled` (opens with a short title sentence), "
                "`paragraph` (a part without numbering, read by paragraph) or `lead` (text before the first item)",
        "level": "depth in the outline: 0 for a lead, 1 for the part's top items, 2 and 3 for items under them",
        "parent_seq": "`item_seq` of the enclosing item, for an item under another; empty otherwise",
        "marker": "the outline marker as written (`（一）`, `1.`, `一是`); empty when none",
        "number": "the marker's number (`（三）` → 3); empty when none",
        "item_title": "the item's title without its marker (the first sentence of a titled item); empty when none",
        "text": "the item's text, marker and title included (`texts.text[start:end]`)",
    },
    "inferred": {
        "given_key": "fingerprint of the metadata given for the report when this row was inferred (a row is "
                     "inferred again when it changes)",
        "unit": "the publishing unit (`某某街道办事处`), from the title, preamble or sign-off",
        "unit_level": "`街道`, `乡镇`, `区县`, `地市`, `省级` or `部门`, from the unit's name",
        "province": "the province-level division (`陕西省`), from the place names of the unit, issuer, title or "
                    "text (docs/places.md)",
        "city": "the prefecture-level division (`西安市`); empty for a county-level city under its province",
        "district": "the county-level division (`雁塔区`)",
        "report_year": "the year reported on (four digits), from the title or text",
        "dated": "the date the report gives itself (`2024-01-12`), from the sign-off",
        "issuer": "the issuer named in the sign-off",
        "inferred": "the fields filled from the text, `;`-separated",
        "adcode": "the 6-digit administrative division code (行政区划代码) of the most specific place found",
        "place_note": "why a place was left empty or what was set aside (an ambiguous county name); empty when none",
        "macro_region": "`东部`, `中部`, `西部` or `东北`, from the province (helpers.regions)",
    },
    "tokens": {
        "token": "the token as it stands in the normalised text (`texts.text[start:end]`)",
        "token_kind": "`word` (holds a Han character or a letter), `number`, `space` or `punct`",
        "is_function": "a function word of the lexicon (的, 和, 以及 …; data/lexicon/stopwords_function.txt)",
        "is_filler": "a filler word of the genre (切实, 进一步, 扎实 …; stopwords_filler.txt): says how hard, not what",
        "is_marker": "a word that signals an admitted shortcoming (不足, 薄弱, 有待 …; shortcoming_markers.txt)",
        "category": "the lexicon's category of a multi-word term (data/lexicon/fazhi_terms.csv); empty otherwise",
        "content": "a content token: a word of two or more characters, neither function word nor filler",
    },
    "item_tokens": {
        "tokens": "the item's content tokens in text order, joined by single spaces",
    },
    "terms": {
        "token": "a content token of the report",
        "n": "how many times the report uses it",
        "first": "offset of its first occurrence in the normalised text",
        "token_kind": "as in `tokens`",
        "content": "as in `tokens` (always true here)",
        "category": "as in `tokens`",
        "is_function": "as in `tokens`",
        "is_filler": "as in `tokens`",
        "is_marker": "as in `tokens`",
    },
    "claims": {
        "value": "the number (Chinese numerals read; `万` multiplies); a count, an amount in the unit, or a percent",
        "unit": "the unit or classifier after the number (`件`, `场`, `人次`, `万元`, `%` …)",
        "qualifiers": "words of the clause that qualify the number (`累计`, `全年`, `近`, `超过` …), `、`-joined",
        "counted": "the clause before the number, qualifiers removed: the thing counted",
        "after": "the words right after the unit, up to the next break",
        "family": "the comparable indicator it belongs to (`mediation_cases`, `trainings` …; "
                  "helpers.indicators.FAMILIES); empty when none",
        "is_rate": "the unit is `%`",
        "is_100pct": "a rate of exactly 100 %",
        "raw_text": "the claim as written in the file (`raw_start:raw_end` of the file as read)",
    },
    "citations": {
        "title": "the title as written, inside 《》",
        "document": "the canonical document it names (data/lexicon/document_aliases.csv applied)",
        "document_kind": "`法律`, `党内法规`, `法规规章`, `规划纲要`, `媒体`, `书籍讲话`, `本单位制度` or `其他`, from how "
                "the title reads",
    },
    "coded": {
        "item_kind": "as in `items`",
        "chars": "characters of the item",
        "themes": "the themes assigned (data/codebook/themes.yaml ids, at most three, best first), `;`-joined; "
                  "empty when none reaches the threshold",
        "causes": "the causes assigned to a `shortcomings` item (causes.yaml ids), `;`-joined; empty elsewhere",
    },
    "evidence": {
        "scheme": "`theme` or `cause`",
        "category": "the category id",
        "score": "the category's score: the sum of its distinct keywords' weights, doubled for a keyword in the "
                 "item's title",
        "keywords": "the keywords found, `、`-joined, in order of first occurrence",
        "offsets": "where each match starts, `,`-joined offsets into the normalised text",
    },
    "instruments": {
        "item_kind": "as in `items`",
        "chars": "characters of the item",
        "instruments": "the sub-instruments assigned (data/codebook/instruments.yaml ids, at most three, best "
                       "first), `;`-joined; empty when none reaches the threshold",
        "instrument_types": "their types (`supply`, `environment`, `demand`, after Rothwell & Zegveld), `;`-joined "
                            "in that order",
    },
    "instrument_evidence": {
        "instrument": "the sub-instrument id",
        "instrument_type": "its type: `supply`, `environment` or `demand`",
        "score": "the sub-instrument's score for the item (as `evidence.score`)",
        "keyword": "one keyword match taken for it",
        "offset": "where the match starts, offset into the normalised text",
    },
    "reports.csv": {
        "report_id": "the report's id: the user's, or made from the file's name (letters, digits, ideographs)",
        "file": "the report's file, relative to the corpus folder (a row of a table of reports: `table.csv#row`)",
        "original_file": "the file's name as it was received (the bundled reports were renamed on the way in)",
        "unit": "as in `inferred`",
        "unit_level": "as in `inferred`",
        "province": "as in `inferred`",
        "city": "as in `inferred`",
        "district": "as in `inferred`",
        "macro_region": "as in `inferred`; filled from `province` when left empty",
        "report_year": "as in `inferred`",
        "dated": "as in `inferred`",
        "issuer": "as in `inferred`",
        "source": "where the report was found (a URL, or a note when none was recorded)",
        "received": "the date it was collected (`2026-11-23`)",
        "sha256": "sha256 of the file's bytes: `key` in the store's tables; loading checks it against the file",
    },
}

_TYPES = {"string": "text", "int64": "integer", "double": "float", "bool": "boolean"}


def _exported() -> dict[str, dict[str, tuple[str, str]]]:
    """The tables notebooks export to the processed folder: name → column → ``(type, meaning)``, kept by their modules."""
    from helpers import compliance, instruments, reuse  # (analysis modules: imported when asked, not by the store)

    tables = {"compliance.csv": compliance.COLUMNS, "instruments.csv": instruments.EXPORT_COLUMNS,
              **reuse.exported_columns()}
    return {name: {**columns, **VERSION_COLUMNS} for name, columns in tables.items()}


#: The columns :meth:`helpers.context.Study.stamped` adds last to every exported table: the versions it ran with.
VERSION_COLUMNS = {f"{name}_version": ("text", f"the version of the {what} the study ran with")
                   for name, what in (("lexicon", "lexicon"), ("themes", "theme codebook"), ("causes", "cause codebook"),
                                      ("instruments", "instrument codebook"))}


def columns(table: str) -> list[tuple[str, str]]:
    """``(column, type)`` of a table, in order, from its schema (``reports.csv`` is all text)."""
    if table == "reports.csv":
        return [(c, "text") for c in METADATA_COLUMNS]
    exported = _exported()
    if table in exported:
        return [(c, kind) for c, (kind, _) in exported[table].items()]
    return [(f.name, _TYPES[str(f.type)]) for f in SCHEMAS[table]]


def meaning(table: str, column: str) -> str:
    """What ``column`` of ``table`` holds ("" when it is not described)."""
    exported = _exported()
    if table in exported:
        return exported[table].get(column, ("", ""))[1] or _COMMON.get(column, "")
    return MEANINGS.get(table, {}).get(column) or _COMMON.get(column, "")


def problems() -> list[str]:
    """Columns without a description, and descriptions of columns no table has."""
    found = []
    for table in TABLES:
        names = [c for c, _ in columns(table)]
        found += [f"{table}.{c}: not described" for c in names if not meaning(table, c)]
        found += [f"{table}.{c}: described, but the table has no such column" for c in MEANINGS.get(table, {})
                  if c not in names]
    found += [f"{t}: a table of the store not in TABLES" for t in SCHEMAS if t not in TABLES]
    return found


def markdown() -> str:
    """The data dictionary as Markdown (what ``docs/data_dictionary.md`` holds)."""
    lines = ["# Data dictionary", "",
             "Generated from `src/helpers/dictionary.py` and the store's schemas by `make docs`; do not edit by hand.",
             "", "Offsets are character positions, end exclusive. Every table of the store is read through "
             "`helpers.store.Store` (`Store.connect()` gives DuckDB views, `Store.table(name)` a pandas frame); "
             "in the views `key` becomes `report_id` and `report_order`.", ""]
    for table, what in TABLES.items():
        lines += [f"## `{table}`", "", what[0].upper() + what[1:] + ".", "", "| column | type | meaning |",
                  "| --- | --- | --- |"]
        lines += [f"| `{c}` | {kind} | {meaning(table, c)} |" for c, kind in columns(table)]
        lines.append("")
    return "\n".join(lines)


__all__ = ["MEANINGS", "TABLES", "columns", "markdown", "meaning", "problems"]
