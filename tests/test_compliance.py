"""The compliance scorecard (helpers.compliance) and its chart (plots.compliance_heatmap).

Tiny tables the tests write; reports the tests write (a part missing, no date, a date after 1 April, on 1 April
exactly, no year); the bundled reports, each row checked against the raw files; synthetic reports with missing
parts; and the 31 provincial 政府工作报告 of ../shared/external when present (the scorecard does not apply).
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import shapes
from figure_checks import assert_legible_on_a_slide
from pandas.testing import assert_frame_equal

from helpers import comparison, compliance, plots
from helpers.paths import RAW
from helpers.read import read_text_file
from helpers.unavailable import Unavailable

# ---------------------------------------------------------------------------------------------------------------
# the deadline


@pytest.mark.parametrize(("year", "dated", "expected"), [
    (2024, "2025-04-01", (91, True)),       # 1 April exactly meets it
    (2024, "2025-04-02", (92, False)),      # one day late
    (2023, "2024-04-01", (92, True)),       # a leap year: 1 April is day 92
    (2024, "2024-12-30", (-1, True)),       # signed before the year's end
    (2024, "2024-12-31", (0, True)),
    ("2022", "2023-01-12", (12, True)),     # a year given as text
    (2024, "", (None, None)),               # no date: no verdict
    (None, "2025-01-06", (None, None)),     # no year: no verdict
    (pd.NA, "2025-01-06", (None, None)),
    ("", "2025-01-06", (None, None)),
])
def test_deadline_check(year, dated, expected):
    assert compliance.deadline_check(year, dated) == expected


# ---------------------------------------------------------------------------------------------------------------
# tiny tables


def _tiny():
    """Four reports: A complete (two measures parts), B lacks shortcomings and plans, C has no date and no year, D no
    heading at all (one ``other`` part without a heading)."""
    corpus = pd.DataFrame({
        "report_id": ["A", "B", "C", "D"], "unit": ["甲街道", "乙镇", "", "丁局"],
        "unit_level": ["街道", "乡镇", "", "部门"], "province": ["陕西省", "湖南省", "", "陕西省"],
        "macro_region": ["西部", "中部", "", "西部"], "report_year": pd.array([2024, 2024, None, 2025], dtype="Int64"),
        "dated": ["2025-04-01", "2025-04-02", "", "2026-01-02"], "raw_chars": [900, 500, 300, 200],
        "chars": [880, 500, 290, 200]})
    metadata = pd.DataFrame({"report_id": ["A", "B", "C", "D"], "issuer": ["甲街道办事处", "乙镇人民政府", "", "丁局"],
                             "dated": ["2025-04-01", "2025-04-02", "", "2026-01-02"],
                             "inferred": ["", "dated;issuer", "", "issuer"]})
    rows = [("A", 0, "preamble", "", 0), ("A", 1, "measures", "一、主要举措和成效", 10), ("A", 2, "leadership",
            "二、第一责任人职责", 300), ("A", 3, "measures", "三、其他工作成效", 400), ("A", 4, "shortcomings",
            "四、存在的不足和原因", 500), ("A", 5, "plans", "五、下一步安排", 700), ("A", 6, "other", "六、其他需要报告的情况", 800),
            ("A", 7, "signoff", "", 870),
            ("B", 0, "measures", "一、工作成效", 0), ("B", 1, "leadership", "二、第一责任人", 200), ("B", 2, "signoff", "", 480),
            ("C", 0, "measures", "一、举措", 0), ("C", 1, "shortcomings", "二、存在的问题", 100), ("C", 2, "plans", "三、明年计划", 200),
            ("D", 0, "other", "", 0)]
    parts = pd.DataFrame(rows, columns=["report_id", "part_seq", "part", "heading", "raw_start"])
    parts["start"] = parts["raw_start"]  # the texts below are their files, as read
    parts["end"] = parts.groupby("report_id")["start"].shift(-1).fillna(10_000).astype(int)
    texts = pd.DataFrame({"report_id": ["A", "B", "C", "D"],
                          "text": ["甲" * 870 + "甲街道办事处\n2025年4月1日\n", "乙" * 480 + "乙镇人民政府\n二〇二五年四月二日",
                                   "丙" * 290, "丁" * 200]})
    coded = pd.DataFrame([
        ("A", 4, 0, "shortcomings", "lead", "", ""), ("A", 4, 1, "shortcomings", "numbered", "publicity", "publicity_weak"),
        ("A", 4, 2, "shortcomings", "numbered", "cadre_capacity", ""), ("A", 4, 3, "shortcomings", "numbered", "", ""),
        ("A", 5, 0, "plans", "numbered", "publicity", ""),
        ("C", 1, 0, "shortcomings", "paragraph", "digital", ""),
        ("C", 2, 0, "plans", "paragraph", "", ""),
    ], columns=["report_id", "part_seq", "item_seq", "part", "item_kind", "themes", "causes"])
    critic = pd.DataFrame({"shortcomings_items": [3, 0, 1, 0], "shortcomings_concrete_pct": [100 / 3, np.nan, 0.0, np.nan]},
                          index=pd.Index(["A", "B", "C", "D"], name="report_id"))
    answers = pd.DataFrame([("A", 4, 1, "publicity", True, 5, 0, "publicity", 0.3),
                            ("A", 4, 2, "cadre_capacity", False, 5, 0, "", 0.1),
                            ("C", 1, 0, "digital", False, 2, 0, "", 0.0)],
                           columns=[*comparison.KEYS, "themes", "answered", "plan_part_seq", "plan_item_seq",
                                    "shared_themes", "similarity"])
    return corpus, metadata, parts, coded, critic, answers, texts


@pytest.fixture()
def tiny():
    return compliance.scorecard_from(*_tiny()).set_index("report_id")


def test_tiny_parts_present_and_their_offsets(tiny):
    assert tiny.loc["A", ["has_measures", "has_shortcomings", "has_leadership", "has_plans", "has_other"]].tolist() == [True] * 5
    assert tiny.loc["A", "measures_raw_start"] == 10  # the first of its two measures parts
    assert tiny.loc["B", ["has_measures", "has_shortcomings", "has_leadership", "has_plans"]].tolist() == [True, False, True, False]
    assert pd.isna(tiny.loc["B", "shortcomings_raw_start"]) and pd.isna(tiny.loc["B", "plans_raw_start"])
    assert not tiny.loc["C", "has_leadership"]
    # a report without a heading is one ``other`` part: that is no 其他需要报告的情况
    assert not tiny.loc["D"][["has_measures", "has_shortcomings", "has_leadership", "has_plans", "has_other"]].any()
    assert tiny.loc["A", "signoff_raw_start"] == 870 and pd.isna(tiny.loc["C", "signoff_raw_start"])
    assert str(tiny["measures_raw_start"].dtype) == "Int64"


def test_tiny_causes(tiny):
    assert tiny.loc["A", "causes_stated"] and tiny.loc["A", "causes_in_heading"]
    assert not tiny.loc["C", "causes_stated"] and not tiny.loc["C", "causes_in_heading"]  # 存在的问题: no 原因
    assert not tiny.loc["B", "causes_stated"]  # no shortcomings part at all
    assert tiny.loc["A", "shortcoming_items_with_cause"] == 1


def test_tiny_issuer_and_dates(tiny):
    assert tiny["issuer_present"].tolist() == [True, True, False, True]
    assert tiny["issuer_source"].tolist() == ["given", "text", "unknown", "text"]
    assert tiny["date_source"].tolist() == ["given", "text", "unknown", "given"]
    assert tiny["date_present"].tolist() == [True, True, False, True]
    assert tiny.loc["A", "dated_by_deadline"] == True  # noqa: E712 - a nullable boolean
    assert tiny.loc["B", "dated_by_deadline"] == False  # noqa: E712 - one day late
    assert pd.isna(tiny.loc["C", "dated_by_deadline"]) and pd.isna(tiny.loc["C", "days_after_year_end"])
    assert tiny["days_after_year_end"].tolist()[:2] == [91, 92] and tiny.loc["D", "days_after_year_end"] == 2
    assert str(tiny["dated_by_deadline"].dtype) == "boolean"
    # the sign-off's own date: A's, as written; B's in Chinese numerals is not read (nor by the metadata draft)
    assert tiny["signoff_dated"].tolist() == ["2025-04-01", "", "", ""]


def test_tiny_shortcoming_items(tiny):
    assert tiny["shortcoming_items"].tolist() == [3, 0, 1, 0]
    assert tiny["shortcoming_items_concrete"].tolist() == [1, 0, 0, 0]
    assert tiny["shortcoming_items_with_theme"].tolist() == [2, 0, 1, 0]
    assert tiny["shortcoming_items_answered"].tolist() == [1, 0, 0, 0]
    assert tiny.loc["A", "answered_pct"] == 50 and tiny.loc["C", "answered_pct"] == 0
    assert np.isnan(tiny.loc["B", "answered_pct"]) and np.isnan(tiny.loc["B", "concrete_pct"])  # nothing to answer
    assert tiny.loc["A", "concrete_pct"] == pytest.approx(100 / 3)


def test_no_plan_answers_at_all():
    corpus, metadata, parts, coded, critic, answers, texts = _tiny()
    table = compliance.scorecard_from(corpus, metadata, parts, coded, critic, answers.iloc[:0], texts)
    assert table["shortcoming_items_with_theme"].tolist() == [0] * 4 and table["answered_pct"].isna().all()


def test_group_shares_tiny(tiny):
    shares = compliance.group_shares(tiny.reset_index(), by=("all", "macro_region", "unit_level"))
    regions = shares[shares["grouping"] == "macro_region"]
    assert list(dict.fromkeys(regions["group"])) == ["中部", "西部", compliance.UNKNOWN_GROUP]  # study order, unknown last
    west = regions[regions["group"] == "西部"].set_index("column")
    assert west.loc["has_measures", ["count", "n"]].tolist() == [1, 2]
    assert west.loc["dated_by_deadline", ["count", "n", "not_known"]].tolist() == [2, 2, 0]
    every = shares[shares["grouping"] == "all"].set_index("column")
    assert every.loc["dated_by_deadline", ["count", "n", "not_known"]].tolist() == [2, 3, 1]  # C has no date
    assert every.loc["shortcoming_items_concrete", ["count", "n", "counted"]].tolist() == [1, 4, "items"]
    assert every.loc["shortcoming_items_answered", ["count", "n"]].tolist() == [1, 3]
    assert every.loc["has_other", "share_pct"] == 25
    levels = shares[shares["grouping"] == "unit_level"]
    assert list(dict.fromkeys(levels["group"])) == ["街道", "乡镇", "部门", compliance.UNKNOWN_GROUP]
    unknown = levels[(levels["group"] == compliance.UNKNOWN_GROUP)].set_index("column")
    assert np.isnan(unknown.loc["dated_by_deadline", "share_pct"]) and unknown.loc["dated_by_deadline", "n"] == 0


def test_chart_tables_tiny(tiny):
    shares = compliance.group_shares(tiny.reset_index())
    pct, counts = compliance.chart_tables(shares)
    assert pct.shape == counts.shape == (len(compliance.REPORT_CHECKS) + len(compliance.ITEM_CHECKS), 3 + 4)
    column = ("大区 / macro-region", "西部 / West (n = 2)")
    assert pct.loc["举措和成效 / measures", column] == 50 and counts.loc["举措和成效 / measures", column] == "1/2"
    unknown = ("层级 / unit level", "（未知）/ unknown (n = 1)")
    assert np.isnan(pct.loc["4月1日前落款 / dated by 1 April", unknown])
    assert counts.loc["4月1日前落款 / dated by 1 April", unknown] == ""


# ---------------------------------------------------------------------------------------------------------------
# wording


def test_words_tiny(tiny):
    f = compliance.summary(tiny.reset_index())
    assert f.present == {"measures": 3, "shortcomings": 2, "leadership": 2, "plans": 2, "other": 1}
    assert f.lacking["shortcomings"] == ["乙镇", "丁局"] and f.lacking["measures"] == ["丁局"]
    assert f.judged == 3 and f.by_deadline == 2 and f.late == ["乙镇"] and f.undated == ["C"]
    assert f.year_unknown == [] and f.date_sources == {"given": 2, "text": 1}
    said = " ".join(compliance.words(f))
    assert "1 of 4 reports has all four required parts" in said
    assert "shortcomings and plans missing in 乙镇; leadership missing in C; measures, shortcomings, leadership and plans missing in 丁局;" in said
    assert "1 of 2 states a cause" in said and "no cause is recognised in C;" in said
    assert "2 of 3 dated reports with a known year are dated by 1 April" in said and "乙镇 is dated later" in said
    assert "from 2 to 92 days after the year's end" in said
    assert "C does not, so whether it was dated by the deadline is not known" in said
    assert "publication dates are not in the data" in said
    assert "1 of 3 shortcoming items with a theme" in said
    title = compliance.chart_title(f)
    assert title == "Shortcomings, leadership and plans present in 2 of 4 reports; 2 of 3 dated reports dated by 1 April"


def test_words_one_report(tiny):
    one = tiny.reset_index().iloc[[1]]
    said = compliance.words(compliance.summary(one))
    text = " ".join(said)
    assert "1 of 1" not in text and "all 1" not in text
    assert text.startswith("The report lacks shortcomings and plans of all four required parts")
    assert "The report has no shortcomings part" in text
    assert "It is not dated by 1 April" in text and "92 days after the year's end" in text
    assert "The report runs to 500 characters." in text


def test_words_without_any_date(tiny):
    undated = tiny.reset_index().assign(dated="", date_present=False, date_source="unknown",
                                        days_after_year_end=pd.array([None] * 4, dtype="Int64"),
                                        dated_by_deadline=pd.array([None] * 4, dtype="boolean"))
    f = compliance.summary(undated)
    said = " ".join(compliance.words(f))
    assert "none of the 4 reports carry a date" in said.lower() and "dated by 1 April of" not in said
    assert compliance.chart_title(f).endswith("so the 1 April deadline cannot be checked")


def test_year_unknown_is_named(tiny):
    table = tiny.reset_index()
    table.loc[0, "report_year"] = pd.NA
    table.loc[0, ["days_after_year_end", "dated_by_deadline"]] = pd.NA
    f = compliance.summary(table)
    assert f.year_unknown == ["甲街道"] and f.judged == 2
    assert "甲街道 has no year reported on" in " ".join(compliance.words(f))


def _many(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` scorecard rows drawn at random (regions, levels, parts, dates), for the sizes a national corpus has."""
    rng = np.random.default_rng(seed)
    regions = np.array(["东部", "中部", "西部", "东北", ""])
    levels = np.array(["街道", "乡镇", "区县", "地市", "省级", "部门", ""])  # every level, and none known
    year = pd.array(rng.choice([2023, 2024], n), dtype="Int64")
    days = rng.integers(-5, 150, n)
    dated = [str(pd.Timestamp(f"{y}-12-31") + pd.Timedelta(days=int(d)))[:10] if k % 7 else ""
             for k, (y, d) in enumerate(zip(year, days))]
    table = pd.DataFrame({"report_id": [f"r{k:05d}" for k in range(n)], "unit": [f"单位{k}" for k in range(n)],
                          "unit_level": rng.choice(levels, n), "province": "", "macro_region": rng.choice(regions, n),
                          "report_year": year})
    for part in compliance.MANDATED_CONTENTS:
        table[f"has_{part}"] = rng.random(n) < (0.9 if part != "other" else 0.1)
    table["causes_stated"] = table["has_shortcomings"] & (rng.random(n) < 0.8)
    table["causes_in_heading"] = table["has_shortcomings"] & (rng.random(n) < 0.6)
    table["issuer_present"] = rng.random(n) < 0.95
    table["dated"] = dated
    table["date_present"] = table["dated"] != ""
    table["date_source"] = np.where(table["date_present"], "text", "unknown")
    checked = [compliance.deadline_check(y, d) for y, d in zip(table["report_year"], table["dated"])]
    table["days_after_year_end"] = pd.array([c[0] for c in checked], dtype="Int64")
    table["dated_by_deadline"] = pd.array([c[1] for c in checked], dtype="boolean")
    table["chars"] = rng.integers(1500, 9000, n)
    table["shortcoming_items"] = np.where(table["has_shortcomings"], rng.integers(1, 6, n), 0)
    table["shortcoming_items_with_cause"] = table["shortcoming_items"] // 2
    table["shortcoming_items_concrete"] = table["shortcoming_items"] // 3
    table["shortcoming_items_with_theme"] = table["shortcoming_items"]
    table["shortcoming_items_answered"] = table["shortcoming_items"] // 2
    return table


