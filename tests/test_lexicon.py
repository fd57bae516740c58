"""The 法治 lexicon: size, provenance, stopword lists, and every term one token in the corpus."""

from __future__ import annotations

import pytest

from helpers.lexicon import LexiconError, load_lexicon
from helpers.lexicon_tuning import is_one_token, term_contexts
from helpers.paths import LEXICON
from helpers.tokenise import Tokeniser

REQUIRED = (
    "法治政府 习近平法治思想 第一责任人 枫桥经验 三重一大 谁执法谁普法 双随机、一公开 法律明白人 八五普法 "
    "合法性审查 行政复议 公共法律服务 人民调解 矛盾纠纷 一岗双责 三会一课 宪法宣传周 综合行政执法"
).split()


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(LEXICON)


@pytest.fixture(scope="module")
def tokeniser(lexicon):
    return Tokeniser(lexicon, cache_dir=False)


def test_size_categories_and_required_terms(lexicon):
    terms = lexicon.terms
    assert (lexicon.version, len(terms)) == ("2026.11.0", 480)  # a new version: say its size here
    assert terms["term"].is_unique and (terms["category"] != "").all()
    assert set(REQUIRED) <= set(terms["term"])
    assert lexicon.version and len(lexicon.fingerprint) == 16


def test_corpus_terms_really_occur_in_the_corpus(lexicon, corpus):
    text = "\n".join(r.text for r in corpus)
    missing = [t for t, s in zip(lexicon.terms["term"], lexicon.terms["source"]) if s == "corpus" and t not in text]
    assert missing == []
    others = set(lexicon.terms.loc[lexicon.terms["source"] != "corpus", "source"])
    assert others <= {"法治政府建设实施纲要（2021—2025年）", "法治社会建设实施纲要（2020—2025年）", "八五普法规划（2021—2025年）"}


def test_every_term_is_one_token_in_the_corpus_and_alone(lexicon, tokeniser, corpus):
    texts = [r.text for r in corpus]
    terms = list(lexicon.terms["term"])
    split, tested_in_corpus = [], 0
    for term in terms:
        places = term_contexts(term, texts, terms)
        tested_in_corpus += bool(places)
        for sentence, start in [*places, (term, 0)]:
            if not is_one_token(tokeniser, sentence, start, term):
                split.append((term, sentence[:40]))
    assert split == []
    # most corpus terms are tested in a real sentence; the rest occur only inside a longer lexicon term
    assert (lexicon.version, tested_in_corpus) == ("2026.11.0", 406)


def test_contexts_skip_places_where_another_term_overlaps():
    terms = ["矛盾纠纷", "纠纷排查", "社会矛盾纠纷"]
    assert term_contexts("矛盾纠纷", ["化解矛盾纠纷。矛盾纠纷排查。社会矛盾纠纷。"], terms) == [("化解矛盾纠纷", 2)]


def test_shortcoming_markers_are_never_stopwords(lexicon):
    for word in ("但是", "不够", "有待", "不足", "仍", "缺乏"):
        assert word in lexicon.shortcoming_markers
        assert word not in lexicon.function_words and word not in lexicon.filler_words
    for word in ("切实", "进一步", "不断", "全面", "深入", "扎实", "积极"):
        assert word in lexicon.filler_words


def test_bad_lexicon_folders_are_clear_errors(tmp_path):
    for name in ("VERSION", "fazhi_terms.csv", "stopwords_function.txt", "stopwords_filler.txt", "shortcoming_markers.txt"):
        (tmp_path / name).write_text((LEXICON / name).read_text(encoding="utf-8"), encoding="utf-8")
    with open(tmp_path / "stopwords_filler.txt", "a", encoding="utf-8") as f:
        f.write("不够\n")
    with pytest.raises(LexiconError, match=r"shortcoming markers must not be stopwords: \['不够'\]"):
        load_lexicon(tmp_path)
    (tmp_path / "VERSION").unlink()
    with pytest.raises(LexiconError, match="VERSION: missing lexicon file"):
        load_lexicon(tmp_path)


def test_tune_frequencies_raises_a_split_term_until_it_is_one_token_in_its_sentences(lexicon):
    """A term jieba splits in a sentence of the texts gets a higher frequency, and then comes out whole."""
    import dataclasses

    import pandas as pd

    from helpers.lexicon_tuning import tune_frequencies

    terms = pd.DataFrame({"term": ["普法", "双随机、一公开"], "category": ["publicity", "enforcement"],
                          "source": ["test", "test"], "freq": [0, 0]})
    small = dataclasses.replace(lexicon, terms=terms, fingerprint="test")
    sentence = "一是普法教育工作做得不够"  # jieba's own word 普法教育 beats 普法 at the starting frequency

    def tokeniser(freq: list[int]) -> Tokeniser:
        return Tokeniser(dataclasses.replace(small, terms=terms.assign(freq=freq), fingerprint=str(freq)), cache_dir=False)

    assert not is_one_token(tokeniser([1_000, 0]), sentence, 2, "普法")
    freq = tune_frequencies(small, [sentence + "。", "推行双随机、一公开监管。"])
    assert freq["双随机、一公开"] == 0  # matched before jieba: needs no frequency
    assert freq["普法"] in {1_000 * 2**k for k in range(1, 12)}  # doubled from the floor
    assert is_one_token(tokeniser([int(freq["普法"]), 0]), sentence, 2, "普法")
    assert not is_one_token(tokeniser([int(freq["普法"]) // 2, 0]), sentence, 2, "普法")  # the least doubling that works
