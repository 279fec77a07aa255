"""secured-m2m-api: an API Gateway REST API reachable only with Cognito client-credentials tokens.

A thin consumer of the component package (`provider/`): the stack config becomes the inputs of
one `SecuredM2MApi`, the same class other projects add with `pulumi package add`, used here in
process so its children stay visible to the mocks, the policy pack and the report. Everything
that can be wrong with the stack config or the OpenAPI document is checked first (the config
here, the rest by the component before its first child), so a bad value fails `pulumi preview`
with nothing half-created.
"""

from __future__ import annotations

import os
from pathlib import Path

import pulumi

from program_support.config_keys import PROJECT, check_config_keys, resolve_region
from program_support.engine_config import engine_config_keys
from program_support.legacy_urns import LegacyAliases
from program_support.stack_config import component_args, parse_config, read_raw_config
from program_support.stack_config import spec_file as resolve_spec_file
from secured_m2m_api.account_logging import ApiGatewayCloudWatchRole
from secured_m2m_api.m2m_api import SecuredM2MApi
from secured_m2m_api.plan_output import PLAN_OUTPUT
from secured_m2m_api.spec_reader import read_spec_file

PROJECT_DIR = Path(__file__).resolve().parent

# --- validation: raises ConfigError / SpecError before any resource ---
# The CLI passes a misspelled key (or namespace) along silently; refuse it here.
check_config_keys(engine_config_keys())
region = resolve_region(pulumi.Config("aws").get("region"), os.environ)
config = parse_config(read_raw_config(pulumi.Config(PROJECT).get), region=region)
spec_file = resolve_spec_file(config.spec_path, PROJECT_DIR)
spec = read_spec_file(spec_file)

# --- resources ---
# Stacks deployed before the component package keep every resource (program_support/
# legacy_urns.py); the aliases reach the components' children through `transformations`.
legacy = LegacyAliases()
# The account-wide CloudWatch role is not part of the API: one setting per account and region,
# set only where a stack opts in. The stage that logs waits for it.
account_role = (
    [
        ApiGatewayCloudWatchRole(
            "apigw-cloudwatch", {}, pulumi.ResourceOptions(transformations=[legacy])
        )
    ]
    if config.manage_api_gateway_account
    else []
)
m2m = SecuredM2MApi(
    "m2m",
    component_args(config, spec, str(spec_file)),
    pulumi.ResourceOptions(depends_on=account_role, transformations=[legacy]),
)

# Today's output names, which the client (m2m_client), the report and README rely on.
pulumi.export("invoke_url", m2m.api_url)
pulumi.export("token_endpoint_url", m2m.token_endpoint)
pulumi.export("user_pool_id", m2m.user_pool_id)
pulumi.export("user_pool_arn", m2m.user_pool_arn)
pulumi.export("rest_api_id", m2m.rest_api_id)
pulumi.export("execution_log_group", m2m.execution_log_group)
pulumi.export("resource_server_identifier", m2m.resource_server_identifier)
pulumi.export("scope_identifiers", m2m.scope_identifiers)
pulumi.export("client_ids", m2m.client_ids)
pulumi.export("client_secrets", m2m.client_secrets)
# What the program decided per operation, for `make report` (secured_m2m_api.plan_output).
pulumi.export(PLAN_OUTPUT, m2m.api_plan)
