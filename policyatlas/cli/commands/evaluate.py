"""`policyatlas evaluate`: the gaps in a country's current programmes, a bundle composed for it, or the current
programmes plus a proposal (`--add`)."""

from __future__ import annotations

import click

from policyatlas.cli.cli_types import DATASET_FILE
from policyatlas.core.i18n import message


@click.command()
@click.option("--country", "iso3", metavar="ISO3", help="The country to judge, by ISO3 code (e.g. KEN).")
@click.option("--bundle", metavar="ID,ID,...",
              help="Instrument ids to judge as a bundle for the country (default: its current programmes).")
@click.option("--add", metavar="ID,ID,...",
              help="Instrument ids to add to the country's current programmes (judged together).")
@click.option("--all", "all_countries", is_flag=True, help="Judge every country in one pass.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "turtle"]), default="table",
              show_default=True,
              help="table for people, json (shape in docs/evaluator.md, Findings), turtle as pa:Finding RDF.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="Language of the table output.")
@click.option("--endpoint", help="Read the KB from this SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--dataset", type=DATASET_FILE, default=None,
              help="Compiled dataset to load (default build/policyatlas.nt).")
def command(iso3, bundle, add, all_countries, fmt, lang, endpoint, dataset):
    """Find the gaps (fragmentation, equity blind spots, fiscal unsustainability, governance lag, ...) in a
    country's current programmes or in a bundle, with a CODI-style scorecard."""
    from policyatlas.api import Atlas
    from policyatlas.render import findings, report

    if all_countries == bool(iso3):
        raise click.UsageError(message("cli.evaluate.country_or_all"))
    ids = None
    if bundle is not None:
        ids = [b.strip() for b in bundle.split(",") if b.strip()]
        if not ids:
            raise click.UsageError(message("cli.evaluate.bundle_ids"))
    added = None
    if add is not None:
        if ids is not None:
            raise click.UsageError(message("cli.evaluate.bundle_or_add"))
        added = [b.strip() for b in add.split(",") if b.strip()]
        if not added:
            raise click.UsageError(message("cli.evaluate.add_ids"))
    atlas = Atlas.load(dataset, endpoint=endpoint)
    facts = atlas.facts
    if all_countries:
        evaluations = atlas.evaluate_all(ids, add=added)
        if fmt == "json":
            click.echo(findings.json_text(evaluations))
        elif fmt == "turtle":
            click.echo(findings.turtle(evaluations))
        else:
            click.echo(report.summary(evaluations, facts, lang))
        return
    ev = atlas.evaluate(iso3, ids, add=added)
    if fmt == "json":
        click.echo(findings.json_text(ev))
    elif fmt == "turtle":
        click.echo(ev.to_turtle())
    else:
        click.echo(report.one(ev, facts, lang))
