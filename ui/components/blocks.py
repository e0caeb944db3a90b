"""Charts drawn as HTML, not Plotly: the staged plan's timeline and the scorecard heat map (issue 15).

Both are small (three stages; four countries by seven criteria), so a Plotly figure bought nothing but cost:
the browser downloads and compiles Plotly's 4.7 MB bundle on a fresh page and lays out hundreds of SVG nodes
on every widget change. As HTML they are drawn in the page itself (`st.markdown(..., unsafe_allow_html=True)`:
no iframe), wrap their labels instead of clipping them, print with the page, and every value sits in a `data-`
attribute so tests read what is drawn. Every text put in them is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

from ui.components.palette import LEVEL_COLOURS, NO_DATA, STAGE_COLOURS

#: Colours kept when printed (browsers drop backgrounds in print unless told).
PRINT = "print-color-adjust:exact;-webkit-print-color-adjust:exact"
#: Caption-sized grey text (details under a chart, its axis, its legend).
SMALL = "font-size:0.78rem;color:#5f6368;line-height:1.25"
#: Years an open-ended last stage ("5+") is drawn for; the longest horizon a stage may name.
OPEN_END, MAX_YEAR = 5, 100


def _attr(value) -> str:
    return escape(str(value), quote=True)


def swatch(colour: str, *, size: str = "0.9rem", border: bool = True) -> str:
    """A legend key: a square of `colour` (kept in print)."""
    edge = "border:1px solid #c8c8c8;" if border else ""
    return (f"<span style='display:inline-block;width:{size};height:{size};background:{_attr(colour)};{PRINT};"
            f"{edge}vertical-align:middle;margin-right:0.3rem'></span>")


def ink(background: str) -> str:
    """Dark or white text, whichever reads on `background` (#rrggbb): by its relative luminance."""
    r, g, b = (int(background[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return "#08306b" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "#ffffff"


def stage_span(years: str) -> tuple[float, float]:
    """A stage's years ("0-2", "5+", "3") as (start, end); an open end is drawn `OPEN_END` years long; text that
    is not a span of years from 0 to MAX_YEAR gives (0, OPEN_END)."""
    start, dash, end = str(years).partition("-")
    try:
        first = float(start.rstrip("+").strip() or 0)
        last = float(end) if dash and end.strip() else first + OPEN_END
    except ValueError:
        return 0.0, float(OPEN_END)
    if not (math.isfinite(first) and math.isfinite(last)) or first < 0 or max(first, last) > MAX_YEAR:
        return 0.0, float(OPEN_END)  # not a stage's years: drawn as the first years, never as NaN or off-scale
    return first, max(last, first)


def timeline(stages: Sequence[Mapping], names: Mapping[str, str], *, axis: str, stage_label: str,
             cost_label: str) -> str:
    """The staged plan on one year axis: per stage its label, a bar from its first to its last year in the
    plan's neutral sequential blues holding the names of its instruments (wrapped, never clipped), and its cost
    (`cost_label`, formatted with `cost`) as the bar's tooltip and under the label; then the axis in years."""
    spans = [stage_span(s.get("years", "")) for s in stages]
    top = max([end for _, end in spans] + [1.0])
    ticks = sorted({0.0, top, *(x for span in spans for x in span)})
    parts = [f"<div class='pa-timeline' role='figure' aria-label='{_attr(axis)}'>"]
    grid = "display:grid;grid-template-columns:minmax(6rem,18%) 1fr;gap:0.25rem 0.75rem;align-items:stretch"
    for stage, (start, end) in zip(stages, spans, strict=True):
        number = int(stage.get("stage") or 1)
        colour = STAGE_COLOURS[(number - 1) % len(STAGE_COLOURS)]
        cost = cost_label.format(cost=stage.get("cost_pct_gdp") or 0.0)
        items = [names.get(i["id"], i["id"]) for i in stage.get("instruments") or []]
        left, width = 100 * start / top, 100 * (end - start) / top
        parts.append(
            f"<div class='pa-stage' data-stage='{number}' data-start='{start:g}' data-end='{end:g}' "
            f"data-cost='{_attr(stage.get('cost_pct_gdp'))}' style='{grid};margin:0.3rem 0'>"
            f"<div><strong>{escape(stage_label.format(stage=number, years=stage.get('years', '')))}</strong>"
            f"<div style='{SMALL}'>{escape(cost)}</div></div>"
            f"<div style='position:relative;min-height:2.2rem'>"
            f"<div title='{_attr(cost)}' style='margin-left:{left:.2f}%;width:{width:.2f}%;min-width:7rem;"
            f"min-height:100%;"
            f"background:{colour};color:{ink(colour)};{PRINT};border-radius:3px;padding:0.25rem 0.45rem;"
            f"box-sizing:border-box;font-size:0.85rem;line-height:1.3'>"
            + "<br>".join(escape(n) for n in items) + "</div></div></div>")
    marks = "".join(f"<span style='position:absolute;left:{100 * x / top:.2f}%;transform:translateX(-50%)'>"
                    f"{x:g}</span>" for x in ticks)
    parts.append(f"<div style='{grid}'><div></div><div><div style='position:relative;height:1.1rem;{SMALL};"
                 f"border-top:1px solid #c8c8c8'>{marks}</div><div style='{SMALL};text-align:center'>"
                 f"{escape(axis)}</div></div></div></div>")
    return "".join(parts)


def level_heatmap(levels: Mapping[str, Mapping[str, str]], level_names: Mapping[str, str],
                  row_names: Mapping[str, str], order: Sequence[str],
                  basis: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """A scorecard heat map as a table: one column per country (the keys of `levels`), one row per
    criterion, each cell shaded by its level (`order`: "not assessed" first, in grey, then latent ..
    advanced in sequential blues) and labelled with the level's name; what set the level (`basis`) is the
    cell's tooltip; a legend of the levels in the page's language below."""
    columns = list(levels)
    rows = list(dict.fromkeys(c for card in levels.values() for c in card))
    colours = dict(zip(order, LEVEL_COLOURS[-len(order):], strict=False))  # more levels than colours: white
    cell = "padding:0.3rem 0.5rem;border:2px solid #ffffff;text-align:center"
    head = "".join(f"<th scope='col' style='{cell};font-weight:600'>{escape(c)}</th>" for c in columns)
    body = []
    for r in rows:
        tds = []
        for c in columns:
            level = levels[c].get(r)
            colour = colours.get(level, "#ffffff")
            why = (basis or {}).get(c, {}).get(r, "")
            tds.append(f"<td data-column='{_attr(c)}' data-criterion='{_attr(r)}' data-level='{_attr(level or '')}'"
                       f" title='{_attr(why)}' style='{cell};background:{colour};color:{ink(colour)};{PRINT}'>"
                       f"{escape(level_names.get(level or '', '–'))}</td>")
        body.append(f"<tr><th scope='row' style='text-align:left;font-weight:500;padding:0.3rem 0.5rem'>"
                    f"{escape(row_names.get(r, r))}</th>{''.join(tds)}</tr>")
    legend = " ".join(
        f"<span class='pa-level' data-level='{_attr(lv)}' style='margin-right:1rem;white-space:nowrap'>"
        f"{swatch(colours.get(lv, '#ffffff'))}{escape(level_names.get(lv, lv))}</span>" for lv in order)
    return (f"<div class='pa-heatmap' style='overflow-x:auto'><table style='border-collapse:collapse;width:100%'>"
            f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            f"<div style='{SMALL};margin-top:0.4rem'>{legend}</div></div>")


def map_legend(title: str, values, cuts: Sequence[float], colours: Sequence[str], unknown: str) -> str:
    """The world map's legend: the indicator's name, then each class (a swatch and the range of values it
    holds, from the smallest known value to the largest) and grey for `unknown`."""
    known = sorted(v for v in values if v is not None and v == v and abs(v) != float("inf"))
    bounds = ([known[0]] if known else []) + list(cuts) + ([known[-1]] if known else [])
    classes = [(colours[i], f"{bounds[i]:,.3g} – {bounds[i + 1]:,.3g}")
               for i in range(min(len(colours), len(bounds) - 1))]
    items = [*classes, (NO_DATA, unknown)]
    swatches = " ".join(
        f"<span class='pa-class' data-colour='{_attr(c)}' style='margin-right:1rem;white-space:nowrap'>"
        f"{swatch(c)}{escape(text)}</span>" for c, text in items)
    return (f"<div class='pa-map-legend' style='font-size:0.85rem'><div style='{SMALL}'>{escape(title)}</div>"
            f"{swatches}</div>")


def count_bars(rows: Sequence[tuple[str, int, bool]], *, headers: Sequence[str], reached: str, missed: str) -> str:
    """A table of counts drawn as bars: per row its name, a bar as long as its count (against the largest) with
    the count written after it, and whether it is `reached` (a count above 0) or `missed`. `headers`: the three
    column titles."""
    top = max([n for _, n, _ in rows] + [1])
    cell = "padding:0.25rem 0.5rem;border-bottom:1px solid #eee;vertical-align:middle"
    head = "".join(f"<th scope='col' style='{cell};text-align:left;font-weight:600'>{escape(h)}</th>" for h in headers)
    body = []
    for name, n, ok in rows:
        width = 80 * n / top
        body.append(
            f"<tr data-row='{_attr(name)}' data-count='{n}'><th scope='row' style='{cell};text-align:left;"
            f"font-weight:400'>{escape(name)}</th><td style='{cell};width:45%'><span style='display:inline-block;"
            f"width:{width:.1f}%;min-width:2px;height:0.8rem;background:{STAGE_COLOURS[2]};{PRINT};"
            f"vertical-align:middle;margin-right:0.35rem'></span>{n}</td>"
            f"<td style='{cell};color:{'#1b5e20' if ok else '#b71c1c'}'>{escape(reached if ok else missed)}</td></tr>")
    return (f"<table class='pa-counts' style='border-collapse:collapse;width:100%'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _cell(value, column: str, links: Mapping[str, str], bars: Mapping[str, float]) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if column in links:
        url = str(value)
        if url.startswith(("https://", "http://")):
            return f"<a href='{_attr(url)}' target='_blank' rel='noopener noreferrer'>{escape(links[column])}</a>"
        return escape(url)
    if column in bars and isinstance(value, int | float):
        top = bars[column] or 1
        width = 100 * min(max(float(value) / top, 0.0), 1.0)
        return (f"<span style='display:inline-block;width:3.5rem;height:0.7rem;background:#e8eef6;{PRINT};"
                f"vertical-align:middle;margin-right:0.35rem'><span style='display:block;width:{width:.0f}%;"
                f"height:100%;background:{STAGE_COLOURS[2]};{PRINT}'></span></span>{value:g} / {top:g}")
    return escape(str(value))


#: The tables' look, once per block instead of on every cell (the country's figures were 30 KB of inline styles
#: for the browser to parse at each rerun).
TABLE_CSS = ("<style>.pa-table{overflow-x:auto;font-size:0.9rem}.pa-table table{border-collapse:collapse;width:100%}"
             ".pa-table th,.pa-table td{padding:0.3rem 0.5rem;border-bottom:1px solid #e6e6e6;vertical-align:top;"
             "text-align:left}.pa-table th{font-weight:600}.pa-table td.n{white-space:nowrap}</style>")


def table(rows: Sequence[Mapping[str, object]], *, name: str, links: Mapping[str, str] | None = None,
          bars: Mapping[str, float] | None = None, narrow: Sequence[str] = ()) -> str:
    """A small table as HTML (no data grid: its 1.2 MB of scripts on a fresh page and a canvas to redraw at
    each rerun), its text wrapping in its columns instead of being cut off: the columns of the first row;
    `links`: columns whose values are URLs, shown as a link with the given text (any other scheme as text);
    `bars`: numeric columns drawn as a bar against the given maximum with "value / maximum"; `narrow`: columns
    that never wrap (years, codes). A missing value is "–". Each cell keeps its value in `data-value` for tests."""
    columns = list(rows[0]) if rows else []
    head = "".join(f"<th scope='col'>{escape(str(c))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(
            f"<td{' class=n' if c in narrow else ''} data-value='{_attr('' if r.get(c) is None else r.get(c))}'>"
            f"{_cell(r.get(c), c, links or {}, bars or {})}</td>" for c in columns) + "</tr>"
        for r in rows)
    return (f"{TABLE_CSS}<div class='pa-table' data-name='{_attr(name)}'><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>")
