#!/usr/bin/env python3
"""Build the access-diff comment of a pull request on the trusted side (access-diff-comment.yml).

This runs in a checkout of the pull request's base commit, with the base's code: it builds
each stack's base report itself and takes from the pull request's run only the head reports
(JSON), which are data. Each head report is read with `report.diff_sides.load_report` (strict
JSON, checked against the base's report/report.schema.json) and rendered by the base's
`report.diff_markdown`, which escapes every value. The stacks the head has come from GitHub's list
of the pull request's files, not from the run: a run cannot hide a stack by not reporting it.

A head report of another `schemaVersion` than the base's code reads is not compared by guess:
its section says so. A newer one (the pull request changes the report's format) cannot be read
until it has merged, so a reviewer checks access in the pull request's own report and approves
it as a widening; an older one (the pull request was built on an older base) is an error that
says to update the pull request from its base.

Writes OUT/comment.md and OUT/result, one word: `error` (a head report missing, unreadable,
off-schema or of an older version), else `failed` (a new mandatory violation), else `widening`
(access the base did not grant, or a head report of a newer version), else `passed`. Prints
each stack's diff (table form) for the log.
Usage: access_diff_comment.py --head-dir DIR --pr-files FILE --pr N --base-sha SHA
       --head-sha SHA --run-url URL [--event-base-sha SHA] --out DIR
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from apigw_guard.model.errors import InputError  # noqa: E402
from offline_engine import StackConfigError  # noqa: E402
from report.diff import EXIT_NEW_MANDATORY, EXIT_WIDENING, compare, exit_status  # noqa: E402
from report.diff_markdown import COMMENT_MARKER, render_markdown  # noqa: E402
from report.diff_sides import (  # noqa: E402
    DiffInputError,
    empty_report,
    load_report,
    not_comparable,
    version_of,
)
from report.diff_table import render_table  # noqa: E402
from report.render import report_to_dict  # noqa: E402
from report.run import StackNotFoundError, build_report  # noqa: E402
from report.schema import MAX_REPORT_BYTES, SCHEMA_VERSION  # noqa: E402
from report.untrusted import md_code  # noqa: E402

# Pulumi stack names: letters, digits, `-`, `_` and `.`; anything else is not looked up.
STACK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
STACK_FILE = re.compile(r"Pulumi\.(?P<stack>[^/]+)\.yaml")
SHA = re.compile(r"[0-9a-f]{40}")
# GitHub refuses a comment over 65,536 characters; leave room for the header.
MAX_COMMENT = 60_000
RESULTS = ("passed", "widening", "failed", "error")
HEADLINES = {
    "passed": "PASSED: no new mandatory violation, and no access the base did not grant.",
    "widening": "WIDENS ACCESS: a reviewer must approve before this pull request merges.",
    "failed": "FAILED: a new mandatory violation; `pulumi up` would be blocked.",
    "error": "ERROR: the access diff could not be built for every stack (see below).",
}


@dataclass
class Section:
    stack: str
    result: str
    markdown: str
    summary: str
    log: str = ""
    notes: list[str] = field(default_factory=list)


def stacks_in(root: Path) -> set[str]:
    out = set()
    for path in root.glob("Pulumi.*.yaml"):
        match = STACK_FILE.fullmatch(path.name)
        if match and STACK_NAME.fullmatch(match.group("stack")):
            out.add(match.group("stack"))
    return out


def head_stacks(base: set[str], files: Iterable[Mapping[str, Any]]) -> set[str]:
    """The base's stacks with the pull request's added, removed and renamed stack files."""
    head = set(base)

    def stack_of(name: object) -> str | None:
        match = STACK_FILE.fullmatch(str(name or ""))
        return match.group("stack") if match else None

    for entry in files:
        stack, status = stack_of(entry.get("filename")), entry.get("status")
        if status == "renamed" and (old := stack_of(entry.get("previous_filename"))):
            head.discard(old)
        if stack and status == "removed":
            head.discard(stack)
        elif stack and status in ("added", "copied", "renamed"):
            head.add(stack)
    return head


class NotComparableError(DiffInputError):
    """A head report of another `schemaVersion` than this (the base's) code reads."""

    def __init__(self, why: str, newer: bool) -> None:
        super().__init__(why)
        self.newer = newer


def _other_version(path: Path) -> NotComparableError | None:
    """Why the head report's `schemaVersion` is not this code's; None when it is, or when the
    file is no JSON object at all (then the schema check names the fault)."""
    try:
        with path.open("rb") as handle:
            value = json.loads(handle.read(MAX_REPORT_BYTES + 1).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    version = version_of(value)
    why = not_comparable(version)
    if why is None or not isinstance(value, dict):
        return None
    newer = type(version) is int and version > SCHEMA_VERSION
    return NotComparableError(why, newer)


def _not_comparable(title: str, stack: str, err: NotComparableError) -> Section:
    """The section of a head report the base's code cannot compare, and what to do."""
    why = md_code(f"the pull request's report: {err}", in_table=False)
    if err.newer:
        text = (
            f"#### Not comparable\n\n{why}: this pull request changes the report's format, "
            "which the base's code cannot read, and nothing is guessed. A reviewer checks "
            "access in the pull request's own report (the run's `access-diff` artifact) and "
            "approves it as a widening; the diff is shown again once this has merged."
        )
        result = "widening"
    else:
        text = (
            f"#### Not comparable\n\n{why}: the pull request's run used an older report "
            "format than its base. Update the pull request from its base branch (merge or "
            "rebase) to rebuild its report."
        )
        result = "error"
    markdown = f"{title}\n\n{text}"
    summary = f"Stack {md_code(stack, in_table=False)}: not comparable ({err})."
    return Section(stack, result, markdown, summary, f"not comparable: {err}")


def _load_head(head_dir: Path, stack: str) -> dict[str, Any]:
    reports = head_dir / "reports"
    path = reports / f"{stack}.json"
    if not STACK_NAME.fullmatch(stack):
        raise DiffInputError(f"stack name {stack!r} is not a Pulumi stack name")
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise DiffInputError("the head report is not a regular file")
    if not path.exists():
        raise DiffInputError(
            "the pull request's run built no report for this stack (its `access-diff` check "
            "says why)"
        )
    other = _other_version(path)
    if other is not None:
        raise other
    report = load_report(path)
    if report["stack"] != stack:
        raise DiffInputError(f"the head report is of stack {report['stack']!r}, not {stack!r}")
    return report


def _base_report(root: Path, stack: str, notes: list[str]) -> dict[str, Any]:
    try:
        return report_to_dict(build_report(stack, project_dir=root))
    except (InputError, StackConfigError, StackNotFoundError) as err:
        notes.append(
            "The base's stack could not be built "
            f"({md_code(str(err), in_table=False)}): compared with an empty base, so "
            "everything reads as added."
        )
        return empty_report(stack)


def section(
    root: Path, head_dir: Path, stack: str, base: set[str], head: set[str], labels: Sequence[str]
) -> Section:
    title = f"### Stack {md_code(stack, in_table=False)}"
    if stack not in head:
        return Section(
            stack,
            "passed",
            f"{title}\n\nStack file removed by this pull request: `deploy.yml` stops updating "
            "this stack; nothing in AWS changes until someone destroys it.",
            f"Stack {md_code(stack, in_table=False)}: stack file removed.",
        )
    notes: list[str] = []
    try:
        head_report = _load_head(head_dir, stack)
    except NotComparableError as err:
        return _not_comparable(title, stack, err)
    except DiffInputError as err:
        text = md_code(str(err), in_table=False)
        markdown = f"{title}\n\n**ERROR:** the head report cannot be used: {text}."
        return Section(stack, "error", markdown, markdown.replace(f"{title}\n\n", ""), str(err))
    if stack in base:
        base_report = _base_report(root, stack, notes)
    else:
        notes.append("New stack: the base has no such stack file, so everything reads as added.")
        base_report = empty_report(stack)
    diff = compare(base_report, head_report)
    status = exit_status(diff, fail_on_widening=True)
    result = {EXIT_NEW_MANDATORY: "failed", EXIT_WIDENING: "widening"}.get(status, "passed")
    body = render_markdown(diff, *labels, marker=False)
    if diff["changed"]:  # the diff has its own heading: the notes go under it
        heading, rest = body.split("\n", 1)
        markdown = "\n\n".join([heading, *notes]) + "\n" + rest
    else:
        markdown = "\n\n".join([title, *notes, body])
    counts = (
        f"{len(diff['widening'])} widening change(s), "
        f"{diff['new_mandatory_violations']} new mandatory violation(s)"
    )
    summary = f"Stack {md_code(stack, in_table=False)}: {counts}."
    return Section(stack, result, markdown, summary, render_table(diff, *labels), notes)


def overall(results: Iterable[str]) -> str:
    """error, then failed, then widening, then passed: the first that any stack has."""
    found = set(results)
    for result in ("error", "failed", "widening"):
        if result in found:
            return result
    return "passed"


def compose(
    sections: Sequence[Section],
    *,
    pr: int,
    base_sha: str,
    run_url: str,
    notes: Sequence[str] = (),
) -> tuple[str, str]:
    result = overall(s.result for s in sections)
    top = [
        COMMENT_MARKER,
        "## Access changes",
        "",
        f"**{HEADLINES[result]}**",
        "",
        "What the pull request's program would create, as the report its own run built, "
        f"against the base `{base_sha[:12]}`. Rendered by the base branch's code: the "
        "pull request's report is data, checked against the base's report schema, and every "
        "value in it is shown as literal text. Changes this pull request makes to the report, "
        "its schema or this comment take effect once it has merged.",
    ]
    if result == "widening":
        top += [
            "",
            "This pull request grants access the base does not (the *Widens access* tables). "
            "A required reviewer approves it in the `access-widening` environment of "
            f"[this run]({run_url}); until then the `access-diff` status stays pending.",
        ]
    top += ["", *notes] if notes else []
    if not sections:
        top += ["", "No stack file in the base or the head."]
    text = "\n".join(top)
    left_out = []
    for s in sections:
        block = "\n\n---\n\n" + s.markdown
        if len(text) + len(block) > MAX_COMMENT:
            left_out.append(s)
            continue
        text += block
    if left_out:
        text += "\n\n---\n\nLeft out (the comment's size limit; the run's log has each diff):\n"
        text += "\n".join(f"- {s.summary}" for s in left_out)
    return text + "\n", result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--head-dir", type=Path, required=True)
    parser.add_argument("--pr-files", type=Path, required=True)
    parser.add_argument("--pr", type=int, required=True)
    parser.add_argument("--base-sha", required=True)
    parser.add_argument("--head-sha", required=True)
    parser.add_argument("--event-base-sha", default="")
    parser.add_argument("--run-url", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for name in ("base_sha", "head_sha"):
        if not SHA.fullmatch(getattr(args, name)):
            parser.error(f"--{name.replace('_', '-')}: not a 40-hex commit")
    files = json.loads(args.pr_files.read_text(encoding="utf-8"))
    base = stacks_in(args.root)
    head = head_stacks(base, files)
    labels = (f"base {args.base_sha[:12]}", f"#{args.pr} at {args.head_sha[:12]}")
    notes = []
    # The base the pull request's run saw (its artifact: a claim, used only for this note).
    event_base = args.event_base_sha.strip()
    if SHA.fullmatch(event_base) and event_base != args.base_sha:
        notes.append(
            "The base branch moved after the pull request's run: its report was built on "
            "an older base. Push to the pull request to rebuild it."
        )
    sections = [
        section(args.root, args.head_dir, stack, base, head, labels)
        for stack in sorted(base | head)
    ]
    text, result = compose(
        sections, pr=args.pr, base_sha=args.base_sha, run_url=args.run_url, notes=notes
    )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "comment.md").write_text(text, encoding="utf-8")
    (args.out / "result").write_text(result + "\n", encoding="utf-8")
    for s in sections:
        print(f"== stack {s.stack}: {s.result}")
        print(s.log or s.summary)
    print(f"result: {result}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
