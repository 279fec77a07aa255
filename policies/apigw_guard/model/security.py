"""Judging whether an OpenAPI operation can only be called with a Cognito access token.

The rules follow what API Gateway's REST import actually enforces, not what OpenAPI allows:
only operation-level `security` counts (root-level `security` is ignored by the import), only
`apiKey` schemes carrying `x-amazon-apigateway-authorizer` create authorizers, and a Cognito
authorizer demands an access token only when the method lists scopes (without scopes it
accepts ID tokens). See ../shared AWS-FACTS and
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from .document import (
    Operation,
    SpecError,
    audit_document,
    iter_operations,
    parse_body_text,
    parse_spec_text,
    security_schemes,
    validate_document,
)

# Scopes Cognito defines for user sign-in. A method guarded only by these never requires a
# scope of the API's own resource server, so any user-pool token with them gets in.
COGNITO_BUILTIN_SCOPES: frozenset[str] = frozenset(
    {"aws.cognito.signin.user.admin", "openid", "email", "profile", "phone"}
)

COGNITO_AUTHORIZER_TYPE = "cognito_user_pools"

# The issuer of a Cognito user pool's tokens, and a user pool ARN; both name the pool id.
COGNITO_ISSUER = re.compile(
    r"^https://cognito-idp\.(?P<region>[a-z0-9-]+)\.amazonaws\.com/(?P<pool>(?P=region)_[A-Za-z0-9]+)$"
)
POOL_ARN = re.compile(
    r"^arn:aws[a-z-]*:cognito-idp:(?P<region>[a-z0-9-]+):\d{12}:userpool/(?P<pool>[\w-]+_[A-Za-z0-9]+)$"
)


def pool_id_of_arn(arn: str) -> str | None:
    match = POOL_ARN.match(arn)
    return match.group("pool") if match else None


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
    NOT_JWT = "scheme that is not a JWT authorizer (IAM, API key or none)"
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
        found = False
        for _, scopes in self.grants:
            for scope in scopes:
                if scope not in COGNITO_BUILTIN_SCOPES:
                    return False
                found = True
        return found


@dataclass(frozen=True)
class JudgeOptions:
    """Policy knobs. Defaults: no exemption, any user pool accepted."""

    exempt_mock_options: bool = False
    allowed_pool_arns: Collection[str] | None = None


def _unreadable_scheme(name: str, scheme: Any) -> Scheme | None:
    """A scheme that is unknown, not a mapping, or a `$ref` (not followed); None otherwise."""
    if scheme is UNKNOWN:
        return Scheme(name, SchemeKind.COGNITO, pending=f"security scheme {name!r}")
    if not isinstance(scheme, dict):
        return Scheme(name, SchemeKind.INVALID, problem=f"scheme {name!r} is not a mapping")
    if "$ref" in scheme:
        return Scheme(
            name,
            SchemeKind.INVALID,
            problem=f"scheme {name!r} is a $ref, which this pack does not follow; define it inline",
        )
    return None


def classify_scheme(name: str, scheme: Any, options: JudgeOptions | None = None) -> Scheme:
    """Say what a security scheme turns into once API Gateway imports it."""
    options = options or JudgeOptions()
    unreadable = _unreadable_scheme(name, scheme)
    if unreadable is not None:
        return unreadable
    assert isinstance(scheme, dict)
    scheme_type = scheme.get("type")
    authorizer = scheme.get("x-amazon-apigateway-authorizer")
    if (
        scheme_type is UNKNOWN
        or authorizer is UNKNOWN
        or (isinstance(authorizer, dict) and authorizer.get("type") is UNKNOWN)
    ):
        return Scheme(name, SchemeKind.COGNITO, pending=f"the type of security scheme {name!r}")
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
    if authorizer_type != COGNITO_AUTHORIZER_TYPE:
        # Only the documented spelling is accepted: an importer that did not recognise another
        # one would drop the authorizer with a warning and leave the method open.
        return Scheme(
            name,
            SchemeKind.INVALID,
            problem=f"scheme {name!r} has x-amazon-apigateway-authorizer type "
            f"{authorizer_type!r}; write it exactly {COGNITO_AUTHORIZER_TYPE!r}",
        )
    return _cognito_scheme(name, authorizer.get("providerARNs"), options)


def classify_jwt_scheme(name: str, scheme: Any, options: JudgeOptions | None = None) -> Scheme:
    """Say what a security scheme of an HTTP API body turns into once API Gateway imports it.

    Only `x-amazon-apigateway-authorizer` of type `jwt` whose `jwtConfiguration.issuer` is a
    Cognito user pool (`https://cognito-idp.<region>.amazonaws.com/<pool-id>`) counts; the pool
    id is checked against `allowed_pool_arns`. `request` authorizers are Lambda authorizers.
    https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html
    """
    options = options or JudgeOptions()
    unreadable = _unreadable_scheme(name, scheme)
    if unreadable is not None:
        return unreadable
    assert isinstance(scheme, dict)
    authorizer = scheme.get("x-amazon-apigateway-authorizer")
    if authorizer is UNKNOWN or (isinstance(authorizer, dict) and UNKNOWN in authorizer.values()):
        return Scheme(name, SchemeKind.COGNITO, pending=f"the authorizer of scheme {name!r}")
    if not isinstance(authorizer, dict):
        return Scheme(name, SchemeKind.NOT_JWT)
    if authorizer.get("type") != "jwt":
        return Scheme(name, SchemeKind.LAMBDA)
    config = authorizer.get("jwtConfiguration")
    issuer = config.get("issuer") if isinstance(config, dict) else None
    if issuer is UNKNOWN or (isinstance(config, dict) and UNKNOWN in config.values()):
        return Scheme(name, SchemeKind.COGNITO, pending=f"the JWT issuer of scheme {name!r}")
    match = COGNITO_ISSUER.match(issuer) if isinstance(issuer, str) else None
    if not match:
        return Scheme(
            name,
            SchemeKind.COGNITO,
            problem=f"scheme {name!r} has JWT issuer {issuer!r}, which is not a Cognito user "
            "pool (https://cognito-idp.<region>.amazonaws.com/<pool-id>)",
        )
    allowed = options.allowed_pool_arns
    if allowed is not None and match.group("pool") not in {pool_id_of_arn(a) for a in allowed}:
        return Scheme(
            name,
            SchemeKind.COGNITO,
            problem=f"scheme {name!r} trusts issuer {issuer!r}, a user pool outside the allowed "
            "list",
        )
    return Scheme(name, SchemeKind.COGNITO, provider_arns=(str(issuer),))


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


def _scopes_state(values: list[Any]) -> str:
    """'ok', 'blank' (a non-string or blank entry) or 'unknown' (an entry not known yet).

    One plain loop: this runs once per operation, and on bodies of thousands of operations
    generator and `in` overhead dominated the policy's time.
    """
    state = "ok"
    for value in values:
        if value is UNKNOWN:
            return "unknown"
        if state == "ok" and (value.__class__ is not str or not value.strip()):
            state = "blank"
    return state


class _Where:
    """`security[<index>]`, formatted only when a message needs it (hot loop on big bodies)."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index

    def __str__(self) -> str:
        return f"security[{self.index}]"

    __format__ = lambda self, spec: str(self)  # noqa: E731


