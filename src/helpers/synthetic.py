"""Synthetic corpora built from the bundled reports' own items, for tests and benchmarks.

A synthetic report is a real report's skeleton — title, preamble, the mandated parts under numbered headings,
issuer and date — filled with items drawn from the bundled reports' parts of the same kind, so its vocabulary,
sentence lengths and layout are those of real reports. Places are real (province, prefecture, county), so
that place inference can be checked; street names are invented. Everything is drawn from a seeded
``random.Random``: the same ``n`` and ``seed`` give byte-identical files on every machine.

Nothing here is a finding: synthetic reports exist to exercise the code at the shapes and sizes real folders
have (hundreds of reports, missing parts, one-line scraped text).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from helpers.numerals import MARKERS

#: Real places (province, prefecture, county) the synthetic units are placed in; all four macro-regions.
PLACES: tuple[tuple[str, str, str], ...] = (
    ("陕西省", "西安市", "雁塔区"), ("陕西省", "宝鸡市", "渭滨区"), ("辽宁省", "沈阳市", "和平区"),
    ("辽宁省", "大连市", "甘井子区"), ("吉林省", "长春市", "南关区"), ("湖南省", "益阳市", "资阳区"),
    ("湖南省", "长沙市", "岳麓区"), ("天津市", "天津市", "红桥区"), ("浙江省", "杭州市", "西湖区"),
    ("广东省", "广州市", "天河区"), ("四川省", "成都市", "武侯区"), ("河南省", "郑州市", "金水区"),
    ("黑龙江省", "哈尔滨市", "南岗区"), ("江苏省", "苏州市", "姑苏区"), ("云南省", "昆明市", "五华区"),
)
_STREET_HEADS = "长安 和平 东风 建设 文化 新华 人民 光明 幸福 春晖 南湖 北岭 青山 翠园 金桥 龙泉".split()
_NUMERALS = "一二三四五六七八九十"
_HEADINGS = {
    "measures": "{year}年推进法治政府建设的主要举措和成效",
    "shortcomings": "存在的不足和原因",
    "leadership": "党政主要负责人履行推进法治建设第一责任人职责情况",
    "plans": "{next}年推进法治政府建设的主要安排",
}
_COUNTS = {"measures": (3, 6), "shortcomings": (1, 3), "leadership": (1, 3), "plans": (2, 4)}


@dataclass(frozen=True)
class SyntheticReport:
    """One generated report and the facts it was built from (what a test may check inference against)."""

    file: str
    text: str
    unit: str
    province: str
    city: str
    county: str
    year: int
    parts: tuple[str, ...]


def _strip_marker(text: str) -> str:
    for _, pattern in MARKERS:
        m = pattern.match(text)
        if m:
            return text[m.end():]
    return text


def item_pool(reports: Sequence) -> dict[str, list[str]]:
    """Top-level outline blocks of each mandated part across ``reports``, in corpus order.

    A block is a top-level item with everything nested under it (its sub-items, as lines of the source text),
    its own marker stripped: a measures part is mostly short headings with the substance in sub-items, so a pool
    of headings alone would give reports half as long as real ones.

    Args:
        reports: loaded :class:`helpers.corpus.Report` objects (usually the bundled corpus).
    """
    pool: dict[str, list[str]] = {part: [] for part in _HEADINGS}
    for report in reports:
        parts = {(p.label, p.seq): p for p in report.segmentation.parts}
        items = report.segmentation.items
        for k, item in enumerate(items):
            if item.part not in pool or item.kind not in ("numbered", "titled", "paragraph") or item.level != 1:
                continue
            part_end = parts[(item.part, item.part_seq)].end  # the next part's heading is not the block's
            end = min(part_end, next((later.start for later in items[k + 1:] if later.level <= 1), part_end))
            lines = [line.strip() for line in report.text[item.start:end].split("\n") if line.strip()]
            lines[0] = _strip_marker(lines[0]).strip()
            # an item cut from a longer outline may end without a full stop; a report's last line before the
            # sign-off would then run on into it
            lines = [line if line[-1] in "。；！？：" else line + "。" for line in lines]
            if len("".join(lines)) >= 12:
                pool[item.part].append("\n".join(lines))
    return pool


def synthetic_reports(n: int, pool: dict[str, list[str]], seed: int = 0, missing_rate: float = 0.1,
                      one_line_rate: float = 0.0) -> list[SyntheticReport]:
    """``n`` reports drawn from ``pool`` (see :func:`item_pool`).

    Args:
        n: how many reports.
        pool: part → item texts to draw from.
        seed: the random seed (same seed, same reports).
        missing_rate: probability that a report leaves out its shortcomings part, and (separately) its
            leadership part — real reports do.
        one_line_rate: probability that a report is written as one line, as scraped text often is.

    Returns:
        The reports, with file names ``synthetic_00001.txt`` … in order.
    """
    rng = random.Random(seed)
    out = []
    for k in range(1, n + 1):
        province, city, county = rng.choice(PLACES)
        street = rng.choice(_STREET_HEADS) + rng.choice(("路", "街", "桥", "门", "园")) + "街道"
        year = rng.choice((2021, 2022, 2023, 2024, 2025))
        unit = street
        parts = [p for p in _HEADINGS if not (p in ("shortcomings", "leadership") and rng.random() < missing_rate)]
        lines = [f"{county}{unit}{year}年法治政府建设工作情况报告",
                 f"{year}年，{unit}在区委、区政府的坚强领导下，深入学习贯彻习近平法治思想，现将有关情况报告如下："]
        for number, part in zip(_NUMERALS, parts):
            lines.append(f"{number}、" + _HEADINGS[part].format(year=year, next=year + 1))
            low, high = _COUNTS[part]
            chosen = rng.sample(pool[part], min(len(pool[part]), rng.randint(low, high)))
            lines.extend(f"（{_NUMERALS[i]}）{body}" for i, body in enumerate(chosen))
        lines += [f"{city}{county}{unit}办事处", f"{year + 1}年{rng.randint(1, 3)}月{rng.randint(1, 28)}日"]
        one_line = rng.random() < one_line_rate
        text = ("".join(lines).replace("\n", "") if one_line else "\n".join(lines)) + "\n"
        out.append(SyntheticReport(f"synthetic_{k:05d}.txt", text, unit, province, city, county, year, tuple(parts)))
    return out


def write_corpus(folder: Path | str, reports: Sequence[SyntheticReport]) -> Path:
    """Write ``reports`` as UTF-8 files into ``folder`` (created); returns the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for report in reports:
        (folder / report.file).write_text(report.text, encoding="utf-8")
    return folder
