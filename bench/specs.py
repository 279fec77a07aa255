"""The OpenAPI documents the benchmarks measure, generated rather than downloaded.

`generate_spec(n)`: exactly n operations, four methods per path, each proxied to a backend.
`generate_large_spec()`: the size of Stripe's public spec (4.3 MB of YAML, 500 operations, 250
schemas with described properties), not its content. Tests use both too, so what is measured
is also what is checked (importable, guarded).
"""

from __future__ import annotations

from typing import Any

METHODS = ("get", "post", "put", "delete")


def generate_spec(operations: int) -> dict[str, Any]:
    """An OpenAPI 3.0 document with exactly `operations` operations, 4 methods per path."""
    paths: dict[str, Any] = {}
    for index in range(operations):
        path = f"/resources{index // len(METHODS)}/{{id}}"
        method = METHODS[index % len(METHODS)]
        paths.setdefault(path, {})[method] = {
            "operationId": f"op{index}",
            "parameters": [{"name": "id", "in": "path", "required": True}],
            "responses": {"200": {"description": "ok"}},
            "x-amazon-apigateway-integration": {
                "type": "http_proxy",
                "httpMethod": method.upper(),
                "uri": f"http://backend.example.com/resources{index}/{{id}}",
                "requestParameters": {"integration.request.path.id": "method.request.path.id"},
            },
        }
    return {
        "openapi": "3.0.1",
        "info": {"title": f"bench-{operations}", "version": "1"},
        "paths": paths,
    }


LARGE_OPERATIONS = 500
LARGE_SCHEMAS = 250
_WORDS = [
    *("the", "object", "amount", "currency", "customer", "status", "created", "metadata"),
    *("description", "identifier", "payment", "balance", "invoice", "subscription"),
    *("refund", "charge", "account", "returned", "when", "expanded"),
]


def _text(seed: int, words: int) -> str:
    """Deterministic prose, as long as a real description."""
    return " ".join(_WORDS[(seed * 7 + i * 3) % len(_WORDS)] for i in range(words)).capitalize()


def _schema(index: int, size: int = 24) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for p in range(size):
        name = f"{_WORDS[(index + p) % len(_WORDS)]}_{p}"
        kind = p % 4
        if kind == 0:
            prop: dict[str, Any] = {"type": "string", "maxLength": 5000}
        elif kind == 1:
            prop = {"type": "integer", "nullable": True}
        elif kind == 2:
            prop = {
                "anyOf": [
                    {"maxLength": 5000, "type": "string"},
                    {"$ref": f"#/components/schemas/s{(index + 1) % LARGE_SCHEMAS}"},
                ]
            }
        else:
            prop = {"type": "array", "items": {"type": "string", "enum": ["a", "b", "c"]}}
        prop["description"] = _text(index + p, 18)
        properties[name] = prop
    return {
        "type": "object",
        "title": f"s{index}",
        "description": _text(index, 40),
        "properties": properties,
        "required": list(properties)[:6],
        "x-expandableFields": list(properties)[:3],
    }


def _operation(index: int, method: str, path: str, has_id: bool) -> dict[str, Any]:
    params = [
        {
            "name": f"{_WORDS[(index + q) % len(_WORDS)]}_{q}",
            "in": "query",
            "required": False,
            "description": _text(index + q, 20),
            "schema": {"type": "string", "maxLength": 5000},
        }
        for q in range(4)
    ]
    mapping = {}
    if has_id:
        params.append({"name": "id", "in": "path", "required": True, "schema": {"type": "string"}})
        mapping["integration.request.path.id"] = "method.request.path.id"
    operation: dict[str, Any] = {
        "operationId": f"op{index}",
        "summary": _text(index, 8),
        "description": _text(index, 60),
        "parameters": params,
        "responses": {
            "200": {
                "description": "Successful response.",
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/s{index % LARGE_SCHEMAS}"}
                    }
                },
            },
            "default": {
                "description": "Error response.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/s0"}}},
            },
        },
        "x-amazon-apigateway-integration": {
            "type": "http_proxy",
            "httpMethod": method.upper(),
            "uri": f"https://backend.example.com{path}",
            "requestParameters": mapping,
            "passthroughBehavior": "when_no_match",
        },
    }
    if method == "post":
        body = _schema(index + 1000, 8)
        operation["requestBody"] = {
            "content": {"application/x-www-form-urlencoded": {"schema": body}}
        }
    return operation


def generate_large_spec(operations: int = LARGE_OPERATIONS) -> dict[str, Any]:
    """A Stripe-sized OpenAPI 3.0 document API Gateway can import (one `{id}` per parent).

    Collections of four operations each (list, create, retrieve, update), `/v1/<name>` and
    `/v1/<name>/{id}`, every operation with an HTTP proxy integration, long descriptions and
    references into ~250 component schemas.
    """
    paths: dict[str, Any] = {}
    for index in range(operations):
        collection = f"/v1/{_WORDS[index // 4 % len(_WORDS)]}_{index // 4}"
        method, with_id = [("get", False), ("post", False), ("get", True), ("post", True)][
            index % 4
        ]
        path = f"{collection}/{{id}}" if with_id else collection
        paths.setdefault(path, {})[method] = _operation(index, method, path, with_id)
    return {
        "openapi": "3.0.0",
        "info": {"title": "bench-large", "version": "2024-01-01", "description": _text(1, 200)},
        "paths": paths,
        "components": {"schemas": {f"s{i}": _schema(i) for i in range(LARGE_SCHEMAS)}},
    }