def test_ten_thousand_reports():
    table = _many(10_000)
    f = compliance.summary(table)
    said = compliance.words(f)
    assert all(len(s) < 700 for s in said)  # names give way to counts
    assert f"{f.judged:,}" in " ".join(said) and f.judged == int(table["dated_by_deadline"].notna().sum())
    assert f.by_deadline == int((table["dated_by_deadline"] == True).sum())  # noqa: E712
    shares = compliance.group_shares(table)
    assert int(shares.loc[(shares["grouping"] == "macro_region") & (shares["column"] == "has_plans"), "n"].sum()) == 10_000
    fig = plots.compliance_heatmap(compliance.chart_tables(shares), compliance.chart_title(f), "Source: n = 10,000.")
    fig.canvas.draw()
    assert_legible_on_a_slide(fig)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    unplaced = int((table["macro_region"] == "").sum())
    assert f"（未知）/ unknown (n = {unplaced:,})" in labels and len(labels) == 5 + 7  # the widest heatmap there is
    boxes = [t.get_window_extent() for t in fig.axes[0].texts]
    assert len(boxes) == 12 * 12 and not any(a.overlaps(b) for k, a in enumerate(boxes) for b in boxes[k + 1 :])
    plt.close(fig)


# ---------------------------------------------------------------------------------------------------------------
# the chart


