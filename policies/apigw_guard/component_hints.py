"""Resources a known component creates: which component argument the author changes instead.

An author who uses a component never wrote its children's properties (the RestApi's OpenAPI
body of pulumi-aws-apigateway's `RestAPI` is built from its `routes`), so a message naming the
child's property sends them the wrong way. The component is the URN's parent type: a URN's type
part is the chain of parent types and the resource's own type, joined by `$`.

Argument names are taken from the component's published schema: pulumi-aws-apigateway v3.0.0
`provider/cmd/pulumi-resource-aws-apigateway/schema.json` (`aws-apigateway:index:RestAPI`
inputs `routes` and `swaggerString`; `aws-apigateway:index:Route` `path`, `method`,
`authorizers`, `iamAuthEnabled`; `aws-apigateway:index:Authorizer` `providerARNs`,
`parameterName`, `identitySource`, `methodsToAuthorize`, `handler`); and secured-m2m-api
0.1.0's `provider/schema.json` (`secured-m2m-api:index:SecuredRestApi` and
`secured-m2m-api:index:SecuredM2MApi` inputs `spec`, `scopes`, `operationScopes`), the package
of the repository this pack is published from, named here by its tokens alone so the pack
stays standalone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .model.resource_types import (
    AWS_APIGATEWAY_REST_API_COMPONENT,
    SECURED_M2M_API_REST_API_COMPONENT,
)


@dataclass(frozen=True)
class ComponentHint:
    """How to fix an operation of a known component's body, in the component's own terms."""

    token: str
    name: str
    body_fix: Callable[[str], str]  # operation key `GET /pets` -> the fix


def parent_type(urn: str) -> str | None:
    """The type of the resource's parent, from its URN; None for a top-level resource."""
    parts = urn.split("::", 3)
    if len(parts) < 4:
        return None
    chain = parts[2].split("$")
    return chain[-2] if len(chain) > 1 else None


def _aws_apigateway_route_fix(operation: str) -> str:
    method, _, path = operation.partition(" ")
    return (
        f"in the component's `routes`, give the route {{path: {path!r}, method: {method!r}}} an "
        "`authorizers` entry for a Cognito user pool (`providerARNs: [<user pool ARN>]`, "
        '`parameterName: "Authorization"`, `identitySource: ["method.request.header.'
        'Authorization"]`, no `handler`) with `methodsToAuthorize: ["<identifier>/<scope>"]`, '
        "and no `iamAuthEnabled`; with `swaggerString`, give the operation its own security in "
        "that document instead (argument names: pulumi-aws-apigateway v3.0.0 schema, "
        "aws-apigateway:index:Route and aws-apigateway:index:Authorizer)"
    )


def _secured_m2m_api_fix(operation: str) -> str:
    return (
        f"in the component's `operationScopes`, give {operation!r} the names of the `scopes` "
        "that may call it (or leave it out for the default: read for GET, HEAD and OPTIONS, "
        "write otherwise); the component writes the Cognito authorizer and every operation's "
        "security into the body it builds from `spec`, so a body of it that fails here was "
        "changed after it was built (a transformation) or by another version of the package "
        "(argument names: secured-m2m-api 0.1.0 schema, secured-m2m-api:index:SecuredRestApi "
        "and secured-m2m-api:index:SecuredM2MApi)"
    )


HINTS: dict[str, ComponentHint] = {
    AWS_APIGATEWAY_REST_API_COMPONENT: ComponentHint(
        AWS_APIGATEWAY_REST_API_COMPONENT,
        "pulumi-aws-apigateway RestAPI",
        _aws_apigateway_route_fix,
    ),
    SECURED_M2M_API_REST_API_COMPONENT: ComponentHint(
        SECURED_M2M_API_REST_API_COMPONENT,
        "secured-m2m-api SecuredRestApi",
        _secured_m2m_api_fix,
    ),
}


def component_of(urn: str) -> ComponentHint | None:
    """The known component that created the resource at `urn`, if any."""
    parent = parent_type(urn)
    return HINTS.get(parent) if parent is not None else None
