"""Stacks with user pools, app clients and what they reach, for the two stack advisories."""

from __future__ import annotations

import json
from typing import Any

from offline_engine import RecordedResource, resource
from tests.policies.stack_shapes import cognito_authorizer, method, path_resource, rest_api

POOL_ID = "us-east-1_AbC123"
POOL_ARN = f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{POOL_ID}"
FOREIGN_ARN = "arn:aws:cognito-idp:us-east-1:999999999999:userpool/us-east-1_Other9"
SCOPE = "https://api.example.com/read"
CLIENT = "aws:cognito/userPoolClient:UserPoolClient"
NATIVE_CLIENT = "aws-native:cognito:UserPoolClient"


def user_pool(admin_only: bool | None = None, name: str = "pool") -> RecordedResource:
    inputs: dict[str, Any] = {"name": name}
    if admin_only is not None:
        inputs["adminCreateUserConfig"] = {"allowAdminCreateUserOnly": admin_only}
    return resource(
        "aws:cognito/userPool:UserPool",
        name,
        inputs,
        outputs={**inputs, "id": POOL_ID, "arn": POOL_ARN},
    )


def client(
    pool: RecordedResource, flows: Any, scopes: Any, type_: str = CLIENT, name: str = "web"
) -> RecordedResource:
    """An app client of `pool`; aws-native spells the OAuth settings `OAuth`."""
    oauth = "OAuth" if type_ == NATIVE_CLIENT else "Oauth"
    inputs = {
        "userPoolId": POOL_ID,
        f"allowed{oauth}Flows": flows,
        f"allowed{oauth}Scopes": scopes,
        f"allowed{oauth}FlowsUserPoolClient": True,
    }
    return resource(type_, name, inputs, property_dependencies={"userPoolId": [pool.urn]})


def rest_stack(scopes: Any) -> list[RecordedResource]:
    """RestApi, /pets, a Cognito authorizer on the stack's pool, and GET /pets with `scopes`."""
    api = rest_api()
    pets = path_resource("pets", api, api, "pets", "res-pets")
    authorizer = cognito_authorizer(api)
    get = method(
        "getPets",
        api,
        pets,
        "GET",
        authorization="COGNITO_USER_POOLS",
        authorizerId="auth1",
        authorizerFrom=authorizer,
        authorizationScopes=scopes,
    )
    return [api, pets, authorizer, get]


def http_api(issuer_pool: str = POOL_ID, scopes: list[str] | None = None) -> RecordedResource:
    """An HTTP API body with a JWT scheme on `issuer_pool` and `POST /orders`."""
    scheme = {
        "type": "oauth2",
        "x-amazon-apigateway-authorizer": {
            "type": "jwt",
            "jwtConfiguration": {
                "issuer": f"https://cognito-idp.us-east-1.amazonaws.com/{issuer_pool}",
                "audience": ["client"],
            },
        },
    }
    body = {
        "openapi": "3.0.1",
        "paths": {"/orders": {"post": {"security": [{"jwt": scopes or [SCOPE]}]}}},
        "components": {"securitySchemes": {"jwt": scheme}},
    }
    return resource(
        "aws:apigatewayv2/api:Api",
        "http",
        {"protocolType": "HTTP", "body": json.dumps(body), "failOnWarnings": True},
    )


def foreign_authorizer(arns: Any) -> RecordedResource:
    inputs = {"restApi": "a1", "type": "COGNITO_USER_POOLS", "providerArns": arns}
    return resource("aws:apigateway/authorizer:Authorizer", "cognito", inputs)
