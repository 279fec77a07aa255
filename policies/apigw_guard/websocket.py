"""WebSocket APIs: telling their routes from HTTP API routes, and the admin's allowlist.

WebSocket APIs (`protocolType: WEBSOCKET`) accept only NONE, AWS_IAM or a Lambda (REQUEST)
authorizer, and only on `$connect`: no Cognito or JWT authorizer exists for them
(https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-control-access.html).
The pack refuses them unless the policy admin lists the API in `allowedWebSocketApis`.

A route key shows the kind of API at resource level: `METHOD /path` is an HTTP API route, and
any other key except `$default` (`$connect`, `$disconnect`, `sendMessage`) a WebSocket route.
`$default` exists in both, so only the Api's `protocolType` tells.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from .model.unknown import UNKNOWN
from .policy_config import ALLOWED_WEBSOCKET_APIS

RouteKind = Literal["http", "websocket", "default", "unknown"]

# HTTP API route keys: an HTTP method (or ANY) and a path.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
_HTTP_ROUTE_KEY = re.compile(r"(?:GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|ANY) /\S*")

WHY = (
    "WebSocket APIs accept only NONE, AWS_IAM or a Lambda (REQUEST) authorizer, and only on "
    "$connect: no Cognito or JWT authorizer exists for them, so no route of it can require a "
    "Cognito access token with a scope"
)


def route_kind(key: Any) -> RouteKind:
    """What a route key says about its API."""
    if key is UNKNOWN or not isinstance(key, str):
        return "unknown"
    if key == "$default":
        return "default"
    return "http" if _HTTP_ROUTE_KEY.fullmatch(key) else "websocket"


def is_listed(allowed: frozenset[str], urn: str | None, api_ids: tuple[str, ...]) -> bool:
    """Whether an API, by its Api resource's URN or by one of its ids, is on the allowlist."""
    return (urn is not None and urn in allowed) or any(i in allowed for i in api_ids)


def admin_fix(urn: str | None) -> str:
    """The fix only the policy admin can apply, naming what to list."""
    what = f" (its Api's URN: {urn})" if urn else " (its Api's URN, or the API's id)"
    return (
        "if the API must be a WebSocket API, ask the policy admin to list it in "
        f"{ALLOWED_WEBSOCKET_APIS.name} on apigateway-route-cognito-jwt-authorization{what}"
    )


AUTHOR_FIX = (
    "use an HTTP API (protocolType HTTP) whose routes have a JWT authorizer with a Cognito user "
    "pool as issuer and authorization scopes"
)
