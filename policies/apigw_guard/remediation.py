"""Remediations: a resource's properties with one setting fixed, unknowns left as they are.

The SDK serializes what a remediation returns; values it hands in (proxies, unknown sentinels)
flow through unchanged, so copying the proxy's target keeps every other property, known or not,
exactly as the program set it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any, cast

from pulumi_policy import ResourceValidationArgs
from pulumi_policy.policy import ResourceRemediation


def with_property(props: Any, field: str, value: Any) -> dict[str, Any]:
    """A copy of the resource's properties (as the SDK passed them) with `field` set to `value`."""
    target: Any = props
    with contextlib.suppress(KeyError, TypeError):
        target = props["__target"]  # pulumi-policy's property proxy; its raw values stay raw
    base: Mapping[str, Any] = target if isinstance(target, Mapping) else {}
    return {**dict(base.items()), field: value}


def as_sdk_remediation(
    remediate: Callable[[ResourceValidationArgs], Mapping[str, Any] | None],
) -> ResourceRemediation:
    """`remediate` typed as the SDK declares it.

    The SDK's annotation asks for an awaitable, but its Remediate RPC takes a plain mapping as
    well (pulumi_policy/policy.py: `elif result is not None: new_props = result`); the
    protocol tests (tests/policies/test_remediation.py) prove the plain form is served.
    """
    return cast(ResourceRemediation, remediate)
