"""Write docs/data_dictionary.md from src/helpers/dictionary.py and the store's schemas (``make docs``)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from helpers.dictionary import markdown, problems  # noqa: E402

if __name__ == "__main__":
    missing = problems()
    if missing:
        sys.exit("the data dictionary is incomplete:\n  " + "\n  ".join(missing))
    (ROOT / "docs" / "data_dictionary.md").write_text(markdown() + "\n", encoding="utf-8")
    print("written: docs/data_dictionary.md")
