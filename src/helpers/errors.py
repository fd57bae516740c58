"""Errors written for people: each names the file and says what to do."""

from __future__ import annotations


class StudyError(Exception):
    """Base class of the study's own errors."""


class ReportFormatError(StudyError, ValueError):
    """A report file cannot be read as text (encoding, empty, binary)."""

    def __init__(self, file: str, problem: str, fix: str = "") -> None:
        self.file = file
        self.problem = problem
        self.fix = fix
        message = f"{file}: {problem}"
        if fix:
            message += f" — {fix}"
        super().__init__(message)


class MetadataError(StudyError, ValueError):
    """The metadata table ``reports.csv`` disagrees with itself or with the files."""


class SegmentationWarning(UserWarning):
    """A report's layout was not recognised; it still flows through as one ``other`` part."""
