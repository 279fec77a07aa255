"""Aliases that let stacks deployed before the component package keep every resource.

Until main `981a2a5` the program registered three components of its own, with tokens outside
the package's `index` module, and the resource server and app clients under the identity:

    secured-m2m-api:identity:M2MIdentity::m2m              pool, domain, resource server, clients
    secured-m2m-api:api:SecuredRestApi::api                 REST API, body, deployment, stage, logs
    secured-m2m-api:account:ApiGatewayCloudWatchRole::apigw-cloudwatch   role, attachment, account

A URN is the chain of parent types plus the name, so the package's tokens change every child's
URN, and without an alias `pulumi up` would create every resource anew and delete the old ones
(a new user pool: new client ids and secrets for every consumer). The program now registers
`SecuredM2MApi` "m2m" with the pool, domain and clients as its own children and a
`SecuredRestApi` "m2m" under it; these aliases name each one's former URN, and the engine
derives the children's former URNs from their parents' (pulumi/pulumi
`pkg/resource/deploy/step_generator.go`, `generateAliases`):

- `SecuredM2MApi` was the identity: same name, old type. Its pool, domain and clients keep
  their names, so the engine's inherited alias finds them.
- `SecuredRestApi` was the top-level "api": old type, old name, no parent. Its children were
  named after "api" (`api-rest-api`); the engine renames the prefix when it inherits.
- The resource server was the identity's child: its alias names `SecuredM2MApi` as its parent,
  whose own alias leads the engine to the identity's old URN.
- `ApiGatewayCloudWatchRole` keeps its name; only the type changed.

`tests/program/test_legacy_urns.py` replays this with the engine's rules against the URNs main
deployed (`tests/fixtures/urns/main-981a2a5.json`): one for one, the same inputs. The aliases
can go once every stack has run `pulumi up` with this program.
"""

from __future__ import annotations

import pulumi

from secured_m2m_api.account_logging import TYPE_TOKEN as ACCOUNT_ROLE
from secured_m2m_api.m2m_api import TYPE_TOKEN as SECURED_M2M_API
from secured_m2m_api.secured_api import TYPE_TOKEN as SECURED_REST_API

OLD_IDENTITY_TYPE = "secured-m2m-api:identity:M2MIdentity"
OLD_API_TYPE = "secured-m2m-api:api:SecuredRestApi"
OLD_ACCOUNT_ROLE_TYPE = "secured-m2m-api:account:ApiGatewayCloudWatchRole"
OLD_API_NAME = "api"
RESOURCE_SERVER = "aws:cognito/resourceServer:ResourceServer"


class LegacyAliases:
    """A `transformations` entry for the program's components: each resource's former URN.

    Pass the same instance to every component the program creates; the components' children
    inherit it. It remembers the `SecuredM2MApi` it has seen, the parent the resource server
    had under its former name.
    """

    def __init__(self) -> None:
        self._pattern: pulumi.Resource | None = None

    def __call__(
        self, args: pulumi.ResourceTransformationArgs
    ) -> pulumi.ResourceTransformationResult | None:
        aliases = self.aliases(args.type_, args.resource)
        if not aliases:
            return None
        return pulumi.ResourceTransformationResult(
            props=args.props,
            opts=pulumi.ResourceOptions.merge(args.opts, pulumi.ResourceOptions(aliases=aliases)),
        )

    def aliases(self, type_: str, resource: pulumi.Resource) -> list[pulumi.Alias]:
        """The aliases of one resource of type `type_` the program registers."""
        if type_ == SECURED_M2M_API:
            self._pattern = resource
            return [pulumi.Alias(type_=OLD_IDENTITY_TYPE)]
        if type_ == SECURED_REST_API:
            return [
                pulumi.Alias(
                    name=OLD_API_NAME, type_=OLD_API_TYPE, parent=pulumi.ROOT_STACK_RESOURCE
                )
            ]
        if type_ == RESOURCE_SERVER and self._pattern is not None:
            return [pulumi.Alias(parent=self._pattern)]
        if type_ == ACCOUNT_ROLE:
            return [pulumi.Alias(type_=OLD_ACCOUNT_ROLE_TYPE)]
        return []
