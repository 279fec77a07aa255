"""Judging the REST API Methods of a readable CloudFormation template."""

from __future__ import annotations

from typing import Any

import pytest

from apigw_guard.model.cloudformation import method_faults, parse_template

POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123"


def template(method: dict[str, Any], authorizer: dict[str, Any] | None = None) -> dict[str, Any]:
    resources: dict[str, Any] = {
        "Pool": {"Type": "AWS::Cognito::UserPool"},
        "Get": {"Type": "AWS::ApiGateway::Method", "Properties": {"HttpMethod": "GET", **method}},
        "Auth": {
            "Type": "AWS::ApiGateway::Authorizer",
            "Properties": authorizer
            if authorizer is not None
            else {"Type": "COGNITO_USER_POOLS", "ProviderARNs": [{"Fn::GetAtt": ["Pool", "Arn"]}]},
        },
    }
    return {"Resources": resources}


SOUND = {
    "AuthorizationType": "COGNITO_USER_POOLS",
    "AuthorizerId": {"Ref": "Auth"},
    "AuthorizationScopes": ["api/read"],
}


@pytest.mark.parametrize(
    "method",
    [
        SOUND,
        {**SOUND, "AuthorizerId": {"Fn::GetAtt": ["Auth", "AuthorizerId"]}},
        {**SOUND, "AuthorizationScopes": [{"Fn::Sub": "${Server}/read"}]},
    ],
)
def test_protected_methods_pass(method):
    assert method_faults(template(method)) == []


@pytest.mark.parametrize(
    ("method", "fragment"),
    [
        ({}, "AuthorizationType is 'NONE'"),
        ({**SOUND, "AuthorizationType": "AWS_IAM"}, "'AWS_IAM'"),
        ({**SOUND, "AuthorizationType": {"Ref": "AuthType"}}, "intrinsic function Ref"),
        ({**SOUND, "AuthorizationType": {"Fn::If": ["C", "NONE", "x"]}}, "Fn::If"),
        ({**SOUND, "AuthorizerId": "abc123"}, "not a Ref or Fn::GetAtt"),
        ({**SOUND, "AuthorizerId": {"Ref": "AuthParam"}}, "not an AWS::ApiGateway::Authorizer"),
        ({**SOUND, "AuthorizationScopes": []}, "AuthorizationScopes is empty"),
        ({**SOUND, "AuthorizationScopes": {"Ref": "Scopes"}}, "intrinsic function Ref"),
        ({**SOUND, "AuthorizationScopes": [{"Ref": "Scope"}]}, "blank or could be"),
        ({**SOUND, "AuthorizationScopes": [{"Fn::Sub": "${S}"}]}, "blank or could be"),
    ],
)
def test_faults_and_intrinsics_that_fail_closed(method, fragment):
    faults = method_faults(template(method))
    assert len(faults) == 1, faults
    assert fragment in faults[0].problem
    assert faults[0].method == "Get (AWS::ApiGateway::Method, GET)"


@pytest.mark.parametrize(
    ("authorizer", "fragment"),
    [
        ({"Type": "TOKEN"}, "has Type 'TOKEN'"),
        ({"Type": "COGNITO_USER_POOLS"}, "no ProviderARNs"),
        ({"Type": "COGNITO_USER_POOLS", "ProviderARNs": ["arn:x"]}, "not user pool ARNs"),
        ({"Type": "COGNITO_USER_POOLS", "ProviderARNs": [{"Ref": "PoolArn"}]}, "Ref"),
    ],
)
def test_the_authorizer_of_the_template_is_judged(authorizer, fragment):
    (fault,) = method_faults(template(SOUND, authorizer))
    assert fragment in fault.problem


def test_literal_pool_arns_and_the_allowlist():
    literal = {"Type": "COGNITO_USER_POOLS", "ProviderARNs": [POOL]}
    assert method_faults(template(SOUND, literal), allowed_pool_arns=[POOL]) == []
    (fault,) = method_faults(template(SOUND), allowed_pool_arns=[POOL])
    assert "cannot be on the allowed list" in fault.problem


def test_mock_preflight_exempted_only_when_asked():
    preflight = {"HttpMethod": "OPTIONS", "Integration": {"Type": "MOCK"}}
    assert len(method_faults(template(preflight))) == 1
    assert method_faults(template(preflight), exempt_mock_options=True) == []


def test_yaml_short_form_intrinsics_stay_intrinsics():
    text = """
Resources:
  Pool: {Type: "AWS::Cognito::UserPool"}
  Auth:
    Type: AWS::ApiGateway::Authorizer
    Properties: {Type: COGNITO_USER_POOLS, ProviderARNs: [!GetAtt Pool.Arn]}
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      AuthorizationType: COGNITO_USER_POOLS
      AuthorizerId: !Ref Auth
      AuthorizationScopes: [!Sub "${Server}/read"]
  Open:
    Type: AWS::ApiGateway::Method
    Properties: {HttpMethod: POST, AuthorizationType: !Ref AuthType}
"""
    parsed = parse_template(text)
    assert parsed is not None
    faults = method_faults(parsed)
    assert [f.method for f in faults] == ["Open (AWS::ApiGateway::Method, POST)"]
    assert "intrinsic function Ref" in faults[0].problem
