# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The third bypass corpus's classes over the protocol, each beside its legitimate neighbour.

Quick create with overrides and the replacing integrations are in test_real_program_shapes.py
and test_cors_exemption.py; here: an HTTP API scheme with IAM and a JWT authorizer, operations
that are `$ref`s, and readable CloudFormation templates.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from offline_engine import PolicyPackProcess, resource
from tests.policies.stack_shapes import ISSUER, POOL, POOL_ALLOWLISTED

REST_BODY = "apigateway-restapi-body-operation-security"
HTTP_BODY = "apigateway-httpapi-body-route-security"
CFN = "apigateway-cloudformation-method-authorization"


@pytest.fixture
def declared(pack: PolicyPackProcess) -> PolicyPackProcess:
    pack.configure(default_level=None, config=POOL_ALLOWLISTED)
    return pack


def blocking(pack: PolicyPackProcess, res) -> list[tuple[str, str]]:
    diags = pack.analyze(res)
    assert all("can't run policy" not in d.message for d in diags), diags
    return [(d.policy_name, d.message.split("\n", 1)[-1]) for d in diags if d.mandatory]


def http_api(scheme: dict[str, Any]) -> Any:
    body = {
        "openapi": "3.0.1",
        "paths": {"/pets": {"get": {"security": [{"jwt": ["api/read"]}]}}},
        "components": {"securitySchemes": {"jwt": scheme}},
    }
    return resource(
        "aws:apigatewayv2/api:Api",
        "http",
        {"protocolType": "HTTP", "body": json.dumps(body), "failOnWarnings": True},
    )


JWT_SCHEME = {
    "type": "oauth2",
    "x-amazon-apigateway-authorizer": {
        "type": "jwt",
        "jwtConfiguration": {"issuer": ISSUER, "audience": ["client1"]},
    },
}


def test_http_body_scheme_with_iam_and_a_jwt_authorizer_fails_closed(declared):
    both = {**JWT_SCHEME, "x-amazon-apigateway-authtype": "awsSigv4"}
    ((policy, message),) = blocking(declared, http_api(both))
    assert policy == HTTP_BODY
    assert "scheme 'jwt' has x-amazon-apigateway-authtype 'awsSigv4' (IAM) and an " in message
    assert "AWS does not document which one API Gateway applies" in message


def test_http_body_jwt_scheme_alone_passes(declared):
    assert declared.analyze(http_api(JWT_SCHEME)) == []


COGNITO = {
    "type": "apiKey",
    "name": "Authorization",
    "in": "header",
    "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools", "providerARNs": [POOL]},
}


def rest_body(paths: dict[str, Any], **components: Any) -> Any:
    body = {
        "openapi": "3.0.1",
        "paths": paths,
        "components": {"securitySchemes": {"pool": COGNITO}, **components},
    }
    return resource(
        "aws:apigateway/restApi:RestApi", "api", {"body": json.dumps(body), "failOnWarnings": True}
    )


@pytest.mark.parametrize(
    ("operation", "beside"),
    [
        ({"$ref": "#/x-operations/getPets"}, ""),
        (
            {"$ref": "#/x-operations/getPets", "security": [{"pool": ["api/read"]}]},
            " (and the security beside it may be ignored: OpenAPI 3.0 ignores siblings of a $ref)",
        ),
        ({"$ref": "https://example.com/specs/pets.yaml#/getPets"}, ""),
    ],
    ids=["local", "with-security-beside", "external"],
)
def test_an_operation_that_is_a_ref_fails_closed(declared, operation, beside):
    ((policy, message),) = blocking(declared, rest_body({"/pets": {"get": operation}}))
    assert policy == REST_BODY
    assert (
        f"GET /pets is a $ref ({operation['$ref']!r}), which API Gateway resolves into an "
        f"operation this pack cannot see{beside}; define the operation inline (an external $ref "
        "cannot be imported: bundle the document first)"
    ) in message


def test_many_ref_operations_are_named_by_the_first_few(declared):
    paths = {f"/p{i}": {"get": {"$ref": f"#/x-ops/op{i}"}} for i in range(659)}
    ((_, message),) = blocking(declared, rest_body(paths))
    assert message.count("is a $ref") == 5
    assert "and 654 more" in message


