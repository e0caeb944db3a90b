"""`policyatlas suggest`: a staged instrument bundle for a country, sized to its fiscal space."""

from __future__ import annotations

import click

from policyatlas.cli.cli_types import DATASET_FILE, FiniteFloat
from policyatlas.core import json as render_json


@click.command()
@click.option("--country", "iso3", metavar="ISO3", required=True, help="The country, by ISO3 code (e.g. KEN).")
@click.option("--fiscal-space", "fiscal_space", metavar="PCT_GDP", default=None,
              type=FiniteFloat(0, 100, what="a percentage of GDP"),
              help="Additional spending the country can devote, in percent of GDP (default: the fiscal-space "
                   "model of evaluator/models/data/fiscal_space.yaml).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table for people, json (the shape of docs/planner.md).")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="Language of the table output.")
@click.option("--endpoint", help="Read the KB from this SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--dataset", type=DATASET_FILE, default=None,
              help="Compiled dataset to load (default build/policyatlas.nt).")
def command(iso3, fiscal_space, fmt, lang, endpoint, dataset):
    """Propose a three-stage bundle (base layer and low-cost governance first, then the middle layer, then the
    top layer where space allows), chosen exactly by a MILP, with each choice and omission explained."""
    from policyatlas.api import Atlas

    atlas = Atlas.load(dataset, endpoint=endpoint)
    plan = atlas.suggest(iso3, fiscal_space)
    if fmt == "json":
        click.echo(render_json.dumps(plan.to_json()))
    else:
        click.echo(plan.to_table(lang), nl=False)
