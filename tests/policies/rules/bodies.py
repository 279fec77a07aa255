"""OpenAPI bodies for the body policies' tests: a protected document, then changes to it."""

from __future__ import annotations

import copy
import json
from typing import Any

POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123"
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"
READ = "https://api.example.com/read"

COGNITO_SCHEME: dict[str, Any] = {
    "type": "apiKey",
    "name": "Authorization",
    "in": "header",
    "x-amazon-apigateway-authtype": "cognito_user_pools",
    "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools", "providerARNs": [POOL]},
}
JWT_SCHEME: dict[str, Any] = {
    "type": "oauth2",
    "x-amazon-apigateway-authorizer": {
        "type": "jwt",
        "identitySource": "$request.header.Authorization",
        "jwtConfiguration": {"issuer": ISSUER, "audience": ["client"]},
    },
}


def document(scheme: Any = COGNITO_SCHEME, **paths: Any) -> dict[str, Any]:
    """An OpenAPI 3 document whose every operation names `pool` with a scope; `paths` replace
    or add path items."""
    doc: dict[str, Any] = {
        "openapi": "3.0.1",
        "info": {"title": "pets", "version": "1"},
        "paths": {
            "/pets": {
                "get": {"security": [{"pool": [READ]}]},
                "post": {"security": [{"pool": ["https://api.example.com/write"]}]},
            }
        },
        "components": {"securitySchemes": {"pool": copy.deepcopy(scheme)}},
    }
    doc["paths"].update(paths)
    return doc


def text(doc: dict[str, Any]) -> str:
    return json.dumps(doc)
