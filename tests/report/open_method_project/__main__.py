"""REST API built from Method resources: GET /pets guarded by Cognito, POST /pets left open."""

import pulumi_aws as aws

pool = aws.cognito.UserPool("pool")
api = aws.apigateway.RestApi("api")
pets = aws.apigateway.Resource(
    "pets", rest_api=api.id, parent_id=api.root_resource_id, path_part="pets"
)
authorizer = aws.apigateway.Authorizer(
    "cognito",
    rest_api=api.id,
    type="COGNITO_USER_POOLS",
    provider_arns=[pool.arn],
)
aws.apigateway.Method(
    "get-pets",
    rest_api=api.id,
    resource_id=pets.id,
    http_method="GET",
    authorization="COGNITO_USER_POOLS",
    authorizer_id=authorizer.id,
    authorization_scopes=["https://api.example.com/read"],
)
aws.apigateway.Method(
    "post-pets",
    rest_api=api.id,
    resource_id=pets.id,
    http_method="POST",
    authorization="NONE",
)
