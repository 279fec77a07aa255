# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The pack over its gRPC protocol: metadata, configuration, preview unknowns, advisories."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pulumi.runtime.proto import analyzer_pb2

from offline_engine import (
    COMPUTED,
    Computed,
    PolicyPackProcess,
    RecordedResource,
    Secret,
    make_urn,
    resource,
)
from offline_engine.policy_pack import DEFAULT_PACK_DIR
from tests.policies.stack_shapes import POOL_ALLOWLISTED

POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123"
GUARANTEE = {
    "apigateway-method-cognito-authorization",
    "apigateway-method-cognito-authorizer",
    "apigateway-restapi-body-operation-security",
    "apigateway-route-cognito-jwt-authorization",
    "apigateway-route-cognito-jwt-authorizer",
    "apigateway-httpapi-body-route-security",
    "apigateway-httpapi-no-quick-create",
    "apigateway-cloudformation-method-authorization",
    "apigateway-references-resolve",
}
# What each policy's config schema declares: exactly the properties it reads.
CONFIG = {
    "apigateway-method-cognito-authorization": {"exemptCorsPreflightMock"},
    "apigateway-method-cognito-authorizer": {"allowedUserPoolArns"},
    "apigateway-restapi-body-operation-security": {
        "exemptCorsPreflightMock",
        "allowedUserPoolArns",
    },
    "apigateway-route-cognito-jwt-authorization": {"allowedWebSocketApis"},
    "apigateway-route-cognito-jwt-authorizer": {"allowedUserPoolArns"},
    "apigateway-httpapi-body-route-security": {"allowedUserPoolArns"},
    "apigateway-cloudformation-method-authorization": {
        "exemptCorsPreflightMock",
        "allowedUserPoolArns",
    },
    "apigateway-authorizer-pool-not-in-stack": {"allowedUserPoolArns"},
}
ADVISORIES = {
    "apigateway-scopes-not-builtin-only",
    "apigateway-restapi-put-mode-overwrite",
    "apigateway-restapi-fail-on-warnings",
    "apigateway-cloudformation-hidden-methods",
    "apigateway-cognito-user-flow-reaches-api-scopes",
    "apigateway-authorizer-pool-not-in-stack",
}


def doc(paths: Any, arns=None) -> dict[str, Any]:
    return {
        "openapi": "3.0.1",
        "paths": paths,
        "components": {
            "securitySchemes": {
                "pool": {
                    "type": "apiKey",
                    "name": "Authorization",
                    "in": "header",
                    "x-amazon-apigateway-authorizer": {
                        "type": "cognito_user_pools",
                        "providerARNs": [POOL] if arns is None else arns,
                    },
                }
            }
        },
    }


def protected(*scopes: str) -> dict[str, Any]:
    return {"security": [{"pool": list(scopes or ("api/read",))}]}


def put(body: Any, **extra: Any) -> RecordedResource:
    return resource(
        "aws:apigateway/restApiPut:RestApiPut",
        "api-body",
        {"restApiId": "abc", "failOnWarnings": True, "body": body, **extra},
    )


def inputs_of_method(**props: Any) -> dict[str, Any]:
    """A classic Method's inputs on GET with a sound Cognito setting; `props` override."""
    base = {
        "restApi": "a",
        "resourceId": "r",
        "httpMethod": "GET",
        "authorization": "COGNITO_USER_POOLS",
        "authorizerId": "x",
        "authorizationScopes": ["api/read"],
    }
    return {**base, **props}


def method_(**props: Any) -> RecordedResource:
    return resource("aws:apigateway/method:Method", "m", inputs_of_method(**props))


def open_method() -> RecordedResource:
    return resource(
        "aws:apigateway/method:Method",
        "m",
        {"restApi": "a", "resourceId": "r", "httpMethod": "GET", "authorization": "NONE"},
    )


@pytest.fixture
def declared(pack: PolicyPackProcess) -> PolicyPackProcess:
    # The stacks here trust a pool they do not create; naming it keeps item 9's advisory (see
    # test_user_pool_advisories.py) out of what these tests are about.
    pack.configure(default_level=None, config=POOL_ALLOWLISTED)
    return pack


