"""`python -m report diff`: every kind of access change, exact markdown and json, exit status."""

# The exact-output fixtures hold markdown table rows and URNs longer than a code line.
# ruff: noqa: E501

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from report.__main__ import main
from report.diff import compare, render
from report.render import report_to_dict
from report.run import build_report

ROOT = Path(__file__).resolve().parents[2]
WriteStack = Callable[..., Path]  # the `scratch_project` fixture (conftest.py)


def op(
    method: str, path: str, scopes: list[str], consumers: list[str], **kw: Any
) -> dict[str, Any]:
    return {
        "api": "api-body",
        "method": method,
        "path": path,
        "status": kw.get("status", "protected"),
        "scopes": scopes,
        "scope_source": kw.get("source", "operationScopes"),
        "consumers": consumers,
        "anyone": kw.get("status") == "UNPROTECTED",
        "detail": "",
    }


def consumer(name: str, scopes: list[str], operations: list[str]) -> dict[str, Any]:
    return {
        "name": name,
        "scopes": scopes,
        "flows": ["client_credentials"],
        "operations": operations,
    }


def verdict(level: str, policy: str, name: str, message: str) -> dict[str, Any]:
    urn = f"urn:pulumi:dev::secured-m2m-api::aws:apigateway/restApiPut:RestApiPut::{name}"
    return {"policy": policy, "enforcement_level": level, "urn": urn, "message": message}


def report(
    ops: list[Any], consumers: list[Any], verdicts: list[Any], **settings: Any
) -> dict[str, Any]:
    return {
        "stack": "dev",
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
| added | `DELETE /pets/{petId}` | write | default rule | analytics |
| removed | `GET /old` | read | operationScopes | was: analytics, orders |
| changed | `GET /pets` | unchanged | operationScopes | analytics, orders → analytics, billing |
| changed | `POST /pets` | write → read \\| write | default rule → operationScopes | orders → analytics, billing |

#### Consumers

| Change | Consumer | Scopes | Operations |
|---|---|---|---|
| added | billing | read | can call: GET /pets, POST /pets |
| removed | orders | read, write | could call: GET /pets, POST /pets, GET /old |
| changed | analytics | read → read, write | gained: POST /pets, DELETE /pets/{petId}; lost: GET /old |

#### Policy verdicts

- appeared: mandatory [body-rule] RestApiPut 'api-body': DELETE /pets/{petId} is open
- cleared: advisory [old-advice] RestApiPut 'api-body': was advised

#### Settings

| Setting | Base | Head |
|---|---|---|
| Access-token lifetime | 60 minutes | 30 minutes |
| Deletion protection | INACTIVE | ACTIVE |
| Resource server | https://{rest-api-id}.x/v1 | https://pets.example.com |

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
  s1 --> o2
  classDef added fill:#dafbe1,stroke:#1a7f37
  classDef removed fill:#ffebe9,stroke:#cf222e,stroke-dasharray:4 3
  classDef changed fill:#fff8c5,stroke:#9a6700
```

**FAILED: 1 new mandatory violation(s); `pulumi up` would be blocked.**"""


def test_every_kind_of_change_in_markdown() -> None:
    text = render(compare(BASE, HEAD), "markdown", "main", "pr")
    assert text == EXPECTED_MARKDOWN


def test_every_kind_of_change_in_json() -> None:
    assert json.loads(render(compare(BASE, HEAD), "json")) == EXPECTED_JSON


EXPECTED_JSON: dict[str, Any] = {
    "stack": "dev",
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
}


def test_a_report_against_itself_says_no_change_in_access(tmp_path: Path, capsys) -> None:
    data = report_to_dict(build_report("dev"))
    path = tmp_path / "dev.json"
    path.write_text(json.dumps(data))
    for fmt in ("terminal", "markdown"):
        assert main(["diff", str(path), str(path), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert out.strip().splitlines()[-1] == "No change in access for stack 'dev'."
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
    assert err.startswith(f"error: {bad}: not a JSON report")
    assert len(err.strip().splitlines()) == 1


def test_base_report_with_full_scope_strings_compares_by_scope_name() -> None:
    """A base from before reports used short scope names is not reported as changed."""
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
    assert compare(old, new)["changed"] is False


def test_the_realistic_change_to_the_dev_stack(scratch_project: WriteStack, tmp_path: Path) -> None:
    """Issue 12's closing example: DELETE /pets/{petId}, analytics gets write, orders dropped."""
    spec = (ROOT / "api/petstore.yaml").read_text()
    anchor = "components:\n  schemas:"
    delete = (
        "    delete:\n      operationId: deletePet\n      responses:\n"
        '        "200": {description: deleted}\n'
    )
    (tmp_path / "head.yaml").write_text(spec.replace(anchor, delete + anchor, 1))
    project = scratch_project("base")
    scratch_project(
        "head",
        specPath=str(tmp_path / "head.yaml"),
        consumers=[{"name": "analytics", "scopes": ["read", "write"]}],
    )
    diff = compare(
        report_to_dict(build_report("base", project_dir=project)),
        report_to_dict(build_report("head", project_dir=project)),
    )
    assert render(diff, "terminal", "base", "head") == "\n".join(
        [
            "Access changes for stack 'head' (base -> head)",
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
            "PASSED: no new mandatory violation.",
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
