"""`policyatlas export`: the compiled KB as Turtle, N-Triples, JSON-LD, or a CSV per main class."""

from __future__ import annotations

import click

from policyatlas.cli.cli_types import DATASET_FILE, WritableDir
from policyatlas.core.paths import relative

FORMATS = ("turtle", "ntriples", "jsonld", "csv")  # policyatlas.pipeline.exports.FORMATS, without importing rdflib


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option("--out", type=WritableDir(), required=True,
              help="Folder to write into (created if missing).")
@click.option("--dataset", type=DATASET_FILE, default=None,
              help="Compiled dataset to export (default build/policyatlas.nt).")
def command(fmt, out, dataset):
    """Export the KB for other tools: turtle, ntriples, jsonld, or csv (one file per main class).

    The export is the compiled dataset, the evaluator's findings on every country's current programmes
    included (`policyatlas build` derives them)."""
    from policyatlas.pipeline.exports import export
    from policyatlas.pipeline.release import ensure_fresh

    current = ensure_fresh(dataset, echo=lambda line: click.echo(line, err=True))
    for path in export(current.dataset if current is not None else dataset, fmt, out):
        click.echo(relative(path))
