"""How text reuse (helpers.reuse) scales: time, peak RSS, candidate pairs, passages, recall of planted copies.

Run ``.venv/bin/python benchmarks/bench_reuse.py --reports 1000 10000`` (part of ``make bench``). A synthetic corpus
from :mod:`helpers.synthetic` alone is pathological for reuse — every item is drawn from the five bundled reports'
items, so every report shares whole paragraphs with thousands of others — so the corpus here is made realistic:

* every item's Han characters are varied: each is replaced, with probability 0.25 (a seeded RNG), by another of
  the 3 000 commonest-code Han characters, so two reports that drew the same item share a 10-character shingle
  of it with probability 0.75²⁰ ≈ 0.3 %: about what two unrelated reports share by chance. The title, the
  standard opening and the part headings stay as they are: the corpus's boilerplate;
* 5 % of reports copy 1–3 paragraphs (varied items) of another report, inserted among their own items;
* 20 % of units have a report of the year before: the later report repeats half of its plan items (at least one)
  verbatim and has new measures.

Each report is its own raw file (``to_raw`` is the identity; the store's map is per report and read on demand).
The corpus is written to ``build/bench/reuse-N/`` once; :func:`helpers.reuse.find_reuse` then runs in a fresh
process whose peak RSS (``ru_maxrss``) includes reading the corpus. Printed: seconds, peak RSS, units sketched,
candidate pairs (of all ``n(n-1)/2``), passages, boilerplate passages, and recall of the planted copies (a planted
paragraph counts as found when the passages between the two reports — pairwise, or boilerplate stretches inside it —
cover at least 90 % of its characters on the copying side) and of the planted plan repeats. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "build" / "bench"
VARY = 0.25
COPIERS = 0.05
WITH_PREVIOUS = 0.20


def _vary(text: str, rng: random.Random) -> str:
    return "".join(chr(0x4E00 + rng.randrange(3000)) if "\u4e00" <= c <= "\u9fff" and rng.random() < VARY else c
                   for c in text)


def _render(title: str, opening: str, parts: list[tuple[str, str, list[str]]]) -> tuple[str, list[tuple]]:
    """The report's text and its parts ``(part, start, end)``: a preamble, then each part from its heading."""
    lines = [title, opening]
    spans = []
    at = len(title) + 1 + len(opening) + 1
    spans.append(("preamble", 0, at))
    for part, heading, items in parts:
        block = "\n".join([heading, *items]) + "\n"
        spans.append((part, at, at + len(block)))
        lines.append(block.rstrip("\n"))
        at += len(block)
    return "\n".join(lines) + "\n", spans


