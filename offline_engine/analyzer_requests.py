"""Analyzer requests as the Pulumi engine builds them, from recorded resources.

`Analyze` and `Remediate` get one resource's inputs, `AnalyzeStack` every resource's outputs
with parent and dependencies; both carry the resource's options (its parent) and its provider
(`AnalyzerProviderResource`, with the provider's inputs), which a policy reads for the region a
resource lives in (pulumi/pulumi `pkg/resource/deploy/step_generator.go`, `analyze_snapshot.go`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi.runtime.proto import analyzer_pb2

from .records import RecordedResource
from .wire import make_urn, to_struct


def as_record(res: RecordedResource | Mapping[str, Any]) -> RecordedResource:
    if isinstance(res, RecordedResource):
        return res
    type_ = str(res["type"])
    name = str(res["name"])
    inputs = to_struct(res.get("inputs") or {})
    outputs = to_struct(res["outputs"]) if res.get("outputs") is not None else inputs
    return RecordedResource(
        urn=str(res.get("urn") or make_urn(type_, name)),
        type=type_,
        name=name,
        custom=True,
        inputs=inputs,
        outputs=outputs,
        parent=str(res.get("parent", "")),
        dependencies=list(res.get("dependencies", [])),
        property_dependencies={
            k: list(v) for k, v in dict(res.get("property_dependencies", {})).items()
        },
    )


PROVIDER_TYPE_PREFIX = "pulumi:providers:"


def providers_by_urn(records: Iterable[RecordedResource]) -> dict[str, RecordedResource]:
    """The provider resources (`pulumi:providers:<package>`) among `records`, by URN."""
    return {r.urn: r for r in records if r.type.startswith(PROVIDER_TYPE_PREFIX)}


def provider_of(
    record: RecordedResource, providers: Mapping[str, RecordedResource]
) -> RecordedResource | None:
    """The provider a resource's reference (`<provider URN>::<provider id>`) names, if known."""
    if not record.provider:
        return None
    return providers.get(record.provider.rsplit("::", 1)[0])


def _provider_message(provider: RecordedResource) -> analyzer_pb2.AnalyzerProviderResource:
    # The engine sends a provider's inputs, in Analyze and AnalyzeStack alike.
    return analyzer_pb2.AnalyzerProviderResource(
        type=provider.type, properties=provider.inputs, urn=provider.urn, name=provider.name
    )


def analyze_request(
    res: RecordedResource | Mapping[str, Any], provider: RecordedResource | None = None
) -> analyzer_pb2.AnalyzeRequest:
    """One resource's inputs as the engine sends them to Analyze (and Remediate)."""
    record = as_record(res)
    request = analyzer_pb2.AnalyzeRequest(
        type=record.type,
        properties=record.inputs,
        urn=record.urn,
        name=record.name,
        options=analyzer_pb2.AnalyzerResourceOptions(parent=record.parent),
    )
    if provider is not None:
        request.provider.CopyFrom(_provider_message(provider))
    return request


def analyzer_resource(
    record: RecordedResource, provider: RecordedResource | None = None
) -> analyzer_pb2.AnalyzerResource:
    message = analyzer_pb2.AnalyzerResource(
        type=record.type,
        properties=record.outputs,
        urn=record.urn,
        name=record.name,
        options=analyzer_pb2.AnalyzerResourceOptions(parent=record.parent),
        parent=record.parent,
        dependencies=record.dependencies,
        propertyDependencies={
            k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v)
            for k, v in record.property_dependencies.items()
        },
    )
    if provider is not None:
        message.provider.CopyFrom(_provider_message(provider))
    return message
