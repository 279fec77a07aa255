# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""apigateway-restapi-put-mode-overwrite: a body imported in overwrite mode, then one change per
fault and per unknown, and the remediation (the policy reads no config)."""

from __future__ import annotations

from typing import Any

import pytest

from apigw_guard.model.resource_types import REST_API_BRIDGED, REST_API_CLASSIC, REST_API_NATIVE
from apigw_guard.rules.restapi_put_mode_overwrite import policy
from offline_engine import COMPUTED, RecordedResource, resource
from tests.policies.rules.harness import analyze, assert_metadata, remediate

NAME = "apigateway-restapi-put-mode-overwrite"
FIELD = {
    REST_API_CLASSIC: "putRestApiMode",
    REST_API_NATIVE: "mode",
    REST_API_BRIDGED: "putRestApiMode",
}


def api(
    resource_type: str = REST_API_CLASSIC, mode: Any = "overwrite", **props: Any
) -> RecordedResource:
    inputs = {"name": "api", "body": "{}", FIELD[resource_type]: mode, **props}
    return resource(resource_type, "api", {k: v for k, v in inputs.items() if v is not None})


def test_metadata():
    assert_metadata(policy, NAME, "advisory", set(), severity="high")
    assert policy.has_remediation()


@pytest.mark.parametrize("resource_type", list(FIELD))
def test_overwrite_and_the_default_are_silent(resource_type):
    assert analyze(policy, api(resource_type)).clean
    assert analyze(policy, api(resource_type, mode=None)).clean


@pytest.mark.parametrize("resource_type", list(FIELD))
@pytest.mark.parametrize("mode", ["merge", "MERGE"])
def test_merge_is_advised(resource_type, mode):
    field = FIELD[resource_type]
    message = analyze(policy, api(resource_type, mode)).only()
    kind = resource_type.rsplit(":", 1)[1]
    assert message == (
        f"{kind} 'api': {field} is 'merge', so methods removed from the body (or added outside "
        f"it) stay live and unchecked by this pack. Fix: set {field} to 'overwrite'."
    )


def test_merge_without_a_body_imports_nothing():
    assert analyze(policy, api(mode="merge", body=None)).clean


def test_a_rest_api_put_has_no_mode_and_is_not_judged():
    # pulumi-aws 7.51.1's RestApiPutArgs has no putRestApiMode: a RestApiPut always overwrites.
    put = resource(
        "aws:apigateway/restApiPut:RestApiPut",
        "put",
        {"restApiId": "a1", "body": "{}", "putRestApiMode": "merge"},
    )
    assert analyze(policy, put).clean
    assert remediate(policy, put) is None


def test_an_unknown_mode_is_silent_until_known():
    assert analyze(policy, api(mode=COMPUTED)).clean


@pytest.mark.parametrize("resource_type", list(FIELD))
def test_remediation_sets_overwrite_and_keeps_the_rest(resource_type):
    fixed = remediate(policy, api(resource_type, "merge", name=COMPUTED))
    assert fixed[FIELD[resource_type]] == "overwrite"
    assert fixed["body"] == "{}"
    assert fixed["name"] == "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the unknown, unchanged
    assert remediate(policy, api(resource_type)) is None
