"""The policy list of the `apigw-cognito-guard` pack, in reporting order.

The guarantee (mandatory by default): every REST API method, OpenAPI operation and HTTP API
route (resource, body or CloudFormation template) requires a Cognito user-pool authorizer and
at least one non-blank OAuth scope, no HTTP API quick-creates an open route, and WebSocket APIs
(which cannot) exist only where the policy admin allows them. Every fault one resource's own
inputs show is judged before that resource exists; the guarantee's one stack policy
judges only links between resources. Everything else is advisory by default. Each policy
declares the config it reads (`policy_config`).
"""

from __future__ import annotations

from pulumi_policy import EnforcementLevel, Policy, PolicyPack

from .rules import (
    authorizer_pool_not_in_stack,
    cloudformation_hidden_methods,
    cloudformation_method_authorization,
    cognito_user_flow_reaches_api_scopes,
    httpapi_body_route_security,
    httpapi_no_quick_create,
    method_cognito_authorization,
    method_cognito_authorizer,
    references_resolve,
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
    # Resource level: judged before each resource exists.
    method_cognito_authorization.policy,
    method_cognito_authorizer.policy,
    restapi_body_operation_security.policy,
    route_cognito_jwt_authorization.policy,
    route_cognito_jwt_authorizer.policy,
    httpapi_body_route_security.policy,
    httpapi_no_quick_create.policy,
    cloudformation_method_authorization.policy,
    scopes_not_builtin_only.policy,
    restapi_put_mode_overwrite.policy,
    restapi_fail_on_warnings.policy,
    cloudformation_hidden_methods.policy,
    # Stack level: only what needs several resources (each costs one SDK read of the stack).
    references_resolve.policy,
    cognito_user_flow_reaches_api_scopes.policy,
    authorizer_pool_not_in_stack.policy,
]


def serve() -> None:
    """Start the pack's Analyzer server and block; what the CLI runs in this folder."""
    PolicyPack(name=PACK_NAME, policies=POLICIES, enforcement_level=DEFAULT_ENFORCEMENT_LEVEL)
