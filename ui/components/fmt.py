"""Numbers as a reader should see them: a sensible precision, a unit in the page's language, the year and
a short name of the source ("0.45 (index 0–1, 2023, IMF AIPI)", never "0.445192").

The KB stores each figure's unit as English text (`kb/figures/*.csv`, column `unit`); `UNITS` gives every
unit the KB uses a short form in both languages and the number of decimals it deserves. A unit the table
does not know is shown as the KB spells it, with two decimals (a test checks every KB unit is covered).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from ui.i18n import lang, t

#: KB unit -> (English short form, Chinese short form, decimals)
UNITS: dict[str, tuple[str, str, int]] = {
    "percent of GDP": ("% of GDP", "% GDP", 1),
    "index 0-1": ("index 0–1", "指数 0–1", 2),
    "percent of labour force": ("% of labour force", "% 劳动力", 1),
    "percent of total employment": ("% of employment", "% 就业", 1),
    "percent of population": ("% of population", "% 人口", 1),
    "percent of adults 15+": ("% of adults 15+", "% 15岁以上成人", 1),
    "million persons": ("million people", "百万人", 1),
    "current international $ (PPP)": ("int. $ PPP", "国际元 PPP", 0),
    "current US$": ("US$", "美元", 0),
    "billion current US$": ("US$ bn", "十亿美元", 1),
    "percent of revenue": ("% of revenue", "% 财政收入", 1),
    "net flow, percent of GNI (negative = net repayments)": ("% of GNI, net", "% 国民总收入（净额）", 1),
    "LIC DSF risk of debt distress (1 low, 2 moderate, 3 high, 4 in debt distress)":
        ("LIC DSF risk, 1 low – 4 in distress", "债务困境风险，1 低 – 4 已陷困境", 0),
    "external commercial default (1 = yes)": ("default, 1 = yes", "违约，1 = 是", 0),
    "percent per year": ("% a year", "% 每年", 2),
}

#: Source id prefix -> short name of the publisher's dataset (proper names, the same in both languages).
SOURCE_NAMES = {
    "imf-weo": "IMF WEO", "imf-aipi": "IMF AIPI", "imf-datamapper": "IMF DataMapper",
    "wb-findex": "World Bank Findex", "wb-wdi": "World Bank WDI", "wb-class": "World Bank",
    "ilostat": "ILOSTAT", "ilo-modelled": "ILO modelled estimates", "un-sdg-1-3-1": "UN SDG 1.3.1",
}

#: The flags the KB's figure files use (`kb/figures/*.csv`, column `flag`), phrase by phrase in Chinese.
FLAG_PHRASES_ZH = (
    (r"outside 10-60 percent of GDP \(the published IMF figure; see the IMF country note\)",
     "超出GDP的10%–60%区间（IMF公布的数值；见IMF国别说明）"),
    (r"IMF staff estimate \(latest actual (FY[\d/]+|\d{4})\)", r"IMF工作人员估计（最新实际值：\1）"),
    (r"(\d{4}) value from an IMF DataMapper vintage of (\d{4})", r"\1年数值取自IMF DataMapper \2年版"),
    (r"may be an IMF estimate", "可能为IMF估计"),
    (r"stale: latest year before (\d{4})", r"数据陈旧：最新年份早于\1年"),
    (r"stale: latest value (\d{4})", r"数据陈旧：最新数值为\1年"),
    (r"very low: harmonized series for high-income countries with limited informality criteria in source survey",
     "数值很低：高收入国家的统一序列，来源调查中的非正规就业标准有限"),
    (r"very low: central-government tax only \(check\)", "数值很低：仅含中央政府税收（待核）"),
    (r"fiscal-year data \(latest actual (FY[\d/]+)\)", r"财政年度数据（最新实际值：\1）"),
    (r"fiscal-year data", "财政年度数据"),
    (r"whether (\d{4}) is actual or estimate is not stated", r"未说明\1年是实际值还是估计值"),
    (r"whether (\d{4}) is actual is not known", r"不清楚\1年是否为实际值"),
    (r"; ", "；"),
)


def unit(kb_unit: str | None) -> str:
    """A KB unit's short form in the page's language."""
    if not kb_unit:
        return ""
    forms = UNITS.get(kb_unit)
    return kb_unit if forms is None else forms[1 if lang() == "zh" else 0]


def number(value, kb_unit: str | None = None, decimals: int | None = None) -> str:
    """A value with the precision its unit deserves and thousands separators; "–" when unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if not isinstance(value, int | float):
        return str(value)
    if decimals is None:
        decimals = UNITS.get(kb_unit or "", ("", "", 2))[2]
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
    if lang() == "zh":
        for pattern, replacement in FLAG_PHRASES_ZH:
            text = re.sub(pattern, replacement, text)
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
