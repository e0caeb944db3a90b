"""Colours shared by the Plotly figures (`charts`) and the HTML charts drawn without Plotly (`coverage`, `blocks`), kept
apart so that a page drawing only HTML never imports Plotly."""

#: The plan's stages: a neutral sequential palette (light to dark blue), no alarm colours.
STAGE_COLOURS = ("#9ecae1", "#4292c6", "#08519c", "#08306b")
#: Scorecard levels: grey for "not assessed" (no data, not a low level), then latent .. advanced in sequential,
#: colour-blind-safe blues.
LEVEL_COLOURS = ("#d9d9d9", "#f7fbff", "#c6dbef", "#6baed6", "#08519c")
#: A value the KB does not have, on any chart: grey, never a colour of the scale.
NO_DATA = "#d9d9d9"
