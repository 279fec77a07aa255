"""One OpenAPI body, summarized once: what every reader of a body needs of it.

The pack's body policies (faults per operation), the built-in-scopes advisory (granting
scopes), the stack advisories (pools the schemes trust, scopes per operation), the program's
self-check of the body it builds and the report (status per operation) all read a body through
`summarize_body`, so they agree to the letter. A summary holds plain strings only, never the
parsed document (tens of MiB for a body of tens of thousands of operations), and the summary of
a text body is cached per process: the policies that read one body in one Analyze or
AnalyzeStack call parse it once.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from .body_reading import Unreadable, read_api_body, unknown_parts
from .operations import (
    COGNITO_BUILTIN_SCOPES,
    ApiKind,
    UnknownSchemes,
    document_schemes,
    iter_verdicts,
)
from .options import JudgeOptions
from .pool_refs import ImportVariables, issuer_pool_id, pool_id_of_arn
from .schemes import Scheme, SchemeKind


class OperationSummary(NamedTuple):
    """One operation: `problems` (it is reachable without the required token), `pending` (parts
    not known until the update), `scopes` (every scope that lets a token in, any one suffices),
    `builtin_scopes` (the Cognito built-in ones among them: `openid`, ...) and `exempt` (why the
    policy exempts it, when it does). A named tuple: a body of thousands of operations makes
    one each, and a tuple is the cheapest record to make."""

    method: str
    path: str
    scopes: tuple[str, ...] = ()
    builtin_scopes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()
    exempt: str | None = None

    @property
    def key(self) -> str:
        """`METHOD /path`."""
        return f"{self.method} {self.path}"

    @property
    def protected(self) -> bool:
        return not self.problems and not self.pending and self.exempt is None


@dataclass(frozen=True, slots=True)
class Trust:
    """A pool a sound Cognito scheme trusts: the scheme, the user pool ARN (REST) or JWT issuer
    (HTTP) as written, and its pool id with AWS variables resolved (None: not a pool)."""

    scheme: str
    value: str
    pool_id: str | None


@dataclass(frozen=True)
class BodySummary:
    """A whole body. `error` (it cannot be read: fail closed) or `pending` (it, or its version or
    paths, is not known until the update) leaves nothing else. Otherwise `operations` are the
    known operations in document order, `unknown_parts` the path items and operations not known
    until the update, `trusts` the pools of every sound Cognito scheme (defined schemes are
    authorizers API Gateway creates, named by an operation or not) and `trusts_pending` the
    schemes whose pools are not known yet."""

    error: str | None = None
    pending: str | None = None
    operations: tuple[OperationSummary, ...] = ()
    unknown_parts: tuple[str, ...] = ()
    trusts: tuple[Trust, ...] = ()
    trusts_pending: tuple[str, ...] = ()

    @property
    def faults(self) -> tuple[OperationSummary, ...]:
        """The operations with a fault or a part not known until the update."""
        return tuple(op for op in self.operations if op.problems or op.pending)


def summarize_body(
    body: Any, options: JudgeOptions | None = None, source: str = "body", api: ApiKind = "rest"
) -> BodySummary:
    """Summarize an OpenAPI body given as JSON/YAML text, a parsed mapping, or UNKNOWN.

    `options` are the judging policy's (its exemption, its allowlist, the import region);
    `source` names the body in messages; `api` is "rest" (Cognito user-pool authorizers) or
    "http" (JWT authorizers whose issuer is a Cognito user pool). Text is cached by its value.
    """
    options = options or JudgeOptions()
    if isinstance(body, str):
        return _summarize_text(body, options, source, api)
    return _summarize(body, options, source, api)


def _summarize(body: Any, options: JudgeOptions, source: str, api: ApiKind) -> BodySummary:
    doc = read_api_body(body, source)
    if isinstance(doc, Unreadable):
        return BodySummary(error=doc.error, pending=doc.pending)
    try:
        schemes, options = document_schemes(doc, options, api)
        operations = tuple(_operations(doc, schemes, options, api))
    except RecursionError:
        return BodySummary(error=f"{source}: nested too deeply to be judged")
    trusts, trusts_pending = _trusts(schemes, options, source, api)
    return BodySummary(
        operations=operations,
        unknown_parts=tuple(unknown_parts(doc)),
        trusts=trusts,
        trusts_pending=trusts_pending,
    )


# A stack usually has one or two bodies; the policies of one call ask for each with the same
# options, and the stack advisories for each again with theirs.
_summarize_text = functools.lru_cache(maxsize=4)(_summarize)


def _operations(
    doc: dict[str, Any], schemes: Mapping[str, Scheme], options: JudgeOptions, api: ApiKind
) -> Iterator[OperationSummary]:
    # Each verdict is dropped once summarized (see `iter_verdicts`). A body's scope lists
    # repeat: each distinct one is kept once, with its built-in scopes found once.
    builtin_of: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    builtins = COGNITO_BUILTIN_SCOPES
    for verdict in iter_verdicts(doc, schemes, options, api):
        op = verdict.operation
        # One grant (the usual shape) needs no merging.
        granting = verdict.grants[0][1] if len(verdict.grants) == 1 else verdict.granting_scopes
        shared = builtin_of.get(granting)
        if shared is None:
            shared = (granting, tuple(s for s in granting if s in builtins))
            builtin_of[granting] = shared
        scopes, builtin = shared
        if verdict.problems or verdict.pending or verdict.exempt:
            yield OperationSummary(
                op.method,
                op.path,
                scopes,
                builtin,
                verdict.problems,
                verdict.pending,
                verdict.exempt,
            )
        else:
            yield OperationSummary(op.method, op.path, scopes, builtin)


def _trusts(
    schemes: Mapping[str, Scheme], options: JudgeOptions, source: str, api: ApiKind
) -> tuple[tuple[Trust, ...], tuple[str, ...]]:
    if isinstance(schemes, UnknownSchemes):
        return (), (f"{source}: its security schemes",)
    variables = ImportVariables(options.import_region)
    pool_of = pool_id_of_arn if api == "rest" else issuer_pool_id
    trusts: list[Trust] = []
    pending: list[str] = []
    for name, scheme in schemes.items():
        if scheme.kind is not SchemeKind.COGNITO or scheme.problem:
            continue  # not a user-pool authorizer, or a fault the body policies report
        if scheme.pending:
            pending.append(f"{source}: {scheme.pending}")
            continue
        trusts.extend(Trust(name, v, pool_of(v, variables)) for v in scheme.provider_arns)
    return tuple(trusts), tuple(pending)
