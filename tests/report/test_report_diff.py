"""`python -m report diff`: every kind of access change, exact markdown and json, exit status,
widening, and reports that are not what the schema says."""

# The exact-output fixtures hold markdown table rows and URNs longer than a code line.
# ruff: noqa: E501

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from report.__main__ import main
from report.diff import compare, exit_status
from report.diff_cli import render
from report.diff_sides import empty_report
from report.render import report_to_dict
from report.run import build_report

ROOT = Path(__file__).resolve().parents[2]
DEV = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())["config"]


def op(
    method: str, path: str, scopes: list[str], consumers: list[str], **kw: Any
) -> dict[str, Any]:
    status = kw.get("status", "protected")
    return {
        "api": "api-body",
        "method": method,
        "path": path,
        "status": status,
        "scopes": scopes,
        "scope_source": kw.get("source", "operationScopes"),
        "consumers": consumers,
        "anyone": status in ("UNPROTECTED", "exempt"),
        "detail": "",
    }


def consumer(
    name: str,
    scopes: list[str],
    operations: list[str],
    flows: tuple[str, ...] = ("client_credentials",),
) -> dict[str, Any]:
    return {
        "name": name,
        "scopes": scopes,
        "flows": list(flows),
        "scopes_known": True,
        "operations": operations,
    }


def verdict(level: str, policy: str, name: str, message: str) -> dict[str, Any]:
    urn = f"urn:pulumi:dev::secured-m2m-api::aws:apigateway/restApiPut:RestApiPut::{name}"
    return {"policy": policy, "enforcement_level": level, "urn": urn, "message": message}


def report(
    ops: list[Any], consumers: list[Any], verdicts: list[Any], **settings: Any
) -> dict[str, Any]:
    mandatory = sum(1 for v in verdicts if v["enforcement_level"] == "mandatory")
    return {
        "schemaVersion": 1,
        "stack": settings.get("stack", "dev"),
        "preview": False,
        "settings": {
            "region": "eu-west-1",
            "token_endpoint_url": "https://p.auth.eu-west-1.amazoncognito.com/oauth2/token",
            "access_token_lifetime": settings.get("lifetime", "60 minutes"),
            "deletion_protection": settings.get("protection", "INACTIVE"),
        },
        "resource_servers": [
            {
                "identifier": settings.get("identifier", "https://{rest-api-id}.x/v1"),
                "placeholder": True,
                "assigned_at_deploy": ["{rest-api-id}"],
            }
        ],
        "dropped_preflights": [],
        "replaced_security": [],
        "operations": ops,
        "consumers": consumers,
        "verdicts": verdicts,
        "resources": {"aws:apigateway/restApi:RestApi": 1},
        "mandatory_violations": mandatory,
        "passed": mandatory == 0,
    }


BASE = report(
    [
        op("GET", "/pets", ["read"], ["analytics", "orders"]),
        op("POST", "/pets", ["write"], ["orders"], source="default rule"),
        op("GET", "/old", ["read"], ["analytics", "orders"]),
    ],
    [
        consumer("analytics", ["read"], ["GET /pets", "GET /old"]),
        consumer("orders", ["read", "write"], ["GET /pets", "POST /pets", "GET /old"]),
    ],
    [verdict("advisory", "old-advice", "api-body", "was advised")],
)
HEAD = report(
    [
        op("GET", "/pets", ["read"], ["analytics", "billing"]),
        op("POST", "/pets", ["read", "write"], ["analytics", "billing"]),
        op("DELETE", "/pets/{petId}", ["write"], ["analytics"], source="default rule"),
    ],
    [
        consumer(
            "analytics", ["read", "write"], ["GET /pets", "POST /pets", "DELETE /pets/{petId}"]
        ),
        consumer("billing", ["read"], ["GET /pets", "POST /pets"]),
    ],
    [verdict("mandatory", "body-rule", "api-body", "DELETE /pets/{petId} is open")],
    lifetime="30 minutes",
    protection="ACTIVE",
    identifier="https://pets.example.com",
)

