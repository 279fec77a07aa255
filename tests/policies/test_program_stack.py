# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The program's own dev stack, captured under mocks in wire format, through the pack."""

from __future__ import annotations

import json
from dataclasses import replace

from offline_engine import (
    CapturedStack,
    PolicyPackProcess,
    RecordedResource,
    inputs_of,
    outputs_of,
    to_struct,
)

BODY_POLICY = "apigateway-restapi-body-operation-security"
PUT = "aws:apigateway/restApiPut:RestApiPut"


def deployment(pack: PolicyPackProcess, resources: list[RecordedResource]):
    """What `pulumi up` shows: Analyze per custom resource, then AnalyzeStack over all."""
    pack.configure(default_level=None)
    diags = [d for r in resources if r.custom for d in pack.analyze(r)]
    return diags + pack.analyze_stack(resources)


def without_security(record: RecordedResource) -> tuple[RecordedResource, str]:
    """The RestApiPut with the first operation's `security` removed; returns its METHOD /path."""
    body = json.loads(inputs_of(record)["body"])
    path, item = next(iter(body["paths"].items()))
    verb = next(k for k, v in item.items() if isinstance(v, dict) and "security" in v)
    del item[verb]["security"]
    text = json.dumps(body)
    key = f"{'ANY' if verb == 'x-amazon-apigateway-any-method' else verb.upper()} {path}"
    inputs = {**inputs_of(record), "body": text}
    outputs = {**outputs_of(record), "body": text}
    return replace(record, inputs=to_struct(inputs), outputs=to_struct(outputs)), key


def test_dev_stack_passes(pack: PolicyPackProcess, dev: CapturedStack):
    assert dev.of_type(PUT), "the program no longer registers a RestApiPut"
    assert deployment(pack, dev.resources) == []


def test_dev_stack_with_one_operation_unprotected_is_blocked(
    pack: PolicyPackProcess, dev: CapturedStack
):
    broken, key = without_security(dev.one(PUT))
    resources = [broken if r.urn == broken.urn else r for r in dev.resources]
    diags = deployment(pack, resources)
    assert [(d.policy_name, d.enforcement_level) for d in diags] == [(BODY_POLICY, "mandatory")]
    assert f"{key} has no operation-level security" in diags[0].message


def test_dev_stack_in_preview_gives_the_advisory_and_no_crash(
    pack: PolicyPackProcess, dev_preview: CapturedStack
):
    diags = deployment(pack, dev_preview.resources)
    assert not [d for d in diags if d.mandatory], diags
    body_diags = [d for d in diags if d.policy_name == BODY_POLICY]
    assert len(body_diags) == 1
    assert body_diags[0].enforcement_level == "advisory"
    assert "RestApiPut" in body_diags[0].message
    assert "checked (and enforced) at update" in body_diags[0].message
    assert all("can't run policy" not in d.message for d in diags if d.policy_name != BODY_POLICY)
