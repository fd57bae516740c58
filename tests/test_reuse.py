"""Text reuse (helpers.reuse): passages found with their offsets, boilerplate apart, last year's plans repeated."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
import shapes
from datasketch import MinHash, MinHashLSH
from figure_checks import assert_legible_on_a_slide

from helpers import plots, reuse
from helpers.normalise import normalise
from helpers.paths import RAW
from helpers.unavailable import Unavailable

matplotlib.use("Agg")



def _paragraphs(seed: int, n: int, length: int = 60) -> list[str]:
    """``n`` paragraphs of random common Han characters (no 10-gram shared by chance), each ending with 。."""
    rng = np.random.default_rng(seed)
    return ["".join(chr(c) for c in rng.integers(0x4E00, 0x4E00 + 3000, size=length)) + "。" for _ in range(n)]


def _raw(paragraphs: list[str]) -> str:
    """A raw file: indented lines (spaces and an ideographic space), CRLF line ends, a blank line between."""
    return "\r\n\r\n".join(f"  \u3000{p}" for p in paragraphs) + "\r\n"


class _Corpus:
    """Raw texts → normalised texts, a parts table (measures then plans) and the raw map, as the store has them."""

    def __init__(self, raws: dict[str, str], plans_from: dict[str, int] | None = None) -> None:
        self.raws = raws
        self.norm = {rid: normalise(raw) for rid, raw in raws.items()}
        self.texts = pd.DataFrame({"report_id": list(raws), "text": [self.norm[r].text for r in raws]})
        rows = []
        for rid, n in self.norm.items():
            split = (plans_from or {}).get(rid)
            cut = n.text.index(split) if isinstance(split, str) else len(n.text)
            if cut:
                rows.append((rid, "measures", 0, cut))
            if cut < len(n.text):
                rows.append((rid, "plans", cut, len(n.text)))
        self.parts = pd.DataFrame(rows, columns=["report_id", "part", "start", "end"])

    def to_raw(self, rid: str, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.norm[rid].spans_to_raw(starts, ends)

    def find(self, **kwargs) -> reuse.Reuse:
        return reuse.find_reuse(self.texts, self.parts, self.to_raw, **kwargs)


def test_a_report_built_from_anothers_paragraphs_is_found_with_its_offsets_on_both_sides():
    a = _paragraphs(1, 8)
    b = _paragraphs(2, 6)
    b_built = [b[0], a[5], b[1], b[2], a[2], a[3], b[3]]  # two passages: a[5]; a[2]+a[3] (in another order)
    corpus = _Corpus({"A": _raw(a), "B": _raw(b_built)})
    found = corpus.find()
    passages = found.passages[~found.passages["boilerplate"]].sort_values("start_a").reset_index(drop=True)
    assert len(passages) == 2
    na, nb = corpus.norm["A"].text, corpus.norm["B"].text
    assert na != corpus.raws["A"] and len(corpus.raws["A"]) > len(na)  # the raw map is not the identity
    expected = [(a[2] + "\n" + a[3])[:-1], a[5][:-1]]  # content characters end before the final 。
    for row, text, cut in zip(passages.itertuples(), expected, reuse.passage_texts(found, passages)):
        assert (row.report_a, row.report_b) == ("A", "B")
        assert (row.start_a, row.end_a) == (na.index(text), na.index(text) + len(text))
        assert (row.start_b, row.end_b) == (nb.index(text), nb.index(text) + len(text))
        assert cut == text
        first, last = text.split("\n")[0], text.split("\n")[-1]
        raw_a, raw_b = corpus.raws["A"], corpus.raws["B"]
        assert (row.raw_start_a, row.raw_end_a) == (raw_a.index(first), raw_a.index(last) + len(last))
        assert (row.raw_start_b, row.raw_end_b) == (raw_b.index(first), raw_b.index(last) + len(last))
        assert raw_a[row.raw_start_a:row.raw_end_a].replace("\r\n\r\n  \u3000", "\n") == text
    assert found.pairs[["report_a", "report_b", "passages"]].values.tolist() == [["A", "B", 2]]
    assert found.pairs.loc[0, "chars_a"] == found.pairs.loc[0, "chars_b"] == sum(len(t) for t in expected)
    coverage = found.coverage.set_index("report_id")
    assert coverage.loc["B", "pairwise_chars"] == found.pairs.loc[0, "chars_b"]
    assert coverage.loc["B", "boilerplate_chars"] == 0


def test_unrelated_reports_share_nothing_above_the_threshold():
    corpus = _Corpus({f"R{i}": _raw(_paragraphs(10 + i, 10)) for i in range(6)})
    found = corpus.find()
    assert found.passages.empty and found.pairs.empty and found.boilerplate.empty
    assert found.candidate_pairs == 0
    assert reuse.title(reuse.summary(found)).startswith("No report copies another beyond boilerplate")
    assert reuse.title(reuse.summary(found)).endswith("nor do reports share template language")  # nothing shared
    assert (found.coverage["reused_chars"] == 0).all() and len(found.coverage) == 6
    # aligning every pair finds nothing either: no 20-character passage is shared by chance
    assert corpus.find(every_pair=True).passages.empty


def test_boilerplate_shared_by_most_reports_is_flagged_and_not_counted_as_pairwise():
    opening = _paragraphs(99, 1, 40)[0]
    copied = _paragraphs(98, 1)[0]
    raws = {}
    for i in range(6):
        own = _paragraphs(20 + i, 5)
        if i in (1, 4):
            own.insert(3, copied)
        raws[f"R{i}"] = _raw([opening, *own])
    corpus = _Corpus(raws)
    found = corpus.find()
    assert found.boilerplate_reports == 3  # max(3, ceil(0.05 × 6))
    assert reuse.boilerplate_texts(found, found.boilerplate).tolist() == [opening[:-1]]
    assert found.boilerplate.loc[0, "reports"] == 6
    # the table owns its columns: none is a view of a block that also holds the stretches' text, dropped from it
    for block in found.boilerplate._mgr.blocks:
        values = block.values
        assert not isinstance(values, np.ndarray) or values.base is None or values.base.size == values.size
    pairwise = found.passages[~found.passages["boilerplate"]]
    assert pairwise[["report_a", "report_b"]].values.tolist() == [["R1", "R4"]]
    assert reuse.passage_texts(found, pairwise).tolist() == [copied[:-1]]
    assert found.pairs[["report_a", "report_b", "passages", "boilerplate_passages"]].values.tolist() == [
        ["R1", "R4", 1, 1]]
    coverage = found.coverage.set_index("report_id")
    assert (coverage["boilerplate_chars"] == len(opening) - 1).all()
    assert coverage["pairwise_chars"].to_dict() == {f"R{i}": len(copied) - 1 if i in (1, 4) else 0 for i in range(6)}
    # a stricter threshold than six reports: the opening is no longer boilerplate, and is copying between every pair
    strict = corpus.find(settings=reuse.ReuseSettings(boilerplate_share=1.0, boilerplate_min_reports=7))
    assert strict.boilerplate.empty and len(strict.pairs) == 15


def test_text_held_by_the_most_reports_boilerplate_may_need_is_boilerplate_whatever_the_corpus_size():
    """The threshold is 5 % of the reports but at most ``boilerplate_max_reports``: a passage word for word in that
    many reports is a template, and its holders' pairs (which grow with their square) are not aligned."""
    settings = reuse.ReuseSettings()
    assert [settings.boilerplate_reports(n) for n in (2, 5, 31, 1000, 1999, 2000, 2001, 10**4, 10**6)] == [
        3, 3, 3, 50, 100, 100, 100, 100, 100]
    assert reuse.ReuseSettings(boilerplate_min_reports=7, boilerplate_max_reports=4).boilerplate_reports(100) == 7
    template = _paragraphs(97, 1)[0]
    copied = _paragraphs(96, 1)[0]
    raws = {}
    for i in range(40):
        own = _paragraphs(200 + i, 3)
        if i < 6:  # six reports hold the template
            own.insert(1, template)
        if i in (10, 11):
            own.insert(2, copied)
        raws[f"R{i:02d}"] = _raw(own)
    corpus = _Corpus(raws)
    share = reuse.ReuseSettings(boilerplate_share=0.5)  # 20 of 40 reports: the template is copying between 15 pairs
    uncapped = corpus.find(settings=share)
    assert uncapped.boilerplate_reports == 20 and uncapped.boilerplate.empty
    assert len(uncapped.pairs) == 15 + 1
    capped = corpus.find(settings=dataclasses.replace(share, boilerplate_max_reports=6))
    assert capped.boilerplate_reports == 6
    assert reuse.boilerplate_texts(capped, capped.boilerplate).tolist() == [template[:-1]]
    assert capped.boilerplate.loc[0, "reports"] == 6
    assert capped.pairs[["report_a", "report_b"]].values.tolist() == [["R10", "R11"]]  # only the pair copying
    assert capped.candidate_pairs == 1
    coverage = capped.coverage.groupby("report_id")[["boilerplate_chars", "pairwise_chars"]].sum()
    assert coverage["boilerplate_chars"].to_dict() == {f"R{i:02d}": len(template) - 1 if i < 6 else 0 for i in range(40)}
    figures = reuse.summary(capped)
    assert "the threshold is 50% of the reports, at least 3 and at most 6)" in reuse.words(figures)[0]
    assert reuse.limits(figures)[0].endswith("text that 6 reports or more hold word for word counts as template "
                                             "language, not copying, and which pairs of them share it is not listed.")
    assert reuse.limits(reuse.summary(uncapped))[0].endswith("(50% of the reports, at least 3 and at most 100).")


