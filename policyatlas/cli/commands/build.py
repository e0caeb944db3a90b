"""`policyatlas build`: validate ontology + KB and compile them into one release (atomic as a set)."""

from __future__ import annotations

from pathlib import Path

import click

from policyatlas.cli.cli_types import SafePath, WritableFile
from policyatlas.core.i18n import message
from policyatlas.core.paths import ONTOLOGY_DIR, relative


@click.command()
@click.option("--kb", "kb_dir", type=SafePath(file_okay=False, exists=True, path_type=Path), default=None,
              help="A folder laid out like kb/ (default: the project's kb/).")
@click.option("--out", type=WritableFile(suffix=".nt"), default=None,
              help="Dataset path (default build/policyatlas.nt); its folder holds releases/ and current, and "
                   ".jsonld and .store link beside it.")
@click.option("--ontology", "ontology_dir", type=SafePath(file_okay=False, exists=True, path_type=Path),
              default=ONTOLOGY_DIR, help="A folder laid out like ontology/ (default: the project's ontology/).")
@click.option("--no-reason", is_flag=True, help="Skip the HermiT consistency check (faster; CI never skips it).")
@click.option("--force", is_flag=True, help="Rebuild even when nothing changed since the current release.")
@click.option("-v", "--verbose", is_flag=True, help="Print each phase of the build as it ends.")
def command(kb_dir, out, ontology_dir, no_reason, force, verbose):
    """Validate and compile the KB into one RDF dataset, plus JSON-LD and an Oxigraph store.

    All outputs are published together as one release (build/releases/ID/, made current by one atomic
    switch of build/current): a failed or killed build leaves the last good release untouched, and the next
    build clears what it left. An unchanged KB (same hash of ontology, KB, rules, model data and compiler
    code) is not rebuilt unless --force is given.
    """
    from policyatlas.pipeline.build import build

    echo = (lambda line: click.echo(line, err=True)) if verbose else None
    result = build(kb_dir, out, reason=not no_reason, ontology_dir=ontology_dir, force=force, echo=echo)
    shown = f"{relative(result.dataset.parent)}/{result.dataset.name}"
    if result.up_to_date:
        click.echo(message("cli.build.up_to_date", dataset=shown, triples=result.triples,
                           release=result.release.name))
        return
    click.echo(message("cli.build.built", dataset=shown, triples=result.triples, seconds=result.seconds,
                       release=relative(result.release)))
