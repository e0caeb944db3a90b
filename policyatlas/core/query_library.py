"""The researchers' query library: the `.rq` files in `ontology/queries/`, with their titles and questions.

Each file opens with comment lines `# title-en:`, `# title-zh:`, `# question-en:`, `# question-zh:` (the
research question it answers, in English and Chinese); the rest is a SPARQL query that may use the
project's predeclared prefixes. The endpoint's page, the UI console and the tests all read the library
through `load_library()`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from policyatlas.core.errors import Problem, ValidationError
from policyatlas.core.paths import ONTOLOGY_DIR, relative

QUERIES_DIR = ONTOLOGY_DIR / "queries"
HEADER_KEYS = ("title-en", "title-zh", "question-en", "question-zh")


@dataclass(frozen=True)
class LibraryQuery:
    """One library query: its id (file stem), bilingual title and question, and the SPARQL text."""

    id: str
    title_en: str
    title_zh: str
    question_en: str
    question_zh: str
    sparql: str
    path: str

    def to_json(self) -> dict:
        return asdict(self)


def read_query_file(path: Path) -> LibraryQuery:
    """Read one `.rq` file; a missing or empty header line is a ValidationError with its path and line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header: dict[str, str] = {}
    problems = []
    for line in lines:
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].strip().partition(":")
        if sep and key.strip() in HEADER_KEYS:
            header[key.strip()] = value.strip()
    for n, key in enumerate(HEADER_KEYS, start=1):
        if not header.get(key):
            problems.append(Problem(relative(path), n, "query-header",
                                    f"the query needs a '# {key}: ...' line at the top"))
    if problems:
        raise ValidationError(problems)
    return LibraryQuery(path.stem, header["title-en"], header["title-zh"], header["question-en"],
                        header["question-zh"], "\n".join(lines) + "\n", relative(path))


def load_library(folder: Path = QUERIES_DIR) -> list[LibraryQuery]:
    """Every query in the library, sorted by file name."""
    return [read_query_file(p) for p in sorted(folder.glob("*.rq"))]
