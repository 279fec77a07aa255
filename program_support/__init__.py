"""Building blocks of the secured-m2m-api Pulumi program.

Pure modules hold every decision and are testable without mocks: the stack config
(`config_keys`, `config_values`, `stack_config`, `aws_provider`), the spec and its plan
(`spec_reader`, `import_checks`, `operation_scopes`, `backend_tokens`, `openapi_body`,
`plan_output`), and names and hashes (`naming`, `rest_api_settings`, `deployment_trigger`,
`execution_logs`). `identity`, `secured_api` and `account_logging` are thin
`ComponentResource` shells over them; `deferred` and `engine_config` are the program's few
dealings with the Pulumi runtime itself.
"""
