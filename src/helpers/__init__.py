"""Helpers for the open study of China's local 法治政府建设 annual reports.

One module per pipeline stage, each importing only the stages before it, so a reader can follow a report
from file to chart:

``paths`` · ``errors`` · ``regions`` → ``read`` (files → text: .txt/.docx/.pdf/.html, encodings, traditional →
simplified) → ``normalise`` (canonical text with a map back to raw offsets) → ``segment`` (parts and items) →
``corpus`` (metadata table, validation, inference) → ``structure`` (tidy tables of parts and items) →
``lexicon`` · ``tokenise`` (jieba with the 法治 lexicon, cached tokens) → ``vocabulary`` · ``citations``
(frequencies, keyness, KWIC, collocations, cited documents) → ``themes`` (codebook coding, validation, NMF) →
``indicators`` (quantitative claims) → ``comparison`` (measures vs shortcomings) → ``fonts`` · ``plots``
(charts; plotting never computes statistics) → ``context`` (what a notebook starts from) → ``site`` · ``study``
· ``cli`` (rendering and running the whole study).
"""

__version__ = "0.1.0"

import sys as _sys

# Jupyter installs jsonschema with rfc3987_syntax, which jsonschema imports to check "iri" strings; importing it
# builds a grammar: 2.7 s in every process that reads or runs a notebook (the study's, each of its workers, the
# site's). No notebook schema checks that format, so the import is refused (jsonschema then leaves that check out).
_sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
