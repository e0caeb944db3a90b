"""Plotly figures: the world map and the instrument graph (the plan timeline and the scorecard heat map are HTML:
`blocks`)."""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui.components.palette import NO_DATA

LAYER_COLOURS = {"base": "#1f77b4", "middle": "#2ca02c", "top": "#9467bd", "cross-cutting": "#7f7f7f"}
RELATION_STYLES = {"complements": ("#2ca02c", "solid"), "prerequisite-of": ("#1f77b4", "dash"),
                   "substitute-for": ("#ff7f0e", "dot"), "conflicts-with": ("#d62728", "dashdot")}


#: Plotly's 1:110m world outlines (ui/static/topojson/, copied from Plotly; ISO-3 codes as ids), served by the
#: app itself so that the map draws offline.
WORLD_TOPOJSON = "world_110m.json"
#: The map's classes: ColorBrewer's 5-class YlGnBu (sequential, colour-blind safe); grey where the KB has no
#: figure; white borders.
MAP_COLOURS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
BORDER = "#ffffff"


def map_classes(values: pd.Series) -> tuple[list[float], list[int]]:
    """Quantile classes of the known values: the cut points (each class holds about a fifth of the countries
    with a figure; each cut is a figure itself, and equal cut points, as for whole-number counts, are merged,
    so no class is empty) and each class's tone, an index into MAP_COLOURS spread over the scale. A value
    below the first cut is in the first class (a threshold scale)."""
    known = pd.to_numeric(values, errors="coerce").dropna()
    known = known[known.map(math.isfinite)]
    if known.empty:
        return [], []
    n = len(MAP_COLOURS)
    # each cut is a figure of the data (the next one up from the quantile's position), so that the class it
    # opens holds at least that country: interpolated cuts leave classes empty when there are few figures
    cuts = sorted({float(known.quantile(i / n, interpolation="higher")) for i in range(1, n)} - {float(known.min())})
    k = len(cuts) + 1
    return cuts, [round(i * (n - 1) / (k - 1)) if k > 1 else n // 2 for i in range(k)]


def topojson_url() -> str:
    """Where the browser fetches the world outlines: the app's own static folder (ui/static/topojson/)."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return "/" + (base + "/" if base else "") + "app/static/topojson/" + WORLD_TOPOJSON


def map_data(frame: pd.DataFrame, column: str, names: pd.Series, indicator: str,
             classes: tuple[list[float], list[int]]) -> pd.DataFrame:
    """The map's rows: each country's ISO-3 code, name, the indicator's name and value (None where unknown)
    and the tone of its class (`classes`: `map_classes` of the column; None where unknown). The map's spec is
    then the same for every indicator, so a new pick only replaces the data in the drawn chart (no new chart,
    no new outlines)."""
    values = pd.to_numeric(frame[column], errors="coerce").astype(float)  # a missing figure is NaN
    known = values.map(math.isfinite)
    cuts, tones = classes
    tone = [tones[bisect.bisect_right(cuts, v)] if ok else None for v, ok in zip(values, known, strict=True)]
    return pd.DataFrame({"iso3": frame["iso3"].to_numpy(), "name": names.to_numpy(), "indicator": indicator,
                         "value": values.where(known, None).to_numpy(), "tone": pd.array(tone, dtype="Int64")})


def world_map(labels: Mapping[str, str], unknown: str) -> dict:
    """A Vega-Lite world map (drawn on a canvas, with Vega's 0.8 MB script instead of Plotly's 4.7 MB) of
    `map_data`'s rows: every country outlined in grey, each country of the KB filled by its class's tone
    (quantile classes, so a few outliers no longer paint the rest one colour); a country without a figure
    stays grey and says `unknown` when pointed at; clicking a country selects it (`pick`, its ISO-3 code). The
    legend is drawn under the map in HTML (`blocks.map_legend`: every class with its bounds). `labels`: the
    tooltip's names for "name", "indicator" and "value" in the page's language."""
    geo = {"url": topojson_url(), "format": {"type": "topojson", "feature": "countries"}}
    return {
        "height": 430,
        "projection": {"type": "naturalEarth1"},
        "layer": [
            {"data": geo, "transform": [{"filter": "datum.id !== 'ATA'"}],
             "mark": {"type": "geoshape", "fill": NO_DATA, "stroke": BORDER, "strokeWidth": 0.4}},
            {"transform": [{"lookup": "iso3", "from": {"data": geo, "key": "id"}, "as": "geo"},
                           {"filter": "isValid(datum.geo)"},
                           {"calculate": f"isValid(datum.value) ? format(datum.value, ',.4~g') : {unknown!r}",
                            "as": "shown"}],
             "params": [{"name": "pick", "select": {"type": "point", "fields": ["iso3"]}}],
             "mark": {"type": "geoshape", "stroke": BORDER, "strokeWidth": 0.4, "cursor": "pointer"},
             "encoding": {
                 "shape": {"field": "geo", "type": "geojson"},
                 "color": {"condition": {"test": "!isValid(datum.tone)", "value": NO_DATA},
                           "field": "tone", "type": "ordinal", "legend": None,
                           "scale": {"domain": list(range(len(MAP_COLOURS))), "range": list(MAP_COLOURS)}},
                 "tooltip": [{"field": "name", "title": labels["name"]},
                             {"field": "iso3", "title": "ISO3"},
                             {"field": "indicator", "title": labels["indicator"]},
                             {"field": "shown", "title": labels["value"]}]}},
        ],
        "config": {"view": {"stroke": None}},
        # a canvas: Streamlit would draw SVG, 372 paths and 0.6 MB of DOM for the browser to lay out at each pick
        "usermeta": {"embedOptions": {"renderer": "canvas"}},
    }


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
