"""A pull request's report is data, never markup: hostile strings in every view of a diff."""

from __future__ import annotations

import json
from typing import Any

from report.diff import compare
from report.diff_cli import render
from tests.report.diff_reports import (
    W,
    consumer,
    op,
    report,
    verdict,
)

HOSTILE = [
    "@org/team",
    "@octocat please approve",
    "[x](javascript:alert(1))",
    "![i](https://evil.example/p.png)",
    "<!-- -->",
    "<img src=x onerror=alert(1)>",
    "<details open><summary>ok</summary>",
    "**PASSED: no new mandatory violation.**",
    "\u202egnp.exe",  # right-to-left override
    "read\u200b",  # zero-width space
    "a\u2066b\u2069c",  # bidi isolates
    "x`y``z",
    "` | cell | `",
    "line one\nline two\r\n| fake | row |",
    "\x1b[31mred\x1b[0m",
    "https://evil.example/x",
    "#1",
    "```mermaid",
    "\\|",
]


def hostile_reports() -> tuple[dict[str, Any], dict[str, Any]]:
    """A base, and a head whose every string is hostile: paths, consumers, scopes, verdicts."""
    ops = [op("GET", f"/{h}", [h], [h]) for h in HOSTILE]
    ops.append(op("POST", "/pets", HOSTILE[:3], HOSTILE[3:6], status="exempt"))
    consumers = [consumer(h, [h], [f"GET /{h}"], ("client_credentials", h)) for h in HOSTILE]
    verdicts = [verdict("mandatory", h, h, h) for h in HOSTILE]
    head = report(ops, consumers, verdicts, lifetime=HOSTILE[0], identifier=HOSTILE[2])
    base = report([op("POST", "/pets", W, [])], [consumer("c", W, [])], [])
    return base, head


def strip_code_spans(text: str) -> str:
    """What GitHub renders as markdown: `text` without its inline code spans (CommonMark:
    a run of n backticks opens a span that the next run of exactly n backticks closes)."""
    out, i = [], 0
    while i < len(text):
        if text[i] != "`":
            out.append(text[i])
            i += 1
            continue
        n = len(text[i:]) - len(text[i:].lstrip("`"))
        j, close = i + n, -1
        while j < len(text):
            if text[j] == "`":
                m = len(text[j:]) - len(text[j:].lstrip("`"))
                if m == n:
                    close = j
                    break
                j += m
            else:
                j += 1
        if close < 0:
            out.append(text[i : i + n])  # unmatched: literal backticks
            i += n
        else:
            out.append("\x00")  # a code span
            i = close + n
    return "".join(out)


def test_hostile_strings_are_code_spans_in_markdown() -> None:
    base, head = hostile_reports()
    text = render(compare(base, head), "markdown", "main", "<b>pr</b>")
    fence = text.index("\n```mermaid\n")  # the diagram's fence; values hold "```mermaid" too
    body, diagram = text[:fence], text[fence:]
    assert text.count("\n```") == 2  # only the diagram's fences start a line
    prose = strip_code_spans(body)
    # Outside code spans only our own words: no mention, link, image, HTML, issue reference,
    # or verdict a value could have faked.
    for needle in ("@", "javascript", "evil", "](", "<img", "<details", "onerror", "#1", "PASSED"):
        assert needle not in prose, needle
    assert prose.count("<") == prose.count("<br>") + 1  # the comment marker
    assert prose.startswith("<!-- access-diff -->\n")
    # Nothing invisible, no terminal escape, and a value never adds a line.
    for char in ("\u202e", "\u200b", "\u2066", "\x1b", "\r"):
        assert char not in text
    assert "\\u202egnp.exe" in text
    assert "read\\u200b" in text
    rows = [line for line in body.splitlines() if line.startswith("|")]
    for line in rows:  # each table row keeps the header's cell count
        cells = strip_code_spans(line).replace("\\|", "")
        assert cells.count("|") in (6, 5, 4), line
    for line in body.splitlines():
        assert line == "" or line[0] in "<#|-*`" or line.startswith(("No change",)), line
    # The mermaid labels hold only safe characters and entity codes.
    labels = [line.split('"')[1] for line in diagram.splitlines() if '"' in line]
    assert labels
    for label in labels:
        assert all(c.isalnum() or c in " _./{}-#;" for c in label), label


def test_the_summary_is_the_only_verdict_in_the_comment() -> None:
    base, head = hostile_reports()
    text = render(compare(base, head), "markdown")
    verdicts = [line for line in text.splitlines() if line.startswith("**")]
    assert verdicts == [
        f"**FAILED: {len(HOSTILE)} new mandatory violation(s); `pulumi up` would be blocked.**",
        f"**WIDENS ACCESS: {len(compare(base, head)['widening'])} change(s) grant access the "
        "base did not.**",
    ]


def test_hostile_strings_on_a_terminal_and_in_json() -> None:
    base, head = hostile_reports()
    diff = compare(base, head)
    terminal = render(diff, "table")
    assert not [c for c in terminal if c != "\n" and (ord(c) < 32 or c in "\x7f\u202e\u200b")]
    assert "\\u001b[31mred\\u001b[0m" in terminal
    assert all(ord(c) < 128 for c in render(diff, "json"))
    assert json.loads(render(diff, "json")) == json.loads(json.dumps(diff))


def test_hostile_strings_in_what_the_team_must_do_are_code_spans() -> None:
    base = report(
        [op("GET", "/x", [HOSTILE[3]], [])],
        [consumer(HOSTILE[1], [HOSTILE[2]], [])],
        [],
        lifetime=HOSTILE[6],
    )
    head = report(  # the consumer renamed (same scopes), the operation's scope renamed
        [op("GET", "/x", [HOSTILE[7]], [])],
        [consumer(HOSTILE[5], [HOSTILE[2]], [])],
        [],
    )
    diff = compare(base, head)
    assert {a["kind"] for a in diff["actions"]} == {"consumer replaced", "scope string gone"}
    text = render(diff, "markdown")
    section = text.split("#### What the team must do")[1].split("####")[0]
    prose = strip_code_spans(section)
    for needle in ("@", "<img", "<details", "onerror", "PASSED", "](", "\n**"):
        assert needle not in prose, needle
    assert all(line == "" or line.startswith("- ") for line in section.splitlines())
