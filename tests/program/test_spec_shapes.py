"""Specs the example does not exercise: preflights, root security, 2.0 JSON, many operations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.program_run import run_program
from policies.apigw_guard.model.document import iter_operations
from policies.apigw_guard.model.security import judge_document

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
    assert all(v.protected for v in judge_document(body))


def test_aws_resource_count_does_not_grow_with_operations(tmp_path: Path) -> None:
    paths: dict[str, Any] = {
        f"/r{i}": {"get": {"responses": {}}, "post": {"responses": {}}} for i in range(60)
    }
    spec = {"openapi": "3.0.1", "info": {"title": "Big", "version": "1"}, "paths": paths}
    overrides = {"specPath": _write(tmp_path, spec), "operationScopes": {}}
    big = run_program("dev", config_overrides=overrides)
    small = run_program("dev")
    assert len(big.custom_resources) == len(small.custom_resources)
    assert len(list(iter_operations(body_of(big)))) == 120
