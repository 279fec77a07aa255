"""plan_output.py: the plan the program exports (`api_plan`) and the report reads, one shape."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from secured_m2m_api.openapi_body import plan_api
from secured_m2m_api.plan_output import PlanOutputError, read_plan

DOC: dict[str, Any] = {
    "openapi": "3.0.1",
    "info": {"title": "Plan", "version": "1"},
    "paths": {
        "/pets": {
            "get": {
                "responses": {"200": {"description": "ok"}},
                "x-amazon-apigateway-integration": {
                    "type": "http_proxy",
                    "httpMethod": "GET",
                    "uri": "https://partner.example/pets",
                },
            },
            "delete": {
                "security": [{"legacy": []}],
                "responses": {"200": {"description": "ok"}},
            },
            "options": {
                "responses": {"200": {"description": "preflight"}},
                "x-amazon-apigateway-integration": {"type": "mock"},
            },
        }
    },
    "components": {
        "securitySchemes": {"legacy": {"type": "apiKey", "name": "x-api-key", "in": "header"}}
    },
}


def test_the_plan_says_what_only_the_program_decided() -> None:
    plan = plan_api(
        DOC,
        {"delete /pets": ["admin"]},
        ["read", "write", "admin"],
        withheld_hosts=["partner.example"],
    )
    assert plan.output() == {
        "operations": [
            {
                "method": "GET",
                "path": "/pets",
                "scopes": ["read"],
                "scopeSource": "default rule",
                "backend": {
                    "integration": "http_proxy",
                    "uri": "https://partner.example/pets",
                    "callerToken": "withheld",
                    "reason": "withholdTokenFromHosts: partner.example",
                },
            },
            {
                "method": "DELETE",
                "path": "/pets",
                "scopes": ["admin"],
                "scopeSource": "operationScopes",
                "backend": {
                    "integration": "none",
                    "uri": "",
                    "callerToken": "not sent",
                    "reason": "no integration",
                },
            },
        ],
        "droppedPreflights": ["OPTIONS /pets"],
        "replacedSecurity": ["DELETE /pets"],
    }


def test_the_report_reads_back_what_the_program_wrote() -> None:
    written = plan_api(DOC, {}, ["read", "write"]).output()
    assert read_plan(copy.deepcopy(written)) == written


def _broken(change: str) -> Any:
    plan: Any = plan_api(DOC, {}, ["read", "write"]).output()
    if change == "not a mapping":
        return ["operations"]
    if change == "a key missing":
        del plan["replacedSecurity"]
    elif change == "a key added":
        plan["operations"][0]["extra"] = 1
    elif change == "a scope not a string":
        plan["operations"][0]["scopes"] = [1]
    elif change == "a reason not a string":
        plan["operations"][1]["backend"]["reason"] = None
    elif change == "operations not a list":
        plan["operations"] = {}
    elif change == "preflights not a list":
        plan["droppedPreflights"] = "OPTIONS /pets"
    return plan


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ("not a mapping", r"^api_plan: expected the keys \['droppedPreflights', 'operations'"),
        ("a key missing", r"^api_plan: expected the keys .* got \['droppedPreflights', 'op"),
        ("a key added", r"^api_plan.operations\[0\]: expected the keys \['backend', 'method'"),
        ("a scope not a string", r"^api_plan.operations\[0\].scopes: expected a list of str"),
        ("a reason not a string", r"^api_plan.operations\[1\].backend.reason: expected a str"),
        ("operations not a list", r"^api_plan.operations: expected a list, got \{\}"),
        ("preflights not a list", r"^api_plan.droppedPreflights: expected a list of strings"),
    ],
)
def test_a_plan_of_another_shape_is_refused_with_its_first_fault(change: str, match: str) -> None:
    with pytest.raises(PlanOutputError, match=match):
        read_plan(_broken(change))


def test_a_component_schema_can_carry_the_plan() -> None:
    # Issue 21 exposes the plan as a component output: the SDK infers its schema types from
    # these TypedDicts, with the property names the stack output already uses.
    from pulumi.provider.experimental.analyzer import Analyzer

    from tests.components.plan_holder import PlanHolder

    result = Analyzer("secured-m2m-api").analyze([PlanHolder])
    types = result["type_definitions"]
    assert {name: sorted(t.properties) for name, t in types.items()} == {
        "PlanOutput": ["droppedPreflights", "operations", "replacedSecurity"],
        "PlannedOperation": ["backend", "method", "path", "scopeSource", "scopes"],
        "BackendPlan": ["callerToken", "integration", "reason", "uri"],
    }
    (output,) = result["component_definitions"]["PlanHolder"].outputs.values()
    assert output.ref == "#/types/secured-m2m-api:index:PlanOutput"
