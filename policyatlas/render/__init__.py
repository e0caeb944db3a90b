"""Layer render: the reports the CLI and the app print or export, built on the plain formats of the core layer
(`policyatlas.core.table`: aligned text tables, CJK characters two columns wide; `policyatlas.core.markdown`:
Markdown tables and cells; `policyatlas.core.json`: JSON as every command prints it).

- `render.report`: the reports themselves: a bundle's evaluation and a staged plan as Markdown, JSON or CSV
  (the briefing the app exports), and an evaluation as terminal text (`policyatlas evaluate`);
- `render.findings`: evaluations as JSON and as Turtle of `pa:Finding`s.

Headings come from the message catalogue (`policyatlas.core.i18n`, area `report`); labels of codes from the one
vocabulary or the KB.
"""