REST_SCHEME_WANTED = (
    "a Cognito user-pool authorizer scheme (type apiKey with x-amazon-apigateway-authorizer "
    "type cognito_user_pools)"
)
JWT_SCHEME_WANTED = (
    "a JWT authorizer scheme (x-amazon-apigateway-authorizer type jwt) whose issuer is a "
    "Cognito user pool"
)


def judge_operation(
    op: Operation,
    schemes: Mapping[str, Scheme],
    *,
    root_security_present: bool = False,
    options: JudgeOptions | None = None,
    wanted: str = REST_SCHEME_WANTED,
) -> Verdict:
    """Decide whether `op` demands a Cognito access token carrying one of its scopes.

    `wanted` names the kind of scheme that qualifies, for messages (REST: Cognito authorizer;
    HTTP APIs: a JWT authorizer with a Cognito issuer).
    """
    options = options or JudgeOptions()
    if options.exempt_mock_options and _is_mock_options(op):
        return Verdict(op, exempt="CORS preflight OPTIONS with a MOCK integration (exempted)")

    fix = "add operation-level security naming a Cognito authorizer scheme with at least one scope"
    security = op.definition.get("security")
    if security is UNKNOWN:
        return Verdict(op, pending=("its security is not known yet",))
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
        where = _Where(index)
        if alternative is UNKNOWN:
            pending.append(f"{where} is not known yet")
            continue
        if not isinstance(alternative, dict):
            problems.append(f"{where} must be a mapping of scheme name to scopes")
            continue
        if not alternative:
            problems.append(f"{where} is {{}}, which allows anonymous calls; remove it")
            continue
        cognito: list[tuple[str, tuple[str, ...]]] = []
        # Counting (not prefix-matching `where`) tells this alternative's findings apart:
        # "security[1]" is a prefix of "security[10]".
        problems_before, pending_before = len(problems), len(pending)
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
                    f"{where} uses {scheme_name!r}, a {scheme.kind.value}; use {wanted}"
                )
                continue
            state = _scopes_state(scopes) if isinstance(scopes, list) else None
            if scopes is UNKNOWN or state == "unknown":
                pending.append(f"{where}: the scopes of {scheme_name!r}")
                continue
            if not isinstance(scopes, list) or not scopes:
                problems.append(
                    f"{where} gives {scheme_name!r} no scopes, so it accepts any ID token of the "
                    "pool; list at least one resource-server scope"
                )
                continue
            if state != "ok":
                problems.append(f"{where} gives {scheme_name!r} a blank scope: {scopes!r}")
                continue
            cognito.append((scheme_name, tuple(scopes)))
        if not cognito and len(problems) == problems_before and len(pending) == pending_before:
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
    return _judge_document(doc, options, "rest")