def test_pack_metadata_names_levels_and_remediation(pack: PolicyPackProcess):
    info = pack.info()
    assert info.name == "apigw-cognito-guard"
    assert info.supportsConfig
    levels = pack.declared_levels()
    assert set(levels) == GUARANTEE | ADVISORIES
    assert {n for n, lvl in levels.items() if lvl == "mandatory"} == GUARANTEE
    assert {n for n, lvl in levels.items() if lvl == "advisory"} == ADVISORIES
    for policy in info.policies:
        assert policy.name.startswith("apigateway-")
        assert policy.description.endswith(".")
        assert policy.remediation_steps
        assert policy.severity != analyzer_pb2.POLICY_SEVERITY_UNSPECIFIED
        assert set(policy.configSchema.properties) == CONFIG.get(policy.name, set()), policy.name


def test_pack_version_is_the_declared_one(pack: PolicyPackProcess):
    declared = (DEFAULT_PACK_DIR / "PulumiPolicy.yaml").read_text(encoding="utf-8")
    assert "version: 0.3.0" in declared.splitlines()
    project = (DEFAULT_PACK_DIR / "pyproject.toml").read_text(encoding="utf-8")
    assert 'version = "0.3.0"' in project.splitlines()


def test_configure_sends_every_level_explicitly(pack: PolicyPackProcess):
    sent = pack.configure(levels={"apigateway-httpapi-no-quick-create": "disabled"})
    assert set(sent) == GUARANTEE | ADVISORIES
    assert sent["apigateway-httpapi-no-quick-create"] == "disabled"
    assert sent["apigateway-scopes-not-builtin-only"] == "mandatory"
    with pytest.raises(KeyError, match="no such policy"):
        pack.configure(levels={"nope": "advisory"})


def test_a_configure_without_level_reads_as_advisory(pack: PolicyPackProcess):
    # Why the harness always sends a level: the SDK maps an unset level to advisory.
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for name in pack.policy_names():
        request.policyConfig[name].CopyFrom(analyzer_pb2.PolicyConfig())
    pack._stub.Configure(request)
    method = open_method()
    diags = pack.analyze_all([method])
    assert [d.enforcement_level for d in diags] == ["advisory"]


def test_disabled_policy_reports_nothing(pack: PolicyPackProcess):
    pack.configure(levels={"apigateway-method-cognito-authorization": "disabled"})
    method = open_method()
    assert pack.analyze(method) == []


def test_unknown_body_in_preview_is_an_advisory_not_a_crash(declared: PolicyPackProcess):
    diags = declared.analyze(put(COMPUTED))
    assert len(diags) == 1
    (diag,) = diags
    assert diag.policy_name == "apigateway-restapi-body-operation-security"
    assert diag.enforcement_level == "advisory"
    assert "during preview" in diag.message
    assert "checked (and enforced) at update" in diag.message
    assert declared.engine is not None
    assert declared.engine.logs == []


def test_unknown_pool_arn_in_object_body_defers_but_open_operation_still_blocks(
    declared: PolicyPackProcess,
):
    body = doc({"/pets": {"get": protected(), "post": {}}}, arns=[COMPUTED])
    api = resource(
        "aws-native:apigateway:RestApi",
        "native",
        {"body": body, "failOnWarnings": True},
    )
    diags = declared.analyze(api)
    mandatory = [d for d in diags if d.mandatory]
    assert len(mandatory) == 1
    assert "POST /pets has no operation-level security" in mandatory[0].message
    advisory = [d for d in diags if not d.mandatory]
    assert len(advisory) == 1
    assert "GET /pets" in advisory[0].message
    assert "user pool ARNs" in advisory[0].message


def test_known_body_is_enforced(declared: PolicyPackProcess):
    body = json.dumps(doc({"/pets": {"get": {}}}))
    diags = declared.analyze(put(body))
    assert [(d.policy_name, d.enforcement_level) for d in diags] == [
        ("apigateway-restapi-body-operation-security", "mandatory")
    ]


