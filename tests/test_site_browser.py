"""The rendered site in a real browser, at a laptop's width (1366 px) and a phone's (390 px).

Every page: loads without console errors; images show; the page is laid out at the screen's width (the viewport
meta) and no element sticks out of it except inside a scroll box, with the code hidden and shown; and every element
with Chinese text — code and ``pre`` included — is drawn with the bundled fonts only, Chinese by the inline Noto
Sans SC, asked of Chrome itself (DevTools ``CSS.getPlatformFontsForNode``: the fonts really used, not the CSS list). Screenshots of each
page at both widths are kept in ``build/screenshots/`` (``.ci/run`` keeps them as CI artefacts). Each check is
shown to fail on a page made to break it.

Uses Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them). Where they are missing the test
skips on a user's machine, but fails in CI (``CI=true``): there a missing browser is a broken setup.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from helpers.explore import ITEMS_LINK, write_site_explorer
from helpers.paths import FIGURES, NOTEBOOKS, RAW, ROOT
from helpers.site import build_site, page_html, site_nav
from helpers.store import build

SCREENSHOTS = ROOT / "build" / "screenshots"
WIDTHS = {"wide": (1366, 900, False), "phone": (390, 844, True)}  # width, height, mobile (the viewport meta counts)
# Chrome's screenshots stop at 16 384 px; a full page is taken up to this height
SHOT_HEIGHT = 12000

_OVERFLOW = """
const vw = document.documentElement.clientWidth;
const scrolls = el => { for (let a = el.parentElement; a; a = a.parentElement) {
  const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string'
  ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
const bad = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (!r.width && !r.height) continue;
  if ((r.right > vw + 1 || r.left < -1) && !scrolls(el)) bad.push(name(el) + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
}
return {vw: vw, scrollWidth: document.documentElement.scrollWidth, bad: bad};
"""

_MARK_CJK = """
let n = 0;
for (const el of document.querySelectorAll('*')) {
  el.removeAttribute('data-cjk');
  if (!el.getClientRects().length) continue;
  if (Array.from(el.childNodes).some(t => t.nodeType === 3 && /[\\u3400-\\u9fff]/.test(t.data))) { el.setAttribute('data-cjk', ''); n++; }
}
return n;
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    # the site as `python -m helpers site` writes it: the notebooks' pages, and the items explorer from a store
    notebooks = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    base = tmp_path_factory.mktemp("site")
    build(RAW, base / "store", workers=1)
    items, _ = write_site_explorer(base / "site", RAW, base / "store", site_nav(notebooks, [ITEMS_LINK]))
    assert items is not None
    return build_site(notebooks, base / "site", FIGURES if FIGURES.is_dir() else None, extra_links=[ITEMS_LINK])


def _pages(site: Path) -> list[Path]:
    return [site, *sorted(p for p in site.parent.glob("*.html") if p.name != "index.html")]


def _open(driver, page: Path, width: str) -> None:
    w, h, mobile = WIDTHS[width]
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": mobile})
    # the report viewer shows a report given its number (and an item to mark), as the items table links to it
    driver.get(page.as_uri() + ("?r=0#item-1-1" if page.name == "report.html" else ""))
    driver.execute_async_script("const done = arguments[0]; document.fonts.ready.then(() => done(true));")


def overflowing(driver, width: str) -> list[str]:
    """What sticks out of the screen (outside any scroll box), and a page laid out wider than the screen."""
    found = driver.execute_script(_OVERFLOW)
    problems = list(found["bad"])
    if found["vw"] != WIDTHS[width][0]:
        problems.append(f"laid out {found['vw']} px wide on a {WIDTHS[width][0]} px screen (no viewport meta?)")
    if found["scrollWidth"] > found["vw"] + 1:
        problems.append(f"the page scrolls sideways: {found['scrollWidth']} px > {found['vw']} px")
    return problems


def cjk_font_problems(driver) -> list[str]:
    """Elements with Chinese text drawn with anything but the inline fonts, Chinese by Noto Sans SC (Chrome's word)."""
    if driver.execute_script(_MARK_CJK) == 0:
        return ["no Chinese text on the page"]
    driver.execute_cdp_cmd("DOM.enable", {})
    driver.execute_cdp_cmd("CSS.enable", {})
    root = driver.execute_cdp_cmd("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    nodes = driver.execute_cdp_cmd("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-cjk]"})["nodeIds"]
    problems = []
    for node in nodes:
        fonts = driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        if not fonts or not all(f["isCustomFont"] for f in fonts) or "Noto Sans SC" not in {f["familyName"] for f in fonts}:
            html = driver.execute_cdp_cmd("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
            problems.append(f"{html[:80]!r}: {[(f['familyName'], f['isCustomFont'], f['glyphCount']) for f in fonts]}")
    driver.execute_cdp_cmd("DOM.disable", {})
    return problems


def _screenshot(driver, path: Path) -> None:
    w = driver.execute_script("return window.innerWidth;")
    height = min(SHOT_HEIGHT, driver.execute_script("return document.documentElement.scrollHeight;"))
    # JPEG: a whole page at 1366 px encodes several times faster than PNG, and is a fifth of the size
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "jpeg", "quality": 80, "captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": w, "height": height, "scale": 1}})
    path.write_bytes(base64.b64decode(shot["data"]))


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_reads_on_the_screen(browser, site, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for page in _pages(site):
        _open(browser, page, width)
        errors = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
        assert errors == [], f"{page.name}: {errors[:3]}"
        images = browser.execute_script(
            "return Array.from(document.images).map(i => [i.complete && i.naturalWidth > 0, i.alt, i.src.slice(0, 40)]);")
        # notebook pages show charts, the index the exported figures (when there are); the explorer has none
        if page.name[:2].isdigit() or (page.name == "index.html" and FIGURES.is_dir() and any(FIGURES.glob("*.png"))):
            assert images and all(ok for ok, _, _ in images), f"{page.name}: broken or missing images {images[:3]}"
        assert all(alt and "No description" not in alt for _, alt, _ in images), f"{page.name}: {images[:3]}"
        assert overflowing(browser, width) == [], page.name
        _screenshot(browser, SCREENSHOTS / f"{page.stem}-{width}.jpg")
        if browser.execute_script("return document.getElementById('show-code') !== null;"):
            code = "return Array.from(document.querySelectorAll('.input')).filter(e => e.getClientRects().length).length;"
            assert browser.execute_script(code) == 0, f"{page.name}: code shows before the reader asks for it"
            browser.find_element("css selector", "label[for=show-code]").click()
            assert browser.execute_script(code) > 0, f"{page.name}: 'Show the code' shows no code"
            assert overflowing(browser, width) == [], f"{page.name} with its code shown"
        # with the code shown: code and pre hold Chinese (comments, strings) too
        assert cjk_font_problems(browser) == [], f"{page.name} at {width}"


def test_each_check_can_fail(browser, tmp_path):
    # a wide table outside any scroll box, a fixed-width block, and a page without the viewport meta
    wide = "<table><tr>" + "".join(f"<td>column_{i}_with_a_long_unbreakable_value</td>" for i in range(12)) + "</tr></table>"
    unwrapped = tmp_path / "wide.html"
    unwrapped.write_text(page_html("宽表", "<p>法治</p>", "").replace("<main>", "<main>" + wide), encoding="utf-8")
    _open(browser, unwrapped, "phone")
    assert any(p.startswith("table") for p in overflowing(browser, "phone"))
    assert any("scrolls sideways" in p for p in overflowing(browser, "phone"))
    wrapped = tmp_path / "wrapped.html"  # the same table given to page_html is put in a scroll box
    wrapped.write_text(page_html("宽表", wide, ""), encoding="utf-8")
    _open(browser, wrapped, "phone")
    assert overflowing(browser, "phone") == []
    no_viewport = tmp_path / "no_viewport.html"
    no_viewport.write_text(page_html("手机", "<p>法治</p>", "").replace('<meta name="viewport"', '<meta name="x"'),
                           encoding="utf-8")
    _open(browser, no_viewport, "phone")
    assert any("no viewport meta" in p for p in overflowing(browser, "phone"))
    # code set in a font stack that leaves Chinese to the system: the used-font check names the element
    page = tmp_path / "code.html"
    page.write_text(page_html("代码", "<p>法治政府</p><pre><code># 法治政府建设</code></pre>", "",
                              head_extra="<style>code{font-family:monospace}</style>"), encoding="utf-8")
    _open(browser, page, "wide")
    problems = cjk_font_problems(browser)
    assert len(problems) == 1 and problems[0].startswith("'<code"), problems
    plain = tmp_path / "plain.html"  # no inline font at all
    plain.write_text("<!DOCTYPE html><html><body><p>法治政府建设</p></body></html>", encoding="utf-8")
    _open(browser, plain, "wide")
    assert len(cjk_font_problems(browser)) == 1