def _judge_document(
    doc: Mapping[str, Any], options: JudgeOptions | None, api: ApiKind
) -> list[Verdict]:
    options = options or JudgeOptions()
    classify, wanted = _FLAVOURS[api]
    schemes = {
        name: classify(name, scheme, options) for name, scheme in security_schemes(doc).items()
    }
    sound = {
        name
        for name, scheme in schemes.items()
        if scheme.kind is SchemeKind.COGNITO and not scheme.problem and not scheme.pending
    }
    root = doc.get("security") is not None
    exempt_options = options.exempt_mock_options
    verdicts: list[Verdict] = []
    for op in iter_operations(doc):
        # Fast path for the usual shape (bodies of thousands of operations): one alternative
        # naming one sound scheme with non-blank scopes. judge_operation gives the same verdict;
        # it handles everything else, and OPTIONS when the exemption may apply.
        security = op.definition.get("security")
        if (
            security.__class__ is list
            and len(security) == 1
            and not (exempt_options and op.method == "OPTIONS")
        ):
            alternative = security[0]
            if alternative.__class__ is dict and len(alternative) == 1:
                ((name, scopes),) = alternative.items()
                if (
                    name in sound
                    and scopes.__class__ is list
                    and scopes
                    and _scopes_state(scopes) == "ok"
                ):
                    verdicts.append(_granted(op, ((name, tuple(scopes)),)))
                    continue
        verdicts.append(
            judge_operation(op, schemes, root_security_present=root, options=options, wanted=wanted)
        )
    return verdicts


_new = object.__new__


def _granted(op: Operation, grants: tuple[tuple[str, tuple[str, ...]], ...]) -> Verdict:
    """`Verdict(op, grants=grants)`, built without the frozen dataclass's `__init__`.

    That `__init__` sets each of five fields through `object.__setattr__`, and was a third of
    the time of judging a large body; the object is the same (it compares equal).
    """
    verdict = _new(Verdict)
    verdict.__dict__.update(operation=op, problems=(), pending=(), grants=grants, exempt=None)
    return verdict


ApiKind = Literal["rest", "http"]
_FLAVOURS: dict[ApiKind, tuple[Callable[[str, Any, JudgeOptions], Scheme], str]] = {
    "rest": (classify_scheme, REST_SCHEME_WANTED),
    "http": (classify_jwt_scheme, JWT_SCHEME_WANTED),
}


