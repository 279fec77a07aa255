"""The benchmark's floor: a pack whose only policy parses the OpenAPI body (JSON, else YAML)."""

import json
from typing import Any

import yaml
from pulumi_policy import (
    EnforcementLevel,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)


def parse(args: ResourceValidationArgs, report: ReportViolation) -> None:
    body: Any = args.props.get("body")
    if isinstance(body, str):
        try:
            json.loads(body)
        except ValueError:
            yaml.safe_load(body)


PolicyPack(
    name="parse-only",
    policies=[
        ResourceValidationPolicy(
            name="parse-body",
            description="Parses the body and reports nothing.",
            validate=parse,
            enforcement_level=EnforcementLevel.ADVISORY,
        )
    ],
)
