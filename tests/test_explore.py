"""The items explorer (helpers.explore): its data files hold every item exactly, its links resolve, and in a real
browser, from ``file://``, the table sorts, filters, pages and leads to the item marked in its report.

The corpus is shapes.genres (two 法治 reports and one 政府工作报告, whose id is Chinese): the explorer is written
for each genre, as a study run writes one per genre's site. Chunks are made small so that pages cross them.
The browser test skips without chromium, except in CI (``CI=true``), as in test_site_browser.py.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest
from shapes import checksums, genres

from helpers import explore
from helpers.context import load_study
from helpers.paths import RAW, ROOT
from helpers.store import build

SCREENSHOTS = ROOT / "build" / "screenshots"
GENRES = ("fazhi_report", "gov_work_report")


def _calls(path: Path) -> list:
    """The JSON arguments of the one call a data file makes (``EXPLORE.chunk(0,{…});``)."""
    text = path.read_text(encoding="utf-8")
    m = re.fullmatch(r"EXPLORE\.\w+\((.*)\);\n", text, flags=re.S)
    assert m, path
    return json.loads(f"[{m.group(1)}]")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("explore")
    corpus = genres(base / "corpus")
    store = base / "store"
    build(corpus, store, workers=1)
    sites = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(explore, "CHUNK_ROWS", 10)
        for genre in GENRES:
            study = load_study(corpus, store_dir=store, genre=genre)
            sites[genre] = (study, explore.write_explorer(study, base / "site" / genre).parent)
    return sites


def _rows(site: Path) -> list[tuple[list, dict]]:
    """Every row of the chunks, in order, with the chunk's report names."""
    meta = _calls(site / "explore" / "meta.js")[0]
    out = []
    for k in range(meta["chunks"]):
        number, chunk = _calls(site / "explore" / "rows" / f"c{k:05d}.js")
        assert number == k
        out += [(row, chunk["reports"]) for row in chunk["rows"]]
    return out


