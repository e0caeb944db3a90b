"""The Simulate page's fan charts (issue 15 point 7) as one HTML block with an inline SVG per outcome, not a
Plotly figure: a fresh tab then never downloads and compiles Plotly's 4.7 MB bundle, the browser lays out a
few hundred SVG nodes instead of ~7,000 on every change of a control, and the server builds a string instead of
a `make_subplots` figure.

A 2 x 2 grid of panels (one column when the page is narrow), each: its title, the baseline's and the bundle's
5-95% band (a filled polygon) and median (a line), a y axis with 3-5 rounded ticks in the outcome's unit (%),
an x axis of years 0..N; under the grid a legend. Hovering a year shows both runs' median and band as the
year's tooltip (an SVG `<title>`). Every text is escaped; the drawn values are in `data-` attributes
(`data-outcome` on the panel, `data-run` and `data-median`, `data-p05`, `data-p95` as JSON lists on each
median line) so tests can compare them with `Atlas.simulate`.

A value that is not a finite number (NaN, infinity) is not drawn: the line and the band stop before that year and
start again after it (so a gap is visible, never a made-up point or an invalid SVG coordinate), the value is
`null` in the data attribute and "–" in the tooltip. Values are drawn where they are: the y axis spans the
lowest to the highest drawn value of both runs (rounded out to its ticks), as Plotly's autorange did, so a small
effect of the bundle is visible; when every value is the same the axis runs from 0 to that value (0 to 1 when
it is 0).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

import streamlit as st

from ui.components.blocks import PRINT
from ui.i18n import t

#: The two runs: (key in an outcome, line colour, band fill) - the page's grey and blue, light fills.
RUNS = (("baseline", "#6b7280", "rgba(107,114,128,0.18)"), ("policy", "#1d4ed8", "rgba(29,78,216,0.18)"))
#: The baseline's line is dashed and drawn over the bundle's, so both show where they coincide.
DASH = {"baseline": "6 4", "policy": None}
#: A panel's drawing, in SVG user units (scaled to the column's width by the viewBox).
WIDTH, HEIGHT = 480, 250
LEFT, RIGHT, TOP, BOTTOM = 62, 14, 10, 44
FONT = 13
_GRID = ("display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:0.6rem 1.4rem;"
         "margin:0.4rem 0")
_TITLE = "font-size:0.92rem;font-weight:600;line-height:1.3;margin:0 0 0.15rem 0"
_SMALL = "font-size:0.82rem;color:#374151;line-height:1.4"

@dataclass(frozen=True)
class Labels:
    """The texts a fan chart writes, in the page's language."""

    baseline: str
    policy: str
    year: str  # the x axis' title
    year_n: str  # "Year {n}": a year's tooltip heading
    point: str  # "{run}: median {median} [5-95%: {low}-{high}]"
    band: str  # what the shaded band is

    @classmethod
    def of_page(cls) -> Labels:
        return cls(t("simulate.baseline"), t("simulate.policy"), t("simulate.year"), t("simulate.year_n"),
                   t("simulate.point"), t("simulate.band"))

    def run(self, key: str) -> str:
        return self.policy if key == "policy" else self.baseline


def finite(x) -> float | None:
    """`x` as a float when it is a finite number, else None (not drawn)."""
    try:
        x = float(x)
    except (TypeError, ValueError, OverflowError):
        return None
    return x if math.isfinite(x) else None


def span(lo: float, hi: float) -> tuple[float, float]:
    """The axis' range for values from lo to hi: 0 to the value (0 to 1 for 0) when they are all the same."""
    if lo < hi:
        return lo, hi
    return (min(0.0, lo), max(0.0, lo)) if lo != 0 else (0.0, 1.0)


def ticks(lo: float, hi: float, most: int = 4, whole: bool = False) -> tuple[float, float, list[float], float]:
    """Rounded ticks for values from lo to hi (lo < hi): the range rounded out to the ticks, at most `most` steps
    (so 3 to 5 ticks for 4) of 1, 2 or 5 times a power of ten (whole numbers only when `whole`), and the step.
    Halves are used so that no difference overflows."""
    half = hi / 2 - lo / 2
    if half > 0:
        exponent = math.floor(math.log10(half)) - 2
        for e in range(max(exponent, 0) if whole else exponent, exponent + 4):
            for m in (1, 2, 5):
                step = m * 10.0 ** e
                if not (math.isfinite(step) and step > 0):
                    continue
                first, last = math.floor(lo / step), math.ceil(hi / step)
                if last - first <= most:
                    bottom, top = first * step, last * step
                    if math.isfinite(bottom) and math.isfinite(top):
                        return bottom, top, [k * step for k in range(first, last + 1)], step
                    return lo, hi, [k * step for k in range(math.ceil(lo / step), math.floor(hi / step) + 1)], step
    return lo, hi, [lo, hi], max(half, 0.0)  # a range too small to divide: its two ends


