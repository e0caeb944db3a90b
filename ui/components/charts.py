"""Plotly figures: the world map, the instrument graph, the plan timeline and the scorecard heat map."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui.components.palette import STAGE_COLOURS

LAYER_COLOURS = {"base": "#1f77b4", "middle": "#2ca02c", "top": "#9467bd", "cross-cutting": "#7f7f7f"}
#: Ordered levels (CODI latent .. advanced) and other 1-4 scales: a sequential, colour-blind-safe scale.
LEVEL_SCALE = [[0.0, "#f7fbff"], [0.33, "#c6dbef"], [0.66, "#6baed6"], [1.0, "#08519c"]]
RELATION_STYLES = {"complements": ("#2ca02c", "solid"), "prerequisite-of": ("#1f77b4", "dash"),
                   "substitute-for": ("#ff7f0e", "dot"), "conflicts-with": ("#d62728", "dashdot")}


def map_config() -> dict:
    """Plotly config that reads the world outlines from the app's own static folder (ui/static/topojson/)
    instead of Plotly's CDN, so the map draws offline."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return {"topojsonURL": "/" + (base + "/" if base else "") + "app/static/topojson/"}


def quantile_ticks(values: pd.Series, n: int = 5) -> tuple[list[float], list[str]]:
    """Tick positions (percentile ranks 0..1) and their labels (the values at those quantiles)."""
    known = values.dropna()
    if known.empty:
        return [], []
    qs = [i / (n - 1) for i in range(n)]
    return qs, [f"{known.quantile(q):,.3g}" for q in qs]


def choropleth(frame: pd.DataFrame, column: str, names: pd.Series, title: str) -> go.Figure:
    """World map of one indicator by ISO-3 code, coloured by the country's percentile rank so that the
    scale separates countries (a few outliers no longer paint the rest one colour); the colour bar is
    labelled with the indicator's values at the quartiles. Countries without a value stay grey."""
    values = pd.to_numeric(frame[column], errors="coerce")
    ranks = values.rank(pct=True, method="average")
    ranks = (ranks - ranks.min()) / (ranks.max() - ranks.min()) if ranks.max() > ranks.min() else ranks * 0 + 0.5
    tickvals, ticktext = quantile_ticks(values)
    fig = go.Figure(go.Choropleth(
        locations=frame["iso3"], z=ranks, text=names, customdata=values, locationmode="ISO-3",
        colorscale="YlGnBu", zmin=0, zmax=1,
        colorbar={"title": {"text": title, "side": "right"}, "len": 0.7, "tickvals": tickvals, "ticktext": ticktext},
        hovertemplate="%{text} (%{location})<br>%{customdata:,.4g}<extra></extra>", marker_line_width=0.3))
    fig.update_geos(showframe=False, showcoastlines=False, projection_type="natural earth",
                    projection_rotation={"lon": 10}, lataxis_range=[-58, 85], showcountries=True,
                    countrycolor="#bbb", landcolor="#eee", showland=True)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0}, height=430)
    return fig


