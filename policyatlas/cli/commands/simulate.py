"""`policyatlas simulate`: how a bundle plays out over ten years, with uncertainty bands (docs/simulate.md)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click

from policyatlas.core import json as render_json
from policyatlas.core.i18n import message


def _ids(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


@click.command()
@click.option("--country", "iso3", metavar="ISO3", help="The country, by ISO3 code (e.g. KEN).")
@click.option("--all", "all_countries", is_flag=True, help="Every country in one pass (summary rows).")
@click.option("--bundle", metavar="ID,…", help="Instruments simulated as a bundle against the country as it is.")
@click.option("--add", metavar="ID,…", help="Instruments added to the country's current mix (those it already "
                                            "runs are reported as in place and not counted twice).")
@click.option("--scenario", default="moderate", show_default=True,
              help="AI-displacement scenario from evaluator/models/data/simulation.yaml: none, moderate or severe.")
@click.option("--years", type=click.IntRange(1, 30), default=10, show_default=True, help="Horizon in years (1-30).")
@click.option("--draws", type=click.IntRange(1, 20000), default=500, show_default=True,
              help="Monte Carlo draws (Latin hypercube).")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=0, show_default=True,
              help="Seed of the draws: the same input and seed give the same output.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="Language of the table output.")
@click.option("--endpoint", help="Read the KB from this SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--dataset", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Compiled dataset to load (default build/policyatlas.nt).")
def command(iso3, all_countries, bundle, add, scenario, years, draws, seed, fmt, lang, endpoint, dataset):
    """Simulate a bundle over YEARS with monthly steps: unemployment, long-term unemployment, people with
    neither earnings nor a benefit (proxy) and fiscal cost against fiscal space, as median and 5-95% bands for
    the bundle and the no-policy baseline on the same draws. A scenario, conditional on stated assumptions."""
    from policyatlas.api import Atlas
    from policyatlas.core.errors import UserError

    if bool(iso3) == bool(all_countries):
        raise click.UsageError(message("cli.simulate.country_or_all"))
    if bundle is not None and add is not None:
        raise click.UsageError(message("cli.simulate.bundle_or_add"))
    atlas = Atlas.load(dataset, endpoint=endpoint)
    if all_countries:
        sims, skipped = atlas.simulate_all(_ids(bundle), add=_ids(add), scenario=scenario, years=years,
                                           draws=draws, seed=seed)
        rows = [s.summary() for s in sims]
        if fmt == "json":
            click.echo(render_json.dumps({"countries": rows, "skipped": skipped}))
        else:
            _csv(rows, delimiter="," if fmt == "csv" else "\t")
            for s in skipped:
                click.echo(message("cli.simulate.skipped", country=s["country"], reason=s["reason"]), err=True)
        return
    try:
        sim = atlas.simulate(iso3, _ids(bundle), add=_ids(add), scenario=scenario, years=years, draws=draws,
                             seed=seed)
    except UserError:
        raise
    if fmt == "json":
        click.echo(render_json.dumps(sim.to_json()))
    elif fmt == "csv":
        _csv(sim.rows())
    else:
        click.echo(sim.to_table(lang), nl=False)


def _csv(rows: list[dict], delimiter: str = ",") -> None:
    if not rows:
        return
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    click.echo(buf.getvalue(), nl=False)
