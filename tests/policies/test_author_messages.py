# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Messages an author can act on: a Method by what is known when it is judged, the exact
unknown input in preview.

A Method's own fault is judged before it exists, from its own inputs: the message names the
Method and its resourceId. A stack-level fault names `METHOD /path`, or says why the path does
not resolve; a stack-level preview advisory names the property that is unknown and, where the
dependency graph shows it, its source.
"""

from __future__ import annotations

import pytest

from offline_engine import COMPUTED, Diagnostic, PolicyPackProcess, resource
from tests.policies.stack_shapes import (
    METHOD_FIX,
    POOL,
    POOL_ALLOWLISTED,
    method,
    path_resource,
    rest_api,
)

# What follows the SDK's "can't run policy ... during preview: " (the pack version varies).
PREVIEW = (
    "not judged yet because values are unknown until the update: {what}. It will be checked "
    "(and enforced) at update, when the values are known"
)


@pytest.fixture
def declared(pack: PolicyPackProcess) -> PolicyPackProcess:
    # The stacks here trust a pool they do not create; naming it keeps item 9's advisory (see
    # test_user_pool_advisories.py) out of what these tests are about.
    pack.configure(default_level=None, config=POOL_ALLOWLISTED)
    return pack


def _text(diag: Diagnostic) -> str:
    return diag.message.split("\n", 1)[-1]


def test_open_method_in_another_stacks_resource_says_so(declared: PolicyPackProcess):
    open_ = resource(
        "aws:apigateway/method:Method",
        "getItem",
        {"restApi": "a1", "resourceId": "item-id6", "httpMethod": "GET", "authorization": "NONE"},
    )
    (diag,) = declared.analyze_all([open_])
    assert diag.mandatory
    assert _text(diag) == (
        "Method 'getItem' (GET on resourceId 'item-id6'): authorization is "
        f"'NONE', not 'COGNITO_USER_POOLS'. {METHOD_FIX}"
    )


def test_open_method_is_blocked_before_it_exists_by_its_resource_id(
    declared: PolicyPackProcess,
):
    api = rest_api()
    items = path_resource("items", api, api, "items", "r1")
    item = path_resource("item", api, items, "{id}", "r2")
    open_ = method("getItem", api, item, "GET", authorization="NONE")
    (diag,) = declared.analyze(open_)
    assert diag.mandatory
    assert _text(diag) == (
        "Method 'getItem' (GET on resourceId 'r2'): authorization is 'NONE', not "
        f"'COGNITO_USER_POOLS'. {METHOD_FIX}"
    )
    assert declared.analyze_stack([api, items, item, open_]) == []  # reported once


def test_stack_level_fault_names_the_method_by_its_full_path(declared: PolicyPackProcess):
    api = rest_api()
    items = path_resource("items", api, api, "items", "r1")
    item = path_resource("item", api, items, "{id}", "r2")
    get = method(
        "getItem",
        api,
        item,
        "GET",
        authorization="COGNITO_USER_POOLS",
        authorizerId="elsewhere",
        authorizationScopes=["api/read"],
    )
    (diag,) = declared.analyze_all([api, items, item, get])
    assert diag.policy_name == "apigateway-references-resolve"
    assert _text(diag).startswith(
        "Method 'getItem' (GET /items/{id}): authorizerId 'elsewhere' does not resolve"
    )


def test_preview_names_the_unknown_input_and_where_it_comes_from(declared: PolicyPackProcess):
    api = resource("aws:apigateway/restApi:RestApi", "api", {"name": "api"})
    items = resource(
        "aws:apigateway/resource:Resource",
        "items",
        {"restApi": COMPUTED, "parentId": COMPUTED, "pathPart": "items"},
        property_dependencies={"restApi": [api.urn], "parentId": [api.urn]},
    )
    server = resource(
        "aws:cognito/resourceServer:ResourceServer", "scopes", {"identifier": "orders"}
    )
    auth = resource(
        "aws:apigateway/authorizer:Authorizer",
        "cognito",
        {"restApi": COMPUTED, "type": "COGNITO_USER_POOLS", "providerArns": [COMPUTED]},
    )
    get = resource(
        "aws:apigateway/method:Method",
        "getItems",
        {
            "restApi": COMPUTED,
            "resourceId": COMPUTED,
            "httpMethod": "GET",
            "authorization": "COGNITO_USER_POOLS",
            "authorizerId": COMPUTED,
            "authorizationScopes": COMPUTED,
        },
        property_dependencies={
            "resourceId": [items.urn],
            "authorizerId": [auth.urn],
            "authorizationScopes": [server.urn],
        },
    )
    diags = declared.analyze_all([api, items, server, auth, get])
    # Each unknown deferred once, by the policy that will judge it: the authorizer's pools when
    # it is created, the method's scopes when it is. The method's authorizerId (the stack's
    # link) is not judged while the method's own settings are still open.
    assert [
        (d.policy_name, d.enforcement_level, d.message.split("during preview: ", 1)[1])
        for d in diags
    ] == [
        (
            "apigateway-method-cognito-authorizer",
            "advisory",
            PREVIEW.format(what="Authorizer 'cognito': providerArns"),
        ),
        (
            "apigateway-method-cognito-authorization",
            "advisory",
            PREVIEW.format(
                what="Method 'getItems' (GET on resourceId <unknown until the update>): "
                "authorizationScopes",
            ),
        ),
    ]


def test_preview_names_the_source_of_an_unknown_link(declared: PolicyPackProcess):
    auth = resource(
        "aws:apigateway/authorizer:Authorizer",
        "cognito",
        {"restApi": COMPUTED, "type": "COGNITO_USER_POOLS", "providerArns": [POOL]},
    )
    get = resource(
        "aws:apigateway/method:Method",
        "getItems",
        {
            "restApi": "a1",
            "resourceId": "elsewhere",
            "httpMethod": "GET",
            "authorization": "COGNITO_USER_POOLS",
            "authorizerId": COMPUTED,
            "authorizationScopes": ["api/read"],
        },
        property_dependencies={"authorizerId": [auth.urn]},
    )
    (diag,) = declared.analyze_all([auth, get])
    assert (diag.policy_name, diag.enforcement_level) == (
        "apigateway-references-resolve",
        "advisory",
    )
    assert "authorizerId (from Authorizer 'cognito')" in diag.message


def test_preview_says_when_the_path_itself_is_unknown(declared: PolicyPackProcess):
    get = resource(
        "aws:apigateway/method:Method",
        "getItems",
        {
            "restApi": COMPUTED,
            "resourceId": COMPUTED,
            "httpMethod": "GET",
            "authorization": "COGNITO_USER_POOLS",
            "authorizerId": "x",
            "authorizationScopes": COMPUTED,
        },
    )
    diags = [d for d in declared.analyze_all([get]) if not d.mandatory]
    assert [d.policy_name for d in diags] == ["apigateway-method-cognito-authorization"]
    assert (
        "Method 'getItems' (GET on resourceId <unknown until the update>): authorizationScopes."
    ) in diags[0].message


def test_unknown_body_does_not_blame_a_user_pool(declared: PolicyPackProcess):
    api = resource(
        "aws:apigateway/restApi:RestApi", "proxy", {"body": COMPUTED, "failOnWarnings": True}
    )
    (diag,) = declared.analyze(api)
    assert not diag.mandatory
    assert "user pool" not in diag.message
    assert (
        "RestApi 'proxy' body is not known during preview (it is built from outputs of other "
        "resources, known only after the update)"
    ) in diag.message
