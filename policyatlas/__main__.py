"""`python -m policyatlas` is the `policyatlas` command (a plain query skips click: policyatlas/cli/quick.py)."""

from policyatlas.cli.quick import main

main()