def test_titles_and_openings_written_to_one_template_make_no_candidate_pair():
    names = [p[:3] for p in _paragraphs(60, 20)]  # twenty unit names, three characters each
    raws = {}
    for i, name in enumerate(names):
        title = f"某某区{name}街道2024年法治政府建设工作情况报告"
        opening = f"2024年，{name}街道在区委、区政府的坚强领导下，深入学习贯彻习近平法治思想，现将有关情况报告如下："
        raws[f"R{i:02d}"] = _raw([title, opening, *_paragraphs(70 + i, 4)])
    found = _Corpus(raws).find()
    assert found.candidate_pairs == 0 and found.pairs.empty
    assert (found.boilerplate["reports"] == 20).all()
    assert reuse.boilerplate_texts(found, found.boilerplate).str.contains("坚强领导").any()


def test_this_years_plans_repeating_last_years_report():
    plans_2023 = _paragraphs(31, 2)
    report_2023 = _paragraphs(30, 3) + plans_2023
    plans_2024 = [plans_2023[1], *_paragraphs(33, 2)]
    report_2024 = _paragraphs(32, 3) + plans_2024
    other = _paragraphs(34, 4)
    corpus = _Corpus({"X2023": _raw(report_2023), "X2024": _raw(report_2024), "Y2024": _raw(other)},
                     plans_from={"X2023": plans_2023[0], "X2024": plans_2024[0]})
    metadata = pd.DataFrame({"report_id": ["X2023", "X2024", "Y2024"], "unit": ["某街道", "某街道", "他街道"],
                             "report_year": ["2023", "2024", "2024"]})
    found = corpus.find(metadata=metadata)
    repeats = found.repeats.set_index("report_id")
    plans_chars = len(corpus.norm["X2024"].text) - corpus.norm["X2024"].text.index(plans_2024[0])
    assert repeats.loc["X2024", "previous_report_id"] == "X2023"
    assert repeats.loc["X2024", "plans_chars"] == plans_chars
    assert repeats.loc["X2024", "repeat_chars"] == len(plans_2023[1]) - 1
    assert repeats.loc["X2024", "repeat_pct"] == pytest.approx(100 * (len(plans_2023[1]) - 1) / plans_chars)
    assert pd.isna(repeats.loc["X2023", "repeat_pct"]) and pd.isna(repeats.loc["Y2024", "previous_report_id"])
    assert found.pairs["consecutive_years"].tolist() == [True]
    figures = reuse.summary(found)
    assert figures.with_previous == 1
    plans_total = plans_chars + len(corpus.norm["X2023"].text) - corpus.norm["X2023"].text.index(plans_2023[0])
    copied = 2 * (len(plans_2023[1]) - 1)  # on both sides
    assert figures.by_part["plans"] == (pytest.approx(100 * copied / plans_total), 2, 2)
    assert figures.by_part["measures"] == (0.0, 0, 3)
    assert reuse.title(figures) == (f"Beyond boilerplate, plans copy more than measures ({100 * copied / plans_total:.1f} "
                                    "% of plans' characters against 0.0 %)")
    shown = reuse.reuse_findings(found)
    assert shown.sentences == reuse.words(figures) and "fewer than 20 content characters" in shown.limits[0]
    assert "with previous" in shown.table()["figure"].tolist()
    assert (f"Beyond boilerplate, plans copy more than measures: {100 * copied / plans_total:.1f} % of all plans' "
            "characters are copied (all 2 reports' plans hold a copied passage) against 0.0 % of all measures' "
            "characters (none of the 3 reports' measures).") in reuse.words(figures)
    assert any("1 of 3 reports have their unit's report of the year before" in s for s in reuse.words(figures))


