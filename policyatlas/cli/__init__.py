"""Layer cli: the `policyatlas` command: the quick entry point (`quick`), the click group (`group`), option
types (`cli_types`) and one module per sub-command (`commands/`).
"""
