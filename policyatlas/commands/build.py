"""`policyatlas build`: validate ontology + KB and compile them into one dataset (atomic)."""

from __future__ import annotations

from pathlib import Path

import click

from policyatlas.build import build
from policyatlas.paths import ONTOLOGY_DIR, relative


@click.command()
@click.option("--kb", "kb_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="A folder laid out like kb/ (default: the project's kb/).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Dataset file to write (default build/policyatlas.nt); .jsonld and .store/ go beside it.")
@click.option("--ontology", "ontology_dir", type=click.Path(file_okay=False, path_type=Path), default=ONTOLOGY_DIR,
              help="A folder laid out like ontology/ (default: the project's ontology/).")
@click.option("--no-reason", is_flag=True, help="Skip the HermiT consistency check (faster; CI never skips it).")
def command(kb_dir, out, ontology_dir, no_reason):
    """Validate and compile the KB into one RDF dataset, plus JSON-LD and an Oxigraph store.

    Nothing is written unless every check passes: a failed build leaves the last good output untouched.
    """
    result = build(kb_dir, out, reason=not no_reason, ontology_dir=ontology_dir)
    click.echo(f"built {relative(result.dataset)}: {result.triples} triples in {result.seconds:.1f} s "
               f"(also {relative(result.jsonld)} and {relative(result.store)}/)")
