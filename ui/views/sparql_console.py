"""SPARQL console for researchers: the query library in a picker, an editor, the results as a table, and
CSV and SPARQL-JSON downloads. Queries run under the same limits as the public endpoint (time limit, row
cap, read-only; see docs/sparql.md); the project's prefixes are predeclared."""

import pandas as pd
import streamlit as st

from policyatlas.core.errors import UserError
from policyatlas.core.query_library import load_library
from policyatlas.core.results import to_csv, to_json
from ui import state
from ui.components import console
from ui.components.common import guard
from ui.i18n import lang, t


def pick_library_query() -> None:
    """Library picker callback: put the chosen query into the editor."""
    chosen = st.session_state[state.widget_key("sparql_library")]
    state.put("sparql_library", chosen)
    query = next((q for q in load_library() if q.id == chosen), None)
    if query is not None:
        state.put("sparql_query", query.sparql)


def run_query() -> None:
    """Run-button callback: run the editor's query and keep the answer for this session."""
    text = st.session_state[state.widget_key("sparql_query")]
    state.put("sparql_query", text)
    try:
        result = console.run(text)
    except UserError as err:
        st.session_state.sparql_result = {"query": text, "error": str(err)}
        return
    if result.kind == "ask":
        table = None
    elif result.kind == "graph":
        table = pd.DataFrame([[s.short(), p.short(), o.short()] for s, p, o in result.triples],
                             columns=["subject", "predicate", "object"])
    else:
        table = pd.DataFrame([{v: row[v].short() if v in row else None for v in result.vars}
                              for row in result.rows], columns=result.vars)
    st.session_state.sparql_result = {"query": text, "table": table, "csv": to_csv(result),
                                      "json": to_json(result), "complete": result.complete,
                                      "note": result.note, "rows": len(result), "ask": result.boolean}


console.prestart()
st.title(t("sparql.title"))
st.caption(t("sparql.intro"))


@st.fragment
def console_view() -> None:
    """The library picker, the editor, the run button and the answer: a fragment, so that choosing or
    running a query reruns and redraws only these."""
    with guard():
        library = {q.id: q for q in load_library()}
        titles = {i: f"{q.title_zh if lang() == 'zh' else q.title_en} ({i})" for i, q in library.items()}
        st.selectbox(t("sparql.library"), list(library), index=None, key=state.bind("sparql_library"),
                     placeholder=t("sparql.library_placeholder", n=len(library)),
                     format_func=titles.get, on_change=pick_library_query)
        chosen = library.get(st.session_state.sparql_library)
        if chosen is not None:
            st.caption(chosen.question_zh if lang() == "zh" else chosen.question_en)
        st.text_area(t("sparql.editor"), key=state.bind("sparql_query"), height=260,
                     placeholder="SELECT ?country ?label WHERE { ?country a pa:Country ; rdfs:label ?label } LIMIT 10")
        st.button(t("sparql.run"), key="sparql_run", on_click=run_query, type="primary",
                  icon=":material/play_arrow:")
        answer = st.session_state.sparql_result
        if answer:
            if "error" in answer:
                st.error(answer["error"], icon=":material/error:")
            else:
                if not answer["complete"]:
                    st.warning(t("sparql.incomplete", note=answer["note"]))
                if answer["table"] is None:
                    st.info(t("sparql.ask", answer=t("sparql.yes") if answer["ask"] else t("sparql.no")))
                else:
                    st.caption(t("sparql.rows", n=answer["rows"]))
                    st.dataframe(answer["table"], hide_index=True, width="stretch", key="sparql_table")
                left, right = st.columns(2)
                left.download_button(t("sparql.csv"), answer["csv"], file_name="policyatlas-query.csv",
                                     mime="text/csv", key="sparql_csv", on_click="ignore")
                right.download_button(t("sparql.json"), answer["json"], file_name="policyatlas-query.json",
                                      mime="application/sparql-results+json", key="sparql_json", on_click="ignore")


console_view()
