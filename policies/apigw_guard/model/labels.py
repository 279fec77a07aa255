"""How messages and the report name resources: one format family, `<Type> '<name>' (<what>)`.

A Method is named by what the namer can see of it: alone, before it exists, by its
`resourceId` (`Method 'getItem' (GET on resourceId 'a1b2c3')`); with the stack, by its path
(`Method 'getItem' (GET /items/{id})`), or by why the path does not resolve. A Route by its
route key, a managed override as the quick-created route it sets, a body operation by its
`METHOD /path` in the body of the API resource.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .unknown import UNKNOWN

if TYPE_CHECKING:
    from .resource_graph import GraphResource, MethodPath


def short_type(resource_type: str) -> str:
    """`aws:apigateway/method:Method` -> `Method`; `aws-native:apigateway:RestApi` -> `RestApi`."""
    return resource_type.rsplit(":", 1)[-1]


def describe(resource_type: str, name: str) -> str:
    """`Method 'getPets'`: the type's last part and the resource's name."""
    return f"{short_type(resource_type)} '{name}'"


def http_verb(props: Mapping[str, Any]) -> str:
    """A Method's `httpMethod` in upper case, or what stands in for it."""
    http_method = props.get("httpMethod")
    if isinstance(http_method, str):
        return http_method.upper()
    if http_method is UNKNOWN:
        return "<HTTP method unknown until the update>"
    return "<no httpMethod>"


def method_label(resource_type: str, name: str, props: Mapping[str, Any]) -> str:
    """`Method 'getItem' (GET on resourceId 'a1b2c3')`: a Method seen alone, before it exists.

    Its path is not in its own inputs; stack-level messages and `make report` name it
    (`method_title`).
    """
    resource_id = props.get("resourceId")
    where = (
        "<unknown until the update>"
        if resource_id is UNKNOWN
        else repr(resource_id)
        if resource_id is not None
        else "<none>"
    )
    return f"{describe(resource_type, name)} ({http_verb(props)} on resourceId {where})"


def method_title(method: GraphResource, where: MethodPath) -> str:
    """`Method 'getItem' (GET /items/{id})`: a Method named with its path in the stack.

    When the path does not resolve, the title says why (another stack, unknown until the
    update, ...) rather than showing a resource id the author never wrote.
    """
    place = f" {where.path}" if where.path is not None else f" on an unresolved path: {where.why}"
    return f"{describe(method.type, method.name)} ({http_verb(method.props)}{place})"


def route_label(resource_type: str, name: str, props: Mapping[str, Any]) -> str:
    """`Route 'getPets' (GET /pets)`: a Route by its route key."""
    key = props.get("routeKey")
    key_text = "<route key unknown>" if key is UNKNOWN else str(key)
    return f"{describe(resource_type, name)} ({key_text})"


def override_label(resource_type: str, name: str) -> str:
    """A managed override (aws-native `ApiGatewayManagedOverrides`) as the route it sets."""
    return f"{describe(resource_type, name)} (route override of the quick-created route)"


def body_operation_label(resource_type: str, name: str, operation: str) -> str:
    """`RestApi 'api' body (GET /pets)`: an operation of the OpenAPI body an API imports."""
    return f"{describe(resource_type, name)} body ({operation})"
