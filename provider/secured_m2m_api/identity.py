"""M2MIdentity: the Cognito side of the client-credentials flow.

A user pool nobody can sign up to, its managed domain (the `/oauth2/token` endpoint), a
resource server with the API's scopes, and one app client per consumer allowed only the scopes
that consumer needs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from secured_m2m_api.config_values import Consumer, ScopeDef
from secured_m2m_api.naming import child_name, token_endpoint_url
from secured_m2m_api.operation_scopes import scope_identifier

TYPE_TOKEN = "secured-m2m-api:identity:M2MIdentity"


@dataclass(frozen=True)
class M2MIdentityArgs:
    """Inputs of `M2MIdentity`; values are validated by `stack_config` beforehand.

    `resource_server_identifier` may be an Output (by default the stage invoke URL, known only
    once the REST API exists).
    """

    domain_prefix: str
    resource_server_identifier: pulumi.Input[str]
    scopes: Sequence[ScopeDef]
    consumers: Sequence[Consumer]
    access_token_validity_minutes: int
    deletion_protection: bool


def scope_identifier_map(
    identifier: str, scope_names: Sequence[str], server_scope_identifiers: Sequence[str] | None
) -> dict[str, str]:
    """Map each scope name to its full string, checked against what the server reports.

    Full strings are built only by the shared `scope_identifier`; the resource server's own
    `scope_identifiers` output confirms Cognito agrees, so a client never asks for a scope the
    server does not have.
    """
    mapping = {name: scope_identifier(identifier, name) for name in scope_names}
    reported = sorted(server_scope_identifiers or ())
    missing = sorted(set(mapping.values()) - set(reported))
    if missing:
        raise RuntimeError(f"resource server reports scopes {reported}, missing {missing}")
    return mapping


class M2MIdentity(pulumi.ComponentResource):
    """Cognito user pool, domain, resource server and one client-credentials client per consumer.

    Outputs: `user_pool_id`, `user_pool_arn`, `token_endpoint_url`, `resource_server_identifier`,
    `scope_identifiers` (scope name -> full scope), `client_ids` and `client_secrets` (consumer
    name -> value; the secrets only ever as a Pulumi secret).
    """

    user_pool_id: pulumi.Output[str]
    user_pool_arn: pulumi.Output[str]
    token_endpoint_url: pulumi.Output[str]
    resource_server_identifier: pulumi.Output[str]
    scope_identifiers: pulumi.Output[dict[str, str]]
    client_ids: pulumi.Output[dict[str, str]]
    client_secrets: pulumi.Output[dict[str, str]]

    def __init__(
        self, name: str, args: M2MIdentityArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        self.user_pool = aws.cognito.UserPool(
            child_name(name, "pool"),
            # Only administrators create users: machine clients never sign up.
            admin_create_user_config=aws.cognito.UserPoolAdminCreateUserConfigArgs(
                allow_admin_create_user_only=True
            ),
            deletion_protection="ACTIVE" if args.deletion_protection else "INACTIVE",
            opts=child,
        )
        # The managed domain is what exposes https://<prefix>.auth.<region>.amazoncognito.com
        # /oauth2/token; without a domain the pool has no token endpoint.
        self.domain = aws.cognito.UserPoolDomain(
            child_name(name, "domain"),
            domain=args.domain_prefix,
            user_pool_id=self.user_pool.id,
            opts=child,
        )
        self.resource_server = aws.cognito.ResourceServer(
            child_name(name, "resource-server"),
            identifier=args.resource_server_identifier,
            name=child_name(name, "api"),
            user_pool_id=self.user_pool.id,
            scopes=[
                aws.cognito.ResourceServerScopeArgs(
                    scope_name=scope.name, scope_description=scope.description
                )
                for scope in args.scopes
            ],
            opts=child,
        )
        scope_names = [scope.name for scope in args.scopes]
        # Derived from the server's outputs so every client is created after the server
        # (Cognito rejects scopes it does not know yet).
        self.scope_identifiers = pulumi.Output.all(
            self.resource_server.identifier, self.resource_server.scope_identifiers
        ).apply(lambda v: scope_identifier_map(v[0], scope_names, v[1]))

        self.clients: dict[str, aws.cognito.UserPoolClient] = {
            consumer.name: self._client(name, consumer, args, child) for consumer in args.consumers
        }

        self.user_pool_id = self.user_pool.id
        self.user_pool_arn = self.user_pool.arn
        self.resource_server_identifier = self.resource_server.identifier
        self.token_endpoint_url = pulumi.Output.all(self.domain.domain, self.domain.region).apply(
            lambda v: token_endpoint_url(v[0], v[1])
        )
        self.client_ids = _output_map({n: c.id for n, c in self.clients.items()})
        # The provider marks client_secret secret itself; wrapping again makes the guarantee
        # independent of provider metadata.
        self.client_secrets = pulumi.Output.secret(
            _output_map({n: c.client_secret for n, c in self.clients.items()})
        )
        self.register_outputs(
            {
                "user_pool_id": self.user_pool_id,
                "user_pool_arn": self.user_pool_arn,
                "token_endpoint_url": self.token_endpoint_url,
                "resource_server_identifier": self.resource_server_identifier,
                "scope_identifiers": self.scope_identifiers,
                "client_ids": self.client_ids,
                "client_secrets": self.client_secrets,
            }
        )

    def _client(
        self,
        name: str,
        consumer: Consumer,
        args: M2MIdentityArgs,
        child: pulumi.ResourceOptions,
    ) -> aws.cognito.UserPoolClient:
        """One app client that can do nothing but the client-credentials grant."""
        wanted = list(consumer.scopes)
        return aws.cognito.UserPoolClient(
            child_name(name, "client", consumer.name),
            name=consumer.name,
            user_pool_id=self.user_pool.id,
            generate_secret=True,
            # client_credentials cannot be combined with code/implicit; without
            # allowed_oauth_flows_user_pool_client the token endpoint answers invalid_grant.
            allowed_oauth_flows=["client_credentials"],
            allowed_oauth_flows_user_pool_client=True,
            allowed_oauth_scopes=self.scope_identifiers.apply(
                lambda ids: [ids[scope] for scope in wanted]
            ),
            supported_identity_providers=["COGNITO"],
            # No user sign-in flows (no password, no SRP): only refresh, which Cognito insists on.
            explicit_auth_flows=["ALLOW_REFRESH_TOKEN_AUTH"],
            access_token_validity=args.access_token_validity_minutes,
            token_validity_units=aws.cognito.UserPoolClientTokenValidityUnitsArgs(
                access_token="minutes"
            ),
            enable_token_revocation=True,
            prevent_user_existence_errors="ENABLED",
            opts=child,
        )


def _output_map(values: Mapping[str, pulumi.Output[str]]) -> pulumi.Output[dict[str, str]]:
    """Combine named outputs into one map output; `{}` when there are none."""
    if not values:
        return pulumi.Output.from_input({})
    return pulumi.Output.all(**values)
