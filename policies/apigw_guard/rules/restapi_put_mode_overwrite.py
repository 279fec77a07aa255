"""apigateway-restapi-put-mode-overwrite: a body import should overwrite, not merge."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..model.labels import describe
from ..model.resource_types import REST_API_BRIDGED, REST_API_CLASSIC, REST_API_NATIVE
from ..props import props_of
from ..remediation import as_sdk_remediation, with_property

NAME = "apigateway-restapi-put-mode-overwrite"
# aws: `putRestApiMode` on RestApi; aws-native: `mode` on RestApi; the bridged Terraform
# RestApi as classic. A RestApiPut (classic or bridged) has no mode: it always overwrites
# (pulumi-aws 7.51.1 `RestApiPutArgs`: body, restApiId, failOnWarnings, parameters, region,
# timeouts, triggers).
MODE_FIELDS = {
    REST_API_CLASSIC: "putRestApiMode",
    REST_API_NATIVE: "mode",
    REST_API_BRIDGED: "putRestApiMode",
}


def _merge_field(args: ResourceValidationArgs) -> str | None:
    """The mode property of a resource that imports its body in merge mode, else None."""
    field = MODE_FIELDS.get(args.resource_type)
    if field is None:
        return None
    props = props_of(args.props)
    mode = props.get(field)
    if isinstance(mode, str) and mode.lower() == "merge" and props.get("body") is not None:
        return field
    return None


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    field = _merge_field(args)
    if field is not None:
        report(
            f"{describe(args.resource_type, args.name)}: {field} is 'merge', so methods removed "
            "from the body (or added outside it) stay live and unchecked by this pack. Fix: set "
            f"{field} to 'overwrite'.",
            None,
        )


def remediate(args: ResourceValidationArgs) -> Mapping[str, Any] | None:
    """Switch merge to overwrite: a safe, mechanical fix (at the `remediate` level).

    Overwrite removes from the API what the body does not define, which is the point: nothing
    outside the body, and so outside this pack's view, stays live.
    """
    field = _merge_field(args)
    return with_property(args.props, field, "overwrite") if field is not None else None


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "OpenAPI bodies should be imported in overwrite mode so that no method outside the body "
        "stays live."
    ),
    validate=validate,
    remediate=as_sdk_remediation(remediate),
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.HIGH,
    remediation_steps=(
        "Set `put_rest_api_mode='overwrite'` (aws-native: `mode='overwrite'`); at the "
        "`remediate` level the pack sets it."
    ),
)
