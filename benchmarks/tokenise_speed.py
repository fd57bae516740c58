"""Tokenisation speed: the study's path against bare ``jieba.lcut`` on the same text, cold and warm.

Usage: .venv/bin/python benchmarks/tokenise_speed.py [--mb 5]

Prints characters per second for
* bare jieba (``jieba.lcut``, default dictionary, HMM off) — the baseline;
* the study's ``Tokeniser`` (lexicon, protected terms, offsets), uncached;
* the same through the on-disk cache: first call (cold: tokenise + write) and second call (warm: read);
and the overhead ratio of the study's path over the baseline (goal: ≤ 1.25). The text is the bundled corpus,
normalised, repeated to about ``--mb`` megabytes of UTF-8.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time

import jieba

from helpers.corpus import load_corpus
from helpers.tokenise import Tokeniser


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Print the tokenisation speeds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="size of the test text in MB of UTF-8 (default 5)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is reported")
    args = parser.parse_args()

    base = "\n".join(r.text for r in load_corpus())
    copies = max(1, round(args.mb * 1e6 / len(base.encode("utf-8"))))
    text = "\n".join([base] * copies)
    n = len(text)
    print(f"text: {n:,} characters ({len(text.encode('utf-8')) / 1e6:.1f} MB), the corpus × {copies}")

    jieba.setLogLevel(logging.WARNING)
    bare = jieba.Tokenizer()
    bare.initialize()
    ours = Tokeniser(cache_dir=False)
    ours.jieba()  # dictionary loading is not what is measured

    t_bare = _best(lambda: bare.lcut(text, HMM=False), args.repeat)
    t_ours = _best(lambda: ours.token_ends(text), args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        cached = Tokeniser(cache_dir=tmp)
        cached.jieba()
        start = time.perf_counter()
        cached.cached_token_ends(text)
        t_cold = time.perf_counter() - start
        t_warm = _best(lambda: cached.cached_token_ends(text), args.repeat)

    rows = [("bare jieba.lcut (HMM off)", t_bare), ("study Tokeniser, uncached", t_ours),
            ("study Tokeniser, cache cold", t_cold), ("study Tokeniser, cache warm", t_warm)]
    for name, seconds in rows:
        print(f"{name:32s} {seconds:8.3f} s {n / seconds / 1e6:8.2f} M chars/s")
    print(f"overhead of the study's path over bare jieba: {t_ours / t_bare:.2f}× (goal ≤ 1.25×)")
    print(f"warm cache speed-up over uncached:           {t_ours / t_warm:.0f}×")


if __name__ == "__main__":
    main()
