"""What the world map can be coloured by: every figure of `Atlas.countries()`, the planner's modelled
fiscal space, and the number of gaps the evaluator finds in each country's current policy mix."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from ui.i18n import strings

FISCAL_SPACE = "fiscal-space"
GAP_COUNT = "gaps"
HIGH_GAP_COUNT = "gaps-high"
DERIVED = (FISCAL_SPACE, GAP_COUNT, HIGH_GAP_COUNT)
#: Shown first in the picker: the figures the policy analysis turns on.
PREFERRED = (FISCAL_SPACE, "ai-preparedness-index", "informal-employment-share",
             "social-protection-coverage", GAP_COUNT, HIGH_GAP_COUNT, "account-ownership")


def map_columns(countries: pd.DataFrame, evaluations: Mapping[str, Mapping],
                fiscal_spaces: Mapping[str, float | None],
                indicator_labels: Mapping[str, Mapping[str, str]]) -> pd.DataFrame:
    """The countries table with fiscal space and gap counts added; `attrs["indicators"]` maps each
    colourable column (preferred ones first) to its {"en", "zh"} name."""
    frame = countries.copy()
    frame[FISCAL_SPACE] = frame["iso3"].map(lambda c: fiscal_spaces.get(c)).astype(float)
    frame[GAP_COUNT] = frame["iso3"].map(lambda c: len(evaluations.get(c, {}).get("findings", [])))
    frame[HIGH_GAP_COUNT] = frame["iso3"].map(
        lambda c: sum(f["severity"] == "high" for f in evaluations.get(c, {}).get("findings", [])))
    names = {c: {lang: strings(lang)[f"atlas.columns.{c}"] for lang in ("en", "zh")} for c in DERIVED}
    names.update({c: dict(v) for c, v in indicator_labels.items() if c in frame.columns})
    numeric = [c for c in names if is_numeric_dtype(frame[c]) and not is_bool_dtype(frame[c])]
    ordered = [c for c in PREFERRED if c in numeric] + sorted(c for c in numeric if c not in PREFERRED)
    frame.attrs["indicators"] = {c: names[c] for c in ordered}
    return frame
