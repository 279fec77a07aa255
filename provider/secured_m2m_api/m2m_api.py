"""SecuredM2MApi: the whole machine-to-machine pattern for one API, as the program deploys it.

A user pool (new, or an existing one by id) with its token endpoint, one REST API guarded on
every operation by that pool and the API's own scopes, and one app client per consumer allowed
only the scopes it names. It is made of the package's parts, not a second implementation: the
pool and the clients are built by the functions `M2MIdentity` and `M2MConsumers` are shells
over, as this component's own children, and the API is a `SecuredRestApi` child. (That shape
also keeps the URNs of stacks the program deployed before the package one for one: see
`program_support/legacy_urns.py`.) For several APIs on one pool, use the parts.

Every input is checked, and the spec planned and proven guarded, before the first child exists.
No `from __future__ import annotations`: the SDK infers the schema from these annotations.
"""

from typing import NotRequired, TypedDict, cast

import pulumi

from secured_m2m_api import PACKAGE
from secured_m2m_api.consumers import build_clients, client_ids, client_secrets
from secured_m2m_api.identity import build_identity
from secured_m2m_api.inputs import (
    ConsumerClient,
    api_settings,
    identity_settings,
    named_consumers,
    token_validity,
)
from secured_m2m_api.plan_output import PlanOutput
from secured_m2m_api.secured_api import SecuredRestApi, SecuredRestApiArgs, depends_on_list

TYPE_TOKEN = f"{PACKAGE}:index:SecuredM2MApi"


class ConsumerArgs(TypedDict):
    """One machine consumer of the API: an app client allowed exactly these scopes,
    client_credentials only, with a generated secret."""

    name: str
    """The consumer's name, also the app client's: 1-64 letters, digits, hyphens or
    underscores, unique. Renaming it replaces the client (new id and secret)."""

    scopes: list[str]
    """Names of the API's scopes (1 to 50) the consumer may request."""


