"""Every Pulumi resource type token the pack checks or follows, grouped by what it is.

One public place for the pack's rules and for the report (which judges the same bodies and
names Methods by path), so both always cover the same resources.
"""

from __future__ import annotations

# Resources whose OpenAPI `body` API Gateway imports as a REST API's methods.
REST_BODY_TYPES: tuple[str, ...] = (
    "aws:apigateway/restApi:RestApi",
    "aws:apigateway/restApiPut:RestApiPut",
    "aws-native:apigateway:RestApi",
)
# HTTP APIs, whose `body` API Gateway imports as routes (or whose `target` quick-creates one).
HTTP_BODY_TYPES: tuple[str, ...] = ("aws:apigatewayv2/api:Api", "aws-native:apigatewayv2:Api")

METHOD_CLASSIC = "aws:apigateway/method:Method"
METHOD_NATIVE = "aws-native:apigateway:Method"
METHOD_TYPES: tuple[str, ...] = (METHOD_CLASSIC, METHOD_NATIVE)

# A REST API path segment (`parentId` + `pathPart`); the API's root is the RestApi itself.
PATH_RESOURCE_TYPES: tuple[str, ...] = (
    "aws:apigateway/resource:Resource",
    "aws-native:apigateway:Resource",
)
REST_API_TYPES: tuple[str, ...] = (
    "aws:apigateway/restApi:RestApi",
    "aws-native:apigateway:RestApi",
)

REST_AUTHORIZER_TYPES: tuple[str, ...] = (
    "aws:apigateway/authorizer:Authorizer",
    "aws-native:apigateway:Authorizer",
)
HTTP_AUTHORIZER_TYPES: tuple[str, ...] = (
    "aws:apigatewayv2/authorizer:Authorizer",
    "aws-native:apigatewayv2:Authorizer",
)

ROUTE_TYPES: tuple[str, ...] = ("aws:apigatewayv2/route:Route", "aws-native:apigatewayv2:Route")
# Settings for the route, integration and stage that HTTP API quick create makes; its `route`
# block is judged like a Route (only aws-native has it).
MANAGED_OVERRIDES_TYPE = "aws-native:apigatewayv2:ApiGatewayManagedOverrides"

# A classic Method's integration is its own resource (aws-native nests it in the Method).
INTEGRATION_TYPE = "aws:apigateway/integration:Integration"

# Resources that deploy a CloudFormation template; aws-native's templateBody may be an object.
CLOUDFORMATION_STACK_TYPES: tuple[str, ...] = (
    "aws:cloudformation/stack:Stack",
    "aws:cloudformation/stackSet:StackSet",
    "aws-native:cloudformation:Stack",
    "aws-native:cloudformation:StackSet",
)