EXPECTED_MARKDOWN = """\
<!-- access-diff -->
### Access changes: stack `dev`

`main` → `pr`

#### Operations

| Change | Operation | Scopes (any one) | Scopes from | Who can call |
|---|---|---|---|---|
| added | `DELETE /pets/{petId}` | `write` | `default rule` | `analytics` |
| removed | `GET /old` | `read` | `operationScopes` | was: `analytics`, `orders` |
| changed | `GET /pets` | unchanged | `operationScopes` | `analytics`, `orders` → `analytics`, `billing` |
| changed | `POST /pets` | `write` → `read` \\| `write` | `default rule` → `operationScopes` | `orders` → `analytics`, `billing` |

#### Consumers

| Change | Consumer | Scopes | Operations |
|---|---|---|---|
| added | `billing` | `read` | can call: `GET /pets`, `POST /pets` |
| removed | `orders` | `read`, `write` | could call: `GET /pets`, `POST /pets`, `GET /old` |
| changed | `analytics` | `read` → `read`, `write` | gained: `POST /pets`, `DELETE /pets/{petId}`; lost: `GET /old` |

#### Policy verdicts

- appeared: `mandatory` `body-rule` on `RestApiPut 'api-body'`: `DELETE /pets/{petId} is open`
- cleared: `advisory` `old-advice` on `RestApiPut 'api-body'`: `was advised`

#### Settings

| Setting | Base | Head |
|---|---|---|
| Access-token lifetime | `60 minutes` | `30 minutes` |
| Deletion protection | `INACTIVE` | `ACTIVE` |
| Resource server | `https://{rest-api-id}.x/v1` | `https://pets.example.com` |

#### What the team must do

- scope strings changed `resource server`: the resource-server identifier changes from `https://{rest-api-id}.x/v1` to `https://pets.example.com`, and with it every full scope string: cached tokens are rejected (401) until they expire, up to `60 minutes`, and consumers that request full scope strings must request the new ones. To avoid it, keep the identifier (set resourceServerIdentifier to the current value before renaming the stage); to change it on purpose, first lower accessTokenValidityMinutes and have consumers drop a cached token on a 401.

#### Widens access

| Widening | Operation or consumer | Detail |
|---|---|---|
| new operation | `DELETE /pets/{petId}` | callers: `analytics` |
| new consumer | `billing` | can call: `GET /pets`, `POST /pets` |
| scope added | `POST /pets` | now also accepts (any one scope suffices): `read` |
| new caller | `POST /pets` | newly callable by: `analytics` |
| consumer scope added | `analytics` | its tokens now carry: `write` |

```mermaid
flowchart LR
  c0["billing"]:::added
  s0(["read"])
  c1["orders"]:::removed
  s1(["write"])
  c2["analytics"]:::changed
  o0["DELETE /pets/{petId}"]:::added
  o1["GET /old"]:::removed
  o2["POST /pets"]:::changed
  c0 ==>|added| s0
  c1 -.->|removed| s0
  c1 -.->|removed| s1
  c2 ==>|added| s1
  s1 ==>|added| o0
  s0 -.->|removed| o1
  s0 ==>|added| o2
  c2 --> s0
  s1 --> o2
  classDef added fill:#dafbe1,stroke:#1a7f37
  classDef removed fill:#ffebe9,stroke:#cf222e,stroke-dasharray:4 3
  classDef changed fill:#fff8c5,stroke:#9a6700
```

**FAILED: 1 new mandatory violation(s); `pulumi up` would be blocked.**
**WIDENS ACCESS: 5 change(s) grant access the base did not.**"""


def test_every_kind_of_change_in_markdown() -> None:
    text = render(compare(BASE, HEAD), "markdown", "main", "pr")
    assert text == EXPECTED_MARKDOWN


