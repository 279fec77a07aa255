"""M2MConsumers: one Cognito app client per machine consumer, allowed only its scopes.

A consumer may hold scopes of several APIs on one pool (each API's `scopeIdentifiers`), so the
clients are their own component, created after every resource server they name: Cognito
refuses a scope no resource server of the pool defines yet. `build_clients` is the one
implementation: `SecuredM2MApi` calls it too.

No `from __future__ import annotations`: the SDK infers the component's schema from these
annotations, as types.
"""

from collections.abc import Mapping, Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from secured_m2m_api import PACKAGE
from secured_m2m_api.inputs import ConsumerClient, consumer_clients, token_validity
from secured_m2m_api.naming import child_name

TYPE_TOKEN = f"{PACKAGE}:index:M2MConsumers"


class ConsumerClientArgs(TypedDict):
    """One machine consumer: an app client allowed exactly these scopes, client_credentials
    only, with a generated secret."""

    name: str
    """The consumer's name, also the app client's: 1-64 letters, digits, hyphens or
    underscores, unique. Renaming it replaces the client (new id and secret)."""

    scopes: list[pulumi.Input[str]]
    """Full scope strings <identifier>/<scope> (1 to 50), e.g. values of the scopeIdentifiers
    output of one or several SecuredRestApi on the same pool."""


class M2MConsumersArgs(TypedDict):
    user_pool_id: pulumi.Input[str]
    """The pool the clients belong to (M2MIdentity's userPoolId)."""

    consumers: list[ConsumerClientArgs]
    """One app client per consumer."""

    access_token_validity_minutes: NotRequired[int]
    """Lifetime of the clients' access tokens, 5 to 1440 minutes. Defaults to 60."""


def build_clients(
    parent: pulumi.Resource,
    name: str,
    user_pool_id: pulumi.Input[str],
    consumers: Sequence[ConsumerClient],
    access_token_validity_minutes: int,
) -> dict[str, aws.cognito.UserPoolClient]:
    """One app client per consumer, children of `parent`, named `<name>-client-<consumer>`.

    A stable key (the consumer's name), never a list index: removing one consumer must not
    rename, and so replace, the others.
    """
    return {
        consumer.name: aws.cognito.UserPoolClient(
            child_name(name, "client", consumer.name),
            name=consumer.name,
            user_pool_id=user_pool_id,
            generate_secret=True,
            # client_credentials cannot be combined with code/implicit; without
            # allowed_oauth_flows_user_pool_client the token endpoint answers invalid_grant.
            allowed_oauth_flows=["client_credentials"],
            allowed_oauth_flows_user_pool_client=True,
            allowed_oauth_scopes=list(consumer.scopes),
            supported_identity_providers=["COGNITO"],
            # No user sign-in flows (no password, no SRP): only refresh, which Cognito insists on.
            explicit_auth_flows=["ALLOW_REFRESH_TOKEN_AUTH"],
            access_token_validity=access_token_validity_minutes,
            token_validity_units=aws.cognito.UserPoolClientTokenValidityUnitsArgs(
                access_token="minutes"
            ),
            enable_token_revocation=True,
            prevent_user_existence_errors="ENABLED",
            opts=pulumi.ResourceOptions(parent=parent),
        )
        for consumer in consumers
    }


def client_ids(clients: Mapping[str, aws.cognito.UserPoolClient]) -> pulumi.Output[dict[str, str]]:
    """Consumer name -> client id."""
    return output_map({n: c.id for n, c in clients.items()})


def client_secrets(
    clients: Mapping[str, aws.cognito.UserPoolClient],
) -> pulumi.Output[dict[str, str]]:
    """Consumer name -> client secret, always a Pulumi secret.

    The provider marks `client_secret` secret itself; wrapping again makes the guarantee
    independent of provider metadata.
    """
    return pulumi.Output.secret(output_map({n: c.client_secret for n, c in clients.items()}))


def output_map(values: Mapping[str, pulumi.Output[str]]) -> pulumi.Output[dict[str, str]]:
    """Combine named outputs into one map output; `{}` when there are none."""
    if not values:
        return pulumi.Output.from_input({})
    return pulumi.Output.all(**values)


class M2MConsumers(pulumi.ComponentResource):
    """Cognito app clients for machine consumers on one user pool: each may use only the
    client_credentials grant, has a generated secret and may request only its own scopes, of
    one API or of several SecuredRestApi sharing the pool."""

    client_ids: pulumi.Output[dict[str, str]]
    """Consumer name to app client id."""

    client_secrets: pulumi.Output[dict[str, str]]
    """Consumer name to app client secret. A Pulumi secret at run time (the inferred schema
    cannot say so)."""

    def __init__(
        self, name: str, args: M2MConsumersArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        consumers = consumer_clients(args)  # before any child exists
        validity = token_validity(args)
        super().__init__(TYPE_TOKEN, name, None, opts)
        clients = build_clients(self, name, args["user_pool_id"], consumers, validity)
        self.client_ids = client_ids(clients)
        self.client_secrets = client_secrets(clients)
        self.register_outputs(
            {"client_ids": self.client_ids, "client_secrets": self.client_secrets}
        )