def decimals(step: float) -> int:
    """The decimals a tick step needs (0.02 -> 2, 5 -> 0)."""
    return max(0, -math.floor(math.log10(step))) if step > 0 else 2


def number(x: float | None, places: int) -> str:
    """A value with `places` decimals ("–" when not drawn); very large or very small magnitudes in
    scientific notation; never "-0"."""
    if x is None:
        return "–"
    if x == 0:
        return "0"
    if x != 0 and (abs(x) >= 1e9 or places > 8):
        return f"{x:.3g}"
    text = f"{x:.{places}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


class Scale:
    """Data -> SVG coordinates of one panel's plot area."""

    def __init__(self, x0: float, x1: float, y0: float, y1: float):
        self.x0, self.x1, self.y0, self.y1 = x0, x1, y0, y1

    @staticmethod
    def _share(v: float, lo: float, hi: float) -> float:
        half = hi / 2 - lo / 2
        return 0.5 if half <= 0 else min(1.0, max(0.0, (v / 2 - lo / 2) / half))

    def x(self, v: float) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * self._share(v, self.x0, self.x1)

    def y(self, v: float) -> float:
        return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * self._share(v, self.y0, self.y1)


def values(lists: Sequence) -> list[float | None]:
    return [finite(v) for v in lists or []]


def segments(years: Sequence[float], *series: Sequence[float | None]) -> list[list[tuple]]:
    """Runs of consecutive years where every series has a finite value: [(year, v1, v2, ...), ...] each."""
    out: list[list[tuple]] = [[]]
    for year, *values in zip(years, *series, strict=False):
        if year is not None and all(v is not None for v in values):
            out[-1].append((year, *values))
        elif out[-1]:
            out.append([])
    return [s for s in out if s]


def _pt(x: float, y: float) -> str:
    return f"{x:.1f},{y:.1f}"


def panel(key: str, title: str, outcome: Mapping, labels: Labels) -> str:
    """One outcome's panel: its title (HTML, so it wraps) and its SVG."""
    years = [finite(y) for y in outcome.get("years") or []]
    bands = {run: {q: values((outcome.get(run) or {}).get(q)) for q in ("p05", "median", "p95")} for run, _, _ in RUNS}
    drawn = [v for b in bands.values() for q in b.values() for v in q if v is not None]
    lo, hi = span(min(drawn, default=0.0), max(drawn, default=0.0))
    bottom, top, yticks, step = ticks(lo, hi)
    places = decimals(step)
    xs = [y for y in years if y is not None]
    x0 = min(xs, default=0.0)
    x1 = max(xs) if len(set(xs)) > 1 else x0 + 1
    xticks = [x for x in ticks(x0, x1, most=6, whole=True)[2] if x0 <= x <= x1] or [x0]
    scale = Scale(x0, x1, bottom, top)
    plot_bottom, plot_right = HEIGHT - BOTTOM, WIDTH - RIGHT
    svg = [f"<svg viewBox='0 0 {WIDTH} {HEIGHT}' width='100%' role='img' aria-label='{escape(title, quote=True)}' "
           f"font-size='{FONT}' font-family='sans-serif' style='display:block;overflow:visible;{PRINT}' "
           "xmlns='http://www.w3.org/2000/svg'>"]
    for v in yticks:  # the grid lines and the y axis' labels
        y = scale.y(v)
        svg.append(f"<line x1='{LEFT}' x2='{plot_right}' y1='{y:.1f}' y2='{y:.1f}' stroke='#e5e7eb'/>"
                   f"<text x='{LEFT - 6}' y='{y + FONT / 3:.1f}' text-anchor='end' fill='#4b5563'>"
                   f"{escape(number(v, places))}%</text>")
    svg.append(f"<line x1='{LEFT}' x2='{plot_right}' y1='{plot_bottom}' y2='{plot_bottom}' stroke='#9ca3af'/>")
    for v in xticks:
        x = scale.x(v)
        svg.append(f"<line x1='{x:.1f}' x2='{x:.1f}' y1='{plot_bottom}' y2='{plot_bottom + 4}' stroke='#9ca3af'/>"
                   f"<text x='{x:.1f}' y='{plot_bottom + 5 + FONT:.1f}' text-anchor='middle' fill='#4b5563'>"
                   f"{escape(number(v, 0))}</text>")
    svg.append(f"<text x='{(LEFT + plot_right) / 2:.1f}' y='{HEIGHT - 4}' text-anchor='middle' fill='#374151'>"
               f"{escape(labels.year)}</text>")
    for run, _, fill in RUNS:
        b = bands[run]
        for seg in segments(years, b["p05"], b["p95"]):
            points = [_pt(scale.x(yr), scale.y(hi_)) for yr, _, hi_ in seg]
            points += [_pt(scale.x(yr), scale.y(lo_)) for yr, lo_, _ in reversed(seg)]
            svg.append(f"<polygon points='{' '.join(points)}' fill='{fill}' stroke='none'/>")
    for run, colour, _ in reversed(RUNS):  # the lines over both bands, the baseline's (dashed) on top
        b = bands[run]
        path = " ".join("M" + " L".join(_pt(scale.x(yr), scale.y(v)) for yr, v in seg)
                        for seg in segments(years, b["median"]))
        data = " ".join(f"data-{q}='{escape(json.dumps(b[q]), quote=True)}'" for q in ("median", "p05", "p95"))
        shape = f" d='{path}'" if path else ""  # no finite value: the line is drawn nowhere
        dash = f" stroke-dasharray='{DASH[run]}'" if DASH[run] else ""
        svg.append(f"<path class='pa-median' data-run='{run}' {data}{shape} fill='none' stroke='{colour}'{dash} "
                   "stroke-width='2' stroke-linejoin='round'/>")
    svg += hover_columns(years, bands, scale, labels, places)
    svg.append("</svg>")
    return (f"<div class='pa-fan' data-outcome='{escape(key, quote=True)}'>"
            f"<div class='pa-fan-title' style='{_TITLE}'>{escape(title)}</div>{''.join(svg)}</div>")


