"""secured-m2m-api: an API Gateway REST API reachable only with Cognito client-credentials tokens.

Everything that can be wrong with the stack config or the OpenAPI document is checked first;
only then are resources registered, so a bad value fails `pulumi preview` with nothing
half-created.
"""

from __future__ import annotations

import os
from pathlib import Path

import pulumi

from program_support.config_keys import PROJECT, check_config_keys, resolve_region
from program_support.deferred import deferred_output_block
from program_support.engine_config import engine_config_keys
from program_support.stack_config import REST_API_ID_LENGTH, parse_config, read_raw_config
from program_support.stack_config import spec_file as resolve_spec_file
from secured_m2m_api.account_logging import ApiGatewayCloudWatchRole
from secured_m2m_api.backend_tokens import WITHHELD
from secured_m2m_api.identity import M2MIdentity, M2MIdentityArgs
from secured_m2m_api.naming import stage_invoke_url, user_pool_arn_estimate
from secured_m2m_api.openapi_body import plan_api
from secured_m2m_api.plan_output import PLAN_OUTPUT
from secured_m2m_api.secured_api import SecuredRestApi, SecuredRestApiArgs
from secured_m2m_api.spec_reader import load_spec_file

PROJECT_DIR = Path(__file__).resolve().parent

# --- validation: raises ConfigError / SpecError / ScopeMappingError before any resource ---
# (SpecError includes UnimportableSpecError: what API Gateway's import would refuse.)
# The CLI passes a misspelled key (or namespace) along silently; refuse it here.
check_config_keys(engine_config_keys())
region = resolve_region(pulumi.Config("aws").get("region"), os.environ)
config = parse_config(read_raw_config(pulumi.Config(PROJECT).get), region=region)
spec_file = resolve_spec_file(config.spec_path, PROJECT_DIR)
spec = load_spec_file(spec_file)
plan = plan_api(
    spec,
    config.operation_scope_mapping,
    config.scope_names,
    source=str(spec_file),
    withheld_hosts=config.withhold_token_from_hosts,
    # The values the body will carry, as long as they will be, to size it before deploy.
    identifier=config.resource_server_identifier
    or stage_invoke_url("x" * REST_API_ID_LENGTH, region, config.stage_name),
    pool_arn=user_pool_arn_estimate(region),
)
for warning in plan.warnings:
    pulumi.log.warn(warning)
for dropped in plan.dropped_operations:
    pulumi.log.info(f"{dropped}: CORS preflight dropped (server-to-server callers never send one)")
for backend in plan.backend_tokens:
    if backend.token == WITHHELD:
        pulumi.log.info(
            f"{backend.operation}: caller's token withheld from {backend.uri} ({backend.reason})"
        )

# --- resources ---
# The default resource-server identifier is the stage invoke URL, which contains the REST API's
# id, while the API's body needs the pool ARN: identity -> API -> identity. The cycle is broken
# at the value level: the identity takes a deferred identifier, resolved with the configured one
# or with the invoke URL as soon as the (body-less) RestApi exists; RestApiPut applies the body
# later. The block resolves it on every path: an exception anywhere in it fails the identifier
# too, instead of leaving the resource server waiting for ever.
with deferred_output_block(str) as (identifier, resolve_identifier):
    identity = M2MIdentity(
        "m2m",
        M2MIdentityArgs(
            domain_prefix=config.domain_prefix,
            resource_server_identifier=identifier,
            scopes=config.scopes,
            consumers=config.consumers,
            access_token_validity_minutes=config.access_token_validity_minutes,
            deletion_protection=config.deletion_protection,
        ),
    )
    account_role = (
        [ApiGatewayCloudWatchRole("apigw-cloudwatch")] if config.manage_api_gateway_account else []
    )
    api = SecuredRestApi(
        "api",
        SecuredRestApiArgs(
            plan=plan,
            user_pool_arn=identity.user_pool_arn,
            resource_server_identifier=identity.resource_server_identifier,
            stage_name=config.stage_name,
            log_retention_days=config.log_retention_days,
            throttling_rate_limit=config.throttling_rate_limit,
            throttling_burst_limit=config.throttling_burst_limit,
            security_policy=config.security_policy,
            endpoint_access_mode=config.endpoint_access_mode,
            stage_depends_on=account_role,
            execution_log_group_import=config.execution_log_group_import,
        ),
    )
    resolve_identifier(config.resource_server_identifier or api.invoke_url)

pulumi.export("invoke_url", api.invoke_url)
pulumi.export("token_endpoint_url", identity.token_endpoint_url)
pulumi.export("user_pool_id", identity.user_pool_id)
pulumi.export("user_pool_arn", identity.user_pool_arn)
pulumi.export("rest_api_id", api.rest_api_id)
pulumi.export("execution_log_group", api.execution_log_group_name)
pulumi.export("resource_server_identifier", identity.resource_server_identifier)
pulumi.export("scope_identifiers", identity.scope_identifiers)
pulumi.export("client_ids", identity.client_ids)
pulumi.export("client_secrets", pulumi.Output.secret(identity.client_secrets))
# What the program decided per operation, for `make report` (secured_m2m_api.plan_output).
pulumi.export(PLAN_OUTPUT, api.api_plan)
