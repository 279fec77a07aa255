# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""apigateway-restapi-fail-on-warnings: a body import that fails on warnings, then one change per
fault and per unknown, and the remediation (the policy reads no config)."""

from __future__ import annotations

from typing import Any

import pytest

from apigw_guard.model.resource_types import HTTP_BODY_TYPES, REST_BODY_TYPES
from apigw_guard.rules.restapi_fail_on_warnings import policy
from offline_engine import COMPUTED, RecordedResource, resource
from tests.policies.rules.harness import analyze, assert_metadata, remediate

NAME = "apigateway-restapi-fail-on-warnings"
TYPES = [*REST_BODY_TYPES, *HTTP_BODY_TYPES]


def api(resource_type: str = REST_BODY_TYPES[0], **props: Any) -> RecordedResource:
    inputs = {"body": "{}", "failOnWarnings": True, **props}
    return resource(resource_type, "api", {k: v for k, v in inputs.items() if v is not None})


def test_metadata():
    assert_metadata(policy, NAME, "advisory", set(), severity="medium")
    assert policy.has_remediation()


@pytest.mark.parametrize("resource_type", TYPES)
def test_a_body_import_that_fails_on_warnings_is_silent(resource_type):
    assert analyze(policy, api(resource_type)).clean


@pytest.mark.parametrize(("value", "shown"), [(None, "unset (false)"), (False, "False")])
@pytest.mark.parametrize("resource_type", TYPES)
def test_a_body_import_that_drops_what_it_cannot_apply_is_advised(resource_type, value, shown):
    message = analyze(policy, api(resource_type, failOnWarnings=value)).only()
    kind = resource_type.rsplit(":", 1)[1]
    assert message == (
        f"{kind} 'api': failOnWarnings is {shown}; the import then silently drops what it cannot "
        "apply (for example an unsupported security scheme), leaving a method different from "
        "the body. Fix: set failOnWarnings to true."
    )


def test_no_body_no_import():
    assert analyze(policy, api(body=None, failOnWarnings=None)).clean


def test_an_unknown_setting_is_silent_and_not_remediated():
    assert analyze(policy, api(failOnWarnings=COMPUTED)).clean
    assert remediate(policy, api(failOnWarnings=COMPUTED)) is None


def test_remediation_sets_it_and_keeps_the_rest():
    fixed = remediate(policy, api(failOnWarnings=None, name="api"))
    assert fixed == {"body": "{}", "name": "api", "failOnWarnings": True}
    assert remediate(policy, api()) is None
