"""Lighter forms of shared views for the pages redrawn on every click (Compose): the same text in fewer
Streamlit elements, since the browser's cost of a rerun grows with the number of elements it redraws."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import streamlit as st

from ui.components.common import SEVERITY_ICONS, SEVERITY_RANK, concept, instrument_name, source_links
from ui.i18n import capital, code, label, t


def finding_text(f: Mapping) -> tuple[str, str]:
    """A finding as (its severity, gap and message as Markdown; what it concerns and its sources, one per line)."""
    head = (f"{SEVERITY_ICONS.get(f['severity'], '')} **{capital(code('severity', f['severity']))}** · "
            f"{concept('concept', f['gap'])}\n\n{label(f['message'])}")
    concerns = [*map(instrument_name, f.get("instruments", [])), *(concept("group", g) for g in
                                                                    f.get("target_groups", []))]
    notes = [t("findings.concerns", items=", ".join(concerns))] if concerns else []
    if f.get("references"):
        notes.append(t("findings.references", items=source_links(f["references"])))
    return head, "  \n".join(notes)


def findings(evaluation: Mapping, *, key: str) -> None:
    """The evaluator's findings, most severe first, as `common.findings` shows them, in two elements per
    finding (its text, and a caption with what it concerns and its sources) inside a container keyed
    `{key}-{rule}-{n}` (a rule may fire once per layer or group)."""
    items = evaluation.get("findings") or []
    if not items:
        st.success(t("findings.none"), icon=":material/check_circle:")
        return
    fired: Counter[str] = Counter()
    for f in sorted(items, key=lambda f: (SEVERITY_RANK.get(f["severity"], 3), f["gap"], f["rule"])):
        fired[f["rule"]] += 1
        head, notes = finding_text(f)
        with st.container(border=True, key=f"{key}-{f['rule']}-{fired[f['rule']]}"):
            st.markdown(head)
            if notes:
                st.caption(notes)
