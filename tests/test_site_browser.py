"""The rendered site in a real browser: pages load without console errors, images show, Chinese renders.

Uses Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them). Where they are missing the test
skips on a user's machine, but fails in CI (``CI=true``): there a missing browser is a broken setup.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers.paths import FIGURES, NOTEBOOKS, ROOT
from helpers.site import build_site

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
SCREENSHOTS = ROOT / "build" / "screenshots"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM and DRIVER):
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but chromium/chromedriver are not installed: .ci/run must install them")
        pytest.skip("no chromium/chromedriver on this machine (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-quic", "--window-size=1280,1600",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    notebooks = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    return build_site(notebooks, tmp_path_factory.mktemp("site"), FIGURES if FIGURES.is_dir() else None)


def _pages(site: Path) -> list[Path]:
    return [site, *sorted(p for p in site.parent.glob("*.html") if p.name != "index.html")]


def test_every_page_loads_cleanly_with_images_and_cjk(browser, site):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for page in _pages(site):
        browser.get(page.as_uri())
        browser.execute_async_script("const done = arguments[0]; document.fonts.ready.then(() => done(true));")
        errors = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
        assert errors == [], f"{page.name}: {errors[:3]}"
        images = browser.execute_script(
            "return Array.from(document.images).map(i => [i.complete && i.naturalWidth > 0, i.src.slice(0, 40)]);")
        if page.name != "index.html" or (FIGURES.is_dir() and any(FIGURES.glob("*.png"))):
            assert images and all(ok for ok, _ in images), f"{page.name}: broken or missing images {images[:3]}"
        # The bundled font is loaded and covers the page's Chinese text: no fallback boxes.
        assert browser.execute_script(
            "return document.fonts.check('16px \"Noto Sans SC\"', '法治政府建设年度报告');"), page.name
        used = browser.execute_script(
            "return Array.from(document.fonts).filter(f => f.family.includes('Noto Sans SC') && f.status === 'loaded').length;")
        assert used >= 1, f"{page.name}: the inline Noto Sans SC face did not load"
        assert browser.save_screenshot(str(SCREENSHOTS / f"{page.stem}.png"))


def test_cjk_check_can_fail(browser, tmp_path):
    # A page without the inline font: the same check must report that Noto Sans SC is not there.
    page = tmp_path / "plain.html"
    page.write_text("<!DOCTYPE html><html><body><p>法治政府建设</p></body></html>", encoding="utf-8")
    browser.get(page.as_uri())
    assert browser.execute_script(
        "return Array.from(document.fonts).filter(f => f.family.includes('Noto Sans SC')).length;") == 0
