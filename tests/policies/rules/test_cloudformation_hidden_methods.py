# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""apigateway-cloudformation-hidden-methods: a template the pack can see into, then one change per
thing it cannot see and per unknown (the policy reads no config)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from apigw_guard.model.resource_types import CLOUDFORMATION_STACK_TYPES, SAR_APPLICATION_TYPES
from apigw_guard.rules.cloudformation_hidden_methods import policy
from offline_engine import COMPUTED, Computed, resource
from tests.policies.rules.harness import analyze, assert_metadata

NAME = "apigateway-cloudformation-hidden-methods"
FIX = (
    "Fix: declare the API with Pulumi resources (aws.apigateway / aws.apigatewayv2) so this "
    "pack can enforce Cognito authorization on each method."
)


def stack(body: Any = None, resource_type: str = CLOUDFORMATION_STACK_TYPES[0], **props: Any):
    inputs = {"name": "cfn", **props}
    if body is not None:
        inputs["templateBody"] = body if isinstance(body, str | Computed) else json.dumps(body)
    return resource(resource_type, "cfn", inputs)


def resources(**entries: Any) -> dict[str, Any]:
    return {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}, **entries}}


def test_metadata():
    assert_metadata(policy, NAME, "advisory", set(), severity="high")


@pytest.mark.parametrize("resource_type", CLOUDFORMATION_STACK_TYPES)
def test_a_template_without_api_resources_is_silent(resource_type):
    assert analyze(policy, stack(resources(), resource_type)).clean


def test_the_serverless_transform_alone_is_silent():
    assert analyze(policy, stack({**resources(), "Transform": "AWS::Serverless-2016-10-31"})).clean


def test_api_resources_declared_one_by_one_are_silent():
    # A RestApi without body: its Methods are resources the method policy reads.
    assert analyze(policy, stack(resources(Api={"Type": "AWS::ApiGateway::RestApi"}))).clean
    function = {"Type": "AWS::Serverless::Function", "Properties": {"Events": {}}}
    assert analyze(policy, stack(resources(Fn=function))).clean


# -- one change per thing it cannot see --------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "named"),
    [
        (
            {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Body": {}}},
            "(AWS::ApiGateway::RestApi)",
        ),
        (
            {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Target": "x"}},
            "(AWS::ApiGatewayV2::Api)",
        ),
        ({"Type": "AWS::ApiGatewayV2::Route"}, "(AWS::ApiGatewayV2::Route)"),
        ({"Type": "AWS::Serverless::Api"}, "(AWS::Serverless::Api)"),
        ({"Type": "AWS::Serverless::HttpApi"}, "(AWS::Serverless::HttpApi)"),
        (
            {"Type": "AWS::Serverless::Function", "Properties": {"Events": {"E": {"Type": "Api"}}}},
            "(AWS::Serverless::Function)",
        ),
    ],
)
@pytest.mark.parametrize("resource_type", CLOUDFORMATION_STACK_TYPES)
def test_an_api_the_template_builds_out_of_sight_is_advised(entry, named, resource_type):
    message = analyze(policy, stack(resources(Hidden=entry), resource_type)).only()
    kind = resource_type.rsplit(":", 1)[1]
    assert message == (
        f"{kind} 'cfn': the CloudFormation template creates API Gateway methods or routes that "
        f"this pack cannot check: Hidden {named}. {FIX}"
    )


@pytest.mark.parametrize(
    ("template", "named"),
    [
        (
            resources(Nested={"Type": "AWS::CloudFormation::Stack"}),
            "Nested (AWS::CloudFormation::Stack)",
        ),
        (
            resources(App={"Type": "AWS::Serverless::Application"}),
            "App (AWS::Serverless::Application)",
        ),
        ({**resources(), "Transform": {"Name": "AWS::Include"}}, "the AWS::Include transform"),
        ({**resources(), "Transform": ["AWS::Include"]}, "the AWS::Include transform"),
        (
            {"Resources": {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {}}}},
            "the AWS::Include transform",
        ),
        (
            resources(B={"Type": "X", "Properties": {"Fn::Transform": {"Name": "AWS::Include"}}}),
            "the AWS::Include transform",
        ),
    ],
)
def test_content_pulled_in_from_elsewhere_is_advised(template, named):
    message = analyze(policy, stack(template)).only()
    assert message == (
        "Stack 'cfn': the CloudFormation template pulls in content this pack cannot see into: "
        f"{named}; any API Gateway methods there could not be checked. {FIX}"
    )


def test_an_unreadable_template_is_advised():
    message = analyze(policy, stack("Resources: [")).only()
    assert (
        message
        == f"Stack 'cfn': templateBody cannot be read, so it may hide API Gateway methods. {FIX}"
    )


def test_a_template_url_is_advised():
    message = analyze(policy, stack(templateUrl="https://s3/t.yaml")).only()
    assert message.startswith(
        "Stack 'cfn': the template comes from templateUrl 'https://s3/t.yaml'"
    )


@pytest.mark.parametrize("resource_type", SAR_APPLICATION_TYPES)
def test_a_serverless_application_repository_app_is_advised(resource_type):
    app = resource(resource_type, "sar", {"applicationId": "arn:aws:serverlessrepo:app"})
    message = analyze(policy, app).only()
    assert (
        "deploys the Serverless Application Repository application 'arn:aws:serverlessrepo:app'"
        in message
    )


# -- one change per unknown --------------------------------------------------------------------


def test_an_unknown_template_defers():
    outcome = analyze(policy, stack(COMPUTED))
    assert outcome.violations == []
    assert outcome.deferred is not None
    assert "Stack 'cfn': templateBody." in outcome.deferred


def test_an_unknown_template_url_is_advised_as_unreadable():
    assert "templateUrl" in analyze(policy, stack(templateUrl=COMPUTED)).only()


def test_an_unknown_application_is_named_as_unknown():
    app = resource(SAR_APPLICATION_TYPES[0], "sar", {"applicationId": COMPUTED})
    assert "application <unknown>" in analyze(policy, app).only()
