# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The CORS preflight exemption: decided where the Method is judged, confirmed by the stack.

`exemptCorsPreflightMock` is read by apigateway-method-cognito-authorization, the resource
policy that judges every Method before it exists. Off, an open OPTIONS method is blocked there.
On, an OPTIONS method whose integration it cannot see (a classic or bridged Integration is
another resource) is handed to apigateway-references-resolve, which exempts it only when
exactly one integration is attached and it is MOCK. A fault is reported by one of the two,
never by both and never by neither (0.2's bypass: the setting on one policy only, an OPTIONS
method with an HTTP_PROXY integration passed silently).
"""

from __future__ import annotations

import pytest

from offline_engine import COMPUTED, PolicyPackProcess, resource
from tests.policies.stack_shapes import integration, method, path_resource, rest_api

OWNER = "apigateway-method-cognito-authorization"
STACK_HALF = "apigateway-references-resolve"
EXEMPT = {"exemptCorsPreflightMock": True}


def _configure(pack: PolicyPackProcess, *policies: str) -> PolicyPackProcess:
    pack.configure(default_level=None, config={p: EXEMPT for p in policies})
    return pack


def _stack(*kinds: str, integration_on=None):
    """An OPTIONS /items method with authorization NONE and one Integration per kind."""
    api = rest_api()
    items = path_resource("items", api, api, "items", "r1")
    options = method("itemsOptions", api, items, "OPTIONS", authorization="NONE")
    on = integration_on(api) if integration_on else items
    extra = [on] if on is not items else []
    integrations = [
        integration(f"integ{i}", api, on, options, kind) for i, kind in enumerate(kinds)
    ]
    return [api, items, *extra, options, *integrations]


def _blocked(diags) -> list[tuple[str, str]]:
    return [(d.policy_name, d.message.split("\n", 1)[-1]) for d in diags if d.mandatory]


OPEN = "Method 'itemsOptions' (OPTIONS /items): authorization is 'NONE', not 'COGNITO_USER_POOLS'."
COGNITO_FIX = (
    "Fix: set authorization to COGNITO_USER_POOLS, authorizerId to a Cognito user-pool "
    "authorizer and authorizationScopes to at least one resource-server scope."
)


def test_exemption_does_not_cover_a_proxy_integration(pack: PolicyPackProcess):
    diags = _configure(pack, OWNER).analyze_all(_stack("HTTP_PROXY"))
    assert _blocked(diags) == [
        (
            STACK_HALF,
            f"{OPEN} exemptCorsPreflightMock applies only to an OPTIONS method whose own "
            f"integration is MOCK; Integration 'integ0' has type 'HTTP_PROXY'. {COGNITO_FIX}",
        )
    ]
    assert [d.policy_name for d in diags] == [STACK_HALF]


def test_exemption_covers_the_methods_own_mock_integration(pack: PolicyPackProcess):
    # The legitimate neighbour.
    assert _configure(pack, OWNER).analyze_all(_stack("MOCK")) == []


def test_without_the_exemption_an_open_options_method_is_blocked_before_it_exists(
    pack: PolicyPackProcess,
):
    stack = _stack("MOCK")
    options = next(r for r in stack if r.name == "itemsOptions")
    pack.configure(default_level=None)
    (diag,) = pack.analyze(options)
    assert (diag.policy_name, diag.mandatory) == (OWNER, True)
    text = diag.message.split("\n", 1)[-1]
    assert text.startswith(
        "Method 'itemsOptions' (OPTIONS on resourceId 'r1'): authorization is 'NONE'"
    )
    # The exemption is a pack setting: the author is sent to the admin for it.
    assert "ask the policy admin to set exemptCorsPreflightMock: true on " + OWNER in text
    assert pack.analyze_stack(stack) == []  # one fault, one diagnostic


def test_exemption_on_the_stack_half_alone_exempts_nothing(pack: PolicyPackProcess):
    # The stack half declares no exemption of its own: setting it there changes nothing.
    pack.configure(default_level=None, config={STACK_HALF: EXEMPT})
    diags = pack.analyze_all(_stack("MOCK"))
    assert [d.policy_name for d in diags if d.mandatory] == [OWNER]


def test_a_mock_integration_of_another_method_does_not_count(pack: PolicyPackProcess):
    # A MOCK integration on another path, wired to this method's httpMethod, is not its own.
    diags = _configure(pack, OWNER).analyze_all(
        _stack("MOCK", integration_on=lambda api: path_resource("other", api, api, "o", "r9"))
    )
    assert _blocked(diags) == [
        (
            STACK_HALF,
            f"{OPEN} exemptCorsPreflightMock applies only to an OPTIONS method whose own "
            f"integration is MOCK, and no integration of this stack is attached to this method. "
            f"{COGNITO_FIX}",
        )
    ]


def test_two_integrations_for_one_method_fail_closed(pack: PolicyPackProcess):
    diags = _configure(pack, OWNER).analyze_all(_stack("MOCK", "HTTP_PROXY"))
    assert _blocked(diags) == [
        (
            STACK_HALF,
            f"{OPEN} exemptCorsPreflightMock does not apply: Integration 'integ0' and "
            "Integration 'integ1' are all attached to this method and API Gateway keeps only the "
            "last one put, which cannot be told here (failing closed). Fix: keep exactly one "
            "integration for this method (MOCK for a preflight), or set authorization to "
            "COGNITO_USER_POOLS, authorizerId to a Cognito user-pool authorizer and "
            "authorizationScopes to at least one resource-server scope.",
        )
    ]


def test_integration_matched_by_values_without_dependencies(pack: PolicyPackProcess):
    # Imported stacks and older states carry no property dependencies: ids decide.
    inputs = {"restApi": "a1", "resourceId": "r1", "httpMethod": "OPTIONS"}
    options = resource("aws:apigateway/method:Method", "opt", {**inputs, "authorization": "NONE"})
    mock = resource("aws:apigateway/integration:Integration", "m", {**inputs, "type": "MOCK"})
    elsewhere = resource(
        "aws:apigateway/integration:Integration",
        "x",
        {**inputs, "resourceId": "r2", "type": "MOCK"},
    )
    assert _configure(pack, OWNER).analyze_all([options, mock]) == []
    assert [d.policy_name for d in _configure(pack, OWNER).analyze_all([options, elsewhere])] == [
        STACK_HALF
    ]


def test_preview_matches_the_integration_by_its_dependencies(pack: PolicyPackProcess):
    # During preview the ids are unknown; the dependencies show which method it belongs to.
    api = resource("aws:apigateway/restApi:RestApi", "api", {"name": "api"})
    items = resource(
        "aws:apigateway/resource:Resource",
        "items",
        {"restApi": COMPUTED, "parentId": COMPUTED, "pathPart": "items"},
        property_dependencies={"restApi": [api.urn], "parentId": [api.urn]},
    )
    refs = {"restApi": COMPUTED, "resourceId": COMPUTED}
    deps = {"restApi": [api.urn], "resourceId": [items.urn]}
    options = resource(
        "aws:apigateway/method:Method",
        "opt",
        {**refs, "httpMethod": "OPTIONS", "authorization": "NONE"},
        property_dependencies=deps,
    )
    mock = resource(
        "aws:apigateway/integration:Integration",
        "mock",
        {**refs, "httpMethod": "OPTIONS", "type": "MOCK"},
        property_dependencies={**deps, "httpMethod": [options.urn]},
    )
    assert _configure(pack, OWNER).analyze_all([api, items, options, mock]) == []
    unlinked = resource(
        "aws:apigateway/integration:Integration",
        "mock",
        {**refs, "httpMethod": "OPTIONS", "type": "MOCK"},
    )
    diags = _configure(pack, OWNER).analyze_all([api, items, options, unlinked])
    assert [(d.policy_name, d.enforcement_level) for d in diags] == [(STACK_HALF, "advisory")]
    assert (
        "Method 'opt' (OPTIONS /items): whether Integration 'mock' is attached to it (REST API, "
        "resourceId, httpMethod), which decides exemptCorsPreflightMock."
    ) in diags[0].message


def _native(kind: str):
    return resource(
        "aws-native:apigateway:Method",
        "opt",
        {
            "restApiId": "a1",
            "resourceId": "r1",
            "httpMethod": "OPTIONS",
            "authorizationType": "NONE",
            "integration": {"type": kind},
        },
    )


def test_native_method_with_a_visible_non_mock_integration_is_blocked_before_it_exists(
    pack: PolicyPackProcess,
):
    assert _configure(pack, OWNER).analyze_all([_native("MOCK")]) == []
    diags = _configure(pack, OWNER).analyze(_native("HTTP_PROXY"))
    assert [d.policy_name for d in diags] == [OWNER]
    assert "its integration has type 'HTTP_PROXY'" in diags[0].message


@pytest.mark.parametrize(
    "replacing",
    [
        "aws:apigateway/integration:Integration",
        "aws:index/apiGatewayIntegration:ApiGatewayIntegration",
    ],
    ids=["classic", "terraform-bridged"],
)
def test_an_integration_of_another_provider_replacing_the_nested_mock_fails_closed(
    pack: PolicyPackProcess, replacing
):
    # Corpus class: with the exemption on, another Integration resource for the same method
    # replaces the aws-native Method's nested MOCK (API Gateway keeps the last one put).
    api_prop = "restApi" if replacing.startswith("aws:apigateway/") else "restApiId"
    proxy = resource(
        replacing,
        "proxy",
        {api_prop: "a1", "resourceId": "r1", "httpMethod": "OPTIONS", "type": "HTTP_PROXY"},
    )
    diags = _configure(pack, OWNER).analyze_all([_native("MOCK"), proxy])
    assert [(d.policy_name, d.mandatory) for d in diags] == [(STACK_HALF, True)]
    assert "its integration and " in diags[0].message
    assert "failing closed" in diags[0].message


def test_a_bridged_mock_integration_exempts_a_bridged_method(pack: PolicyPackProcess):
    # The neighbour: a Terraform-bridged method with its own bridged MOCK integration.
    inputs = {"restApiId": "a1", "resourceId": "r1", "httpMethod": "OPTIONS"}
    options = resource(
        "aws:index/apiGatewayMethod:ApiGatewayMethod", "opt", {**inputs, "authorization": "NONE"}
    )
    mock = resource(
        "aws:index/apiGatewayIntegration:ApiGatewayIntegration", "m", {**inputs, "type": "MOCK"}
    )
    assert _configure(pack, OWNER).analyze_all([options, mock]) == []


def test_each_run_judges_what_its_own_analyze_calls_handed_over(pack: PolicyPackProcess):
    # `pulumi up` runs a preview then an update in one pack process: the update's AnalyzeStack
    # judges the method as the update's Analyze left it, not as the preview did.
    stack = _stack("HTTP_PROXY")
    _configure(pack, OWNER)
    assert [d.policy_name for d in pack.analyze_all(stack)] == [STACK_HALF]
    fixed = [
        method(
            "itemsOptions",
            stack[0],
            stack[1],
            "OPTIONS",
            authorization="COGNITO_USER_POOLS",
            authorizerId="auth1",
            authorizationScopes=["api/read"],
        )
        if r.name == "itemsOptions"
        else r
        for r in stack
    ]
    diags = pack.analyze_all(fixed)
    assert [d.policy_name for d in diags if d.mandatory] == [STACK_HALF]  # authorizer not here
    assert "does not resolve" in diags[0].message
    # AnalyzeStack alone (no Analyze in this run) has nothing handed over to confirm.
    assert [d for d in pack.analyze_stack(stack) if "exemptCorsPreflightMock" in d.message] == []
