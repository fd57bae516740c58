"""Tidy tables and the order-deviation summary, on small inline inputs."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from helpers import structure


def _parts(rows):
    return pd.DataFrame(rows, columns=["report_id", "part_seq", "part", "start", "end", "chars", "nested", "items"])


PARTS = _parts([
    ("a", 0, "preamble", 0, 10, 10, False, 0),
    ("a", 1, "measures", 10, 60, 50, False, 6),
    ("a", 2, "leadership", 60, 80, 20, True, 2),
    ("a", 3, "measures", 80, 90, 10, False, 1),
    ("a", 4, "shortcomings", 90, 100, 10, False, 1),
    ("b", 0, "measures", 0, 50, 50, False, 4),
    ("b", 1, "shortcomings", 50, 60, 10, False, 2),
    ("b", 2, "leadership", 60, 80, 20, False, 1),
    ("b", 3, "plans", 80, 100, 20, False, 2),
])


def test_order_deviations():
    expected = pd.DataFrame({
        "report_id": ["a", "b"],
        "observed_order": ["measures → leadership → measures → shortcomings", "measures → shortcomings → leadership → plans"],
        "missing": ["plans", ""],
        "out_of_order": ["leadership before shortcomings", ""],
        "nested": ["leadership", ""],
        "split": ["measures", ""],
        "follows_mandate": [False, True],
    })
    assert_frame_equal(structure.order_deviations(PARTS), expected)


def test_part_shares_sum_to_100_and_keep_every_part_column():
    shares = structure.part_shares(PARTS, ["b", "a"])
    assert list(shares.index) == ["b", "a"]
    assert list(shares.columns) == ["preamble", "measures", "shortcomings", "leadership", "plans", "other", "signoff"]
    assert shares.sum(axis=1).round(9).tolist() == [100.0, 100.0]
    assert shares.loc["a", "measures"] == 60.0


def test_items_per_part():
    counts = structure.items_per_part(PARTS)
    assert counts.loc["a"].tolist() == [7, 1, 2, 0, 0]
    assert counts.loc["b"].tolist() == [4, 2, 1, 2, 0]


def test_report_order_is_region_then_province(corpus):
    assert structure.report_order(corpus) == [
        "2024_tianjin_xiyuzhuang", "2025_hunan_damatou", "2024_shaanxi_xiaozhailu",
        "2024_jilin_dongsan", "2022_liaoning_huajia",
    ]


def test_tables_keep_offsets(corpus):
    parts = structure.parts_table(corpus)
    items = structure.items_table(corpus)
    by_id = {r.report_id: r for r in corpus}
    for row in parts.itertuples():
        assert by_id[row.report_id].normalised.to_raw(row.start, row.end) == (row.raw_start, row.raw_end)
    for row in items.itertuples():
        assert by_id[row.report_id].text[row.start : row.end] == row.text
    assert parts.groupby("report_id")["chars"].sum().to_dict() == {r.report_id: len(r.text) for r in corpus}


def test_load_study_gives_what_every_notebook_starts_from(corpus, tmp_path):
    from pandas.testing import assert_frame_equal

    from helpers.context import load_study
    from helpers.paths import RAW
    from helpers.store import build

    build(RAW, tmp_path / "store", workers=1)
    study = load_study(store_dir=tmp_path / "store")
    assert study.order == structure.report_order(corpus) == list(study.corpus["report_id"])
    assert_frame_equal(study.corpus, structure.corpus_table(corpus))
    assert set(study.labels) == set(study.order) and study.labels["2024_tianjin_xiyuzhuang"] == "西于庄街道（天津，2024）"
    assert "n = 5" in study.caption and "2022–2025" in study.caption


def test_load_study_refuses_a_store_that_is_not_of_the_corpus_as_it_is(corpus_copy, tmp_path):
    from helpers.context import load_study
    from helpers.errors import StudyError
    from helpers.store import build

    store = tmp_path / "store"
    with pytest.raises(StudyError, match="no build of .* here yet: run python -m helpers build --corpus"):
        load_study(corpus_copy, store_dir=store)
    build(corpus_copy, store, workers=1)
    load_study(corpus_copy, store_dir=store)
    with pytest.raises(StudyError, match="it was built from .*, not from"):
        load_study(store_dir=store)  # the bundled corpus, not the copy
    (corpus_copy / "extra.txt").write_text("关于2024年度法治政府建设情况的报告\n一、主要举措和成效\n", encoding="utf-8")
    with pytest.raises(StudyError, match="the corpus folder changed since it was built: run python -m helpers build"):
        load_study(corpus_copy, store_dir=store)
    build(corpus_copy, store, workers=1)
    assert len(load_study(corpus_copy, store_dir=store).order) == 6


def test_summary_figures_state_the_median_ratio_of_measure_to_shortcoming_items():
    # three reports with 1, 2 and 10 measure items per shortcoming item: median 2 (the mean would be 4.3)
    rows = []
    for report, (measures, shortcomings) in {"a": (2, 2), "b": (4, 2), "c": (30, 3)}.items():
        for seq, (part, items) in enumerate([("measures", measures), ("shortcomings", shortcomings),
                                             ("leadership", 1), ("plans", 1)]):
            rows.append({"report_id": report, "part_seq": seq, "part": part, "chars": 100, "items": items})
    parts = pd.DataFrame(rows)
    corpus = pd.DataFrame({"report_id": ["a", "b", "c"], "chars": [400, 400, 400]})
    deviations = pd.DataFrame({"missing": ["", "", ""], "follows_mandate": [True, True, True]})
    figures = structure.summary_figures(corpus, parts, deviations)
    assert figures["measure items per shortcoming item, median"] == 2.0
    assert figures["reports"] == 3 and figures["measures share, min %"] == 25.0


def test_regions_present_keep_the_bureaus_order_and_the_note_names_the_reports_without_one():
    corpus = pd.DataFrame({"report_id": ["a", "b", "c", "d"], "macro_region": ["西部", "东部", None, "西部"]})
    assert structure.regions_present(corpus) == ["东部", "西部"]
    assert structure.no_region_note(corpus) == "1 report(s) have no macro-region yet (add a province in reports.csv): c"
    assert structure.no_region_note(corpus.iloc[[0, 1]]) == ""


def test_present_keeps_the_wanted_order():
    frame = pd.DataFrame(columns=["plans", "measures"])
    assert structure.present(["measures", "shortcomings", "plans"], frame) == ["measures", "plans"]


def test_the_caption_carries_the_versions():
    corpus = pd.DataFrame({"report_id": ["a"], "report_year": ["2024"], "unit_level": ["街道"]})
    same = {"lexicon": "2026.11.0", "themes": "2026.11.0", "causes": "2026.11.0"}
    assert structure.source_caption(corpus, "t.csv", same).endswith(
        "n is small: comparisons between reports are anecdotal. Lexicon 2026.11.0, codebook 2026.11.0.")
    assert structure.version_line({**same, "causes": "2026.12.0"}) == \
        "Lexicon 2026.11.0, codebook 2026.11.0 (causes 2026.12.0)."
    assert "Lexicon" not in structure.source_caption(corpus, "t.csv")


def test_the_items_title_never_prints_nan():
    assert structure.items_title(pd.Series({"measure items per shortcoming item, median": 4.0})) == \
        "Reports list 4.0 measure items per shortcoming item (median)"
    assert "nan" not in structure.items_title(pd.Series({"measure items per shortcoming item, median": float("nan")}))


# Found by the mutation run of docs/mutation.md.


def test_order_deviations_fold_repeats_only_between_neighbours():
    # measures → shortcomings → measures: the first part is kept although the last is the same label
    parts = _parts([("c", 0, "measures", 0, 10, 10, False, 1), ("c", 1, "shortcomings", 10, 20, 10, False, 1),
                    ("c", 2, "measures", 20, 30, 10, False, 1)])
    row = structure.order_deviations(parts).iloc[0]
    assert row["observed_order"] == "measures → shortcomings → measures"
    assert row["split"] == "measures" and row["missing"] == "leadership, plans" and not row["follows_mandate"]


def test_order_deviations_follows_mandate_needs_every_check_to_pass():
    # one deviation at a time: each alone makes follows_mandate False
    full = [("measures", False), ("shortcomings", False), ("leadership", False), ("plans", False)]
    cases = {
        "missing": full[:3],
        "out_of_order": [full[1], full[0], *full[2:]],
        "nested": [full[0], full[1], ("leadership", True), full[3]],
        "split": [*full, ("measures", False)],
    }
    for column, labels in cases.items():
        parts = _parts([("r", k, label, 10 * k, 10 * k + 10, 10, nested, 1) for k, (label, nested) in enumerate(labels)])
        row = structure.order_deviations(parts).iloc[0]
        assert row[column] != "" and not row["follows_mandate"], column
        assert [c for c in ("missing", "out_of_order", "nested", "split") if row[c]] == [column]


def test_order_deviations_list_several_findings_with_commas_and_follow_the_given_order():
    parts = _parts([("r", 0, "plans", 0, 10, 10, False, 1), ("r", 1, "shortcomings", 10, 20, 10, True, 1),
                    ("r", 2, "leadership", 20, 30, 10, True, 1), ("r", 3, "plans", 30, 40, 10, False, 1),
                    ("r", 4, "leadership", 40, 50, 10, False, 1), ("s", 0, "measures", 0, 10, 10, False, 1)])
    table = structure.order_deviations(parts, ["s", "r", "t"])  # t: a report without a part
    assert table["report_id"].tolist() == ["s", "r", "t"]
    row = table.iloc[1]
    assert row["missing"] == "measures"
    assert row["out_of_order"] == "plans before shortcomings, plans before leadership"
    assert row["nested"] == "shortcomings, leadership"  # in the mandated order, not the alphabet's
    assert row["split"] == "plans, leadership"
    assert table.iloc[2]["missing"] == "measures, shortcomings, leadership, plans" and table.iloc[2]["observed_order"] == ""


def test_metadata_order_without_region_or_province_columns():
    assert list(structure.metadata_order(pd.DataFrame({"report_id": ["b", "a"]}))) == ["a", "b"]
    both = pd.DataFrame({"report_id": ["z", "y", "x"], "macro_region": [None, "西部", "东部"], "province": ["A", None, "B"]})
    assert list(structure.metadata_order(both)) == ["x", "y", "z"]  # 东部, 西部, then no region
    assert list(structure.metadata_order(both.drop(columns="macro_region"))) == ["y", "z", "x"]  # "", A, B
    empty = structure.metadata_order(pd.DataFrame({"report_id": []}))
    assert empty.empty and empty.dtype == object


def test_part_shares_and_items_per_part_fill_absent_parts_with_zero():
    shares = structure.part_shares(PARTS)
    assert shares.loc["b", "preamble"] == 0.0 and shares.loc["a", "other"] == 0.0 and shares.loc["a", "signoff"] == 0.0
    assert shares.columns.name == "part"
    counts = structure.items_per_part(PARTS, ["b", "a"])
    assert list(counts.index) == ["b", "a"] and counts.columns.name == "part"
    assert list(counts.columns) == ["measures", "shortcomings", "leadership", "plans", "other"]


# Gaps named in the second mutation run of docs/mutation.md, closed with values worked out by hand.

#: A report small enough to segment by eye: a preamble (a lead only), measures (a lead and two numbered items),
#: shortcomings (one numbered item), leadership and plans (one paragraph each).
SMALL_REPORT = (
    "全年调解纠纷12件。\n"
    "一、主要举措和成效\n今年工作有序。\n（一）调解纠纷35件。\n（二）培训干部40人次。\n"
    "二、存在的不足\n（一）人员不足。\n"
    "三、党政主要负责人履行推进法治建设第一责任人职责情况\n加强领导。\n"
    "四、下一步工作打算\n继续努力。"
)


def _small_report():
    from helpers.corpus import report_from_raw
    from helpers.read import raw_from_text

    report = report_from_raw(raw_from_text(SMALL_REPORT, "t.csv row 2", "csv"), "r", {})
    assert report.text == SMALL_REPORT
    return report


def test_parts_table_counts_items_without_leads_and_shares_of_the_whole_text():
    headings = ["一、主要举措和成效", "二、存在的不足", "三、党政主要负责人履行推进法治建设第一责任人职责情况", "四、下一步工作打算"]
    bounds = [0, *(SMALL_REPORT.index(h) for h in headings), len(SMALL_REPORT)]
    assert bounds == [0, 11, 54, 71, 104, 119]  # counted by hand: 10 characters and a line break before 一、, …
    table = structure.parts_table([_small_report()])
    assert table["part"].tolist() == ["preamble", "measures", "shortcomings", "leadership", "plans"]
    assert table["part_seq"].tolist() == [0, 1, 2, 3, 4]
    assert table["start"].tolist() == bounds[:-1] and table["end"].tolist() == bounds[1:]
    assert table["chars"].tolist() == [11, 43, 17, 33, 15]
    assert table["share_pct"].tolist() == pytest.approx([100 * 11 / 119, 100 * 43 / 119, 100 * 17 / 119,
                                                         100 * 33 / 119, 100 * 15 / 119])
    assert table["share_pct"].round(2).tolist() == [9.24, 36.13, 14.29, 27.73, 12.61]
    # the preamble's lead and the measures' lead are not items; numbered items and paragraphs are
    assert table["items"].tolist() == [0, 2, 1, 1, 1]
    assert table["heading"].tolist() == ["", *headings] and table["heading_raw"].tolist() == ["", *headings]
    assert table["heading_rank"].tolist()[1:] == [1, 1, 1, 1] and pd.isna(table["heading_rank"].iloc[0])
    assert str(table["heading_rank"].dtype) == "Int64"
    assert table["raw_start"].tolist() == bounds[:-1] and table["raw_end"].tolist() == bounds[1:]


def test_summary_figures_every_figure_by_hand():
    # chars per part (preamble, measures, shortcomings, leadership, plans) and items (measures, shortcomings)
    reports = {
        "a": ([0, 200, 20, 50, 30], (7, 3)),  # shares 66.67, 6.67, 16.67, 10: shortcomings the smallest; ratio 2.33
        "b": ([0, 40, 31, 10, 21], (5, 0)),  # 39.22, 30.39, 9.80, 20.59 (of 102): leadership the smallest; no ratio
        "c": ([24, 50, 8, 10, 8], (8, 1)),  # 50, 8, 10, 8 (of 100): a tie, the first mandated wins; ratio 8
    }
    labels = ["preamble", "measures", "shortcomings", "leadership", "plans"]
    rows = []
    for report, (chars, (measures, shortcomings)) in reports.items():
        items = [0, measures, shortcomings, 1, 1]
        rows += [{"report_id": report, "part_seq": k, "part": label, "chars": n, "items": i}
                 for k, (label, n, i) in enumerate(zip(labels, chars, items)) if n]
    corpus = pd.DataFrame({"report_id": ["a", "b", "c"], "chars": [300, 102, 100]})
    deviations = pd.DataFrame({"missing": ["", "plans", ""], "follows_mandate": [True, False, False]})
    figures = structure.summary_figures(corpus, pd.DataFrame(rows), deviations)
    assert figures.to_dict() == {
        "reports": 3,
        "characters (normalised)": 502,
        "reports with all four mandated parts": 2,
        "reports that follow the mandated order": 1,
        "measures share, min %": 39.2,
        "measures share, max %": 66.7,
        "shortcomings share, min %": 6.7,
        "shortcomings share, max %": 30.4,
        "reports where shortcomings is the smallest mandated part": 2,
        "measure items per shortcoming item, median": 5.2,  # median of 7/3 and 8 (one shortcoming item); b has none
    }
    assert list(figures.index)[0] == "reports" and figures.dtype == object


def test_source_caption_whole_lines():
    corpus = pd.DataFrame({"report_id": ["a", "b", "c"], "report_year": ["2024", "2023", None],
                           "unit_level": ["街道", "区", None]})
    assert structure.source_caption(corpus, "t.csv") == (
        "Source: n = 3 annual 法治政府建设 reports (区、街道), reporting years 2023–2024; t.csv."
        " n is small: comparisons between reports are anecdotal.")
    thirty = pd.DataFrame({"report_id": [str(k) for k in range(30)], "report_year": [2024] * 30,
                           "unit_level": [""] * 30})
    assert structure.source_caption(thirty, "inferred from the text", genre="政府工作") == (
        "Source: n = 30 annual 政府工作 reports (levels unknown), reporting year 2024; inferred from the text.")
    undated = pd.DataFrame({"report_id": ["a"], "report_year": [""], "unit_level": ["县"]})
    versions = {"lexicon": "1.0", "themes": "2.0", "causes": "2.0"}
    assert structure.source_caption(undated, "s", versions) == (
        "Source: n = 1 annual 法治政府建设 reports (县), reporting year unknown; s."
        " n is small: comparisons between reports are anecdotal. Lexicon 1.0, codebook 2.0.")
    assert structure.source_caption(undated, "s", {}) == structure.source_caption(undated, "s")
    assert structure.version_line({}) == "Lexicon , codebook ."
    unreadable = pd.DataFrame({"report_id": ["a", "b"], "report_year": ["不详", "2022"], "unit_level": ["县", "县"]})
    assert "reporting year 2022;" in structure.source_caption(unreadable, "s")


def test_items_title_whole_lines():
    assert structure.items_title(pd.Series({"measure items per shortcoming item, median": 2.34})) == \
        "Reports list 2.3 measure items per shortcoming item (median)"
    assert structure.items_title(pd.Series({"measure items per shortcoming item, median": float("nan")})) == \
        "No report lists a shortcoming item: measures cannot be set against admissions here"


# The rest of the second mutation run's survivors (docs/mutation.md).


def test_no_region_note_joins_several_reports_with_commas():
    corpus = pd.DataFrame({"report_id": ["a", "b", "c"], "macro_region": [None, "东部", ""]})
    assert structure.no_region_note(corpus) == "2 report(s) have no macro-region yet (add a province in reports.csv): a, c"


def _two_reports():
    """b (placed: 东部, 2024) with two numbered measures, a with no metadata at all, b listed first.

    The year is text: an ``int`` here and none in a's ``meta`` would make a float column (see docs/mutation.md).
    """
    from helpers.corpus import report_from_raw
    from helpers.read import raw_from_text

    texts = {"b": "前言。\n一、主要举措和成效\n（一）开展培训。\n（二）调解纠纷。\n二、存在的不足\n（一）人员不足。",
             "a": "前言。\n一、主要举措和成效\n开展工作。\n二、存在的不足\n（一）人员不足。"}
    meta = {"b": {"unit": "某局", "unit_level": "县级", "province": "天津", "macro_region": "东部", "report_year": "2024",
                  "dated": "2024-12-31"}, "a": {}}
    reports = [report_from_raw(raw_from_text(texts[k], f"t.csv row {n}", "csv"), k, meta[k]) for n, k in ((2, "b"), (3, "a"))]
    assert [r.text for r in reports] == [texts["b"], texts["a"]]
    return reports


def test_corpus_table_and_report_order_of_reports_with_and_without_metadata():
    reports = _two_reports()
    assert structure.report_order(reports) == ["b", "a"]  # a report with no region comes last
    assert structure.report_order(reports[::-1]) == ["b", "a"]
    expected = pd.DataFrame({
        "report_id": ["b", "a"], "unit": ["某局", ""], "unit_level": ["县级", ""], "province": ["天津", ""],
        "macro_region": ["东部", ""], "report_year": pd.array([2024, None], dtype="Int64"), "dated": ["2024-12-31", ""],
        "encoding": ["csv", "csv"], "raw_chars": [48, 36], "chars": [48, 36],
    })
    assert_frame_equal(structure.corpus_table(reports[::-1]), expected)


def test_items_table_keeps_every_report_s_items():
    table = structure.items_table(_two_reports())
    assert table["report_id"].unique().tolist() == ["b", "a"]
    numbered = table[table["item_kind"] == "numbered"]
    assert numbered["report_id"].tolist() == ["b", "b", "b", "a"]
    assert numbered["number"].tolist() == [1, 2, 1, 1]
    assert [t.strip() for t in numbered["text"]] == ["（一）开展培训。", "（二）调解纠纷。", "（一）人员不足。", "（一）人员不足。"]
    assert {str(table[c].dtype) for c in ("parent_seq", "number")} == {"Int64"}
    assert {str(table[c].dtype) for c in ("part_seq", "item_seq", "level", "start", "end", "raw_start", "raw_end")} == {"int64"}