def test_secret_body_is_judged(declared: PolicyPackProcess):
    body = json.dumps(doc({"/pets": {"get": {}}}))
    diags = declared.analyze(put(Secret(body)))
    assert [d.policy_name for d in diags] == ["apigateway-restapi-body-operation-security"]
    assert "GET /pets" in diags[0].message


def test_unknown_method_authorization_defers(declared: PolicyPackProcess):
    method = method_(authorization=COMPUTED)
    diags = declared.analyze_all([method])
    assert [(d.enforcement_level, "authorization" in d.message) for d in diags] == [
        ("advisory", True)
    ]


def test_unknown_authorizer_pools_at_stack_level_defer(declared: PolicyPackProcess):
    auth = resource(
        "aws:apigateway/authorizer:Authorizer",
        "auth",
        {"restApi": "a", "type": "COGNITO_USER_POOLS", "providerArns": Computed("array")},
    )
    method = resource(
        "aws:apigateway/method:Method",
        "m",
        inputs_of_method(authorizerId=COMPUTED),
        property_dependencies={"authorizerId": [auth.urn]},
    )
    diags = declared.analyze_stack([method, auth])
    assert [d.enforcement_level for d in diags] == ["advisory"]
    assert "authorizerId" in diags[0].message


def test_stack_resolves_authorizer_by_id_without_property_dependencies(
    declared: PolicyPackProcess,
):
    auth = resource(
        "aws-native:apigateway:Authorizer",
        "auth",
        {"restApiId": "a", "type": "COGNITO_USER_POOLS", "providerArns": [POOL]},
        outputs={
            "restApiId": "a",
            "type": "COGNITO_USER_POOLS",
            "providerArns": [POOL],
            "authorizerId": "xyz",
        },
    )
    method = resource(
        "aws-native:apigateway:Method",
        "m",
        {
            "restApiId": "a",
            "resourceId": "r",
            "httpMethod": "GET",
            "authorizationType": "COGNITO_USER_POOLS",
            "authorizerId": "xyz",
            "authorizationScopes": ["api/read"],
        },
    )
    assert declared.analyze_all([method, auth]) == []


def test_stack_policy_names_a_method_by_its_full_path(declared: PolicyPackProcess):
    api = resource("aws:apigateway/restApi:RestApi", "api", {"name": "api"})
    pets = resource(
        "aws:apigateway/resource:Resource",
        "pets",
        {"restApi": "a", "parentId": "root", "pathPart": "pets"},
        property_dependencies={"parentId": [api.urn]},
    )
    pet = resource(
        "aws:apigateway/resource:Resource",
        "pet",
        {"restApi": "a", "parentId": "p1", "pathPart": "{petId}"},
        property_dependencies={"parentId": [pets.urn]},
    )
    method = resource(
        "aws:apigateway/method:Method",
        "m",
        inputs_of_method(authorizerId="other-stacks-authorizer"),
        property_dependencies={"resourceId": [pet.urn]},
    )
    diags = declared.analyze_stack([api, pets, pet, method])
    assert [d.policy_name for d in diags] == ["apigateway-references-resolve"]
    assert (
        "Method 'm' (GET /pets/{petId}): authorizerId 'other-stacks-authorizer' does not "
        "resolve to an authorizer in this stack"
    ) in diags[0].message


def test_lambda_authorizer_is_refused_when_created_before_any_method(
    declared: PolicyPackProcess,
):
    lam = resource("aws:apigateway/authorizer:Authorizer", "lam", {"restApi": "a", "type": "TOKEN"})
    (diag,) = declared.analyze(lam)
    assert (diag.policy_name, diag.mandatory) == ("apigateway-method-cognito-authorizer", True)
    assert "Authorizer 'lam': type is 'TOKEN' (a Lambda authorizer)" in diag.message


