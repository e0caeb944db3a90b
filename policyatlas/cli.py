"""The `policyatlas` command: one group whose sub-commands live in `policyatlas/commands/`.

Each module there defines `command`, a click command; this file only finds them and turns user errors into
`path:line: message` lines with exit code 1 (usage errors exit 2, as click does).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from policyatlas import commands
from policyatlas.errors import UserError, ValidationError


class AtlasGroup(click.Group):
    """Loads each sub-command from its module on first use, so `--help` stays fast."""

    def list_commands(self, ctx):
        return sorted(m.name.replace("_", "-") for m in pkgutil.iter_modules(commands.__path__)
                      if not m.name.startswith("_"))

    def get_command(self, ctx, name):
        if name not in self.list_commands(ctx):
            return None
        module = importlib.import_module(f"policyatlas.commands.{name.replace('-', '_')}")
        return module.command

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ValidationError as err:
            for problem in err.problems:
                click.echo(str(problem), err=True)
            click.echo(f"{len(err.problems)} problem(s) found; nothing was changed.", err=True)
            sys.exit(1)
        except UserError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(1)


@click.group(cls=AtlasGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policyatlas")
def main():
    """Policy Atlas: knowledge base and evaluator of policy responses to AI-driven job displacement."""
