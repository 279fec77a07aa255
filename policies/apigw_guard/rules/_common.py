"""Helpers every policy shares: reading proxied properties safely, config, preview deferral."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pulumi_policy import (
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    StackValidationArgs,
)
from pulumi_policy.proxy import (
    UNKNOWN_ARCHIVE_VALUE,
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_ASSET_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
    UnknownValueError,
)

from ..model.security import (
    POOL_ARN,
    UNKNOWN,
    BodyJudgement,
    JudgeOptions,
)

_UNKNOWN_SENTINELS = frozenset(
    {
        UNKNOWN_BOOLEAN_VALUE,
        UNKNOWN_NUMBER_VALUE,
        UNKNOWN_STRING_VALUE,
        UNKNOWN_ARRAY_VALUE,
        UNKNOWN_ASSET_VALUE,
        UNKNOWN_ARCHIVE_VALUE,
        UNKNOWN_OBJECT_VALUE,
    }
)

# Config keys (declared in CONFIG_SCHEMA; the CLI applies schema defaults, the SDK does not, so
# `judge_options` applies them again here).
EXEMPT_MOCK_OPTIONS = "exemptCorsPreflightMock"
ALLOWED_POOL_ARNS = "allowedUserPoolArns"

CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        EXEMPT_MOCK_OPTIONS: {
            "type": "boolean",
            "default": False,
            "description": "Exempt CORS preflight OPTIONS methods whose integration is MOCK "
            "from the authorizer requirement. Off by default. For aws.apigateway.Method set it "
            "identically on apigateway-method-cognito-authorization (which skips the method) "
            "and apigateway-method-cognito-authorizer (which checks its Integration is MOCK).",
        },
        ALLOWED_POOL_ARNS: {
            "type": "array",
            "items": {"type": "string"},
            "description": "If set, the only Cognito user pool ARNs an authorizer may trust. "
            "Unset: any user pool is accepted.",
        },
    }
)

COGNITO_SCHEME_FIX = (
    "define a security scheme of type apiKey (name Authorization, in header) with "
    "x-amazon-apigateway-authorizer {type: cognito_user_pools, providerARNs: [<user pool ARN>]} "
    'and give every operation security: [{<scheme>: ["<resource-server-identifier>/<scope>"]}]'
)


def plain(value: Any) -> Any:
    """Copy a pulumi-policy property value into plain Python without tripping on unknowns.

    The SDK's proxy raises UnknownValueError on any access to an unknown value (even `in` and
    `.get`); this reads the proxy's target instead and turns every unknown sentinel into
    model.UNKNOWN, so the checks can report what is known and defer the rest.
    """
    if isinstance(value, str):
        return UNKNOWN if value in _UNKNOWN_SENTINELS else value
    if isinstance(value, Mapping):
        target = _target(value)
        return {k: plain(v) for k, v in target.items()}
    if isinstance(value, (list, tuple)) or _is_list_proxy(value):
        target = _target(value)
        return [plain(v) for v in target]
    return value


def _target(value: Any) -> Any:
    try:
        return value["__target"]
    except (KeyError, TypeError, IndexError):
        return value


def _is_list_proxy(value: Any) -> bool:
    return type(value).__name__ == "_ListProxy"


def props_of(props: Any) -> dict[str, Any]:
    value = plain(props)
    return value if isinstance(value, dict) else {}


def judge_options(config: Mapping[str, Any] | None) -> JudgeOptions:
    """Policy config with defaults applied: no exemption, any user pool.

    Values of the wrong type fail closed (see `config_errors`): an exemption that is not `true`
    is off, and an allowlist that is not a list trusts no pool.
    """
    config = config or {}
    exempt = config.get(EXEMPT_MOCK_OPTIONS, False)
    allowed = config.get(ALLOWED_POOL_ARNS)
    return JudgeOptions(
        exempt_mock_options=exempt is True,
        allowed_pool_arns=(
            None
            if allowed is None
            else frozenset(a for a in allowed if isinstance(a, str))
            if isinstance(allowed, list)
            else frozenset()
        ),
    )


def config_errors(config: Mapping[str, Any] | None) -> list[str]:
    """What is wrong with a policy's config; the CLI validates against the schema, but a pack
    started by another client (or an older CLI) may be sent anything."""
    config = config or {}
    errors = []
    exempt = config.get(EXEMPT_MOCK_OPTIONS, False)
    if not isinstance(exempt, bool):
        errors.append(
            f"{EXEMPT_MOCK_OPTIONS} must be true or false, got {exempt!r}; it is treated as false"
        )
    allowed = config.get(ALLOWED_POOL_ARNS)
    if allowed is not None:
        bad = (
            [a for a in allowed if not (isinstance(a, str) and POOL_ARN.match(a))]
            if isinstance(allowed, list)
            else [allowed]
        )
        if bad:
            errors.append(
                f"{ALLOWED_POOL_ARNS} must be a list of user pool ARNs "
                "(arn:aws:cognito-idp:<region>:<account>:userpool/<pool-id>), got "
                f"{', '.join(map(repr, bad))}; no user pool is trusted through an invalid entry"
            )
    return errors


def configured_options(
    args: ResourceValidationArgs | StackValidationArgs, report: ReportViolation
) -> JudgeOptions:
    """The policy's options; each config error is reported as a violation of the policy."""
    config = args.get_config()
    for error in config_errors(config):
        report(f"policy config: {error}. Fix: correct the policy config of this pack.", None)
    return judge_options(config)


