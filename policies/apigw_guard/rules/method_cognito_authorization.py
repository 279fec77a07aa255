"""apigateway-method-cognito-authorization: a REST API Method demands a Cognito token + scopes.

A stack policy, although it judges each Method's own settings: a Method names its path only
through `resourceId`, and the author needs `GET /items/{id}` to act on a message. The stack
also shows the Method's Integration, which this policy alone reads to decide the CORS preflight
exemption (one decision, one owner). AnalyzeStack runs at the end of every preview, so
`pulumi up` is stopped before anything is created (see the README on `--skip-preview`).
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from ..method_settings import (
    COGNITO,
    FIX,
    authorization_of,
    is_options,
    method_integration,
    method_title,
    problems_of,
)
from ..model.resource_graph import GraphResource, ResourceGraph
from ..model.resource_types import METHOD_TYPES
from ..policy_config import CONFIG_SCHEMA, EXEMPT_MOCK_OPTIONS, configured_options
from ..reporting import defer, unknown_input
from ..stack import stack_graph

NAME = "apigateway-method-cognito-authorization"

EXEMPTION_FIX = (
    f"if browsers call this API, set {EXEMPT_MOCK_OPTIONS}: true on {NAME}, which exempts "
    "exactly the OPTIONS methods whose own integration is MOCK; for a server-to-server API, "
    "remove the OPTIONS method and its Integration (no browser, no preflight)"
)


def _exemption(
    method: GraphResource, graph: ResourceGraph, exempt: bool
) -> tuple[bool, str, str | None, str | None]:
    """(skip, note, fix, pending) for an OPTIONS method with an own fault.

    `skip`: the exemption applies. `note` explains the method's preflight status in the
    message; `fix` replaces the Cognito fix where that fix would break browsers; `pending`
    names what must be known before the exemption can be decided.
    """
    integration = method_integration(method, graph)
    if integration.state == "unknown":
        return False, "", None, integration.what
    open_ = authorization_of(method.type, dict(method.props)) != COGNITO
    if integration.state == "mock":
        if exempt:
            return True, "", None, None
        if open_:
            note = (
                f" This is a CORS preflight (OPTIONS with a MOCK integration, {integration.what}):"
                " browsers send it without a token, so a Cognito authorizer here would break "
                "every preflight."
            )
            return False, note, EXEMPTION_FIX, None
        return False, "", None, None
    if not exempt:
        return False, "", None, None
    if integration.state == "ambiguous":
        note = (
            f" {EXEMPT_MOCK_OPTIONS} does not apply: {integration.what} are all attached to this "
            "method and API Gateway keeps only one, which cannot be told here (failing closed)."
        )
        fix = f"keep exactly one Integration for this method (MOCK for a preflight), or {FIX}"
        return False, note, fix, None
    if integration.state == "none":
        note = (
            f" {EXEMPT_MOCK_OPTIONS} applies only to an OPTIONS method whose own integration is "
            "MOCK, and no Integration of this stack is attached to this method."
        )
        return False, note, None, None
    note = (
        f" {EXEMPT_MOCK_OPTIONS} applies only to an OPTIONS method whose own integration is "
        f"MOCK; {integration.what} has type {integration.kind!r}."
    )
    return False, note, None, None


def validate(args: StackValidationArgs, report: ReportViolation) -> None:
    options = configured_options(args, report)
    graph = stack_graph(args.resources)
    pending: list[str] = []
    for method in graph.resources:
        if method.type not in METHOD_TYPES:
            continue
        problems, unknown = problems_of(method.type, dict(method.props))
        # An unknown authorizerId is deferred once, by apigateway-method-cognito-authorizer,
        # which judges what it names; a missing or blank one is this policy's fault.
        unknown = [u for u in unknown if u != "authorizerId"]
        if not problems and not unknown:
            continue
        title = method_title(method, graph)
        note, fix = "", FIX
        if is_options(dict(method.props)):
            skip, note, special_fix, undecided = _exemption(
                method, graph, options.exempt_mock_options
            )
            if skip:
                continue
            if undecided is not None and options.exempt_mock_options:
                # A known fault may yet be exempted: judge it when the integration is known.
                pending.append(f"{title}: {undecided}, which decides {EXEMPT_MOCK_OPTIONS}")
                continue
            fix = special_fix or fix
        for problem in problems:
            report(f"{title}: {problem}.{note} Fix: {fix}.", method.urn)
        pending.extend(f"{title}: {unknown_input(graph, method, u)}" for u in unknown)
    defer(pending)


policy = StackValidationPolicy(
    name=NAME,
    description=(
        "Every API Gateway REST API method requires a Cognito user-pool authorizer and at least "
        "one OAuth scope."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=CONFIG_SCHEMA,
    severity=Severity.CRITICAL,
    remediation_steps=(
        "Set `authorization` (aws-native: `authorizationType`) to `COGNITO_USER_POOLS`, set "
        "`authorizerId` to an `aws.apigateway.Authorizer` of type COGNITO_USER_POOLS, and set "
        "`authorizationScopes` to the resource-server scopes callers must hold, e.g. "
        "`['https://api.example.com/read']`. NONE (even with an API key), AWS_IAM and CUSTOM "
        "do not qualify. A CORS preflight (OPTIONS with a MOCK integration) is exempted only by "
        "`exemptCorsPreflightMock: true` on this policy."
    ),
)
