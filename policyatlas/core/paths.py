"""Where the project's folders are: the ontology, the KB sources, the compiled dataset.

The evaluator's own folders (rules, model data) are the evaluator's business:
`evaluator.assess.rules_loader.RULES_DIR`, `evaluator.models.modeldata.MODEL_DATA_DIR`."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_DIR = ROOT / "ontology"
KB_DIR = ROOT / "kb"
BUILD_DIR = Path(os.environ.get("POLICYATLAS_BUILD_DIR", ROOT / "build"))
DATASET = BUILD_DIR / "policyatlas.nt"
JSONLD = BUILD_DIR / "policyatlas.jsonld"


def store_dir_for(dataset: Path) -> Path:
    """The on-disk Oxigraph store that `policyatlas build` wrote with a dataset file: the one in the same
    release (the dataset path is resolved once, so the pair never straddles two builds)."""
    return Path(os.path.realpath(dataset)).with_suffix(".store")


STORE_DIR = DATASET.with_suffix(".store")  # a symlink through build/current; resolve it once per reader


def relative(path: Path | str) -> str:
    """A path as users see it in messages: relative to the project when it lies inside it."""
    p = Path(path).resolve()
    try:
        return p.relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)
