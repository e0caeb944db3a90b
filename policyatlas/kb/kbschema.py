"""The KB source format: which keys each kind of file in `kb/` has, their types and allowed values.

This is the single description of the format (docs/contracts.md says the same in prose). The loader checks
every file against it and reports each deviation with the file and line; the compiler turns the checked
records into RDF. The allowed values of its code lists come from the one vocabulary (`policyatlas.kb.vocab`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from policyatlas.kb import vocab

CURRENT_YEAR = dt.date.today().year
EARLIEST_YEAR = 1800

# The code lists are the one vocabulary (policyatlas/kb/vocab.py: the ontology's SKOS schemes, and
# policyatlas/kb/vocabulary.yaml for the literal lists); a test checks shapes.ttl's `sh:in` lists against it.
LAYERS = vocab.ids("layer")
FAMILIES = vocab.ids("family")
TOOL_TYPES = vocab.ids("tool_type")
RELATION_KINDS = vocab.ids("relation")
STATUSES = vocab.ids("status")
CONFIRMATION = vocab.ids("confirmation")
DESIGNS = vocab.ids("design")
OUTCOMES = vocab.ids("outcome")
DIRECTIONS = vocab.ids("direction")
STRENGTHS = vocab.ids("strength")
# Structured effect sizes of evidence records (`effects:`), read by the simulator (evaluator/assess/simulate.py).
# Each metric has one meaning in the model (its definition in the ontology); docs/simulate.md says how a
# paper's statement is converted.
EFFECT_METRICS = vocab.ids("effect_metric")
SOURCE_TYPES = vocab.ids("source_type")
INCOME_GROUPS = vocab.ids("income_group")
BRANCHES = vocab.ids("branch")
SCHEME_KINDS = vocab.ids("scheme_kind")
# Programmes (format v2): who runs a programme, at what scale, and what its reach is counted in.
IMPLEMENTERS = vocab.ids("implementer")
SCALES = vocab.ids("scale")
BENEFICIARY_UNITS = vocab.ids("beneficiary_unit")
SUPRANATIONAL = vocab.ids("supranational")

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ISO3_PATTERN = re.compile(r"^[A-Z]{3}$")
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
URL_PATTERN = re.compile(r"^https?://\S+$")
CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Field:
    """One key of a YAML record: its type, whether it is required, and what it may hold."""

    # text | int | year | number | bool | date (not in the future) | day (any date) | url | doi | enum | enums
    # | ref | refs | texts | bilingual | map | maps
    type: str
    required: bool = True
    values: tuple = ()  # for enum
    # for ref/refs, the kind referred to: source, instrument, programme, evidence, indicator, group, jurisdiction
    ref: str = ""
    fields: dict = field(default_factory=dict)  # for map/maps
    min: float | None = None
    max: float | None = None


def opt(f: Field) -> Field:
    return Field(f.type, False, f.values, f.ref, f.fields, f.min, f.max)


TEXT = Field("text")
BILINGUAL = Field("bilingual")
SOURCES = Field("refs", ref="source")

SCHEMAS: dict[str, dict[str, Field]] = {
    "sources": {
        "id": TEXT,
        "title": TEXT,
        "authors": opt(Field("texts")),
        "publisher": opt(TEXT),
        "year": opt(Field("year")),  # optional: undated web pages say so in their notes
        "doi": opt(Field("doi")),
        "url": opt(Field("url")),
        "accessed": Field("date"),
        "type": Field("enum", values=SOURCE_TYPES),
        "corrects": opt(TEXT),
        "notes": opt(TEXT),
    },
    "indicators": {
        "id": TEXT,
        "label": BILINGUAL,
        "definition": BILINGUAL,
        "unit": TEXT,
        "min": opt(Field("number")),
        "max": opt(Field("number")),
        "sources": SOURCES,
    },
    "target-groups": {
        "id": TEXT,
        "label": BILINGUAL,
        "definition": BILINGUAL,
        "size_indicator": opt(Field("ref", ref="indicator")),
        "sources": SOURCES,
    },
    "instruments": {
        "id": TEXT,
        "label": BILINGUAL,
        "definition": BILINGUAL,
        "layer": Field("enum", values=LAYERS),
        "family": Field("enum", values=FAMILIES),
        "tool_type": Field("enum", values=TOOL_TYPES),
        "target_groups": Field("refs", ref="group"),
        "stip_code": opt(TEXT),
        "relations": opt(Field("maps", fields={
            "kind": Field("enum", values=RELATION_KINDS),
            "target": Field("ref", ref="instrument"),
            "reason": TEXT,
            "sources": opt(SOURCES),
        })),
        "sources": SOURCES,
    },
    "programmes": {
        "id": TEXT,
        "name": Field("map", fields={"en": TEXT, "local": opt(TEXT)}),
        "jurisdiction": Field("ref", ref="jurisdiction"),
        "instruments": Field("refs", ref="instrument"),
        "branches": opt(Field("enums", values=BRANCHES)),
        "start_year": opt(Field("year")),
        "end_year": opt(Field("int", min=EARLIEST_YEAR, max=2100)),
        "status": Field("enum", values=STATUSES),
        # An EU act counts in a member state's policy mix only from its date of application (or transposition).
        "applies_from": opt(Field("day")),
        "implementer": Field("enum", values=IMPLEMENTERS),
        "scale": Field("enum", values=SCALES),
        "target_groups": opt(Field("refs", ref="group")),
        "beneficiaries": opt(Field("map", fields={
            "text": opt(TEXT),
            "number": opt(Field("number", min=0)),
            "unit": Field("enum", values=BENEFICIARY_UNITS),
            "year": opt(Field("year")),  # required with a number (checked in the loader)
            "source": Field("ref", ref="source"),
        })),
        "coverage_pct": opt(Field("map", fields={
            "value": Field("number", min=0, max=100),
            "of": TEXT,
            "year": Field("year"),
            "source": Field("ref", ref="source"),
        })),
        "cost": opt(Field("map", fields={"text": TEXT, "year": opt(Field("year"))})),
        "responsible_body": opt(TEXT),
        "legal_basis": opt(TEXT),
        "confirmation": Field("enum", values=CONFIRMATION),
        "last_verified": Field("date"),
        "sources": SOURCES,
        "notes": opt(TEXT),
        # One or two sentences for a policymaker, in both languages, only from facts in this record
        # (a number in it must appear in notes, cost, beneficiaries, coverage or the years: rule summary-number).
        "summary": opt(BILINGUAL),
    },
    "evidence": {
        "id": TEXT,
        "instruments": opt(Field("refs", ref="instrument")),
        "programmes": opt(Field("refs", ref="programme")),
        "design": Field("enum", values=DESIGNS),
        "outcomes": Field("enums", values=OUTCOMES),
        "direction": Field("enum", values=DIRECTIONS),
        "finding": TEXT,
        "finding_zh": opt(TEXT),  # the project's Chinese translation of `finding` (rules zh-text, zh-numbers)
        "magnitude": opt(TEXT),
        "magnitude_zh": opt(TEXT),
        "population": TEXT,
        "population_zh": opt(TEXT),
        "setting_countries": Field("refs", ref="jurisdiction"),
        "strength": Field("enum", values=STRENGTHS),
        "contested_by": opt(Field("refs", ref="evidence")),
        "confirmation": Field("enum", values=CONFIRMATION),
        "unconfirmed": opt(TEXT),
        "unconfirmed_zh": opt(TEXT),
        "effects": opt(Field("maps", fields={
            "outcome": Field("enum", values=OUTCOMES),
            "metric": Field("enum", values=EFFECT_METRICS),
            "estimate": Field("number"),
            "low": opt(Field("number")),
            "high": opt(Field("number")),
            "horizon_months": opt(Field("int", min=0, max=600)),
            "population": TEXT,
            "conversion": TEXT,
        })),
        "sources": SOURCES,
    },
}

# Folder of kb/ → the reference kind its ids answer to.
KIND_OF_FOLDER = {
    "sources": "source",
    "indicators": "indicator",
    "target-groups": "group",
    "instruments": "instrument",
    "programmes": "programme",
    "evidence": "evidence",
}

COUNTRY_COLUMNS = ["iso3", "name_en", "name_zh", "wb_region", "income_group", "un_member", "g20_member",
                   "global_south", "source"]
FIGURE_COLUMNS = ["iso3", "value", "year", "unit", "source", "flag"]
MEMBERSHIP_COLUMNS = ["iso3", "member_of", "source"]

# Baseline (kb/baseline/, issue 12): schemes by branch, effective coverage by branch, target-group sizes.
SCHEME_EXISTS = vocab.ids("scheme_exists")
# Populations whose size in people kb/baseline/group-sizes.csv records. Ids shared with kb/target-groups/
# name the same population there (SIZE_GROUP_MATCH); the others are narrower or broader measures.
SIZE_GROUPS = ("labour-force", "employed", "unemployed", "informal-workers", "youth-neet", "older-workers",
               "women-employed", "platform-workers", "genai-exposed-workers")
# size group -> (target group in kb/target-groups/, how they relate): "same" reuses the id; "narrower" and
# "broader" say which way the size measure differs from the target group's definition.
SIZE_GROUP_MATCH = {
    "informal-workers": ("informal-workers", "same"),
    "platform-workers": ("platform-workers", "same"),
    "older-workers": ("older-workers", "same"),
    "youth-neet": ("youth", "narrower"),
    "women-employed": ("women", "narrower"),
    "genai-exposed-workers": ("high-ai-exposure-workers", "narrower"),
    "unemployed": ("long-term-unemployed", "broader"),
}
COVERAGE_UNIT = "percent of relevant population"
PEOPLE_UNIT = "persons"
SCHEME_COLUMNS = ["iso3", "branch", "exists", "kind", "since", "basis", "sources"]
COVERAGE_COLUMNS = ["iso3", "branch", "value", "year", "unit", "source", "flag"]
GROUP_SIZE_COLUMNS = ["iso3", "group", "people", "year", "unit", "sources", "imputed", "method", "flag"]
