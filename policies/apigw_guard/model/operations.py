"""Judging OpenAPI operations: does each demand a Cognito access token carrying a scope?

The rules follow what API Gateway's import enforces, not what OpenAPI allows: only an
operation's own `security` counts (the REST import ignores root-level `security`), and a Cognito
authorizer demands an access token only when the method lists scopes (without scopes it accepts
ID tokens). https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enable-cognito-user-pool.html
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from .document import Operation, iter_operations, scheme_section_unknown, security_schemes
from .options import JudgeOptions
from .schemes import (
    Scheme,
    SchemeKind,
    bind_import_region,
    classify_jwt_scheme,
    classify_scheme,
)
from .unknown import UNKNOWN

# Scopes Cognito defines for user sign-in. A method guarded only by these never requires a
# scope of the API's own resource server, so any user-pool token with them gets in.
# https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html
COGNITO_BUILTIN_SCOPES: frozenset[str] = frozenset(
    {"aws.cognito.signin.user.admin", "openid", "email", "profile", "phone"}
)


class Verdict(NamedTuple):
    """The judgement of one operation.

    `problems` are faults (the operation is reachable without the required token); `pending`
    lists parts that cannot be judged until unknown values are known. An operation is protected
    only when both are empty. A named tuple: one is made per operation of every body judged.
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


ApiKind = Literal["rest", "http"]


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
    security = op.definition.get("security")
    if security is UNKNOWN:
        return Verdict(op, pending=("its security is not known yet",))
    fault = _security_list_fault(security, root_security_present)
    if fault is not None:
        return Verdict(op, problems=(fault,))
    found = _Findings()
    assert isinstance(security, list)  # what _security_list_fault leaves
    for index, alternative in enumerate(security):
        _judge_alternative(f"security[{index}]", alternative, schemes, wanted, found)
    return Verdict(
        op, problems=tuple(found.problems), pending=tuple(found.pending), grants=tuple(found.grants)
    )


_SECURITY_FIX = (
    "add operation-level security naming a Cognito authorizer scheme with at least one scope"
)


def _security_list_fault(security: Any, root_security_present: bool) -> str | None:
    """Why an operation's `security` protects nothing as a whole; None if it is a non-empty list."""
    if security is None:
        root = " (root-level security is ignored by API Gateway's import)"
        return (
            f"has no operation-level security{root if root_security_present else ''}; "
            f"{_SECURITY_FIX}"
        )
    if not isinstance(security, list):
        return f"security must be a list, got {security!r}; {_SECURITY_FIX}"
    if not security:
        return f"has an empty security list (anyone may call it); {_SECURITY_FIX}"
    return None


@dataclass
class _Findings:
    """What the alternatives of one operation's security add up to."""

    problems: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    # (Cognito scheme name, its scopes): each alternative that grants access.
    grants: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)


@dataclass
class _Alternative:
    """The schemes one security requirement names, sorted by what API Gateway makes of them."""

    cognito: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    cognito_named: bool = False
    # Schemes API Gateway enforces in another way (IAM, Lambda): (name, kind).
    others: list[tuple[str, SchemeKind]] = field(default_factory=list)
    # Schemes the REST import ignores (oauth2, http, openIdConnect): documentation only.
    ignored: list[str] = field(default_factory=list)


def _judge_alternative(
    where: str,
    alternative: Any,
    schemes: Mapping[str, Scheme],
    wanted: str,
    found: _Findings,
) -> None:
    """Add one security requirement's (`security[i]`) faults, unknowns and grant to `found`."""
    if alternative is UNKNOWN:
        found.pending.append(f"{where} is not known yet")
        return
    if not isinstance(alternative, dict):
        found.problems.append(f"{where} must be a mapping of scheme name to scopes")
        return
    if not alternative:
        found.problems.append(f"{where} is {{}}, which allows anonymous calls; remove it")
        return
    # Counting (not prefix-matching `where`) tells this alternative's findings apart:
    # "security[1]" is a prefix of "security[10]".
    problems_before, pending_before = len(found.problems), len(found.pending)
    named = _Alternative()
    for scheme_name, scopes in alternative.items():
        _sort_scheme(where, scheme_name, scopes, schemes, named, found)
    if named.cognito_named and named.others:
        # A method has exactly one authorization type; AWS does not document which of a
        # Cognito and an IAM or Lambda scheme in one requirement wins. Fail closed.
        others = ", ".join(f"{name!r} (a {kind.value})" for name, kind in named.others)
        found.problems.append(
            f"{where} combines a Cognito scheme with {others}; a method has exactly one "
            "authorization type and AWS does not document which one API Gateway applies, so "
            "the Cognito scopes may not be enforced; keep only the Cognito scheme (an API key "
            "may stay beside it)"
        )
        return
    for name, kind in named.others:
        found.problems.append(f"{where} uses {name!r}, a {kind.value}; use {wanted}")
    if not named.cognito_named and not named.others:
        # Ignored schemes protect nothing on their own; beside Cognito they are documentation.
        for name in named.ignored:
            found.problems.append(
                f"{where} uses {name!r}, a {SchemeKind.NATIVE.value}; use {wanted}"
            )
    if (
        not named.cognito
        and len(found.problems) == problems_before
        and len(found.pending) == pending_before
    ):
        found.problems.append(
            f"{where} names only API-key schemes ({', '.join(map(repr, alternative))}), "
            "which identify callers but do not authorize them; add a Cognito scheme with "
            "scopes"
        )
    if len(named.cognito) > 1:
        found.problems.append(f"{where} names more than one authorizer; a method has exactly one")
    found.grants.extend(named.cognito)


