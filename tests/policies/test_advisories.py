# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Issue 9's advisories over the protocol: built-in scopes OR-ed with custom ones (item 7), and
what the pack cannot see into (item 10), each beside a neighbour that stays silent."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offline_engine import PolicyPackProcess, resource

POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123"
SCOPES_POLICY = "apigateway-scopes-not-builtin-only"
HIDDEN_POLICY = "apigateway-cloudformation-hidden-methods"
BUILTINS = ["openid", "email", "profile", "phone", "aws.cognito.signin.user.admin"]


def analyze(pack: PolicyPackProcess, res: Any, policy: str) -> list[str]:
    pack.configure(default_level=None)
    diags = pack.analyze(res)
    assert all("can't run policy" not in d.message for d in diags), diags
    return [d.message for d in diags if d.policy_name == policy]


def method(scopes: list[str], type_: str = "aws:apigateway/method:Method") -> Any:
    return resource(
        type_,
        "m",
        {
            "restApi": "a",
            "restApiId": "a",
            "resourceId": "r",
            "httpMethod": "GET",
            "authorization": "COGNITO_USER_POOLS",
            "authorizerId": "x",
            "authorizationScopes": scopes,
        },
    )


def body_api(security: list[Any]) -> Any:
    scheme = {
        "type": "apiKey",
        "name": "Authorization",
        "in": "header",
        "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools", "providerARNs": [POOL]},
    }
    body = {
        "openapi": "3.0.1",
        "paths": {"/pets": {"get": {"security": security}}},
        "components": {"securitySchemes": {"pool": scheme}},
    }
    return resource(
        "aws:apigateway/restApi:RestApi",
        "api",
        {"body": json.dumps(body), "failOnWarnings": True},
    )


# ---- 7. a built-in scope OR-ed with a custom one -----------------------------------------------
def test_builtin_scope_beside_a_custom_one_is_advised_on_a_method(pack):
    messages = analyze(pack, method(["api/read", "openid"]), SCOPES_POLICY)
    assert len(messages) == 1, messages
    assert "['openid']" in messages[0]
    assert "every user who can sign in gets in" in messages[0]


@pytest.mark.parametrize(
    "security",
    [
        [{"pool": ["api/read", "aws.cognito.signin.user.admin"]}],
        [{"pool": ["api/read"]}, {"pool": ["email"]}],  # alternatives: any one suffices too
    ],
)
def test_builtin_scope_beside_a_custom_one_is_advised_in_a_body(pack, security):
    messages = analyze(pack, body_api(security), SCOPES_POLICY)
    assert len(messages) == 1, messages
    assert "body (GET /pets) accepts any one of" in messages[0]


def test_custom_scopes_only_are_silent(pack):
    assert analyze(pack, method(["api/read", "api/write"]), SCOPES_POLICY) == []
    assert analyze(pack, body_api([{"pool": ["api/read", "api/write"]}]), SCOPES_POLICY) == []


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.sampled_from([*BUILTINS, "api/read", "api/write"]), min_size=1, unique=True))
def test_any_builtin_among_a_methods_scopes_is_advised(pack, scopes):
    messages = analyze(pack, method(scopes), SCOPES_POLICY)
    assert bool(messages) == any(s in BUILTINS for s in scopes), (scopes, messages)


# ---- 10. what the pack cannot see into ----------------------------------------------------------
def cfn_stack(template: dict[str, Any], type_: str = "aws:cloudformation/stack:Stack") -> Any:
    return resource(type_, "cfn", {"name": "cfn", "templateBody": json.dumps(template)})


@pytest.mark.parametrize(
    ("template", "fragment"),
    [
        (
            {"Resources": {"Nested": {"Type": "AWS::CloudFormation::Stack"}}},
            "Nested (AWS::CloudFormation::Stack)",
        ),
        (
            {"Resources": {"App": {"Type": "AWS::Serverless::Application"}}},
            "App (AWS::Serverless::Application)",
        ),
        ({"Transform": "AWS::Include", "Resources": {}}, "the AWS::Include transform"),
        (
            {
                "Resources": {
                    "Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://x"}}
                }
            },
            "the AWS::Include transform",
        ),
    ],
)
def test_nested_or_included_templates_are_advised(pack, template, fragment):
    messages = analyze(pack, cfn_stack(template), HIDDEN_POLICY)
    assert any(fragment in m and "cannot see" in m for m in messages), messages


def test_plain_template_is_silent(pack):
    template = {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}}
    assert analyze(pack, cfn_stack(template), HIDDEN_POLICY) == []
    serverless = {"Transform": "AWS::Serverless-2016-10-31", "Resources": {}}
    assert analyze(pack, cfn_stack(serverless), HIDDEN_POLICY) == []


@pytest.mark.parametrize(
    "type_",
    [
        "aws:serverlessrepository/cloudFormationStack:CloudFormationStack",
        "aws:index/serverlessapplicationrepositoryCloudformationStack:"
        "ServerlessapplicationrepositoryCloudformationStack",
    ],
)
def test_serverless_application_repository_app_is_advised(pack, type_):
    app = resource(
        type_, "app", {"applicationId": "arn:aws:serverlessrepo:us-east-1:1:applications/x"}
    )
    messages = analyze(pack, app, HIDDEN_POLICY)
    assert any("Serverless Application Repository" in m for m in messages), messages


def test_bridged_terraform_stack_is_read_like_the_classic_one(pack):
    template = {"Resources": {"M": {"Type": "AWS::Serverless::Api"}}}
    bridged = cfn_stack(template, "aws:index/cloudformationStack:CloudformationStack")
    assert any("M (AWS::Serverless::Api)" in m for m in analyze(pack, bridged, HIDDEN_POLICY))
    method_template = {"Resources": {"M": {"Type": "AWS::ApiGateway::Method"}}}
    messages = analyze(
        pack,
        cfn_stack(method_template, "aws:index/cloudformationStack:CloudformationStack"),
        "apigateway-cloudformation-method-authorization",
    )
    assert any("M (AWS::ApiGateway::Method, ?): has no Properties" in m for m in messages)


BRIDGED_METHOD = "aws:index/apiGatewayMethod:ApiGatewayMethod"


def test_bridged_terraform_method_is_judged_like_the_classic_one(pack):
    pack.configure(default_level=None)
    open_method = resource(
        BRIDGED_METHOD,
        "m",
        {"restApiId": "a", "resourceId": "r", "httpMethod": "GET", "authorization": "NONE"},
    )
    # Judged before it exists, like every Method.
    diags = pack.analyze(open_method)
    assert any(
        d.mandatory and d.policy_name == "apigateway-method-cognito-authorization" for d in diags
    ), diags
    guarded = method(["api/read"], BRIDGED_METHOD)
    own = "apigateway-method-cognito-authorization"
    assert [d for d in pack.analyze_all([guarded]) if d.policy_name == own] == []


def test_bridged_terraform_body_is_judged_like_the_classic_one(pack):
    pack.configure(default_level=None)
    body = {"openapi": "3.0.1", "paths": {"/pets": {"get": {}}}}
    api = resource(
        "aws:index/apiGatewayRestApi:ApiGatewayRestApi",
        "api",
        {"body": json.dumps(body), "failOnWarnings": True},
    )
    diags = pack.analyze(api)
    assert any(
        d.mandatory and d.policy_name == "apigateway-restapi-body-operation-security" for d in diags
    ), diags