def test_chart_one_region_one_level(tiny):
    one = tiny.reset_index().iloc[[0]]
    shares = compliance.group_shares(one)
    pct, counts = compliance.chart_tables(shares)
    assert pct.shape[1] == 2
    fig = plots.compliance_heatmap((pct, counts), compliance.chart_title(compliance.summary(one)), "Source: n = 1.")
    fig.canvas.draw()
    assert_legible_on_a_slide(fig)
    cells = {t.get_text() for t in fig.axes[0].texts}
    assert "100 %\n1/1" in cells and "0 %\n0/1" not in cells  # A has every part
    assert plots.figure_title(fig).startswith("The report has the four required parts")
    plt.close(fig)


def test_chart_passes_unavailable_through():
    gone = Unavailable("x", "y")
    assert plots.compliance_heatmap(gone, "t", "c") is gone
    empty = compliance.group_shares(_many(3).iloc[:0])
    assert isinstance(compliance.chart_tables(empty), Unavailable)


# ---------------------------------------------------------------------------------------------------------------
# reports the tests write: metadata read from the text


_BODY = ("一、主要举措和成效\n（一）加强学习。组织干部学习法律知识，开展普法宣传活动12场。\n"
         "二、存在的不足和原因\n一是干部法治意识有待提高。二是普法形式较为单一。\n"
         "三、党政主要负责人履行推进法治建设第一责任人职责情况\n主要负责人亲自部署法治政府建设工作。\n"
         "四、下一年度推进法治政府建设的主要安排\n继续加强学习培训，丰富普法形式。\n")
