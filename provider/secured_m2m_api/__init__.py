"""secured-m2m-api: the Pulumi component package, and the code the program builds on.

The components (`m2m_api.SecuredM2MApi`, `identity.M2MIdentity`, `secured_api.SecuredRestApi`,
`consumers.M2MConsumers`, `account_logging.ApiGatewayCloudWatchRole`) are thin
`ComponentResource` shells over plain modules that hold every decision and are testable
without mocks: the inputs (`config_values`, `inputs`), the spec and its plan (`spec_reader`,
`import_checks`, `operation_scopes`, `backend_tokens`, `openapi_body`, `plan_output`), and
names and hashes (`naming`, `rest_api_settings`, `deployment_trigger`, `execution_logs`).
Importing this package imports no Pulumi module: the report reads `plan_output` alone.
"""

# The package version: the schema's, and the git tag `v<version>` a consumer adds it at.
__version__ = "0.1.0"
PACKAGE = "secured-m2m-api"
