"""`policyatlas export`: the compiled KB as Turtle, N-Triples, JSON-LD, or a CSV per main class."""

from __future__ import annotations

from pathlib import Path

import click

from policyatlas.exports import FORMATS, export
from policyatlas.paths import DATASET, relative


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write into (created if missing).")
@click.option("--dataset", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Compiled dataset to export (default build/policyatlas.nt).")
def command(fmt, out, dataset):
    """Export the KB for other tools: turtle, ntriples, jsonld, or csv (one file per main class).

    The export is the compiled dataset, the evaluator's findings on every country's current programmes
    included (`policyatlas build` derives them)."""
    for path in export(Path(dataset or DATASET), fmt, out):
        click.echo(relative(path))
