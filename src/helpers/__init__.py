"""Helpers for the open study of China's local 法治政府建设 annual reports.

One module per pipeline stage, each importing only the stages before it:

``paths`` → ``errors`` → ``regions`` → ``read`` (bytes → text) → ``corpus`` (metadata table) →
``normalise`` (canonical text with a map back to raw offsets) → ``segment`` (parts and items) →
``structure`` (tidy tables over a corpus) → ``fonts`` / ``plots`` (charts) → ``site`` (HTML rendering).
"""

__version__ = "0.1.0"
