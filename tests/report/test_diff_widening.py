"""`report.widening`: what `--fail-on-widening` refuses, and what it lets pass."""

from __future__ import annotations

import pytest

from report.diff import compare, exit_status
from report.diff_sides import empty_report
from tests.report.diff_reports import (
    PLAIN,
    R,
    W,
    consumer,
    op,
    variant,
)

WIDENING_CASES = {
    "new operation": (
        variant(ops=[*PLAIN["operations"], op("DELETE", "/pets", W, ["b"])]),
        [{"kind": "new operation", "subject": "DELETE /pets", "values": ["b"]}],
    ),
    "new open operation": (
        variant(ops=[*PLAIN["operations"], op("GET", "/open", [], [], status="UNPROTECTED")]),
        [{"kind": "new operation", "subject": "GET /open", "values": ["ANYONE (no token needed)"]}],
    ),
    "new consumer": (
        variant(consumers=[*PLAIN["consumers"], consumer("c", [], [])]),
        [{"kind": "new consumer", "subject": "c", "values": []}],
    ),
    "a (consumer, operation) pair appears": (
        variant(ops=[PLAIN["operations"][0], op("POST", "/pets", W, ["b", "a"])]),
        [{"kind": "new caller", "subject": "POST /pets", "values": ["a"]}],
    ),
    "a scope added to an operation": (
        variant(ops=[PLAIN["operations"][0], op("POST", "/pets", W + R, ["b"])]),
        [{"kind": "scope added", "subject": "POST /pets", "values": ["read"]}],
    ),
    "a scope replaced on an operation (not a subset)": (
        variant(ops=[PLAIN["operations"][0], op("POST", "/pets", R, ["b"])]),
        [{"kind": "scope added", "subject": "POST /pets", "values": ["read"]}],
    ),
    "protected to open": (
        variant(ops=[PLAIN["operations"][0], op("POST", "/pets", [], [], status="UNPROTECTED")]),
        [{"kind": "less protected", "subject": "POST /pets", "values": ["protected", "open"]}],
    ),
    "protected to pending": (
        variant(ops=[PLAIN["operations"][0], op("POST", "/pets", W, [], status="pending")]),
        [{"kind": "less protected", "subject": "POST /pets", "values": ["protected", "pending"]}],
    ),
    "a consumer allowed a new scope": (
        variant(consumers=[consumer("a", R + W, ["GET /pets"]), PLAIN["consumers"][1]]),
        [{"kind": "consumer scope added", "subject": "a", "values": ["write"]}],
    ),
    "a consumer allowed a new OAuth flow": (
        variant(
            consumers=[
                consumer("a", R, ["GET /pets"], ("client_credentials", "code")),
                PLAIN["consumers"][1],
            ]
        ),
        [{"kind": "consumer flow added", "subject": "a", "values": ["code"]}],
    ),
    "an operation listed twice, once open": (
        variant(ops=[*PLAIN["operations"], op("GET", "/pets", R, [], status="exempt")]),
        [{"kind": "less protected", "subject": "GET /pets", "values": ["protected", "open"]}],
    ),
}

NARROWING_CASES = {
    "the same report": PLAIN,
    "an operation removed": variant(ops=[PLAIN["operations"][0]]),
    "a consumer removed": variant(
        ops=[op("GET", "/pets", R, ["a"]), op("POST", "/pets", W, [])],
        consumers=[PLAIN["consumers"][0]],
    ),
    "a scope removed from an operation": variant(
        ops=[op("GET", "/pets", [], []), PLAIN["operations"][1]]
    ),
    "a caller lost": variant(ops=[op("GET", "/pets", R, ["b"]), PLAIN["operations"][1]]),
    "a consumer loses a scope": variant(
        ops=[op("GET", "/pets", R, ["a"]), op("POST", "/pets", W, ["b"])],
        consumers=[consumer("a", R, ["GET /pets"]), consumer("b", W, ["POST /pets"])],
    ),
    "the operations reordered": variant(ops=list(reversed(PLAIN["operations"]))),
}


@pytest.mark.parametrize("name", list(WIDENING_CASES))
def test_widening(name: str) -> None:
    head, expected = WIDENING_CASES[name]
    diff = compare(PLAIN, head)
    assert diff["widening"] == expected
    assert diff["widens"] is True
    assert exit_status(diff, fail_on_widening=True) == 3
    assert exit_status(diff) == 0


@pytest.mark.parametrize("name", list(NARROWING_CASES))
def test_narrowing_passes(name: str) -> None:
    diff = compare(PLAIN, NARROWING_CASES[name])
    assert diff["widening"] == []
    assert exit_status(diff, fail_on_widening=True) == 0


def test_open_to_pending_and_pending_to_open() -> None:
    pending = variant(ops=[PLAIN["operations"][0], op("POST", "/pets", W, [], status="pending")])
    opened = variant(ops=[PLAIN["operations"][0], op("POST", "/pets", [], [], status="exempt")])
    assert compare(opened, pending)["widening"] == []
    assert compare(pending, opened)["widening"] == [
        {"kind": "less protected", "subject": "POST /pets", "values": ["pending", "open"]}
    ]


def test_a_new_stack_widens_with_every_operation_and_consumer() -> None:
    items = compare(empty_report("dev"), PLAIN)["widening"]
    assert [(i["kind"], i["subject"]) for i in items] == [
        ("new operation", "GET /pets"),
        ("new operation", "POST /pets"),
        ("new consumer", "a"),
        ("new consumer", "b"),
    ]
