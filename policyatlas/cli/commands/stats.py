"""`policyatlas stats`: what the KB holds and where it is thin.

Coverage is a policy question, not bookkeeping: a country with no programme in the KB cannot be evaluated on
its current mix, an instrument with no evidence is an evidence gap, and an indicator missing for much of the
Global South weakens every rule that reads it. This command counts, by SPARQL over the compiled KB (the same
store users query, so the numbers match theirs): entities by type, programmes by income group and region,
evidence by study design and direction, programmes by implementer and scale (issue 12), the countries with no
programme yet or none in force at national scale, figure coverage per indicator, and the floors the KB must
meet (issue 3). `--write docs/kb-coverage.md` regenerates the committed report.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import click

from policyatlas.cli.cli_types import SafePath, WritableFile
from policyatlas.cli.commands._stats_baseline import baseline_sections, collect_baseline
from policyatlas.core import json as render_json
from policyatlas.core.i18n import message
from policyatlas.core.markdown import table as md_table
from policyatlas.core.paths import relative
from policyatlas.core.table import table as text_table
from policyatlas.kb import vocab

SUPRANATIONAL = "supranational"
INCOME_ORDER = [*vocab.ids("income_group"), SUPRANATIONAL]
LOW_MIDDLE = {"UMC", "LMC", "LIC"}

# The floors issue 3 sets for the KB; `stats` reports each against the current count.
FLOORS = [
    ("countries", "World Bank economies with both names", 218),
    ("instruments", "canonical instruments", 27),
    ("target_groups", "canonical target groups", 11),
    ("programmes", "programmes", 80),
    ("programme_countries", "countries with at least one programme", 40),
    ("programmes_low_middle_income", "programmes in low- and middle-income countries", 35),
    ("evidence", "evidence records", 60),
]

TYPES = {
    "countries": "pa:Country",
    "supranational": "pa:SupranationalJurisdiction",
    "instruments": "pa:PolicyInstrument",
    "instrument_relations": "pa:InstrumentRelation",
    "target_groups": "pa:TargetGroup",
    "programmes": "pa:PolicyProgramme",
    "evidence": "pa:Evidence",
    "sources": "pa:Source",
    "indicators": "pa:Indicator",
    "observations": "pa:Observation",
}

Q_TYPES = (
    "SELECT ?type (COUNT(DISTINCT ?s) AS ?n) WHERE {\n"
    f"  VALUES ?type {{ {' '.join(TYPES.values())} }}\n"
    "  ?s a ?type .\n"
    "} GROUP BY ?type"
)

Q_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

Q_COUNTRIES_NAMED = """
SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?c a pa:Country ; rdfs:label ?en , ?zh .
  FILTER(LANG(?en) = "en" && LANG(?zh) = "zh")
}"""

Q_PROGRAMMES_BY_INCOME = """
SELECT ?income (COUNT(DISTINCT ?p) AS ?programmes) (COUNT(DISTINCT ?c) AS ?jurisdictions) WHERE {
  ?p a pa:PolicyProgramme ; pa:jurisdiction ?c .
  OPTIONAL { ?c pa:incomeGroup ?ig }
  BIND(IF(BOUND(?ig), STRAFTER(STR(?ig), "income-"), "supranational") AS ?income)
} GROUP BY ?income"""

Q_PROGRAMMES_BY_REGION = """
SELECT ?region (COUNT(DISTINCT ?p) AS ?programmes) (COUNT(DISTINCT ?c) AS ?jurisdictions) WHERE {
  ?p a pa:PolicyProgramme ; pa:jurisdiction ?c .
  OPTIONAL { ?c pa:worldBankRegion ?r }
  BIND(IF(BOUND(?r), ?r, "supranational") AS ?region)
} GROUP BY ?region ORDER BY DESC(?programmes) ?region"""

Q_COUNTRIES_BY_REGION = """
SELECT ?region (COUNT(DISTINCT ?c) AS ?countries) WHERE {
  ?c a pa:Country ; pa:worldBankRegion ?region .
} GROUP BY ?region"""

Q_COUNTRIES_BY_INCOME = """
SELECT ?income (COUNT(DISTINCT ?c) AS ?countries) WHERE {
  ?c a pa:Country ; pa:incomeGroup ?ig .
  BIND(STRAFTER(STR(?ig), "income-") AS ?income)
} GROUP BY ?income"""

Q_WITHOUT_PROGRAMME = """
SELECT ?iso3 ?name ?region ?income WHERE {
  ?c a pa:Country ; pa:iso3 ?iso3 ; rdfs:label ?name ; pa:worldBankRegion ?region ; pa:incomeGroup ?ig .
  FILTER(LANG(?name) = "en")
  FILTER NOT EXISTS { ?p a pa:PolicyProgramme ; pa:jurisdiction ?c }
  BIND(STRAFTER(STR(?ig), "income-") AS ?income)
} ORDER BY ?region ?iso3"""

Q_EVIDENCE = """
SELECT ?design ?direction (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?e a pa:Evidence ; pa:studyDesign ?d ; pa:direction ?dir .
  BIND(STRAFTER(STR(?d), "design-") AS ?design)
  BIND(STRAFTER(STR(?dir), "direction-") AS ?direction)
} GROUP BY ?design ?direction"""

Q_EVIDENCE_STRENGTH = """
SELECT ?strength (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?e a pa:Evidence ; pa:strength ?s .
  BIND(STRAFTER(STR(?s), "strength-") AS ?strength)
} GROUP BY ?strength"""

Q_EVIDENCE_CONTESTED = """
SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a pa:Evidence ; pa:contestedBy ?other . }"""

Q_INSTRUMENTS = """
SELECT ?id ?layer
       (COUNT(DISTINCT ?p) AS ?programmes) (COUNT(DISTINCT ?e) AS ?evidence)
       (COUNT(DISTINCT ?c) AS ?countries) WHERE {
  ?i a pa:PolicyInstrument ; pa:layer ?l .
  BIND(STRAFTER(STR(?i), STR(instrument:)) AS ?id)
  BIND(STRAFTER(STR(?l), STR(layer:)) AS ?layer)
  OPTIONAL { ?p a pa:PolicyProgramme ; pa:implements ?i ; pa:jurisdiction ?c }
  OPTIONAL { ?e a pa:Evidence ; pa:aboutInstrument ?i }
} GROUP BY ?id ?layer ORDER BY ?id"""

Q_RELATIONS = """
SELECT ?kind (COUNT(DISTINCT ?r) AS ?n) WHERE {
  ?r a pa:InstrumentRelation ; pa:relationKind ?kind .
} GROUP BY ?kind"""

Q_DENOMINATORS = """
SELECT (SUM(IF(?un, 1, 0)) AS ?un) (SUM(IF(?gs, 1, 0)) AS ?gs) WHERE {
  ?c a pa:Country ; pa:unMember ?un ; pa:globalSouth ?gs .
}"""

Q_FIGURES = """
SELECT ?id ?unit (COUNT(DISTINCT ?o) AS ?rows) (COUNT(DISTINCT ?c) AS ?countries)
       (COUNT(DISTINCT ?un) AS ?un_members) (COUNT(DISTINCT ?gs) AS ?global_south)
       (MIN(?y) AS ?year_min) (MAX(?y) AS ?year_max) (COUNT(DISTINCT ?flagged) AS ?flagged_rows) WHERE {
  ?ind a pa:Indicator ; pa:unit ?unit .
  BIND(STRAFTER(STR(?ind), STR(indicator:)) AS ?id)
  OPTIONAL {
    ?o a pa:Observation ; pa:indicator ?ind ; pa:refArea ?c ; pa:year ?y .
    OPTIONAL { ?c pa:unMember true . BIND(?c AS ?un) }
    OPTIONAL { ?c pa:globalSouth true . BIND(?c AS ?gs) }
    OPTIONAL { ?o pa:flag ?flag . BIND(?o AS ?flagged) }
  }
} GROUP BY ?id ?unit ORDER BY ?id"""


Q_PROGRAMMES_BY_KIND = """
SELECT ?implementer ?scale ?status (COUNT(DISTINCT ?p) AS ?n) WHERE {
  ?p a pa:PolicyProgramme .
  OPTIONAL { ?p pa:implementer ?i }
  OPTIONAL { ?p pa:scale ?sc }
  OPTIONAL { ?p pa:status ?st }
  BIND(IF(BOUND(?i), STRAFTER(STR(?i), "implementer-"), "unknown") AS ?implementer)
  BIND(IF(BOUND(?sc), STRAFTER(STR(?sc), "scale-"), "unknown") AS ?scale)
  BIND(IF(BOUND(?st), STRAFTER(STR(?st), "status-"), "unknown") AS ?status)
} GROUP BY ?implementer ?scale ?status"""

# A country's programmes that count as its policy in force (issue 12; evaluator/assess/facts.py applies the same
# rule, plus the EU acts' date of application, for EU members).
Q_WITHOUT_NATIONAL_PROGRAMME = """
SELECT ?iso3 ?name ?region ?income WHERE {
  ?c a pa:Country ; pa:iso3 ?iso3 ; rdfs:label ?name ; pa:worldBankRegion ?region ; pa:incomeGroup ?ig .
  FILTER(LANG(?name) = "en")
  FILTER EXISTS { ?any a pa:PolicyProgramme ; pa:jurisdiction ?c }
  FILTER NOT EXISTS {
    ?p a pa:PolicyProgramme ; pa:jurisdiction ?c ; pa:implementer vocab:implementer-government ;
       pa:scale vocab:scale-national ; pa:status vocab:status-active .
  }
  BIND(STRAFTER(STR(?ig), "income-") AS ?income)
} ORDER BY ?region ?iso3"""


def programme_kinds(rows) -> dict:
    """Programmes by who runs them, at what scale and in what status; countries whose programmes in the KB are
    all left out of their current mix (NGO or private, pilot, subnational, ended, suspended or planned)."""
    cells = [{"implementer": r["implementer"], "scale": r["scale"], "status": r["status"], "n": _num(r["n"])}
             for r in rows(Q_PROGRAMMES_BY_KIND)]
    only_left_out = [{"iso3": r["iso3"], "name": r["name"], "region": r["region"], "income_group": r["income"]}
                     for r in rows(Q_WITHOUT_NATIONAL_PROGRAMME)]
    return {"programmes_by_implementer_scale_status": sorted(
                cells, key=lambda c: (c["implementer"], c["scale"], c["status"])),
            "countries_without_national_programme_in_force": only_left_out}


def countries_by_region(countries: list[dict]) -> dict[str, list[str]]:
    """Region -> "Name (ISO3, income group)" entries, for the lists of countries in the report."""
    out: dict[str, list[str]] = {}
    for c in countries:
        out.setdefault(c["region"], []).append(f"{c['name']} ({c['iso3']}, {c['income_group']})")
    return out


def programme_sections(stats: dict) -> list[tuple[str, str, list[str], list[list]]]:
    cells = stats["programmes_by_implementer_scale_status"]
    scales = list(vocab.ids("scale"))
    scales += sorted({c["scale"] for c in cells} - set(scales))
    implementers = list(vocab.ids("implementer"))
    implementers += sorted({c["implementer"] for c in cells} - set(implementers))
    count = {}
    for c in cells:
        count[(c["implementer"], c["scale"])] = count.get((c["implementer"], c["scale"]), 0) + c["n"]
    statuses: dict[str, int] = {}
    for c in cells:
        statuses[c["status"]] = statuses.get(c["status"], 0) + c["n"]
    counted = sum(c["n"] for c in cells if c["implementer"] in ("government", "supranational")
                  and c["scale"] == "national" and c["status"] == "active")
    out = [("Programmes by implementer and scale",
            f"Who runs each programme and at what scale (issue 12). {counted} programmes are run by a government "
            "or the EU at national scale and active: only these count in a country's current mix (an EU act "
            "from its date of application). By status: "
            + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())) + ".",
            ["implementer", *scales, "total"],
            [[i, *[count.get((i, s), 0) for s in scales], sum(count.get((i, s), 0) for s in scales)]
             for i in implementers]
            + [["total", *[sum(count.get((i, s), 0) for i in implementers) for s in scales],
                sum(count.values())]])]
    left = stats["countries_without_national_programme_in_force"]
    by_region = countries_by_region(left)
    out.append(("Countries whose programmes in the KB are all left out of the current mix",
                f"{len(left)} countries have programmes in the KB but none run by their government at national "
                "scale and active (only NGO or private, pilot, subnational, ended, suspended or planned ones); "
                "EU members still get the EU acts that apply.",
                ["region", "count", "countries"],
                [[region, len(items), "; ".join(items)] for region, items in sorted(by_region.items())]))
    return out


def _num(value) -> int:
    if isinstance(value, Decimal):
        return int(value)
    return int(value or 0)


def collect(atlas) -> dict:
    """Every count, as plain JSON-able data, from SPARQL over `atlas` (embedded store or remote endpoint)."""

    def rows(query: str) -> list[dict]:
        return atlas.query(query).python_rows()

    prefixed = {v: k for k, v in TYPES.items()}
    counts = {k: 0 for k in TYPES}
    for row in rows(Q_TYPES):
        iri = row["type"]
        local = "pa:" + iri.rsplit("#", 1)[-1]
        counts[prefixed[local]] = _num(row["n"])

    by_income = {r["income"]: {"programmes": _num(r["programmes"]), "jurisdictions": _num(r["jurisdictions"])}
                 for r in rows(Q_PROGRAMMES_BY_INCOME)}
    countries_by_income = {r["income"]: _num(r["countries"]) for r in rows(Q_COUNTRIES_BY_INCOME)}
    programmes_by_income = [
        {"income_group": g, "programmes": by_income.get(g, {}).get("programmes", 0),
         "jurisdictions_with_programme": by_income.get(g, {}).get("jurisdictions", 0),
         "jurisdictions": countries_by_income.get(g, counts["supranational"] if g == SUPRANATIONAL else 0)}
        for g in INCOME_ORDER]

    countries_by_region = {r["region"]: _num(r["countries"]) for r in rows(Q_COUNTRIES_BY_REGION)}
    programmes_by_region = [
        {"region": r["region"], "programmes": _num(r["programmes"]),
         "jurisdictions_with_programme": _num(r["jurisdictions"]),
         "jurisdictions": countries_by_region.get(r["region"], counts["supranational"])}
        for r in rows(Q_PROGRAMMES_BY_REGION)]
    for region, n in sorted(countries_by_region.items()):
        if not any(p["region"] == region for p in programmes_by_region):
            programmes_by_region.append({"region": region, "programmes": 0, "jurisdictions_with_programme": 0,
                                         "jurisdictions": n})

    without = [{"iso3": r["iso3"], "name": r["name"], "region": r["region"], "income_group": r["income"]}
               for r in rows(Q_WITHOUT_PROGRAMME)]

    evidence_cells = [{"design": r["design"], "direction": r["direction"], "n": _num(r["n"])}
                      for r in rows(Q_EVIDENCE)]
    by_design: dict[str, int] = {}
    by_direction: dict[str, int] = {}
    for cell in evidence_cells:
        by_design[cell["design"]] = by_design.get(cell["design"], 0) + cell["n"]
        by_direction[cell["direction"]] = by_direction.get(cell["direction"], 0) + cell["n"]

    denominators = rows(Q_DENOMINATORS)[0]
    un_total, gs_total = _num(denominators.get("un")), _num(denominators.get("gs"))
    figures = [{"indicator": r["id"], "unit": r["unit"], "rows": _num(r["rows"]),
                "countries": _num(r["countries"]), "un_members": _num(r["un_members"]),
                "global_south": _num(r["global_south"]),
                "year_min": _num(r["year_min"]) if r.get("year_min") is not None else None,
                "year_max": _num(r["year_max"]) if r.get("year_max") is not None else None,
                "flagged_rows": _num(r["flagged_rows"])} for r in rows(Q_FIGURES)]

    instruments = [{"instrument": r["id"], "layer": r["layer"], "programmes": _num(r["programmes"]),
                    "countries": _num(r["countries"]), "evidence": _num(r["evidence"])}
                   for r in rows(Q_INSTRUMENTS)]

    actual = {
        "countries": _num(rows(Q_COUNTRIES_NAMED)[0]["n"]),
        "instruments": counts["instruments"],
        "target_groups": counts["target_groups"],
        "programmes": counts["programmes"],
        "programme_countries": counts["countries"] - len(without),
        "programmes_low_middle_income": sum(p["programmes"] for p in programmes_by_income
                                            if p["income_group"] in LOW_MIDDLE),
        "evidence": counts["evidence"],
    }
    floors = [{"floor": key, "what": what, "required": need, "actual": actual[key], "met": actual[key] >= need}
              for key, what, need in FLOORS]

    baseline = collect_baseline(rows)
    return {
        "triples": _num(rows(Q_TRIPLES)[0]["n"]),
        "counts": counts,
        "floors": floors,
        "instruments_by_layer": _tally(instruments, "layer"),
        "relations_by_kind": {r["kind"]: _num(r["n"]) for r in rows(Q_RELATIONS)},
        "programmes_by_income_group": programmes_by_income,
        "programmes_by_region": programmes_by_region,
        "countries_without_programme": without,
        "evidence_by_design": dict(sorted(by_design.items())),
        "evidence_by_direction": dict(sorted(by_direction.items())),
        "evidence_by_design_and_direction": sorted(evidence_cells, key=lambda c: (c["design"], c["direction"])),
        "evidence_by_strength": {r["strength"]: _num(r["n"]) for r in rows(Q_EVIDENCE_STRENGTH)},
        "evidence_contested": _num(rows(Q_EVIDENCE_CONTESTED)[0]["n"]),
        "instruments": instruments,
        "figures": {"un_members": un_total, "global_south": gs_total, "indicators": figures},
        "baseline": baseline,
        **programme_kinds(rows),
    }


def _tally(items: list[dict], key: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[item[key]] = out.get(item[key], 0) + 1
    return out


def _pct(part: int, whole: int) -> str:
    return f"{part} ({100 * part / whole:.0f}%)" if whole else str(part)


def sections(stats: dict) -> list[tuple[str, str, list[str], list[list]]]:
    """The report as (title, note, header, rows) tables; the markdown and plain-text views both use it."""
    out = []
    counts = stats["counts"]
    out.append(("Entities by type", f"{stats['triples']} triples in the compiled dataset (ontology + KB).",
                ["type", "count"], [[k.replace("_", " "), v] for k, v in counts.items()]))
    out.append(("Floors (issue 3)", "Each floor the KB must meet, against what it holds now.",
                ["floor", "required", "actual", "met"],
                [[f["what"], f["required"], f["actual"], "yes" if f["met"] else "NO"] for f in stats["floors"]]))
    layers = stats["instruments_by_layer"]
    relations = stats["relations_by_kind"]
    out.append(("Instruments by layer and relations by kind", "",
                ["layer or relation", "count"],
                [[f"layer: {k}", layers[k]] for k in vocab.ids("layer") if k in layers]
                + [[f"relation: {k}", v] for k, v in sorted(relations.items())]))
    out.append(("Programmes by income group (World Bank FY2026)",
                "Jurisdictions with a programme, of all jurisdictions in the group. UNC: unclassified "
                "(Ethiopia, Venezuela); supranational: EU, OECD, UN system.",
                ["income group", "programmes", "jurisdictions with a programme"],
                [[p["income_group"], p["programmes"],
                  f"{p['jurisdictions_with_programme']} of {p['jurisdictions']}"]
                 for p in stats["programmes_by_income_group"]]))
    out.append(("Programmes by region", "",
                ["region", "programmes", "jurisdictions with a programme"],
                [[p["region"], p["programmes"], f"{p['jurisdictions_with_programme']} of {p['jurisdictions']}"]
                 for p in stats["programmes_by_region"]]))
    out.append(("Programmes and evidence per instrument",
                "An instrument without evidence is an evidence gap; one without programmes has no real-world case.",
                ["instrument", "layer", "programmes", "countries", "evidence records"],
                [[i["instrument"], i["layer"], i["programmes"], i["countries"], i["evidence"]]
                 for i in stats["instruments"]]))
    designs = sorted(stats["evidence_by_design"])
    directions = sorted(stats["evidence_by_direction"])
    cell = {(c["design"], c["direction"]): c["n"] for c in stats["evidence_by_design_and_direction"]}
    out.append(("Evidence by study design and direction",
                f"{stats['evidence_contested']} record(s) contested by another record. By strength: "
                + ", ".join(f"{k} {v}" for k, v in sorted(stats["evidence_by_strength"].items())) + ".",
                ["design", *directions, "total"],
                [[d, *[cell.get((d, r), 0) for r in directions], stats["evidence_by_design"][d]] for d in designs]
                + [["total", *[stats["evidence_by_direction"][r] for r in directions],
                    sum(stats["evidence_by_design"].values())]]))
    fig = stats["figures"]
    out.append(("Figure coverage per indicator",
                f"Countries with a value, of all 218 economies; of the {fig['un_members']} UN members; of the "
                f"{fig['global_south']} Global South economies. Flagged: rows with a caveat (IMF staff "
                "estimate, stale year, ...). Missing figures are not imputed.",
                ["indicator", "unit", "countries", "UN members", "Global South", "years", "flagged"],
                [[f["indicator"], f["unit"], f["countries"], _pct(f["un_members"], fig["un_members"]),
                  _pct(f["global_south"], fig["global_south"]),
                  f"{f['year_min']}-{f['year_max']}" if f["year_min"] else "",
                  f["flagged_rows"]] for f in fig["indicators"]]))
    out += programme_sections(stats)
    without = stats["countries_without_programme"]
    by_region = countries_by_region(without)
    out.append(("Countries with no programme yet",
                f"{len(without)} of {counts['countries']} economies have no named programme in the KB; ISO3 code "
                "and income group in brackets.",
                ["region", "count", "countries"],
                [[region, len(items), "; ".join(items)] for region, items in sorted(by_region.items())]))
    out.extend(baseline_sections(stats))
    return out


def to_markdown(stats: dict) -> str:
    lines = ["# KB coverage", "",
             "Generated by `policyatlas stats --write docs/kb-coverage.md` from the compiled KB; do not edit by "
             "hand. Every number below is a SPARQL count over the same store that `policyatlas query` uses.", ""]
    for title, note, header, rows in sections(stats):
        lines += [f"## {title}", ""]
        if note:
            lines += [note, ""]
        lines += [*md_table(header, rows), ""]
    return "\n".join(lines)


def to_table(stats: dict) -> str:
    blocks = []
    for title, note, header, rows in sections(stats):
        text = [title, "=" * len(title)]
        if note:
            text.append(note)
        text.append(text_table(header, rows, max_rule=60))
        blocks.append("\n".join(text))
    return "\n\n".join(blocks)


def open_atlas(kb_dir: Path | None, endpoint: str | None, workdir: Path | None = None):
    """The Atlas to count over: a remote endpoint, a working copy of kb/ built into `workdir`, or the
    project's compiled dataset (rebuilt first when it is stale: the one freshness rule of Atlas.load)."""
    from policyatlas.api import Atlas
    from policyatlas.pipeline.build import build

    if endpoint:
        return Atlas.load(endpoint=endpoint)
    if kb_dir is not None:
        out = Path(workdir or tempfile.mkdtemp(prefix="policyatlas-stats-")) / "policyatlas.nt"
        build(kb_dir, out, reason=False)
        return Atlas.load(out)
    return Atlas.load()


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True, help="Output format.")
@click.option("--write", "write_path", type=WritableFile(), default=None,
              help="Also write the Markdown report to this file (the project keeps docs/kb-coverage.md).")
@click.option("--kb", "kb_dir", type=SafePath(file_okay=False, exists=True, path_type=Path), default=None,
              help="A folder laid out like kb/ (default: the project's kb/).")
@click.option("--endpoint", default=None, help="Count over a remote SPARQL endpoint instead.")
def command(fmt, write_path, kb_dir, endpoint):
    """Counts and coverage of the KB: entities by type, the floors the KB must meet, programmes by income group
    and region, evidence by design and direction, countries with no programme, figure coverage per indicator."""
    with tempfile.TemporaryDirectory(prefix="policyatlas-stats-") as workdir:
        stats = collect(open_atlas(kb_dir, endpoint, Path(workdir)))
    if write_path is not None:
        write_path.parent.mkdir(parents=True, exist_ok=True)
        write_path.write_text(to_markdown(stats), encoding="utf-8")
        click.echo(message("cli.stats.wrote", path=relative(write_path)), err=True)
    if fmt == "json":
        click.echo(render_json.dumps(stats))
    elif fmt == "markdown":
        click.echo(to_markdown(stats))
    else:
        click.echo(to_table(stats))
