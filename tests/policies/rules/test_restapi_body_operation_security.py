# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""apigateway-restapi-body-operation-security: a compliant REST API body, then one change per
fault, per unknown and per config property (left out, set, of the wrong type)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from apigw_guard.model.resource_types import REST_BODY_TYPES
from apigw_guard.rules.restapi_body_operation_security import judge_options, policy
from offline_engine import COMPUTED, RecordedResource, resource
from tests.policies.rules.bodies import COGNITO_SCHEME, POOL, READ, document, text
from tests.policies.rules.harness import analyze, assert_metadata

NAME = "apigateway-restapi-body-operation-security"
FIX = (
    "Fix: define a security scheme of type apiKey (name Authorization, in header) with "
    "x-amazon-apigateway-authorizer {type: cognito_user_pools, providerARNs: [<user pool ARN>]} "
    'and give every operation security: [{<scheme>: ["<resource-server-identifier>/<scope>"]}].'
)
PREFLIGHT = {"options": {"x-amazon-apigateway-integration": {"type": "mock"}}}


def api(body: Any, resource_type: str = REST_BODY_TYPES[0], **props: Any) -> RecordedResource:
    return resource(resource_type, "api", {"body": body, "failOnWarnings": True, **props})


def test_metadata():
    assert_metadata(policy, NAME, "mandatory", {"exemptCorsPreflightMock", "allowedUserPoolArns"})


@pytest.mark.parametrize("resource_type", REST_BODY_TYPES)
def test_compliant_body_of_every_resource_passes(resource_type):
    assert analyze(policy, api(text(document()), resource_type)).clean


@pytest.mark.parametrize(
    "body",
    [yaml.safe_dump(document()), document(), "\ufeff" + text(document())],
    ids=["yaml", "object", "bom"],
)
def test_compliant_body_in_every_form_passes(body):
    assert analyze(policy, api(body)).clean


def test_a_resource_without_body_is_not_judged():
    assert analyze(policy, resource(REST_BODY_TYPES[0], "api", {"name": "api"})).clean


# -- one change per fault ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "problem"),
    [
        (
            {},
            "has no operation-level security; add operation-level security naming a Cognito "
            "authorizer scheme with at least one scope",
        ),
        (
            {"security": []},
            "has an empty security list (anyone may call it); add operation-level security "
            "naming a Cognito authorizer scheme with at least one scope",
        ),
        ({"security": [{}]}, "security[0] is {}, which allows anonymous calls; remove it"),
        (
            {"security": [{"nope": [READ]}]},
            "security[0] references 'nope', which is not defined in the document's security "
            "schemes",
        ),
        (
            {"security": [{"pool": []}]},
            "security[0] gives 'pool' no scopes, so it accepts any ID token of the pool; list at "
            "least one resource-server scope",
        ),
        ({"security": [{"pool": [" "]}]}, "security[0] gives 'pool' a blank scope: [' ']"),
    ],
)
def test_each_faulty_operation_is_one_violation(operation, problem):
    body = text(document(**{"/open": {"delete": operation}}))
    message = analyze(policy, api(body)).only()
    assert message == f"RestApi 'api': DELETE /open {problem}. {FIX}"


@pytest.mark.parametrize("resource_type", REST_BODY_TYPES)
def test_every_resource_is_judged_alike(resource_type):
    body = text(document(**{"/open": {"get": {}}}))
    message = analyze(policy, api(body, resource_type)).only()
    assert "GET /open has no operation-level security" in message


def test_root_level_security_is_named_as_ignored():
    doc = document(**{"/open": {"delete": {}}})
    doc["security"] = [{"pool": [READ]}]
    message = analyze(policy, api(text(doc))).only()
    assert "(root-level security is ignored by API Gateway's import)" in message


@pytest.mark.parametrize(
    ("scheme", "problem"),
    [
        ({"type": "apiKey", "name": "x-api-key", "in": "header"}, "names only API-key schemes"),
        ({"type": "oauth2", "flows": {}}, "uses 'pool', a OpenAPI scheme that API Gateway's REST"),
        (
            {**COGNITO_SCHEME, "x-amazon-apigateway-authtype": "awsSigv4"},
            "(IAM) and an x-amazon-apigateway-authorizer, and AWS does not document which one",
        ),
        (
            {**COGNITO_SCHEME, "x-amazon-apigateway-authorizer": {"type": "token"}},
            "uses 'pool', a Lambda authorizer",
        ),
        (
            {**COGNITO_SCHEME, "x-amazon-apigateway-authorizer": {"type": "COGNITO_USER_POOLS"}},
            "write it exactly 'cognito_user_pools'",
        ),
        (
            {
                **COGNITO_SCHEME,
                "x-amazon-apigateway-authorizer": {
                    "type": "cognito_user_pools",
                    "providerARNs": ["arn:aws:s3:::bucket"],
                },
            },
            "has providerARNs that are not user pool ARNs",
        ),
    ],
)
def test_a_scheme_that_is_not_a_sound_cognito_authorizer_fails_every_operation(scheme, problem):
    messages = analyze(policy, api(text(document(scheme)))).messages
    assert [m.split(" ", 3)[2:4][0] for m in messages] == ["GET", "POST"]
    assert all(problem in m for m in messages), messages


