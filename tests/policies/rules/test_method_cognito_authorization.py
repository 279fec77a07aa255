# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""apigateway-method-cognito-authorization: a compliant Method, then one change per fault, per
unknown and per config property (left out, set, of the wrong type)."""

from __future__ import annotations

from typing import Any

import pytest

from apigw_guard import handoff
from apigw_guard.model.resource_types import METHOD_BRIDGED, METHOD_CLASSIC, METHOD_NATIVE
from apigw_guard.rules.method_cognito_authorization import policy
from offline_engine import COMPUTED, RecordedResource, resource
from tests.policies.rules.harness import analyze, assert_metadata

NAME = "apigateway-method-cognito-authorization"
FIX = (
    "Fix: set authorization to COGNITO_USER_POOLS, authorizerId to a Cognito user-pool "
    "authorizer and authorizationScopes to at least one resource-server scope."
)
PREFLIGHT_FIX = (
    "for a server-to-server API, remove the OPTIONS method and its integration (no browser, no "
    "preflight); if browsers call this API, ask the policy admin to set "
    f"exemptCorsPreflightMock: true on {NAME}, which exempts exactly the OPTIONS methods whose "
    "own integration is MOCK"
)


def compliant(resource_type: str = METHOD_CLASSIC, **changes: Any) -> RecordedResource:
    """A Method of `resource_type` that demands a Cognito token with a scope; `changes` apply
    (None removes a property)."""
    auth_field = "authorizationType" if resource_type == METHOD_NATIVE else "authorization"
    api_field = "restApi" if resource_type == METHOD_CLASSIC else "restApiId"
    props: dict[str, Any] = {
        api_field: "a1",
        "resourceId": "r1",
        "httpMethod": "GET",
        auth_field: "COGNITO_USER_POOLS",
        "authorizerId": "auth1",
        "authorizationScopes": ["https://api.example.com/read"],
    }
    props.update(changes)
    return resource(resource_type, "getItem", {k: v for k, v in props.items() if v is not None})


def handed_over(method: RecordedResource) -> Any:
    taken = handoff.take(handoff.REFERENCES)
    return taken.get(method.urn)


def test_metadata():
    assert_metadata(policy, NAME, "mandatory", {"exemptCorsPreflightMock"})


@pytest.mark.parametrize("resource_type", [METHOD_CLASSIC, METHOD_NATIVE, METHOD_BRIDGED])
def test_compliant_method_of_every_provider_passes(resource_type):
    assert analyze(policy, compliant(resource_type)).clean


def test_other_resources_are_not_judged():
    api = resource("aws:apigateway/restApi:RestApi", "api", {"name": "api"})
    assert analyze(policy, api).clean


# -- one change per fault ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"authorization": "NONE"}, "authorization is 'NONE', not 'COGNITO_USER_POOLS'"),
        ({"authorization": "AWS_IAM"}, "authorization is 'AWS_IAM', not 'COGNITO_USER_POOLS'"),
        ({"authorization": "CUSTOM"}, "authorization is 'CUSTOM', not 'COGNITO_USER_POOLS'"),
        (
            {"authorization": "cognito_user_pools"},
            "authorization is 'cognito_user_pools', not 'COGNITO_USER_POOLS'",
        ),
        (
            {"authorization": "NONE", "apiKeyRequired": True},
            "authorization is 'NONE', not 'COGNITO_USER_POOLS' (an API key identifies callers "
            "but authorizes nobody)",
        ),
        (
            {"authorizerId": None},
            "authorizerId is missing; it must name the Cognito user-pool authorizer",
        ),
        (
            {"authorizerId": " "},
            "authorizerId is missing; it must name the Cognito user-pool authorizer",
        ),
        (
            {"authorizationScopes": None},
            "authorizationScopes is empty, so no scope is required: ID tokens and access tokens "
            "of any app client of the authorizer's user pool(s) get in",
        ),
        (
            {"authorizationScopes": []},
            "authorizationScopes is empty, so no scope is required: ID tokens and access tokens "
            "of any app client of the authorizer's user pool(s) get in",
        ),
        (
            {"authorizationScopes": ["api/read", " "]},
            "authorizationScopes has blank entries: ['api/read', ' ']",
        ),
    ],
)
def test_each_fault_is_one_violation_naming_the_method_by_its_resource_id(changes, problem):
    message = analyze(policy, compliant(**changes)).only()
    assert message == f"Method 'getItem' (GET on resourceId 'r1'): {problem}. {FIX}"


@pytest.mark.parametrize("resource_type", [METHOD_NATIVE, METHOD_BRIDGED])
def test_every_provider_is_judged_like_the_classic_method(resource_type):
    field = "authorizationType" if resource_type == METHOD_NATIVE else "authorization"
    message = analyze(policy, compliant(resource_type, **{field: "NONE"})).only()
    assert f"{field} is 'NONE', not 'COGNITO_USER_POOLS'" in message


def test_an_aws_native_method_without_authorization_type_is_none():
    message = analyze(policy, compliant(METHOD_NATIVE, authorizationType=None)).only()
    assert "authorizationType is 'NONE', not 'COGNITO_USER_POOLS'" in message


def test_a_redacted_scope_list_cannot_be_judged():
    message = analyze(policy, compliant(authorizationScopes="[secret]")).only()
    assert message.startswith(
        "Method 'getItem' (GET on resourceId 'r1'): authorizationScopes is '[secret]', a secret "
        "`pulumi policy analyze` could not decrypt, so its scopes cannot be judged (failing "
        "closed)."
    )


def test_a_read_method_with_no_inputs_is_not_judged():
    assert analyze(policy, resource(METHOD_CLASSIC, "external", {})).clean


# -- one change per unknown --------------------------------------------------------------------


@pytest.mark.parametrize("field", ["authorization", "authorizationScopes"])
def test_an_unknown_setting_defers_naming_it(field):
    unknown: dict[str, Any] = {field: COMPUTED}
    outcome = analyze(policy, compliant(**unknown))
    assert outcome.violations == []
    assert outcome.deferred == (
        "not judged yet because values are unknown until the update: Method 'getItem' (GET on "
        f"resourceId 'r1'): {field}. It will be checked (and enforced) at update, when the "
        "values are known"
    )


def test_an_unknown_authorizer_id_is_left_to_the_stack_policy():
    # An output of the authorizer it names, never blank: which one it is, the stack shows.
    assert analyze(policy, compliant(authorizerId=COMPUTED)).clean


def test_a_known_fault_is_reported_beside_an_unknown():
    outcome = analyze(policy, compliant(authorizerId=None, authorizationScopes=COMPUTED))
    assert [m.split(": ", 1)[1] for m in outcome.messages] == [
        f"authorizerId is missing; it must name the Cognito user-pool authorizer. {FIX}"
    ]
    assert outcome.deferred is not None
    assert "authorizationScopes" in outcome.deferred


def test_unknown_http_method_and_resource_id_are_named_as_unknown():
    message = analyze(
        policy, compliant(httpMethod=COMPUTED, resourceId=COMPUTED, authorization="NONE")
    ).only()
    assert message.startswith(
        "Method 'getItem' (<HTTP method unknown until the update> on resourceId <unknown until "
        "the update>): authorization is 'NONE'"
    )


# -- config: exemptCorsPreflightMock -----------------------------------------------------------


def open_preflight(resource_type: str = METHOD_CLASSIC, **changes: Any) -> RecordedResource:
    auth_field = "authorizationType" if resource_type == METHOD_NATIVE else "authorization"
    return compliant(
        resource_type,
        httpMethod="OPTIONS",
        **{auth_field: "NONE", "authorizerId": None, "authorizationScopes": None},
        **changes,
    )


def test_exemption_left_out_blocks_an_open_preflight():
    # The code's own fallback (off), not the schema default the CLI would send.
    method = open_preflight()
    message = analyze(policy, method).only()
    assert message == (
        "Method 'getItem' (OPTIONS on resourceId 'r1'): authorization is 'NONE', not "
        f"'COGNITO_USER_POOLS'. Fix: {FIX[5:-1]}; or, if it is a CORS preflight (MOCK "
        f"integration): {PREFLIGHT_FIX}."
    )
    assert handed_over(method) is None


def test_exemption_off_names_a_visible_mock_preflight_and_the_admins_setting():
    method = open_preflight(METHOD_NATIVE, integration={"type": "MOCK"})
    message = analyze(policy, method, {"exemptCorsPreflightMock": False}).only()
    assert "This is a CORS preflight (OPTIONS with a MOCK integration)" in message
    assert message.endswith(f"Fix: {PREFLIGHT_FIX}.")


@pytest.mark.parametrize(
    ("resource_type", "changes"),
    [
        (METHOD_CLASSIC, {}),  # its Integration is a resource of its own
        (METHOD_BRIDGED, {}),
        (METHOD_NATIVE, {"integration": {"type": "MOCK"}}),  # another provider may replace it
        (METHOD_NATIVE, {"integration": {"type": COMPUTED}}),
    ],
)
def test_exemption_on_hands_an_open_preflight_to_the_stack_policy(resource_type, changes):
    method = open_preflight(resource_type, **changes)
    assert analyze(policy, method, {"exemptCorsPreflightMock": True}).clean
    field = "authorizationType" if resource_type == METHOD_NATIVE else "authorization"
    assert handed_over(method) == (f"{field} is 'NONE', not 'COGNITO_USER_POOLS'",)


def test_exemption_on_blocks_a_preflight_whose_own_integration_is_not_mock():
    method = open_preflight(METHOD_NATIVE, integration={"type": "AWS_PROXY"})
    message = analyze(policy, method, {"exemptCorsPreflightMock": True}).only()
    assert (
        "exemptCorsPreflightMock applies only to an OPTIONS method whose own integration is "
        "MOCK; its integration has type 'AWS_PROXY'."
    ) in message
    assert handed_over(method) is None


def test_exemption_on_never_exempts_another_verb():
    method = compliant(authorization="NONE")
    assert (
        "authorization is 'NONE'"
        in analyze(policy, method, {"exemptCorsPreflightMock": True}).only()
    )


def test_a_judged_method_withdraws_an_earlier_hand_off():
    # The update after a preview (one process): the Method is judged as it is now.
    method = open_preflight()
    analyze(policy, method, {"exemptCorsPreflightMock": True})
    analyze(policy, method)
    assert handed_over(method) is None


def test_exemption_of_the_wrong_type_is_reported_to_the_admin_and_is_off():
    outcome = analyze(policy, open_preflight(), {"exemptCorsPreflightMock": "yes"})
    assert outcome.messages[0] == (
        "policy config: exemptCorsPreflightMock must be true or false, got 'yes'; it is treated "
        "as false. Fix (policy admin): correct this policy's config in the pack's configuration "
        "(pulumi policy enable --config, or --policy-pack-config)."
    )
    assert "authorization is 'NONE'" in outcome.messages[1]
    assert len(outcome.messages) == 2


def test_properties_it_does_not_declare_are_not_read():
    config = {"allowedUserPoolArns": "not a list", "allowedWebSocketApis": 3}
    assert analyze(policy, compliant(), config).clean
