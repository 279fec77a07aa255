"""The report shows what the pack decided, with the pack's configuration, matched by URN.

A Method resource's status comes from the pack's diagnostics: an Analyze finding carries the
analyzed resource's URN, and a stack-level deferral names the URNs it covers in its last line
(`apigw_guard.model.deferral`); message text is never searched. Bodies are judged with the body
policies' own reading of the configuration the pack was given.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from apigw_guard.model.deferral import deferred_resources_line
from offline_engine import Diagnostic, RecordedResource, make_urn, resource
from report.matrix import build_matrix, from_record
from report.run import build_report

OPEN_METHOD_PROJECT = Path(__file__).resolve().parent / "open_method_project"
GUARANTEE = {"apigateway-method-cognito-authorization", "apigateway-references-resolve"}
POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123"
METHOD = "aws:apigateway/method:Method"


def statuses(report_rows: Any) -> dict[str, str]:
    return {f"{r.api} {r.method} {r.path}": r.status for r in report_rows}


def test_in_preview_a_method_the_pack_deferred_is_pending_not_protected() -> None:
    # get-pets names an authorizer created in the same run: its id is unknown in preview, so
    # apigateway-references-resolve defers it at stack level; post-pets is open.
    preview = build_report("test", project_dir=OPEN_METHOD_PROJECT, preview=True)
    assert statuses(preview.matrix.rows) == {
        "get-pets GET /pets": "pending",
        "post-pets POST /pets": "UNPROTECTED",
    }
    (get_pets,) = [r for r in preview.matrix.rows if r.api == "get-pets"]
    assert "[apigateway-references-resolve]" in get_pets.detail
    update = build_report("test", project_dir=OPEN_METHOD_PROJECT)
    assert statuses(update.matrix.rows) == {
        "get-pets GET /pets": "protected",
        "post-pets POST /pets": "UNPROTECTED",
    }


def method_under(parent: str, name: str = "get", **props: Any) -> RecordedResource:
    """A Cognito Method named `name` under a component of type `parent` (names repeat)."""
    inputs = {
        "restApi": "a1",
        "resourceId": "r1",
        "httpMethod": "GET",
        "authorization": "COGNITO_USER_POOLS",
        "authorizerId": "auth1",
        "authorizationScopes": ["https://api.example.com/read"],
        **props,
    }
    urn = make_urn(f"my:index:{parent}${METHOD}", name)
    return resource(METHOD, name, inputs, urn=urn)


def deferral(urns: list[str], text: str) -> Diagnostic:
    return Diagnostic(
        policy_name="apigateway-references-resolve",
        enforcement_level="advisory",
        message="can't run policy 'apigateway-references-resolve' from policy pack "
        f"'apigw-cognito-guard@v0.3.0' during preview: {text}\n{deferred_resources_line(urns)}",
        urn="",
        description="",
    )


def test_a_stack_level_deferral_marks_exactly_the_urns_it_names() -> None:
    first, second = method_under("Team"), method_under("Other")
    # The prose names "Method 'get'", which both Methods are called: only the URN line counts.
    finding = deferral([first.urn], "Method 'get' (GET /pets): authorizerId")
    matrix = build_matrix([from_record(first), from_record(second)], [finding], GUARANTEE)
    assert sorted(r.status for r in matrix.rows) == ["pending", "protected"]
    (pending,) = [r for r in matrix.rows if r.status == "pending"]
    assert pending.detail.startswith("[apigateway-references-resolve] can't run policy")
    # A deferral whose last line is not the fixed form marks nothing.
    loose = deferral([], f"Method 'get': authorizerId (see {first.urn})")
    matrix = build_matrix([from_record(first)], [loose], GUARANTEE)
    assert [r.status for r in matrix.rows] == ["protected"]


def test_an_analyze_finding_is_matched_by_the_urn_it_carries() -> None:
    open_method = method_under("Team", authorization="NONE")
    finding = Diagnostic(
        policy_name="apigateway-method-cognito-authorization",
        enforcement_level="mandatory",
        message="...",
        urn=open_method.urn,
        description="",
    )
    other = method_under("Other", authorization="NONE")
    matrix = build_matrix([from_record(open_method), from_record(other)], [finding], GUARANTEE)
    # Both are called "get": the finding's URN says which one it is about.
    assert sorted(r.status for r in matrix.rows) == ["UNPROTECTED", "exempt"]


def test_a_method_the_pack_passed_without_cognito_is_an_exempted_preflight() -> None:
    preflight = method_under("Team", "options", httpMethod="OPTIONS", authorization="NONE")
    (row,) = build_matrix([from_record(preflight)], [], GUARANTEE).rows
    assert row.status == "exempt"
    assert row.detail == (
        "CORS preflight OPTIONS left open by exemptCorsPreflightMock (on "
        "apigateway-method-cognito-authorization), its one integration a MOCK"
    )


def body_api() -> RecordedResource:
    scheme = {
        "type": "apiKey",
        "name": "Authorization",
        "in": "header",
        "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools", "providerARNs": [POOL]},
    }
    body = {
        "openapi": "3.0.1",
        "paths": {
            "/pets": {
                "get": {"security": [{"pool": ["https://api.example.com/read"]}]},
                "options": {"x-amazon-apigateway-integration": {"type": "mock"}},
            }
        },
        "components": {"securitySchemes": {"pool": scheme}},
    }
    return resource("aws:apigateway/restApi:RestApi", "api", {"body": json.dumps(body)})


def test_bodies_are_judged_with_the_packs_configuration() -> None:
    api = from_record(body_api())
    left_out = build_matrix([api], [], GUARANTEE)
    assert statuses(left_out.rows) == {
        "api GET /pets": "protected",
        "api OPTIONS /pets": "UNPROTECTED",
    }
    exempting = {"apigateway-restapi-body-operation-security": {"exemptCorsPreflightMock": True}}
    configured = build_matrix([api], [], GUARANTEE, policy_config=exempting)
    assert statuses(configured.rows) == {
        "api GET /pets": "protected",
        "api OPTIONS /pets": "exempt",
    }
    # Set on another policy, the property does not apply to bodies.
    elsewhere = {"apigateway-method-cognito-authorization": {"exemptCorsPreflightMock": True}}
    assert statuses(build_matrix([api], [], GUARANTEE, policy_config=elsewhere).rows) == statuses(
        left_out.rows
    )
    # An allowlist without the body's pool: the pack blocks every operation, so does the report.
    other = {"apigateway-restapi-body-operation-security": {"allowedUserPoolArns": ["arn:x"]}}
    blocked = build_matrix([api], [], GUARANTEE, policy_config=other)
    assert set(statuses(blocked.rows).values()) == {"UNPROTECTED"}
