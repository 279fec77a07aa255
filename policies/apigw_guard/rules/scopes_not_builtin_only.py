"""apigateway-scopes-not-builtin-only: no method should let a Cognito built-in scope in.

A method accepts a token that carries any one of its scopes. A built-in scope (`openid`,
`aws.cognito.signin.user.admin`, ...) is in the token of every user who signs in, so a method
that lists one, alone or OR-ed with a custom scope, lets every signed-in user in.
https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from .. import method_authorization, route_authorization
from ..aws_context import import_region
from ..body_reports import body_source
from ..model.body_summary import summarize_body
from ..model.labels import body_operation_label, method_label, route_label
from ..model.operations import COGNITO_BUILTIN_SCOPES, ApiKind
from ..model.options import JudgeOptions
from ..model.resource_types import HTTP_BODY_TYPES, METHOD_TYPES, REST_BODY_TYPES, ROUTE_TYPES
from ..props import props_of

NAME = "apigateway-scopes-not-builtin-only"
BUILTINS = ", ".join(sorted(COGNITO_BUILTIN_SCOPES))
FIX_ONLY = "require a custom resource-server scope (<identifier>/<scope>) instead"
FIX_MIXED = "remove the built-in scope(s), keeping only resource-server scopes"


def _scope_list(scopes: Any) -> list[Any]:
    return scopes if isinstance(scopes, list) else []


def _builtins_in(scopes: list[Any]) -> list[str]:
    return [s for s in scopes if isinstance(s, str) and s in COGNITO_BUILTIN_SCOPES]


def _message(label: str, scopes: list[Any], found: list[str]) -> str:
    """The advisory for `scopes` (all granting, any one suffices) of which `found` are built-in."""
    if len(found) == len(scopes):
        return (
            f"{label} requires only Cognito built-in scopes ({BUILTINS}), which any signed-in "
            f"user's token can carry and no client-credentials token does: {scopes!r}. "
            f"Fix: {FIX_ONLY}."
        )
    return (
        f"{label} accepts any one of {scopes!r}, and the Cognito built-in scope(s) {found!r} "
        "among them can be in any signed-in user's token, so every user who can sign in gets "
        f"in without the custom scope. Fix: {FIX_MIXED}."
    )


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    rtype = args.resource_type
    props = props_of(args.props)
    if rtype in METHOD_TYPES:
        problems, pending = method_authorization.problems_of(rtype, props)
        scopes = _scope_list(props.get("authorizationScopes"))
        found = _builtins_in(scopes)
        if not problems and not pending and found:
            label = method_label(rtype, args.name, props)
            report(_message(label, scopes, found), None)
    elif rtype in ROUTE_TYPES:
        problems, pending = route_authorization.problems_of(props)
        scopes = _scope_list(props.get("authorizationScopes"))
        found = _builtins_in(scopes)
        if not problems and not pending and found:
            label = route_label(rtype, args.name, props)
            report(_message(label, scopes, found), None)
    elif rtype in REST_BODY_TYPES or rtype in HTTP_BODY_TYPES:
        body = props.get("body")
        if body is None:
            return
        api: ApiKind = "rest" if rtype in REST_BODY_TYPES else "http"
        # The body policies' options under their schema defaults (no exemption, any pool), in
        # the same region: with the pack's default config, the body they summarized in this
        # Analyze call comes from the cache.
        options = JudgeOptions(import_region=import_region(props, args.provider))
        summary = summarize_body(body, options, body_source(rtype, args.name), api)
        for op in summary.operations:
            builtin = op.builtin_scopes
            if builtin and not op.problems and not op.pending:
                label = body_operation_label(rtype, args.name, op.key)
                report(_message(label, list(op.scopes), list(builtin)), None)


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "API methods should require a scope of the API's own resource server and accept no "
        "Cognito built-in scope, alone or beside a custom one."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "Define a Cognito resource server with custom scopes and list only `<identifier>/<scope>` "
        "in the method's authorization scopes (OpenAPI: the operation's security requirement); "
        "a built-in scope such as openid beside a custom one lets every signed-in user in."
    ),
)
