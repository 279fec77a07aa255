"""`python -m report diff`: format words, exit status and its precedence, bad input as one line,
reports of two stacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from report.__main__ import main
from report.render import report_to_dict
from report.run import build_report
from tests.report.diff_reports import (
    BASE,
    HEAD,
    PLAIN,
    W,
    op,
    report,
    variant,
    verdict,
    write_report,
)


def test_a_report_against_itself_says_no_change_in_access(tmp_path: Path, capsys) -> None:
    data = report_to_dict(build_report("dev"))
    path = tmp_path / "dev.json"
    path.write_text(json.dumps(data))
    lines = {
        "table": "No change in access for stack 'dev'.",
        "markdown": "No change in access for stack `dev`.",
    }
    for fmt, line in lines.items():
        assert main(["diff", str(path), str(path), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert out.strip().splitlines()[-1] == line
    assert main(["diff", str(path), str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["changed"] is False


def test_exit_1_only_for_a_mandatory_violation_the_base_did_not_have(
    tmp_path: Path, capsys
) -> None:
    base, head = tmp_path / "base.json", tmp_path / "head.json"
    base.write_text(json.dumps(BASE))
    head.write_text(json.dumps(HEAD))
    assert main(["diff", str(base), str(head)]) == 1
    assert main(["diff", str(head), str(head)]) == 0  # the same violation on both sides
    assert main(["diff", str(head), str(base)]) == 0  # cleared
    capsys.readouterr()


def test_unreadable_report_is_one_line_and_exit_2(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("not json")
    assert main(["diff", str(bad), str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {bad}: not a report: not JSON (Expecting value")
    assert len(err.strip().splitlines()) == 1


def test_the_format_word_is_table_and_terminal_is_deprecated(tmp_path: Path, capsys) -> None:
    path = write_report(tmp_path, "same.json", PLAIN)
    assert main(["diff", path, path]) == 0
    default = capsys.readouterr()
    assert main(["diff", path, path, "--format", "table"]) == 0
    assert capsys.readouterr() == default
    assert main(["diff", path, path, "--format", "terminal"]) == 0
    deprecated = capsys.readouterr()
    assert deprecated.out == default.out
    assert deprecated.err == (
        "warning: --format terminal is deprecated and will be refused from the next release; "
        "use --format table (the same output; FORMAT=table for make)\n"
    )
    with pytest.raises(SystemExit) as exited:
        main(["diff", path, path, "--format", "xml"])
    assert exited.value.code == 2
    assert capsys.readouterr().err == (
        "error: argument --format: invalid choice: 'xml' (choose from 'table', 'markdown', 'json') "
        "(see `python -m report diff --help`)\n"
    )


def test_exit_status_precedence_bad_input_then_mandatory_then_widening(
    tmp_path: Path, capsys
) -> None:
    base = write_report(tmp_path, "base.json", PLAIN)
    wider = variant(ops=[*PLAIN["operations"], op("DELETE", "/pets", W, ["b"])])
    violation = [verdict("mandatory", "rule", "api", "open")]
    wider_and_violating = report(wider["operations"], wider["consumers"], violation)
    narrower_and_violating = report([PLAIN["operations"][0]], PLAIN["consumers"], violation)
    broken = write_report(tmp_path, "broken.json", {**wider, "schemaVersion": 99})
    cases = [
        (broken, 2),  # bad input wins over the widening it would show
        (
            write_report(tmp_path, "a.json", wider_and_violating),
            1,
        ),  # the violation wins over widening
        (write_report(tmp_path, "b.json", narrower_and_violating), 1),
        (write_report(tmp_path, "c.json", wider), 3),
        (write_report(tmp_path, "d.json", variant(ops=[PLAIN["operations"][0]])), 0),
    ]
    for head, status in cases:
        assert main(["diff", base, head, "--fail-on-widening"]) == status, head
    # Without the option widening is shown but does not fail.
    assert main(["diff", base, cases[3][0]]) == 0
    out = capsys.readouterr().out
    assert "WIDENS ACCESS: 1 change(s) grant access the base did not." in out


def test_a_head_report_that_is_not_a_report_is_exit_2_naming_the_fault(
    tmp_path: Path, capsys
) -> None:
    base = write_report(tmp_path, "base.json", PLAIN)
    head = write_report(tmp_path, "head.json", {**PLAIN, "operations": [{"method": "GET"}]})
    assert main(["diff", base, head, "--format", "markdown"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"error: {head}: not a report: does not match the report schema (schemaVersion 1): "
        "$.operations[0]: required property 'api' missing; "
        "$.operations[0]: required property 'path' missing; "
        "$.operations[0]: required property 'status' missing; "
        "$.operations[0]: required property 'scopes' missing; "
        "$.operations[0]: required property 'scope_source' missing\n"
    )


def test_reports_of_two_stacks_are_refused(tmp_path: Path, capsys) -> None:
    base = write_report(tmp_path, "dev.json", PLAIN)
    head = write_report(tmp_path, "staging.json", {**PLAIN, "stack": "staging"})
    assert main(["diff", base, head]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "error: dev.json is a report of stack 'dev' and staging.json of stack 'staging': an "
        "access diff compares one stack at two commits (a renamed stack file is a removed "
        "stack and a new one; diff each against its own base)\n"
    )