class SecuredM2MApiArgs(TypedDict):
    domain_prefix: NotRequired[str]
    """Cognito managed-domain prefix of the token endpoint
    https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token: lowercase letters, digits and
    hyphens, 1 to 63 characters, unique per region, without aws, amazon or cognito. Required for
    a new pool. With existingUserPoolId: a domain to create on that pool; leave it out to use
    the pool's own domain."""

    existing_user_pool_id: NotRequired[str]
    """Id of an existing user pool to use instead of creating one (e.g. eu-west-1_AbCdEfGhI):
    it is read, never changed or deleted. Leave it out to create a pool."""

    deletion_protection: NotRequired[bool]
    """Deletion protection of a new pool (turn it on for production). Defaults to false. Not
    allowed with existingUserPoolId: that pool's owner sets it."""

    spec: str
    """The OpenAPI 2.0 or 3.0 document itself (JSON or YAML text), never a path: a component
    runs in the consuming program's folder. Every operation gets the Cognito authorizer and its
    scopes; CORS preflights (OPTIONS with a MOCK integration) are dropped."""

    spec_name: NotRequired[str]
    """What messages call the document, e.g. its file path. Defaults to "spec"."""

    scopes: NotRequired[dict[str, str]]
    """Scope name to description, the resource server's scopes (at most 100). Defaults to
    read and write."""

    operation_scopes: NotRequired[dict[str, list[str]]]
    """"METHOD /path" to the scope names that may call it (any one suffices). Operations not
    listed: GET, HEAD and OPTIONS need read, all others write."""

    stage_name: NotRequired[str]
    """Stage name: letters, digits, hyphens and underscores, 1 to 128. Defaults to v1."""

    resource_server_identifier: NotRequired[str]
    """The resource server's identifier, the prefix of every scope (no trailing /). Defaults
    to the stage invoke URL."""

    log_retention_days: NotRequired[int]
    """Retention of the access-log and execution-log groups, a CloudWatch Logs retention
    value. Defaults to 90."""

    throttling_rate_limit: NotRequired[float]
    """Default steady-state requests per second of every method. Defaults to 50."""

    throttling_burst_limit: NotRequired[int]
    """Default burst limit of every method. Defaults to 100."""

    security_policy: NotRequired[str]
    """TLS policy of the execute-api endpoint: TLS_1_2 (the default) or an enhanced
    SecurityPolicy_TLS13_* policy, which needs endpointAccessMode."""

    endpoint_access_mode: NotRequired[str]
    """STRICT or BASIC, required with an enhanced securityPolicy, left out otherwise."""

    withhold_token_from_hosts: NotRequired[list[str]]
    """Hosts of https:// HTTP integrations that must not receive the caller's token, or ["*"]
    for all of them. http:// backends never receive it."""

    execution_log_group_import: NotRequired[str]
    """One-time adoption of the execution-log group AWS created for an API deployed before:
    API-Gateway-Execution-Logs_<rest-api-id>/<stageName>."""

    consumers: NotRequired[list[ConsumerArgs]]
    """One app client per consumer, allowed only the scopes it names. None by default."""

    access_token_validity_minutes: NotRequired[int]
    """Lifetime of the clients' access tokens, 5 to 1440 minutes. Defaults to 60."""

    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags for every resource of this component that takes tags."""


class SecuredM2MApi(pulumi.ComponentResource):
    """An API Gateway REST API that only machines holding a Cognito client-credentials access
    token with the right scope can call: a user pool (new or existing) with its token endpoint,
    the API built from an OpenAPI document with the Cognito authorizer and scopes on every
    operation, and one app client per consumer."""

    api_url: pulumi.Output[str]
    """The stage's invoke URL, https://<api-id>.execute-api.<region>.amazonaws.com/<stage>."""

    token_endpoint: pulumi.Output[str]
    """Where consumers get tokens: https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token."""

    resource_server_identifier: pulumi.Output[str]
    """The resource server's identifier, the prefix of every full scope."""

    scope_identifiers: pulumi.Output[dict[str, str]]
    """Scope name to full scope <identifier>/<name>, what a consumer's client is allowed."""

    rest_api_id: pulumi.Output[str]
    """The REST API's id."""

    user_pool_id: pulumi.Output[str]
    """The user pool's id."""

    user_pool_arn: pulumi.Output[str]
    """The user pool's ARN."""

    client_ids: pulumi.Output[dict[str, str]]
    """Consumer name to app client id."""

    client_secrets: pulumi.Output[dict[str, str]]
    """Consumer name to app client secret. A Pulumi secret at run time (the inferred schema
    cannot say so)."""

    execution_log_group: pulumi.Output[str]
    """The stage's execution-log group, API-Gateway-Execution-Logs_<api-id>/<stage>."""

    api_plan: pulumi.Output[PlanOutput]
    """What the component decided per operation (its scopes, where they came from, what its
    backend receives of the caller's token), the CORS preflights it dropped and the operations
    whose own security it replaced. Known at preview."""

    def __init__(
        self, name: str, args: SecuredM2MApiArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        # Every input, before any child exists.
        identity = identity_settings(args)
        api = api_settings(args)
        consumers = named_consumers(args, api.scopes)
        validity = token_validity(args)
        super().__init__(TYPE_TOKEN, name, None, opts)
        tags = args.get("tags")
        pool = build_identity(self, name, identity, tags)
        api_args = cast(
            SecuredRestApiArgs,
            {
                **{key: value for key, value in args.items() if key in _API_INPUTS},
                "user_pool_id": pool.user_pool_id,
                "user_pool_arn": pool.user_pool_arn,
            },
        )
        self.api = SecuredRestApi(
            name,
            api_args,
            pulumi.ResourceOptions(parent=self, depends_on=depends_on_list(opts)),
            settings=api,
        )
        scope_ids = self.api.scope_identifiers
        clients = build_clients(
            self,
            name,
            pool.user_pool_id,
            [
                ConsumerClient(consumer.name, tuple(_full(scope_ids, s) for s in consumer.scopes))
                for consumer in consumers
            ],
            validity,
        )
        self.api_url = self.api.api_url
        self.token_endpoint = pool.token_endpoint
        self.resource_server_identifier = self.api.resource_server_identifier
        self.scope_identifiers = scope_ids
        self.rest_api_id = self.api.rest_api_id
        self.user_pool_id = pool.user_pool_id
        self.user_pool_arn = pool.user_pool_arn
        self.client_ids = client_ids(clients)
        self.client_secrets = client_secrets(clients)
        self.execution_log_group = self.api.execution_log_group
        self.api_plan = self.api.api_plan
        self.register_outputs({key: getattr(self, key) for key in _OUTPUTS})


def _full(scope_ids: pulumi.Output[dict[str, str]], name: str) -> pulumi.Output[str]:
    """The full scope string of the API's scope `name`, once the resource server has it."""
    return scope_ids.apply(lambda ids: ids[name])


# The inputs SecuredM2MApi hands its SecuredRestApi (the pool's come from the pool it builds).
_API_INPUTS = frozenset(SecuredRestApiArgs.__annotations__) - {"user_pool_id", "user_pool_arn"}
_OUTPUTS = tuple(
    key
    for key, annotation in SecuredM2MApi.__annotations__.items()
    if getattr(annotation, "__origin__", None) is pulumi.Output
)
