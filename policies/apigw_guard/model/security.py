"""Judging whether an OpenAPI operation can only be called with a Cognito access token.

The rules follow what API Gateway's REST import actually enforces, not what OpenAPI allows:
only operation-level `security` counts (root-level `security` is ignored by the import), only
`apiKey` schemes carrying `x-amazon-apigateway-authorizer` create authorizers, and a Cognito
authorizer demands an access token only when the method lists scopes (without scopes it
accepts ID tokens). See ../shared AWS-FACTS and
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .document import Operation, iter_operations, security_schemes

# Scopes Cognito defines for user sign-in. A method guarded only by these never requires a
# scope of the API's own resource server, so any user-pool token with them gets in.
COGNITO_BUILTIN_SCOPES: frozenset[str] = frozenset(
    {"aws.cognito.signin.user.admin", "openid", "email", "profile", "phone"}
)

COGNITO_AUTHORIZER_TYPE = "cognito_user_pools"


class Unknown:
    """Stands for a value that is not known yet (a pool ARN during `pulumi preview`)."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN = Unknown()


class SchemeKind(Enum):
    """What API Gateway makes of a security scheme."""

    COGNITO = "Cognito user-pool authorizer"
    API_KEY = "API key"
    LAMBDA = "Lambda authorizer"
    NATIVE = "OpenAPI scheme that API Gateway's REST import ignores"
    INVALID = "malformed security scheme"


@dataclass(frozen=True)
class Scheme:
    """A classified security scheme; `problem` says why a COGNITO-looking scheme is unusable."""

    name: str
    kind: SchemeKind
    provider_arns: tuple[str, ...] = ()
    problem: str | None = None
    pending: str | None = None


@dataclass(frozen=True)
class Verdict:
    """The judgement of one operation.

    `problems` are faults (the operation is reachable without the required token); `pending`
    lists parts that cannot be judged until unknown values are known. An operation is protected
    only when both are empty.
    """

    operation: Operation
    problems: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()
    # Each alternative that grants access: (Cognito scheme name, its scopes). Any one suffices.
    grants: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exempt: str | None = None

    @property
    def protected(self) -> bool:
        return not self.problems and not self.pending

    @property
    def granting_scopes(self) -> tuple[str, ...]:
        """Every scope that lets a token through, in order, without repeats."""
        return tuple(dict.fromkeys(s for _, scopes in self.grants for s in scopes))

    @property
    def builtin_scopes_only(self) -> bool:
        scopes = self.granting_scopes
        return bool(scopes) and all(s in COGNITO_BUILTIN_SCOPES for s in scopes)


@dataclass(frozen=True)
class JudgeOptions:
    """Policy knobs. Defaults: no exemption, any user pool accepted."""

    exempt_mock_options: bool = False
    allowed_pool_arns: Collection[str] | None = None


def classify_scheme(name: str, scheme: Any, options: JudgeOptions | None = None) -> Scheme:
    """Say what a security scheme turns into once API Gateway imports it."""
    options = options or JudgeOptions()
    if not isinstance(scheme, dict):
        return Scheme(name, SchemeKind.INVALID, problem=f"scheme {name!r} is not a mapping")
    scheme_type = scheme.get("type")
    authorizer = scheme.get("x-amazon-apigateway-authorizer")
    if scheme_type != "apiKey":
        # oauth2, http, openIdConnect: valid OpenAPI, but the REST import creates no authorizer.
        return Scheme(name, SchemeKind.NATIVE)
    if authorizer is None:
        return Scheme(name, SchemeKind.API_KEY)
    if not isinstance(authorizer, dict):
        return Scheme(
            name,
            SchemeKind.INVALID,
            problem=f"scheme {name!r} has an x-amazon-apigateway-authorizer that is not a mapping",
        )
    authorizer_type = authorizer.get("type")
    if not isinstance(authorizer_type, str) or authorizer_type.lower() != COGNITO_AUTHORIZER_TYPE:
        # `token` and `request` are Lambda authorizers, whatever x-amazon-apigateway-authtype says.
        return Scheme(name, SchemeKind.LAMBDA)
    return _cognito_scheme(name, authorizer.get("providerARNs"), options)


def _cognito_scheme(name: str, arns: Any, options: JudgeOptions) -> Scheme:
    if arns is UNKNOWN:
        return Scheme(name, SchemeKind.COGNITO, pending=f"the user pool ARNs of scheme {name!r}")
    if not isinstance(arns, list) or not arns:
        return Scheme(
            name,
            SchemeKind.COGNITO,
            problem=f"scheme {name!r} has no providerARNs; list the user pool ARN(s)",
        )
    if any(arn is UNKNOWN for arn in arns):
        return Scheme(name, SchemeKind.COGNITO, pending=f"the user pool ARNs of scheme {name!r}")
    if not all(isinstance(arn, str) and arn.strip() for arn in arns):
        return Scheme(
            name,
            SchemeKind.COGNITO,
            problem=f"scheme {name!r} has a blank or non-string providerARNs entry: {arns!r}",
        )
    allowed = options.allowed_pool_arns
    if allowed is not None:
        outside = [arn for arn in arns if arn not in allowed]
        if outside:
            return Scheme(
                name,
                SchemeKind.COGNITO,
                problem=(
                    f"scheme {name!r} trusts user pool(s) outside the allowed list: "
                    f"{', '.join(outside)}"
                ),
            )
    return Scheme(name, SchemeKind.COGNITO, provider_arns=tuple(arns))


