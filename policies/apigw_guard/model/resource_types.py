"""Every resource type the pack checks or follows, grouped by what it is, and the one spelling
of the authorization types it demands.

One public place for the pack's rules and for the report (which reads the same bodies and
names Methods by path), so both always cover the same resources. CloudFormation types (inside a
template) are at the end.

Resources of the AWS Terraform provider bridged into Pulumi (`pulumi package add
terraform-provider hashicorp/aws`) are listed beside their classic equivalents, which they match
property for property (Terraform's snake_case attributes camel-cased: `authorization`,
`authorizerId`, `authorizationScopes`, `body`, `failOnWarnings`, `putRestApiMode`, ...), so
they are judged alike. Their tokens come from the dynamic bridge, which names every resource
with `tokens.SingleModule(<resource prefix>, "index", tokens.MakeStandard(<provider name>))`
(pulumi/pulumi-terraform-bridge `dynamic/info.go`): the prefix `aws` is cut, the rest
upper-camel-cased (`pkg/tfbridge/tokens/known_modules.go`) and joined as
`<pkg>:<module>/<lowerFirst(name)>:<name>` (`MakeStandard`), so `aws_api_gateway_method`
becomes `aws:index/apiGatewayMethod:ApiGatewayMethod`.
"""

from __future__ import annotations

# The authorization types the pack demands, exactly as the APIs spell them: a REST Method's
# `authorization` (aws-native `authorizationType`), a REST Authorizer's `type` and a template's
# `AuthorizationType`; an HTTP API Route's `authorizationType` and Authorizer's
# `authorizerType`. The pack does not guess how API Gateway reads other spellings.
COGNITO_USER_POOLS = "COGNITO_USER_POOLS"
JWT = "JWT"


def bridged(terraform_type: str) -> str:
    """The token of an AWS Terraform resource bridged by `pulumi package add terraform-provider`.

    `aws_apigatewayv2_route` -> `aws:index/apigatewayv2Route:Apigatewayv2Route`.
    """
    name = "".join(part[:1].upper() + part[1:] for part in terraform_type.split("_")[1:])
    return f"aws:index/{name[:1].lower()}{name[1:]}:{name}"


# Resources whose OpenAPI `body` API Gateway imports as a REST API's methods.
REST_API_CLASSIC = "aws:apigateway/restApi:RestApi"
REST_API_NATIVE = "aws-native:apigateway:RestApi"
REST_API_BRIDGED = bridged("aws_api_gateway_rest_api")
REST_API_PUT_CLASSIC = "aws:apigateway/restApiPut:RestApiPut"
REST_BODY_TYPES: tuple[str, ...] = (
    REST_API_CLASSIC,
    REST_API_PUT_CLASSIC,
    REST_API_NATIVE,
    REST_API_BRIDGED,
    bridged("aws_api_gateway_rest_api_put"),
)
# HTTP APIs, whose `body` API Gateway imports as routes (or whose `target` quick-creates one);
# the same resources make WebSocket APIs (`protocolType: WEBSOCKET`).
HTTP_BODY_TYPES: tuple[str, ...] = (
    "aws:apigatewayv2/api:Api",
    "aws-native:apigatewayv2:Api",
    bridged("aws_apigatewayv2_api"),
)

METHOD_CLASSIC = "aws:apigateway/method:Method"
METHOD_NATIVE = "aws-native:apigateway:Method"
METHOD_BRIDGED = bridged("aws_api_gateway_method")
METHOD_TYPES: tuple[str, ...] = (METHOD_CLASSIC, METHOD_NATIVE, METHOD_BRIDGED)

# A REST API path segment (`parentId` + `pathPart`); the API's root is the RestApi itself.
PATH_RESOURCE_TYPES: tuple[str, ...] = (
    "aws:apigateway/resource:Resource",
    "aws-native:apigateway:Resource",
    bridged("aws_api_gateway_resource"),
)
REST_API_TYPES: tuple[str, ...] = (REST_API_CLASSIC, REST_API_NATIVE, REST_API_BRIDGED)

REST_AUTHORIZER_TYPES: tuple[str, ...] = (
    "aws:apigateway/authorizer:Authorizer",
    "aws-native:apigateway:Authorizer",
    bridged("aws_api_gateway_authorizer"),
)
HTTP_AUTHORIZER_TYPES: tuple[str, ...] = (
    "aws:apigatewayv2/authorizer:Authorizer",
    "aws-native:apigatewayv2:Authorizer",
    bridged("aws_apigatewayv2_authorizer"),
)

