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
    assert headline_title(headline, claims, 5) == "2 of 5 reports count disputes, 1 count publicity events; 2 claims report 100%"
    assert FAMILY_LABELS["trainings"] == "培训与学法 / trainings and study sessions"
