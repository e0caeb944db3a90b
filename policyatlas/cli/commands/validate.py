"""`policyatlas validate [PATH...]`: every check, every problem as `path:line: [rule] message`."""

from __future__ import annotations

from pathlib import Path

import click

from policyatlas.cli.cli_types import SafePath
from policyatlas.core.errors import Problem, ValidationError
from policyatlas.core.i18n import message
from policyatlas.core.paths import KB_DIR, ONTOLOGY_DIR, ROOT, relative

# evaluator/models/data/ (evaluator.models.modeldata.MODEL_DATA_DIR, not imported for speed)
MODEL_DIR = ROOT / "evaluator" / "models" / "data"


def unknown_paths(paths, roots) -> list[Problem]:
    """A problem for each PATH that does not exist or lies outside the folders checked: reporting "no
    problems" for it would hide a mistyped path (or a broken KB) behind a success."""
    problems = []
    for path in paths:
        shown = str(path)
        if not path.exists():
            problems.append(Problem(shown, 0, "no-such-path", "does not exist; give a file or folder of the KB"))
            continue
        real = path.resolve()
        if not any(real == root or root in real.parents for root in roots):
            where = ", ".join(relative(r) + "/" for r in roots)
            problems.append(Problem(shown, 0, "outside-kb", f"is not part of what is checked ({where}); "
                                    "give --kb for another KB folder"))
    return problems


@click.command()
@click.argument("paths", nargs=-1, type=SafePath(path_type=Path))
@click.option("--kb", "kb_dir", type=SafePath(file_okay=False, exists=True, path_type=Path), default=None,
              help="A folder laid out like kb/ (default: the project's kb/).")
@click.option("--rules", "rules_dir", type=SafePath(file_okay=False, exists=True, path_type=Path), default=None,
              help="Evaluator rule folder to check too (default: evaluator/rules/ when --kb is not given).")
@click.option("--model-data", "model_dir", type=SafePath(file_okay=False, exists=True, path_type=Path), default=None,
              help="Model parameter folder to check too (default: evaluator/models/data/ when --kb is not given).")
@click.option("--ontology", "ontology_dir", type=SafePath(file_okay=False, exists=True, path_type=Path),
              default=ONTOLOGY_DIR,
              help="A folder laid out like ontology/ (default: the project's ontology/).")
@click.option("--no-reason", is_flag=True, help="Skip the HermiT consistency check.")
def command(paths, kb_dir, rules_dir, model_dir, ontology_dir, no_reason):
    """Check the KB (format, references, ranges, labels, SHACL, QC queries, rules, model data, HermiT).

    The whole KB is always checked, because references cross files; with PATHs, only problems in those
    files or folders are reported. Exit code 1 when there is any problem, 0 otherwise.
    """
    from policyatlas.pipeline.build import default_rules_dir, validate_project

    if paths:
        roots = [Path(d).resolve() for d in (kb_dir or KB_DIR, ontology_dir,
                                            rules_dir or default_rules_dir(kb_dir),
                                            model_dir or (MODEL_DIR if kb_dir is None else None)) if d]
        wrong = unknown_paths(paths, roots)
        if wrong:
            raise ValidationError(wrong)
    checked = validate_project(kb_dir, reason=not no_reason, rules_dir=rules_dir, ontology_dir=ontology_dir,
                               model_dir=model_dir)
    problems = checked.problems
    if paths:
        wanted = [relative(p).rstrip("/") for p in paths]
        problems = [p for p in problems if any(p.path == w or p.path.startswith(w + "/") for w in wanted)]
    if problems:
        raise ValidationError(problems)
    kb = checked.kb
    counts = ", ".join(f"{len(v)} {k}" for k, v in kb.records.items())
    if kb.schemes or kb.coverage or kb.group_sizes:
        counts += message("cli.validate.baseline_counts", schemes=len(kb.schemes), coverage=len(kb.coverage),
                          sizes=len(kb.group_sizes))
    click.echo(message("cli.validate.ok", jurisdictions=len(kb.countries), figures=len(kb.figures), counts=counts))
