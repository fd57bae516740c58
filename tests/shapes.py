"""Corpus folders of the shapes people actually have, built by the tests from the bundled reports.

Each builder writes a folder and returns it; none of them touches ``data/raw``. The shapes: one report; reports
of one city; reports whose place cannot be known; a folder mixing good, duplicate, unsupported and broken files
with reports that lack headings or parts, years and unit levels mixed; hundreds of synthetic reports; a table of
reports with a text column.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

from helpers import synthetic
from helpers.corpus import load_corpus
from helpers.paths import RAW, ROOT

SEEDS = RAW / "reports"
#: Real reports nobody here wrote (../shared/external; read in place, never copied into the repository).
EXTERNAL = ROOT.parent / "shared" / "external" / "provincial_gwr_2026"
HUAJIA, DONGSAN, XIAOZHAILU, DAMATOU, XIYUZHUANG = (
    SEEDS / f"{name}.txt" for name in ("2022_liaoning_huajia", "2024_jilin_dongsan", "2024_shaanxi_xiaozhailu",
                                       "2025_hunan_damatou", "2024_tianjin_xiyuzhuang"))
#: A report with headings but no place, no figure and no 《》 title.
PLAIN = ("关于2024年度法治政府建设情况的报告\n一、主要举措和成效\n（一）加强学习。组织干部学习法律知识，开展普法宣传活动。\n"
         "二、存在的不足\n干部法治意识有待提高。\n三、下一步工作安排\n继续加强学习培训。\n")
#: A report without any heading (scraped as a paragraph).
FLAT = "本单位今年做了很多法治工作，加强了学习，也还存在一些问题，明年继续努力。\n"


#: A short 政府工作报告 as scraped: page furniture, a review, an unheaded admission, targets and tasks.
GWR = """下载
打印
【字号：
加大
】
2026年某省政府工作报告
来源：某省日报
时间：2026-02-02
省长作政府工作报告。本报记者 张三摄
各位代表：
现在，我代表省人民政府，向大会报告政府工作，请予审议。
一、2025年工作回顾
过去一年，我们推进改革，经济增长5%，新增就业30万人，办成民生实事20件，各项事业取得新的进展和成效。
在看到成绩的同时，我们也清醒认识到，发展中还存在一些困难和问题。主要是：有效需求不足，创新能力不强。
二、2026年工作安排
今年经济社会发展的主要预期目标是：地区生产总值增长5%左右，城镇新增就业30万人以上，居民收入稳步增长。
三、加强政府自身建设
我们要坚持依法行政，自觉接受人大监督，持续改进作风，努力建设人民满意的政府，把各项任务落到实处。
一、提高低保标准。
二、新建养老床位。
相关报道：
"""


def checksums(folder: Path) -> dict[str, str]:
    """sha256 of every file below ``folder`` (links by their target path), to prove a run changed nothing."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            out[path.relative_to(folder).as_posix()] = "link:" + str(path.readlink())
        elif path.is_file():
            out[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def one_report(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copyfile(XIAOZHAILU, folder / XIAOZHAILU.name)
    return folder


def one_city(folder: Path) -> Path:
    """Three reports, all placed by reports.csv in 西安: one macro-region only."""
    folder.mkdir(parents=True)
    for seed in (XIAOZHAILU, DAMATOU, HUAJIA):
        shutil.copyfile(seed, folder / seed.name)
    with (folder / "reports.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["file", "province", "city"])
        for seed in (XIAOZHAILU, DAMATOU, HUAJIA):
            writer.writerow([seed.name, "陕西省", "西安市"])
    return folder


def no_place(folder: Path) -> Path:
    """Reports whose text names no place: no province, no region can be known."""
    folder.mkdir(parents=True)
    shutil.copyfile(XIYUZHUANG, folder / "a.txt")
    (folder / "b.txt").write_text(PLAIN, encoding="utf-8")
    return folder


def mixed(folder: Path) -> Path:
    """Good reports beside duplicates, unsupported, broken and system files; one report without headings,
    one without a shortcomings part; years and unit levels mixed."""
    folder.mkdir(parents=True)
    shutil.copyfile(HUAJIA, folder / "huajia.txt")
    shutil.copyfile(DAMATOU, folder / "damatou.txt")
    (folder / "dongsan_gbk.txt").write_bytes(DONGSAN.read_text(encoding="utf-8").encode("gb18030"))
    (folder / "flat.txt").write_text(FLAT, encoding="utf-8")
    # a town's report without a shortcomings part, and a department's: unit levels and years mixed
    (folder / "plain.txt").write_text(PLAIN.replace("关于2024年度", "城关镇关于2023年度").replace(
        "二、存在的不足\n干部法治意识有待提高。\n三、", "二、"), encoding="utf-8")
    (folder / "sifaju.txt").write_text(PLAIN.replace("关于2024年度法治政府建设情况的报告", "西安市司法局2024年法治政府建设年度报告"),
                                       encoding="utf-8")
    sub = folder / "copies"
    sub.mkdir()
    shutil.copyfile(HUAJIA, sub / "huajia (1).txt")  # the same bytes
    (sub / "damatou_bom.txt").write_bytes(b"\xef\xbb\xbf" + DAMATOU.read_bytes())  # the same text, other bytes
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    (folder / "report.wps").write_bytes(b"\xd0\xcf\x11\xe0wps")
    (folder / "reports.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 26)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "utf16.txt").write_bytes("法治政府建设".encode("utf-16"))
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a word file")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (folder / "~$huajia.docx").write_bytes(b"\x00lock")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    (folder / "manifest.csv").write_text("province,year\n北京市,2024\n", encoding="utf-8")
    return folder


def synthetic_corpus(folder: Path, n: int, seed: int = 1) -> Path:
    """``n`` synthetic reports built from the bundled reports' items (see :mod:`helpers.synthetic`)."""
    pool = synthetic.item_pool(load_corpus(RAW))
    return synthetic.write_corpus(folder, synthetic.synthetic_reports(n, pool, seed=seed, missing_rate=0.15))


def synthetic_report_objects(corpus, n: int, seed: int) -> list:
    """``n`` synthetic reports built from ``corpus``'s items, read as reports in memory (no folder), warnings off."""
    import warnings

    from helpers.corpus import report_from_raw
    from helpers.read import raw_from_text

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [report_from_raw(raw_from_text(r.text, r.file, "txt"), r.file[:-4])
                for r in synthetic.synthetic_reports(n, synthetic.item_pool(corpus), seed=seed)]


def table_of_reports(folder: Path) -> Path:
    """A scraped collection: one CSV, one row per report, a ``full_text`` column and metadata columns."""
    folder.mkdir(parents=True)
    with (folder / "collection.csv").open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["title", "province", "year", "publish_date", "source_url", "full_text"])
        writer.writerow(["小寨路街道2024年度法治政府建设工作总结", "陕西省", "2024", "2024-12-30", "https://example.org/1",
                         XIAOZHAILU.read_text(encoding="utf-8")])
        writer.writerow(["大码头街道2025年法治政府建设情况报告", "湖南省", "2025", "2026年1月27日", "https://example.org/2",
                         DAMATOU.read_text(encoding="utf-8")])
        writer.writerow(["空白", "北京市", "2024", "", "", ""])
    return folder


def genres(folder: Path) -> Path:
    """Two 法治 reports and one 政府工作报告 in one folder: a study of several genres."""
    folder.mkdir(parents=True)
    for name in ("2024_tianjin_xiyuzhuang.txt", "2025_hunan_damatou.txt"):
        shutil.copyfile(SEEDS / name, folder / name)
    (folder / "2026_某省_政府工作报告.txt").write_text(GWR, encoding="utf-8")
    return folder


def study_of(folder: Path, tmp: Path):
    """The store of ``folder`` built into ``tmp/store`` (one worker) and opened as a study."""
    from helpers.context import load_study
    from helpers.store import build

    build(folder, tmp / "store", workers=1)
    return load_study(folder, store_dir=tmp / "store")
