"""apigateway-authorizer-pool-not-in-stack: an authorizer trusts a user pool of unknown owner.

An authorizer accepts every token its user pool signs. A pool this stack creates is the
stack's own; any other pool (another stack's, another team's, another account's) can mint
tokens for this API, with whatever scopes its own resource servers define, and nothing in the
stack says who controls it. `allowedUserPoolArns` is how an organisation names the pools it
trusts: once it is set, the guarantee policies enforce it and this advisory has nothing to add.
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from ..model.labels import describe
from ..model.resource_types import (
    HTTP_AUTHORIZER_TYPES,
    HTTP_BODY_TYPES,
    REST_AUTHORIZER_TYPES,
    REST_BODY_TYPES,
    USER_POOL_TYPES,
)
from ..policy_config import ALLOWED_USER_POOL_ARNS, read_config, schema
from ..reporting import Deferred, defer_stack
from ..stack import has_any, stack_graph
from ..user_pools import Trust, stack_pools, trusted_pools

NAME = "apigateway-authorizer-pool-not-in-stack"
# A policy reads only its own config, so it takes the allowlist too: set, the advisory is
# silent (the guarantee policies enforce it).
CONFIG = (
    ALLOWED_USER_POOL_ARNS.with_description(
        "The Cognito user pool ARNs the guarantee policies allow (set the same list there). "
        "Set: this advisory is silent. Unset: an authorizer trusting a pool the stack does not "
        "create is advised."
    ),
)
# What can trust a user pool: authorizers and the schemes of bodies.
_TRUSTING = (*REST_AUTHORIZER_TYPES, *HTTP_AUTHORIZER_TYPES, *REST_BODY_TYPES, *HTTP_BODY_TYPES)
ALLOWLIST_FIX = (
    "if the pool is one your organisation trusts, ask the policy admin to list it in "
    "allowedUserPoolArns (on the guarantee policies that judge authorizers and bodies, and on "
    "this advisory, which is then silent)"
)


def _allowlist_entry(trust: Trust) -> str:
    """The ARN to list: as written, or (for an issuer) with the account left to fill in."""
    if trust.field != "jwtConfiguration.issuer":
        return trust.value
    pool = trust.pool_id or "<pool-id>"
    region = pool.split("_", 1)[0]
    return f"arn:aws:cognito-idp:{region}:<account-id>:userpool/{pool}"


def _message(trust: Trust) -> str:
    what = (
        f"user pool {trust.value}"
        if trust.field != "jwtConfiguration.issuer"
        else f"JWT issuer {trust.value} (user pool {trust.pool_id})"
    )
    return (
        f"{trust.who} trusts {what} ({trust.field}), which no user pool of this stack is: "
        "whoever controls that pool, possibly another AWS account, can mint tokens this API "
        f"accepts. Fix: create the pool in this stack; or {ALLOWLIST_FIX}, e.g. "
        f"[{_allowlist_entry(trust)!r}]."
    )


def validate(args: StackValidationArgs, report: ReportViolation) -> None:
    allowlist = CONFIG[0].value(read_config(args, report, CONFIG))
    if allowlist is not None:
        return  # the allowlist is set: the guarantee policies enforce it
    if not has_any(args.resources, _TRUSTING):
        return
    # Only what trusts a pool and the pools: nothing else is read or named here.
    graph = stack_graph(args.resources, read=(*_TRUSTING, *USER_POOL_TYPES), others=False)
    pools = stack_pools(graph)
    trusts = trusted_pools(graph)
    pending: list[Deferred] = list(trusts.pending)
    for trust in trusts.found:
        if trust.pool_id is None or trust.pool_id in pools.ids:
            continue
        if pools.unknown:
            # A pool created in this run has no id until the update; it could be this one.
            names = ", ".join(describe(p.type, p.name) for p in pools.unknown)
            pending.append(
                Deferred(trust.urn, f"whether {trust.value} ({trust.who}) is {names} of this stack")
            )
            continue
        report(_message(trust), None)
    defer_stack(pending)


policy = StackValidationPolicy(
    name=NAME,
    description=(
        "Authorizers should trust only user pools the stack creates, or the pools "
        "allowedUserPoolArns names."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.ADVISORY,
    config_schema=schema(*CONFIG),
    severity=Severity.HIGH,
    remediation_steps=(
        "Set `allowedUserPoolArns` in the policy config of the guarantee policies and of this "
        "policy to the ARNs of the user pools you trust, so that an authorizer trusting any "
        "other pool is blocked; or create the user pool in the same stack as the API."
    ),
)
