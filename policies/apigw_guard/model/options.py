"""JudgeOptions: the policy knobs every judgement of an operation or authorizer takes."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class JudgeOptions:
    """Policy knobs. Defaults: no exemption, any user pool accepted.

    `exempt_mock_options` exempts CORS preflight OPTIONS operations with a MOCK integration;
    `allowed_pool_arns`, when set, is the only user pools an authorizer may trust.
    `import_region` is the region API Gateway imports a body in (`${AWS::Region}`), when the
    resource or its provider names it; None leaves it open (see `pool_refs`).
    """

    exempt_mock_options: bool = False
    allowed_pool_arns: Collection[str] | None = None
    import_region: str | None = None