_WRITTEN = {
    "on_time.txt": "甲街道2024年度法治政府建设情况报告\n" + _BODY + "甲街道办事处\n2025年4月1日\n",
    "late.txt": ("乙镇2024年度法治政府建设情况报告\n一、主要举措和成效\n（一）加强学习。组织干部学习法律知识。\n"
                 "二、下一步工作打算\n继续加强学习。\n乙镇人民政府\n2025年4月2日\n"),
    "no_date.txt": "关于法治政府建设情况的报告\n" + _BODY,
    "flat.txt": shapes.FLAT,  # no heading at all: one ``other`` part without a heading
    "plain.txt": shapes.PLAIN,  # no leadership part, no sign-off
}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("written")
    folder = tmp / "corpus"
    folder.mkdir()
    for name, text in _WRITTEN.items():
        (folder / name).write_text(text, encoding="utf-8")
    study = shapes.study_of(folder, tmp)
    return study, compliance.scorecard(study).set_index("report_id"), folder


def test_written_reports(written):
    study, table, folder = written
    ids = dict(zip(study.metadata["file"], study.metadata["report_id"]))
    on_time, late, no_date, flat, plain = (table.loc[ids[n]] for n in ("on_time.txt", "late.txt", "no_date.txt",
                                                                         "flat.txt", "plain.txt"))
    assert not flat[[f"has_{p}" for p in compliance.MANDATED_CONTENTS]].any() and not flat["causes_stated"]
    assert flat["shortcoming_items"] == 0 and np.isnan(flat["concrete_pct"])
    assert plain[["has_measures", "has_shortcomings", "has_plans"]].all() and not plain["has_leadership"]
    assert not plain["causes_in_heading"] and pd.isna(plain["signoff_raw_start"])  # 二、存在的不足: no 原因
    assert on_time[["has_measures", "has_shortcomings", "has_leadership", "has_plans"]].all()
    assert on_time["dated"] == "2025-04-01" and on_time["date_source"] == "text" and on_time["dated_by_deadline"] == True  # noqa: E712
    assert on_time["days_after_year_end"] == 91 and on_time["issuer"] == "甲街道办事处" and on_time["issuer_source"] == "text"
    assert late["dated"] == "2025-04-02" and late["dated_by_deadline"] == False  # noqa: E712
    assert on_time["signoff_dated"] == "2025-04-01" and late["signoff_dated"] == "2025-04-02" and no_date["signoff_dated"] == ""
    assert not late["has_shortcomings"] and not late["has_leadership"] and late["has_plans"]
    assert no_date["date_source"] == "unknown" and pd.isna(no_date["dated_by_deadline"])
    assert pd.isna(no_date["report_year"]) and pd.isna(no_date["days_after_year_end"])
    for rid, row in table.iterrows():  # every present part's offset is its heading in the file
        raw = (folder / study.metadata.set_index("report_id").loc[rid, "file"]).read_text(encoding="utf-8")
        for part in compliance.MANDATED_CONTENTS:
            if row[f"has_{part}"]:
                assert raw[row[f"{part}_raw_start"]:].startswith(("一、", "二、", "三、", "四、")), (rid, part)
    said = " ".join(compliance.words(compliance.summary(table.reset_index())))
    assert "1 of 2 dated reports with a known year is dated by 1 April" in said and "乙镇 is dated later" in said
    assert "shortcomings and leadership missing in 乙镇;" in said
    assert "3 read from the report's sign-off" not in said and "2 read from the report's sign-off" in said


