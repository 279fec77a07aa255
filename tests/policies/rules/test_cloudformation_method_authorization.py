# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""apigateway-cloudformation-method-authorization: a compliant template, then one change per
fault, per unknown and per config property (left out, set, of the wrong type)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from apigw_guard.model.resource_types import CLOUDFORMATION_STACK_TYPES
from apigw_guard.rules.cloudformation_method_authorization import policy
from offline_engine import COMPUTED, RecordedResource, resource
from tests.policies.rules.harness import analyze, assert_metadata

NAME = "apigateway-cloudformation-method-authorization"
POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123"
FIX = (
    "Fix: give the Method AuthorizationType COGNITO_USER_POOLS, AuthorizerId !Ref (or !GetAtt "
    "<id>.AuthorizerId) of an AWS::ApiGateway::Authorizer of type COGNITO_USER_POOLS in the same "
    "template, and AuthorizationScopes listing at least one resource-server scope, written "
    "literally; or declare the API with Pulumi resources."
)
SOUND_YAML = f"""
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Auth:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref Api
      Type: COGNITO_USER_POOLS
      ProviderARNs: [{POOL}]
  GetItems:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      AuthorizationType: COGNITO_USER_POOLS
      AuthorizerId: !Ref Auth
      AuthorizationScopes: [https://api.example.com/read]
"""
SOUND_METHOD: dict[str, Any] = {
    "HttpMethod": "GET",
    "AuthorizationType": "COGNITO_USER_POOLS",
    "AuthorizerId": {"Ref": "Auth"},
    "AuthorizationScopes": ["api/read"],
}


def template(method: dict[str, Any] | None = None, **authorizer: Any) -> dict[str, Any]:
    auth = {"Type": "COGNITO_USER_POOLS", "ProviderARNs": [POOL], **authorizer}
    return {
        "Resources": {
            "Auth": {"Type": "AWS::ApiGateway::Authorizer", "Properties": auth},
            "GetItems": {
                "Type": "AWS::ApiGateway::Method",
                "Properties": SOUND_METHOD if method is None else method,
            },
        }
    }


def stack(body: Any, resource_type: str = CLOUDFORMATION_STACK_TYPES[0]) -> RecordedResource:
    return resource(resource_type, "cfn", {"name": "cfn", "templateBody": body})


def test_metadata():
    assert_metadata(policy, NAME, "mandatory", {"exemptCorsPreflightMock", "allowedUserPoolArns"})


@pytest.mark.parametrize("resource_type", CLOUDFORMATION_STACK_TYPES)
def test_compliant_yaml_template_of_every_stack_resource_passes(resource_type):
    assert analyze(policy, stack(SOUND_YAML, resource_type)).clean


def test_compliant_json_and_object_templates_pass():
    assert analyze(policy, stack(json.dumps(template()))).clean
    assert analyze(policy, stack(template(), "aws-native:cloudformation:Stack")).clean


def test_what_it_cannot_read_is_left_to_the_hidden_methods_advisory():
    assert analyze(policy, stack("{")).clean
    url = resource(CLOUDFORMATION_STACK_TYPES[0], "cfn", {"templateUrl": "https://s3/t.yaml"})
    assert analyze(policy, url).clean


# -- one change per fault ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "problem"),
    [
        ({"HttpMethod": "GET"}, "AuthorizationType is 'NONE', not 'COGNITO_USER_POOLS'"),
        (
            {**SOUND_METHOD, "AuthorizationType": "AWS_IAM"},
            "AuthorizationType is 'AWS_IAM', not 'COGNITO_USER_POOLS'",
        ),
        (
            {**SOUND_METHOD, "AuthorizationType": {"Ref": "Kind"}},
            "AuthorizationType is the intrinsic function Ref, which the pack cannot resolve (a "
            "parameter, a condition or another intrinsic could yield anything), so it fails "
            "closed: write the value literally",
        ),
        (
            {**SOUND_METHOD, "AuthorizerId": "abc123"},
            "AuthorizerId is 'abc123', not a Ref or Fn::GetAtt to an AWS::ApiGateway::Authorizer "
            "of this template, so the authorizer cannot be shown to be a Cognito one",
        ),
        (
            {**SOUND_METHOD, "AuthorizerId": {"Ref": "Elsewhere"}},
            "AuthorizerId refers to 'Elsewhere', which is not an AWS::ApiGateway::Authorizer of "
            "this template",
        ),
        (
            {**SOUND_METHOD, "AuthorizationScopes": []},
            "AuthorizationScopes is empty, so no scope is required: ID tokens and access tokens "
            "of any app client of the authorizer's user pool(s) get in",
        ),
        (
            {**SOUND_METHOD, "AuthorizationScopes": [{"Ref": "Scope"}]},
            "AuthorizationScopes has entries that are blank or could be: [{'Ref': 'Scope'}] (a "
            "literal or an Fn::Sub template with text of its own is needed)",
        ),
    ],
)
def test_each_method_fault_is_one_violation(method, problem):
    message = analyze(policy, stack(json.dumps(template(method)))).only()
    verb = "GET"
    assert message == (
        f"Stack 'cfn': template resource GetItems (AWS::ApiGateway::Method, {verb}): {problem}. "
        f"{FIX}"
    )