def test_route_issuer_outside_allowlist_blocks(pack: PolicyPackProcess):
    pack.configure(
        default_level=None,
        config={
            "apigateway-route-cognito-jwt-authorizer": {
                "allowedUserPoolArns": [POOL.replace("AbC123", "Other9")]
            },
            **POOL_ALLOWLISTED,
        },
    )
    jwt = resource(
        "aws:apigatewayv2/authorizer:Authorizer",
        "jwt",
        {
            "authorizerType": "JWT",
            "jwtConfiguration": {
                "issuer": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"
            },
        },
    )
    route = resource(
        "aws:apigatewayv2/route:Route",
        "r",
        {
            "routeKey": "GET /pets",
            "authorizationType": "JWT",
            "authorizerId": "j",
            "authorizationScopes": ["api/read"],
        },
        property_dependencies={"authorizerId": [jwt.urn]},
    )
    diags = pack.analyze_all([route, jwt])
    assert [(d.policy_name, d.mandatory) for d in diags] == [
        ("apigateway-route-cognito-jwt-authorizer", True)
    ]
    assert "outside the allowed list (allowedUserPoolArns)" in diags[0].message


# -- advisories ---------------------------------------------------------------------------


def only(diags, policy):
    assert [(d.policy_name, d.enforcement_level) for d in diags] == [(policy, "advisory")], diags
    return diags[0].message


def test_builtin_only_scopes_on_body_operation(declared: PolicyPackProcess):
    body = json.dumps(doc({"/me": {"get": protected("openid", "email")}}))
    message = only(declared.analyze(put(body)), "apigateway-scopes-not-builtin-only")
    assert "GET /me" in message


def test_builtin_only_scopes_on_method_and_route(declared: PolicyPackProcess):
    method = method_(authorizationScopes=["aws.cognito.signin.user.admin"])
    only(declared.analyze(method), "apigateway-scopes-not-builtin-only")
    route = resource(
        "aws:apigatewayv2/route:Route",
        "r",
        {
            "routeKey": "GET /me",
            "authorizationType": "JWT",
            "authorizerId": "j",
            "authorizationScopes": ["profile"],
        },
    )
    assert "GET /me" in only(declared.analyze(route), "apigateway-scopes-not-builtin-only")


def test_merge_mode_is_advised_against(declared: PolicyPackProcess):
    body = json.dumps(doc({"/pets": {"get": protected()}}))
    api = resource(
        "aws:apigateway/restApi:RestApi",
        "api",
        {"body": body, "failOnWarnings": True, "putRestApiMode": "merge"},
    )
    message = only(declared.analyze(api), "apigateway-restapi-put-mode-overwrite")
    assert "stay live" in message


def test_fail_on_warnings_off_is_advised_against(declared: PolicyPackProcess):
    body = json.dumps(doc({"/pets": {"get": protected()}}))
    api = resource("aws:apigateway/restApi:RestApi", "api", {"body": body})
    assert "unset (false)" in only(declared.analyze(api), "apigateway-restapi-fail-on-warnings")


def test_http_api_quick_create_is_blocked(declared: PolicyPackProcess):
    api = resource(
        "aws:apigatewayv2/api:Api",
        "quick",
        {"protocolType": "HTTP", "target": "arn:aws:lambda:us-east-1:123456789012:function:f"},
    )
    diags = declared.analyze(api)  # before the Api exists
    assert [(d.policy_name, d.mandatory) for d in diags] == [
        ("apigateway-httpapi-no-quick-create", True)
    ]
    assert "$default" in diags[0].message


CFN_YAML = """
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Open:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      AuthorizationType: NONE
  Bucket:
    Type: AWS::S3::Bucket
"""


def test_cloudformation_open_method_is_blocked_and_unreadable_parts_advised(
    declared: PolicyPackProcess,
):
    stack = resource("aws:cloudformation/stack:Stack", "cfn", {"templateBody": CFN_YAML})
    diags = declared.analyze(stack)
    assert [(d.policy_name, d.enforcement_level) for d in diags] == [
        ("apigateway-cloudformation-method-authorization", "mandatory")
    ]
    assert (
        "Stack 'cfn': template resource Open (AWS::ApiGateway::Method, GET): AuthorizationType is "
        "'NONE', not 'COGNITO_USER_POOLS'."
    ) in diags[0].message
    assert "Bucket" not in diags[0].message
    plain = resource(
        "aws:cloudformation/stack:Stack",
        "cfn2",
        {"templateBody": json.dumps({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}})},
    )
    assert declared.analyze(plain) == []
    remote = resource(
        "aws:cloudformation/stack:Stack", "cfn3", {"templateUrl": "https://s3/x.yaml"}
    )
    assert "templateUrl" in only(
        declared.analyze(remote), "apigateway-cloudformation-hidden-methods"
    )


