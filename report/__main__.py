"""`python -m report [--stack dev] [--format table|markdown|json]`, and `python -m report diff`.

Exit status: 0 when no mandatory violation, 1 when the pack reports one, 2 on bad input (a
missing stack file, bad config, a broken spec, a bad argument), which is printed as one clear
line.

`--help` names the command as it was typed (`.venv/bin/python -m report`). The Makefile
passes its own as the first two arguments, `--prog 'make report'` (or `'make report-diff'`
before `diff`); hints then name make's variables (`STACK=<name>`) instead of the options.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from apigw_guard.model.errors import InputError
from cli_support import OneLineErrorParser, split_wrapper, typed_command, wrapper_help
from offline_engine import StackConfigError

from . import diff_cli
from .render import FORMATS, render
from .run import PROJECT_DIR, StackNotFoundError, build_report

# Bad input: a stack file the CLI would refuse, or config/spec the program refuses.
USER_ERRORS = (InputError, StackConfigError, StackNotFoundError)


DEFAULT_PROG = "python -m report"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; `argv` defaults to the command line, whose typed command names `--help`."""
    prog = DEFAULT_PROG
    if argv is None:
        argv, prog = sys.argv[1:], typed_command(DEFAULT_PROG)
    wrapper, argv = split_wrapper(argv)  # the Makefile's own command, e.g. `make report`
    if argv[:1] == ["diff"]:  # the access diff of two reports (report/diff_cli.py)
        return diff_cli.main(argv[1:], prog=wrapper or f"{prog} diff", wrapper=wrapper)
    parser = OneLineErrorParser(
        prog=wrapper or prog,
        help_command=wrapper_help(wrapper) if wrapper else None,
        description="Offline authorization report: who can call each operation, and the "
        "policy pack's verdicts, with no Pulumi CLI and no AWS account.",
    )
    parser.add_argument("--stack", default="dev", help="stack name (reads Pulumi.<stack>.yaml)")
    parser.add_argument("--format", choices=FORMATS, default="table", dest="fmt")
    parser.add_argument(
        "--preview",
        action="store_true",
        help="simulate `pulumi preview`: values AWS assigns (pool ARN, ids) are unknown",
    )
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=PROJECT_DIR,
        help="Pulumi project to run (default: this repository's program)",
    )
    args = parser.parse_args(argv)
    try:
        report = build_report(args.stack, project_dir=args.project_dir, preview=args.preview)
    except StackNotFoundError as err:
        choose = "STACK=<name>" if wrapper else "--stack <name>"
        print(f"error: {err} ({choose})", file=sys.stderr)
        return 2
    except USER_ERRORS as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    try:
        print(render(report, args.fmt))
    except BrokenPipeError:  # `make report | head`: the reader left, which is not an error
        sys.stderr.close()
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