def make_corpus(n: int, seed: int = 7) -> Path:
    """Write the benchmark corpus of ``n`` reports (texts, parts, metadata, planted copies) once; returns its folder."""
    from helpers import synthetic
    from helpers.corpus import load_corpus

    folder = BENCH / f"reuse-v2-{n}"
    if (folder / ".complete").is_file():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pool = synthetic.item_pool(load_corpus())
    base = synthetic.synthetic_reports(n, pool, seed=seed)
    numerals = "一二三四五六七八九十"
    reports: list[dict] = []
    n_previous = int(WITH_PREVIOUS * n)
    for k, r in enumerate(base):
        parts = []
        for i, part in enumerate(p for p in ("measures", "shortcomings", "leadership", "plans") if p in r.parts):
            low, high = {"measures": (3, 6), "shortcomings": (1, 3), "leadership": (1, 3), "plans": (2, 4)}[part]
            items = [f"（{numerals[j]}）" + _vary(body, rng)
                     for j, body in enumerate(rng.sample(pool[part], min(len(pool[part]), rng.randint(low, high))))]
            heading = next(line for line in r.text.split("\n") if line.startswith(f"{numerals[i]}、"))
            parts.append([part, heading, items])
        unit = f"{r.unit[:-2]}{k}号街道"  # one name per unit, as in a real corpus (synthetic names repeat)
        title, opening = (line.replace(r.unit, unit) for line in r.text.split("\n")[:2])
        reports.append({"report_id": f"r{k:05d}", "unit": unit, "report_year": r.year, "title": title,
                        "opening": opening, "parts": parts})
    # 20 % of units: the last n_previous reports become the next year of the first n_previous
    repeats = []
    for k in range(n_previous):
        before, after = reports[k], reports[n - 1 - k]
        after["unit"], after["report_year"] = before["unit"], before["report_year"] + 1
        plans_before = next((items for part, _, items in before["parts"] if part == "plans"), [])
        plans_after = next((items for part, _, items in after["parts"] if part == "plans"), None)
        if plans_before and plans_after is not None:
            kept = rng.sample(plans_before, max(1, len(plans_before) // 2))
            plans_after[:0] = kept
            repeats.append({"report_id": after["report_id"], "previous": before["report_id"],
                            "repeated": "\n".join(kept)})
    # 5 % of reports copy 1–3 paragraphs of another
    planted = []
    for k in rng.sample(range(n), int(COPIERS * n)) if n > 1 else []:
        other = rng.randrange(n - 1)
        source = reports[other + (other >= k)]
        paragraphs = [item for _, _, items in source["parts"] for item in items if len(item) >= 40]
        target = reports[k]["parts"][0][2]
        for paragraph in rng.sample(paragraphs, min(len(paragraphs), rng.randint(1, 3))):
            target.insert(rng.randint(0, len(target)), paragraph)
            planted.append({"report_id": reports[k]["report_id"], "source": source["report_id"],
                            "paragraph": paragraph})
    texts, parts_rows = [], []
    for r in reports:
        text, spans = _render(r["title"], r["opening"], r["parts"])
        texts.append({"report_id": r["report_id"], "text": text})
        parts_rows += [{"report_id": r["report_id"], "part": p, "start": s, "end": e} for p, s, e in spans]
    pd.DataFrame(texts).to_parquet(folder / "texts.parquet")
    pd.DataFrame(parts_rows).to_parquet(folder / "parts.parquet")
    pd.DataFrame([{k: r[k] for k in ("report_id", "unit", "report_year")} for r in reports]).astype(
        {"report_year": str}).to_parquet(folder / "metadata.parquet")
    pd.DataFrame(planted).to_parquet(folder / "planted.parquet")
    pd.DataFrame(repeats).to_parquet(folder / "repeats.parquet")
    (folder / ".complete").write_text("", encoding="utf-8")
    return folder


def _identity(rid: str, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return starts, ends


def run(folder: Path) -> None:
    """In this (fresh) process: read the corpus, find reuse, print one JSON line of figures."""
    import pyarrow.parquet as pq

    from helpers import memory, reuse

    start = time.perf_counter()
    # the texts as the study holds them (reuse.study_reuse): Python strings read a slice of reports at a time, the
    # Arrow memory they came from handed back (a pandas frame of the whole table took 0.3 GB more at 10⁴ reports)
    texts: dict[str, str] = {}
    for batch in pq.ParquetFile(folder / "texts.parquet").iter_batches(reuse.TEXT_SLICE_REPORTS, columns=["report_id", "text"]):
        texts.update(zip(batch.column("report_id").to_pylist(), batch.column("text").to_pylist()))
    del batch
    memory.arrow()
    found = reuse.find_reuse(texts, pd.read_parquet(folder / "parts.parquet"), _identity,
                             pd.read_parquet(folder / "metadata.parquet"))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    own = found.passages[~found.passages["boilerplate"]]
    text_of = texts
    planted = pd.read_parquet(folder / "planted.parquet")
    hits, shares = 0, []
    every = found.passages  # a planted paragraph's boilerplate stretches (a stock clause inside it) count as found
    for p in planted.itertuples():
        at = text_of[p.report_id].index(p.paragraph)
        side = pd.concat([every.loc[(every["report_a"] == p.report_id) & (every["report_b"] == p.source),
                                    ["start_a", "end_a"]].set_axis(["start", "end"], axis=1),
                          every.loc[(every["report_b"] == p.report_id) & (every["report_a"] == p.source),
                                    ["start_b", "end_b"]].set_axis(["start", "end"], axis=1)])
        covered = np.zeros(len(p.paragraph), dtype=bool)
        for s, e in zip(side["start"], side["end"]):
            covered[max(s - at, 0):max(min(e - at, len(p.paragraph)), 0)] = True
        hits += covered.mean() >= 0.9
        shares.append(float(covered.mean()))
    repeats = pd.read_parquet(folder / "repeats.parquet")
    measured = found.repeats.set_index("report_id")
    found_repeats = sum(bool(pd.notna(measured.loc[r.report_id, "repeat_chars"])
                             and measured.loc[r.report_id, "repeat_chars"] >= 0.9 * len(r.repeated))
                        for r in repeats.itertuples())
    n = found.reports
    print(json.dumps({
        "reports": n, "chars": sum(map(len, texts.values())), "seconds": round(seconds, 1),
        "peak_rss_mib": round(peak), "units": found.units, "candidate_unit_pairs": found.candidate_unit_pairs,
        "candidate_pairs": found.candidate_pairs, "all_pairs": n * (n - 1) // 2, "passages": len(found.passages),
        "pairwise_passages": len(own), "copying_pairs": len(found.pairs), "boilerplate_passages": len(found.boilerplate),
        "boilerplate_threshold_reports": found.boilerplate_reports, "planted": len(planted), "planted_found": int(hits),
        "planted_touched": sum(x > 0 for x in shares), "planted_least_pct": round(100 * min(shares, default=1.0)),
        "repeats_planted": len(repeats), "repeats_found": int(found_repeats),
        "words": reuse.words(reuse.summary(found))}, ensure_ascii=False))


def main() -> int:
    """Print the figures for each corpus size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reports", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.run:
        run(args.run)
        return 0
    print("| reports | M chars | s | peak RSS MiB | units | candidate pairs (of all) | passages (pairwise) | "
          "boilerplate passages | planted copies found (any of it; least covered) | plan repeats found |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    sentences = []
    peaks: dict[int, float] = {}
    for n in args.reports:
        folder = make_corpus(n)
        out = subprocess.run([sys.executable, __file__, "--run", str(folder)], capture_output=True, text=True,
                             cwd=ROOT, check=False)
        if out.returncode:
            print(out.stderr, file=sys.stderr)
            return out.returncode
        f = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"| {f['reports']:,} | {f['chars'] / 1e6:.1f} | {f['seconds']} | {f['peak_rss_mib']:,} | {f['units']:,} | "
              f"{f['candidate_pairs']:,} ({f['all_pairs']:,}) | {f['passages']:,} ({f['pairwise_passages']:,}) | "
              f"{f['boilerplate_passages']:,} (threshold {f['boilerplate_threshold_reports']:,} reports) | "
              f"{f['planted_found']:,} of {f['planted']:,} ({f['planted_touched']:,}; {f['planted_least_pct']} %) | "
              f"{f['repeats_found']:,} of {f['repeats_planted']:,} |")
        sentences.append((n, f["words"]))
        peaks[n] = f["peak_rss_mib"]
    for n, words in sentences:
        print(f"\n{n:,} reports: " + " ".join(words))
    print("\nA planted copy is found when the two reports' passages cover ≥ 90 % of it; in brackets, how many have any of"
          " it covered, and the least share covered. Text held by the boilerplate threshold's reports or more is"
          " boilerplate, not listed between pairs: a planted paragraph holding such a clause is found in part.")
    print("\nissue 10's memory targets (set for the store's build, benchmarks/scale.py), held against text reuse: "
          "peak RSS ≤ 2 GiB at 10 000 reports, and no higher at 20 000")
    for line in memory_verdicts(peaks):
        print(line)
    return 0


def memory_verdicts(peaks: dict[int, float]) -> list[str]:
    """This run's peaks against issue 10's memory targets, each ``met`` or ``NOT met``, with the reason when not."""
    lines = []
    if 10_000 in peaks:
        lines.append(f"  10,000 reports: {peaks[10_000]:,.0f} MiB (≤ 2 GiB: {'met' if peaks[10_000] <= 2048 else 'NOT met'})")
    if 10_000 in peaks and 20_000 in peaks:
        grown = 100 * (peaks[20_000] / peaks[10_000] - 1)
        lines.append(f"  20,000 reports: {peaks[20_000]:,.0f} MiB, {grown:+.0f} % (no higher: "
                     + ("met)" if grown <= 0 else "NOT met: the search holds every report's text and each paragraph's "
                        "band keys, which grow with the corpus)"))
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