def test_empty_corpus_one_report_and_a_report_without_text_give_clear_results():
    empty = reuse.find_reuse(pd.DataFrame({"report_id": [], "text": []}),
                             pd.DataFrame(columns=["report_id", "part", "start", "end"]))
    assert empty.passages.empty and empty.pairs.empty and empty.coverage.empty and empty.repeats.empty
    assert list(empty.passages.columns) == [c for c in reuse.PASSAGE_COLUMNS if c != "text"]
    assert [list(piece.columns) for piece in reuse.passage_pieces(empty)] == [reuse.PASSAGE_COLUMNS]
    assert reuse.words(reuse.summary(empty)) == ["Text reuse needs two reports with text; this corpus has 0 (of 0 "
                                                 "reports)."]
    one = _Corpus({"A": _raw(_paragraphs(1, 5))}).find()
    assert one.passages.empty and len(one.coverage) == 1
    assert "this corpus has 1 (of 1 reports)" in reuse.words(reuse.summary(one))[0]
    assert reuse.title(reuse.summary(one)) == "One report: nothing to compare it with"
    blank = _Corpus({"A": _raw(_paragraphs(1, 5)), "B": "", "C": _raw(_paragraphs(1, 5)[2:])}).find()
    assert blank.reports == 3 and blank.reports_with_text == 2
    assert blank.pairs[["report_a", "report_b"]].values.tolist() == [["A", "C"]]
    sentences = reuse.words(reuse.summary(blank))
    assert sentences[0] == ("With 2 reports no text can be boilerplate (boilerplate: text held by at least 3 of the 2 "
                            "reports; the threshold is 5% of the reports, at least 3 and at most 100).")


