"""Runs one policy in process, with its arguments built exactly as pulumi-policy builds them.

The SDK's Analyzer (pulumi_policy/policy.py, `_PolicyAnalyzerServicer`) turns a request into a
policy's arguments this way, and so does `analyze` here:

- properties: the wire Struct as a dict (`json_format.MessageToDict`, so numbers are floats),
  `deserialize_properties` (secrets unwrapped), then `unknown_checking_proxy`, which raises
  `UnknownValueError` on any access to a value unknown during preview;
- config: the properties configured for this policy name only, as a dict, or None when none
  are (`_get_policy_config`); no schema default is filled in (the CLI does that, not the SDK),
  so a property left out runs the policy's own fallback;
- an `UnknownValueError` escaping `validate` becomes the SDK's deferral;
- for a stack policy, `PolicyResource`s built from every resource's outputs, with parent,
  dependencies and property dependencies linked to each other as objects (`analyze_stack`).

Resources are the offline engine's `RecordedResource`s (`offline_engine.resource`), whose wire
encoding is the one the gRPC tests send, with `COMPUTED` for unknowns and `Secret`s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi_policy import (
    Policy,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from apigw_guard import handoff
from apigw_guard.model.deferral import deferred_urns
from offline_engine import RecordedResource, to_struct
from offline_engine.analyzer_requests import provider_of, providers_by_urn


@dataclass
class Outcome:
    """What one policy reported: violations (message, URN passed to `report`), and the
    deferral's message when it raised `UnknownValueError` (the SDK reports it as an advisory
    "can't run policy ... during preview: <message>")."""

    violations: list[tuple[str, str | None]] = field(default_factory=list)
    deferred: str | None = None

    @property
    def messages(self) -> list[str]:
        return [message for message, _ in self.violations]

    @property
    def clean(self) -> bool:
        return not self.violations and self.deferred is None

    @property
    def deferred_urns(self) -> tuple[str, ...]:
        return deferred_urns(self.deferred or "")

    def only(self) -> str:
        """The one violation's message (and no deferral)."""
        assert self.deferred is None, self.deferred
        assert len(self.violations) == 1, self.violations
        return self.violations[0][0]


def sdk_props(struct: struct_pb2.Struct, proxy_secrets: bool = False) -> Any:
    """A resource's properties as the SDK hands them to a policy (Remediate keeps secrets as
    `Secret` objects, `proxy_secrets`, so that a remediation returns them still secret)."""
    plain = json_format.MessageToDict(struct)
    return unknown_checking_proxy(deserialize_properties(plain, proxy_secrets))


def sdk_config(config: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A policy's config as the SDK hands it: the configured properties through a Struct."""
    if not config:
        return None
    return dict(json_format.MessageToDict(to_struct(config)))


def _options(record: RecordedResource) -> PolicyResourceOptions:
    return PolicyResourceOptions(
        False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], record.parent or None
    )


def _provider(record: RecordedResource | None) -> PolicyProviderResource | None:
    if record is None:
        return None
    return PolicyProviderResource(record.type, sdk_props(record.inputs), record.urn, record.name)


def _run(policy: Policy, call: Any) -> Outcome:
    outcome = Outcome()

    def report(message: str, urn: str | None = None) -> None:
        assert isinstance(message, str)
        assert message
        outcome.violations.append((message, urn))

    try:
        result = call(report)
        assert result is None, f"{policy.name}: validate returned {result!r}"
    except UnknownValueError as err:
        outcome.deferred = err.message
    return outcome


def resource_args(
    record: RecordedResource,
    config: Mapping[str, Any] | None = None,
    provider: RecordedResource | None = None,
    proxy_secrets: bool = False,
) -> ResourceValidationArgs:
    """One resource's inputs (and its provider's, when given) as Analyze and Remediate pass them."""
    return ResourceValidationArgs(
        record.type,
        sdk_props(record.inputs, proxy_secrets),
        record.urn,
        record.name,
        _options(record),
        _provider(provider),
        sdk_config(config),
    )


def analyze(
    policy: ResourceValidationPolicy,
    record: RecordedResource,
    config: Mapping[str, Any] | None = None,
    provider: RecordedResource | None = None,
) -> Outcome:
    """Analyze: the policy on one resource's inputs (and its provider's, when given)."""
    args = resource_args(record, config, provider)
    return _run(policy, lambda report: policy.validate(args, report))


def remediate(
    policy: ResourceValidationPolicy,
    record: RecordedResource,
    config: Mapping[str, Any] | None = None,
) -> Any:
    """Remediate: what the policy's remediation returns for one resource's inputs."""
    return policy.remediate(resource_args(record, config, proxy_secrets=True))


def policy_resources(records: Sequence[RecordedResource]) -> list[PolicyResource]:
    """Every resource's outputs as the SDK builds them for AnalyzeStack, links resolved."""
    providers = providers_by_urn(records)
    built = {
        r.urn: PolicyResource(
            r.type,
            sdk_props(r.outputs),
            r.urn,
            r.name,
            _options(r),
            _provider(provider_of(r, providers)),
            None,
            [],
            {},
        )
        for r in records
    }
    for record in records:
        resource = built[record.urn]
        resource.parent = built.get(record.parent) if record.parent else None
        resource.dependencies = [built[d] for d in record.dependencies if d in built]
        resource.property_dependencies = {
            prop: [built[d] for d in deps if d in built]
            for prop, deps in record.property_dependencies.items()
        }
    return [built[r.urn] for r in records]


def analyze_stack(
    policy: StackValidationPolicy,
    records: Iterable[RecordedResource],
    config: Mapping[str, Any] | None = None,
) -> Outcome:
    """AnalyzeStack: the policy on the whole stack's outputs."""
    args = StackValidationArgs(policy_resources(list(records)), sdk_config(config))
    return _run(policy, lambda report: policy.validate(args, report))


def forget_hand_offs() -> None:
    """Drop what resource policies left to the stack policy (one run of the pack ends)."""
    handoff.take(handoff.REFERENCES)


def assert_metadata(
    policy: Policy, name: str, level: str, config: set[str], severity: str = "critical"
) -> None:
    """The policy's name, default level, severity, description and declared config."""
    assert policy.name == name
    assert policy.enforcement_level is not None
    assert policy.enforcement_level.value == level
    assert policy.severity is not None
    assert policy.severity.value == severity
    assert policy.description.endswith(".")
    assert policy.description[0].isupper()
    assert policy.remediation_steps
    declared = policy.config_schema.properties if policy.config_schema else {}
    assert set(declared) == config
