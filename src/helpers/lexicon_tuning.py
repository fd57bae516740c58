"""Tuning the lexicon's jieba frequencies so that every term comes out as one token (``scripts/tune_lexicon.py``).

Not part of the per-report step: it rewrites ``data/lexicon/fazhi_terms.csv``'s ``freq`` column, after which the
lexicon's version is bumped and the store's lexicon stage is recomputed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from helpers.lexicon import Lexicon
from helpers.spans import occurrences
from helpers.tokenise import _JIEBA_BLOCK, MIN_TERM_FREQ, Tokeniser

_SENTENCE = re.compile(r"[^。！？；\n]+")


def term_contexts(term: str, texts: Sequence[str], others: Sequence[str]) -> list[tuple[str, int]]:
    """Sentences of ``texts`` holding ``term``, with its offset, where no other lexicon term overlaps it.

    Where another term contains or overlaps this one (``矛盾纠纷`` in ``社会矛盾纠纷``, or ``矛盾纠纷`` against
    ``纠纷排查`` in ``矛盾纠纷排查``), only one of them can be a token: such places test the pair's
    frequencies, not this term, and are left out.
    """
    found = []
    overlapping = [o for o in others if o != term and any(c in term for c in o)]
    for text in texts:
        for m in _SENTENCE.finditer(text):
            sentence = m.group()
            if term not in sentence:
                continue
            spans = [(i, i + len(o)) for o in overlapping for i in occurrences(sentence, o)]
            for start in occurrences(sentence, term):
                end = start + len(term)
                # a shorter term inside this one does not count: this one is the longer, it should win
                if not any(s < end and start < e and not (start <= s and e <= end) for s, e in spans):
                    found.append((sentence, start))
    return found


def is_one_token(tokeniser: Tokeniser, sentence: str, start: int, term: str) -> bool:
    """True when ``term`` at ``start`` in ``sentence`` comes out as exactly one token."""
    return any(s == start and e == start + len(term) for _, s, e in tokeniser.tokenize(sentence))


def tune_frequencies(lexicon: Lexicon, texts: Sequence[str], max_rounds: int = 6) -> pd.Series:
    """Choose each term's jieba frequency so that it comes out as one token, in isolation and in ``texts``.

    Start from the largest of jieba's own frequency for the word, ``suggest_freq`` (the frequency that beats
    its pieces in isolation) and :data:`MIN_TERM_FREQ` (a margin for reports not yet seen); then, while any
    corpus sentence splits the term, double it. Repeat over the lexicon until no frequency changes (terms
    interact).

    Returns:
        term → frequency (``0`` for terms matched before jieba, which need none).
    """
    terms = list(lexicon.terms["term"])
    freq = {t: 0 for t in terms}
    bare = Tokeniser(lexicon, use_lexicon=False, cache_dir=False).jieba()
    for t in terms:
        if _JIEBA_BLOCK.match(t):
            freq[t] = max(bare.FREQ.get(t, 0) or 0, bare.suggest_freq(t, tune=False), MIN_TERM_FREQ)
    tok = Tokeniser(lexicon, backend="jieba", cache_dir=False)  # the reference: its dictionary is raised in place
    jb = tok.jieba()
    for t, f in freq.items():
        if f:
            jb.add_word(t, f)
    contexts = {t: term_contexts(t, texts, terms) + [(t, 0)] for t in terms if _JIEBA_BLOCK.match(t)}
    for _ in range(max_rounds):
        changed = False
        for t, places in contexts.items():
            while not all(is_one_token(tok, s, i, t) for s, i in places):
                if freq[t] > 10**8:
                    raise ValueError(f"lexicon term {t!r} cannot be made one token: {places[:3]}")
                freq[t] *= 2
                jb.add_word(t, freq[t])
                changed = True
        if not changed:
            break
    return pd.Series(freq, name="freq")


__all__ = ["is_one_token", "term_contexts", "tune_frequencies"]
