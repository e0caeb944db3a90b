"""`python -m policyatlas` is the `policyatlas` command."""

from policyatlas.cli import main

main()
