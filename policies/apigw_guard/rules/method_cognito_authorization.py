"""apigateway-method-cognito-authorization: a REST API Method demands a Cognito token + scopes.

A resource policy: every fault a Method's own inputs show (authorization, authorizerId,
scopes) is judged before the Method exists, for every provider (classic, aws-native,
Terraform-bridged), so `pulumi up --skip-preview` and the Automation API stop before an open
method is created. The message names the Method and its resourceId; its path is named by the
stack-level policy and by `make report`.

The CORS preflight exemption (`exemptCorsPreflightMock`) is decided here: off, an open OPTIONS
method is blocked like any other. On, an OPTIONS method whose own integration is visibly not
MOCK (aws-native's nested one) is blocked here, and any other is handed to
apigateway-references-resolve, which sees the integrations of the whole stack.
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..handoff import REFERENCES, hand_off, withdraw
from ..method_authorization import FIX, is_options, nested_integration_type, problems_of
from ..model.labels import method_label
from ..model.resource_types import METHOD_NATIVE, METHOD_TYPES
from ..model.unknown import UNKNOWN
from ..policy_config import EXEMPT_CORS_PREFLIGHT_MOCK, read_config, schema
from ..props import props_of
from ..redacted import is_redacted, redacted_message
from ..reporting import defer

NAME = "apigateway-method-cognito-authorization"
CONFIG = (EXEMPT_CORS_PREFLIGHT_MOCK,)
EXEMPT_MOCK_OPTIONS = EXEMPT_CORS_PREFLIGHT_MOCK.name

PREFLIGHT_FIX = (
    "for a server-to-server API, remove the OPTIONS method and its integration (no browser, no "
    "preflight); if browsers call this API, ask the policy admin to set "
    f"{EXEMPT_MOCK_OPTIONS}: true on {NAME}, which exempts exactly the OPTIONS methods whose own "
    "integration is MOCK"
)


def _preflight_note(resource_type: str, props: dict[str, object]) -> tuple[str, str]:
    """(note, fix) for an open OPTIONS method while the exemption is off."""
    nested = nested_integration_type(dict(props)) if resource_type == METHOD_NATIVE else None
    if nested == "MOCK":
        note = (
            " This is a CORS preflight (OPTIONS with a MOCK integration): browsers send it "
            "without a token, so a Cognito authorizer here would break every preflight."
        )
        return note, PREFLIGHT_FIX
    return "", f"{FIX}; or, if it is a CORS preflight (MOCK integration): {PREFLIGHT_FIX}"


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in METHOD_TYPES:
        return
    exempt = EXEMPT_CORS_PREFLIGHT_MOCK.value(read_config(args, report, CONFIG))
    props = props_of(args.props)
    if not props:
        # A read resource (`Method.get`) in `pulumi policy analyze`: the stack declares nothing.
        withdraw(REFERENCES, args.urn)
        return
    label = method_label(args.resource_type, args.name, props)
    if is_redacted(props.get("authorizationScopes")):
        withdraw(REFERENCES, args.urn)
        report(redacted_message(label, "authorizationScopes", "its scopes cannot be judged"), None)
        return
    problems, pending = problems_of(args.resource_type, props)
    note, fix = "", FIX
    if problems and is_options(props):
        if exempt:
            nested = nested_integration_type(props) if args.resource_type == METHOD_NATIVE else None
            if isinstance(nested, str) and nested != "MOCK":
                note = (
                    f" {EXEMPT_MOCK_OPTIONS} applies only to an OPTIONS method whose own "
                    f"integration is MOCK; its integration has type {nested!r}."
                )
            elif nested is None or nested is UNKNOWN or nested == "MOCK":
                # The integration that decides is another resource, or may be replaced by one.
                hand_off(REFERENCES, args.urn, tuple(problems))
                return
        else:
            note, fix = _preflight_note(args.resource_type, props)
    withdraw(REFERENCES, args.urn)
    for problem in problems:
        report(f"{label}: {problem}.{note} Fix: {fix}.", None)
    defer([f"{label}: {p}" for p in pending])


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "Every API Gateway REST API method requires a Cognito user-pool authorizer and at least "
        "one OAuth scope."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=schema(*CONFIG),
    severity=Severity.CRITICAL,
    remediation_steps=(
        "Set `authorization` (aws-native: `authorizationType`) to `COGNITO_USER_POOLS`, set "
        "`authorizerId` to an `aws.apigateway.Authorizer` of type COGNITO_USER_POOLS, and set "
        "`authorizationScopes` to the resource-server scopes callers must hold, e.g. "
        "`['https://api.example.com/read']`. NONE (even with an API key), AWS_IAM and CUSTOM "
        "do not qualify. A CORS preflight (OPTIONS with a MOCK integration) is exempted only by "
        "the policy admin, with `exemptCorsPreflightMock: true` on this policy."
    ),
)