def test_signatures_are_datasketchs_minhash_and_buckets_give_minhashlshs_candidates():
    settings = reuse.ReuseSettings()
    texts = _paragraphs(5, 6, 80)
    texts.append(texts[0][:60] + texts[1][:20])  # like paragraph 0 (Jaccard ≈ 0.6)
    units, hashes = [], []
    for text in texts:
        h = reuse.shingle_hashes(text, settings.shingle_chars)
        units.append((sum(len(x) for x in hashes), sum(len(x) for x in hashes) + len(h)))
        hashes.append(h)
    every = np.concatenate(hashes)
    signatures = reuse.minhash_signatures(every, units, settings)
    lsh = MinHashLSH(threshold=settings.lsh_threshold, num_perm=settings.num_perm)
    sketches = []
    for row, (first, last) in enumerate(units):
        m = MinHash(num_perm=settings.num_perm, seed=settings.seed, hashfunc=int)
        m.update_batch((every[first:last] & np.uint64(0xFFFFFFFF)).tolist())
        np.testing.assert_array_equal(m.hashvalues, signatures[row])
        lsh.insert(row, m)
        sketches.append(m)
    expected = {tuple(sorted((row, other))) for row, m in enumerate(sketches) for other in lsh.query(m) if other != row}
    found = {tuple(sorted((int(x), int(y)))) for bucket in reuse.lsh_buckets(signatures, settings)
             for x in bucket for y in bucket if x != y}
    assert found == expected == {(0, 6)}
    assert settings.bands() == (int(lsh.b), int(lsh.r)) == (16, 4)
    # the search keys each report's units as it goes (band keys, a report at a time): the same buckets
    keyed = np.vstack([reuse._band_keys(signatures[k:k + 2], 16, 4) for k in range(0, len(signatures), 2)])
    assert [b.tolist() for b in reuse._buckets(keyed)] == [b.tolist() for b in reuse.lsh_buckets(signatures, settings)]


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 1001])
def test_boilerplate_flags_kept_as_bits_unpack_to_the_same_flags(n):
    flags = np.random.default_rng(n).random(n) < 0.3
    packed = reuse._Packed.of(flags)
    np.testing.assert_array_equal(packed.unpack(), flags)
    assert packed.unpack().dtype == bool and packed.any() == bool(flags.any()) and packed.bits.nbytes == -(-n // 8)


def test_common_passages_are_maximal_and_found_out_of_order():
    a = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"
    b = "天地玄黄" + a[10:] + "宇宙洪荒" + a[:10]
    hashes = [reuse.shingle_hashes(x, 4) for x in (a, b)]
    assert reuse.common_passages(*hashes, k=4, min_chars=6) == [(0, 18, 10), (10, 4, 10)]
    assert reuse.common_passages(*hashes, k=4, min_chars=11) == []
    assert reuse.common_passages(reuse.shingle_hashes("短", 4), hashes[1], k=4, min_chars=4) == []


def _passages_by_brute_force(ha: np.ndarray, hb: np.ndarray, k: int, min_chars: int) -> list[tuple[int, int, int]]:
    """Every maximal run of equal shingles along a diagonal, found by looking at every pair of positions."""
    equal = ha[:, None] == hb[None, :]
    found = []
    for i in range(len(ha)):
        for j in range(len(hb)):
            if equal[i, j] and not (i and j and equal[i - 1, j - 1]):
                n = 0
                while i + n < len(ha) and j + n < len(hb) and equal[i + n, j + n]:
                    n += 1
                if n + k - 1 >= min_chars:
                    found.append((i, j, n + k - 1))
    return sorted(found)


def test_one_report_aligned_with_many_partners_finds_what_each_pair_would():
    # a small alphabet, so that shingles repeat inside a text and across partners (many matches per shingle)
    rng = np.random.default_rng(7)
    a = "".join(rng.choice(list("甲乙丙丁"), 300))
    partners = ["".join(rng.choice(list("甲乙丙丁"), n)) for n in (0, 5, 120, 300)] + [a[40:200], a]
    k = 3
    ha = reuse.shingle_hashes(a, k)
    hbs = [reuse.shingle_hashes(b, k) for b in partners]
    many = reuse.common_passages_many(ha, np.argsort(ha, kind="stable"), hbs, k, 6)
    for hb, found in zip(hbs, many):
        assert found == _passages_by_brute_force(ha, hb, k, 6) == reuse.common_passages(ha, hb, k, 6)
    assert (0, 0, 300) in many[-1] and (40, 0, 160) in many[-2]




def _stretches_one_by_one(a, b, passages, s):
    """A passage at a time: the boilerplate shingles inside it, the characters they cover, split (the reference)."""
    out = []
    for i0, j0, length in passages:
        if a.compact[i0:i0 + length] != b.compact[j0:j0 + length]:
            continue
        inside = a.boiler[i0:i0 + length - s.shingle_chars + 1]
        pieces = reuse._split_boilerplate(reuse._covered(inside, length, s.shingle_chars), s.min_chars)
        out += [(int(a.pos[i0 + x]), int(a.pos[i0 + y - 1]) + 1, int(b.pos[j0 + x]), int(b.pos[j0 + y - 1]) + 1,
                 y - x, flag) for x, y, flag in pieces if y - x >= s.min_chars]
    return out


def test_a_pairs_passages_are_split_at_boilerplate_as_one_passage_at_a_time_would():
    rng = np.random.default_rng(11)
    s = reuse.ReuseSettings(shingle_chars=3, min_chars=6)
    alphabet = list("甲乙丙丁戊己庚辛壬癸子丑")
    split = 0
    for trial in range(40):
        text_a = "".join(rng.choice(alphabet + ["，"], 400))
        text_b = text_a[50:300] + "".join(rng.choice(alphabet, 100)) + text_a[:120]
        a, b = reuse._Report("a", text_a, 3).shingled(), reuse._Report("b", text_b, 3).shingled()
        # boilerplate: the shingles of two stretches of A (one long, one short) and a few scattered ones
        start = int(rng.integers(0, 300))
        common = np.concatenate((a.hashes[start:start + int(rng.integers(5, 60))], a.hashes[start + 70:start + 74],
                                 a.hashes[rng.random(len(a.hashes)) < 0.03]))
        held = reuse._HashSet(np.unique(common))
        a, b = (reuse._Shingled(x.compact, x.pos, x.hashes, held.holds(x.hashes)) for x in (a, b))
        passages = reuse.common_passages(a.hashes, b.hashes, 3, 6) + [(0, 1, 8)]  # and a hash collision
        expected = _stretches_one_by_one(a, b, passages, s)
        assert reuse._pair_stretches(a, b, passages, s) == expected
        split += len(expected) - len(passages) + 1
    assert split > 40  # passages split into boilerplate and the rest


def test_shingle_hashes_are_the_mixed_polynomial_of_each_shingles_characters():
    rng = np.random.default_rng(3)
    text = "".join(chr(c) for c in rng.integers(0x4E00, 0x4E00 + 50, size=400)) + "A1\U00020000丁"
    mask = (1 << 64) - 1

    def one(shingle: str) -> int:  # c[0]·B^(k-1) + … + c[k-1] modulo 2⁶⁴, then splitmix64's finaliser
        h = 0
        for ch in shingle:
            h = (h * int(reuse._BASE) + ord(ch)) & mask
        h ^= h >> 30
        h = (h * 0xBF58476D1CE4E5B9) & mask
        h ^= h >> 27
        h = (h * 0x94D049BB133111EB) & mask
        return h ^ (h >> 31)

    for k in (1, 4, 10):
        assert reuse.shingle_hashes(text, k).tolist() == [one(text[i:i + k]) for i in range(len(text) - k + 1)]
    assert len(reuse.shingle_hashes(text[:9], 10)) == 0


def test_hash_set_finds_each_hash_where_a_binary_search_would():
    rng = np.random.default_rng(5)
    for n in (0, 1, 7, 5000):
        held = np.unique(rng.integers(0, 2**63, n, dtype=np.int64).astype(np.uint64))
        # hashes equal in their low bits (one slot asked by all, the binary search after the probes), and 0
        crowded = (np.arange(50, dtype=np.uint64) << np.uint64(40)) | np.uint64(9)
        held = np.unique(np.concatenate((held, crowded, [np.uint64(0)])))
        asked = np.concatenate((held[rng.integers(0, len(held), 3000)], crowded + np.uint64(1 << 20),
                                rng.integers(0, 2**63, 3000, dtype=np.int64).astype(np.uint64)))
        at = np.minimum(np.searchsorted(held, asked), len(held) - 1)
        expected = np.where(held[at] == asked, at, -1)
        table = reuse._HashSet(held)
        assert table.find(asked).tolist() == expected.tolist()
        assert table.holds(asked).tolist() == (expected >= 0).tolist()
    assert reuse._HashSet(np.zeros(0, dtype=np.uint64)).find(asked).tolist() == [-1] * len(asked)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    return shapes.study_of(RAW, tmp_path_factory.mktemp("bundled"))


@pytest.fixture(scope="module")
def external(tmp_path_factory):
    if not shapes.EXTERNAL.is_dir():
        pytest.skip(f"{shapes.EXTERNAL} is not here")
    return shapes.study_of(shapes.EXTERNAL, tmp_path_factory.mktemp("external"))


@pytest.mark.parametrize("slices", [1000, 9, 5], ids=["256 slices", "16 slices", "8 slices"])
def test_boilerplate_counted_in_slices_spilled_to_files_as_in_memory(monkeypatch, tmp_path, slices):
    """A corpus past the slices' budget counts its shingles from files, one slice at a time: the same hashes."""
    import tempfile

    opening, shared = _paragraphs(99, 1, 40)[0], _paragraphs(98, 3)
    reports = [reuse._Report(f"R{i}", normalise(_raw([opening, *shared[:i % 4], *_paragraphs(20 + i, 4)])).text, 12)
               for i in range(9)]
    budget = -(-8 * sum(len(r.text) for r in reports) // slices)  # wants this many slices (at most 256)
    folders = []

    class Recorded(tempfile.TemporaryDirectory):
        def __enter__(self):
            folders.append(Path(self.name))
            return super().__enter__()

    monkeypatch.setattr(reuse.tempfile, "TemporaryDirectory", Recorded)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    for threshold in (1, 2, 3, 7, 9, 10):
        hashes, counts = reuse._boilerplate_hashes(reports, threshold)  # in memory: a small corpus
        assert not folders
        spilled, spilled_counts = reuse._boilerplate_hashes(reports, threshold, budget=budget)
        assert len(folders) == 1 and not folders.pop().exists()  # spilled, and the files removed
        assert np.array_equal(hashes, spilled) and np.array_equal(counts, spilled_counts)
        assert np.all(np.diff(spilled.astype(np.float64)) > 0) and (counts >= threshold).all()
        assert (len(hashes) > 0) == (threshold <= 9)
    assert list(tmp_path.iterdir()) == []


def test_tables_have_their_declared_column_types_text_as_python_strings():
    """Text columns hold Python strings, as declared: pandas infers Arrow strings, another copy of every text."""
    opening, copied = _paragraphs(99, 1, 40)[0], _paragraphs(98, 1)[0]
    found = _Corpus({f"R{i}": _raw([opening, *_paragraphs(20 + i, 3), *([copied] if i in (1, 4) else [])])
                     for i in range(6)}).find()
    passages, boilerplate = pd.concat(reuse.passage_pieces(found)), pd.concat(reuse.boilerplate_pieces(found))
    for table, columns in ((passages, reuse.PASSAGE_COLUMNS), (boilerplate, reuse.BOILERPLATE_COLUMNS)):
        assert len(table) and list(table.columns) == columns
        assert {c: str(table[c].dtype) for c in columns} == {c: reuse._dtype(c) for c in columns}


def _check_tables(study, found: reuse.Reuse) -> None:
    """Invariants on a real corpus: every passage's two sides hold the same content characters; shares add up."""
    texts = study.store.table("texts", columns=["text"]).set_index("report_id")["text"]
    for row in pd.concat(reuse.passage_pieces(found, reports=2)).itertuples():
        side_a = texts[row.report_a][row.start_a:row.end_a]
        side_b = texts[row.report_b][row.start_b:row.end_b]
        assert reuse.content_characters(side_a)[0] == reuse.content_characters(side_b)[0]
        assert side_a == row.text and len(reuse.content_characters(side_a)[0]) == row.content_chars >= 20
    contents = [reuse.content_characters(t)[0] for t in texts]
    for row in pd.concat(reuse.boilerplate_pieces(found, reports=2)).itertuples():
        assert texts[row.report_id][row.start:row.end] == row.text
        holding = sum(reuse.content_characters(row.text)[0] in content for content in contents)
        assert holding == row.reports and row.shingle_reports_min >= found.boilerplate_reports
    parts = study.parts().groupby("report_id")["chars"].sum()
    shares = reuse.report_shares(found.coverage).set_index("report_id")
    assert shares["chars"].to_dict() == parts.to_dict()
    assert (shares["reused_chars"] == shares["boilerplate_chars"] + shares["pairwise_chars"]).all()
    assert (shares["reused_chars"] <= shares["chars"]).all()


def test_on_the_bundled_corpus_lsh_finds_no_passage_that_aligning_every_pair_does_not(bundled):
    texts = bundled.store.table("texts", columns=["text"])
    found = reuse.find_reuse(texts, bundled.parts(), None, bundled.corpus)
    every = reuse.find_reuse(texts, bundled.parts(), None, bundled.corpus, every_pair=True)
    columns = ["report_a", "start_a", "end_a", "report_b", "start_b", "end_b", "boilerplate"]
    lsh = found.passages[~found.passages["boilerplate"]][columns]
    own = every.passages[~every.passages["boilerplate"]][columns]
    assert len(lsh.merge(own)) == len(lsh)
    # what only aligning every pair finds: stock phrases of fewer than 30 characters inside long paragraphs that
    # differ otherwise (以习近平新时代中国特色社会主义思想为指导，深入…; 第一责任人职责，加强法治政府建设的有关情况), the
    # limit the module docstring states
    assert len(own) == 2 and (every.passages.loc[own.index, "content_chars"] < 30).all()
    assert found.reports == 5 and found.boilerplate_reports == 3
    # the 第一责任人 formula of the 2016 规定 is the bundled reports' boilerplate
    assert reuse.boilerplate_texts(found, found.boilerplate).str.contains("第一责任人").any()
    _check_tables(bundled, found)
    study_found = reuse.study_reuse(bundled)
    pd.testing.assert_frame_equal(study_found.coverage, found.coverage)


def test_every_column_has_a_meaning():
    every = {*reuse.PASSAGE_COLUMNS, *reuse.PAIR_COLUMNS, *reuse.BOILERPLATE_COLUMNS, *reuse.COVERAGE_COLUMNS,
             *reuse.REPEAT_COLUMNS}
    assert every == set(reuse.MEANINGS)


def test_tables_written_as_csv(tmp_path):
    opening = _paragraphs(99, 1, 40)[0]
    found = _Corpus({f"R{i}": _raw([opening, *_paragraphs(40 + i, 3)]) for i in range(3)}).find()
    paths = reuse.write_tables(found, tmp_path / "processed", stamp=lambda t: t.assign(lexicon_version="9"))
    assert [p.name for p in paths] == list(reuse.FILES.values())
    read = pd.read_csv(tmp_path / "processed" / "text_reuse_boilerplate.csv")
    assert read.loc[0, "text"] == opening[:-1] and read.loc[0, "reports"] == 3 and read.loc[0, "lexicon_version"] == 9
    assert list(pd.read_csv(tmp_path / "processed" / "text_reuse_passages.csv").columns) == [
        *reuse.PASSAGE_COLUMNS, "lexicon_version"]
    for name, file in reuse.FILES.items():  # byte for byte what pandas writes (helpers.exports)
        pieces = {"passages": reuse.passage_pieces, "boilerplate": reuse.boilerplate_pieces}
        table = pd.concat(pieces[name](found)) if name in pieces else getattr(found, name)
        expected = table.assign(lexicon_version="9").to_csv(index=False, lineterminator="\n")
        assert (tmp_path / "processed" / file).read_bytes() == expected.encode("utf-8"), file


def test_passages_text_is_cut_when_written_a_few_reports_at_a_time(tmp_path):
    """The passages are held without their text; written, each piece's reports' texts are read for it alone."""
    links = [_paragraphs(80 + i, 1)[0] for i in range(6)]  # report i shares one paragraph with report i + 1
    opening = _paragraphs(99, 1, 40)[0]  # boilerplate: in every report
    corpus = _Corpus({f"R{i}": _raw([opening, *links[max(i - 1, 0):i + 1], *_paragraphs(20 + i, 3)]) for i in range(7)})
    found = corpus.find()
    assert "text" not in found.passages and found.passages["report_a"].nunique() == 6
    assert "text" not in found.boilerplate and len(found.boilerplate)
    asked: list[list[str]] = []
    reader = found.read_texts
    assert reader is not None
    found = dataclasses.replace(found, read_texts=lambda ids: asked.append(list(ids)) or reader(ids))
    whole = next(iter(reuse.passage_pieces(found, reports=10 ** 6)))
    texts = corpus.texts.set_index("report_id")["text"]
    assert whole["text"].tolist() == [texts[r][s:e] for r, s, e in zip(whole["report_a"], whole["start_a"], whole["end_a"])]
    assert whole.drop(columns="text").equals(found.passages[whole.columns.drop("text")])
    for reports in (1, 2, 3):
        asked.clear()
        pieces = list(reuse.passage_pieces(found, reports=reports))
        assert len(pieces) == -(-found.passages["report_a"].nunique() // reports)
        assert all(len(ids) <= reports for ids in asked) and len(asked) == len(pieces)
        pd.testing.assert_frame_equal(pd.concat(pieces), whole)
    boiler = next(iter(reuse.boilerplate_pieces(found, reports=10 ** 6)))
    assert len(boiler) and boiler["text"].tolist() == [texts[r][s:e] for r, s, e in
                                                       zip(boiler["report_id"], boiler["start"], boiler["end"])]
    for reports in (1, 2):
        asked.clear()
        pieces = list(reuse.boilerplate_pieces(found, reports=reports))
        assert all(len(ids) <= reports for ids in asked) and len(asked) == len(pieces)
        pd.testing.assert_frame_equal(pd.concat(pieces), boiler)
    top = reuse.top_boilerplate(found, 2)
    assert top.equals(reuse.top_boilerplate(boiler, 2))
    unreadable = dataclasses.replace(found, read_texts=None)
    with pytest.raises(ValueError, match="read_texts"):
        reuse.passage_texts(unreadable, found.passages)
    with pytest.raises(ValueError, match="read_texts"):
        list(reuse.boilerplate_pieces(unreadable))


@pytest.mark.parametrize("merge_bytes", [reuse._MERGE_BYTES, 1, 200])  # batches of 4 096 rows, of one, of a few
def test_rows_in_another_order_than_the_reports_read_each_reports_text_once_in_the_order_searched(monkeypatch,
                                                                                                  merge_bytes):
    """The boilerplate's rows go most held first: its texts are still read a slice of reports at a time, each once."""
    monkeypatch.setattr(reuse, "_MERGE_BYTES", merge_bytes)
    links = [_paragraphs(80 + i, 1)[0] for i in range(6)]
    corpus = _Corpus({f"R{i}": _raw([*links[max(i - 1, 0):i + 1], *_paragraphs(20 + i, 3)]) for i in range(7)})
    found = corpus.find()
    assert found.order == tuple(f"R{i}" for i in range(7))
    asked: list[list[str]] = []
    reader = found.read_texts
    assert reader is not None
    scattered = dataclasses.replace(found, passages=found.passages.sample(frac=1, random_state=3, ignore_index=True),
                                    read_texts=lambda ids: asked.append(list(ids)) or reader(ids))
    rows = scattered.passages
    assert rows["report_a"].tolist() != sorted(rows["report_a"])  # the rows are out of the reports' order
    texts = corpus.texts.set_index("report_id")["text"]
    for reports in (1, 2, 3, 10 ** 6):
        asked.clear()
        pieces = list(reuse.passage_pieces(scattered, reports=reports))
        read = [rid for ids in asked for rid in ids]
        assert read == sorted(set(rows["report_a"]))  # each once, in the order searched
        assert all(len(ids) <= reports for ids in asked)
        whole = pd.concat(pieces)
        assert whole.drop(columns="text").equals(rows[whole.columns.drop("text")])
        assert whole["text"].tolist() == [texts[r][a:b] for r, a, b in zip(rows["report_a"], rows["start_a"], rows["end_a"])]


@pytest.mark.slow
def test_on_the_31_provincial_reports(external):
    texts = external.store.table("texts", columns=["text"])
    found = reuse.find_reuse(texts, external.parts(), None, external.corpus)
    assert found.reports == 31 and found.boilerplate_reports == 3
    _check_tables(external, found)
    assert len(reuse.words(reuse.summary(found))) == 5


def test_share_reused_chart_for_one_five_and_many_reports():
    rng = np.random.default_rng(0)
    for n in (1, 5, 40):
        rows = [(f"r{i}", part, 1000, v) for i in range(n) for part, v in
                (("measures", rng.integers(0, 300)), ("plans", rng.integers(0, 500)))]
        coverage = pd.DataFrame(rows, columns=["report_id", "part", "chars", "pairwise_chars"])
        coverage["boilerplate_chars"] = 10
        coverage["reused_chars"] = coverage["pairwise_chars"] + 10
        for what in ("reused", "boilerplate", "pairwise"):
            coverage[f"{what}_pct"] = 100 * coverage[f"{what}_chars"] / coverage["chars"]
        fig = plots.reuse_by_part(coverage, "Plans copy more than measures", f"n = {n} reports")
        fig.canvas.draw()
        assert_legible_on_a_slide(fig)
        assert plots.figure_title(fig) == "Plans copy more than measures"
        assert len(fig.axes) == 2
        matplotlib.pyplot.close(fig)
    empty = plots.reuse_by_part(coverage.iloc[:0], "t", "c")
    assert isinstance(empty, Unavailable)


def test_through_the_store_each_passage_points_at_its_characters_in_both_files(tmp_path):
    """The raw offsets a study writes come from the store's map (rawmap): checked against the files themselves."""
    # characters of the bundled reports: simplified already, so reading changes none (traditional ones it would)
    han = sorted({ch for f in (RAW / "reports").glob("*.txt") for ch in f.read_text(encoding="utf-8")
                  if "\u4e00" <= ch <= "\u9fff"})
    rng = np.random.default_rng(5)

    def paragraphs(n: int) -> list[str]:
        return ["".join(rng.choice(han, size=70)) + "。" for _ in range(n)]

    shared = [p[:35] + "," + p[35:] for p in paragraphs(2)]  # a half-width comma inside: 「，」 once normalised
    heading = "一、主要举措和成效\r\n"
    raws = {"a": heading + _raw([*paragraphs(3), shared[0], *paragraphs(2), shared[1]]),
            "b": heading + _raw([shared[1], *paragraphs(4), shared[0]]),
            "c": heading + _raw(paragraphs(5))}
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, raw in raws.items():
        (folder / f"{name}.txt").write_bytes(raw.encode("utf-8"))
    study = shapes.study_of(folder, tmp_path)
    found = reuse.study_reuse(study)
    pairwise = found.passages[~found.passages["boilerplate"]]
    assert set(zip(pairwise["report_a"], pairwise["report_b"])) == {("a", "b")} and len(pairwise) == 2
    for row, text in zip(pairwise.itertuples(), reuse.passage_texts(found, pairwise)):
        for side in ("a", "b"):
            report = getattr(row, f"report_{side}")
            raw = raws[report][getattr(row, f"raw_start_{side}"):getattr(row, f"raw_end_{side}")]
            assert raw != text and normalise(raw).text == text  # the file's spaces, the passage's text
    _check_tables(study, found)


@pytest.mark.parametrize("anchor", [1, 3, 8, reuse._ANCHOR])
def test_reports_holding_a_passage_counted_as_substrings_are(anchor):
    """``_holding`` (passages found by their first ``anchor`` characters) against counting ``passage in text``."""
    rng = np.random.default_rng(11)
    alphabet = list("法治政府建设年度报告一二")
    texts = ["".join(rng.choice(alphabet, size=int(rng.integers(0, 400)))) for _ in range(40)]
    reports = [reuse._Report(f"r{i}", text, 8) for i, text in enumerate(texts)]
    passages = []
    for text in rng.choice(texts, size=30):
        if len(text) > 30:
            start = int(rng.integers(0, len(text) - 30))
            passages.append(text[start:start + int(rng.integers(8, 30))])
    passages += ["法治政", "不在任何报告里的一段文字呢", texts[0][:8] + "报告报告报告"]  # shorter than a shingle; absent
    # passages beginning one another, and long ones sharing their first characters and more with each other
    long = max(texts, key=len)
    passages += [long[:n] for n in (9, 17, 60, 200)] + [long[5:150], long[5:150] + "甲", long[5:40] + long[41:150]]
    passages += [long[:n] + "〇" for n in (9, 17, 60, 200)]  # sort just below the text, after its own beginning
    passages = list(dict.fromkeys(passages))
    # two passages with the same first shingle, one held and one not
    if passages and len(passages[0]) >= 8:
        passages.append(passages[0][:8] + "甲乙丙丁")
    expected = [sum(p in reuse.content_characters(t)[0] for t in texts) for p in passages]
    assert reuse._holding(passages, reports, anchor=anchor) == expected
    assert any(expected) and not all(expected)
    assert reuse._holding([], reports, anchor=anchor) == []


def test_the_most_held_boilerplate_is_that_of_sorting_every_stretch():
    """``top_boilerplate`` sorts only the rows that can be among the first n: the same rows, in the same order."""
    rng = np.random.default_rng(3)
    for _ in range(200):
        m, n = int(rng.integers(1, 40)), int(rng.integers(0, 20))
        table = pd.DataFrame({"reports": rng.integers(1, 4, m), "content_chars": rng.integers(1, 4, m),
                              "text": rng.choice(list("abc"), m), "report_id": [f"r{i}" for i in range(m)],
                              "part": "measures", "start": np.arange(m), "raw_start": np.arange(m)})
        every = table.sort_values(["reports", "content_chars", "text"], ascending=[False, False, True], kind="stable")
        expected = every[["text", "reports", "content_chars", "report_id", "part", "start", "raw_start"]].head(n)
        pd.testing.assert_frame_equal(reuse.top_boilerplate(table, n), expected.reset_index(drop=True))
