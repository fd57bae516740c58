"""Quantitative claims: real snippets, the traps, and the full hand-made list for two reports."""

from __future__ import annotations

import pytest

from helpers.indicators import FAMILY_LABELS, claims_table, extract_claims, family_of, headline_indicators, headline_title
from helpers.numerals import chinese_value


def _values(text):
    return [(c["value"], c["unit"]) for c in extract_claims(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发放宣传资料3.78万余份，覆盖群众2万余人次。", [(37800.0, "份"), (20000.0, "人次")]),
        ("开展法律知识讲座、法律咨询、法治文艺演出等活动近百场", [(100.0, "场")]),
        ("开展各类普法宣传千余次，真正做到普法宣传无死角。", [(1000.0, "次")]),
        ("进行两次定点巡查。", [(2.0, "次")]),
        ("全年出动执法人员7000余人次、执法车辆400余车次。", [(7000.0, "人次"), (400.0, "车次")]),
        ("全年行政处罚191起，处罚金额5460元。", [(191.0, "起"), (5460.0, "元")]),
        ("调解成功率达100%。", [(100.0, "%")]),
        ("发放资料1,000份。", [(1000.0, "份")]),
    ],
)
def test_real_claims(text, expected):
    assert _values(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2024年法治政府建设情况报告。2025年1月6日",  # years and dates
        "以“4.15国家安全宣传日”、“12.4宪法宣传日”、“3・15”消费者权益保护日为抓手",  # festival dates
        "以我街亿城堂庭社区虹都中心小区内1、2号楼为市级社会治安重点地区",  # 1、2号楼
        "今年是“八五”普法的第四年；第一道防线",  # ordinals
        "做到“两个维护”、增强“四个意识”，一人一案、一案一策，依托“三所联动”",  # fixed phrases
        "每个社区设置一个警务室",  # 一 + classifier as an article
        "社区五人小组成员",  # a group's name, not a count
        "〔2024〕3号文件；建国75周年；三年行动",  # document numbers, anniversaries, durations
    ],
)
def test_traps_are_not_claims(text):
    assert extract_claims(text) == []


def test_qualifiers_counted_thing_and_offsets():
    text = "截至目前，街道司法所累计调解235件，实现公共法律服务站全覆盖。"
    (claim,) = extract_claims(text)
    assert claim["qualifiers"] == "累计" and claim["counted"] == "街道司法所调解"
    assert text[claim["start"] : claim["end"]] == "235件"
    (rate,) = extract_claims("出庭应诉率达到100%")
    assert rate["is_100pct"] and rate["qualifiers"] == "达到、达"


@pytest.mark.parametrize(("numeral", "value"), [("两", 2), ("十", 10), ("二十", 20), ("一百二十", 120), ("千", 1000), ("三万", 30000), ("百", 100),
    ("十万", 100_000), ("十二万", 120_000), ("三万五千", 35_000), ("一千二百万", 12_000_000), ("万", 10_000)])
def test_chinese_value(numeral, value):
    assert chinese_value(numeral) == value


def test_families():
    assert family_of("参与调解矛盾纠纷", "", "件") == "mediation_cases"
    assert family_of("调解成功率", "", "%") == "mediation_success"
    assert family_of("全街摸排矛盾纠纷", "", "件") == "disputes_screened"
    assert family_of("发放宣传材料", "", "份") == "materials"
    assert family_of("开展", "集中学法活动", "次") == "trainings"
    assert family_of("处罚金额", "", "元") == ""


# Every claim of two reports, listed by hand from the files (value, unit, as written), in text order.
HAND_LISTED = {
    "2024_tianjin_xiyuzhuang": [
        (100, "条", "100条"), (100, "%", "100%"), (2500, "次", "2500余次"), (7000, "人次", "7000余人次"),
        (400, "车次", "400余车次"), (4300, "条次", "4300余条次"), (2100, "个次", "2100余个次"), (191, "起", "191起"),
        (5460, "元", "5460元"), (351, "件", "351件"), (109, "件", "109件"), (100, "%", "100%"), (14, "个", "14个"),
        (70, "名", "70名"), (1600, "家次", "1600余家次"), (230, "项", "230项"),
    ],
    "2025_hunan_damatou": [
        (6, "次", "6次"), (12, "人", "12人"), (340, "件", "340余件"), (2, "项", "2项"), (37, "项", "37项"),
        (9, "项", "9项"), (100, "场", "近百场"), (37800, "份", "3.78万余份"), (20000, "人次", "2万余人次"),
        (190, "起", "190余起"), (23, "起", "23起"), (17, "次", "17次"), (48, "次", "48次"), (15, "次", "15次"),
        (12, "项", "12项"),
    ],
}


