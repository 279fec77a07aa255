"""apigateway-restapi-fail-on-warnings: a body import should fail on warnings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..model.labels import describe
from ..model.resource_types import HTTP_BODY_TYPES, REST_BODY_TYPES
from ..model.unknown import UNKNOWN
from ..props import props_of
from ..remediation import as_sdk_remediation, with_property

NAME = "apigateway-restapi-fail-on-warnings"
# HTTP API imports drop what they cannot apply in the same way as REST imports.
TYPES = REST_BODY_TYPES + HTTP_BODY_TYPES


def _needs_fix(args: ResourceValidationArgs) -> tuple[bool, Any]:
    """(whether failOnWarnings must be set, its current value) for a resource with a body."""
    if args.resource_type not in TYPES:
        return False, None
    props = props_of(args.props)
    if props.get("body") is None:
        return False, None
    value = props.get("failOnWarnings")
    return value is not True and value is not UNKNOWN, value


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    needed, value = _needs_fix(args)
    if needed:
        report(
            f"{describe(args.resource_type, args.name)}: failOnWarnings is "
            f"{'unset (false)' if value is None else repr(value)}; the import "
            "then silently drops what it cannot apply (for example an unsupported security "
            "scheme), leaving a method different from the body. Fix: set failOnWarnings to true.",
            None,
        )


def remediate(args: ResourceValidationArgs) -> Mapping[str, Any] | None:
    """Set failOnWarnings to true: a safe, mechanical fix (at the `remediate` level).

    Only when `validate` would report it; an unknown value is left for the update.
    """
    needed, _ = _needs_fix(args)
    return with_property(args.props, "failOnWarnings", True) if needed else None


policy = ResourceValidationPolicy(
    name=NAME,
    description="OpenAPI body imports should fail on warnings rather than drop parts of the body.",
    validate=validate,
    remediate=as_sdk_remediation(remediate),
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "Set `fail_on_warnings=True` on the RestApi, RestApiPut or HTTP API (at the `remediate` "
        "level the pack sets it)."
    ),
)
