"""apigateway-httpapi-no-quick-create: HTTP API quick create makes an open `$default` route."""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..model.resource_types import HTTP_BODY_TYPES
from ..props import props_of
from ..reporting import describe

NAME = "apigateway-httpapi-no-quick-create"


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in HTTP_BODY_TYPES:
        return
    props = props_of(args.props)
    target = props.get("target")
    if target is None or target == "":
        return
    route_key = props.get("routeKey")
    key = route_key if isinstance(route_key, str) else "$default"
    report(
        f"{describe(args.resource_type, args.name)}: target is set (quick create), which makes an "
        f"implicit route {key} with no authorizer that no Route resource shows. Fix: remove "
        "target and routeKey and declare each route as an apigatewayv2 Route with a JWT "
        "authorizer and scopes.",
        None,
    )


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "HTTP APIs should not use quick create, which adds an implicit unauthenticated route."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.HIGH,
    remediation_steps=(
        "Remove `target` (and `route_key`) from the Api and create Routes, an Integration and a "
        "Stage explicitly."
    ),
)