def _sort_scheme(
    where: str,
    scheme_name: str,
    scopes: Any,
    schemes: Mapping[str, Scheme],
    named: _Alternative,
    found: _Findings,
) -> None:
    """File one scheme a requirement names under what it is, judging a Cognito one's scopes."""
    scheme = schemes.get(scheme_name)
    if scheme is None:
        found.problems.append(
            f"{where} references {scheme_name!r}, which is not defined in the document's "
            "security schemes"
        )
        return
    if scheme.problem:
        found.problems.append(f"{where}: {scheme.problem}")
        return
    if scheme.pending:
        found.pending.append(f"{where}: {scheme.pending}")
    if scheme.kind is SchemeKind.API_KEY:
        return  # an API key is an extra requirement, never a substitute
    if scheme.kind is SchemeKind.NATIVE:
        named.ignored.append(scheme_name)
        return
    if scheme.kind is not SchemeKind.COGNITO:
        named.others.append((scheme_name, scheme.kind))
        return
    named.cognito_named = True
    state = _scopes_state(scopes) if isinstance(scopes, list) else None
    if scopes is UNKNOWN or state == "unknown":
        found.pending.append(f"{where}: the scopes of {scheme_name!r}")
    elif not isinstance(scopes, list) or not scopes:
        found.problems.append(
            f"{where} gives {scheme_name!r} no scopes, so it accepts any ID token of the "
            "pool; list at least one resource-server scope"
        )
    elif state != "ok":
        found.problems.append(f"{where} gives {scheme_name!r} a blank scope: {scopes!r}")
    else:
        named.cognito.append((scheme_name, tuple(scopes)))


def document_schemes(
    doc: Mapping[str, Any], options: JudgeOptions, api: ApiKind = "rest"
) -> tuple[Mapping[str, Scheme], JudgeOptions]:
    """A validated document's security schemes as API Gateway makes them, and the options
    with `${AWS::Region}` bound once for the whole document (see `schemes.bind_import_region`).

    `api` is "rest" (Cognito user-pool authorizers) or "http" (HTTP API bodies: JWT authorizers
    whose issuer is a Cognito user pool).
    """
    if scheme_section_unknown(doc):
        return UnknownSchemes(), options
    classify, _ = _FLAVOURS[api]
    section = security_schemes(doc)
    options = bind_import_region(section, options, jwt=api == "http")
    return {name: classify(name, scheme, options) for name, scheme in section.items()}, options


def iter_verdicts(
    doc: Mapping[str, Any],
    schemes: Mapping[str, Scheme],
    options: JudgeOptions,
    api: ApiKind = "rest",
) -> Iterator[Verdict]:
    """Judge every operation of a validated document, one verdict at a time, in order.

    `schemes` and `options` are `document_schemes`'s. On a large body, holding every verdict at
    once makes the garbage collector walk them again and again while the rest are made; a
    consumer that keeps only a summary of each avoids that.
    """
    _, wanted = _FLAVOURS[api]
    sound = {
        name
        for name, scheme in schemes.items()
        if scheme.kind is SchemeKind.COGNITO and not scheme.problem and not scheme.pending
    }
    root = doc.get("security") is not None
    exempt_options = options.exempt_mock_options
    for op in iter_operations(doc):
        # Fast path for the usual shape (bodies of thousands of operations): one alternative
        # naming one sound scheme with non-blank scopes. judge_operation gives the same verdict;
        # it handles everything else, and OPTIONS when the exemption may apply. `make bench`
        # at 4,000 operations: 2.3x the parse-only floor with it, 2.6x without (target <= 3x).
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
                    yield Verdict(op, grants=((name, tuple(scopes)),))
                    continue
        yield judge_operation(
            op, schemes, root_security_present=root, options=options, wanted=wanted
        )


class UnknownSchemes(dict[str, Scheme]):
    """The schemes of a document whose scheme section is not known yet (preview).

    Every name is pending, so an operation that names a scheme waits for the update, while one
    with no security, an empty list or an anonymous `{}` is still a fault now.
    """

    def get(self, name: str, default: Any = None) -> Scheme:
        return Scheme(name, SchemeKind.COGNITO, pending="the security schemes are not known yet")


_FLAVOURS: dict[ApiKind, tuple[Callable[[str, Any, JudgeOptions], Scheme], str]] = {
    "rest": (classify_scheme, REST_SCHEME_WANTED),
    "http": (classify_jwt_scheme, JWT_SCHEME_WANTED),
}