@pytest.mark.parametrize(
    ("authorizer", "problem"),
    [
        ({"Type": "TOKEN"}, "its authorizer Auth has Type 'TOKEN', not 'COGNITO_USER_POOLS'"),
        (
            {"ProviderARNs": []},
            "its authorizer Auth has no ProviderARNs; list the user pool ARN(s)",
        ),
        ({"ProviderARNs": {"Ref": "Pools"}}, "its authorizer Auth has the intrinsic function Ref"),
        ({"ProviderARNs": ["arn:aws:s3:::b"]}, "its authorizer Auth has ProviderARNs that are not"),
    ],
)
def test_each_authorizer_fault_is_one_violation_on_the_method(authorizer, problem):
    message = analyze(policy, stack(json.dumps(template(None, **authorizer)))).only()
    assert problem in message


def test_a_method_without_properties_is_open():
    method = {"Type": "AWS::ApiGateway::Method"}
    body = {"Resources": {"Open": method}}
    message = analyze(policy, stack(body, "aws-native:cloudformation:Stack")).only()
    assert (
        "Open (AWS::ApiGateway::Method, ?): has no Properties, so its AuthorizationType is "
        "NONE" in message
    )


def test_a_redacted_template_cannot_be_judged():
    assert (
        analyze(policy, stack("[secret]"))
        .only()
        .startswith("Stack 'cfn': templateBody is '[secret]'")
    )


# -- one change per unknown --------------------------------------------------------------------


def test_an_unknown_template_defers():
    outcome = analyze(policy, stack(COMPUTED))
    assert outcome.violations == []
    assert outcome.deferred is not None
    assert "Stack 'cfn': templateBody." in outcome.deferred


# -- config: exemptCorsPreflightMock and allowedUserPoolArns ----------------------------------

PREFLIGHT = {"HttpMethod": "OPTIONS", "Integration": {"Type": "MOCK"}}


def test_exemption_left_out_set_and_of_the_wrong_type():
    body = json.dumps(template(PREFLIGHT))
    assert "AuthorizationType is 'NONE'" in analyze(policy, stack(body)).only()
    assert analyze(policy, stack(body), {"exemptCorsPreflightMock": True}).clean
    lambda_preflight = {"HttpMethod": "OPTIONS", "Integration": {"Type": "AWS_PROXY"}}
    refused = analyze(
        policy, stack(json.dumps(template(lambda_preflight))), {"exemptCorsPreflightMock": True}
    )
    assert "AuthorizationType is 'NONE'" in refused.only()
    wrong = analyze(policy, stack(body), {"exemptCorsPreflightMock": "true"}).messages
    assert wrong[0].startswith("policy config: exemptCorsPreflightMock must be true or false")
    assert "AuthorizationType is 'NONE'" in wrong[1]


def test_allowlist_left_out_set_and_of_the_wrong_type():
    other = POOL.replace("AbC123", "Other9")
    body = json.dumps(template())
    assert analyze(policy, stack(body)).clean
    assert analyze(policy, stack(body), {"allowedUserPoolArns": [POOL]}).clean
    outside = analyze(policy, stack(body), {"allowedUserPoolArns": [other]}).only()
    assert "its authorizer Auth trusts user pool(s) outside the allowed list" in outside
    created = template(None, ProviderARNs=[{"Fn::GetAtt": ["Pool", "Arn"]}])
    created["Resources"]["Pool"] = {"Type": "AWS::Cognito::UserPool"}
    assert analyze(policy, stack(json.dumps(created))).clean
    listed = analyze(policy, stack(json.dumps(created)), {"allowedUserPoolArns": [POOL]}).only()
    assert "trusts the user pool Pool the template creates, whose ARN cannot be on the" in listed
    wrong = analyze(policy, stack(body), {"allowedUserPoolArns": 7}).messages
    assert wrong[0].startswith("policy config: allowedUserPoolArns must be a list")
