"""`policyatlas query`: SPARQL on the embedded store or any SPARQL 1.1 endpoint."""

from __future__ import annotations

from pathlib import Path

import click

from policyatlas.cli.cli_types import DATASET_FILE, SafePath
from policyatlas.cli.quick import QUERY_FORMATS, read_query_file, run_query
from policyatlas.core.i18n import message


@click.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file",
              type=SafePath(exists=True, dir_okay=False, readable=True, path_type=Path),
              help="Read the query from a .rq file.")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS),
              default="table", show_default=True, help="json is SPARQL 1.1 Query Results JSON.")
@click.option("--endpoint", envvar="POLICYATLAS_ENDPOINT",
              help="Run against this SPARQL 1.1 endpoint instead of the embedded store "
                   "(default: $POLICYATLAS_ENDPOINT, the app's one setting for a shared store).")
@click.option("--allow-incomplete", is_flag=True,
              help="Print an answer the endpoint cut short (row cap, time limit), with a warning; "
                   "without it such an answer is an error and nothing is printed.")
@click.option("--dataset", type=DATASET_FILE, default=None,
              help="Compiled dataset to load (default build/policyatlas.nt).")
def command(query, query_file, fmt, endpoint, allow_incomplete, dataset):
    """Run a SPARQL query. The project's prefixes (pa:, country:, instrument:, ...) are predeclared."""
    if query_file is not None and query:
        raise click.UsageError(message("cli.query.query_or_file"))
    if query_file is not None:
        query = read_query_file(query_file)
    if not query:
        raise click.UsageError(message("cli.query.missing"))
    run_query(query, fmt, endpoint=endpoint, allow_incomplete=allow_incomplete, dataset=dataset)