# ---------------------------------------------------------------------------------------------------------------
# the bundled reports


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    study = shapes.study_of(RAW, tmp_path_factory.mktemp("bundled"))
    return study, compliance.scorecard(study)


def _raw(study, rid: str) -> str:
    file = study.metadata.set_index("report_id").loc[rid, "file"]
    return read_text_file(RAW / file).text


def test_bundled_offsets_point_at_the_headings(bundled):
    study, table = bundled
    parts = study.parts()
    checked = 0
    for row in table.itertuples():
        raw = _raw(study, row.report_id)
        own = parts[parts["report_id"] == row.report_id]
        for part in compliance.MANDATED_CONTENTS:
            start = getattr(row, f"{part}_raw_start")
            if not getattr(row, f"has_{part}"):
                assert pd.isna(start)
                continue
            heading = own[(own["part"] == part) & (own["heading"] != "")].iloc[0]["heading_raw"]
            assert raw[start : start + len(heading)] == heading, (row.report_id, part)
            checked += 1
        if not pd.isna(row.signoff_raw_start) and row.dated:  # the sign-off states the date the table gives
            y, m, d = (int(x) for x in row.dated.split("-"))
            assert f"{y}年{m}月{d}日" in re.sub(r"\s", "", raw[row.signoff_raw_start :]), row.report_id
    assert checked == 20  # four parts in each of the five reports


