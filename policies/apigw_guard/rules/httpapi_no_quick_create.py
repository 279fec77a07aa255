"""apigateway-httpapi-no-quick-create: HTTP API quick create makes an open route.

An HTTP API with `target` gets a route (`routeKey`, else `$default`) with no authorizer, which
no Route resource shows and pulumi-aws cannot give an authorizer. The one way to protect it in
place is an aws-native ApiGatewayManagedOverrides whose `route` block sets a JWT authorizer and
scopes; that block is judged exactly like a Route by the route policies (one fault, one
policy), so this policy only asks whether exactly one override covers the API. A stack policy,
because the override is another resource.
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigatewayv2-apigatewaymanagedoverrides.html
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from ..model.resource_graph import GraphResource, ResourceGraph
from ..model.resource_types import HTTP_BODY_TYPES, MANAGED_OVERRIDES_TYPE
from ..model.unknown import UNKNOWN
from ..reporting import defer, describe
from ..stack import has_any, stack_graph

NAME = "apigateway-httpapi-no-quick-create"

FIX = (
    "remove target and routeKey from the Api and declare the route as an aws.apigatewayv2.Route "
    "with authorizationType JWT, authorizerId of an apigatewayv2 Authorizer whose issuer is "
    "https://cognito-idp.<region>.amazonaws.com/<pool-id>, and authorizationScopes (with its "
    "own Integration and Stage); or keep quick create and add one aws-native "
    "apigatewayv2.ApiGatewayManagedOverrides for this API whose route sets the same three"
)


def _overrides_of(api: GraphResource, graph: ResourceGraph) -> tuple[list[str], list[str]]:
    """(overrides with a `route` block that apply to `api`, overrides that may: unknown ids)."""
    covering: list[str] = []
    maybe: list[str] = []
    ids = ResourceGraph.ids(api)
    for override in graph.resources:
        if override.type != MANAGED_OVERRIDES_TYPE or override.props.get("route") is None:
            continue
        api_id = override.props.get("apiId")
        who = describe(override.type, override.name)
        if api.urn in override.property_dependencies.get("apiId", ()) or api_id in ids:
            covering.append(who)
        elif api_id is UNKNOWN or not ids:
            maybe.append(who)
    return covering, maybe


def validate(args: StackValidationArgs, report: ReportViolation) -> None:
    if not has_any(args.resources, HTTP_BODY_TYPES):
        return
    graph = stack_graph(args.resources)
    pending: list[str] = []
    for api in graph.resources:
        if api.type not in HTTP_BODY_TYPES:
            continue
        target = api.props.get("target")
        if target is None or target == "":
            continue  # an unknown target is still a target: quick create
        route_key = api.props.get("routeKey")
        key = (
            route_key
            if isinstance(route_key, str) and route_key
            else "<routeKey unknown until the update>"
            if route_key is UNKNOWN
            else "$default"
        )
        who = f"{describe(api.type, api.name)} (quick create)"
        covering, maybe = _overrides_of(api, graph)
        if len(covering) == 1 and not maybe:
            continue  # the route policies judge the override's route block
        if len(covering) > 1:
            report(
                f"{who}: {' and '.join(covering)} all override this API's route, and which one "
                "applies cannot be told (failing closed). Fix: keep exactly one "
                "ApiGatewayManagedOverrides per API.",
                api.urn,
            )
            continue
        if maybe:
            pending.append(
                f"{who}: whether {', '.join(maybe)} overrides this API (its apiId is unknown)"
            )
            continue
        report(
            f"{who}: target is set, so API Gateway creates the route {key} with "
            "no authorizer: anyone can call it. No Route resource shows it and pulumi-aws "
            f"cannot attach an authorizer to it. Fix: {FIX}.",
            api.urn,
        )
    defer(pending)


policy = StackValidationPolicy(
    name=NAME,
    description=(
        "HTTP APIs do not use quick create, whose implicit route has no authorizer, unless a "
        "managed override gives that route a JWT authorizer and scopes."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    remediation_steps=(
        "Remove `target` (and `route_key`) from the Api and create the Route (authorization_type "
        "JWT, authorizer_id, authorization_scopes), its Integration and a Stage explicitly; or "
        "add an aws-native `apigatewayv2.ApiGatewayManagedOverrides` whose `route` sets "
        "`authorizationType: JWT`, `authorizerId` and `authorizationScopes`."
    ),
)
