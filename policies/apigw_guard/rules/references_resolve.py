"""apigateway-references-resolve: what a Method's or a Route's own inputs cannot show.

The guarantee's only stack policy, for the links between resources: a Cognito Method's or a JWT
Route's authorizer is one of this stack (`method_links`, `route_links`), an OPTIONS method the
CORS exemption left open has exactly one integration, a MOCK, and a route the WebSocket
allowlist made undecidable belongs to a listed WebSocket API; the last two exactly as the
resource policies handed them over in this run (`handoff`). Whatever a resource's own inputs
show was judged before it existed; this policy skips it (one fault, one diagnostic).

One policy for both kinds of API: pulumi-policy deserializes the whole stack once per stack
policy (about 0.1 s at 4,000 resources), so each one costs that on every stack.

AnalyzeStack runs at the end: under `pulumi up --skip-preview` (and the Automation API) these
faults are found after the update, with the method or route already live. policies/README
lists them ("Detected only at the end").
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from ..handoff import REFERENCES, take
from ..method_links import check_method
from ..model.resource_types import (
    HTTP_AUTHORIZER_TYPES,
    HTTP_BODY_TYPES,
    INTEGRATION_TYPES,
    MANAGED_OVERRIDES_TYPE,
    METHOD_TYPES,
    PATH_RESOURCE_TYPES,
    REST_API_TYPES,
    REST_AUTHORIZER_TYPES,
    ROUTE_TYPES,
)
from ..reporting import Deferred, defer_stack
from ..route_links import check_route
from ..stack import has_any, stack_graph

NAME = REFERENCES

_ROUTES = (*ROUTE_TYPES, MANAGED_OVERRIDES_TYPE)
# The resources whose properties the links read; others are named, never read.
_READ = (
    *METHOD_TYPES,
    *REST_AUTHORIZER_TYPES,
    *PATH_RESOURCE_TYPES,
    *REST_API_TYPES,
    *INTEGRATION_TYPES,
    *_ROUTES,
    *HTTP_AUTHORIZER_TYPES,
    *HTTP_BODY_TYPES,
)


def validate(args: StackValidationArgs, report: ReportViolation) -> None:
    handed = take(NAME)
    if not has_any(args.resources, (*METHOD_TYPES, *_ROUTES)):
        return
    graph = stack_graph(args.resources, read=_READ)
    pending: list[Deferred] = []
    for resource in graph.resources:
        if resource.type in METHOD_TYPES:
            unknown = check_method(report, resource, graph, handed.get(resource.urn))
        elif resource.type in _ROUTES:
            unknown = check_route(report, resource, graph, handed.get(resource.urn))
        else:
            continue
        pending.extend(Deferred(resource.urn, what) for what in unknown)
    defer_stack(pending)


policy = StackValidationPolicy(
    name=NAME,
    description=(
        "Every Cognito method's and JWT route's authorizer is an authorizer of the same stack, "
        "every exempted CORS preflight has exactly one integration, a MOCK, and every route of "
        "a WebSocket API belongs to one the policy admin allows."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    remediation_steps=(
        "Create the authorizer (REST: `aws.apigateway.Authorizer`, type COGNITO_USER_POOLS; HTTP "
        "API: `aws.apigatewayv2.Authorizer`, type JWT with a Cognito issuer) in the same stack "
        "as the method or route and pass its `id` as `authorizer_id`. For an exempted CORS "
        "preflight, give the OPTIONS method exactly one integration, of type MOCK."
    ),
)
