"""The National Bureau of Statistics' four macro-regions (东部/中部/西部/东北)."""

from __future__ import annotations

#: Order used in every table and chart of the study.
MACRO_REGIONS = ("东部", "中部", "西部", "东北")

_REGION_OF = {
    "东部": "北京 天津 河北 上海 江苏 浙江 福建 山东 广东 海南",
    "中部": "山西 安徽 江西 河南 湖北 湖南",
    "西部": "内蒙古 广西 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆",
    "东北": "辽宁 吉林 黑龙江",
}
PROVINCE_REGION = {p: region for region, names in _REGION_OF.items() for p in names.split()}

_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市")


def province_short(province: str) -> str:
    """Strip the administrative suffix: ``陕西省`` → ``陕西``, ``广西壮族自治区`` → ``广西``."""
    name = province.strip()
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def macro_region(province: str) -> str | None:
    """Return the macro-region of a province-level unit, or ``None`` when it is unknown.

    Example:
        >>> macro_region("辽宁省")
        '东北'
    """
    return PROVINCE_REGION.get(province_short(province))
