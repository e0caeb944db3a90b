"""policyatlas.render: terminal tables line up with Chinese text, Markdown cells cannot break a table, JSON
keeps Chinese readable."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from policyatlas.core import json as render_json
from policyatlas.core import markdown, table

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


def test_table_aligns_wide_characters():
    out = table.table(["id", "名称"], [["a", "短时工作制"], ["bbb", "x"]]).splitlines()
    assert out[0] == "id   名称" and out[1] == "---  ----------"
    assert out[2] == "a    短时工作制" and out[3] == "bbb  x"
    assert table.width("中文ab") == 6


@given(st.lists(st.lists(TEXT.filter(lambda t: "\\" not in t), min_size=3, max_size=3), max_size=5))
def test_markdown_cells_never_split_a_row(rows):
    lines = markdown.table(["a", "b", "c"], rows)
    assert len(lines) == len(rows) + 2 and lines[1] == "|---|---|---|"
    for line in lines[2:]:
        # one line per row, with exactly its four separators once the escaped pipes are taken out
        assert len(line.splitlines()) == 1 and line.replace("\\|", "").count("|") == 4


@given(TEXT)
def test_a_cell_has_no_line_break_and_no_bare_pipe(text):
    cell = markdown.cell(text)
    assert len(cell.splitlines()) <= 1
    assert "|" not in cell.replace("\\|", "")


def test_json_keeps_chinese():
    text = render_json.dumps({"label": "政策工具"}, newline=True)
    assert "政策工具" in text and text.endswith("}\n") and json.loads(text) == {"label": "政策工具"}


def test_query_table_aligns_chinese_labels():
    """`policyatlas query` output: a column after Chinese text starts at the same terminal column on every row."""
    from policyatlas.core.results import Result, Term, to_table

    rows = [{"zh": Term("literal", zh, lang="zh"), "iso3": Term("literal", iso3)}
            for zh, iso3 in (("阿鲁巴", "ABW"), ("阿尔巴尼亚", "ALB"))]
    lines = to_table(Result("select", ["zh", "iso3"], rows)).splitlines()
    start = table.width(lines[0][: lines[0].index("iso3")])
    assert [table.width(line[: line.index(code)]) for line, code in zip(lines[2:4], ("ABW", "ALB"), strict=True)] \
        == [start, start]
    assert lines[1] == "-" * table.width("阿尔巴尼亚@zh") + "  ----"
