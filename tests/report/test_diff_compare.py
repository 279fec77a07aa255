"""`report.diff.compare`: every kind of access change, exact markdown and json, and the realistic
change to the dev stack."""

# The exact-output fixtures hold markdown table rows and URNs longer than a code line.
# ruff: noqa: E501

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from report.diff import compare
from report.diff_cli import render
from report.diff_sides import empty_report
from tests.report.diff_reports import (
    BASE,
    HEAD,
    PLAIN,
    ROOT,
    R,
    W,
    consumer,
    dev_report,
    op,
    report,
    variant,
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
