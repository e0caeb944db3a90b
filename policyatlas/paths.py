"""Where the project's folders are: the ontology, the KB sources, the compiled dataset."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
KB_DIR = ROOT / "kb"
RULES_DIR = ROOT / "evaluator" / "rules"
BUILD_DIR = Path(os.environ.get("POLICYATLAS_BUILD_DIR", ROOT / "build"))
DATASET = BUILD_DIR / "policyatlas.nt"
JSONLD = BUILD_DIR / "policyatlas.jsonld"


def store_dir_for(dataset: Path) -> Path:
    """The on-disk Oxigraph store that `policyatlas build` writes beside a dataset file."""
    return dataset.with_suffix(".store")


STORE_DIR = store_dir_for(DATASET)


def relative(path: Path | str) -> str:
    """A path as users see it in messages: relative to the project when it lies inside it."""
    p = Path(path).resolve()
    try:
        return p.relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)
