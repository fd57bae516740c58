"""Place inference from the gazetteer: exact places, ambiguity left empty, body text read conservatively."""

from __future__ import annotations

import time

import pytest

from helpers.places import Place, gazetteer_file, locate
from helpers.regions import macro_region


def _pcc(place: Place) -> tuple[str, str, str, str]:
    return place.province, place.city, place.county, place.adcode


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        # the cases that motivated the module (seed reports and the brief)
        ("大连金普新区华家街道", ("辽宁省", "大连市", "", "210200")),  # 金普新区 is a 国家级新区, not a county
        ("雁塔区小寨路街道", ("陕西省", "西安市", "雁塔区", "610113")),
        ("益阳市大码头街道", ("湖南省", "益阳市", "", "430900")),
        ("公主岭市东三街道", ("吉林省", "长春市", "公主岭市", "220184")),  # moved from 四平 to 长春 in 2020
        ("天津市红桥区西于庄街道", ("天津市", "天津市", "红桥区", "120106")),
        # municipalities: the municipality is its own city, as in reports.csv
        ("北京市朝阳区人民政府", ("北京市", "北京市", "朝阳区", "110105")),
        ("海淀区人民政府", ("北京市", "北京市", "海淀区", "110108")),
        ("上海市浦东新区人民政府", ("上海市", "上海市", "浦东新区", "310115")),
        ("重庆市渝中区人民政府", ("重庆市", "重庆市", "渝中区", "500103")),
        # autonomous regions and prefectures, full and short
        ("广西壮族自治区南宁市青秀区人民政府", ("广西壮族自治区", "南宁市", "青秀区", "450103")),
        ("新疆维吾尔自治区乌鲁木齐市天山区", ("新疆维吾尔自治区", "乌鲁木齐市", "天山区", "650102")),
        ("内蒙古自治区呼和浩特市人民政府", ("内蒙古自治区", "呼和浩特市", "", "150100")),
        ("延边朝鲜族自治州延吉市人民政府", ("吉林省", "延边朝鲜族自治州", "延吉市", "222401")),
        ("黔东南州凯里市", ("贵州省", "黔东南苗族侗族自治州", "凯里市", "522601")),
        ("恩施土家族苗族自治州人民政府", ("湖北省", "恩施土家族苗族自治州", "", "422800")),
        # county-level cities (县级市), including one directly under its province (no city)
        ("昆山市人民政府", ("江苏省", "苏州市", "昆山市", "320583")),
        ("义乌市司法局", ("浙江省", "金华市", "义乌市", "330782")),
        ("仙桃市人民政府", ("湖北省", "", "仙桃市", "429004")),
        ("东莞市松山湖管委会", ("广东省", "东莞市", "", "441900")),  # a city without counties
        # a same-named district placed by its city or province in the same name
        ("长春市朝阳区人民政府", ("吉林省", "长春市", "朝阳区", "220104")),
        ("福建省鼓楼区人民政府", ("福建省", "福州市", "鼓楼区", "350102")),
        ("南昌市西湖区人民政府", ("江西省", "南昌市", "西湖区", "360103")),
        ("吉林市船营区人民政府", ("吉林省", "吉林市", "船营区", "220204")),  # 吉林市, not 吉林省
        ("马鞍山市和县人民政府", ("安徽省", "马鞍山市", "和县", "340523")),
        ("和县人民政府", ("安徽省", "马鞍山市", "和县", "340523")),
    ],
)
def test_unit_names_are_placed_exactly(unit, expected):
    place = locate({"unit": unit})
    assert _pcc(place) == expected
    assert (place.source, place.note) == ("unit", "")


@pytest.mark.parametrize(
    ("unit", "note"),
    [
        ("鼓楼区人民政府", "ambiguous: 鼓楼区 is in 南京市, 徐州市, 福州市, 开封市"),
        ("朝阳区人民政府", "ambiguous: 朝阳区 is in 北京市, 长春市"),
        ("和平区人民政府", "ambiguous: 和平区 is in 天津市, 沈阳市"),
        ("城中区人民政府", "ambiguous: 城中区 is in 柳州市, 西宁市"),
    ],
)
def test_an_ambiguous_name_alone_is_never_guessed(unit, note):
    assert locate({"unit": unit}) == Place(note=note)


def test_an_ambiguous_name_within_one_province_gives_the_province_only():
    place = locate({"unit": "桥西区人民政府"})
    assert _pcc(place) == ("河北省", "", "", "130000")
    assert place.note == "ambiguous: 桥西区 is in 石家庄市, 张家口市"