@pytest.mark.parametrize("genre", GENRES)
def test_the_chunks_hold_every_item_with_its_offsets_text_and_themes(built, genre):
    study, site = built[genre]
    items = study.items()
    table = study.store.table("texts", columns=["text"])
    texts = dict(zip(table["report_id"], table["text"]))
    coded, _ = study.coded()
    themes = {(r.report_id, r.part_seq, r.item_seq): r.themes for r in coded.itertuples()}
    meta = _calls(site / "explore" / "meta.js")[0]
    rows = _rows(site)
    assert meta["rows"] == len(rows) == len(items) > 0
    assert meta["chunks"] == -(-len(items) // 10) > (1 if genre == "fazhi_report" else 0)
    seen = set()
    for row, reports in rows:
        n, part_seq, item_seq, part, _, _, row_themes, _, start, end, text = row
        report_id, label = reports[str(n)]
        assert study.order[n] == report_id and label == study.labels[report_id]
        assert text == texts[report_id][start:end]  # exactly the item's characters, from the store's offsets
        assert meta["parts"][part][0] in study.part_names
        assert [meta["themes"][t][0] for t, _ in row_themes] == [
            c for c in themes.get((report_id, part_seq, item_seq), "").split(";") if c]
        seen.add((report_id, part_seq, item_seq, start, end, text))
    assert seen == {(r.report_id, r.part_seq, r.item_seq, r.start, r.end, r.text) for r in items.itertuples()}
    assert [r[0][0] for r in rows] == sorted(r[0][0] for r in rows)  # corpus order: reports, then text order
    if genre == "gov_work_report":
        assert study.order == ["2026_某省_政府工作报告"]  # like with like: one genre per explorer


@pytest.mark.parametrize("genre", GENRES)
def test_the_index_and_report_files_agree_with_the_store(built, genre):
    study, site = built[genre]
    index = _calls(site / "explore" / "index.js")[0]
    rows = _rows(site)
    assert sum(r[2] for r in index["reports"]) == len(rows) == len(index["part"]) == len(index["kind"])
    assert len(index["themes"].split(",")) == len(index["chars"]) == len(rows)
    assert index["chars"] == [row[9] - row[8] for row, _ in rows]
    texts = study.store.table("texts", columns=["text"])
    parts = study.parts()
    for n, report_id in enumerate(study.order):
        report = _calls(site / "explore" / "reports" / f"r{n:05d}.js")[0]
        assert report["id"] == report_id
        assert report["text"] == texts.set_index("report_id").loc[report_id, "text"]
        mine = parts[parts["report_id"] == report_id].sort_values("start")
        assert [(p[0], p[2], p[4], p[5]) for p in report["parts"]] == list(
            zip(mine["part"], mine["part_seq"], mine["start"], mine["end"]))
        ends = [0]
        for _, _, start, end in report["items"]:  # the viewer marks items one after another: none overlaps
            assert start >= ends[-1] and end > start
            ends.append(end)


@pytest.mark.parametrize("genre", GENRES)
def test_every_link_resolves(built, genre):
    _, site = built[genre]
    for page in ("items.html", "report.html"):
        source = (site / page).read_text(encoding="utf-8")
        for target in re.findall(r'(?:src|href)="([^"#?]+)', source):
            if target != "index.html":  # the site's index: written by helpers.site beside the explorer
                assert (site / unquote(target)).is_file(), (page, target)
    items_js = (site / "explore" / "items.js").read_text(encoding="utf-8")
    assert "fetch(" not in items_js and "XMLHttpRequest" not in items_js  # file:// pages cannot read files so
    for row, reports in _rows(site):
        # the link items.js builds: report.html?id=<id>&r=<n>#item-<part_seq>-<item_seq>
        report_id = reports[str(row[0])][0]
        link = f"report.html?id={report_id}&r={row[0]}#item-{row[1]}-{row[2]}"
        parts = urlsplit(link)
        query = parse_qs(parts.query)
        report = _calls(site / "explore" / "reports" / f"r{int(query['r'][0]):05d}.js")[0]
        assert report["id"] == query["id"][0]
        assert parts.fragment in {f"item-{p}-{i}" for p, i, _, _ in report["items"]}


@pytest.mark.parametrize("genre", GENRES)
def test_both_pages_carry_one_font_that_covers_every_report(built, genre):
    """The two pages' inline Noto Sans SC is cut once, for the characters of both pages and of every report shown."""
    import base64
    import io

    from fontTools.ttLib import TTFont

    study, site = built[genre]
    faces = [re.search(r'@font-face\{font-family:"Noto Sans SC";src:url\(data:font/otf;base64,([^)]*)\)',
                       (site / page).read_text(encoding="utf-8")) for page in ("items.html", "report.html")]
    assert all(faces) and faces[0].group(1) == faces[1].group(1)
    font = TTFont(io.BytesIO(base64.b64decode(faces[0].group(1))))
    covered = set(map(chr, font.getBestCmap()))
    texts = study.store.table("texts", columns=["text"])["text"]
    wanted = {c for text in texts for c in text if not c.isspace()} | set(study.caption.replace(" ", ""))
    assert wanted - covered == set()


def test_a_second_run_replaces_the_data(built, tmp_path):
    study, _ = built["fazhi_report"]
    site = tmp_path / "site"
    (site / "explore" / "rows").mkdir(parents=True)
    (site / "explore" / "rows" / "c99999.js").write_text("stale", encoding="utf-8")
    explore.write_explorer(study, site)
    assert not (site / "explore" / "rows" / "c99999.js").exists()
    assert (site / "items.html").is_file() and (site / "report.html").is_file()
    first = checksums(site)
    explore.write_explorer(study, site)
    assert checksums(site) == first  # byte for byte the same from the same store


@pytest.mark.parametrize("genre", GENRES)
def test_written_a_slice_of_reports_at_a_time_the_files_are_the_same(built, tmp_path, monkeypatch, genre):
    """Items, texts and evidence read a few reports at a time (chunks crossing the slices): the same bytes."""
    study, _ = built[genre]
    monkeypatch.setattr(explore, "CHUNK_ROWS", 10)
    whole = checksums(explore.write_explorer(study, tmp_path / "whole", reports=10 ** 6).parent)
    assert (len([name for name in whole if "/rows/" in name]) > 1) == (genre == "fazhi_report")  # chunks cross slices
    for reports in (1, 2):
        assert checksums(explore.write_explorer(study, tmp_path / f"by{reports}", reports=reports).parent) == whole


def test_the_site_command_says_why_it_wrote_no_explorer(tmp_path):
    page, line = explore.write_site_explorer(tmp_path / "site", RAW, tmp_path / "no-store")
    assert page is None and line.startswith("items explorer not written: ") and "python -m helpers build" in line
    assert not (tmp_path / "site" / "items.html").exists()


# --- in a browser -----------------------------------------------------------------------------------------------

def _wait(driver, script: str, seconds: float = 10):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {script}")


def _settled(driver) -> list[dict]:
    """Wait for the table to be drawn (no pending work), then return its rows as the page shows them."""
    _wait(driver, "return window.EXPLORE && document.getElementById('status').textContent === '' "
                  "&& document.querySelectorAll('#items tbody tr').length > 0 || "
                  "document.getElementById('where').textContent === 'no item matches'")
    return driver.execute_script("""
        return Array.from(document.querySelectorAll('#items tbody tr')).map(tr => ({
          row: +tr.dataset.row, href: tr.querySelector('a').getAttribute('href'),
          chars: +tr.lastChild.textContent, text: tr.querySelector('td.text').textContent,
          themes: tr.children[4].textContent}));""")


def _errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def test_the_table_sorts_filters_pages_and_leads_to_the_item_marked(browser, built):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    study, site = built["fazhi_report"]
    items = study.items()
    browser.get((site / "items.html").as_uri())
    rows = _settled(browser)
    browser.execute_async_script("const done = arguments[0]; document.fonts.ready.then(() => done(true));")
    assert browser.execute_script("return document.fonts.check('16px \"Noto Sans SC\"', '法治政府建设年度报告');")
    assert _errors(browser) == []
    assert [r["row"] for r in rows] == list(range(50 if len(items) > 50 else len(items)))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "explore-items-1366.png"))

    # pages: 25 a page, the second page starts at row 26 (it crosses the 10-row chunks)
    Select(browser.find_element(By.ID, "f-size")).select_by_visible_text("25")
    assert [r["row"] for r in _settled(browser)] == list(range(25))
    browser.find_element(By.ID, "next").click()
    _wait(browser, "return document.querySelector('#items tbody tr').dataset.row === '25'")
    assert [r["row"] for r in _settled(browser)] == list(range(25, min(50, len(items))))

    # sort: Chars descending, then ascending
    chars = sorted((items["end"] - items["start"]).tolist())
    head = browser.find_element(By.CSS_SELECTOR, "th[data-col=chars]")
    head.click()
    _wait(browser, "return document.querySelector('th[data-col=chars]').getAttribute('aria-sort') === 'ascending'")
    assert [r["chars"] for r in _settled(browser)] == chars[:25]
    head.click()
    _wait(browser, "return document.querySelector('th[data-col=chars]').getAttribute('aria-sort') === 'descending'")
    assert [r["chars"] for r in _settled(browser)] == chars[::-1][:25]

    # filter: a theme, then words of the text as well (the text filter reads every chunk)
    coded, _ = study.coded()
    theme = coded["themes"].str.split(";").explode().value_counts().index[0]
    Select(browser.find_element(By.ID, "f-theme")).select_by_value(theme)
    _wait(browser, "return location.hash.indexOf('theme=') >= 0")
    with_theme = coded[coded["themes"].str.split(";").apply(lambda t: theme in t)]
    assert browser.find_element(By.ID, "where").text.endswith(f"of {len(with_theme)} (filtered from {len(items)}) · "
                                                               f"page 1 of {-(-len(with_theme) // 25)}")
    shown = _settled(browser)
    label = dict(_calls(site / "explore" / "meta.js")[0]["themes"])[theme]
    assert shown and all(label in r["themes"] for r in shown)
    word = "调解"
    both = with_theme.merge(items, on=["report_id", "part_seq", "item_seq"])
    expected = int(both["text"].str.contains(word, regex=False).sum())
    assert expected > 0
    box = browser.find_element(By.ID, "f-text")
    box.send_keys(word)
    _wait(browser, f"return location.hash.indexOf('text={word}') >= 0 || "
                   f"decodeURIComponent(location.hash).indexOf('text={word}') >= 0")
    shown = _settled(browser)
    assert len(shown) == expected
    assert browser.find_element(By.ID, "where").text.startswith(f"rows 1–{expected} of {expected} ")

    # follow a row's link: the report page marks exactly that item's characters
    target = shown[-1]
    browser.find_element(By.CSS_SELECTOR, f'tr[data-row="{target["row"]}"] a').click()
    hit = _wait(browser, "return document.querySelector('.item.hit')")
    query = parse_qs(urlsplit(browser.current_url).query)
    part_seq, item_seq = map(int, urlsplit(browser.current_url).fragment.split("-")[1:])
    item = items[(items["report_id"] == query["id"][0]) & (items["part_seq"] == part_seq)
                 & (items["item_seq"] == item_seq)]
    assert len(item) == 1
    assert hit.text.replace("\n", "") == item["text"].iloc[0].replace("\n", "")
    assert browser.execute_script("return document.querySelector('.item.hit').textContent") == item["text"].iloc[0]
    assert browser.execute_script(
        "const r = document.querySelector('.item.hit').getBoundingClientRect();"
        "return r.bottom > 0 && r.top < window.innerHeight;")  # scrolled into view
    assert word in hit.text
    browser.execute_async_script("const done = arguments[0]; document.fonts.ready.then(() => done(true));")
    browser.save_screenshot(str(SCREENSHOTS / "explore-report-1366.png"))
    assert _errors(browser) == []

    # back: the table comes back as it was left (its state is in the address)
    browser.back()
    assert len(_settled(browser)) == expected
    assert browser.find_element(By.ID, "f-text").get_attribute("value") == word


