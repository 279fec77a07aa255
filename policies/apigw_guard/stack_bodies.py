"""What a stack policy needs from an OpenAPI body: the pools its schemes trust, its scopes.

The stack advisories on user flows and on pools the stack does not create read every body of
the stack (REST and HTTP APIs) in AnalyzeStack. A body is read with the same strict model as
the guarantee policies; a body that cannot be read is theirs to report (failing closed), so it
yields nothing here. The summary keeps plain strings only and is cached by the body's text, so
the two advisories parse a body once per run.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from .model.bodies import BodyJudgement, pending_parts, read_api_body
from .model.document import scheme_section_unknown, security_schemes
from .model.operations import ApiKind, iter_verdicts
from .model.options import JudgeOptions
from .model.pool_refs import ImportVariables, issuer_pool_id, pool_id_of_arn
from .model.schemes import SchemeKind, bind_import_region, classify_jwt_scheme, classify_scheme
from .model.unknown import UNKNOWN


@dataclass(frozen=True)
class BodySummary:
    """A body's trusted pools and granting scopes; `*_pending` say what is not known yet.

    `trusts` lists (scheme name, user pool ARN or JWT issuer as written, its pool id with AWS
    variables resolved) for every sound Cognito scheme (REST: `providerARNs`; HTTP: the
    issuer), whether or not an operation names it: a defined scheme is an authorizer API
    Gateway creates. `grants` lists (operation key, the scopes any
    one of which lets a token in).
    """

    trusts: tuple[tuple[str, str, str | None], ...] = ()
    trusts_pending: tuple[str, ...] = ()
    grants: tuple[tuple[str, tuple[str, ...]], ...] = ()
    grants_pending: tuple[str, ...] = ()


def _summarize(body: Any, source: str, api: ApiKind, region: str | None) -> BodySummary:
    doc = read_api_body(body, source)
    if isinstance(doc, BodyJudgement):
        pending = (doc.pending,) if doc.pending else ()
        return BodySummary(trusts_pending=pending, grants_pending=pending)
    # Any pool: which pools are trusted is the question here.
    options = JudgeOptions(import_region=region)
    classify = classify_scheme if api == "rest" else classify_jwt_scheme
    trusts: list[tuple[str, str, str | None]] = []
    trusts_pending: list[str] = []
    if scheme_section_unknown(doc):
        trusts_pending.append(f"{source}: its security schemes")
    else:
        section = security_schemes(doc)
        options = bind_import_region(section, options, jwt=api == "http")
        for name, definition in section.items():
            scheme = classify(name, definition, options)
            if scheme.kind is not SchemeKind.COGNITO or scheme.problem:
                continue  # not a user-pool authorizer, or a fault the guarantee reports
            if scheme.pending:
                trusts_pending.append(f"{source}: {scheme.pending}")
                continue
            variables = ImportVariables(options.import_region)
            pool_of = pool_id_of_arn if api == "rest" else issuer_pool_id
            trusts.extend((name, v, pool_of(v, variables)) for v in scheme.provider_arns)
    grants: list[tuple[str, tuple[str, ...]]] = []
    grants_pending = [f"{source}: {part}" for part in pending_parts(doc)]
    try:
        for verdict in iter_verdicts(doc, options, api):
            if verdict.pending:
                grants_pending.append(f"{source}: {verdict.operation.key}")
            if verdict.grants:
                grants.append((verdict.operation.key, verdict.granting_scopes))
    except RecursionError:
        return BodySummary(trusts=tuple(trusts), trusts_pending=tuple(trusts_pending))
    return BodySummary(
        trusts=tuple(trusts),
        trusts_pending=tuple(trusts_pending),
        grants=tuple(grants),
        grants_pending=tuple(grants_pending),
    )


# A stack usually has one or two bodies; both advisories ask for each in one run.
_summary_of_text = functools.lru_cache(maxsize=4)(_summarize)


def body_summary(
    body: Any, source: str, api: ApiKind, region: str | None = None
) -> BodySummary | None:
    """The summary of a resource's `body` (text, mapping or UNKNOWN); None without a body.

    `region` is the region the body is imported in (for `${AWS::Region}`), when known.
    """
    if body is None:
        return None
    if isinstance(body, str):
        return _summary_of_text(body, source, api, region)
    if body is UNKNOWN or isinstance(body, dict):
        return _summarize(body, source, api, region)
    return None