def test_signoff_dates_read_a_slice_of_texts_at_a_time_equal_those_of_every_text(bundled):
    study, table = bundled
    parts = study.parts()
    every = compliance.signoff_dates(parts, study.store.table("texts", columns=["text"]))
    assert len(every) == 4 and all(every.values())  # four of the five reports sign off with a date
    for reports in (1, 2, 5):
        assert compliance._signoff_dates(study.store, parts, reports) == every
    assert {r: d for r, d in zip(table["report_id"], table["signoff_dated"]) if d} == every


def test_the_coded_items_read_alone_equal_those_read_with_their_evidence(bundled):
    study, _ = bundled
    coded, evidence = study.coded()
    assert len(evidence) > len(coded) > 100
    assert_frame_equal(study.coded_items(), coded)


def test_bundled_rows_as_read_in_the_files(bundled):
    study, table = bundled
    t = table.set_index("report_id")
    # what a reader finds in data/raw/reports/*.txt: the four parts everywhere, no 其他 part
    assert t[["has_measures", "has_shortcomings", "has_leadership", "has_plans"]].all().all()
    assert not t["has_other"].any()
    # 大码头街道's heading is 二、存在的问题与不足 (no 原因); the others say 不足和原因
    assert t["causes_in_heading"].to_dict() == {r: r != "2025_hunan_damatou" for r in t.index}
    assert t["dated"].to_dict() == {"2024_tianjin_xiyuzhuang": "", "2025_hunan_damatou": "2026-01-27",
                                    "2024_shaanxi_xiaozhailu": "2024-12-30", "2024_jilin_dongsan": "2025-01-06",
                                    "2022_liaoning_huajia": "2023-01-12"}
    assert t["days_after_year_end"].astype("float").fillna(-99).to_dict() == {
        "2024_tianjin_xiyuzhuang": -99, "2025_hunan_damatou": 27, "2024_shaanxi_xiaozhailu": -1,
        "2024_jilin_dongsan": 6, "2022_liaoning_huajia": 12}
    assert pd.isna(t.loc["2024_tianjin_xiyuzhuang", "dated_by_deadline"])  # no date in the file: not a guess
    assert t["dated_by_deadline"].dropna().all()
    assert pd.isna(t.loc["2024_tianjin_xiyuzhuang", "signoff_raw_start"])  # the file ends without a sign-off
    assert (t["signoff_dated"] == t["dated"]).all()  # every given date is the one the sign-off states
    assert (t["date_source"] == np.where(t["dated"] == "", "unknown", "given")).all()
    assert t["shortcoming_items"].sum() == 15 and t["shortcoming_items_concrete"].sum() == 0
    assert t["chars"].to_dict() == dict(zip(study.corpus["report_id"], study.corpus["chars"]))
    assert list(table.columns[-4:]) == ["lexicon_version", "themes_version", "causes_version", "instruments_version"]
    assert list(table["report_id"]) == study.order


