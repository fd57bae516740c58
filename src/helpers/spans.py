"""Where a string occurs in a text: the one definition of "every occurrence" the study uses."""

from __future__ import annotations


def occurrences(text: str, word: str) -> list[int]:
    """The start of every occurrence of ``word`` in ``text``, overlapping ones included.

    Example:
        >>> occurrences("调解调解调", "调解调")
        [0, 2]
    """
    if not word:
        raise ValueError("an empty string occurs everywhere: give a word")
    found, at = [], text.find(word)
    while at != -1:
        found.append(at)
        at = text.find(word, at + 1)
    return found


__all__ = ["occurrences"]
