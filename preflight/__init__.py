"""Checks `make preview`, `make up` and `make destroy` run before the Pulumi CLI changes anything.

`secrets` decides, as the CLI does, which secrets provider a stack uses (so whether it needs a
passphrase); `cli` asks the CLI for the backend and its stacks; `python -m preflight` runs the
checks and selects (or, when asked, creates) the stack.
"""
