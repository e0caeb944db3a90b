"""Colours shared by the Plotly figures (`charts`) and the HTML charts drawn without Plotly (`coverage`), kept
apart so that a page drawing only HTML never imports Plotly."""

#: The plan's stages: a neutral sequential palette (light to dark blue), no alarm colours.
STAGE_COLOURS = ("#9ecae1", "#4292c6", "#08519c", "#08306b")
