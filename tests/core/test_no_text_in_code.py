"""The message catalogue stays the one place for user-facing Chinese: no Python string outside
`policyatlas/core/messages` holds Chinese text, except the few files allowed below, each with its reason.

Docstrings and comments are not checked (they are read by developers, not shown to users); every other string
constant of the product's Python (policyatlas/, evaluator/, ui/, scripts/, bench/) is."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("policyatlas", "evaluator", "ui", "scripts", "bench")
# CJK ideographs, CJK punctuation and full-width forms
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
ALLOWED = {
    # the checks of the KB's Chinese text read Chinese numerals and magnitude words (万, 亿): a parser's
    # vocabulary, not a message
    "policyatlas/kb/kbtext.py",
    # the UI benchmark clicks the language switch by its visible name (中文), as a user does
    "bench/bench_ui.py",
    # the documentation of a rule-language function (evaluator/rules/README.md is generated from it) shows
    # how a number of people reads in Chinese; it is documentation, not a message
    "evaluator/assess/conditions.py",
    # an import script writes KB data: the Chinese names of jurisdictions that CLDR lacks are data, not messages
    "scripts/import_countries.py",
}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def chinese_strings(path: Path, root: Path = ROOT) -> list[str]:
    """`path:line: text` of each string constant written with Chinese characters (as the source spells it:
    `\\u4e00` escapes in a character range are not text), docstrings left out."""
    source = path.read_text(encoding="utf-8")
    if not CJK.search(source):
        return []
    tree = ast.parse(source, filename=str(path))
    skip = _docstrings(tree)
    return [f"{path.relative_to(root)}:{node.lineno}: {node.value[:60]!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
            and CJK.search(node.value) and CJK.search(ast.get_source_segment(source, node) or "")]


def test_no_chinese_text_outside_the_catalogue():
    files = [p for folder in FOLDERS for p in sorted((ROOT / folder).rglob("*.py")) if ".venv" not in p.parts]
    assert len(files) > 50
    found = [hit for p in files if str(p.relative_to(ROOT)) not in ALLOWED for hit in chinese_strings(p)]
    assert not found, "move these texts into policyatlas/core/messages/<lang>/<area>.yaml:\n" + "\n".join(found)


def test_the_allow_list_is_current():
    """An allowed file that no longer holds Chinese text leaves the list (so the list only shrinks)."""
    stale = [name for name in ALLOWED if not (ROOT / name).is_file() or not chinese_strings(ROOT / name)]
    assert not stale, f"remove from ALLOWED: {stale}"


def test_the_check_finds_chinese_text(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""文档字符串不算。"""\nLABEL = {"zh": "政策工具"}  # 注释不算\nRANGE = "[\\u4e00-\\u9fff]"\n',
                      encoding="utf-8")
    assert chinese_strings(sample, tmp_path) == ["sample.py:2: '政策工具'"]
