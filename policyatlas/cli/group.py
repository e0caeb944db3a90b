"""The `policyatlas` command: one group whose sub-commands live in `policyatlas/cli/commands/`.

Each module there defines `command`, a click command. The group knows the commands and their one-line help
from the table below, so `policyatlas --help` imports none of them (a sub-command's module is imported only
when it runs or shows its own help), and each module defers its heavy imports (rdflib, pandas, the
evaluator) to the function that needs them. This file also turns user errors into `path:line: message`
lines with exit code 1 (usage errors exit 2, as click does) and makes sure no traceback reaches the user.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from policyatlas import __version__
from policyatlas.cli.quick import internal_error, report

#: name -> one-line help; tests/foundation/test_cli_startup.py checks it against each command's own help.
COMMANDS: dict[str, str] = {
    "build": "Validate and compile the KB into one RDF dataset, plus JSON-LD and an Oxigraph store.",
    "evaluate": "Find the gaps in a country's programmes or in a bundle, with a CODI-style scorecard.",
    "export": "Export the KB for other tools: turtle, ntriples, jsonld, or csv.",
    "graph": "Export the instrument graph (complements, prerequisites, substitutes, conflicts).",
    "publish": "Replace GRAPH in a shared SPARQL 1.1 store with the compiled KB.",
    "query": "Run a SPARQL query on the compiled KB or a SPARQL 1.1 endpoint.",
    "simulate": "Simulate a bundle over ten years: unemployment, people without income, cost, with bands.",
    "serve": "Serve the KB as a read-only SPARQL endpoint at /sparql, with a query page at /.",
    "stats": "Counts and coverage of the KB by type, income group and region.",
    "suggest": "Propose a staged bundle for a country within its fiscal space.",
    "ui": "Start the Streamlit app for policymakers (entry script ui/app.py).",
    "validate": "Check the KB (format, references, SHACL, QC queries, rules, HermiT).",
}


class AtlasGroup(click.Group):
    """Loads each sub-command from its module on first use, so `--help` stays fast."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module = importlib.import_module(f"policyatlas.cli.commands.{name.replace('-', '_')}")
        return module.command

    def format_commands(self, ctx, formatter):
        """The listing in `--help`, from the table (no sub-command module is imported)."""
        rows = [(name, COMMANDS[name]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt, SystemExit):
            raise
        except Exception as err:  # errors meant for users: one line each (policyatlas.cli.quick.report), exit 1
            code = report(err)
            if code is not None:
                sys.exit(code)
            if os.environ.get("POLICYATLAS_DEBUG"):  # a bug: one line, the traceback with POLICYATLAS_DEBUG=1
                raise
            click.echo(internal_error(err), err=True)
            sys.exit(1)


@click.group(cls=AtlasGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policyatlas")
def main():
    """Policy Atlas: knowledge base and evaluator of policy responses to AI-driven job displacement."""
