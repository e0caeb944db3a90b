"""`policyatlas query`: SPARQL on the embedded store or any SPARQL 1.1 endpoint."""

from __future__ import annotations

from pathlib import Path

import click

from policyatlas.cli_types import DATASET_FILE, SafePath
from policyatlas.errors import UserError
from policyatlas.safety import classify


@click.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file",
              type=SafePath(exists=True, dir_okay=False, readable=True, path_type=Path),
              help="Read the query from a .rq file.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "ntriples"]),
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
        raise click.UsageError("give either QUERY or -f FILE, not both")
    # the query path imports only the store and the serialisers (no rdflib, pandas or evaluator)
    from policyatlas.api import Atlas
    from policyatlas.results import serialise

    if query_file is not None:
        try:
            query = query_file.read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            raise UserError(f"{query_file}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    if not query:
        raise click.UsageError("give a SPARQL query, or -f FILE")
    if classify(query) == "update":
        raise UserError("this is a SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...), not a query: "
                        "`policyatlas query` only reads (SELECT, ASK, CONSTRUCT, DESCRIBE); the KB is changed by "
                        "editing kb/ and running `policyatlas build`")
    atlas = Atlas.load(dataset, endpoint=endpoint)
    result = atlas.query(query)
    if not result.complete and not allow_incomplete:
        raise UserError(f"the answer is incomplete ({len(result)} rows received): {result.note}. Nothing is "
                        "printed, so that a partial answer is not taken for the whole one; narrow the query, or "
                        "pass --allow-incomplete to print the partial rows")
    try:
        text = serialise(result, fmt)
    except ValueError as err:
        raise UserError(str(err)) from None
    click.echo(text, nl=not text.endswith("\n"))
    if not result.complete:
        click.echo(f"warning: incomplete result: {result.note}", err=True)
