"""What every command of this repository shares: one-line argument errors and its own name.

`python -m report`, `python -m report diff` and `python -m m2m_client call` print a bad
argument as one line that says where help is, name themselves as the user typed them
(`.venv/bin/python -m report`), and accept a wrapper's name first (`--prog 'make report'`, from
the Makefile), whose hints then point to `make help`. Plain `argparse` and `sys`, no import of
this repository: the client (`m2m_client`) and the report depend on it, not on each other.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

# argparse's own exit status for a usage error, which every command here keeps.
EXIT_USAGE = 2


class OneLineErrorParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr, exit 2.

    argparse prints its usage block before the error; this prints the error and where the
    arguments are explained, like every other error of these commands: `<prog> --help`, or
    `help_command` (a wrapper's, e.g. `make help`).
    """

    def __init__(self, *args: Any, help_command: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help_command = help_command

    def error(self, message: str) -> NoReturn:
        hint = self.help_command or f"{self.prog} --help"
        self.exit(EXIT_USAGE, f"error: {message} (see `{hint}`)\n")


def wrapper_help(wrapper: str) -> str:
    """Where a wrapper's user reads about its variables: `make report` -> `make help`.

    The Makefile is the one wrapper; it passes `--prog '<make command> <target>'`, and
    `<make command> --help` would be make's own help, not this command's.
    """
    return f"{wrapper.rsplit(' ', 1)[0]} help"


def typed_command(default: str) -> str:
    """The command as the user typed it, e.g. `.venv/bin/python -m m2m_client`.

    The interpreter's own command line (`sys.orig_argv`) minus the arguments the module got;
    `default` when nothing is left (an embedded interpreter).
    """
    given = len(sys.argv) - 1
    typed = sys.orig_argv[: len(sys.orig_argv) - given] if given else list(sys.orig_argv)
    return shlex.join(typed) if typed else default


def split_wrapper(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """A wrapper's own name, given as the first two arguments (`--prog 'make call'`), and the
    rest; None when there is none."""
    args = list(argv)
    if args[:1] == ["--prog"] and len(args) > 1:
        return args[1], args[2:]
    return None, args
