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

from ..model.security import COGNITO_BUILTIN_SCOPES
from . import method_cognito_authorization as method_rule
from . import restapi_body_operation_security as body_rule
from . import route_cognito_jwt_authorization as route_rule
from ._common import describe, judge_options, props_of

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
    if rtype in method_rule.TYPES:
        problems, pending = method_rule.problems_of(rtype, props)
        scopes = props.get("authorizationScopes")
        if not problems and not pending and _builtin_only(scopes):
            label = method_rule.method_label(props)
            report(
                f"{describe(rtype, args.name)} ({label}): requires {why}: {scopes!r}. Fix: {FIX}.",
                None,
            )
    elif rtype in route_rule.TYPES:
        problems, pending = route_rule.problems_of(props)
        scopes = props.get("authorizationScopes")
        if not problems and not pending and _builtin_only(scopes):
            label = route_rule.route_label(rtype, args.name, props)
            report(f"{label}: requires {why}: {scopes!r}. Fix: {FIX}.", None)
    elif rtype in body_rule.BODY_TYPES:
        judgement = body_rule.judge_resource(
            rtype, args.name, props, judge_options(args.get_config())
        )
        if judgement is None:
            return
        for verdict in judgement.verdicts:
            if verdict.protected and verdict.builtin_scopes_only:
                report(
                    f"{describe(rtype, args.name)}: {verdict.operation.key} requires {why}: "
                    f"{list(verdict.granting_scopes)!r}. Fix: {FIX}.",
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