def wrap(text: str, width: int = 18) -> str:
    """A label broken into lines of about `width` characters (at spaces; Chinese text every `width`//2)."""
    if " " not in text:
        step = max(width // 2, 1)
        return "<br>".join(text[i:i + step] for i in range(0, len(text), step))
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(lines + [line])


def bundle_graph(graph: nx.DiGraph, bundle: Iterable[str], names: Mapping[str, str],
                 layers: Mapping[str, str], relation_names: Mapping[str, str] | None = None) -> go.Figure:
    """The bundle's part of the instrument graph: its instruments, the relations among them, and the
    instruments one relation away (faded), so a missing complement or prerequisite is visible."""
    chosen = [i for i in bundle if i in graph]
    neighbours = {n for i in chosen for n in nx.all_neighbors(graph, i)} - set(chosen)
    sub = graph.subgraph(set(chosen) | neighbours)
    pos = nx.circular_layout(sub) if len(sub) > 2 else {n: (i, 0) for i, n in enumerate(sub)}
    fig = go.Figure()
    for kind, (colour, dash) in RELATION_STYLES.items():
        xs, ys = [], []
        for u, v, attrs in sub.edges(data=True):
            if attrs.get("kind") == kind and (u in chosen or v in chosen):
                xs += [pos[u][0], pos[v][0], None]
                ys += [pos[u][1], pos[v][1], None]
        if xs:
            fig.add_scatter(x=xs, y=ys, mode="lines", name=(relation_names or {}).get(kind, kind),
                            line={"color": colour, "dash": dash,
                                                                         "width": 2}, hoverinfo="skip")
    for group, opacity in ((chosen, 1.0), (sorted(neighbours), 0.35)):
        if not group:
            continue
        fig.add_scatter(
            x=[pos[n][0] for n in group], y=[pos[n][1] for n in group], mode="markers+text",
            text=[wrap(names.get(n, n)) for n in group], showlegend=False,
            textposition=["middle left" if pos[n][0] < -0.3 else "middle right" if pos[n][0] > 0.3
                          else "top center" if pos[n][1] >= 0 else "bottom center" for n in group],
            marker={"size": 16, "opacity": opacity,
                    "color": [LAYER_COLOURS.get(layers.get(n, ""), "#7f7f7f") for n in group]},
            hovertemplate="%{text}<extra></extra>")
    fig.update_layout(height=520, margin={"l": 10, "r": 10, "t": 10, "b": 0}, legend={"orientation": "h"},
                      xaxis={"visible": False, "range": [-2.3, 2.3]}, yaxis={"visible": False, "range": [-1.35, 1.35]})
    return fig


def timeline(plan: Mapping, names: Mapping[str, str], axis: str, stage_label: str) -> go.Figure:
    """The staged plan as a timeline: one bar per stage from its first to its last year, annotated with
    its instruments and cost (% of GDP); an open-ended last stage is drawn to year 10."""
    fig = go.Figure()
    for stage in plan.get("stages") or []:
        start, _, end = str(stage["years"]).partition("-")
        start = float(start.rstrip("+") or 0)
        end = float(end) if end else start + 5
        text = "<br>".join(names.get(i["id"], i["id"]) for i in stage.get("instruments") or [])
        fig.add_bar(y=[stage_label.format(stage=stage["stage"], years=stage["years"])], x=[end - start],
                    base=[start], orientation="h",
                    text=[text], textposition="inside", insidetextanchor="start",
                    marker_color=STAGE_COLOURS[(int(stage["stage"]) - 1) % len(STAGE_COLOURS)],
                    textfont={"color": "#ffffff" if int(stage["stage"]) > 1 else "#08306b"},
                    name=f"{stage['stage']}", hovertemplate=f"{stage.get('cost_pct_gdp', 0):.2f} % GDP"
                    "<extra></extra>")
    fig.update_layout(height=120 + 90 * len(plan.get("stages") or []), showlegend=False,
                      margin={"l": 0, "r": 0, "t": 10, "b": 30}, xaxis_title=axis,
                      yaxis={"autorange": "reversed", "type": "category"})
    return fig


#: Heat-map colours by level: grey for "not assessed" (no data, not a low level), then LEVEL_SCALE's blues.
LEVEL_COLOURS = ("#d9d9d9", "#f7fbff", "#c6dbef", "#6baed6", "#08519c")


def level_heatmap(levels: Mapping[str, Mapping[str, str]], level_names: Mapping[str, str],
                  row_names: Mapping[str, str], order: tuple[str, ...],
                  basis: Mapping[str, Mapping[str, str]] | None = None) -> go.Figure:
    """A scorecard heat map: one column per country (the keys of `levels`), one row per criterion, the
    cell shaded by the level (`order`: "not assessed" first in grey, then latent .. advanced) and labelled
    with its name; the hover says what set the level (`basis`, by column and criterion); a legend of the
    levels in the page's language on the right."""
    columns = list(levels)
    rows = list(dict.fromkeys(c for card in levels.values() for c in card))
    z = [[order.index(levels[col].get(r)) if levels[col].get(r) in order else None for col in columns]
         for r in rows]
    text = [[level_names.get(levels[col].get(r, ""), "–") for col in columns] for r in rows]
    hover = [[wrap((basis or {}).get(col, {}).get(r, ""), 60) for col in columns]
             for r in rows]
    n = len(order)
    scale = []
    for i, colour in enumerate(LEVEL_COLOURS[-n:]):  # a stepped scale: one flat colour per level
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    fig = go.Figure(go.Heatmap(
        z=z, x=columns, y=[wrap(row_names.get(r, r), 28) for r in rows], text=text, customdata=hover,
        texttemplate="%{text}", colorscale=scale, zmin=-0.5, zmax=n - 0.5, xgap=2, ygap=2,
        colorbar={"tickvals": list(range(n)), "ticktext": [level_names.get(lv, lv) for lv in order],
                  "thickness": 14, "len": min(1.0, 0.25 + 0.06 * len(rows)), "outlinewidth": 0},
        hovertemplate="%{y}<br>%{x}: <b>%{text}</b><br>%{customdata}<extra></extra>"))
    fig.update_layout(height=60 + 42 * len(rows), margin={"l": 0, "r": 0, "t": 30, "b": 0},
                      xaxis={"side": "top"}, yaxis={"autorange": "reversed"})
    return fig
