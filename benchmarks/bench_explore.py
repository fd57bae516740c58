"""How heavy the items explorer is at scale: build time, bytes on disk, what the items page loads first, browser times.

Bytes: the whole explorer, its chunks and report files, and what the items page loads before its first rows. Times:
to the first rows, a sort, a facet filter and a text filter, in headless chromium.
Run ``make bench`` (or ``.venv/bin/python benchmarks/bench_explore.py --reports 10000``). For each size it builds
the deterministic synthetic corpus of benchmarks/scale.py (cached in ``build/bench/``) and its store (cached too),
then times :func:`helpers.explore.write_explorer` into ``build/bench/explore-<n>/``, and, when chromium and
chromedriver are installed, opens ``items.html`` from ``file://``. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import BENCH, build, corpus  # noqa: E402  (the benchmarks folder is not a package)

MiB = 2**20


def store(n: int) -> Path:
    """The store of the ``n``-report synthetic corpus (built once on every core, then reused while current)."""
    from helpers.errors import StudyError
    from helpers.store import Store

    folder, where = corpus(n), BENCH / f"explore-store-{n}"
    try:
        Store(where).check(folder)
    except StudyError:
        build(folder, where, 2)
    return where


def sizes(site: Path) -> dict[str, int]:
    """Bytes on disk: the whole explorer, its row chunks, its report files, and what the items page loads first."""
    data = site / "explore"

    def total(folder: Path) -> int:
        return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())

    first = [site / "items.html", data / "items.js", data / "meta.js", data / "rows" / "c00000.js"]
    return {"total": total(data) + sum((site / p).stat().st_size for p in ("items.html", "report.html")),
            "rows": total(data / "rows"), "reports": total(data / "reports"), "index": (data / "index.js").stat().st_size,
            "page": (site / "items.html").stat().st_size, "first": sum(p.stat().st_size for p in first),
            "chunk": max(p.stat().st_size for p in (data / "rows").glob("*.js")),
            "report": max(p.stat().st_size for p in (data / "reports").glob("*.js"))}


def browser_times(site: Path) -> dict[str, float] | None:
    """Seconds to the first rows, a sort by length, a theme filter and a text filter, in headless chromium."""
    chromium, driver_path = shutil.which("chromium") or shutil.which("chromium-browser"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1366,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    settled = ("return document.getElementById('status').textContent === '' && "
               "(document.querySelectorAll('#items tbody tr').length > 0 || "
               "document.getElementById('where').textContent === 'no item matches')")

    def wait(script: str, start: float) -> float:
        while not driver.execute_script(script):
            if time.perf_counter() - start > 600:
                raise SystemExit(f"timed out: {script}")
            time.sleep(0.01)
        return time.perf_counter() - start

    try:
        out = {}
        start = time.perf_counter()
        driver.get((site / "items.html").as_uri())
        out["first rows"] = wait(settled, start)
        start = time.perf_counter()
        driver.find_element(By.CSS_SELECTOR, "th[data-col=chars]").click()
        out["sort by length (loads index.js)"] = wait(
            "return document.querySelector('th[data-col=chars]').getAttribute('aria-sort') === 'ascending' && "
            + settled[7:], start)
        start = time.perf_counter()
        select = Select(driver.find_element(By.ID, "f-theme"))
        select.select_by_index(2)
        out["theme filter"] = wait("return location.hash.indexOf('theme=') >= 0 && " + settled[7:], start)
        start = time.perf_counter()
        driver.find_element(By.ID, "f-text").send_keys("调解")
        out["text filter (reads every chunk)"] = wait("return location.hash.indexOf('text=') >= 0 && " + settled[7:],
                                                      start) - 0.25  # less the input's 250 ms debounce
        out["JS heap MiB"] = driver.execute_script("return performance.memory ? performance.memory.usedJSHeapSize : 0") / MiB
        return out
    finally:
        driver.quit()


def main() -> int:
    """Print the explorer's figures for each corpus size."""
    from helpers.context import load_study
    from helpers.explore import write_explorer

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reports", type=int, nargs="+", default=[10000])
    parser.add_argument("--no-browser", action="store_true", help="skip the timings in headless chromium")
    args = parser.parse_args()
    print("| reports | items | build s | total MiB | row chunks MiB | report files MiB | index.js MiB | items.html KiB "
          "| first load KiB | largest chunk KiB | largest report KiB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    sites = []
    for n in args.reports:
        study = load_study(corpus(n), store_dir=store(n))
        site = BENCH / f"explore-{n}"
        shutil.rmtree(site, ignore_errors=True)
        start = time.perf_counter()
        write_explorer(study, site)
        seconds = time.perf_counter() - start
        items = len(study.items())
        s = sizes(site)
        print(f"| {n:,} | {items:,} | {seconds:.1f} | {s['total'] / MiB:.0f} | {s['rows'] / MiB:.0f} | "
              f"{s['reports'] / MiB:.0f} | {s['index'] / MiB:.1f} | {s['page'] / 1024:.0f} | {s['first'] / 1024:.0f} | "
              f"{s['chunk'] / 1024:.0f} | {s['report'] / 1024:.0f} |")
        print(f"  ratios: {s['total'] / items:.0f} bytes per item on disk; the first load is "
              f"{s['first'] / s['total'] * 100:.2f} % of the explorer; a sort or facet filter adds index.js "
              f"({s['index'] / items:.1f} bytes per item)")
        sites.append((n, site))
    if not args.no_browser:
        for n, site in sites:
            times = browser_times(site)
            if times is None:
                print("\nno chromium/chromedriver: browser timings skipped")
                break
            print(f"\nheadless chromium, {n:,} reports, from file://: "
                  + "; ".join(f"{k} {v:.0f}" if k.endswith("MiB") else f"{k} {v:.2f} s" for k, v in times.items()))
    print("\ntargets (issue 12): the first page of rows loads the same few hundred KB whatever the corpus size; rows "
          "appear in well under a second; the text filter, which reads every chunk, says how far it has got.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
