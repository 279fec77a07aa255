"""`report.diff_actions`: what a change asks of the team (renames, scope strings, lifetime)."""

from __future__ import annotations

from pathlib import Path

from report.diff import compare
from report.diff_cli import render
from tests.report.diff_reports import (
    PLAIN,
    R,
    W,
    consumer,
    dev_report,
    op,
    report,
)

RENAMED = report(
    [op("GET", "/pets", R, ["orders-v2"]), op("POST", "/pets", W, ["orders-v2"])],
    [consumer("orders-v2", R + W, ["GET /pets", "POST /pets"])],
    [],
)
BEFORE_RENAME = report(
    [op("GET", "/pets", R, ["orders"]), op("POST", "/pets", W, ["orders"])],
    [consumer("orders", R + W, ["GET /pets", "POST /pets"])],
    [],
)


def test_a_consumer_rename_says_its_credentials_are_replaced() -> None:
    diff = compare(BEFORE_RENAME, RENAMED)
    assert diff["actions"] == [
        {
            "kind": "consumer replaced",
            "subject": "orders-v2",
            "values": ["orders"],
            "lifetime": "60 minutes",
        }
    ]
    text = render(diff, "table")
    assert (
        "  ! consumer replaced orders-v2: orders removed and orders-v2 added: if this renames "
        "the consumer, Cognito replaces its app client. Deliver the new client id and secret "
        "(stack outputs client_ids and client_secrets, key orders-v2) through a secret store "
        "before this deploys: the old client is deleted in the same update, so token requests "
        "fail until the consumer switches; tokens it holds work up to 60 minutes. Without an "
        "outage: add the new consumer first, remove the old one in a later change."
    ) in text.splitlines()


def test_a_removed_and_an_unrelated_added_consumer_are_no_rename() -> None:
    head = report(PLAIN["operations"], [*PLAIN["consumers"][:1], consumer("zeta", W, [])], [])
    assert compare(PLAIN, head)["actions"] == []


def test_a_scope_rename_says_cached_tokens_fail() -> None:
    reader = ["reader"]
    head = report(
        [op("GET", "/pets", reader, ["a", "b"]), op("POST", "/pets", W, ["b"])],
        [
            consumer("a", reader, ["GET /pets"]),
            consumer("b", reader + W, ["GET /pets", "POST /pets"]),
        ],
        [],
        lifetime="30 minutes",
    )
    diff = compare(PLAIN, head)
    assert [(a["kind"], a["subject"], a["values"]) for a in diff["actions"]] == [
        ("scope string gone", "read", ["reader"])
    ]
    markdown = render(diff, "markdown")
    assert (
        "- scope string gone `read`: no operation or consumer uses `read` any more (renamed "
        "to `reader`?): cached tokens that rely on it are rejected (401) until they expire, up "
        "to `60 minutes`, and a consumer that requests it by name gets invalid_scope."
    ) in markdown


def test_a_stage_rename_changes_every_scope_string(tmp_path: Path) -> None:
    diff = compare(dev_report(tmp_path / "v1"), dev_report(tmp_path / "v2", stageName="v2"))
    (action,) = diff["actions"]
    assert action["kind"] == "scope strings changed"
    assert action["values"] == [
        "https://{rest-api-id}.execute-api.eu-west-1.amazonaws.com/v1",
        "https://{rest-api-id}.execute-api.eu-west-1.amazonaws.com/v2",
    ]


def test_the_lifetime_is_shown_without_consumers(tmp_path: Path) -> None:
    none = dev_report(tmp_path / "none", consumers=[])
    assert none["settings"]["access_token_lifetime"] == "60 minutes"
    some = dev_report(tmp_path / "some")
    assert not [s for s in compare(none, some)["settings"] if "lifetime" in s["setting"]]