def test_every_kind_of_change_in_json() -> None:
    assert json.loads(render(compare(BASE, HEAD), "json")) == EXPECTED_JSON


EXPECTED_JSON: dict[str, Any] = {
    "stack": "dev",
    "stack_change": None,
    "stack_change_reason": "",
    "note": None,
    "changed": True,
    "operations": {
        "added": [
            {
                "operation": "DELETE /pets/{petId}",
                "status": "protected",
                "scopes": ["write"],
                "scope_source": "default rule",
                "callers": ["analytics"],
            }
        ],
        "removed": [
            {
                "operation": "GET /old",
                "status": "protected",
                "scopes": ["read"],
                "scope_source": "operationScopes",
                "callers": ["analytics", "orders"],
            }
        ],
        "changed": [
            {
                "operation": "GET /pets",
                "callers": {"base": ["analytics", "orders"], "head": ["analytics", "billing"]},
                "scopes_now": ["read"],
                "scope_source_now": "operationScopes",
            },
            {
                "operation": "POST /pets",
                "scopes": {"base": ["write"], "head": ["read", "write"]},
                "scope_source": {"base": "default rule", "head": "operationScopes"},
                "callers": {"base": ["orders"], "head": ["analytics", "billing"]},
                "scopes_now": ["read", "write"],
                "scope_source_now": "operationScopes",
            },
        ],
    },
    "consumers": {
        "added": [
            {"consumer": "billing", "scopes": ["read"], "operations": ["GET /pets", "POST /pets"]}
        ],
        "removed": [
            {
                "consumer": "orders",
                "scopes": ["read", "write"],
                "operations": ["GET /pets", "POST /pets", "GET /old"],
            }
        ],
        "changed": [
            {
                "consumer": "analytics",
                "scopes": {"base": ["read"], "head": ["read", "write"]},
                "gained": ["POST /pets", "DELETE /pets/{petId}"],
                "lost": ["GET /old"],
                "scopes_now": ["read", "write"],
            }
        ],
    },
    "verdicts": {
        "appeared": [
            {
                "policy": "body-rule",
                "enforcement_level": "mandatory",
                "urn": "urn:pulumi:dev::secured-m2m-api::aws:apigateway/restApiPut:RestApiPut::api-body",
                "message": "DELETE /pets/{petId} is open",
            }
        ],
        "cleared": [
            {
                "policy": "old-advice",
                "enforcement_level": "advisory",
                "urn": "urn:pulumi:dev::secured-m2m-api::aws:apigateway/restApiPut:RestApiPut::api-body",
                "message": "was advised",
            }
        ],
    },
    "settings": [
        {"setting": "Access-token lifetime", "base": "60 minutes", "head": "30 minutes"},
        {"setting": "Deletion protection", "base": "INACTIVE", "head": "ACTIVE"},
        {
            "setting": "Resource server",
            "base": "https://{rest-api-id}.x/v1",
            "head": "https://pets.example.com",
        },
    ],
    "new_mandatory_violations": 1,
    "passed": False,
    "widening": [
        {"kind": "new operation", "subject": "DELETE /pets/{petId}", "values": ["analytics"]},
        {"kind": "new consumer", "subject": "billing", "values": ["GET /pets", "POST /pets"]},
        {"kind": "scope added", "subject": "POST /pets", "values": ["read"]},
        {"kind": "new caller", "subject": "POST /pets", "values": ["analytics"]},
        {"kind": "consumer scope added", "subject": "analytics", "values": ["write"]},
    ],
    "widens": True,
    "actions": [
        {
            "kind": "scope strings changed",
            "subject": "resource server",
            "values": ["https://{rest-api-id}.x/v1", "https://pets.example.com"],
            "lifetime": "60 minutes",
        }
    ],
}


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