def test_a_chinese_report_id_and_a_narrow_screen(browser, built):
    study, site = built["gov_work_report"]
    browser.set_window_size(390, 844)
    try:
        browser.get((site / "items.html").as_uri())
        rows = _settled(browser)
        assert len(rows) == len(study.items())
        browser.save_screenshot(str(SCREENSHOTS / "explore-items-390.png"))
        href = rows[-1]["href"]
        assert "id=" + "2026_某省_政府工作报告" in unquote(href)
        browser.get((site / href).as_uri() if "#" not in href else site.as_uri() + "/" + href)
        hit = _wait(browser, "return document.querySelector('.item.hit')")
        assert hit.text
        assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        browser.save_screenshot(str(SCREENSHOTS / "explore-report-390.png"))
        assert _errors(browser) == []
        # ?id= alone (a link written by hand): the viewer finds the report's number in the index
        item = study.items().iloc[2]
        browser.get(f"{site.as_uri()}/report.html?id={quote(item['report_id'])}#item-{item['part_seq']}-{item['item_seq']}")
        hit = _wait(browser, "return document.querySelector('.item.hit')")
        assert browser.execute_script("return document.querySelector('.item.hit').textContent") == item["text"]
        browser.get(f"{site.as_uri()}/report.html?id=nobody")
        _wait(browser, "return document.getElementById('status').textContent.indexOf('No report nobody') === 0")
    finally:
        browser.set_window_size(1366, 1000)
