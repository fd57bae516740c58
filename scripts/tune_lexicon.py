"""Set the ``freq`` column of data/lexicon/fazhi_terms.csv so that every term comes out as one token.

Usage: .venv/bin/python scripts/tune_lexicon.py   (after adding terms; then bump data/lexicon/VERSION).
See ``helpers.lexicon_tuning.tune_frequencies`` for the rule. A test checks the result on the corpus.
"""

from __future__ import annotations

from helpers.corpus import load_corpus
from helpers.lexicon import load_lexicon
from helpers.lexicon_tuning import tune_frequencies
from helpers.paths import LEXICON

if __name__ == "__main__":
    lexicon = load_lexicon(LEXICON)
    freq = tune_frequencies(lexicon, [r.text for r in load_corpus()])
    terms = lexicon.terms.copy()
    terms["freq"] = terms["term"].map(freq).astype(int)
    terms.to_csv(LEXICON / "fazhi_terms.csv", index=False, lineterminator="\n")
    print(f"{len(terms)} terms; frequencies from {terms['freq'].min()} to {terms['freq'].max()}")
