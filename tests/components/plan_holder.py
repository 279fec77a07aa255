"""A component whose one output is the plan, for the schema-inference test.

No `from __future__ import annotations`: the SDK's schema inference reads a component's
annotations as types, as a component provider module will.
"""

from typing import TypedDict

import pulumi

from secured_m2m_api.plan_output import PlanOutput


class PlanHolderArgs(TypedDict):
    name: pulumi.Input[str]


class PlanHolder(pulumi.ComponentResource):
    api_plan: pulumi.Output[PlanOutput]

    def __init__(
        self, name: str, args: PlanHolderArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("secured-m2m-api:index:PlanHolder", name, {}, opts)