def test_an_older_base_report_is_not_comparable_and_says_so(tmp_path: Path, capsys) -> None:
    """A base from before `schemaVersion` (full scope strings, no scope source) is not read by
    guess: the diff says the base is not comparable and shows the head as added."""
    full = "https://abc.execute-api.eu-west-1.amazonaws.com/v1"
    old = {
        "stack": "dev",
        "resource_servers": [full],
        "operations": [{**op("GET", "/pets", [f"{full}/read"], ["a"]), "scope_source": None}],
        "consumers": [consumer("a", [f"{full}/read"], ["GET /pets"])],
        "verdicts": [],
    }
    new = report(
        [op("GET", "/pets", ["read"], ["a"])], [consumer("a", ["read"], ["GET /pets"])], []
    )
    base, head = _write(tmp_path, "old.json", old), _write(tmp_path, "new.json", new)
    assert main(["diff", base, head, "--fail-on-widening"]) == 3
    out = capsys.readouterr().out.splitlines()
    assert out[:4] == [
        "Access changes for stack 'dev' (old.json -> new.json)",
        "",
        "Base not comparable",
        "  The base report is not comparable (old.json: its schemaVersion is none; this code "
        "reads 1): what its fields mean is not guessed, so it is compared as an empty base and "
        "every operation and consumer reads as added. Review access in the head report itself.",
    ]
    assert "  + GET /pets: scopes read (operationScopes); callers: a" in out
    assert main(["diff", base, head, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "\n#### Base not comparable\n\nThe base report is not comparable (`old.json: its " in (
        markdown
    )
    assert main(["diff", base, head, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stack_change"] == "base not comparable"
    assert [w["kind"] for w in data["widening"]] == ["new operation", "new consumer"]


@pytest.mark.parametrize("version", [0, 2, "1", 1.0, None])
def test_a_base_of_any_other_version_is_not_comparable(
    tmp_path: Path, capsys, version: object
) -> None:
    other = {**PLAIN, "schemaVersion": version}
    base = _write(tmp_path, "base.json", other)
    head = _write(tmp_path, "head.json", PLAIN)
    assert main(["diff", base, head, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stack_change"] == "base not comparable"
    assert data["stack_change_reason"] == (
        f"base.json: its schemaVersion is {'none' if version is None else repr(version)}; "
        "this code reads 1"
    )
    # The head is this code's to read: another version there is bad input.
    assert main(["diff", head, base]) == 2
    assert "does not match the report schema (schemaVersion" in capsys.readouterr().err


def test_a_base_of_this_version_that_is_off_schema_stays_bad_input(tmp_path: Path, capsys) -> None:
    base = _write(tmp_path, "base.json", {**PLAIN, "operations": [{"method": "GET"}]})
    head = _write(tmp_path, "head.json", PLAIN)
    assert main(["diff", base, head]) == 2
    assert capsys.readouterr().err.startswith(f"error: {base}: not a report: does not match")


def test_the_format_word_is_table_and_terminal_is_deprecated(tmp_path: Path, capsys) -> None:
    path = _write(tmp_path, "same.json", PLAIN)
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


def project(root: Path, stack: str = "dev", **overrides: Any) -> Path:
    """A project in `root` (the code linked) with one stack file: the dev config, overridden."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("__main__.py", "components", "api", "policies", "Pulumi.yaml"):
        (root / name).symlink_to(ROOT / name)
    config = dict(DEV)
    for key, value in overrides.items():
        if value is None:
            config.pop(f"secured-m2m-api:{key}", None)
        else:
            config[f"secured-m2m-api:{key}"] = value
    (root / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": config}))
    return root


def dev_report(root: Path, **overrides: Any) -> dict[str, Any]:
    return report_to_dict(build_report("dev", project_dir=project(root, **overrides)))


def test_the_realistic_change_to_the_dev_stack(tmp_path: Path) -> None:
    """Issue 12's closing example: DELETE /pets/{petId}, analytics gets write, orders dropped."""
    spec = (ROOT / "api/petstore.yaml").read_text()
    anchor = "components:\n  schemas:"
    delete = (
        "    delete:\n      operationId: deletePet\n      responses:\n"
        '        "200": {description: deleted}\n'
    )
    (tmp_path / "head.yaml").write_text(spec.replace(anchor, delete + anchor, 1))
    diff = compare(
        dev_report(tmp_path / "base"),
        dev_report(
            tmp_path / "head",
            specPath=str(tmp_path / "head.yaml"),
            consumers=[{"name": "analytics", "scopes": ["read", "write"]}],
        ),
    )
    assert render(diff, "table", "base", "head") == "\n".join(
        [
            "Access changes for stack 'dev' (base -> head)",
            "",
            "Operations",
            "  + DELETE /pets/{petId}: scopes write (default rule); callers: analytics",
            "  ~ GET /: callers analytics, orders -> analytics",
            "  ~ GET /pets: callers analytics, orders -> analytics",
            "  ~ POST /pets: callers orders -> analytics",
            "  ~ GET /pets/{petId}: callers analytics, orders -> analytics",
            "",
            "Consumers",
            "  - orders: scopes were read, write; could call: GET /, GET /pets, POST /pets, "
            "GET /pets/{petId}",
            "  ~ analytics: scopes read -> read, write; gained POST /pets, DELETE /pets/{petId}",
            "",
            "Widens access",
            "  ! new operation DELETE /pets/{petId}: callers: analytics",
            "  ! new caller POST /pets: newly callable by: analytics",
            "  ! consumer scope added analytics: its tokens now carry: write",
            "",
            "PASSED: no new mandatory violation.",
            "WIDENS ACCESS: 3 change(s) grant access the base did not.",
        ]
    )
    assert diff["passed"] is True


def _worktrees() -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "list"], capture_output=True, text=True, check=True
    ).stdout


def test_base_ref_builds_in_a_worktree_it_removes(capsys) -> None:
    before = _worktrees()
    assert main(["diff", "--base-ref", "HEAD", "--stack", "dev"]) == 0
    assert capsys.readouterr().out.strip() == "No change in access for stack 'dev'."
    assert _worktrees() == before
    assert main(["diff", "--base-ref", "no-such-ref-xyz"]) == 2
    assert capsys.readouterr().err.startswith("error: --base-ref 'no-such-ref-xyz':")
    assert _worktrees() == before


# --- widening: what `--fail-on-widening` refuses ------------------------------------------------

R = ["read"]
W = ["write"]
PLAIN = report(
    [op("GET", "/pets", R, ["a", "b"]), op("POST", "/pets", W, ["b"])],
    [consumer("a", R, ["GET /pets"]), consumer("b", R + W, ["GET /pets", "POST /pets"])],
    [],
)


def variant(ops: list[Any] | None = None, consumers: list[Any] | None = None) -> dict[str, Any]:
    return report(
        PLAIN["operations"] if ops is None else ops,
        PLAIN["consumers"] if consumers is None else consumers,
        [],
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


def _write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return str(path)


def test_exit_status_precedence_bad_input_then_mandatory_then_widening(
    tmp_path: Path, capsys
) -> None:
    base = _write(tmp_path, "base.json", PLAIN)
    wider = WIDENING_CASES["new operation"][0]
    violation = [verdict("mandatory", "rule", "api", "open")]
    wider_and_violating = report(wider["operations"], wider["consumers"], violation)
    narrower_and_violating = report([PLAIN["operations"][0]], PLAIN["consumers"], violation)
    broken = _write(tmp_path, "broken.json", {**wider, "schemaVersion": 99})
    cases = [
        (broken, 2),  # bad input wins over the widening it would show
        (_write(tmp_path, "a.json", wider_and_violating), 1),  # the violation wins over widening
        (_write(tmp_path, "b.json", narrower_and_violating), 1),
        (_write(tmp_path, "c.json", wider), 3),
        (_write(tmp_path, "d.json", NARROWING_CASES["an operation removed"]), 0),
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
    base = _write(tmp_path, "base.json", PLAIN)
    head = _write(tmp_path, "head.json", {**PLAIN, "operations": [{"method": "GET"}]})
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


# --- hostile strings: a pull request's report is data, never markup ------------------------------

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


# --- issue 19, item 8: stacks, empty bases, what the team must do, rendering ----------------


def test_reports_of_two_stacks_are_refused(tmp_path: Path, capsys) -> None:
    base = _write(tmp_path, "dev.json", PLAIN)
    head = _write(tmp_path, "staging.json", {**PLAIN, "stack": "staging"})
    assert main(["diff", base, head]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "error: dev.json is a report of stack 'dev' and staging.json of stack 'staging': an "
        "access diff compares one stack at two commits (a renamed stack file is a removed "
        "stack and a new one; diff each against its own base)\n"
    )


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True,
        capture_output=True,
    )


# `report/` is copied, not linked: it finds the project it reports on from its own location.
CODE = ("__main__.py", "components", "api", "policies", "offline_engine", "cli_support")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository of the project (code linked): commit 1 has no program, only a stack
    file; commit 2 (HEAD) the program, a broken `dev` stack file and a `gone` stack file. The
    working tree then fixes `dev`, deletes `gone` and adds `new`. `report diff --base-ref`
    runs against it."""
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q")
    shutil.copy(ROOT / "Pulumi.yaml", root / "Pulumi.yaml")
    good = yaml.safe_dump({"config": DEV})
    (root / "Pulumi.dev.yaml").write_text(good)
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "no program yet")
    for name in CODE:
        (root / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "report", root / "report", ignore=shutil.ignore_patterns("__pycache__"))
    broken = {**DEV, "secured-m2m-api:deletionProtecton": True}
    (root / "Pulumi.dev.yaml").write_text(yaml.safe_dump({"config": broken}))
    (root / "Pulumi.gone.yaml").write_text(good)
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "program")
    (root / "Pulumi.dev.yaml").write_text(good)
    (root / "Pulumi.gone.yaml").unlink()
    (root / "Pulumi.new.yaml").write_text(good)
    monkeypatch.setattr("report.diff_cli.PROJECT_DIR", root)
    return root


def test_base_ref_new_stack_removed_stack_and_a_base_that_cannot_be_built(
    repo: Path, capsys
) -> None:
    assert main(["diff", "--base-ref", "HEAD", "--stack", "new"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        "Access changes for stack 'new' (HEAD -> this checkout)",
        "New stack: the base has no Pulumi.new.yaml, so every operation and consumer reads as "
        "added.",
    ]
    assert "  + GET /pets: scopes read (operationScopes); callers: analytics, orders" in out

    assert main(["diff", "--base-ref", "HEAD", "--stack", "gone"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == (
        "Stack removed: the head has no Pulumi.gone.yaml. Nothing in AWS changes until someone "
        "destroys the stack (pulumi destroy --stack gone); until then it keeps serving what "
        "reads as removed here."
    )
    assert "  - GET /pets: scopes read (operationScopes); callers were: analytics, orders" in out
    assert "Widens access" not in out

    # The base's stack file is broken: the pull request that fixes it must be able to pass.
    assert main(["diff", "--base-ref", "HEAD", "--stack", "dev", "--fail-on-widening"]) == 3
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith(
        "The base could not be built ('HEAD': error: secured-m2m-api:deletionProtecton: unknown "
        "config key; did you mean 'deletionProtection'?"
    )
    assert out[1].endswith(
        "compared against an empty base, so every operation and consumer reads as added."
    )
    assert "PASSED: no new mandatory violation." in out

    # A base commit without the program.
    assert main(["diff", "--base-ref", "HEAD~1", "--stack", "dev"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == (
        "The base could not be built ('HEAD~1' has no program or no report): compared against "
        "an empty base, so every operation and consumer reads as added."
    )

    assert main(["diff", "--base-ref", "HEAD", "--stack", "nowhere"]) == 2
    assert capsys.readouterr().err.startswith(
        "error: stack 'nowhere': Pulumi.nowhere.yaml not found"
    )


def test_the_note_in_markdown_and_json() -> None:
    diff = compare(empty_report("dev", "base not built", "`x` <b>@team</b>"), PLAIN)
    text = render(diff, "markdown", "main", "pr")
    assert (
        "\n\nThe base could not be built (`` `x` <b>@team</b> ``): compared against an empty "
        "base, so every operation and consumer reads as added.\n\n#### Operations" in text
    )
    data = json.loads(render(diff, "json"))
    assert data["stack_change"] == "base not built"
    assert data["note"].startswith("The base could not be built (`x` <b>@team</b>)")


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


def test_a_setting_with_no_value_reads_not_set() -> None:
    head = report(PLAIN["operations"], PLAIN["consumers"], [])
    head["settings"]["deletion_protection"] = None
    diff = compare(PLAIN, head)
    assert "  ~ Deletion protection: INACTIVE -> (not set)" in render(diff, "table")
    assert "| Deletion protection | `INACTIVE` | *(not set)* |" in render(diff, "markdown")


def test_the_diagram_connects_a_consumer_to_an_operation_it_gained() -> None:
    # `a` keeps its scopes; a new operation that accepts `read` makes it a caller.
    head = variant(
        ops=[*PLAIN["operations"], op("GET", "/toys", R, ["a", "b"])],
        consumers=[
            consumer("a", R, ["GET /pets", "GET /toys"]),
            consumer("b", R + W, ["GET /pets", "POST /pets", "GET /toys"]),
        ],
    )
    diagram = render(compare(PLAIN, head), "markdown").split("```mermaid")[1]
    assert 'c0["a"]:::changed' in diagram
    assert 's0(["read"])' in diagram
    assert 'o0["GET /toys"]:::added' in diagram
    assert "  c0 --> s0" in diagram
    assert "  s0 ==>|added| o0" in diagram


def test_secret_config_values_are_shown_as_secret(tmp_path: Path) -> None:
    secret = {"secure": "v1:AAAA"}
    base = dev_report(tmp_path / "base")
    head = dev_report(tmp_path / "head", resourceServerIdentifier=secret, domainPrefix=secret)
    assert head["resource_servers"][0]["identifier"] == "[secret]"
    assert head["settings"]["token_endpoint_url"] == (
        "https://[secret].auth.eu-west-1.amazoncognito.com/oauth2/token"
    )
    text = render(compare(base, head), "table") + render(compare(base, head), "markdown")
    assert "mock-secret" not in text


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


def test_a_base_ref_whose_code_writes_an_older_report_is_not_comparable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """The ref's own code built its report (trusted, but of its time): an older format is said,
    not guessed at."""
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q")
    shutil.copy(ROOT / "Pulumi.yaml", root / "Pulumi.yaml")
    (root / "Pulumi.dev.yaml").write_text(yaml.safe_dump({"config": DEV}))
    (root / "__main__.py").write_text("# the base's program\n")
    (root / "report").mkdir()
    old = {"stack": "dev", "operations": [], "consumers": [], "verdicts": []}
    (root / "report" / "__main__.py").write_text(f"print({json.dumps(json.dumps(old))})\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "an old report")
    (root / "__main__.py").unlink()
    for name in CODE:
        if not (root / name).exists():
            (root / name).symlink_to(ROOT / name)
    monkeypatch.setattr("report.diff_cli.PROJECT_DIR", root)
    assert main(["diff", "--base-ref", "HEAD", "--stack", "dev", "--fail-on-widening"]) == 3
    out = capsys.readouterr().out.splitlines()
    assert out[2:4] == [
        "Base not comparable",
        "  The base report is not comparable (the report of 'HEAD': its schemaVersion is none; "
        "this code reads 1): what its fields mean is not guessed, so it is compared as an empty "
        "base and every operation and consumer reads as added. Review access in the head report "
        "itself.",
    ]
