"""Plotly figures: the world map, cost against fiscal space, the instrument graph and the plan timeline."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

LAYER_COLOURS = {"base": "#1f77b4", "middle": "#2ca02c", "top": "#9467bd", "cross-cutting": "#7f7f7f"}
RELATION_STYLES = {"complements": ("#2ca02c", "solid"), "prerequisite-of": ("#1f77b4", "dash"),
                   "substitute-for": ("#ff7f0e", "dot"), "conflicts-with": ("#d62728", "dashdot")}


def map_config() -> dict:
    """Plotly config that reads the world outlines from the app's own static folder (ui/static/topojson/)
    instead of Plotly's CDN, so the map draws offline."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return {"topojsonURL": "/" + (base + "/" if base else "") + "app/static/topojson/"}


def choropleth(frame: pd.DataFrame, column: str, names: pd.Series, title: str) -> go.Figure:
    """World map of one indicator by ISO-3 code; countries without a value stay grey."""
    fig = go.Figure(go.Choropleth(
        locations=frame["iso3"], z=frame[column], text=names, locationmode="ISO-3",
        colorscale="Viridis", colorbar={"title": {"text": title}, "len": 0.7},
        hovertemplate="%{text} (%{location})<br>%{z}<extra></extra>", marker_line_width=0.3))
    fig.update_geos(showframe=False, showcoastlines=False, projection_type="natural earth",
                    projection_rotation={"lon": 10}, lataxis_range=[-58, 85], showcountries=True,
                    countrycolor="#bbb", landcolor="#eee", showland=True)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0}, height=430)
    return fig


def cost_bar(cost: float, space: float, labels: Mapping[str, str]) -> go.Figure:
    """The bundle's cost against the fiscal space, both in % of GDP, red when the cost exceeds it."""
    colour = "#d62728" if cost > space else "#2ca02c"
    fig = go.Figure()
    fig.add_bar(y=[labels["space"]], x=[space], orientation="h", marker_color="#c7c7c7",
                hovertemplate="%{x:.2f} % GDP<extra></extra>")
    fig.add_bar(y=[labels["cost"]], x=[cost], orientation="h", marker_color=colour,
                hovertemplate="%{x:.2f} % GDP<extra></extra>")
    fig.update_layout(height=160, margin={"l": 0, "r": 10, "t": 10, "b": 30}, showlegend=False,
                      xaxis_title=labels["axis"])
    return fig


def bundle_graph(graph: nx.DiGraph, bundle: Iterable[str], names: Mapping[str, str],
                 layers: Mapping[str, str]) -> go.Figure:
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
            fig.add_scatter(x=xs, y=ys, mode="lines", name=kind, line={"color": colour, "dash": dash,
                                                                         "width": 2}, hoverinfo="skip")
    for group, opacity in ((chosen, 1.0), (sorted(neighbours), 0.35)):
        if not group:
            continue
        fig.add_scatter(
            x=[pos[n][0] for n in group], y=[pos[n][1] for n in group], mode="markers+text",
            text=[names.get(n, n) for n in group], textposition="top center", showlegend=False,
            marker={"size": 16, "opacity": opacity,
                    "color": [LAYER_COLOURS.get(layers.get(n, ""), "#7f7f7f") for n in group]},
            hovertemplate="%{text}<extra></extra>")
    fig.update_layout(height=420, margin={"l": 0, "r": 0, "t": 10, "b": 0}, legend={"orientation": "h"},
                      xaxis={"visible": False}, yaxis={"visible": False})
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
                    name=f"{stage['stage']}", hovertemplate=f"{stage.get('cost_pct_gdp', 0):.2f} % GDP"
                    "<extra></extra>")
    fig.update_layout(height=120 + 90 * len(plan.get("stages") or []), showlegend=False,
                      margin={"l": 0, "r": 0, "t": 10, "b": 30}, xaxis_title=axis,
                      yaxis={"autorange": "reversed", "type": "category"})
    return fig
