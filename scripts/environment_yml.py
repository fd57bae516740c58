"""Write environment.yml from requirements.lock, so conda users install exactly the locked packages.

Usage: python scripts/environment_yml.py  (run by ``make lock``; a test checks the two files agree).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+==[^\s\\;]+)(\s*;\s*[^\\]+?)?\s*\\?$")


def locked_requirements(lock: Path) -> list[str]:
    """Pinned requirement lines (``name==version`` plus any environment marker) of a uv-compiled lock."""
    out = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        m = PIN.match(line.strip())
        if m and not line.startswith((" ", "#")):
            out.append(m.group(1) + (f" ;{m.group(2).split(';', 1)[1].rstrip()}" if m.group(2) else ""))
    return out


def render(requirements: list[str]) -> str:
    """The environment.yml text for ``requirements``."""
    pins = "\n".join(f'      - "{r}"' for r in requirements)
    return (
        "# Generated from requirements.lock by scripts/environment_yml.py (make lock); do not edit by hand.\n"
        "# conda env create -f environment.yml && conda activate fzzf-study && pip install --no-deps -e .\n"
        "name: fzzf-study\n"
        "channels:\n  - conda-forge\n"
        "dependencies:\n  - python=3.11\n  - pip\n  - pip:\n"
        f"{pins}\n"
    )


if __name__ == "__main__":
    (ROOT / "environment.yml").write_text(render(locked_requirements(ROOT / "requirements.lock")), encoding="utf-8")
    sys.exit(0)
