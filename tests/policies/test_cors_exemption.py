# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The CORS preflight exemption is one decision, made by the policy that sees the integration.

Before, `apigateway-method-cognito-authorization` skipped every OPTIONS method when its own
`exemptCorsPreflightMock` was set, trusting `apigateway-method-cognito-authorizer` to check the
integration, which did so only when its own copy of the setting was on too. Set on one policy
only, an OPTIONS method with authorization NONE and an HTTP_PROXY integration passed silently.
"""

from __future__ import annotations

import pytest

from offline_engine import UNKNOWN, PolicyPackProcess, resource
from tests.policies.stack_shapes import integration, method, path_resource, rest_api

OWNER = "apigateway-method-cognito-authorization"
OTHER = "apigateway-method-cognito-authorizer"
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


def _blocked(diags) -> list[str]:
    return [d.message.split("\n", 1)[-1] for d in diags if d.mandatory]


OPEN = "Method 'itemsOptions' (OPTIONS /items): authorization is 'NONE', not 'COGNITO_USER_POOLS'."
COGNITO_FIX = (
    "Fix: set authorization to COGNITO_USER_POOLS, authorizerId to a Cognito user-pool "
    "authorizer and authorizationScopes to at least one resource-server scope."
)


@pytest.mark.parametrize("owners", [(OWNER,), (OWNER, OTHER)], ids=["owner-only", "both"])
def test_exemption_does_not_cover_a_proxy_integration(pack: PolicyPackProcess, owners):
    # The bypass: exemption on the owning policy only (or both), HTTP_PROXY integration.
    diags = _configure(pack, *owners).analyze_all(_stack("HTTP_PROXY"))
    assert _blocked(diags) == [
        f"{OPEN} exemptCorsPreflightMock applies only to an OPTIONS method whose own "
        f"integration is MOCK; Integration 'integ0' has type 'HTTP_PROXY'. {COGNITO_FIX}"
    ]
    assert [d.policy_name for d in diags] == [OWNER]


def test_exemption_covers_the_methods_own_mock_integration(pack: PolicyPackProcess):
    # The legitimate neighbour.
    assert _configure(pack, OWNER).analyze_all(_stack("MOCK")) == []


def test_exemption_on_the_other_policy_alone_exempts_nothing(pack: PolicyPackProcess):
    diags = _configure(pack, OTHER).analyze_all(_stack("MOCK"))
    (message,) = _blocked(diags)
    assert message.startswith(f"{OPEN} This is a CORS preflight")
    assert f"set exemptCorsPreflightMock: true on {OWNER}" in message


def test_a_mock_integration_of_another_method_does_not_count(pack: PolicyPackProcess):
    # A MOCK integration on another path, wired to this method's httpMethod, is not its own.
    diags = _configure(pack, OWNER).analyze_all(
        _stack("MOCK", integration_on=lambda api: path_resource("other", api, api, "o", "r9"))
    )
    assert _blocked(diags) == [
        f"{OPEN} exemptCorsPreflightMock applies only to an OPTIONS method whose own "
        f"integration is MOCK, and no Integration of this stack is attached to this method. "
        f"{COGNITO_FIX}"
    ]


def test_two_integrations_for_one_method_fail_closed(pack: PolicyPackProcess):
    diags = _configure(pack, OWNER).analyze_all(_stack("MOCK", "HTTP_PROXY"))
    assert _blocked(diags) == [
        f"{OPEN} exemptCorsPreflightMock does not apply: Integration 'integ0' and Integration "
        "'integ1' are all attached to this method and API Gateway keeps only one, which cannot "
        "be told here (failing closed). Fix: keep exactly one Integration for this method "
        "(MOCK for a preflight), or set authorization to COGNITO_USER_POOLS, authorizerId to a "
        "Cognito user-pool authorizer and authorizationScopes to at least one resource-server "
        "scope."
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
        OWNER
    ]


def test_preview_matches_the_integration_by_its_dependencies(pack: PolicyPackProcess):
    # During preview the ids are unknown; the dependencies show which method it belongs to.
    api = resource("aws:apigateway/restApi:RestApi", "api", {"name": "api"})
    items = resource(
        "aws:apigateway/resource:Resource",
        "items",
        {"restApi": UNKNOWN, "parentId": UNKNOWN, "pathPart": "items"},
        property_dependencies={"restApi": [api.urn], "parentId": [api.urn]},
    )
    refs = {"restApi": UNKNOWN, "resourceId": UNKNOWN}
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
    assert [(d.policy_name, d.enforcement_level) for d in diags] == [(OWNER, "advisory")]
    assert (
        "Method 'opt' (OPTIONS /items): whether Integration 'mock' is attached to it (restApi, "
        "resourceId, httpMethod), which decides exemptCorsPreflightMock."
    ) in diags[0].message


def test_native_method_judges_its_nested_integration(pack: PolicyPackProcess):
    def native(kind: str):
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

    assert _configure(pack, OWNER).analyze_all([native("MOCK")]) == []
    diags = _configure(pack, OWNER).analyze_all([native("HTTP_PROXY")])
    assert [d.policy_name for d in diags] == [OWNER]
    assert "its integration has type 'HTTP_PROXY'" in diags[0].message