@pytest.mark.parametrize("report_id", sorted(HAND_LISTED))
def test_full_list_for_two_reports(by_id, report_id):
    table = claims_table([by_id[report_id]])
    found = list(zip(table["value"].astype(int), table["unit"], table["raw_text"]))
    assert found == HAND_LISTED[report_id]  # precision and recall both 1 on these reports
    report = by_id[report_id]
    for row in table.itertuples():
        assert report.raw.text[row.raw_start : row.raw_end] == row.raw_text


def test_headline_takes_the_largest_claim(corpus):
    table = claims_table(corpus)
    headline = headline_indicators(table).set_index(["report_id", "family"])
    assert headline.loc[("2024_jilin_dongsan", "mediation_cases"), "value"] == 27
    assert headline.loc[("2024_jilin_dongsan", "mediation_cases"), "claims"] == 4
    assert headline.loc[("2022_liaoning_huajia", "mediation_success"), "flag"] == "100%"


def test_a_docx_table_cell_separator_ends_the_counted_thing():
    from helpers.indicators import extract_claims

    claims = extract_claims("主要数据：调解纠纷|215件|结案率100%。")
    assert [c["counted"] for c in claims if c["unit"] == "件"] == ["调解纠纷"]


def test_headline_title_counts_reports_by_family_and_100pct_claims():
    import pandas as pd

    headline = pd.DataFrame({"report_id": ["a", "a", "b", "c"],
                             "family": ["mediation_cases", "disputes_screened", "disputes_screened", "publicity_events"]})
    claims = pd.DataFrame({"is_100pct": [True, False, True]})
    assert headline_title(headline, claims, 5) == "2 of 5 reports count disputes, 1 count publicity events; 2 claims of 100 %"
    assert FAMILY_LABELS["trainings"] == "培训与学法 / trainings and study sessions"


# Found by the mutation run of docs/mutation.md.


@pytest.mark.parametrize(
    "text",
    [
        "第3次",  # an ordinal at the very start of the text
        "开展第3次会议",  # 第 right before the number
        "3・15件",  # a date-like number after ・
        "共5件3号",  # a number that runs on into another digit
        "成立五人组",  # a Chinese numeral + 人 + 组: a group's name
    ],
)
def test_more_traps_are_not_claims(text):
    assert extract_claims(text) == []


def test_what_is_taken_out_of_the_counted_thing_and_the_order_of_qualifiers():
    (claim,) = extract_claims("截至目前本年度全年今年年内累计共计共合计其中同时调解5件")
    assert claim["counted"] == "调解"
    (near,) = extract_claims("全年开展近百场")
    assert near["qualifiers"] == "近、全年"  # the word before the number first
    assert _values("X5件") == [(5.0, "件")]
    assert _values("第3次，共5件3号，调解6件") == [(6.0, "件")]  # a number passed over does not end the scan
    assert [c["counted"] for c in extract_claims("X调解达到5件")] == ["X调解"]
    assert _values("发放3.5万份") == [(35000.0, "份")]


def test_one_claim_whole():
    (claim,) = extract_claims("全年开展近百场普法宣传活动和法律咨询服务进社区")  # after: 12 characters at most
    assert claim == {"value": 100, "unit": "场", "number_text": "近百场", "qualifiers": "近、全年",
                     "counted": "开展", "after": "普法宣传活动和法律咨询服", "is_rate": False, "is_100pct": False,
                     "start": 4, "end": 7}
    (hundred,) = extract_claims("调解100件")
    assert not hundred["is_100pct"] and not hundred["is_rate"]
    (rate,) = extract_claims("结案率5%")
    assert rate["is_rate"] and not rate["is_100pct"]


