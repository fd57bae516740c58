"""The store: the per-report step in workers, Parquet per batch, incremental by stage, the same on Dask."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from pandas.testing import assert_frame_equal
from shapes import checksums, mixed, synthetic_corpus, table_of_reports

from helpers import citations, indicators, pipeline, structure, themes, topics
from helpers.cli import main
from helpers.errors import StudyError
from helpers.intake import open_corpus
from helpers.paths import RAW
from helpers.pipeline import STAGES, Settings
from helpers.store import Store, StoreError, build
from helpers.tokenise import Tokeniser, tokens_table

NOTHING = {stage: 0 for stage in STAGES}


def _every(n: int) -> dict[str, int]:
    return {stage: n for stage in STAGES}


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    return build(RAW, tmp_path_factory.mktemp("bundled") / "store", workers=1)


def test_every_table_equals_the_one_computed_in_memory(bundled, corpus):
    store = bundled.store
    intake = open_corpus(RAW)
    assert_frame_equal(bundled.files, intake.files)
    assert_frame_equal(bundled.metadata, intake.metadata)
    reports = intake.reports
    items = structure.items_table(reports)
    coded, evidence = themes.code_items(items, *themes.default_codebooks())
    expected = {
        "parts": structure.parts_table(reports), "items": items,
        "tokens": tokens_table(reports, Tokeniser(cache_dir=False)),
        "coded": coded, "evidence": evidence,
        "claims": indicators.claims_table(reports).drop(columns="themes"),
        "citations": citations.cited_documents(reports),
    }
    for name, table in expected.items():
        assert_frame_equal(store.table(name), table, obj=name)
    texts = store.table("texts", columns=["chars", "text"]).set_index("report_id")
    assert texts.loc["2024_shaanxi_xiaozhailu", "text"] == next(r.text for r in reports if r.report_id == "2024_shaanxi_xiaozhailu")
    assert (texts["chars"] == texts["text"].str.len()).all()
    assert store.table("parts", columns=["part"], reports=["2025_hunan_damatou"])["report_id"].unique().tolist() == ["2025_hunan_damatou"]


def test_the_raw_map_kept_in_the_store_places_every_item_where_the_items_table_does(bundled):
    store = bundled.store
    items = store.table("items")
    maps = store.raw_maps()
    assert sorted(maps) == sorted(items["report_id"].unique())
    for report_id, rows in items.groupby("report_id"):
        raw_starts, raw_ends = maps[report_id].spans_to_raw(rows["start"], rows["end"])
        assert raw_starts.tolist() == rows["raw_start"].tolist() and raw_ends.tolist() == rows["raw_end"].tolist()
    one = items.iloc[7]
    assert [a.tolist() for a in store.to_raw(one["report_id"], [one["start"]], [one["end"]])] == [[one["raw_start"]], [one["raw_end"]]]
    with pytest.raises(StoreError, match="no_such_report: no such report in the store"):
        store.to_raw("no_such_report", [0], [1])


def test_a_second_build_computes_nothing_and_the_raw_files_are_untouched(bundled, monkeypatch):
    import helpers.store as store_module

    before = checksums(RAW)
    # nothing in the folder changed (names, sizes, times): no report is even hashed again
    monkeypatch.setattr(store_module, "candidate_sha256", lambda c: pytest.fail(f"{c.file} was read again"))
    again = build(RAW, bundled.store.root, workers=1)
    assert again.processed == NOTHING
    assert (again.reports, again.chars, again.metadata_source) == (bundled.reports, bundled.chars, bundled.metadata_source)
    assert_frame_equal(again.metadata, bundled.metadata)
    assert_frame_equal(again.files, bundled.files)
    assert checksums(RAW) == before


def test_a_touched_file_is_hashed_again_and_nothing_is_computed(tmp_path, monkeypatch):
    import os

    import helpers.store as store_module

    folder = synthetic_corpus(tmp_path / "c", 6)
    first = build(folder, tmp_path / "store", workers=1)
    touched = sorted(folder.glob("*.txt"))[2]
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))  # same bytes, new time
    hashed = []
    real = store_module.candidate_sha256
    monkeypatch.setattr(store_module, "candidate_sha256", lambda c: hashed.append(c.file) or real(c))
    again = build(folder, tmp_path / "store", workers=1)
    assert len(hashed) == first.reports and again.processed == NOTHING
    assert_frame_equal(again.files, first.files)
    removed = build(folder, tmp_path / "store", workers=1)  # and the store is stamped with the new listing
    assert removed.processed == NOTHING and len(hashed) == first.reports


def test_ten_new_reports_are_ten_computed_and_a_removed_one_leaves_the_tables(tmp_path):
    folder = synthetic_corpus(tmp_path / "c", 40)
    held = tmp_path / "held"
    held.mkdir()
    for f in sorted(folder.glob("*.txt"))[30:]:
        f.rename(held / f.name)
    first = build(folder, tmp_path / "store", workers=1)
    assert first.processed == _every(30) and first.reports == 30
    for f in held.iterdir():
        f.rename(folder / f.name)
    second = build(folder, tmp_path / "store", workers=1)
    assert second.processed == _every(10) and second.reports == 40
    (folder / "synthetic_00001.txt").unlink()
    third = build(folder, tmp_path / "store", workers=1)
    assert third.processed == NOTHING and third.reports == 39
    parts = third.store.table("parts")
    assert parts["report_id"].nunique() == 39 and "synthetic_00001" not in set(parts["report_id"])


def test_another_tokeniser_recomputes_the_lexicon_stage_only(tmp_path):
    folder = synthetic_corpus(tmp_path / "c", 12)
    fast = build(folder, tmp_path / "store", workers=1, settings=Settings(backend="rjieba"))
    tokens = fast.store.table("tokens")
    reference = build(folder, tmp_path / "store", workers=1, settings=Settings(backend="jieba"))
    assert reference.processed == {"text": 0, "meta": 0, "lexicon": 12, "codebook": 0}
    assert_frame_equal(reference.store.table("tokens"), tokens)  # the backends agree on these reports


def test_two_workers_write_what_one_writes(tmp_path):
    folder = synthetic_corpus(tmp_path / "c", 24)
    one = build(folder, tmp_path / "one", workers=1)
    two = build(folder, tmp_path / "two", workers=2, batch_size=5)
    assert two.processed == _every(24)
    assert len(list((tmp_path / "two" / "lexicon").glob("*/*/tokens.parquet"))) == 5  # 24 reports in batches of 5
    assert_frame_equal(two.metadata, one.metadata)
    for name in ("parts", "items", "tokens", "coded", "claims", "citations"):
        assert_frame_equal(two.store.table(name), one.store.table(name), obj=name)


def test_a_slice_of_reports_is_read_from_the_batches_holding_them_and_equals_the_whole_table_filtered(tmp_path):
    folder = synthetic_corpus(tmp_path / "c", 24)
    store = build(folder, tmp_path / "store", workers=1, batch_size=5).store
    meta = store.metadata()
    ids, keys = meta["report_id"].tolist(), meta["sha256"].tolist()
    assert len(store.batch_files("tokens")) == 5
    # reports 6 and 7 are in the second batch of five, report 23 in the last: two files of five are read
    chosen = store.files_holding("tokens", [keys[6], keys[7], keys[23]])
    held = [set(pq.read_table(p.parent / "done.parquet")["done"].to_pylist()) for p in chosen]
    assert len(chosen) == 2 and {keys[6], keys[7]} <= held[0] | held[1] and keys[23] in held[0] | held[1]
    assert chosen == sorted(chosen) and set(chosen) < set(store.batch_files("tokens"))
    assert store.files_holding("tokens", []) == [] and store.files_holding("tokens", ["no such key"]) == []
    assert len(store.files_holding("inferred", keys[:5])) == 1  # the meta stage lists key|given_key
    for name in [n for names in STAGES.values() for n in names]:
        whole = store.table(name)
        for chosen in (ids[6:8] + ids[23:], ids[::7], [], ids):
            assert_frame_equal(store.table(name, reports=chosen),
                               whole[whole["report_id"].isin(chosen)].reset_index(drop=True), obj=name)
    # the collocations, counted a batch file at a time, are those of the tokens read whole
    from helpers import vocabulary
    from helpers.context import load_study

    study = load_study(folder, store_dir=store.root)
    for size, min_count in ((2, 3), (3, 2)):
        assert_frame_equal(study.collocations(size, min_count), vocabulary.collocations(study.tokens(), size, min_count))
    # four reports more, built into the same store: a sixth batch, which a slice of them is read from
    for path in sorted(synthetic_corpus(tmp_path / "more", 4, seed=2).glob("*.txt")):
        shutil.copy(path, folder / f"more_{path.name}")
    store = build(folder, store.root, workers=1, batch_size=5).store
    added = [r for r in store.metadata()["report_id"] if r.startswith("more_")]
    assert len(added) == 4 and store.table("parts", reports=added)["report_id"].unique().tolist() == added


def test_every_file_of_a_mixed_folder_is_decided_as_the_intake_decides_it(tmp_path):
    folder = mixed(tmp_path / "m")
    result = build(folder, tmp_path / "store", workers=1)
    intake = open_corpus(folder)
    assert_frame_equal(result.files, intake.files)
    assert_frame_equal(result.metadata, intake.metadata)
    assert set(result.files["status"]) >= {"analysed", "duplicate", "skipped"}
    again = build(folder, tmp_path / "store", workers=1)  # unreadable files are read again, and say why again
    assert_frame_equal(again.files, intake.files)
    assert again.processed == NOTHING


def test_a_table_of_reports_is_keyed_by_its_rows_text(tmp_path):
    folder = table_of_reports(tmp_path / "t")
    result = build(folder, tmp_path / "store", workers=1)
    assert_frame_equal(result.files, open_corpus(folder).files)
    assert result.store.table("parts")["report_id"].unique().tolist() == ["collection-1", "collection-2"]


def test_an_interrupted_build_leaves_nothing_a_read_would_take(tmp_path):
    folder = synthetic_corpus(tmp_path / "c", 6)
    result = build(folder, tmp_path / "store", workers=1)
    stage_dir = next((tmp_path / "store" / "lexicon").iterdir())
    half = stage_dir / "deadbeef"  # a batch whose worker died before done.parquet
    half.mkdir()
    shutil.copy(next(stage_dir.glob("*/tokens.parquet")), half / "tokens.parquet")
    (stage_dir / ".tmp-cafe-1").mkdir()
    assert_frame_equal(result.store.table("tokens"), Store(tmp_path / "store").table("tokens"))
    (tmp_path / "store" / ".building").mkdir()  # a build killed before it could remove its lock
    with pytest.raises(StoreError, match="another build is running here .* delete .*\\.building"):
        build(folder, tmp_path / "store", workers=1)


def test_folders_that_are_not_stores_are_refused(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="is a file"):
        build(RAW, tmp_path / "file")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="not a study store"):
        build(RAW, tmp_path / "other")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "STORE.json").write_text('{"format": 0}', encoding="utf-8")
    with pytest.raises(StoreError, match="a store of format 0"):
        build(RAW, tmp_path / "old")
    with pytest.raises(StoreError, match="no complete build here yet"):
        Store(tmp_path / "empty").open().table("parts")
    with pytest.raises(StudyError, match="--engine 'spark': use one of processes, dask"):
        build(RAW, tmp_path / "s", engine="spark")


def test_a_worker_whose_lexicon_did_not_load_refuses_to_start(monkeypatch):
    monkeypatch.setattr(pipeline, "_tokeniser", lambda backend: Tokeniser(use_lexicon=False, cache_dir=False))
    with pytest.raises(StudyError, match="the lexicon did not load"):
        pipeline.check_worker(Settings())


def test_the_build_command(tmp_path, capsys):
    assert main(["build", "--corpus", str(RAW), "--store", str(tmp_path / "s"), "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "5 reports, 17,450 characters; computed text 5, meta 5, lexicon 5, codebook 5 reports in" in out
    assert main(["build", "--corpus", str(RAW), "--store", str(tmp_path / "s")]) == 0
    assert "up to date, nothing computed" in capsys.readouterr().out
    assert main(["build", "--corpus", str(tmp_path / "nowhere"), "--store", str(tmp_path / "s")]) == 2
    assert "nowhere: no such folder" in capsys.readouterr().err


def test_the_same_build_on_a_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    folder = synthetic_corpus(tmp_path / "c", 16)
    local = build(folder, tmp_path / "local", workers=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=50) as cluster:
        on_dask = build(folder, tmp_path / "dask", engine="dask", scheduler=cluster.scheduler_address, batch_size=4)
    assert on_dask.processed == _every(16)
    assert_frame_equal(on_dask.metadata, local.metadata)
    for name in ("parts", "tokens", "coded", "claims"):
        assert_frame_equal(on_dask.store.table(name), local.store.table(name), obj=name)
    with pytest.raises(StudyError, match="--engine dask needs --scheduler"):
        build(folder, tmp_path / "dask", engine="dask")
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), \
            pytest.raises(StudyError, match="no Dask scheduler answers at tcp://127.0.0.1:9"):
        build(folder, tmp_path / "new", engine="dask", scheduler="tcp://127.0.0.1:9")
    # an up-to-date store needs no cluster: nothing to compute
    assert build(folder, tmp_path / "dask", engine="dask", scheduler="tcp://127.0.0.1:9").processed == NOTHING


def test_item_texts_of_chosen_items_or_their_keys_only_equal_every_items_cut(bundled):
    store = bundled.store
    every = store.item_texts()
    rows = [0, 3, 7, len(every) - 1]
    chosen = every.iloc[rows][["report_id", "part_seq", "item_seq"]].iloc[::-1]  # asked in any order
    assert_frame_equal(store.item_texts(chosen), every.iloc[rows].reset_index(drop=True))
    assert_frame_equal(store.item_texts(tokens=False), every.drop(columns="tokens"))
    assert store.item_texts(chosen.iloc[:0]).empty
    # NMF's items read by their keys, then their tokens: the sample drawn from every item's tokens
    coded = store.table("coded")
    for limit in (10**6, 25):
        expected = topics.nmf_items(topics.item_token_texts(every, coded), limit, seed=3)
        assert len(expected) == min(limit, len(topics.item_token_texts(every, coded))) and len(expected) > 20
        assert_frame_equal(topics.nmf_item_tokens(store, coded, limit, seed=3), expected)


def test_a_session_lends_one_connection_to_every_query_and_closes_it_after(bundled, monkeypatch):
    import duckdb

    store = bundled.store
    every, counts = store.item_texts(), store.token_counts(("part",))
    opened = []
    real = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: opened.append(real(*a, **k)) or opened[-1])
    with store.session():
        with store.session():  # nested: the outer one's connection
            for rows in ([0, 2], [1, 3], [0, 2]):  # a registered table of wanted items, replaced each query
                chosen = every.iloc[rows][["report_id", "part_seq", "item_seq"]]
                assert_frame_equal(store.item_texts(chosen), every.iloc[rows].reset_index(drop=True))
        assert_frame_equal(store.token_counts(("part",)), counts)
        assert_frame_equal(store.item_texts(), every)
    assert len(opened) == 1
    with pytest.raises(duckdb.ConnectionException):
        opened[0].sql("SELECT 1")  # closed on leaving
    assert_frame_equal(store.item_texts(), every)
    assert len(opened) == 2  # outside a session: a connection a query


def test_parquet_files_hold_keys_not_report_ids(bundled):
    path = next(Path(bundled.store.root / "text").glob("*/*/parts.parquet"))
    columns = pq.read_schema(path).names
    assert "key" in columns and "report_id" not in columns
    assert pd.read_parquet(path)["key"].str.fullmatch("[0-9a-f]{64}").all()


def test_aggregates_in_duckdb_equal_the_same_aggregates_in_pandas(bundled):
    store = bundled.store
    tokens = store.table("tokens")
    keys = ["report_id", "part_seq", "item_seq"]
    expected = (tokens[tokens["content"] & tokens["item_seq"].notna()]
                .groupby(keys)["token"].apply(" ".join).rename("tokens").reset_index())
    assert_frame_equal(store.item_texts(), expected)
    with store.connect() as con:
        per_part = con.sql("SELECT part, count(*) AS n FROM tokens WHERE content GROUP BY part ORDER BY part").df()
        assert con.sql("SELECT count(DISTINCT report_id) FROM parts").fetchall() == [(5,)]
    assert dict(zip(per_part["part"], per_part["n"])) == tokens[tokens["content"]].groupby("part").size().to_dict()


def test_a_study_reads_the_items_columns_it_asks_for(bundled):
    from helpers.context import load_study

    study = load_study(store_dir=bundled.store.root)
    items = study.items()
    some = study.items(["item_seq", "raw_end"])
    assert list(some.columns) == ["report_id", "item_seq", "raw_end"]
    assert_frame_equal(some, items[["report_id", "item_seq", "raw_end"]])


def test_token_counts_by_any_grain_equal_the_tokens_counted_in_pandas(bundled):
    from helpers import vocabulary
    from helpers.context import load_study

    study = load_study(store_dir=bundled.store.root)
    tokens = vocabulary.with_meta(study.tokens(), study.corpus)
    for by in (["part"], ["macro_region"], ["report_id", "part"]):
        counts = study.token_counts(by)
        expected = tokens.groupby([*by, "token"]).size()
        assert counts.set_index([*by, "token"])["n"].sort_index().to_dict() == expected.sort_index().to_dict()
    assert list(study.token_counts(["part"])["part"].drop_duplicates()) == list(tokens["part"].drop_duplicates())
    top = study.token_counts(["report_id"], content_only=True, top=3)
    frequencies = vocabulary.term_frequencies(tokens, pd.Series(1, index=study.order), ["report_id"])
    assert_frame_equal(frequencies.groupby("report_id").head(3).reset_index(drop=True)[["report_id", "token", "count"]],
                       top.sort_values(["report_id", "n", "token"], ascending=[True, False, True], ignore_index=True)
                       [["report_id", "token", "n"]].rename(columns={"n": "count"}))
    filler = study.token_counts(["report_id", "part"], properties=["token_kind", "is_filler"])
    assert int(filler["n"].sum()) == len(tokens)



def test_token_counts_asked_again_are_the_same_counts_without_a_query_and_a_copy(bundled, monkeypatch):
    from helpers import context
    from helpers.context import load_study

    study = load_study(store_dir=bundled.store.root)
    first = study.token_counts(["part"])
    monkeypatch.setattr(study.store, "token_counts", lambda *a, **k: pytest.fail("counted again"))
    again = study.token_counts(["part"])
    assert_frame_equal(again, first)
    again.loc[:, "n"] = 0  # a caller's change to its copy is not kept
    assert_frame_equal(study.token_counts(["part"]), first)
    with pytest.raises(pytest.fail.Exception, match="counted again"):  # other arguments: counted
        study.token_counts(["part"], content_only=True)
    monkeypatch.undo()
    monkeypatch.setattr(context, "COUNTS_KEPT_ROWS", 5)  # larger than kept: counted each time
    asked = []
    monkeypatch.setattr(study.store, "token_counts", lambda *a, **k: asked.append(a) or first)
    study.token_counts(["macro_region"]), study.token_counts(["macro_region"])
    assert len(asked) == 2


def test_the_terms_table_counts_each_reports_content_tokens(bundled):
    tokens = bundled.store.table("tokens")
    content = tokens[tokens["content"]]
    expected = (content.groupby(["report_id", "token"], sort=False)
                .agg(n=("start", "size"), first=("start", "min")).reset_index())
    terms = bundled.store.table("terms")
    assert len(terms) == len(expected) and int(terms["n"].sum()) == len(content)
    order = ["report_id", "first"]
    assert_frame_equal(terms[["report_id", "token", "n", "first"]].sort_values(order, ignore_index=True),
                       expected.sort_values(order, ignore_index=True))
    properties = ["token_kind", "content", "category", "is_function", "is_filler", "is_marker"]
    joined = terms.merge(content.drop_duplicates("token")[["token", *properties]], on="token", suffixes=("", "_token"))
    assert len(joined) == len(terms)
    for column in properties:  # a token's properties, as the tokens table has them
        assert (joined[column] == joined[f"{column}_token"]).all(), column


def test_tfidf_ranked_in_duckdb_equals_tfidf_in_pandas(bundled):
    from helpers import vocabulary
    from helpers.context import load_study

    study = load_study(store_dir=bundled.store.root)
    tokens = study.tokens()
    for top in (1, 8, 10_000):
        assert_frame_equal(study.tfidf(top=top), vocabulary.tfidf(tokens, top=top))


def test_kwic_and_collocations_in_duckdb_equal_those_in_pandas(bundled):
    from helpers import vocabulary
    from helpers.context import load_study

    study = load_study(store_dir=bundled.store.root)
    tokens = study.tokens()
    for pattern, window in (("不够", 6), ("法律明白人", 8), ("摸排矛盾纠纷", 3), ("矛盾纠纷排", 6), ("。", 2),
                            ("没有这个词", 6), ("", 6)):
        expected = vocabulary.kwic(tokens, pattern, window) if pattern else vocabulary.kwic(tokens.head(0), pattern)
        assert_frame_equal(study.kwic(pattern, window), expected, check_dtype=False), pattern
    for size, min_count in ((2, 3), (3, 2), (2, 1)):
        assert_frame_equal(study.collocations(size, min_count), vocabulary.collocations(tokens, size, min_count))


def test_rows_are_counted_alike_packed_in_one_integer_or_sorted_column_by_column():
    from helpers.store import _rows_summed

    rng = np.random.default_rng(5)
    small = [rng.integers(0, 4, 300) for _ in range(3)]
    rows, counts = _rows_summed(small)
    expected = Counter(zip(*(c.tolist() for c in small)))
    assert dict(zip(zip(*(c.tolist() for c in rows)), counts.tolist())) == expected
    assert list(zip(*(c.tolist() for c in rows))) == sorted(expected)
    large = [c + (1 << 40) for c in small]  # too large to pack three in 63 bits: sorted by columns
    rows, counts = _rows_summed(large, np.full(300, 2))
    assert dict(zip(zip(*((c - (1 << 40)).tolist() for c in rows)), counts.tolist())) == {k: 2 * n for k, n in expected.items()}


def test_every_stage_fingerprints_the_store_schemas():
    """A column renamed in helpers/schemas.py must rebuild the stores written with the old name."""
    from helpers import pipeline

    assert all("schemas.py" in pipeline._CODE[stage] for stage in pipeline.STAGES)


def test_each_stage_fingerprints_every_helpers_module_its_code_imports():
    """A stage's fingerprint hashes its modules' code: a module they import but no stage up to it hashes could
    change the stage's results unseen."""
    import ast

    from helpers import pipeline

    here = Path(pipeline.__file__).parent
    not_results = {"paths.py", "errors.py", "unavailable.py", "fonts.py"}  # where files are, how errors read
    # imports that serve another job of the module, not the per-report step (said here, so that a new one is seen)
    other_jobs = {("corpus.py", "metadata.py"), ("corpus.py", "regions.py"),  # loading the corpus table
                  ("structure.py", "regions.py"),  # ordering regions in corpus-level tables
                  ("instruments.py", "hand_codes.py"), ("instruments.py", "findings.py"),  # validation, wording
                  ("instruments.py", "exports.py"), ("instruments.py", "memory.py")}  # writing instruments.csv

    def imported(name: str) -> set[str]:
        found = set()
        for node in ast.walk(ast.parse((here / name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "helpers":
                found |= {f"{a.name}.py" for a in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers."):
                found.add(node.module.split(".")[1] + ".py")
        return {m for m in found if (name, m) not in other_jobs} - not_results

    hashed: set[str] = set()
    for stage in pipeline.STAGES:
        hashed |= set(pipeline._CODE[stage])
        for name in pipeline._CODE[stage]:
            if name != "pipeline.py":  # the orchestrator imports every stage's modules
                assert imported(name) <= hashed, f"{stage}: {name} imports {sorted(imported(name) - hashed)}"


def test_a_build_records_the_versions_and_the_study_stamps_them(tmp_path):
    from helpers.context import load_study
    from helpers.lexicon import default_lexicon
    from helpers.pipeline import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("一、主要举措和成效\n全年调解矛盾纠纷120件。\n", encoding="utf-8")
    build(corpus, tmp_path / "store", workers=1)
    versions = Store(tmp_path / "store").current()["versions"]
    assert versions == Settings().versions() and versions["lexicon"] == default_lexicon().version
    study = load_study(corpus, store_dir=tmp_path / "store")
    assert study.versions == versions
    assert study.caption.endswith(f"Lexicon {versions['lexicon']}, codebook {versions['themes']}.")
    stamped = study.stamped(pd.DataFrame({"x": [1]}))
    assert list(stamped.columns) == ["x", "lexicon_version", "themes_version", "causes_version", "instruments_version"]


def test_a_store_built_with_the_corpus_own_table_named_is_current_for_the_default(tmp_path):
    """The study names corpus/reports.csv when it builds; notebooks open the store with the default (None): the
    same table, so the same store (a study on a folder holding its reports.csv stopped at notebook 04)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("一、主要举措和成效\n全年调解矛盾纠纷120件。\n", encoding="utf-8")
    (corpus / "reports.csv").write_text("file,province\na.txt,陕西省\n", encoding="utf-8")
    build(corpus, tmp_path / "named", corpus / "reports.csv", workers=1)
    Store(tmp_path / "named").check(corpus.resolve(), None)
    build(corpus, tmp_path / "default", workers=1)
    Store(tmp_path / "default").check(corpus.resolve(), corpus / "reports.csv")
    (corpus / "reports.csv").write_text("file,province\na.txt,辽宁省\n", encoding="utf-8")
    with pytest.raises(StoreError, match="corpus folder changed"):
        Store(tmp_path / "named").check(corpus.resolve(), None)


def test_per_report_queries_give_the_same_rows_a_slice_of_reports_at_a_time(bundled, monkeypatch):
    """Top terms by report, TF-IDF and KWIC read a slice of reports at a time (Store.slices): the same rows, in order."""
    import helpers.store as store_module

    store = bundled.store
    n = len(store.metadata())
    assert n >= 3

    def asked():
        return {"top": store.token_counts(["report_id"], content_only=True, top=10),
                "by report and part": store.token_counts(["report_id", "part"], properties=[]),
                "tfidf": store.tfidf_candidates(8)[0], "n_docs": store.tfidf_candidates(8)[1],
                "kwic": store.kwic("依法", window=6), "kwic, no hit": store.kwic("没有这个词语"), "kwic, empty": store.kwic("")}

    monkeypatch.setattr(store_module, "QUERY_SLICE_REPORTS", 10**6)
    whole = asked()
    assert len(whole["kwic"]) > 10 and whole["kwic"]["report_id"].nunique() >= 2 and whole["kwic, no hit"].empty
    assert whole["top"]["report_id"].nunique() == n and whole["n_docs"] == n
    for reports in (1, 2):
        monkeypatch.setattr(store_module, "QUERY_SLICE_REPORTS", reports)
        assert sum(1 for _ in store.slices(["terms"])) == -(-n // reports)
        for name, value in asked().items():
            if isinstance(value, pd.DataFrame):
                # TF-IDF candidates come in no set order (ranked again by helpers.vocabulary.tfidf_ranked)
                key = ["report_id", "token"] if name == "tfidf" else None
                got, want = (v.sort_values(key).reset_index(drop=True) if key else v for v in (value, whole[name]))
                assert_frame_equal(got, want, check_exact=True, obj=f"{name} by {reports}")
            else:
                assert value == whole[name], name


def test_the_head_of_a_table_reads_reports_only_until_it_has_its_rows(bundled, monkeypatch):
    store = bundled.store
    whole = store.table("evidence")
    asked: list[int] = []
    table = store.table
    monkeypatch.setattr(store, "table", lambda name, columns=None, reports=None: asked.append(len(reports)) or
                        table(name, columns, reports))
    for n in (0, 1, 8, len(whole) - 1, len(whole), len(whole) + 5):
        asked.clear()
        assert_frame_equal(store.head("evidence", n), whole.head(n))
        assert sum(asked) <= len(store.metadata())
    asked.clear()
    first = store.head("evidence", 3, columns=["category", "score"])
    assert_frame_equal(first, whole[["report_id", "category", "score"]].head(3))
    assert asked == [1]  # the first report holds them: one report read


def test_batches_hold_at_most_so_many_reports_and_so_many_bytes(tmp_path):
    """A worker's memory follows its batch: bounded by reports and by bytes, a long report alone."""
    from helpers import store as store_module
    from helpers.intake import Candidate

    def jobs(sizes: list[int]) -> list[pipeline.Job]:
        out = []
        for k, size in enumerate(sizes):
            path = tmp_path / f"r{k}.txt"
            path.write_bytes(b"x" * size)
            out.append(pipeline.Job(Candidate(path.name, path), f"k{k}", {}, "", "", tuple(STAGES)))
        return out

    most, limit = store_module.BATCH_REPORTS, store_module.BATCH_BYTES
    # many short reports (rows of a table: their text's bytes count): full batches of the most reports; at least
    # four batches a worker for a small corpus
    many = [pipeline.Job(Candidate(f"#{k}", tmp_path / "t.csv", k, "字" * 10), f"k{k}", {}, "", "", tuple(STAGES))
            for k in range(8 * most + 3)]
    assert [len(b) for b in store_module._batches(many, 2, None)] == [most] * 8 + [3]
    assert [len(b) for b in store_module._batches(many[:80], 2, None)] == [10] * 8
    # long reports: the bytes decide; one longer than the limit is a batch of its own, nothing is lost
    third = limit // 3 + 1
    long = jobs([third, third, third, 2 * limit, 10, third])
    batches = store_module._batches(long, 1, None)
    assert [len(b) for b in batches] == [2, 1, 1, 2]
    assert [j.key for b in batches for j in b] == [j.key for j in long]
    assert all(sum(store_module._job_bytes(j) for j in b) <= limit for b in batches if len(b) > 1)
    # a size given: that many reports a batch, whatever their bytes
    assert [len(b) for b in store_module._batches(long, 1, 4)] == [4, 2] and store_module._batches([], 2, None) == []
