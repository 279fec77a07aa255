"""apigateway-scopes-not-builtin-only: methods should require a resource-server scope."""

from __future__ import annotations

from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from .. import method_settings, route_settings
from ..bodies import body_findings
from ..model.operations import COGNITO_BUILTIN_SCOPES
from ..model.resource_types import METHOD_TYPES, REST_BODY_TYPES, ROUTE_TYPES
from ..policy_config import judge_options
from ..props import props_of
from ..reporting import describe

NAME = "apigateway-scopes-not-builtin-only"
BUILTINS = ", ".join(sorted(COGNITO_BUILTIN_SCOPES))
FIX = "require a custom resource-server scope (<identifier>/<scope>) instead"


def _builtin_only(scopes: Any) -> bool:
    return (
        isinstance(scopes, list)
        and bool(scopes)
        and all(isinstance(s, str) and s in COGNITO_BUILTIN_SCOPES for s in scopes)
    )


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    rtype = args.resource_type
    props = props_of(args.props)
    why = (
        f"only Cognito built-in scopes ({BUILTINS}), which any signed-in user's token can carry "
        "and no client-credentials token does"
    )
    if rtype in METHOD_TYPES:
        problems, pending = method_settings.problems_of(rtype, props)
        scopes = props.get("authorizationScopes")
        if not problems and not pending and _builtin_only(scopes):
            label = method_settings.method_label(props)
            report(
                f"{describe(rtype, args.name)} ({label}): requires {why}: {scopes!r}. Fix: {FIX}.",
                None,
            )
    elif rtype in ROUTE_TYPES:
        problems, pending = route_settings.problems_of(props)
        scopes = props.get("authorizationScopes")
        if not problems and not pending and _builtin_only(scopes):
            label = route_settings.route_label(rtype, args.name, props)
            report(f"{label}: requires {why}: {scopes!r}. Fix: {FIX}.", None)
    elif rtype in REST_BODY_TYPES:
        findings = body_findings(rtype, args.name, props, judge_options(args.get_config()))
        if findings is None:
            return
        for key, scopes in findings.builtin_only:
            report(
                f"{describe(rtype, args.name)}: {key} requires {why}: {list(scopes)!r}. "
                f"Fix: {FIX}.",
                None,
            )


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "API methods should require a scope of the API's own resource server, not only Cognito "
        "built-in scopes."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "Define a Cognito resource server with custom scopes and list `<identifier>/<scope>` in "
        "the method's authorization scopes (OpenAPI: the operation's security requirement)."
    ),
)
