"""`policyatlas graph`: the instrument graph (complements, prerequisites, substitutes, conflicts) as a file."""

from __future__ import annotations

import click

from policyatlas.cli.cli_types import DATASET_FILE, WritableFile
from policyatlas.core.i18n import message


@click.command()
@click.option("--format", "fmt", type=click.Choice(["graphml", "json"]), default="json", show_default=True,
              help="GraphML (Gephi, yEd, Cytoscape) or networkx node-link JSON.")
@click.option("--out", "out", type=WritableFile(), default=None,
              help="Write to this file instead of standard output.")
@click.option("--endpoint", help="Read the KB from this SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--dataset", type=DATASET_FILE, default=None,
              help="Compiled dataset to load (default build/policyatlas.nt).")
def command(fmt, out, endpoint, dataset):
    """Export the instrument graph built from the KB's instrument relations, with each edge's reason and
    sources."""
    from policyatlas.api import Atlas

    atlas = Atlas.load(dataset, endpoint=endpoint)
    graph = atlas.graph()
    text = atlas.graph_document(fmt)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        click.echo(message("cli.graph.wrote", nodes=graph.number_of_nodes(), edges=graph.number_of_edges(), path=out),
                   err=True)
