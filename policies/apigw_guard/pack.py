"""The policy list of the `apigw-cognito-guard` pack, in reporting order.

The guarantee (mandatory by default): every REST API method, OpenAPI operation and HTTP API
route (resource or body) requires a Cognito user-pool authorizer and at least one non-blank
OAuth scope, and no HTTP API quick-creates an open route. Everything else is advisory by
default. Config (declared by each guarantee
policy's schema, defaults applied in code): `exemptCorsPreflightMock` (default false) and
`allowedUserPoolArns`.
"""

from __future__ import annotations

from pulumi_policy import EnforcementLevel, Policy, PolicyPack

from .rules import (
    authorizer_pool_not_in_stack,
    cloudformation_hidden_methods,
    cognito_user_flow_reaches_api_scopes,
    httpapi_body_route_security,
    httpapi_no_quick_create,
    method_cognito_authorization,
    method_cognito_authorizer,
    restapi_body_operation_security,
    restapi_fail_on_warnings,
    restapi_put_mode_overwrite,
    route_cognito_jwt_authorization,
    route_cognito_jwt_authorizer,
    scopes_not_builtin_only,
)

PACK_NAME = "apigw-cognito-guard"

# Policies without their own level fall back to this; every policy sets its own anyway.
DEFAULT_ENFORCEMENT_LEVEL = EnforcementLevel.ADVISORY

POLICIES: list[Policy] = [
    method_cognito_authorization.policy,
    method_cognito_authorizer.policy,
    restapi_body_operation_security.policy,
    route_cognito_jwt_authorization.policy,
    route_cognito_jwt_authorizer.policy,
    httpapi_body_route_security.policy,
    scopes_not_builtin_only.policy,
    restapi_put_mode_overwrite.policy,
    restapi_fail_on_warnings.policy,
    httpapi_no_quick_create.policy,
    cloudformation_hidden_methods.policy,
    cognito_user_flow_reaches_api_scopes.policy,
    authorizer_pool_not_in_stack.policy,
]

GUARANTEE: frozenset[str] = frozenset(
    p.name for p in POLICIES if p.enforcement_level is EnforcementLevel.MANDATORY
)


def serve() -> None:
    """Start the pack's Analyzer server and block; what the CLI runs in this folder."""
    PolicyPack(name=PACK_NAME, policies=POLICIES, enforcement_level=DEFAULT_ENFORCEMENT_LEVEL)
