"""The `policyatlas` command's front door: a plain query runs without click, everything else goes to click.

Importing click takes longer than running a library query on the embedded store, and scripts call
`policyatlas query` in loops. So `main()` (the `policyatlas` command and `python -m policyatlas`) looks at
the arguments first: `policyatlas query TEXT` or `policyatlas query -f FILE`, with `--format FMT` and
`--allow-incomplete` and nothing else, on the project's KB, runs `run_query` here, the same function the
click command calls. Anything else (another command, `--help`, `--dataset`, `--endpoint` or
POLICYATLAS_ENDPOINT, an option written another way, any mistake) goes to the click group
(`policyatlas.cli`), which gives the usual usage errors and help. Errors meant for users are reported by
`report` on both paths, so the two paths answer alike (tests/foundation/test_cli_startup.py compares them).
"""

from __future__ import annotations

import os
import re
import sys

from policyatlas.core.errors import UserError, ValidationError
from policyatlas.core.i18n import message

#: The `--format` choices of `policyatlas query` (tests check them against the click command's).
QUERY_FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "ntriples")
#: Words that may start an update (policyatlas.core.safety.UPDATE_WORDS, checked by a test), outside `#` comments
#: (cut naively: an IRI holding `#` can hide a word, and such a text is classified when the store refuses it).
#: A query without one skips the full tokeniser, whose patterns take longer to compile than a query to run.
_UPDATE_WORDS = ("ADD", "CLEAR", "COPY", "CREATE", "DELETE", "DROP", "INSERT", "LOAD", "MOVE", "USING", "WITH")
_MAY_UPDATE = re.compile(r"(?i)(?<![A-Za-z_])(?:" + "|".join(_UPDATE_WORDS) + r")(?![A-Za-z0-9_])")
_COMMENT = re.compile(r"#[^\r\n]*")


def _refuse_update(query: str) -> None:
    from policyatlas.core.safety import classify

    if classify(query) == "update":
        raise UserError(message("cli.query.update"))


def run_query(query: str, fmt: str = "table", *, endpoint: str | None = None, allow_incomplete: bool = False,
              dataset=None) -> None:
    """Run a SPARQL query through `Atlas` and write the answer to standard output (`policyatlas query`)."""
    # the query path imports only the store and the serialisers (no rdflib, pandas or evaluator)
    from policyatlas.api import Atlas
    from policyatlas.core.results import serialise

    if _MAY_UPDATE.search(_COMMENT.sub(" ", query)):
        _refuse_update(query)  # before the KB is loaded (or rebuilt)
    atlas = Atlas.load(dataset, endpoint=endpoint)
    try:
        result = atlas.query(query)
    except UserError:
        _refuse_update(query)  # an update the quick look missed: say so rather than "malformed"
        raise
    if not result.complete and not allow_incomplete:
        raise UserError(message("cli.query.incomplete", rows=len(result), note=result.note))
    try:
        text = serialise(result, fmt)
    except ValueError as err:
        raise UserError(str(err)) from None
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()
    if not result.complete:
        print(message("cli.query.warning_incomplete", note=result.note), file=sys.stderr, flush=True)


def read_query_file(path) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except UnicodeDecodeError as err:
        raise UserError(message("cli.query.not_utf8", path=path, reason=err.reason, start=err.start)) from None


def report(err: BaseException) -> int | None:
    """Print an error meant for the user as the CLI does (one line each, no traceback) and return the exit
    code 1; None for anything else (a usage error or exit is click's, a bug is the caller's to report)."""
    if isinstance(err, ValidationError):
        for problem in err.problems:
            print(str(problem), file=sys.stderr)
        print(message("cli.error.problems", n=len(err.problems)), file=sys.stderr)
    elif isinstance(err, UserError):
        print(message("cli.error.user", message=err), file=sys.stderr)
    elif isinstance(err, OSError):  # a file or socket the user named could not be used
        where = f"{err.filename}: " if getattr(err, "filename", None) else ""
        print(message("cli.error.os", where=where, reason=err.strerror or err), file=sys.stderr)
    elif isinstance(err, RecursionError):
        print(message("cli.error.nested"), file=sys.stderr)
    elif isinstance(err, MemoryError):
        print(message("cli.error.memory"), file=sys.stderr)
    else:
        return None
    return 1


def internal_error(err: BaseException) -> str:
    return message("cli.error.internal", kind=type(err).__name__, message=err)


def plain_query(args: list[str]) -> dict | None:
    """The arguments of a plain `query` command line (see the module's doc), or None for anything else."""
    if not args or args[0] != "query" or os.environ.get("POLICYATLAS_ENDPOINT"):
        return None
    query, path, fmt, allow_incomplete = None, None, "table", False
    rest = list(args[1:])
    while rest:
        arg = rest.pop(0)
        if arg in ("-f", "--file") and rest and path is None:
            path = rest.pop(0)
            if "\0" in path or not os.path.isfile(path) or not os.access(path, os.R_OK):
                return None  # click says what is wrong with it
        elif arg == "--format" and rest and rest[0] in QUERY_FORMATS:
            fmt = rest.pop(0)
        elif arg == "--allow-incomplete":
            allow_incomplete = True
        elif not arg.startswith("-") and query is None:
            query = arg
        else:
            return None
    if (query is None) == (path is None):
        return None
    if path is not None:
        try:
            query = read_query_file(path)
        except (UserError, OSError):
            return None
    if not query:
        return None
    return {"query": query, "fmt": fmt, "allow_incomplete": allow_incomplete}


def main(args: list[str] | None = None) -> None:
    """The `policyatlas` command."""
    args = sys.argv[1:] if args is None else args
    plain = plain_query(args)
    if plain is None:
        from policyatlas.cli.group import main as click_main

        click_main(args, prog_name="policyatlas")
        return
    try:
        run_query(**plain)
    except Exception as err:  # noqa: BLE001 - every error becomes one line, as in policyatlas.cli
        code = report(err)
        if code is None:
            if os.environ.get("POLICYATLAS_DEBUG"):
                raise
            print(internal_error(err), file=sys.stderr)
            code = 1
        sys.exit(code)
