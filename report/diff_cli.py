"""`python -m report diff`: the access diff of two JSON reports, or of a git ref and this checkout.

Formats are the report's: `table` (plain text), `markdown` (the pull-request comment), `json`.
`terminal`, the diff's old word for `table`, is still accepted for one release, with a warning
on stderr: scripts that pass it keep working and are told what to write instead.

Exit status, first match wins: 2 bad input, 1 a mandatory violation the base did not have, 3
with `--fail-on-widening` when the head grants access the base did not, else 0 (`report.diff`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from apigw_guard.model.errors import InputError
from cli_support import OneLineErrorParser, wrapper_help
from offline_engine import StackConfigError

from .diff import EXIT_BAD_INPUT, compare, exit_status
from .diff_markdown import render_markdown
from .diff_sides import DiffInputError, check_same_stack, load_report, reports_for_ref
from .diff_table import render_table
from .run import PROJECT_DIR, StackNotFoundError

FORMATS = ("table", "markdown", "json")
# The deprecated spelling of `table` and the release after which it is refused.
DEPRECATED_FORMATS = {"terminal": "table"}
DEPRECATION = (
    "warning: --format terminal is deprecated and will be refused from the next release; "
    "use --format table (the same output; FORMAT=table for make)"
)


def diff_format(value: str) -> str:
    """A format word; the deprecated `terminal` becomes `table`, with a warning on stderr."""
    if value in DEPRECATED_FORMATS:
        print(DEPRECATION, file=sys.stderr)
        return DEPRECATED_FORMATS[value]
    return value


def render_json(diff: Mapping[str, Any]) -> str:
    # ensure_ascii (the default): every non-ASCII or control character is a \u escape.
    return json.dumps(diff, indent=2)


def render(diff: Mapping[str, Any], fmt: str, base: str = "base", head: str = "head") -> str:
    if fmt == "json":
        return render_json(diff)
    if fmt == "markdown":
        return render_markdown(diff, base, head)
    return render_table(diff, base, head)


def _parser(prog: str, wrapper: str | None) -> OneLineErrorParser:
    parser = OneLineErrorParser(
        prog=prog,
        help_command=wrapper_help(wrapper) if wrapper else None,
        description="What a change does to access: the difference between two JSON reports "
        "(or between a git ref and this checkout). Exit 2 on bad input, 1 when the head has a "
        "mandatory violation the base did not have, 3 with --fail-on-widening when the head "
        "grants access the base did not (first match wins), else 0.",
    )
    parser.add_argument("base", nargs="?", type=Path, help="base report (JSON)")
    parser.add_argument("head", nargs="?", type=Path, help="head report (JSON)")
    parser.add_argument("--base-ref", help="build the base report from this git ref instead")
    parser.add_argument("--stack", default="dev", help="stack for --base-ref (default: dev)")
    parser.add_argument(
        "--format",
        type=diff_format,
        choices=FORMATS,
        default="table",
        dest="fmt",
        help="table (default), markdown or json; 'terminal' is a deprecated name for table",
    )
    parser.add_argument(
        "--fail-on-widening",
        action="store_true",
        help="exit 3 when the head grants access the base did not: a new operation, consumer "
        "or (consumer, operation) pair, a scope added to an operation or a consumer, an "
        "operation less protected (docs/ci.md: Widening)",
    )
    return parser


def main(
    argv: Sequence[str] | None = None,
    prog: str = "python -m report diff",
    wrapper: str | None = None,
) -> int:
    """`wrapper` is the Makefile's command (`make report-diff`), whose help is `make help`."""
    parser = _parser(prog, wrapper)
    args = parser.parse_args(argv)
    try:
        if args.base_ref:
            if args.base or args.head:
                parser.error("give either BASE.json HEAD.json or --base-ref, not both")
            base, head = reports_for_ref(args.base_ref, args.stack, PROJECT_DIR)
            labels = (args.base_ref, "this checkout")
        elif args.base and args.head:
            base, head = load_report(args.base, side="base"), load_report(args.head)
            labels = (args.base.name, args.head.name)
            check_same_stack(base, head, labels)
        else:
            parser.error("give BASE.json HEAD.json, or --base-ref REF")
        diff = compare(base, head)
    except (DiffInputError, InputError, StackConfigError, StackNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        print(render(diff, args.fmt, *labels))
    except BrokenPipeError:  # `... | head`: the reader left, which is not an error
        sys.stderr.close()
    return exit_status(diff, fail_on_widening=args.fail_on_widening)
