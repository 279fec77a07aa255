"""apigateway-cloudformation-hidden-methods: what the pack cannot see into, said aloud.

API Gateway methods inside a CloudFormation template (classic or aws-native `Stack`/`StackSet`),
templates that nest other stacks or include snippets (`AWS::CloudFormation::Stack`,
`AWS::Serverless::Application`, the `AWS::Include` transform), and Serverless Application
Repository applications: each may create methods this pack cannot check, so each is advised
rather than passed in silence.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..model.cloudformation import parse_template
from ..model.labels import describe
from ..model.resource_types import (
    CFN_HTTP_API,
    CFN_HTTP_ROUTE,
    CFN_NESTED_STACK,
    CFN_REST_API,
    CLOUDFORMATION_STACK_TYPES,
    SAM_API,
    SAM_APPLICATION,
    SAM_FUNCTION,
    SAM_HTTP_API,
    SAR_APPLICATION_TYPES,
)
from ..model.unknown import UNKNOWN
from ..props import props_of
from ..reporting import defer

NAME = "apigateway-cloudformation-hidden-methods"
# CloudFormation / SAM types that create API Gateway methods or routes.
# `AWS::ApiGateway::Method` is not among them: apigateway-cloudformation-method-authorization
# judges those of a readable template.
API_TYPES = frozenset(
    {
        CFN_REST_API,
        CFN_HTTP_API,
        CFN_HTTP_ROUTE,
        SAM_API,
        SAM_HTTP_API,
        SAM_FUNCTION,  # its Api/HttpApi events create methods
    }
)
# API types that create methods or routes themselves only through these properties (an
# OpenAPI body, a copy of another API, quick create); without them, their methods and routes
# are resources of their own.
_METHODS_ONLY_FROM: dict[str, tuple[str, ...]] = {
    CFN_REST_API: ("Body", "BodyS3Location", "CloneFrom"),
    CFN_HTTP_API: ("Body", "BodyS3Location", "Target"),
}
# Resources whose own template this pack cannot read: a nested stack, or a SAM application
# (from the Serverless Application Repository or a template URL).
NESTING_TYPES = frozenset({CFN_NESTED_STACK, SAM_APPLICATION})
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/create-reusable-transform-function-snippets-and-add-to-your-template-with-aws-include-transform.html
INCLUDE_TRANSFORM = "AWS::Include"


def hidden_api_resources(template: dict[str, Any]) -> list[str]:
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        return []
    found = []
    for logical_id, resource in resources.items():
        if isinstance(resource, dict) and resource.get("Type") in API_TYPES:
            rtype = resource["Type"]
            props = resource.get("Properties")
            props = props if isinstance(props, dict) else {}
            if rtype in _METHODS_ONLY_FROM and not any(
                k in props for k in _METHODS_ONLY_FROM[rtype]
            ):
                continue  # an API without a body: its methods are separate resources
            if rtype == SAM_FUNCTION:
                events = props.get("Events")
                if not isinstance(events, dict) or not any(
                    isinstance(e, dict) and e.get("Type") in ("Api", "HttpApi")
                    for e in events.values()
                ):
                    continue
            found.append(f"{logical_id} ({rtype})")
    return found


def unseen_parts(template: dict[str, Any]) -> list[str]:
    """Parts of a template whose content this pack cannot read: nested stacks and includes."""
    found: list[str] = []
    resources = template.get("Resources")
    if isinstance(resources, dict):
        for logical_id, resource in resources.items():
            if isinstance(resource, dict) and resource.get("Type") in NESTING_TYPES:
                found.append(f"{logical_id} ({resource['Type']})")
    transform = template.get("Transform")
    transforms = transform if isinstance(transform, list) else [transform]
    if any(_names_include(t) for t in transforms) or _has_include(template):
        found.append(f"the {INCLUDE_TRANSFORM} transform")
    return found


def _names_include(transform: Any) -> bool:
    name = transform.get("Name") if isinstance(transform, dict) else transform
    return isinstance(name, str) and name == INCLUDE_TRANSFORM


def _has_include(value: Any, depth: int = 0) -> bool:
    # `Fn::Transform: {Name: AWS::Include, ...}` may sit anywhere in the template.
    if depth > 64:
        return True  # too deep to show there is none: fail towards saying so
    if isinstance(value, dict):
        if _names_include(value.get("Fn::Transform")):
            return True
        return any(_has_include(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(_has_include(v, depth + 1) for v in value)
    return False


def _report_sar(args: ResourceValidationArgs, report: ReportViolation, fix: str) -> None:
    props = props_of(args.props)
    app = props.get("applicationId")
    report(
        f"{describe(args.resource_type, args.name)}: deploys the Serverless Application "
        f"Repository application {'<unknown>' if app is UNKNOWN else repr(app)}, whose template "
        "this pack cannot see; it may create API Gateway methods without authorization, which "
        f"could not be checked. {fix}, or review the application's template.",
        None,
    )


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    fix = (
        "Fix: declare the API with Pulumi resources (aws.apigateway / aws.apigatewayv2) so this "
        "pack can enforce Cognito authorization on each method"
    )
    if args.resource_type in SAR_APPLICATION_TYPES:
        _report_sar(args, report, fix)
        return
    if args.resource_type not in CLOUDFORMATION_STACK_TYPES:
        return
    props = props_of(args.props)
    who = describe(args.resource_type, args.name)
    body = props.get("templateBody")
    if body is UNKNOWN:
        defer([f"{who}: templateBody"])
    if isinstance(body, (str, dict)):
        template = parse_template(body) if isinstance(body, str) else body
        if template is None:
            report(
                f"{who}: templateBody cannot be read, so it may hide API Gateway methods. {fix}.",
                None,
            )
            return
        hidden = hidden_api_resources(template)
        if hidden:
            report(
                f"{who}: the CloudFormation template creates API Gateway methods or routes that "
                f"this pack cannot check: {', '.join(hidden)}. {fix}.",
                None,
            )
        unseen = unseen_parts(template)
        if unseen:
            report(
                f"{who}: the CloudFormation template pulls in content this pack cannot see "
                f"into: {', '.join(unseen)}; any API Gateway methods there could not be checked. "
                f"{fix}.",
                None,
            )
    elif isinstance(props.get("templateUrl"), str) or props.get("templateUrl") is UNKNOWN:
        report(
            f"{who}: the template comes from templateUrl {props['templateUrl']!r}, which this pack "
            f"cannot read; it may create API Gateway methods without authorization. {fix}.",
            None,
        )


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "API Gateway methods should not be hidden inside a CloudFormation stack, a nested or "
        "included template, or a Serverless Application Repository application, where this "
        "pack cannot check their authorization."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.HIGH,
    remediation_steps=(
        "Move the API Gateway resources out of the `aws.cloudformation.Stack` template into "
        "Pulumi resources, or make sure every method in the template uses a Cognito authorizer "
        "with scopes."
    ),
)
