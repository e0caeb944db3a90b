"""`policyatlas validate [PATH...]`: every check, every problem as `path:line: [rule] message`."""

from __future__ import annotations

from pathlib import Path

import click

from policyatlas.errors import ValidationError
from policyatlas.paths import ONTOLOGY_DIR, relative
from policyatlas.validate import validate


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--kb", "kb_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="A folder laid out like kb/ (default: the project's kb/).")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Evaluator rule folder to check too (default: evaluator/rules/ when --kb is not given).")
@click.option("--ontology", "ontology_dir", type=click.Path(file_okay=False, path_type=Path), default=ONTOLOGY_DIR,
              help="A folder laid out like ontology/ (default: the project's ontology/).")
@click.option("--no-reason", is_flag=True, help="Skip the HermiT consistency check.")
def command(paths, kb_dir, rules_dir, ontology_dir, no_reason):
    """Check the KB (format, references, ranges, labels, SHACL, QC queries, rules, HermiT).

    The whole KB is always checked, because references cross files; with PATHs, only problems in those
    files or folders are reported. Exit code 1 when there is any problem, 0 otherwise.
    """
    checked = validate(kb_dir, reason=not no_reason, rules_dir=rules_dir, ontology_dir=ontology_dir)
    problems = checked.problems
    if paths:
        wanted = [relative(p).rstrip("/") for p in paths]
        problems = [p for p in problems if any(p.path == w or p.path.startswith(w + "/") for w in wanted)]
    if problems:
        raise ValidationError(problems)
    kb = checked.kb
    counts = ", ".join(f"{len(v)} {k}" for k, v in kb.records.items())
    if kb.schemes or kb.coverage or kb.group_sizes:
        counts += (f", baseline: {len(kb.schemes)} scheme statuses, {len(kb.coverage)} coverage observations, "
                   f"{len(kb.group_sizes)} group sizes")
    click.echo(f"ok: {len(kb.countries)} jurisdictions, {len(kb.figures)} figures, {counts}; no problems")
