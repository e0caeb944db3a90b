"""Output for people and programs: one place for every table, Markdown page and JSON document the CLI and the
app print or export.

- `render.table`: aligned plain-text tables for the terminal (CJK characters take two columns);
- `render.markdown`: Markdown tables and cells;
- `render.json`: JSON as every command prints it (UTF-8 text, not `\\u` escapes, indented);
- `render.report`: the reports themselves: a bundle's evaluation and a staged plan as Markdown, JSON or CSV
  (the briefing the app exports), and an evaluation as terminal text (`policyatlas evaluate`).

Headings come from the message catalogue (`policyatlas.core.i18n`, area `report`); labels of codes from the one
vocabulary or the KB.
"""
