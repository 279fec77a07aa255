"""The report as data: what every renderer shows and what the exit status is decided from."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .matrix import Finding, Matrix

LEVEL_ORDER = ("mandatory", "remediate", "advisory", "disabled")


@dataclass(frozen=True)
class Report:
    stack: str
    matrix: Matrix
    findings: tuple[Finding, ...]
    # AWS resource type -> how many the stack would create (component resources excluded).
    resource_counts: tuple[tuple[str, int], ...]

    @property
    def mandatory_count(self) -> int:
        return sum(1 for f in self.findings if f.enforcement_level == "mandatory")

    @property
    def failed(self) -> bool:
        """Mandatory violations block `pulumi up`, so they fail the report too."""
        return self.mandatory_count > 0

    def findings_by_level(self) -> list[tuple[str, list[Finding]]]:
        groups: dict[str, list[Finding]] = {}
        for finding in self.findings:
            groups.setdefault(finding.enforcement_level, []).append(finding)
        ordered = [lvl for lvl in LEVEL_ORDER if lvl in groups]
        ordered += sorted(lvl for lvl in groups if lvl not in LEVEL_ORDER)
        return [(lvl, groups[lvl]) for lvl in ordered]


def count_resources(types: list[str]) -> tuple[tuple[str, int], ...]:
    counts = Counter(types)
    return tuple(sorted(counts.items()))