def test_a_long_clause_is_counted_from_its_last_break():
    # more than _LOOK_BACK characters without a break before the claim: found by bisecting the breaks
    (claim,) = extract_claims("一，二。" + "甲" * 70 + "调解5件，其后")
    assert claim["counted"] == "甲" * 70 + "调解"
    (first,) = extract_claims("甲" * 70 + "调解5件")  # no break at all: from the text's start
    assert first["counted"] == "甲" * 70 + "调解"


def test_clause_start_looks_back_sixty_four_characters():
    from helpers.indicators import _clause_start

    assert _clause_start("甲，乙", 3) == 2
    assert _clause_start("甲，", 2) == 2  # a break right before
    assert _clause_start("甲" * 10, 10) == 0
    assert _clause_start("甲" * 64, 64) == 0  # the look-back reaches the text's start
    assert _clause_start("甲" * 65, 65) is None  # it does not
    assert _clause_start("。" + "甲" * 63, 64) == 1  # a break 64 characters back is found
    assert _clause_start("。" + "甲" * 64, 65) is None  # 65 back is not


def test_headline_indicators_table_by_hand():
    import pandas as pd
    from pandas.testing import assert_frame_equal

    claims = pd.DataFrame({
        "report_id": ["b", "b", "a", "b", "a"], "family": ["trainings", "trainings", "trainings", "", "materials"],
        "value": [5.0, 5.0, 3.0, 99.0, 100.0], "unit": ["次", "次", "期", "件", "%"],
        "qualifiers": ["累计", "", "", "", "达"], "is_100pct": [False, False, False, False, True],
        "start": [10, 20, 5, 30, 40], "raw_start": [11, 21, 6, 31, 41],
    })
    expected = pd.DataFrame({
        "report_id": ["b", "a", "a"], "family": ["trainings", "trainings", "materials"], "value": [5.0, 3.0, 100.0],
        "unit": ["次", "期", "%"], "qualifiers": ["累计", "", "达"], "flag": ["", "", "100%"], "claims": [2, 1, 1],
        "start": [10, 5, 40], "raw_start": [11, 6, 41],
    })
    assert_frame_equal(headline_indicators(claims), expected)  # groups in order of first appearance; a tie: earliest
    none = headline_indicators(claims[claims["family"] == ""])
    assert none.empty and list(none.columns) == list(expected.columns)


def test_with_themes_attaches_each_item_s_themes():
    import pandas as pd

    from helpers.indicators import with_themes

    claims = pd.DataFrame({"report_id": ["a", "a", "b"], "part_seq": [1, 1, 0], "item_seq": [2, None, 2],
                           "value": [1.0, 2.0, 3.0], "themes": ["old", "old", "old"], "start": [0, 5, 9]})
    coded = pd.DataFrame({"report_id": ["b", "a"], "part_seq": [0, 1], "item_seq": [2, 2], "themes": ["普法", "调解"]})
    table = with_themes(claims, coded)
    assert list(table.columns) == ["report_id", "part_seq", "item_seq", "value", "themes", "start"]
    assert table["themes"].tolist() == ["调解", "", "普法"]
    assert with_themes(claims, None)["themes"].tolist() == ["", "", ""]


