# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Remediation over the Analyzer protocol (the `Remediate` RPC), for advisories with a safe fix.

An organisation that sets `apigateway-restapi-fail-on-warnings` or
`apigateway-restapi-put-mode-overwrite` to the `remediate` level gets the setting fixed in
place, every other property (known or not) left exactly as the program set it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from offline_engine import COMPUTED, PolicyPackProcess, decode, resource

FAIL_ON_WARNINGS = "apigateway-restapi-fail-on-warnings"
PUT_MODE = "apigateway-restapi-put-mode-overwrite"
BODY = json.dumps({"openapi": "3.0.1", "paths": {}})


@pytest.fixture
def remediating(pack: PolicyPackProcess) -> PolicyPackProcess:
    pack.configure(levels={FAIL_ON_WARNINGS: "remediate", PUT_MODE: "remediate"})
    return pack


def applied(response) -> dict[str, dict[str, Any]]:
    return {r.policyName: decode(r.properties) for r in response.remediations}


def test_pack_declares_both_remediations(pack: PolicyPackProcess):
    pack.configure(levels={FAIL_ON_WARNINGS: "remediate", PUT_MODE: "remediate"})
    response = pack.remediate(resource("aws:apigateway/method:Method", "m", {}))
    # Neither applies to a Method, and neither is reported as lacking a remediate function.
    assert list(response.remediations) == []
    assert {n.policy_name for n in response.not_applicable} & {FAIL_ON_WARNINGS, PUT_MODE} == set()


def test_fail_on_warnings_is_set_and_merge_becomes_overwrite(remediating: PolicyPackProcess):
    api = resource(
        "aws:apigateway/restApi:RestApi",
        "api",
        {"name": COMPUTED, "body": BODY, "putRestApiMode": "merge"},
    )
    response = remediating.remediate(api)
    fixed = applied(response)
    assert set(fixed) == {FAIL_ON_WARNINGS, PUT_MODE}
    final = decode(response.remediations[-1].properties)
    assert final["failOnWarnings"] is True
    assert final["putRestApiMode"] == "overwrite"
    assert final["body"] == BODY
    assert final["name"] is COMPUTED  # an unknown value flows through unchanged


def test_aws_native_mode_is_remediated(remediating: PolicyPackProcess):
    api = resource(
        "aws-native:apigateway:RestApi",
        "api",
        {"body": BODY, "mode": "merge", "failOnWarnings": True},
    )
    fixed = applied(remediating.remediate(api))
    assert set(fixed) == {PUT_MODE}
    assert fixed[PUT_MODE]["mode"] == "overwrite"


def test_sound_settings_and_bodiless_apis_are_left_alone(remediating: PolicyPackProcess):
    sound = resource(
        "aws:apigateway/restApi:RestApi",
        "api",
        {"body": BODY, "putRestApiMode": "overwrite", "failOnWarnings": True},
    )
    bodiless = resource("aws:apigateway/restApi:RestApi", "api2", {"putRestApiMode": "merge"})
    pending = resource(
        "aws:apigateway/restApi:RestApi", "api3", {"body": BODY, "failOnWarnings": COMPUTED}
    )
    for res in (sound, bodiless, pending):
        assert list(remediating.remediate(res).remediations) == [], res.name


def test_advisory_level_does_not_remediate(pack: PolicyPackProcess):
    pack.configure(default_level=None)
    put = resource(
        "aws:apigateway/restApi:RestApi", "api", {"body": BODY, "putRestApiMode": "merge"}
    )
    assert list(pack.remediate(put).remediations) == []
