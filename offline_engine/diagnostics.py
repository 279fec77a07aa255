"""The Analyzer's diagnostics as the CLI reads them: level and severity names, decoded replies."""

from __future__ import annotations

from dataclasses import dataclass

from pulumi.runtime.proto import analyzer_pb2

LEVELS: dict[str, int] = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "disabled": analyzer_pb2.DISABLED,
    "remediate": analyzer_pb2.REMEDIATE,
}
LEVEL_NAMES: dict[int, str] = {v: k for k, v in LEVELS.items()}
SEVERITY_NAMES: dict[int, str] = {
    analyzer_pb2.POLICY_SEVERITY_UNSPECIFIED: "",
    analyzer_pb2.POLICY_SEVERITY_LOW: "low",
    analyzer_pb2.POLICY_SEVERITY_MEDIUM: "medium",
    analyzer_pb2.POLICY_SEVERITY_HIGH: "high",
    analyzer_pb2.POLICY_SEVERITY_CRITICAL: "critical",
}


@dataclass(frozen=True)
class Diagnostic:
    """One AnalyzeDiagnostic, with the enforcement level as a lower-case name."""

    policy_name: str
    enforcement_level: str
    message: str
    urn: str
    description: str
    severity: str = ""

    @property
    def mandatory(self) -> bool:
        return self.enforcement_level == "mandatory"


def decode_diagnostics(response: analyzer_pb2.AnalyzeResponse, urn: str = "") -> list[Diagnostic]:
    """Decode diagnostics; `urn` is the analyzed resource's, which the engine attributes a
    resource-level diagnostic to when the pack leaves its URN empty."""
    return [
        Diagnostic(
            policy_name=d.policyName,
            enforcement_level=LEVEL_NAMES.get(d.enforcementLevel, str(d.enforcementLevel)),
            message=d.message,
            urn=d.urn or urn,
            description=d.description,
            severity=SEVERITY_NAMES.get(d.severity, ""),
        )
        for d in response.diagnostics
    ]
