"""Replaying `pulumi policy analyze --file <export>` against a policy pack, offline.

The call shape of pulumi/pulumi `pkg/resource/deploy/analyze_snapshot.go` (`AnalyzeSnapshot`):
for each resource of the snapshot in order, `delete: true` ones skipped, `Remediate` (what it
would change is reported, nothing is applied) then `Analyze` with the resource's state *inputs*
and its provider; then one `AnalyzeStack` with every resource's state *outputs*, parent,
dependencies and property dependencies. Provider resources, the root Stack and read
(`external`) resources are included. No `ConfigureStack`. A stack-level diagnostic that names no
resource of the snapshot is attributed to the root Stack. A mandatory violation anywhere fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format

from .analyzer_requests import provider_of, providers_by_urn
from .policy_pack import Diagnostic, PolicyPackProcess
from .stack_export import ExportedStack


@dataclass(frozen=True)
class Remediation:
    """A remediation the pack would apply to a resource: the policy and the properties it sets."""

    urn: str
    policy_name: str
    changed: tuple[str, ...]


@dataclass
class AnalysisResult:
    """Every diagnostic of the replay, in the order the CLI reports them, and the remediations."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    remediations: list[Remediation] = field(default_factory=list)

    @property
    def mandatory(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.mandatory]


def analyze_export(pack: PolicyPackProcess, stack: ExportedStack) -> AnalysisResult:
    """Run a configured pack over an export in `pulumi policy analyze --file`'s call shape."""
    result = AnalysisResult()
    providers = providers_by_urn(stack.resources)
    for record in stack.resources:
        provider = provider_of(record, providers)
        response = pack.remediate(record, provider)
        before = json_format.MessageToDict(record.inputs)
        for remediation in response.remediations:
            after: dict[str, Any] = json_format.MessageToDict(remediation.properties)
            changed = tuple(
                sorted(k for k in after.keys() | before.keys() if after.get(k) != before.get(k))
            )
            result.remediations.append(Remediation(record.urn, remediation.policyName, changed))
        result.diagnostics.extend(pack.analyze(record, provider))
    urns = {r.urn for r in stack.resources}
    root = stack.root_stack_urn
    for diag in pack.analyze_stack(stack.resources):
        urn = diag.urn if diag.urn in urns else root
        result.diagnostics.append(
            Diagnostic(
                diag.policy_name,
                diag.enforcement_level,
                diag.message,
                urn,
                diag.description,
                diag.severity,
            )
        )
    return result
