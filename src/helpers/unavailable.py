"""What a notebook shows when an analysis cannot be done for this corpus: a sentence with the reason.

Every corpus is not every analysis: one report has no "other reports" to compare with, a folder of one city has
one region, a folder whose reports admit nothing has no shortcomings to chart. A helper that meets such a corpus
returns an :class:`Unavailable` instead of a table or a figure; the notebook displays it like any result, and it
renders as one sentence — *Not shown for this corpus: …* — in the notebook and on the site. Plotting helpers
given an :class:`Unavailable` return it unchanged, and :func:`helpers.plots.save_figure` writes nothing for it,
so a notebook's code reads the same for every corpus.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unavailable:
    """An analysis this corpus cannot support, and why (a sentence a reader understands)."""

    what: str
    reason: str

    def __str__(self) -> str:
        return f"Not shown for this corpus: {self.what} — {self.reason}."

    def __repr__(self) -> str:
        return str(self)

    def _repr_markdown_(self) -> str:
        return f"**Not shown for this corpus:** {self.what} — {self.reason}."

    def __getattr__(self, name: str):
        # A display method called on an unavailable result (``.round(1)``, ``.head()``) gives the same sentence
        # back, so a display line in a notebook needs no branch. Anything else is an error, as it should be.
        if name in _DISPLAY_METHODS:
            return lambda *args, **kwargs: self
        raise AttributeError(f"{name!r}: {self}")

    def __getitem__(self, key) -> Unavailable:
        return self


_DISPLAY_METHODS = frozenset({"round", "head", "tail", "rename", "reset_index", "set_index", "sort_values",
                              "to_frame", "reindex", "astype", "fillna", "loc"})


def available(value) -> bool:
    """True unless ``value`` is an :class:`Unavailable` (tables and figures cannot be tested with ``if``)."""
    return not isinstance(value, Unavailable)


def first_unavailable(*values) -> Unavailable | None:
    """The first :class:`Unavailable` among ``values`` (an analysis built on it is unavailable too), or ``None``."""
    return next((v for v in values if isinstance(v, Unavailable)), None)


@dataclass(frozen=True)
class Note:
    """A sentence shown in place of an empty table (``Every file in the folder was read as a report.``)."""

    text: str

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.text
