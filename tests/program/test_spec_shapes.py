"""Specs the example does not exercise: preflights, root security, 2.0 JSON, 1,000 operations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from apigw_guard.model.body_summary import summarize_body
from apigw_guard.model.document import iter_operations
from bench.specs import generate_spec
from offline_engine import CapturedStack, run_program

from .conftest import body_of


def _write(tmp_path: Path, spec: dict[str, Any]) -> str:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return str(path)


def test_drops_cors_preflights_and_root_security_from_a_swagger_2_spec(tmp_path: Path) -> None:
    spec = {
        "swagger": "2.0",
        "info": {"title": "Legacy", "version": "1"},
        "security": [{"api_key": []}],
        "paths": {
            "/items": {
                "get": {"responses": {}},
                "options": {"x-amazon-apigateway-integration": {"type": "mock"}},
            }
        },
    }
    overrides = {"specPath": _write(tmp_path, spec), "operationScopes": {}}
    body = body_of(run_program("dev", config_overrides=overrides))
    assert [op.key for op in iter_operations(body)] == ["GET /items"]
    assert "security" not in body
    assert "cognito-m2m" in body["securityDefinitions"]
    assert all(v.protected for v in summarize_body(body).operations)


def test_a_1000_operation_spec_builds_the_same_resources(
    tmp_path: Path, dev: CapturedStack
) -> None:
    # Operations live in the body, not in Method/Integration resources, so the AWS resource
    # count is constant. How long the build takes is measured by `make bench-program`.
    overrides = {"specPath": _write(tmp_path, generate_spec(1000)), "operationScopes": {}}
    big = run_program("dev", config_overrides=overrides)
    assert len(list(iter_operations(body_of(big)))) == 1000
    assert sorted(r.type for r in big.custom_resources) == sorted(
        r.type for r in dev.custom_resources
    )
