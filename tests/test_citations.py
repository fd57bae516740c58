"""Cited documents: one key per document whatever the spelling; kinds; offsets."""

from __future__ import annotations

import pytest

from helpers.citations import cited_documents, document_counts, document_key, document_kind


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("中华人民共和国民法典", "民法典"),
        ("民法典", "民法典"),
        ("法治政府建设实施纲要（2021—2025年）", "法治政府建设实施纲要"),
        ("法治中国建设规划(2020-2025年)", "法治中国建设规划"),
        ("习近平法治思想学习纲要", "习近平法治思想学习纲要"),
        ("关于坚持和发展新时代“枫桥经验”推进社会矛盾纠纷预防化解法治化工作方案的通知（试行）",
         "关于坚持和发展新时代“枫桥经验”推进社会矛盾纠纷预防化解法治化工作方案的通知"),
    ],
)
def test_document_key(title, key):
    assert document_key(title, {}) == key


def test_aliases_join_short_names():
    assert document_key("督察规定", {"督察规定": "法治政府建设与责任落实督察工作规定"}) == "法治政府建设与责任落实督察工作规定"


@pytest.mark.parametrize(
    ("key", "kind"),
    [("民法典", "法律"), ("反有组织犯罪法", "法律"), ("中国共产党问责条例", "党内法规"), ("信访工作条例", "法规规章"),
     ("法治政府建设实施纲要", "规划纲要"), ("北方法制报", "媒体"), ("习近平谈治国理政", "书籍讲话"),
     ("小寨路街道办事处保密制度", "本单位制度"), ("党政主要负责人履行推进法治建设第一责任人职责规定", "党内法规")],
)
def test_document_kind(key, kind):
    assert document_kind(key) == kind


def test_cited_documents_in_the_corpus(corpus):
    cited = cited_documents(corpus)
    by_id = {r.report_id: r for r in corpus}
    for row in cited.itertuples():
        report = by_id[row.report_id]
        assert report.text[row.start : row.end] == f"《{row.title}》"
        raw = report.raw.text[row.raw_start : row.raw_end]
        assert raw.startswith("《") and raw.endswith("》")
    counts = document_counts(cited).set_index("document")
    assert counts.loc["民法典", "citations"] == 3 and counts.loc["民法典", "reports"] == 2
    assert counts.loc["反有组织犯罪法", "titles"] == "中华人民共和国反有组织犯罪法"
    # media outlets are told apart from laws
    assert counts.loc["北方法制报", "document_kind"] == "媒体"