def test_refs_inside_an_inline_operation_stay_fine(declared):
    # The neighbour: schemas, parameters and responses by $ref are ordinary OpenAPI.
    operation = {
        "security": [{"pool": ["api/read"]}],
        "parameters": [{"$ref": "#/components/parameters/limit"}],
        "responses": {"200": {"$ref": "#/components/responses/Pets"}},
    }
    api = rest_body(
        {"/pets": {"get": operation}},
        parameters={"limit": {"name": "limit", "in": "query"}},
        responses={"Pets": {"description": "pets"}},
    )
    assert declared.analyze(api) == []


def cfn(template: dict[str, Any] | str, type_: str = "aws:cloudformation/stack:Stack") -> Any:
    body = template if isinstance(template, str) else json.dumps(template)
    return resource(type_, "cfn", {"templateBody": body})


AUTHORIZER = {
    "Type": "AWS::ApiGateway::Authorizer",
    "Properties": {"Type": "COGNITO_USER_POOLS", "ProviderARNs": [POOL], "RestApiId": "x"},
}


def template(**method: Any) -> dict[str, Any]:
    props = {"HttpMethod": "GET", "ResourceId": "r", "RestApiId": "x", **method}
    return {
        "Resources": {
            "Auth": AUTHORIZER,
            "GetPets": {"Type": "AWS::ApiGateway::Method", "Properties": props},
        }
    }


SOUND = {
    "AuthorizationType": "COGNITO_USER_POOLS",
    "AuthorizerId": {"Ref": "Auth"},
    "AuthorizationScopes": ["https://api.example.com/read"],
}


def test_readable_template_with_an_open_method_is_blocked(declared):
    ((policy, message),) = blocking(declared, cfn(template(AuthorizationType="NONE")))
    assert policy == CFN
    assert message.startswith(
        "Stack 'cfn': template resource GetPets (AWS::ApiGateway::Method, GET): "
        "AuthorizationType is 'NONE', not 'COGNITO_USER_POOLS'. Fix: "
    )


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"AuthorizationType": {"Ref": "AuthType"}}, "the intrinsic function Ref"),
        ({"AuthorizationType": {"Fn::If": ["Prod", "COGNITO_USER_POOLS", "NONE"]}}, "Fn::If"),
        ({"AuthorizerId": {"Fn::ImportValue": "shared-authorizer"}}, "Fn::ImportValue"),
    ],
)
def test_parameters_conditions_and_intrinsics_in_those_places_fail_closed(
    declared, change, fragment
):
    ((policy, message),) = blocking(declared, cfn(template(**{**SOUND, **change})))
    assert policy == CFN
    assert fragment in message


def test_readable_template_with_a_cognito_method_passes(declared):
    # The neighbour, in YAML with short-form intrinsics, and through aws-native's object body.
    yaml_template = f"""
Resources:
  Auth:
    Type: AWS::ApiGateway::Authorizer
    Properties: {{Type: COGNITO_USER_POOLS, ProviderARNs: ["{POOL}"], RestApiId: x}}
  GetPets:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      AuthorizationType: COGNITO_USER_POOLS
      AuthorizerId: !Ref Auth
      AuthorizationScopes: [!Sub "https://${{Domain}}/read"]
"""
    assert declared.analyze(cfn(yaml_template)) == []
    native = resource("aws-native:cloudformation:Stack", "cfn", {"templateBody": template(**SOUND)})
    assert declared.analyze(native) == []


def test_nested_stacks_and_sam_stay_advisory(declared):
    nested = {"Resources": {"Child": {"Type": "AWS::CloudFormation::Stack"}}}
    diags = declared.analyze(cfn(nested))
    assert [(d.policy_name, d.enforcement_level) for d in diags] == [
        ("apigateway-cloudformation-hidden-methods", "advisory")
    ]
    sam = {"Resources": {"Api": {"Type": "AWS::Serverless::Api"}}}
    assert [d.enforcement_level for d in declared.analyze(cfn(sam))] == ["advisory"]
