"""Genre profiles: what the parts of one kind of annual report are called, as data (``data/profiles/*.yaml``).

The segmenter (:mod:`helpers.segment`) finds headings and items the same way in every report; *which part* a
heading opens is the genre's business. A profile names, for its genre:

* ``parts`` / ``nested`` / ``unnumbered``: what a top-rank heading, a heading one rank deeper and a short
  unnumbered line say when they open each part (regular expressions, tried in the file's order);
* ``unnamed`` (and ``unnamed_after``): the part of a top-rank heading that names none — after a given part
  has begun, perhaps another (in a 政府工作报告 a topical heading after the admission is a task);
* ``restarts_are_lists``: past a part named in ``unnamed_after`` (the plans), a top-rank numbering that starts
  again is a list inside the part, not new parts;
* ``headless``: parts that begin without a heading, at the first sentence inside another part that says a cue
  (a 政府工作报告's admission of problems, near the end of its review);
* ``title``, ``cues`` and ``headings``: how the genre is recognised (:func:`detect_genre`);
* ``caption`` and ``labels``: what charts call the reports and their parts.

A third genre needs a YAML file here and no code (see the README). Profiles are versioned, and the store's
``text`` stage fingerprint covers their files.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from helpers.errors import StudyError
from helpers.paths import DATA, relative

#: Part labels, in the order the 2019 regulation lists a 法治 report's contents (plus front matter and sign-off).
PARTS = ("preamble", "measures", "shortcomings", "leadership", "plans", "other", "signoff")
#: Parts a heading can open (preamble and sign-off are found by position).
HEADED_PARTS = PARTS[1:-1]
PROFILES = DATA / "profiles"
#: The genre of a report that fits no profile (segmented with :data:`DEFAULT_GENRE`'s rules, and said so).
UNKNOWN = "unknown"
#: The study's own genre: reports whose genre is unknown are segmented by its profile.
DEFAULT_GENRE = "fazhi_report"
#: How far into a text its title is looked for when no title is given (the first lines of the report).
OPENING_CHARS = 300
#: Distinct cue words plus heading lines a text must show (and more than any other genre's) to be given a genre
#: by its words.
MIN_CUES = 2
#: A line read as a heading for :func:`detect_genre`: no longer than this.
HEADING_CHARS = 30
_HEADING_LINE = re.compile(r"^[^\n。；！？]+$", re.M)
_KEYS = {
    "genre",
    "version",
    "name",
    "caption",
    "labels",
    "title",
    "cues",
    "headings",
    "parts",
    "nested",
    "unnumbered",
    "unnamed",
    "unnamed_after",
    "restarts_are_lists",
    "headless",
}


class ProfileError(StudyError):
    """A profile file that cannot be used (names the file and what to correct)."""


@dataclass(frozen=True)
class Headless:
    """A part that begins without a heading: at the first sentence inside a ``within`` part that says ``opens``."""

    part: str
    within: tuple[str, ...]
    opens: re.Pattern[str]


@dataclass(frozen=True, eq=False)
class Profile:
    """One genre's part rules (see the module docstring); read from a YAML file by :func:`read_profile`."""

    genre: str
    version: str
    name: str
    caption: str
    labels: dict[str, str]
    title: re.Pattern[str]
    cues: tuple[str, ...]
    headings: re.Pattern[str] | None
    parts: dict[str, re.Pattern[str]]
    nested: dict[str, re.Pattern[str]]
    unnumbered: dict[str, re.Pattern[str]]
    unnamed: str
    unnamed_after: dict[str, str]
    restarts_are_lists: bool
    headless: tuple[Headless, ...]
    source: str
    fingerprint: str


def _pattern(value: object, where: str) -> re.Pattern[str]:
    if not isinstance(value, str) or not value:
        raise ProfileError(f"{where}: a regular expression (a non-empty string) is needed, found {value!r}")
    try:
        return re.compile(value)
    except re.error as exc:
        raise ProfileError(f"{where}: {value!r} is not a valid regular expression ({exc})") from None


def _part(value: object, where: str) -> str:
    if value not in HEADED_PARTS:
        raise ProfileError(f"{where}: {value!r} is not a part; use one of {', '.join(HEADED_PARTS)}")
    return str(value)


def _patterns(spec: object, where: str) -> dict[str, re.Pattern[str]]:
    if spec is None:
        return {}
    if not isinstance(spec, dict):
        raise ProfileError(f"{where}: a mapping of part → regular expression is needed")
    return {_part(part, f"{where}.{part}"): _pattern(value, f"{where}.{part}") for part, value in spec.items()}