@dataclass(frozen=True)
class BodyJudgement:
    """The judgement of a whole OpenAPI body as a policy sees it (string, mapping or unknown).

    Exactly one of three states: `error` (the body cannot be read; fail closed), `pending`
    (the body, or its structure, is not known until the update), or `verdicts`.
    """

    verdicts: tuple[Verdict, ...] = ()
    error: str | None = None
    pending: str | None = None


def _structure_unknown(doc: Any) -> bool:
    # Unknowns in the skeleton (version, paths, path items, operations, the scheme section)
    # hide which operations exist; unknowns inside an operation or scheme are judged in place.
    if not isinstance(doc, dict):
        return doc is UNKNOWN
    if any(doc.get(k) is UNKNOWN for k in ("swagger", "openapi", "paths", "securityDefinitions")):
        return True
    components = doc.get("components")
    if components is UNKNOWN or (
        isinstance(components, dict) and components.get("securitySchemes") is UNKNOWN
    ):
        return True
    paths = doc.get("paths")
    if isinstance(paths, dict):
        for item in paths.values():
            if item is UNKNOWN:
                return True
            if isinstance(item, dict) and any(v is UNKNOWN for v in item.values()):
                return True
    return False


def judge_body(
    body: Any, options: JudgeOptions | None = None, source: str = "body"
) -> BodyJudgement:
    """Judge an OpenAPI body given as JSON/YAML text, a parsed mapping, or UNKNOWN.

    A body that is text is only ever wholly known or wholly unknown (an output embedded in a
    string makes the whole string unknown during preview). A mapping may hold UNKNOWN anywhere.
    """
    if body is UNKNOWN:
        return BodyJudgement(
            pending=f"{source} is not known during preview (it is built from values such as the "
            "user pool ARN that exist only after the update)"
        )
    doc: Any = body
    if isinstance(body, str):
        if not body.strip():
            return BodyJudgement(
                error=f"{source} is empty; expected an OpenAPI 2.0 or 3.x document"
            )
        try:
            doc = parse_spec_text(body, source)
        except SpecError as err:
            return BodyJudgement(error=str(err))
        except (RecursionError, ValueError, TypeError) as err:
            return BodyJudgement(error=f"{source}: cannot be parsed ({type(err).__name__})")
    return _judge_parsed(doc, options, source, "rest", audit=False)


def judge_api_body(
    body: Any, options: JudgeOptions | None = None, source: str = "body", api: ApiKind = "rest"
) -> BodyJudgement:
    """Judge a body as a policy must: like `judge_body`, but failing closed on ambiguity.

    Text is read with `parse_body_text` (duplicate keys refused, a byte-order mark dropped) and
    the document with `audit_document` (both version markers, `$ref` path items, upper-case
    operation keys), because API Gateway might read such a body differently from this model.
    `api` is "rest" (Cognito user-pool authorizers) or "http" (HTTP API bodies: JWT authorizers
    whose issuer is a Cognito user pool).
    """
    if body is UNKNOWN or (isinstance(body, str) and not body.strip()):
        return judge_body(body, options, source)
    doc: Any = body
    if isinstance(body, str):
        try:
            doc = parse_body_text(body, source)
        except SpecError as err:
            return BodyJudgement(error=str(err))
        except (RecursionError, ValueError, TypeError) as err:
            return BodyJudgement(error=f"{source}: cannot be parsed ({type(err).__name__})")
    return _judge_parsed(doc, options, source, api, audit=True)


def _judge_parsed(
    doc: Any, options: JudgeOptions | None, source: str, api: ApiKind, *, audit: bool
) -> BodyJudgement:
    if _structure_unknown(doc):
        return BodyJudgement(
            pending=f"{source} has parts (paths, operations or security schemes) that are not "
            "known during preview"
        )
    try:
        doc = validate_document(doc, source)
        if audit:
            faults = audit_document(doc)
            if faults:
                return BodyJudgement(error=f"{source}: " + "; ".join(faults))
        return BodyJudgement(verdicts=tuple(_judge_document(doc, options, api)))
    except SpecError as err:
        return BodyJudgement(error=str(err))
    except RecursionError:
        return BodyJudgement(error=f"{source}: nested too deeply to be judged")
