"""The two sides of an access diff: a report file, a git ref's report, or an empty side and why.

An empty side says why it is empty (`empty_report`): a new stack (the base has no stack file),
a removed stack (the head has none), a base that cannot be built (a broken stack file or
spec, or a commit without the program), or a base whose report is of another `schemaVersion`
than this code reads (`base not comparable`: older, newer or none). A base that cannot be built
or compared is compared as empty, with the reason, instead of failing every pull request until
the base is fixed, and instead of guessing what an older report's fields meant: the pull
request that fixes or changes it must be able to pass, and every operation of the head reads
as added, so `--fail-on-widening` asks a reviewer. The head must be a report of this code's
version. Reports of two stacks are refused (`check_same_stack`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .render import report_to_dict
from .run import StackNotFoundError, build_report
from .schema import MAX_REPORT_BYTES, SCHEMA_VERSION, ReportFormatError, parse_report, validate

# Why one side of a diff has no report (`empty_report`), as the diff's `stack_change` says it.
NEW_STACK = "new stack"
STACK_REMOVED = "stack removed"
BASE_NOT_BUILT = "base not built"
BASE_NOT_COMPARABLE = "base not comparable"
_ABSENT = "absent"  # the key an empty report carries its reason under (never in a report file)
# A Pulumi stack name; another `stack` of a report not read by the schema is not shown.
_STACK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


class DiffInputError(ValueError):
    """A report that cannot be read, reports of two stacks, a bad ref; printed as one line."""


def absent(report: Mapping[str, Any]) -> dict[str, str] | None:
    """The state and reason an `empty_report` carries; None for a report."""
    value = report.get(_ABSENT)
    return dict(value) if isinstance(value, dict) else None


def check_same_stack(
    base: Mapping[str, Any], head: Mapping[str, Any], labels: Sequence[str]
) -> None:
    """Refuse reports of two stacks: what changed from one to the other is not an access diff.

    A renamed stack file is a removed stack and a new one: each is diffed on its own.
    """
    b, h = base.get("stack"), head.get("stack")
    if b and h and b != h:
        raise DiffInputError(
            f"{labels[0]} is a report of stack {b!r} and {labels[1]} of stack {h!r}: an access "
            "diff compares one stack at two commits (a renamed stack file is a removed stack "
            "and a new one; diff each against its own base)"
        )


def absent_note(
    state: str, stack: str, reason: str = "", show: Callable[[object], str] = str
) -> str:
    """What an empty side means, in the diff's own words; values pass through `show`."""
    if state == NEW_STACK:
        return (
            f"New stack: the base has no {show(f'Pulumi.{stack}.yaml')}, so every operation "
            "and consumer reads as added."
        )
    if state == STACK_REMOVED:
        return (
            f"Stack removed: the head has no {show(f'Pulumi.{stack}.yaml')}. Nothing in AWS "
            f"changes until someone destroys the stack ({show(f'pulumi destroy --stack {stack}')}"
            "); until then it keeps serving what reads as removed here."
        )
    if state == BASE_NOT_COMPARABLE:
        return (
            f"The base report is not comparable ({show(reason or 'another schemaVersion')}): "
            "what its fields mean is not guessed, so it is compared as an empty base and every "
            "operation and consumer reads as added. Review access in the head report itself."
        )
    return (
        f"The base could not be built ({show(reason or 'no reason given')}): compared against "
        "an empty base, so every operation and consumer reads as added."
    )


def version_of(data: object) -> object:
    """A report's `schemaVersion` as written (None when it has none)."""
    return data.get("schemaVersion") if isinstance(data, dict) else None


def not_comparable(version: object) -> str | None:
    """Why a report of `version` cannot be compared with this code's; None when it can."""
    if version == SCHEMA_VERSION and type(version) is int:
        return None
    written = "none" if version is None else repr(version)[:40]
    return f"its schemaVersion is {written}; this code reads {SCHEMA_VERSION}"