def test_violations_carry_the_resource_urn_at_stack_level(declared: PolicyPackProcess):
    method = method_(authorizerId="elsewhere")
    (diag,) = declared.analyze_stack([method])
    assert diag.urn == make_urn("aws:apigateway/method:Method", "m")


# -- review round: robustness and config ----------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "[" * 200_000 + "]" * 200_000,
        '{"openapi": "3.0.1", "paths": ' + '{"a": ' * 50_000 + "{}" + "}" * 50_001,
        "a:\n" + "".join(" " * i + "- b:\n" for i in range(1, 3000)),
    ],
    ids=["json-array", "json-object", "yaml"],
)
def test_deeply_nested_body_fails_closed_without_crashing(declared: PolicyPackProcess, body):
    diags = declared.analyze(put(body))
    mandatory = [d for d in diags if d.mandatory]
    assert [d.policy_name for d in mandatory] == ["apigateway-restapi-body-operation-security"]
    assert "failing closed" in mandatory[0].message
    assert all("can't run policy" not in d.message for d in diags)


def test_exemption_config_of_the_wrong_type_is_reported_and_treated_as_off(
    pack: PolicyPackProcess,
):
    pack.configure(
        default_level=None,
        config={"apigateway-restapi-body-operation-security": {"exemptCorsPreflightMock": "yes"}},
    )
    body = json.dumps(
        doc({"/pets": {"options": {"x-amazon-apigateway-integration": {"type": "mock"}}}})
    )
    messages = [d.message for d in pack.analyze(put(body)) if d.mandatory]
    assert any(
        "policy config: exemptCorsPreflightMock must be true or false" in m for m in messages
    )
    assert any("OPTIONS /pets has no operation-level security" in m for m in messages)


def test_unknown_issuer_in_http_api_body_defers(declared: PolicyPackProcess):
    body = {
        "openapi": "3.0.1",
        "paths": {"/pets": {"get": {"security": [{"jwt": ["api/read"]}]}, "post": {}}},
        "components": {
            "securitySchemes": {
                "jwt": {
                    "type": "oauth2",
                    "x-amazon-apigateway-authorizer": {
                        "type": "jwt",
                        "jwtConfiguration": {"issuer": COMPUTED, "audience": ["c"]},
                    },
                }
            }
        },
    }
    api = resource("aws-native:apigatewayv2:Api", "http", {"body": body, "failOnWarnings": True})
    diags = declared.analyze(api)
    assert [(d.enforcement_level, "POST /pets" in d.message) for d in diags] == [
        ("mandatory", True),
        ("advisory", False),
    ]
    assert "JWT issuer of scheme 'jwt'" in diags[1].message


def test_native_cloudformation_stack_object_template_is_read(declared: PolicyPackProcess):
    template = {"Resources": {"Open": {"Type": "AWS::ApiGateway::Method", "Properties": {}}}}
    stack = resource("aws-native:cloudformation:Stack", "cfn", {"templateBody": template})
    diags = declared.analyze(stack)
    assert [(d.policy_name, d.mandatory) for d in diags] == [
        ("apigateway-cloudformation-method-authorization", True)
    ]
    assert "Open (AWS::ApiGateway::Method, ?): AuthorizationType is 'NONE'" in diags[0].message
    stack_set = resource(
        "aws:cloudformation/stackSet:StackSet", "set", {"templateUrl": "https://s3/t.yaml"}
    )
    assert "templateUrl" in only(
        declared.analyze(stack_set), "apigateway-cloudformation-hidden-methods"
    )
