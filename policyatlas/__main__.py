"""`python -m policyatlas` is the `policyatlas` command (a plain query skips click: policyatlas/quick.py)."""

from policyatlas.quick import main

main()