def hover_columns(years, bands, scale: Scale, labels: Labels, places: int) -> list[str]:
    """Per year a transparent column over the plot whose tooltip gives both runs' median and band."""
    xs = [(i, y) for i, y in enumerate(years) if y is not None]
    out = []
    for n, (i, year) in enumerate(xs):
        x = scale.x(year)  # the column runs halfway to the neighbouring years (to the plot's edge at the ends)
        a = (x + scale.x(xs[n - 1][1])) / 2 if n else LEFT
        b = (x + scale.x(xs[n + 1][1])) / 2 if n + 1 < len(xs) else WIDTH - RIGHT
        lines = [labels.year_n.format(n=number(year, 0))]
        for run, _, _ in RUNS:
            value = {q: bands[run][q][i] if i < len(bands[run][q]) else None for q in ("median", "p05", "p95")}
            lines.append(labels.point.format(run=labels.run(run), median=number(value["median"], places + 1),
                                             low=number(value["p05"], places + 1),
                                             high=number(value["p95"], places + 1)))
        out.append(f"<rect class='pa-year' fill='transparent' x='{a:.1f}' y='{TOP}' width='{max(b - a, 0.0):.1f}' "
                   f"height='{HEIGHT - TOP - BOTTOM}'><title>{escape(chr(10).join(lines))}</title></rect>")
    return out


def swatch(colour: str, fill: str, dash: str | None) -> str:
    """A legend key: the run's band with its median line across."""
    dashed = f" stroke-dasharray='{dash}'" if dash else ""
    return (f"<svg width='26' height='12' viewBox='0 0 26 12' style='vertical-align:middle;margin-right:0.3rem;"
            f"{PRINT}' xmlns='http://www.w3.org/2000/svg'><rect x='0' y='1' width='26' height='10' fill='{fill}'/>"
            f"<line x1='0' x2='26' y1='6' y2='6' stroke='{colour}' stroke-width='2'{dashed}/></svg>")


def block(panels: Sequence[tuple[str, str, Mapping]], labels: Labels) -> str:
    """The fan charts as one HTML block: panels (outcome key, title, outcome {years, baseline, policy}, each run
    {median, p05, p95} by year) in a grid, then the legend."""
    legend = "".join(f"<span class='pa-fans-key' style='margin-right:1.4rem;white-space:nowrap'>"
                     f"{swatch(colour, fill, DASH[run])}{escape(labels.run(run))}</span>" for run, colour, fill in RUNS)
    return (f"<div class='pa-fans' role='figure' style='{PRINT}'><div style='{_GRID}'>"
            + "".join(panel(key, title, outcome, labels) for key, title, outcome in panels)
            + f"</div><div class='pa-fans-legend' style='{_SMALL}'>{legend}"
              f"<span>{escape(labels.band)}</span></div></div>")


def chart(outcomes: Mapping[str, Mapping], keys: Sequence[str]) -> None:
    """The Simulate page's fan charts of `outcomes` (the simulation's), one panel per key in that order."""
    panels = [(k, t(f"simulate.outcome.{k}"), outcomes[k]) for k in keys]
    st.markdown(block(panels, Labels.of_page()), unsafe_allow_html=True)
