"""Reports for the access-diff tests: operations, consumers and verdicts built to order, and
projects (the code linked) whose report is built for real."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import yaml

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


# A base and a head with every kind of change between them.
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


def write_report(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return str(path)


def project(root: Path, stack: str = "dev", **overrides: Any) -> Path:
    """A project in `root` (the code linked) with one stack file: the dev config, overridden."""
    root.mkdir(parents=True, exist_ok=True)
    for name in (
        "__main__.py",
        "program_support",
        "provider",
        "api",
        "policies",
        "Pulumi.yaml",
    ):
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


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True,
        capture_output=True,
    )


# `report/` is copied, not linked: it finds the project it reports on from its own location.
CODE = (
    "__main__.py",
    "program_support",
    "provider",
    "api",
    "policies",
    "offline_engine",
    "cli_support",
)
