"""Sub-commands of `policyatlas`: one module per command, each defining `command` (a click command)."""
