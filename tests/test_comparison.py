"""Responsiveness, concreteness and self-criticism on inline tables and real snippets."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import comparison


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("重点在小寨十字、吉祥村十字周边及大型商超", ["小寨十字", "吉祥村十字"]),
        ("探索红专南路社区法治与家风建设、丁白路社区“五方议事会”", ["红专南路社区", "丁白路社区"]),
        ("对洪湖里地区及周边网红街区增加巡查频次", ["洪湖里地区"]),
        ("利用华家周二大集机会", ["华家周二大集"]),
        ("组织各社区调解委员会调解员；街道、28个社区（村）实现全覆盖", []),
        ("带头指导社区成立小区功能型党小组；积极探索社区普法宣传教育的新路子", []),
        ("推进“民主法治示范社区创建”；推动法治精神进社区", []),
    ],
)
def test_named_places(text, places):
    assert comparison.named_places(text) == places


def test_concreteness():
    items = pd.DataFrame({
        "report_id": ["r"] * 4, "part_seq": [1, 1, 2, 2], "item_seq": [0, 1, 0, 1],
        "part": ["measures", "measures", "shortcomings", "shortcomings"],
        "text": ["全年调解235件", "学习《民法典》", "在小寨十字巡逻", "理论学习不够深入"],
    })
    claims = pd.DataFrame({"report_id": ["r"], "part_seq": [1], "item_seq": pd.array([0], dtype="Int64")})
    table = comparison.concreteness(items, claims)
    assert table["has_figure"].tolist() == [True, False, False, False]
    assert table["has_document"].tolist() == [False, True, False, False]
    assert table["has_place"].tolist() == [False, False, True, False]
    assert table["concrete"].tolist() == [True, True, True, False]


def test_responsiveness_by_theme_and_similarity():
    coded = pd.DataFrame({
        "report_id": ["r"] * 5, "part_seq": [2, 2, 2, 3, 3], "item_seq": [0, 1, 2, 0, 1],
        "part": ["shortcomings", "shortcomings", "shortcomings", "plans", "plans"],
        "themes": ["publicity", "digital", "", "publicity", "cadre_capacity"],
    })
    texts = pd.DataFrame({**coded[comparison.KEYS].to_dict("list"),
                          "tokens": ["普法 形式 单一", "数字化改革 人才", "不足", "丰富 普法 形式", "培训 人才"]})
    table = comparison.responsiveness(coded, texts)
    assert table["item_seq"].tolist() == [0, 1]  # the item without a theme is not a stated shortcoming to answer
    assert table["answered"].tolist() == [True, False]
    assert table["plan_item_seq"].tolist() == [0, 1]  # unanswered: the most similar plan item all the same
    assert table.loc[0, "similarity"] > table.loc[1, "similarity"] > 0
    summary = comparison.responsiveness_summary(table, ["r"])
    assert summary.loc["r", "answered_pct"] == 50


def test_a_report_with_two_plans_parts_pairs_each_shortcoming_with_the_right_plan_item():
    # item numbers restart in every part: plan item 0 of part 4 and plan item 0 of part 6 are different items
    coded = pd.DataFrame({
        "report_id": ["r"] * 4 + ["s"] * 2, "part_seq": [2, 4, 6, 6, 2, 3], "item_seq": [0, 0, 0, 1, 0, 0],
        "part": ["shortcomings", "plans", "plans", "plans", "shortcomings", "plans"],
        "themes": ["digital", "publicity", "digital", "publicity", "publicity", "publicity"],
    })
    texts = pd.DataFrame({**coded[comparison.KEYS].to_dict("list"),
                          "tokens": ["数字化改革 人才", "普法 形式", "数字化改革 平台", "普法 宣传", "普法 形式", "普法 形式"]})
    items = coded[comparison.KEYS].assign(text=["数字化不足", "普法计划", "数字化计划", "宣传计划", "普法不足", "普法计划"])
    answers = comparison.responsiveness(coded, texts)
    assert answers[["report_id", "plan_part_seq", "plan_item_seq"]].values.tolist() == [["r", 6, 0], ["s", 3, 0]]
    pairs = comparison.shortcoming_plan_pairs(answers, items, coded)
    assert pairs.set_index("report_id")["closest plan item"].to_dict() == {"r": "数字化计划", "s": "普法计划"}


def test_responsiveness_read_a_slice_of_reports_at_a_time_gives_the_same_answers():
    """The tokens read by a function, a report or two at a time: the idf still over every item, the same floats."""
    coded = pd.DataFrame({
        "report_id": ["r"] * 4 + ["s"] * 3 + ["t"] * 2, "part_seq": [1, 2, 4, 4, 1, 2, 3, 1, 2],
        "item_seq": [0, 0, 0, 1, 0, 0, 0, 0, 0],
        "part": ["measures", "shortcomings", "plans", "plans", "measures", "shortcomings", "plans", "measures", "plans"],
        "themes": ["digital", "digital", "publicity", "digital", "publicity", "publicity", "publicity", "cadre_capacity",
                   "cadre_capacity"],
    })
    texts = pd.DataFrame({**coded[comparison.KEYS].to_dict("list"), "tokens": [
        "数字化改革 平台 平台", "数字化改革 人才", "普法 形式", "数字化改革 平台", "普法 宣传 形式", "普法 形式 单一",
        "丰富 普法 形式", "培训 人才", "培训 计划"]})
    asked = []

    def read(items: pd.DataFrame) -> pd.DataFrame:
        asked.append(sorted(set(items["report_id"])))
        return texts.merge(items, on=comparison.KEYS)

    whole = comparison.responsiveness(coded, texts)
    assert len(whole) == 2
    for reports in (1, 2, 3):
        asked.clear()
        pd.testing.assert_frame_equal(comparison.responsiveness(coded, read, reports=reports), whole, check_exact=True)
        assert max(len(a) for a in asked) <= reports  # never more than a slice's reports asked for at once
    # the measures count in the idf but their tokens are not read a second time for the vectors
    parts: list[list[int]] = []
    comparison.responsiveness(coded, lambda items: parts.append(items["part_seq"].tolist()) or read(items), reports=3)
    assert parts == [[1, 2, 4, 4, 1, 2, 3, 1, 2], [2, 4, 4, 2, 3, 2]]


def test_self_criticism():
    coded = pd.DataFrame({
        "report_id": ["r"] * 4, "part_seq": [1, 1, 2, 2], "item_seq": [0, 1, 0, 1],
        "part": ["measures", "measures", "shortcomings", "shortcomings"],
        "item_kind": ["numbered", "numbered", "lead", "numbered"], "chars": [300, 100, 20, 40],
    })
    concrete = coded[comparison.KEYS].assign(concrete=[True, False, False, False])
    table = comparison.self_criticism(coded, concrete, ["r"])
    row = table.loc["r"]
    assert (row["measures_chars"], row["shortcomings_chars"], row["shortcomings_items"]) == (400, 40, 1)
    assert row["shortcomings_per_100_measures_chars"] == 10 and row["measures_concrete_pct"] == 50


def test_uptake_title_counts_items_at_or_over_the_threshold():
    answers = pd.DataFrame({"similarity": [0.2, 0.19, 0.5, float("nan")]})
    assert comparison.uptake_title(answers) == ("Plans take up the shortcoming's own words (similarity ≥ 0.2) for 2 of 4 "
                                                "shortcoming items with a theme")
    assert comparison.uptake_title(answers.head(1), similar=0.3).endswith("for 0 of 1 shortcoming item with a theme")
