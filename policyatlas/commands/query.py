"""`policyatlas query`: SPARQL on the embedded store or any SPARQL 1.1 endpoint."""

from __future__ import annotations

from pathlib import Path

import click

from policyatlas.cli_types import DATASET_FILE, SafePath
from policyatlas.errors import UserError
from policyatlas.i18n import message
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
        raise click.UsageError(message("cli.query.query_or_file"))
    # the query path imports only the store and the serialisers (no rdflib, pandas or evaluator)
    from policyatlas.api import Atlas
    from policyatlas.results import serialise

    if query_file is not None:
        try:
            query = query_file.read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            raise UserError(message("cli.query.not_utf8", path=query_file, reason=err.reason,
                                    start=err.start)) from None
    if not query:
        raise click.UsageError(message("cli.query.missing"))
    if classify(query) == "update":
        raise UserError(message("cli.query.update"))
    atlas = Atlas.load(dataset, endpoint=endpoint)
    result = atlas.query(query)
    if not result.complete and not allow_incomplete:
        raise UserError(message("cli.query.incomplete", rows=len(result), note=result.note))
    try:
        text = serialise(result, fmt)
    except ValueError as err:
        raise UserError(str(err)) from None
    click.echo(text, nl=not text.endswith("\n"))
    if not result.complete:
        click.echo(message("cli.query.warning_incomplete", note=result.note), err=True)
