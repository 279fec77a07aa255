"""Building blocks of the secured-m2m-api Pulumi program.

Pure modules (`stack_config`, `spec_reader`, `import_checks`, `operation_scopes`, `openapi_body`,
`naming`, `deployment_trigger`) hold every decision
and are testable without mocks; `identity` and `secured_api` are thin `ComponentResource` shells
over them.
"""
