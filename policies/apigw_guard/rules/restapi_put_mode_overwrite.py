"""apigateway-restapi-put-mode-overwrite: a body import should overwrite, not merge."""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..props import props_of
from ..reporting import describe

NAME = "apigateway-restapi-put-mode-overwrite"
# aws: `putRestApiMode` on RestApi and RestApiPut; aws-native: `mode` on RestApi.
MODE_FIELDS = {
    "aws:apigateway/restApi:RestApi": "putRestApiMode",
    "aws:apigateway/restApiPut:RestApiPut": "putRestApiMode",
    "aws-native:apigateway:RestApi": "mode",
}


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    field = MODE_FIELDS.get(args.resource_type)
    if field is None:
        return
    props = props_of(args.props)
    mode = props.get(field)
    if isinstance(mode, str) and mode.lower() == "merge" and props.get("body") is not None:
        report(
            f"{describe(args.resource_type, args.name)}: {field} is 'merge', so methods removed "
            "from the body (or added outside it) stay live and unchecked by this pack. Fix: set "
            f"{field} to 'overwrite'.",
            None,
        )


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "OpenAPI bodies should be imported in overwrite mode so that no method outside the body "
        "stays live."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.HIGH,
    remediation_steps="Set `put_rest_api_mode='overwrite'` (aws-native: `mode='overwrite'`).",
)
