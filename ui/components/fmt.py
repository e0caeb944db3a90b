"""Numbers as a reader should see them: a sensible precision, a unit in the page's language, the year and
a short name of the source ("0.45 (index 0–1, 2023, IMF AIPI)", never "0.445192").

The KB stores each figure's unit as English text (`kb/figures/*.csv`, column `unit`); `UNITS` gives every
unit the KB uses the number of decimals it deserves, and the catalogue (`messages/<lang>/units.yaml`) its
short form in both languages. A unit the table
does not know is shown as the KB spells it, with two decimals (a test checks every KB unit is covered).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from policyatlas.core.i18n import message
from ui.i18n import lang, t

#: KB unit -> the number of decimals it deserves; the short forms in both languages are the catalogue's
#: `units.short.<KB unit>` (policyatlas/core/messages/<lang>/units.yaml).
UNITS: dict[str, int] = {
    "percent of GDP": 1,
    "index 0-1": 2,
    "percent of labour force": 1,
    "percent of total employment": 1,
    "percent of population": 1,
    "percent of adults 15+": 1,
    "million persons": 1,
    "current international $ (PPP)": 0,
    "current US$": 0,
    "billion current US$": 1,
    "percent of revenue": 1,
    "net flow, percent of GNI (negative = net repayments)": 1,
    "LIC DSF risk of debt distress (1 low, 2 moderate, 3 high, 4 in debt distress)": 0,
    "external commercial default (1 = yes)": 0,
    "percent per year": 2,
}

#: Source id prefix -> short name of the publisher's dataset (proper names, the same in both languages).
SOURCE_NAMES = {
    "imf-weo": "IMF WEO", "imf-aipi": "IMF AIPI", "imf-datamapper": "IMF DataMapper",
    "wb-findex": "World Bank Findex", "wb-wdi": "World Bank WDI", "wb-class": "World Bank",
    "ilostat": "ILOSTAT", "ilo-modelled": "ILO modelled estimates", "un-sdg-1-3-1": "UN SDG 1.3.1",
}

#: The phrases of the flags the KB's figure files use (`kb/figures/*.csv`, column `flag`), as they are parsed:
#: name -> pattern; each phrase reads as the catalogue's `units.flag.<name>` in the page's language, the
#: pattern's named groups filling its placeholders. Applied in this order (a longer phrase before its prefix).
FLAG_PATTERNS = {
    "outside_range": r"outside 10-60 percent of GDP \(the published IMF figure; see the IMF country note\)",
    "imf_staff_estimate": r"IMF staff estimate \(latest actual (?P<year>FY[\d/]+|\d{4})\)",
    "datamapper_vintage": r"(?P<year>\d{4}) value from an IMF DataMapper vintage of (?P<vintage>\d{4})",
    "may_be_imf_estimate": r"may be an IMF estimate",
    "stale_before": r"stale: latest year before (?P<year>\d{4})",
    "stale_latest": r"stale: latest value (?P<year>\d{4})",
    "low_informality": r"very low: harmonized series for high-income countries with limited informality criteria "
                       r"in source survey",
    "central_tax_only": r"very low: central-government tax only \(check\)",
    "fiscal_year_actual": r"fiscal-year data \(latest actual (?P<year>FY[\d/]+)\)",
    "fiscal_year": r"fiscal-year data",
    "actual_or_estimate": r"whether (?P<year>\d{4}) is actual or estimate is not stated",
    "actual_unknown": r"whether (?P<year>\d{4}) is actual is not known",
    "separator": r"; ",
}
_FLAGS = tuple((name, re.compile(pattern)) for name, pattern in FLAG_PATTERNS.items())


def unit(kb_unit: str | None) -> str:
    """A KB unit's short form in the page's language."""
    if not kb_unit:
        return ""
    return message(f"units.short.{kb_unit}", lang()) if kb_unit in UNITS else kb_unit


def number(value, kb_unit: str | None = None, decimals: int | None = None) -> str:
    """A value with the precision its unit deserves and thousands separators; "–" when unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if not isinstance(value, int | float):
        return str(value)
    if decimals is None:
        decimals = UNITS.get(kb_unit or "", 2)
    return f"{value:,.{decimals}f}"


def source_name(source_id: str | None) -> str:
    """A short name of a figure's source (its publisher's dataset), the id when no short name is known."""
    if not source_id:
        return ""
    for prefix, name in SOURCE_NAMES.items():
        if source_id.startswith(prefix):
            return name
    return source_id


def flag(text: str | None) -> str:
    """A figure's flag (e.g. an IMF staff estimate) in the page's language."""
    if not text:
        return ""
    return translate_flag(text, lang())


def translate_flag(text: str, language: str) -> str:
    """A KB flag with each known phrase in `language` (unknown phrases stay as the KB spells them)."""
    for name, pattern in _FLAGS:
        text = pattern.sub(lambda m, key=f"units.flag.{name}": message(key, language, **m.groupdict()), text)
    return text


def figure(fig: Mapping | None, *, with_unit: bool = True, with_source: bool = True) -> str:
    """"0.45 (index 0–1, 2023, IMF AIPI)": a KB figure {value, unit, year, source} as one string."""
    if not fig or fig.get("value") is None:
        return t("fmt.unknown")
    parts = [unit(fig.get("unit"))] if with_unit else []
    parts += [str(fig["year"])] if fig.get("year") else []
    parts += [source_name(fig.get("source"))] if with_source and fig.get("source") else []
    detail = ", ".join(p for p in parts if p)
    return f"{number(fig['value'], fig.get('unit'))} ({detail})" if detail else number(fig["value"], fig.get("unit"))


def pct_gdp(value: float | None) -> str:
    """A share of GDP with two decimals, the unit in the page's language ("0.71 % of GDP")."""
    if value is None:
        return t("fmt.unknown")
    shown = "< 0.01" if 0 < value < 0.005 else f"{value:.2f}"
    return t("fmt.pct_gdp", value=shown)