@pytest.mark.parametrize(
    ("body", "fault"),
    [
        ("", "RestApi 'api' body is empty; expected an OpenAPI 2.0 or 3.x document"),
        ("{", "RestApi 'api' body: not valid JSON or YAML"),
        ('{"openapi": "3.0.1", "openapi": "3.0.1", "paths": {}}', "duplicate key 'openapi'"),
        (text({**document(), "swagger": "2.0"}), "declares both swagger ('2.0') and openapi"),
        (text(document(**{"/ref": {"$ref": "#/x"}})), "path '/ref' is a $ref path item"),
        (text(document(**{"/up": {"GET": {}}})), "GET /up is written 'GET'"),
        ("[" * 100_000, "RestApi 'api' body"),
    ],
    ids=["empty", "broken", "duplicate", "both-versions", "ref", "upper-case", "deep"],
)
def test_a_body_that_cannot_be_read_as_api_gateway_reads_it_fails_closed(body, fault):
    message = analyze(policy, api(body)).only()
    assert fault in message
    assert (
        "The body cannot be read, so no operation can be shown to be protected (failing "
        "closed)." in message
    )


@pytest.mark.parametrize("field", ["bodyS3Location", "cloneFrom"])
def test_a_source_the_pack_cannot_read_fails_closed(field):
    native = api(text(document()), "aws-native:apigateway:RestApi", **{field: {"bucket": "b"}})
    message = analyze(policy, native).only()
    assert message == (
        f"RestApi 'api': {field} is set, so API Gateway creates methods from a source this pack "
        "cannot read, and none can be shown to be protected (failing closed). Fix: remove "
        f"{field} and pass the OpenAPI document inline as body."
    )


def test_a_redacted_body_cannot_be_judged():
    message = analyze(policy, api("[secret]")).only()
    assert message.startswith("RestApi 'api': body is '[secret]'")


def test_a_body_built_by_a_known_component_gets_the_components_fix():
    urn = "urn:pulumi:dev::p::aws-apigateway:index:RestAPI$aws:apigateway/restApi:RestApi::api"
    child = resource(
        REST_BODY_TYPES[0], "api", {"body": text(document(**{"/o": {"get": {}}}))}, urn=urn
    )
    message = analyze(policy, child).only()
    assert message.startswith(
        "RestApi 'api' (built by the pulumi-aws-apigateway RestAPI component): GET /o has no "
        "operation-level security"
    )
    assert "in the component's `routes`, give the route {path: '/o', method: 'GET'}" in message


def test_a_body_built_by_this_repositorys_package_gets_its_arguments():
    # RestApiPut under SecuredRestApi, itself under SecuredM2MApi: the direct parent decides.
    urn = (
        "urn:pulumi:dev::p::secured-m2m-api:index:SecuredM2MApi$"
        "secured-m2m-api:index:SecuredRestApi$aws:apigateway/restApiPut:RestApiPut::m2m-body"
    )
    child = resource(
        "aws:apigateway/restApiPut:RestApiPut",
        "m2m-body",
        {"body": text(document(**{"/o": {"get": {}}})), "restApiId": "a1"},
        urn=urn,
    )
    message = analyze(policy, child).only()
    assert message.startswith(
        "RestApiPut 'm2m-body' (built by the secured-m2m-api SecuredRestApi component): GET /o "
        "has no operation-level security"
    )
    assert "Fix: in the component's `operationScopes`, give 'GET /o' the names of the " in message
    assert message.endswith(
        "(argument names: secured-m2m-api 0.1.0 schema, secured-m2m-api:index:SecuredRestApi "
        "and secured-m2m-api:index:SecuredM2MApi)."
    )


# -- one change per unknown --------------------------------------------------------------------


def test_an_unknown_body_defers():
    outcome = analyze(policy, api(COMPUTED))
    assert outcome.violations == []
    assert outcome.deferred is not None
    assert "RestApi 'api' body is not known during preview" in outcome.deferred


