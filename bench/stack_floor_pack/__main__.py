"""The stack benchmark's floor: as many stack policies as the real pack, each doing nothing.

pulumi-policy deserializes the whole AnalyzeStack request once per stack policy (its
AnalyzeStack loop), so that cost grows with the number of stack policies whatever they do. This
pack pays exactly that cost, which the real pack's time is compared against.
"""

from pulumi_policy import (
    EnforcementLevel,
    PolicyPack,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)

from apigw_guard.pack import POLICIES


def nothing(args: StackValidationArgs, report: ReportViolation) -> None:
    return None


PolicyPack(
    name="stack-floor",
    policies=[
        StackValidationPolicy(
            name=f"noop-{i}",
            description="Receives the stack and reports nothing.",
            validate=nothing,
            enforcement_level=EnforcementLevel.ADVISORY,
        )
        for i, _ in enumerate(p for p in POLICIES if isinstance(p, StackValidationPolicy))
    ],
)