def report_at_ref(ref: str, stack: str, repo: Path) -> dict[str, Any]:
    """The JSON report of `stack` at git `ref`, built in a temporary worktree.

    The report runs with this checkout's Python (its venv), but with the ref's own `policies/`
    and `provider/` first on PYTHONPATH, so the base is judged by the base's model and pack and
    built by the base's components (a ref older than `provider/` has its components in its own
    tree). The worktree is
    removed on every path. A stack file the ref does not have gives an empty report marked as
    a new stack; a ref whose report cannot be built (a broken stack file or spec, no program)
    gives an empty report marked with the reason, so a pull request that fixes the base is not
    refused for the base's fault. A ref git does not know is bad input.
    """
    tmp = Path(tempfile.mkdtemp(prefix="report-diff-"))
    worktree = tmp / "base"
    try:
        added = subprocess.run(
            ["git", "-C", str(repo), "worktree", "add", "--detach", str(worktree), ref],
            capture_output=True,
            text=True,
            check=False,
        )
        if added.returncode != 0:
            raise DiffInputError(f"--base-ref {ref!r}: {_last_line(added.stderr)}")
        if not (worktree / f"Pulumi.{stack}.yaml").is_file():
            return empty_report(stack, NEW_STACK)
        if not (worktree / "__main__.py").is_file() or not (worktree / "report").is_dir():
            return empty_report(stack, BASE_NOT_BUILT, f"{ref!r} has no program or no report")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [
                str(worktree / "policies"),
                str(worktree / "provider"),
                str(worktree),
                env.get("PYTHONPATH", ""),
            ]
        ).rstrip(os.pathsep)
        proc = subprocess.run(
            [sys.executable, "-m", "report", "--stack", stack, "--format", "json"],
            cwd=worktree,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode not in (0, 1):  # 1 is a report with a mandatory violation
            return empty_report(stack, BASE_NOT_BUILT, f"{ref!r}: {_last_line(proc.stderr)}")
        try:
            data = _parse(proc.stdout, f"report of {ref!r}")
        except DiffInputError as err:
            return empty_report(stack, BASE_NOT_BUILT, str(err))
        why = not_comparable(version_of(data))
        if why:
            return empty_report(stack, BASE_NOT_COMPARABLE, f"the report of {ref!r}: {why}")
        faults = validate(data)
        if faults:
            return empty_report(
                stack, BASE_NOT_BUILT, f"the report of {ref!r}: off-schema: {'; '.join(faults)}"
            )
        return data
    finally:
        subprocess.run(
            ["git", "-C", str(repo), "worktree", "remove", "--force", str(worktree)],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run(
            ["git", "-C", str(repo), "worktree", "prune"], capture_output=True, check=False
        )


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "failed without a message"


def _parse(text: str, source: str) -> dict[str, Any]:
    """A report printed by a git ref's own code (`report_at_ref`): trusted, possibly older."""
    # A report printed by an older `make report` may start with make's echo of the command.
    start = text.find("{")
    try:
        data = json.loads(text[start:] if start >= 0 else text)
    except json.JSONDecodeError as err:
        raise DiffInputError(f"{source}: not a JSON report ({err})") from None
    if not isinstance(data, dict) or "operations" not in data:
        raise DiffInputError(f"{source}: not a JSON report (no 'operations')")
    return data


def empty_report(stack: str, state: str | None = None, reason: str = "") -> dict[str, Any]:
    """The side of a diff that has no report: every operation and consumer of the other is new
    (or, for the head, gone).

    `state` (NEW_STACK, STACK_REMOVED, BASE_NOT_BUILT) and `reason` make the diff say why; an
    empty report without a state is compared silently, as a caller that says why itself wants.
    """
    report: dict[str, Any] = {"stack": stack, "operations": [], "consumers": [], "verdicts": []}
    if state:
        report[_ABSENT] = {"state": state, "reason": reason}
    return report


def load_report(path: Path, side: str = "head") -> dict[str, Any]:
    """A report file, checked as strict JSON against report/report.schema.json.

    A file may come from anywhere (a pull request's own run), so it is read as data only and
    refused, with the first faults named, unless it matches the schema this code was built with.
    As the `base` side, a report of another `schemaVersion` is no error: it becomes an empty
    base marked `base not comparable`, named by its stack when that is a plain stack name.
    """
    try:
        with path.open("rb") as handle:
            # One byte past the limit, so an oversized file is refused as such, not cut short.
            data = handle.read(MAX_REPORT_BYTES + 1)
    except OSError as err:
        raise DiffInputError(f"{path}: {err.strerror or err}") from None
    try:
        return parse_report(data)
    except ReportFormatError as err:
        if side == "base":
            other = _other_version(data)
            if other is not None:
                stack, why = other
                return empty_report(stack, BASE_NOT_COMPARABLE, f"{path.name}: {why}")
        raise DiffInputError(f"{path}: not a report: {err}") from None


def _other_version(data: bytes) -> tuple[str, str] | None:
    """(stack, why) for JSON whose `schemaVersion` is not this code's; None for anything else
    (not JSON, or this version but off-schema: that is a broken report, not an older one)."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    why = not_comparable(version_of(value))
    if why is None or not isinstance(value, dict):
        return None
    stack = value.get("stack")
    name = stack if isinstance(stack, str) and _STACK_NAME.fullmatch(stack) else ""
    return name, why


def reports_for_ref(ref: str, stack: str, project_dir: Path) -> tuple[dict[str, Any], Any]:
    """The base (`stack` at `ref`) and the head (`stack` in `project_dir`), for --base-ref.

    A head without the stack file is a removed stack, unless the base lacks it too (then the
    stack exists nowhere: `StackNotFoundError`). A head that cannot be built is the pull
    request's own fault and stays an error.
    """
    base = report_at_ref(ref, stack, project_dir)
    try:
        head: dict[str, Any] = report_to_dict(build_report(stack, project_dir=project_dir))
    except StackNotFoundError:
        if (absent(base) or {}).get("state") == NEW_STACK:
            raise
        head = empty_report(stack, STACK_REMOVED)
    return base, head