def _is_mock_options(op: Operation) -> bool:
    integration = op.definition.get("x-amazon-apigateway-integration")
    return (
        op.method == "OPTIONS"
        and isinstance(integration, dict)
        and str(integration.get("type", "")).lower() == "mock"
    )


def judge_operation(
    op: Operation,
    schemes: Mapping[str, Scheme],
    *,
    root_security_present: bool = False,
    options: JudgeOptions | None = None,
) -> Verdict:
    """Decide whether `op` demands a Cognito access token carrying one of its scopes."""
    options = options or JudgeOptions()
    if options.exempt_mock_options and _is_mock_options(op):
        return Verdict(op, exempt="CORS preflight OPTIONS with a MOCK integration (exempted)")

    fix = "add operation-level security naming a Cognito authorizer scheme with at least one scope"
    security = op.definition.get("security")
    if security is None:
        root = " (root-level security is ignored by API Gateway's import)"
        return Verdict(
            op,
            problems=(
                f"has no operation-level security{root if root_security_present else ''}; {fix}",
            ),
        )
    if not isinstance(security, list):
        return Verdict(op, problems=(f"security must be a list, got {security!r}; {fix}",))
    if not security:
        return Verdict(op, problems=(f"has an empty security list (anyone may call it); {fix}",))

    problems: list[str] = []
    pending: list[str] = []
    grants: list[tuple[str, tuple[str, ...]]] = []
    for index, alternative in enumerate(security):
        where = f"security[{index}]"
        if not isinstance(alternative, dict):
            problems.append(f"{where} must be a mapping of scheme name to scopes")
            continue
        if not alternative:
            problems.append(f"{where} is {{}}, which allows anonymous calls; remove it")
            continue
        cognito: list[tuple[str, tuple[str, ...]]] = []
        for scheme_name, scopes in alternative.items():
            scheme = schemes.get(scheme_name)
            if scheme is None:
                problems.append(
                    f"{where} references {scheme_name!r}, which is not defined in the document's "
                    "security schemes"
                )
                continue
            if scheme.problem:
                problems.append(f"{where}: {scheme.problem}")
                continue
            if scheme.pending:
                pending.append(f"{where}: {scheme.pending}")
            if scheme.kind is SchemeKind.API_KEY:
                continue  # an API key is an extra requirement, never a substitute
            if scheme.kind is not SchemeKind.COGNITO:
                problems.append(
                    f"{where} uses {scheme_name!r}, a {scheme.kind.value}; use a Cognito "
                    "user-pool authorizer scheme (type apiKey with x-amazon-apigateway-authorizer "
                    "type cognito_user_pools)"
                )
                continue
            if not isinstance(scopes, list) or not scopes:
                problems.append(
                    f"{where} gives {scheme_name!r} no scopes, so it accepts any ID token of the "
                    "pool; list at least one resource-server scope"
                )
                continue
            if not all(isinstance(s, str) and s.strip() for s in scopes):
                problems.append(f"{where} gives {scheme_name!r} a blank scope: {scopes!r}")
                continue
            cognito.append((scheme_name, tuple(scopes)))
        if not cognito and not any(p.startswith(where) for p in problems):
            problems.append(
                f"{where} names only API-key schemes ({', '.join(map(repr, alternative))}), "
                "which identify callers but do not authorize them; add a Cognito scheme with "
                "scopes"
            )
        if len(cognito) > 1:
            problems.append(f"{where} names more than one authorizer; a method has exactly one")
        grants.extend(cognito)
    return Verdict(op, problems=tuple(problems), pending=tuple(pending), grants=tuple(grants))


def judge_document(doc: Mapping[str, Any], options: JudgeOptions | None = None) -> list[Verdict]:
    """Judge every operation of a validated document (see document.validate_document)."""
    options = options or JudgeOptions()
    schemes = {
        name: classify_scheme(name, scheme, options)
        for name, scheme in security_schemes(doc).items()
    }
    root = doc.get("security") is not None
    return [
        judge_operation(op, schemes, root_security_present=root, options=options)
        for op in iter_operations(doc)
    ]


def unprotected(verdicts: Iterable[Verdict]) -> list[Verdict]:
    return [v for v in verdicts if v.problems]
