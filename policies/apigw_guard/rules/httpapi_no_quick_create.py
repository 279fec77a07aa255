"""apigateway-httpapi-no-quick-create: HTTP API quick create makes an open route.

An HTTP API with `target` gets a route (`routeKey`, else `$default`), an integration and an
auto-deploying stage together with the API itself, and the route has no authorizer: it is open
from the moment the Api exists. An aws-native ApiGatewayManagedOverrides can only be created
after the API, so it cannot close that window. A resource policy, judged before the Api exists,
refusing quick create with or without overrides.
https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-basic-concept.html#http-api-concepts-quick-create
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..model.labels import describe
from ..model.resource_types import HTTP_BODY_TYPES
from ..model.unknown import UNKNOWN
from ..props import props_of

NAME = "apigateway-httpapi-no-quick-create"

FIX = (
    "remove target and routeKey from the Api and declare the route as an "
    "aws.apigatewayv2.Route with authorizationType JWT, authorizerId of an apigatewayv2 "
    "Authorizer whose issuer is https://cognito-idp.<region>.amazonaws.com/<pool-id>, and "
    "authorizationScopes, with its own Integration and Stage"
)


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in HTTP_BODY_TYPES:
        return
    props = props_of(args.props)
    target = props.get("target")
    if target is None or target == "":
        return  # an unknown target is still a target: quick create
    route_key = props.get("routeKey")
    key = (
        route_key
        if isinstance(route_key, str) and route_key
        else "<routeKey unknown until the update>"
        if route_key is UNKNOWN
        else "$default"
    )
    report(
        f"{describe(args.resource_type, args.name)}: target is set (quick create), so API "
        f"Gateway creates the route {key} with no authorizer together with the API: anyone can "
        "call it from the moment the Api exists, and a managed override, created only after "
        f"the API, cannot close that window. Fix: {FIX}.",
        None,
    )


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "HTTP APIs do not use quick create, whose route has no authorizer from the moment the "
        "API exists."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    remediation_steps=(
        "Remove `target` (and `route_key`) from the Api and create the Route (authorization_type "
        "JWT, authorizer_id, authorization_scopes), its Integration and a Stage explicitly."
    ),
)
