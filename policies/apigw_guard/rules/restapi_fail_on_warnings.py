"""apigateway-restapi-fail-on-warnings: a body import should fail on warnings."""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..model.resource_types import HTTP_BODY_TYPES, REST_BODY_TYPES
from ..model.unknown import UNKNOWN
from ..props import props_of
from ..reporting import describe

NAME = "apigateway-restapi-fail-on-warnings"
# HTTP API imports drop what they cannot apply in the same way as REST imports.
TYPES = REST_BODY_TYPES + HTTP_BODY_TYPES


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in TYPES:
        return
    props = props_of(args.props)
    if props.get("body") is None:
        return
    value = props.get("failOnWarnings")
    if value is not True and value is not UNKNOWN:
        report(
            f"{describe(args.resource_type, args.name)}: failOnWarnings is "
            f"{'unset (false)' if value is None else repr(value)}; the import "
            "then silently drops what it cannot apply (for example an unsupported security "
            "scheme), leaving a method different from the body. Fix: set failOnWarnings to true.",
            None,
        )


policy = ResourceValidationPolicy(
    name=NAME,
    description="OpenAPI body imports should fail on warnings rather than drop parts of the body.",
    validate=validate,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.MEDIUM,
    remediation_steps="Set `fail_on_warnings=True` on the RestApi, RestApiPut or HTTP API.",
)