def test_bundled_items_recounted(bundled):
    """Shortcoming items, concrete and answered, recounted in plain pandas from the study's own tables."""
    study, table = bundled
    coded = study.coded()[0]
    items = study.items()
    listed = coded[(coded["part"] == "shortcomings") & (coded["item_kind"] != "lead")]
    claims = study.claims()
    with_claim = set(zip(claims["report_id"], claims["part_seq"], claims["item_seq"]))
    text = items.set_index(comparison.KEYS)["text"]
    t = table.set_index("report_id")
    for rid, own in listed.groupby("report_id"):
        assert t.loc[rid, "shortcoming_items"] == len(own)
        assert t.loc[rid, "shortcoming_items_with_cause"] == int((own["causes"] != "").sum())
        concrete = sum(1 for k in zip(own["report_id"], own["part_seq"], own["item_seq"])
                       if k in with_claim or "《" in text[k] or comparison.named_places(text[k]))
        assert t.loc[rid, "shortcoming_items_concrete"] == concrete
    answers = comparison.responsiveness(coded, study.item_texts())
    for rid, own in answers.groupby("report_id"):
        assert t.loc[rid, "shortcoming_items_with_theme"] == len(own)
        assert t.loc[rid, "shortcoming_items_answered"] == int(own["answered"].sum())


def test_bundled_words(bundled):
    _, table = bundled
    said = compliance.words(compliance.summary(table))
    assert said[0].startswith("All 5 reports have all four required parts")
    assert "none of the 5 reports have a part for other matters" in said[0]
    text = " ".join(said)
    assert "4 of 5 reports carry a date (4 given in the metadata); 西于庄街道 does not" in text
    assert "All 4 dated reports with a known year are dated by 1 April" in text
    assert "from -1 to 27 days after the year's end" in text
    assert "13 of 15 shortcoming items carry a cause" in text and "4 of 5 name 原因" in text


# ---------------------------------------------------------------------------------------------------------------
# synthetic reports, some of them missing parts


def test_synthetic_reports_missing_parts(tmp_path):
    study = shapes.study_of(shapes.synthetic_corpus(tmp_path / "corpus", 12, seed=5), tmp_path)
    table = compliance.scorecard(study).set_index("report_id")
    parts = study.parts()
    headed = parts[parts["heading"] != ""]
    lacking = 0
    for rid, row in table.iterrows():
        raw = _raw_in(tmp_path / "corpus", study, rid)
        for part in compliance.MANDATED_CONTENTS:
            own = headed[(headed["report_id"] == rid) & (headed["part"] == part)]
            assert row[f"has_{part}"] == (not own.empty), (rid, part)
            if own.empty:
                lacking += part in compliance.REQUIRED_CONTENTS
                continue
            heading = own.iloc[0]["heading_raw"]
            assert raw[row[f"{part}_raw_start"]:].startswith(heading), (rid, part)
    assert lacking > 0  # the synthetic corpus drops parts at random: the test sees some missing
    f = compliance.summary(table.reset_index())
    assert sum(len(f.lacking[p]) for p in compliance.REQUIRED_CONTENTS) == lacking


def _raw_in(folder: Path, study, rid: str) -> str:
    return read_text_file(folder / study.metadata.set_index("report_id").loc[rid, "file"]).text


# ---------------------------------------------------------------------------------------------------------------
# another genre: the scorecard does not apply