class PendingUntilUpdate(UnknownValueError):
    """Raised after every known fault is reported, when some values are unknown (preview).

    The SDK turns an UnknownValueError into an advisory diagnostic ("can't run policy ... during
    preview: <message>") of the same policy; the message says what will be checked at update.
    """

    def __init__(self, what: Iterable[str]) -> None:
        super().__init__(UNKNOWN_STRING_VALUE, [])
        items = list(dict.fromkeys(what))
        self.message = (
            "not judged yet because values are unknown until the update: "
            + "; ".join(items)
            + ". It will be checked (and enforced) at update, when the values are known"
        )


def defer(pending: list[str]) -> None:
    if pending:
        raise PendingUntilUpdate(pending)


def describe(resource_type: str, name: str) -> str:
    return f"{short_type(resource_type)} '{name}'"


def short_type(resource_type: str) -> str:
    """`aws:apigateway/method:Method` -> `Method`; `aws-native:apigateway:RestApi` -> `RestApi`."""
    return resource_type.rsplit(":", 1)[-1]


def report_problems(
    report: ReportViolation, label: str, problems: list[str], pending: list[str], fix: str
) -> None:
    """Report a resource's own faults, then defer what is unknown until the update."""
    for problem in problems:
        report(f"{label}: {problem}. Fix: {fix}.", None)
    defer([f"{label}: {p}" for p in pending])


def check_authorizer_reference(
    report: ReportViolation,
    resource: PolicyResource,
    label: str,
    types: Iterable[str],
    resources: list[PolicyResource],
    judge: Callable[[dict[str, Any]], tuple[list[str], list[str]]],
    fix: str,
) -> list[str]:
    """Report the faults of the authorizer a method's or route's `authorizerId` names.

    A missing or blank id is left to the resource policy (one fault, one policy). Returns what
    is unknown until the update.
    """
    authorizer_id = props_of(resource.props).get("authorizerId")
    if authorizer_id is UNKNOWN:
        return [f"{label}: authorizerId"]
    if not isinstance(authorizer_id, str) or not authorizer_id.strip():
        return []
    authorizers = resolve_authorizers(resource, authorizer_id, resources, types)
    if not authorizers:
        report(
            f"{label}: authorizerId {authorizer_id!r} does not resolve to an authorizer in this "
            f"stack, so it cannot be shown to be a Cognito one. Fix: {fix}, created in this "
            "stack.",
            resource.urn,
        )
        return []
    pending: list[str] = []
    for authorizer in authorizers:
        who = describe(authorizer.resource_type, authorizer.name)
        problems, unknown = judge(props_of(authorizer.props))
        for problem in problems:
            report(f"{label}: {problem} ({who}). Fix: {fix}.", resource.urn)
        pending.extend(f"{label}: {u} of {who}" for u in unknown)
    return pending


def resolve_authorizers(
    resource: PolicyResource,
    authorizer_id: str,
    resources: list[PolicyResource],
    types: Iterable[str],
) -> list[PolicyResource]:
    """The authorizer(s) a method's or route's `authorizerId` names.

    Property dependencies of `authorizerId` come first, but only those whose own id (`id`, or
    aws-native's `authorizerId`), when known, is that value: a dependency proves the value was
    computed from the resource, not that it is its id (`cognito.id.apply(lambda _: "lambda1")`
    depends on the Cognito authorizer and names another). Otherwise, any authorizer of the stack
    whose id is the value.
    """
    types = tuple(types)
    deps = [
        d
        for d in resource.property_dependencies.get("authorizerId", [])
        if d.resource_type in types
    ]
    matching = [d for d in deps if authorizer_id in (_ids_of(d) or (authorizer_id,))]
    if matching:
        return matching
    return [
        r for r in resources if r.resource_type in types and authorizer_id in (_ids_of(r) or ())
    ]


def _ids_of(resource: PolicyResource) -> tuple[str, ...] | None:
    """The known ids of a resource, or None when none is known (mocks, older states)."""
    props = props_of(resource.props)
    ids = tuple(v for v in (props.get("id"), props.get("authorizerId")) if isinstance(v, str) and v)
    return ids or None


def blank_entries(value: list[Any]) -> list[Any]:
    return [s for s in value if s is not UNKNOWN and not (isinstance(s, str) and s.strip())]


def report_body(report: ReportViolation, who: str, judgement: BodyJudgement, fix: str) -> None:
    """Report an OpenAPI body's faults, one violation per faulty operation, then defer unknowns.

    A body that cannot be read fails closed: no operation in it can be shown to be protected.
    """
    if judgement.error:
        report(
            f"{judgement.error}. The body cannot be read, so no operation can be shown to be "
            f"protected (failing closed). Fix: provide a valid OpenAPI 2.0 or 3.x JSON/YAML "
            f"document; {fix}.",
            None,
        )
        return
    if judgement.pending:
        defer([judgement.pending])
    pending: list[str] = []
    for verdict in judgement.verdicts:
        if not verdict.problems and not verdict.pending:
            continue  # the usual case; thousands of operations per body
        for problem in verdict.problems:
            report(f"{who}: {verdict.operation.key} {problem}. Fix: {fix}.", None)
        pending.extend(f"{who}: {verdict.operation.key}: {p}" for p in verdict.pending)
    defer(pending)


def report_unreadable_source(
    report: ReportViolation, who: str, props: Mapping[str, Any], fields: Iterable[str]
) -> None:
    """Fail closed on a body the pack cannot read (S3) or methods copied from another API."""
    for field in fields:
        if props.get(field) is not None:
            report(
                f"{who}: {field} is set, so API Gateway creates methods from a source this pack "
                "cannot read, and none can be shown to be protected (failing closed). Fix: "
                f"remove {field} and pass the OpenAPI document inline as body.",
                None,
            )
