"""`policyatlas publish`: load the compiled KB into a shared triple store (SPARQL 1.1 Graph Store Protocol).

The graph is replaced, not merged, so publishing twice leaves one copy. Point the app at the store's query
endpoint afterwards with one setting (see docs/sparql.md), for example
`POLICYATLAS_ENDPOINT=http://host:8890/sparql?default-graph-uri=https://w3id.org/policyatlas/kb`.
"""

from __future__ import annotations

import os

import click

from policyatlas.cli.cli_types import DATASET_FILE
from policyatlas.core.errors import UserError
from policyatlas.core.i18n import message
from policyatlas.core.paths import relative

DEFAULT_GRAPH = "https://w3id.org/policyatlas/kb"  # policyatlas.core.remote.DEFAULT_GRAPH, without importing httpx


@click.command("publish")
@click.option("--endpoint", required=True,
              help="Graph Store Protocol endpoint (Virtuoso: http://HOST:8890/sparql-graph-crud-auth).")
@click.option("--graph", default=DEFAULT_GRAPH, show_default=True, help="IRI of the graph to replace.")
@click.option("--user", default=lambda: os.environ.get("POLICYATLAS_STORE_USER"),
              help="User for the store (or POLICYATLAS_STORE_USER).")
@click.option("--password", default=lambda: os.environ.get("POLICYATLAS_STORE_PASSWORD"),
              help="Password (or POLICYATLAS_STORE_PASSWORD, which keeps it out of the shell history).")
@click.option("--auth", "auth_scheme", type=click.Choice(["digest", "basic"]), default="digest",
              show_default=True)
@click.option("--verify", "query_endpoint", default=None,
              help="SPARQL query endpoint of the same store: count the published triples there afterwards.")
@click.option("--dataset", type=DATASET_FILE, default=None,
              help="Compiled dataset to publish (default build/policyatlas.nt).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def command(endpoint, graph, user, password, auth_scheme, query_endpoint, dataset, fmt):
    """Replace GRAPH in a shared SPARQL 1.1 store with the compiled KB."""
    import json

    from policyatlas.core.remote import count_triples, publish
    from policyatlas.pipeline.release import ensure_fresh

    current = ensure_fresh(dataset, echo=lambda line: click.echo(line, err=True))
    dataset = current.dataset if current is not None else dataset
    done = publish(dataset, endpoint, graph, user=user, password=password, auth_scheme=auth_scheme)
    found = None
    if query_endpoint:
        found = count_triples(query_endpoint, graph)
        if found != done.triples:
            raise UserError(message("cli.publish.mismatch", endpoint=query_endpoint, found=found, graph=graph,
                                    triples=done.triples))
    if fmt == "json":
        click.echo(json.dumps({"graph": done.graph, "triples": done.triples, "requests": done.requests,
                               "dataset": relative(dataset), "verified_triples": found}))
    else:
        click.echo(message("cli.publish.done", triples=done.triples, dataset=relative(dataset), graph=done.graph,
                           requests=done.requests)
                   + (message("cli.publish.store_holds", found=found) if found is not None else ""))
