"""Builders for stacks shaped like real Pulumi programs, as the engine reports them.

Written from the AWS resource shapes (API Gateway REST Resource/Method/Integration, HTTP API
Api/Route/Authorizer, aws-native ApiGatewayManagedOverrides), not copied from any program:
values are what a program passes, property dependencies say which resource each came from.
"""

from __future__ import annotations

from typing import Any

from offline_engine import RecordedResource, resource

POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123"
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:handler"
LAMBDA_URI = (
    "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + LAMBDA_ARN + "/invocations"
)

# The advisory on authorizers trusting a pool the stack does not create (issue 9, item 9), and
# its config when the organisation names its pools: these shapes trust POOL, created elsewhere.
POOL_ADVISORY = "apigateway-authorizer-pool-not-in-stack"
POOL_ALLOWLISTED: dict[str, dict[str, Any]] = {POOL_ADVISORY: {"allowedUserPoolArns": [POOL]}}

# What every message ends with when a Method is not Cognito-protected.
METHOD_FIX = (
    "Fix: set authorization to COGNITO_USER_POOLS, authorizerId to a Cognito user-pool "
    "authorizer and authorizationScopes to at least one resource-server scope."
)


def rest_api(name: str = "api", api_id: str = "a1", root_id: str = "root1") -> RecordedResource:
    """An aws.apigateway.RestApi with its id and root resource id known (an update)."""
    return resource(
        "aws:apigateway/restApi:RestApi",
        name,
        {"name": name},
        outputs={"name": name, "id": api_id, "rootResourceId": root_id},
    )


def path_resource(
    name: str, api: RecordedResource, parent: RecordedResource, part: str, own_id: str
) -> RecordedResource:
    """`aws.apigateway.Resource(parent_id=parent.id or api.root_resource_id, path_part=part)`."""
    api_id, parent_id = _id(api), _id(parent, root=True)
    inputs = {"restApi": api_id, "parentId": parent_id, "pathPart": part}
    return resource(
        "aws:apigateway/resource:Resource",
        name,
        inputs,
        outputs={**inputs, "id": own_id},
        property_dependencies={"restApi": [api.urn], "parentId": [parent.urn]},
    )


def method(
    name: str,
    api: RecordedResource,
    on: RecordedResource,
    http_method: str,
    **settings: Any,
) -> RecordedResource:
    """`aws.apigateway.Method(rest_api=api.id, resource_id=on.id, ...)`; `settings` as given.

    `authorizerFrom` names the Authorizer resource `authorizerId` came from.
    """
    authorizer: RecordedResource | None = settings.pop("authorizerFrom", None)
    inputs = {
        "restApi": _id(api),
        "resourceId": _id(on, root=True),
        "httpMethod": http_method,
        **settings,
    }
    deps = {"restApi": [api.urn], "resourceId": [on.urn]}
    if authorizer is not None:
        deps["authorizerId"] = [authorizer.urn]
    return resource("aws:apigateway/method:Method", name, inputs, property_dependencies=deps)


def integration(
    name: str, api: RecordedResource, on: RecordedResource, of: RecordedResource, kind: str
) -> RecordedResource:
    """`aws.apigateway.Integration(..., http_method=of.http_method, type=kind)`."""
    inputs: dict[str, Any] = {
        "restApi": _id(api),
        "resourceId": _id(on, root=True),
        "httpMethod": _prop(of, "httpMethod"),
        "type": kind,
    }
    if kind != "MOCK":
        inputs.update(integrationHttpMethod="POST", uri=LAMBDA_URI)
    return resource(
        "aws:apigateway/integration:Integration",
        name,
        inputs,
        property_dependencies={
            "restApi": [api.urn],
            "resourceId": [on.urn],
            "httpMethod": [of.urn],
        },
    )


def cognito_authorizer(api: RecordedResource, own_id: str = "auth1") -> RecordedResource:
    inputs = {"restApi": _id(api), "type": "COGNITO_USER_POOLS", "providerArns": [POOL]}
    return resource(
        "aws:apigateway/authorizer:Authorizer",
        "cognito",
        inputs,
        outputs={**inputs, "id": own_id},
        property_dependencies={"restApi": [api.urn]},
    )


def _id(res: RecordedResource, root: bool = False) -> Any:
    key = "rootResourceId" if root and res.type.endswith("RestApi") else "id"
    return _prop(res, key)


def _prop(res: RecordedResource, key: str) -> Any:
    value = res.outputs.fields[key]
    return value.string_value
