"""environment.yml, requirements.lock and pyproject.toml agree; the lock is portable."""

from __future__ import annotations

import re
import tomllib

from helpers.paths import ROOT

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)(?:\s*;\s*([^\\]+?))?\s*\\?$")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock() -> set[tuple[str, str, str]]:
    pins = set()
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        m = PIN.match(line)
        if m:
            pins.add((_normal(m.group(1)), m.group(2), (m.group(3) or "").strip()))
    return pins


def _environment() -> set[tuple[str, str, str]]:
    pins = set()
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        m = re.match(r'^\s+- "(.+)"$', line)
        if m:
            pm = PIN.match(m.group(1))
            assert pm, line
            pins.add((_normal(pm.group(1)), pm.group(2), (pm.group(3) or "").strip()))
    return pins


def test_environment_yml_pins_exactly_the_lock():
    lock = _lock()
    assert len(lock) > 50
    assert _environment() == lock
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "python=3.11" in text


def test_every_declared_dependency_is_locked():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["dev"]
    locked = {name for name, _, _ in _lock()}
    for requirement in declared:
        name = _normal(re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0])
        assert name in locked, requirement
    for needed in ("jupyterlab", "pandas", "matplotlib", "jieba", "wordcloud", "nbval", "pylopdf-fonts-zh-cn"):
        assert needed in locked


def test_lock_is_portable_and_hashed():
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert "file://" not in text and "/work/" not in text and "--index-url" not in text
    assert text.count("--hash=sha256:") >= len(_lock())


def test_pip_is_pinned_hashed_and_installed_before_the_lock():
    """Python 3.11.7's pip (23.2.1) took lxml 6.2.0 for justext's ``lxml[html_clean]`` over the lock's 6.1.3 the day
    6.2.0 came out, and refused it under --require-hashes: make setup installs a pinned pip first."""
    text = (ROOT / "requirements-pip.lock").read_text(encoding="utf-8")
    pins = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    assert len(pins) == 1 and re.fullmatch(r"pip==(\d+)\.(\d+)(\.\d+)? \\", pins[0])
    major, minor = map(int, re.match(r"pip==(\d+)\.(\d+)", pins[0]).groups())
    assert (major, minor) >= (23, 3) and "--hash=sha256:" in text and "file://" not in text
    setup = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert 0 <= setup.index("-r requirements-pip.lock") < setup.index("-r requirements.lock")