@pytest.mark.parametrize(
    ("doc", "what"),
    [
        (
            document(**{"/later": COMPUTED}),
            "RestApi 'api' body has parts not known during preview: path item '/later'",
        ),
        (document(**{"/later": {"get": COMPUTED}}), "parts not known during preview: GET /later"),
        (
            document(**{"/later": {"get": {"security": COMPUTED}}}),
            "GET /later: its security is not known yet",
        ),
        ({**document(), "paths": COMPUTED}, "has its version or its paths unknown"),
    ],
)
def test_an_unknown_part_of_an_object_body_defers_and_known_faults_still_block(doc, what):
    if isinstance(doc["paths"], dict):
        doc["paths"]["/open"] = {"post": {}}
    outcome = analyze(policy, api(doc, "aws-native:apigateway:RestApi"))
    if isinstance(doc["paths"], dict):
        (message,) = outcome.messages
        assert "POST /open has no operation-level security" in message
    assert outcome.deferred is not None
    assert what in outcome.deferred


def test_unknown_pool_arns_defer_the_operations_that_name_them():
    scheme = {
        **COGNITO_SCHEME,
        "x-amazon-apigateway-authorizer": {
            "type": "cognito_user_pools",
            "providerARNs": [COMPUTED],
        },
    }
    outcome = analyze(policy, api(document(scheme), "aws-native:apigateway:RestApi"))
    assert outcome.violations == []
    assert outcome.deferred is not None
    assert "GET /pets: security[0]: the user pool ARNs of scheme 'pool'" in outcome.deferred


# -- config: exemptCorsPreflightMock and allowedUserPoolArns ----------------------------------


def test_exemption_left_out_blocks_a_mock_preflight():
    message = analyze(policy, api(text(document(**{"/pets": PREFLIGHT})))).only()
    assert "OPTIONS /pets has no operation-level security" in message


def test_exemption_on_exempts_exactly_a_mock_preflight():
    config = {"exemptCorsPreflightMock": True}
    assert analyze(policy, api(text(document(**{"/pets": PREFLIGHT}))), config).clean
    lambda_preflight = {"options": {"x-amazon-apigateway-integration": {"type": "aws_proxy"}}}
    message = analyze(policy, api(text(document(**{"/p": lambda_preflight}))), config).only()
    assert "OPTIONS /p has no operation-level security" in message


def test_exemption_of_the_wrong_type_is_reported_and_off():
    outcome = analyze(
        policy, api(text(document(**{"/pets": PREFLIGHT}))), {"exemptCorsPreflightMock": 1}
    )
    assert outcome.messages[0].startswith(
        "policy config: exemptCorsPreflightMock must be true or false, got 1.0"
    )
    assert "OPTIONS /pets has no operation-level security" in outcome.messages[1]


def test_allowlist_left_out_set_and_of_the_wrong_type():
    other = POOL.replace("AbC123", "Other9")
    assert analyze(policy, api(text(document()))).clean
    assert analyze(policy, api(text(document())), {"allowedUserPoolArns": [POOL]}).clean
    outside = analyze(policy, api(text(document())), {"allowedUserPoolArns": [other]}).messages
    assert len(outside) == 2
    assert (
        f"trusts user pool(s) outside the allowed list (allowedUserPoolArns): {POOL}" in outside[0]
    )
    wrong = analyze(policy, api(text(document())), {"allowedUserPoolArns": POOL}).messages
    assert wrong[0].startswith("policy config: allowedUserPoolArns must be a list")
    assert "outside the allowed list" in wrong[1]


def test_the_region_of_the_provider_binds_aws_region_in_the_body():
    arn = "arn:${AWS::Partition}:cognito-idp:${AWS::Region}:123456789012:userpool/eu-west-1_AbC1"
    scheme = {
        **COGNITO_SCHEME,
        "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools", "providerARNs": [arn]},
    }
    body = text(document(scheme))
    provider = resource("pulumi:providers:aws", "eu", {"region": "eu-west-1"})
    # In China the pool id's region is no region of the ARN's partition (aws-cn).
    china = resource("pulumi:providers:aws", "cn", {"region": "cn-north-1"})
    assert analyze(policy, api(body), provider=provider).clean
    messages = analyze(policy, api(body), provider=china).messages
    assert len(messages) == 2
    assert "AWS variables resolved with ${AWS::Region} = cn-north-1" in messages[0]


def test_judge_options_is_the_policys_reading_of_its_config():
    # The report judges bodies with it (report/matrix.py): the same fallback, the same types.
    assert judge_options(None) == judge_options({})
    assert judge_options({"exemptCorsPreflightMock": True}).exempt_mock_options
    assert not judge_options({"exemptCorsPreflightMock": "yes"}).exempt_mock_options
    assert judge_options({"allowedUserPoolArns": POOL}).allowed_pool_arns == frozenset()
