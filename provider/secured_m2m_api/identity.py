"""M2MIdentity: the Cognito user pool machine clients get their tokens from, and its domain.

A new pool nobody can sign up to, with its managed domain (the `/oauth2/token` endpoint); or an
existing pool, read by id, that several APIs share. Resource servers belong to the APIs
(`SecuredRestApi`), app clients to the consumers (`M2MConsumers`): this component is only the
pool. `build_identity` is the one implementation: `SecuredM2MApi` calls it too.

No `from __future__ import annotations`: the SDK infers the component's schema from these
annotations, as types (`pulumi.provider.experimental`).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from secured_m2m_api import PACKAGE
from secured_m2m_api.inputs import IdentitySettings, identity_settings
from secured_m2m_api.naming import child_name, token_endpoint_url

TYPE_TOKEN = f"{PACKAGE}:index:M2MIdentity"


class M2MIdentityArgs(TypedDict):
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

    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags for the pool this component creates."""


@dataclass(frozen=True)
class IdentityOutputs:
    """What an identity gives the API and the consumers."""

    user_pool_id: pulumi.Output[str]
    user_pool_arn: pulumi.Output[str]
    token_endpoint: pulumi.Output[str]


def build_identity(
    parent: pulumi.Resource,
    name: str,
    settings: IdentitySettings,
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
) -> IdentityOutputs:
    """Create (or read) the pool and create its domain, as children of `parent`."""
    child = pulumi.ResourceOptions(parent=parent)
    if settings.existing_user_pool_id is None:
        pool = aws.cognito.UserPool(
            child_name(name, "pool"),
            # Only administrators create users: machine clients never sign up.
            admin_create_user_config=aws.cognito.UserPoolAdminCreateUserConfigArgs(
                allow_admin_create_user_only=True
            ),
            deletion_protection="ACTIVE" if settings.deletion_protection else "INACTIVE",
            tags=tags,
            opts=child,
        )
    else:
        # Read, not managed: destroying this stack leaves the pool as it is.
        pool = aws.cognito.UserPool.get(
            child_name(name, "pool"), settings.existing_user_pool_id, opts=child
        )
    if settings.domain_prefix is not None:
        # The managed domain is what exposes https://<prefix>.auth.<region>.amazoncognito.com
        # /oauth2/token; without a domain the pool has no token endpoint.
        domain = aws.cognito.UserPoolDomain(
            child_name(name, "domain"),
            domain=settings.domain_prefix,
            user_pool_id=pool.id,
            opts=child,
        )
        endpoint = pulumi.Output.all(domain.domain, domain.region).apply(
            lambda v: token_endpoint_url(v[0], v[1])
        )
    else:
        pool_id = settings.existing_user_pool_id
        endpoint = pulumi.Output.all(pool.domain, pool.region).apply(
            lambda v: _existing_domain_endpoint(pool_id, v[0], v[1])
        )
    return IdentityOutputs(pool.id, pool.arn, endpoint)


def _existing_domain_endpoint(pool_id: str | None, domain: Any, region: Any) -> str:
    """The token endpoint of an existing pool's own Cognito domain; the pool must have one."""
    if not domain:
        raise ValueError(
            f"existingUserPoolId: the user pool {pool_id!r} has no Cognito domain, so it has no "
            "token endpoint; set domainPrefix to create one on it"
        )
    return token_endpoint_url(str(domain), str(region))


class M2MIdentity(pulumi.ComponentResource):
    """The Cognito user pool of a machine-to-machine (client-credentials) setup and its token
    endpoint: a new pool (admin-only sign-up, with a managed domain) or an existing one. Give
    its userPoolId and userPoolArn to each SecuredRestApi and its userPoolId to M2MConsumers."""

    user_pool_id: pulumi.Output[str]
    """The pool's id."""

    user_pool_arn: pulumi.Output[str]
    """The pool's ARN, which each API's Cognito authorizer names."""

    token_endpoint: pulumi.Output[str]
    """Where consumers get tokens: https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token."""

    def __init__(
        self, name: str, args: M2MIdentityArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        settings = identity_settings(args)  # before any child exists
        super().__init__(TYPE_TOKEN, name, None, opts)
        outputs = build_identity(self, name, settings, args.get("tags"))
        self.user_pool_id = outputs.user_pool_id
        self.user_pool_arn = outputs.user_pool_arn
        self.token_endpoint = outputs.token_endpoint
        self.register_outputs(
            {
                "user_pool_id": self.user_pool_id,
                "user_pool_arn": self.user_pool_arn,
                "token_endpoint": self.token_endpoint,
            }
        )
