"""The versioned 法治 lexicon: multi-word policy terms with categories, and two stopword lists.

Files in ``data/lexicon/``:

* ``fazhi_terms.csv`` — ``term, category, source, freq``: the field's multi-word terms, gathered from the
  corpus (``source = corpus``) or from the national documents named in ``source``. ``freq`` is the jieba
  frequency that makes the term come out as one token (set by ``scripts/tune_lexicon.py``; jieba's user
  frequency *replaces* its built-in one, so it is chosen, not guessed).
* ``stopwords_function.txt`` — grammatical words; ``stopwords_filler.txt`` — bureaucratic filler
  (切实, 进一步 …), dropped from counts and measured on their own; ``shortcoming_markers.txt`` — words that
  introduce shortcomings (但是, 不够, 有待 …), never dropped.
* ``VERSION`` — the human version; :attr:`Lexicon.fingerprint` hashes every file, so caches never go stale.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers.errors import StudyError
from helpers.paths import LEXICON, relative

FILES = ("VERSION", "fazhi_terms.csv", "stopwords_function.txt", "stopwords_filler.txt", "shortcoming_markers.txt")


class LexiconError(StudyError, ValueError):
    """A lexicon file is missing or malformed."""


def read_word_list(path: Path) -> frozenset[str]:
    """Words of a one-word-a-line list (``#`` comments and blank lines skipped)."""
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word)
    return frozenset(words)


@dataclass(frozen=True)
class Lexicon:
    """The lexicon files, loaded."""

    version: str
    fingerprint: str
    terms: pd.DataFrame
    function_words: frozenset[str]
    filler_words: frozenset[str]
    shortcoming_markers: frozenset[str]

    @property
    def category(self) -> dict[str, str]:
        """Term → category."""
        return dict(zip(self.terms["term"], self.terms["category"]))


def load_lexicon(folder: Path | str = LEXICON) -> Lexicon:
    """Load and check the lexicon folder.

    Raises:
        LexiconError: a file is missing, a term is duplicated or has no category, or a shortcoming marker
            is also a stopword.
    """
    folder = Path(folder)
    for name in FILES:
        if not (folder / name).is_file():
            raise LexiconError(f"{relative(folder / name)}: missing lexicon file")
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes())
    terms = pd.read_csv(folder / "fazhi_terms.csv", dtype=str, keep_default_na=False)
    if list(terms.columns) != ["term", "category", "source", "freq"]:
        raise LexiconError(f"{relative(folder / 'fazhi_terms.csv')}: columns must be term, category, source, freq")
    dup = sorted(set(terms.loc[terms["term"].duplicated(), "term"]))
    if dup:
        raise LexiconError(f"{relative(folder / 'fazhi_terms.csv')}: duplicate terms {dup}")
    empty = terms.loc[(terms["category"] == "") | (terms["term"] == ""), "term"].tolist()
    if empty:
        raise LexiconError(f"{relative(folder / 'fazhi_terms.csv')}: rows without term or category: {empty}")
    terms["freq"] = pd.to_numeric(terms["freq"].replace("", "0")).astype(int)
    function_words = read_word_list(folder / "stopwords_function.txt")
    filler = read_word_list(folder / "stopwords_filler.txt")
    markers = read_word_list(folder / "shortcoming_markers.txt")
    clash = sorted(markers & (function_words | filler))
    if clash:
        raise LexiconError(f"{relative(folder)}: shortcoming markers must not be stopwords: {clash}")
    version = (folder / "VERSION").read_text(encoding="utf-8").strip()
    return Lexicon(version, digest.hexdigest()[:16], terms, function_words, filler, markers)


@lru_cache(maxsize=4)
def default_lexicon() -> Lexicon:
    """The study's lexicon (``data/lexicon``), loaded once."""
    return load_lexicon(LEXICON)