@pytest.mark.parametrize(
    ("fields", "expected", "source"),
    [
        ({"unit": "鼓楼区人民政府", "issuer": "南京市鼓楼区人民政府"}, ("江苏省", "南京市", "鼓楼区", "320106"), "unit"),
        ({"unit": "鼓楼区人民政府", "text": "2023年，福州市鼓楼区坚持…"}, ("福建省", "福州市", "鼓楼区", "350102"), "unit"),
        ({"unit": "朝阳区人民政府", "title": "长春市朝阳区2023年法治政府建设年度报告"},
         ("吉林省", "长春市", "朝阳区", "220104"), "unit"),
        # the sign-off's issuer refines the unit's name
        ({"unit": "小寨路街道", "issuer": "中共西安市雁塔区小寨路街道工作委员会"},
         ("陕西省", "西安市", "雁塔区", "610113"), "issuer"),
        ({"unit": "东三街道", "issuer": "公主岭市东三街道党工委、公主岭市东三街道办事处"},
         ("吉林省", "长春市", "公主岭市", "220184"), "issuer"),
    ],
)
def test_other_fields_disambiguate_and_refine(fields, expected, source):
    place = locate(fields)
    assert (_pcc(place), place.source, place.note) == (expected, source, "")


def test_a_later_field_that_rules_out_every_candidate_leaves_the_place_empty():
    # no 鼓楼区 in 北京: the text speaks of somewhere else, and the unit's own name stays ambiguous
    place = locate({"unit": "鼓楼区人民政府", "text": "学习北京市先进经验"})
    assert place == Place(note="ambiguous: 鼓楼区 is in 南京市, 徐州市, 福州市, 开封市")


def test_body_text_never_contradicts_nor_refines_the_units_place():
    assert _pcc(locate({"unit": "雁塔区小寨路街道", "text": "学习北京市经验，借鉴上海市浦东新区做法"})) == (
        "陕西省", "西安市", "雁塔区", "610113")
    # a provincial report that names one of its cities in the preamble is still a provincial report
    place = locate({"unit": "陕西省人民政府", "text": "2023年，西安市雁塔区等地试点……"})
    assert (_pcc(place), place.source) == (("陕西省", "", "", "610000"), "unit")
    # the sign-off refines, the text does not: 资阳区 in the text leaves 益阳市
    assert locate({"issuer": "益阳市大码头街道办事处", "text": "资阳区大码头街道2025年…"}).county == ""


def test_conflicting_report_fields_keep_the_higher_priority_one_and_say_so():
    place = locate({"unit": "雁塔区小寨路街道", "title": "长春市朝阳区法治政府建设报告"})
    assert _pcc(place) == ("陕西省", "西安市", "雁塔区", "610113")
    assert place.note == "title names 长春市, which disagrees with 雁塔区 (unit); kept 雁塔区"


def test_body_text_is_a_fallback_read_conservatively():
    place = locate({"unit": "西于庄街道办事处", "text": "2024年，天津市红桥区西于庄街道认真践行…"})
    assert (_pcc(place), place.source) == (("天津市", "天津市", "红桥区", "120106"), "text")
    # only its first 300 characters
    assert locate({"text": "。" * 300 + "天津市红桥区"}) == Place()
    # short names in running text are words of other sentences: 学习北京经验
    assert locate({"text": "2023年，学习北京经验"}) == Place()
    # a text that names two provinces is not used
    assert locate({"text": "学习北京市、上海市经验"}) == Place(note="text names places that disagree (北京市, 上海市); not used")


@pytest.mark.parametrize(
    "value",
    ["某某街道办事处", "中山路街道办事处", "朝阳街道办事处", "城北区域治理", "", "   "],
)
def test_no_place_found(value):
    assert locate({"unit": value, "text": "城区和县城之间，振兴县域经济"}) == Place()


def test_provinces_map_to_the_studys_regions():
    for unit, region in [("雁塔区", "西部"), ("公主岭市", "东北"), ("天津市红桥区", "东部"), ("益阳市", "中部"),
                         ("广西壮族自治区", "西部"), ("内蒙古自治区", "西部")]:
        assert macro_region(locate({"unit": unit}).province) == region


def test_every_county_named_with_its_city_is_placed_and_lone_names_are_exact_or_ambiguous():
    import csv

    with gazetteer_file().open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if not r["adcode"].startswith(("71", "81", "82", "99"))]
    names = {r["adcode"][:6]: r["name"] for r in rows}
    for code, name in names.items():
        if code.endswith("00"):
            continue
        city = names.get(code[:4] + "00") or names[code[:2] + "0000"]
        assert locate({"unit": f"{city}{name}人民政府"}).adcode == code, name
        alone = locate({"unit": f"{name}人民政府"})
        assert alone.adcode == code or alone.note.startswith(f"ambiguous: {name} is in"), name


def test_locating_is_fast_once_loaded():
    locate({"unit": "雁塔区"})  # loads the gazetteer
    fields = {"unit": "小寨路街道", "issuer": "中共西安市雁塔区小寨路街道工作委员会",
              "title": "小寨路街道2024年度法治政府建设工作总结", "text": "今年,小寨路街道坚持以习近平新时代……" * 20}
    start = time.perf_counter()
    for _ in range(200):
        locate(fields)
    assert (time.perf_counter() - start) / 200 < 0.005  # well under 5 ms a report (≈0.1 ms measured)