def test_other_genre_is_refused(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "2026_某省_政府工作报告.txt").write_text(shapes.GWR, encoding="utf-8")
    study = shapes.study_of(folder, tmp_path)
    assert study.genre == "gov_work_report"
    refused = compliance.scorecard(study)
    assert isinstance(refused, Unavailable) and "政府工作报告" in str(refused) and "does not govern" in str(refused)
    assert compliance.not_governed("fazhi_report") is None and compliance.not_governed("unknown") is None


def test_external_reports_are_refused(tmp_path):
    if not shapes.EXTERNAL.is_dir():
        pytest.skip("../shared/external is not present")
    refused = compliance.scorecard(shapes.study_of(shapes.EXTERNAL, tmp_path))
    assert isinstance(refused, Unavailable) and "政府工作报告 (genre gov_work_report)" in str(refused)


# ---------------------------------------------------------------------------------------------------------------
# the columns, described


def test_every_column_is_described(tiny):
    table = tiny.reset_index()
    assert list(table.columns) == list(compliance.COLUMNS)
    kinds = {"text": ("object", "str"), "integer": ("int64", "Int64"), "boolean": ("bool", "boolean"), "float": "float64"}
    for column, (kind, meaning) in compliance.COLUMNS.items():
        assert meaning and str(table[column].dtype) in kinds[kind], (column, table[column].dtype)
    docs = (Path(__file__).resolve().parents[1] / "docs" / "compliance.md").read_text(encoding="utf-8")
    assert [c for c in compliance.COLUMNS if f"`{c}`" not in docs] == []


# ---------------------------------------------------------------------------------------------------------------
# groups compared, and the findings object


def test_differences_between_groups(tiny):
    shares = compliance.group_shares(tiny.reset_index())
    groups, differ = compliance.differences(shares, "macro_region")
    assert groups == ["中部", "西部"]  # the unknown group is no place
    assert differ["has_measures"] == (50.0, [("西部", 1, 2)], 100.0, [("中部", 1, 1)])
    assert differ["dated_by_deadline"] == (0.0, [("中部", 0, 1)], 100.0, [("西部", 2, 2)])
    gaps = [hi - lo for lo, _, hi, _ in differ.values()]
    assert gaps == sorted(gaps, reverse=True)  # widest first
    assert "issuer_present" not in differ  # 中部 1 of 1, 西部 2 of 2
    levels, by_level = compliance.differences(shares, "unit_level")
    assert levels == ["街道", "乡镇", "部门"] and by_level["has_measures"][0] == 0.0


def test_groups_sentences(tiny):
    table = tiny.reset_index()
    one_region = table.assign(macro_region="西部")
    said = " ".join(compliance.words(compliance.summary(one_region)))
    assert "Every report with a known macro-region is in one (西部): nothing to compare by macro-region." in said
    unplaced = table.assign(macro_region="")
    said = " ".join(compliance.words(compliance.summary(unplaced)))
    assert "No report has a known macro-region" in said
    same = pd.concat([table.iloc[[0]].assign(macro_region="东部"), table.iloc[[0]].assign(macro_region="西部",
                                                                                        report_id="A2")])
    said = " ".join(compliance.words(compliance.summary(same)))
    assert "The 2 macro-regions (东部 and 西部) have the same share in every column." in said
    said = " ".join(compliance.words(compliance.summary(table)))
    assert ("Between the 2 macro-regions with reports, shares differ in" in said
            and "dated by 1 April, 0 % in 中部 (0 of 1) to 100 % in 西部 (2 of 2)" in said)


def test_findings_object(bundled):
    study, table = bundled
    found = compliance.compliance_findings(study, table)
    assert found.sentences == compliance.words(compliance.summary(table))
    assert "n = 5 reports" in found.limits[0]
    shown = found.table()
    assert shown.loc[shown["figure"] == "judged", "value"].item() == "4"


def test_reports_of_one_unit_name_are_counted_apart(tiny):
    """Two reports may come from units of the same name (two years of one 街道, or 城关镇 in many counties)."""
    table = tiny.reset_index().assign(unit="城关镇")
    f = compliance.summary(table)
    assert f.complete == 1 and [lack for _, lack in f.missing] == [
        ["shortcomings", "plans"], ["leadership"], ["measures", "shortcomings", "leadership", "plans"]]
    said = compliance.words(f)[0]
    assert said.startswith("1 of 4 reports has all four required parts")
    # each report named apart (findings.unit_names): the year where it tells them apart, else the report id
    assert "shortcomings and plans missing in 城关镇 (B); leadership missing in 城关镇 (C);" in said
    assert "plans missing in 城关镇 (2025);" in said