def read_profile(path: Path | str) -> Profile:
    """Read and check one profile file.

    Raises:
        ProfileError: unreadable YAML, an unknown key, a part that does not exist, an invalid pattern (naming the
            file and the key).
    """
    path = Path(path)
    name = relative(path)
    data = path.read_bytes()
    try:
        spec = yaml.safe_load(data)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{name}: not valid YAML ({exc})") from None
    if not isinstance(spec, dict):
        raise ProfileError(f"{name}: a profile is a YAML mapping (genre:, title:, parts: …)")
    unknown = sorted(set(spec) - _KEYS)
    if unknown:
        raise ProfileError(f"{name}: unknown key(s) {', '.join(unknown)}; the keys are {', '.join(sorted(_KEYS))}")
    for key in ("genre", "version", "title", "parts"):
        if not spec.get(key):
            raise ProfileError(f"{name}: '{key}' is missing")
    genre = str(spec["genre"])
    if genre == UNKNOWN or not re.fullmatch(r"[a-z][a-z0-9_]*", genre):
        raise ProfileError(f"{name}: genre {genre!r} must be lower-case letters, digits and _ (and not {UNKNOWN!r})")
    headless = []
    for part, rule in (spec.get("headless") or {}).items():
        where = f"{name}: headless.{part}"
        if not isinstance(rule, dict) or "opens" not in rule:
            raise ProfileError(f"{where}: needs 'opens' (a regular expression) and 'within' (a list of parts)")
        within = tuple(_part(p, f"{where}.within") for p in rule.get("within") or ())
        headless.append(Headless(_part(part, where), within, _pattern(rule["opens"], f"{where}.opens")))
    after = spec.get("unnamed_after") or {}
    return Profile(
        genre=genre,
        version=str(spec["version"]),
        name=str(spec.get("name") or genre),
        caption=str(spec.get("caption") or spec.get("name") or genre),
        labels={_part(k, f"{name}: labels"): str(v) for k, v in (spec.get("labels") or {}).items()},
        title=_pattern(spec["title"], f"{name}: title"),
        cues=tuple(str(c) for c in spec.get("cues") or ()),
        headings=_pattern(spec["headings"], f"{name}: headings") if spec.get("headings") else None,
        parts=_patterns(spec["parts"], f"{name}: parts"),
        nested=_patterns(spec.get("nested"), f"{name}: nested"),
        unnumbered=_patterns(spec.get("unnumbered"), f"{name}: unnumbered"),
        unnamed=_part(spec.get("unnamed", "measures"), f"{name}: unnamed"),
        unnamed_after={_part(k, f"{name}: unnamed_after"): _part(v, f"{name}: unnamed_after.{k}") for k, v in after.items()},
        restarts_are_lists=bool(spec.get("restarts_are_lists", False)),
        headless=tuple(headless),
        source=path.name,
        fingerprint=hashlib.sha256(data).hexdigest()[:16],
    )


@lru_cache(maxsize=4)
def read_profiles(folder: Path = PROFILES) -> dict[str, Profile]:
    """Every profile of a folder, by genre (in file-name order).

    Raises:
        ProfileError: a bad file, or two files for one genre.
    """
    out: dict[str, Profile] = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        profile = read_profile(path)
        if profile.genre in out:
            raise ProfileError(
                f"{relative(path)}: genre {profile.genre!r} is also defined by "
                f"{out[profile.genre].source}; give each profile its own genre"
            )
        out[profile.genre] = profile
    if DEFAULT_GENRE not in out:
        raise ProfileError(f"{relative(folder)}: no profile for {DEFAULT_GENRE!r}, the study's own genre")
    return out


def profile_for(genre: str | None) -> Profile:
    """The profile that segments a report of ``genre`` (:data:`DEFAULT_GENRE`'s for ``unknown`` or none).

    Raises:
        ProfileError: a genre no profile defines (e.g. a typo in ``reports.csv``).
    """
    profiles = read_profiles()
    if not genre or genre == UNKNOWN:
        return profiles[DEFAULT_GENRE]
    if genre not in profiles:
        raise ProfileError(
            f"genre {genre!r} has no profile in {relative(PROFILES)}; use one of "
            f"{', '.join(profiles)} (or {UNKNOWN}), or add a profile file for it"
        )
    return profiles[genre]


def _by_title(title: str, profiles: dict[str, Profile]) -> str | None:
    """The genre whose title pattern matches ``title`` (the longest match when several do)."""
    best: tuple[int, str] | None = None
    for genre, profile in profiles.items():
        m = profile.title.search(title)
        if m and (best is None or len(m.group()) > best[0]):
            best = (len(m.group()), genre)
    return best[1] if best else None


def detect_genre(title: str, text: str, profiles: dict[str, Profile] | None = None) -> tuple[str, str]:
    r"""A report's genre, and what showed it.

    In this order: the title (given, e.g. a table's ``title`` column); the title as the report's first lines
    say it (:data:`OPENING_CHARS`); the genre whose evidence in the text is strongest — its distinct cue words
    plus its short unpunctuated lines (headings) that say its ``headings`` pattern, at least :data:`MIN_CUES`
    and more than any other genre's.

    Returns:
        ``(genre, evidence)``; evidence is ``title``, ``opening``, ``cues`` or ``none`` (genre ``unknown``).

    Example:
        >>> detect_genre("2026年北京市政府工作报告", "")
        ('gov_work_report', 'title')
        >>> detect_genre("", "某街道2023年法治政府建设工作报告\n…")
        ('fazhi_report', 'opening')
    """
    profiles = read_profiles() if profiles is None else profiles
    genre = _by_title(title, profiles) if title else None
    if genre:
        return genre, "title"
    genre = _by_title(text[:OPENING_CHARS], profiles)
    if genre:
        return genre, "opening"
    heads = [line for line in _HEADING_LINE.findall(text) if len(line) <= HEADING_CHARS]
    counts = sorted(
        (
            (sum(c in text for c in p.cues) + sum(bool(p.headings and p.headings.search(h)) for h in heads), g)
            for g, p in profiles.items()
        ),
        reverse=True,
    )
    if counts and counts[0][0] >= MIN_CUES and (len(counts) == 1 or counts[0][0] > counts[1][0]):
        return counts[0][1], "cues"
    return UNKNOWN, "none"


__all__ = [
    "DEFAULT_GENRE",
    "HEADED_PARTS",
    "PARTS",
    "PROFILES",
    "UNKNOWN",
    "Headless",
    "Profile",
    "ProfileError",
    "detect_genre",
    "profile_for",
    "read_profile",
    "read_profiles",
]