ROUTE_TYPES: tuple[str, ...] = (
    "aws:apigatewayv2/route:Route",
    "aws-native:apigatewayv2:Route",
    bridged("aws_apigatewayv2_route"),
)
# Settings for the route, integration and stage that HTTP API quick create makes; its `route`
# block is judged like a Route (only aws-native has it).
MANAGED_OVERRIDES_TYPE = "aws-native:apigatewayv2:ApiGatewayManagedOverrides"

# A classic Method's integration is its own resource (aws-native nests it in the Method); so is
# the Terraform-bridged one, which can also replace the integration of a Method of another
# provider. The classic one first (its API property is `restApi`; the bridged one's `restApiId`).
INTEGRATION_CLASSIC = "aws:apigateway/integration:Integration"
INTEGRATION_TYPES: tuple[str, ...] = (INTEGRATION_CLASSIC, bridged("aws_api_gateway_integration"))

# Resources that deploy a CloudFormation template; aws-native's templateBody may be an object.
CLOUDFORMATION_STACK_TYPES: tuple[str, ...] = (
    "aws:cloudformation/stack:Stack",
    "aws:cloudformation/stackSet:StackSet",
    "aws-native:cloudformation:Stack",
    "aws-native:cloudformation:StackSet",
    bridged("aws_cloudformation_stack"),
    bridged("aws_cloudformation_stack_set"),
)
# Serverless Application Repository applications deployed as a CloudFormation stack whose
# template lives in the repository, out of this pack's sight.
SAR_APPLICATION_TYPES: tuple[str, ...] = (
    "aws:serverlessrepository/cloudFormationStack:CloudFormationStack",
    bridged("aws_serverlessapplicationrepository_cloudformation_stack"),
)

# Cognito user pools and their app clients (for the advisories on user flows and on pools the
# stack does not create). The aws-native resources output the pool's `arn` and `userPoolId`
# (CloudFormation's AWS::Cognito::UserPool return values) and name a client's OAuth settings
# `allowedOAuthFlows`/`allowedOAuthScopes`
# (https://www.pulumi.com/registry/packages/aws-native/api-docs/cognito/userpoolclient/:
# `allowed_o_auth_flows`, `allowed_o_auth_scopes`); classic and bridged ones write `Oauth`.
USER_POOL_CLASSIC = "aws:cognito/userPool:UserPool"
USER_POOL_TYPES: tuple[str, ...] = (
    USER_POOL_CLASSIC,
    "aws-native:cognito:UserPool",
    bridged("aws_cognito_user_pool"),
)
USER_POOL_CLIENT_CLASSIC = "aws:cognito/userPoolClient:UserPoolClient"
USER_POOL_CLIENT_NATIVE = "aws-native:cognito:UserPoolClient"
USER_POOL_CLIENT_TYPES: tuple[str, ...] = (
    USER_POOL_CLIENT_CLASSIC,
    USER_POOL_CLIENT_NATIVE,
    bridged("aws_cognito_user_pool_client"),
)
# A resource server's `identifier` is the prefix of every full scope string (for the report).
RESOURCE_SERVER_CLASSIC = "aws:cognito/resourceServer:ResourceServer"

# Components whose children the pack names in the component's terms (`component_hints`).
AWS_APIGATEWAY_REST_API_COMPONENT = "aws-apigateway:index:RestAPI"  # pulumi-aws-apigateway
# secured-m2m-api's API component, parent of the RestApiPut that applies the body it builds
# (also when it is a child of that package's SecuredM2MApi).
SECURED_M2M_API_REST_API_COMPONENT = "secured-m2m-api:index:SecuredRestApi"

# Resources of a CloudFormation template (the `Type` of an entry under `Resources`).
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-method.html
CFN_METHOD = "AWS::ApiGateway::Method"
CFN_AUTHORIZER = "AWS::ApiGateway::Authorizer"
CFN_USER_POOL = "AWS::Cognito::UserPool"
CFN_REST_API = "AWS::ApiGateway::RestApi"
CFN_HTTP_API = "AWS::ApiGatewayV2::Api"
CFN_HTTP_ROUTE = "AWS::ApiGatewayV2::Route"
CFN_NESTED_STACK = "AWS::CloudFormation::Stack"
SAM_API = "AWS::Serverless::Api"
SAM_HTTP_API = "AWS::Serverless::HttpApi"
SAM_FUNCTION = "AWS::Serverless::Function"
SAM_APPLICATION = "AWS::Serverless::Application"