def test_claims_table_places_claims_in_the_first_item_and_later_ones():
    # the preamble's lead is the report's first item (index 0 of the items): its claim still has an item_seq
    import pandas as pd

    from helpers.corpus import report_from_raw
    from helpers.read import raw_from_text

    text = ("全年调解纠纷12件。\n一、主要举措和成效\n今年工作有序。\n（一）调解纠纷35件。\n（二）培训干部40人次。\n"
            "二、存在的不足\n（一）人员不足。")
    report = report_from_raw(raw_from_text(text, "t.csv row 2", "csv"), "r", {})
    table = claims_table([report])
    assert table["raw_text"].tolist() == ["12件", "35件", "40人次"]
    assert table["start"].tolist() == [6, 36, 48] and table["end"].tolist() == [9, 39, 52]
    assert [text[s:e] for s, e in zip(table["start"], table["end"])] == ["12件", "35件", "40人次"]
    assert table["part"].tolist() == ["preamble", "measures", "measures"]
    assert table["part_seq"].tolist() == [0, 1, 1]
    # measures: item 0 is the lead 今年工作有序, so the numbered items are 1 and 2
    assert table["item_seq"].tolist() == [0, 1, 2] and str(table["item_seq"].dtype) == "Int64"
    assert table["value"].tolist() == [12.0, 35.0, 40.0] and table["unit"].tolist() == ["件", "件", "人次"]
    assert table["family"].tolist() == ["mediation_cases", "mediation_cases", ""]
    assert table["themes"].tolist() == ["", "", ""]
    coded = pd.DataFrame({"report_id": ["r", "r"], "part_seq": [0, 1], "item_seq": [0, 2], "themes": ["调解", "培训"]})
    assert claims_table([report], coded)["themes"].tolist() == ["调解", "", "培训"]
    # a lexicon of the caller's own: its term 纠纷12件 holds a numeral, so 12件 inside it is no claim
    from helpers.lexicon import Lexicon

    own = Lexicon("test", "test: 纠纷12件", pd.DataFrame({"term": ["纠纷12件"], "category": ["test"]}),
                  frozenset(), frozenset(), frozenset())
    assert claims_table([report], lexicon=own)["raw_text"].tolist() == ["35件", "40人次"]
    none = claims_table([report_from_raw(raw_from_text("前言。\n一、主要举措和成效\n开展工作。\n二、存在的不足\n（一）人员不足。", "t.csv row 3", "csv"), "s", {})])
    assert none.empty and none["is_rate"].dtype == bool and none["is_100pct"].dtype == bool


def test_claims_table_gives_a_claim_outside_any_item_no_item_seq():
    # a claim in a part's heading lies in no item
    import pandas as pd

    from helpers.corpus import report_from_raw
    from helpers.read import raw_from_text

    text = "前言。\n一、主要举措和成效（调解纠纷35件）\n（一）开展培训。\n二、存在的不足\n（一）人员不足。"
    report = report_from_raw(raw_from_text(text, "t.csv row 2", "csv"), "r", {})
    table = claims_table([report])
    assert table["raw_text"].tolist() == ["35件"]
    assert table["part"].tolist() == ["measures"] and pd.isna(table["item_seq"].iloc[0])


# The rest of the second mutation run's survivors (docs/mutation.md).


def _lexicon(fingerprint, terms):
    import pandas as pd

    from helpers.lexicon import Lexicon

    return Lexicon("test", fingerprint, pd.DataFrame({"term": terms, "category": ["test"] * len(terms)}),
                   frozenset(), frozenset(), frozenset())


def test_protected_spans_of_a_lexicon_not_seen_before(monkeypatch):
    # the automata are cached per lexicon: start from an empty cache so that this lexicon's is built here
    from helpers import indicators

    monkeypatch.setattr(indicators, "_NUMERAL_AUTOMATA", {})
    own = _lexicon("test: numerals", ["两个维护", "调解", "一人一案", "3所联动"])
    # 两个维护 at 0–4, 一人一案 at 5–9, 3所联动 at 12–16 (调解 holds no numeral: not protected)
    assert indicators._protected_spans("两个维护、一人一案，依托3所联动调解", own) == [(0, 4), (5, 9), (12, 16)]
    assert indicators._protected_spans("调解纠纷", own) == []
    plain = _lexicon("test: no numerals", ["调解", "培训"])
    assert indicators._protected_spans("两个维护", plain) == []
    assert indicators._NUMERAL_AUTOMATA["test: no numerals"] is None
    assert set(indicators._NUMERAL_AUTOMATA) == {"test: numerals", "test: no numerals"}


def test_headline_title_counts_each_dispute_family_on_its_own():
    import pandas as pd

    # a counts only mediation cases, b only disputes screened, c publicity events twice (one report)
    headline = pd.DataFrame({"report_id": ["a", "b", "c", "c"],
                             "family": ["mediation_cases", "disputes_screened", "publicity_events", "publicity_events"]})
    claims = pd.DataFrame({"is_100pct": [False, False]})
    assert headline_title(headline, claims, 3) == "2 of 3 reports count disputes, 1 count publicity events; 0 claims of 100 %"
