"""User pool ARNs and Cognito issuers: reading them exactly, AWS variables included.

An authorizer trusts a user pool through its ARN (REST: `providerArns`, `providerARNs`) or its
token issuer (HTTP APIs: `jwtConfiguration.issuer`). Both are read exactly, so a look-alike (an
S3 bucket host, a trailing newline) fails; both forms of issuer Cognito documents are accepted:
ORIGINAL `https://cognito-idp.<region>.<suffix>/<pool-id>` and UPDATED
`https://issuer-cognito-idp.<region>.<suffix>/<pool-id>`
(https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html,
IssuerConfigurationType). An issuer's region is its pool's region. A pool ARN's region and its
pool id's region are each a region of the ARN's partition, and may differ: a replica of
multi-Region replication shares the primary's pool id (whose prefix names the primary region).

Inside an OpenAPI body API Gateway resolves `${AWS::Region}`, `${AWS::Partition}` and
`${AWS::AccountId}` when it imports it
(https://docs.aws.amazon.com/apigateway/latest/developerguide/import-api-aws-variables.html).
`ImportVariables` says what the region is (the resource's `region`, else its provider's), or
leaves it open: a value is then sound if some region makes it sound, and one variable has one
value in the whole document. Authorizer resources are not imported: their values are literal.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from .regions import PARTITION_BY_ID, SAMPLE_REGIONS, is_region_of, partition_of

REGION_VAR = "${AWS::Region}"
PARTITION_VAR = "${AWS::Partition}"
ACCOUNT_VAR = "${AWS::AccountId}"
AWS_VARIABLES = (REGION_VAR, PARTITION_VAR, ACCOUNT_VAR)
# Stands for an account the import resolves: any 12 digits; matched against any allowed account.
_ANY_ACCOUNT = "000000000000"

_ARN = re.compile(
    r"arn:(?P<partition>[a-z-]+):cognito-idp:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"userpool/(?P<pool>(?P<pool_region>[a-z0-9-]+)_[A-Za-z0-9]+)"
)
_ISSUER = re.compile(
    r"https://(?:issuer-)?cognito-idp\.(?P<region>[a-z0-9-]+)\.(?P<suffix>[a-z0-9.-]+)/"
    r"(?P<pool>(?P<pool_region>[a-z0-9-]+)_[A-Za-z0-9]+)"
)
_LITERAL_REGION = re.compile(r"[a-z]{2,4}(?:-[a-z]+)+-\d+")

ARN_FORM = (
    "arn:<partition>:cognito-idp:<region>:<account>:userpool/<region>_<id>, with regions of "
    "that partition"
)
ISSUER_FORM = (
    "https://cognito-idp.<region>.<partition's DNS suffix>/<region>_<id>, or the same with "
    "issuer-cognito-idp, the pool id's region equal to the issuer's"
)
ALLOWED_LIST = "the allowed list (allowedUserPoolArns)"


@dataclass(frozen=True)
class ImportVariables:
    """AWS variables as API Gateway's import resolves them; `region` None: any region."""

    region: str | None = None


@dataclass(frozen=True)
class PoolArn:
    """A sound user pool ARN; `account` None when it was `${AWS::AccountId}` (any account)."""

    partition: str
    region: str
    account: str | None
    pool_id: str


@functools.lru_cache(maxsize=4096)  # a stack's authorizers repeat a few pools many times
def parse_pool_arn(arn: str, variables: ImportVariables | None = None) -> PoolArn | None:
    """The ARN's parts if it is a sound user pool ARN (for some value of its variables)."""
    for text in _resolutions(arn, variables):
        match = _ARN.fullmatch(text)
        if not match:
            continue
        partition = PARTITION_BY_ID.get(match["partition"])
        if partition is None:
            continue
        if not (
            is_region_of(match["region"], partition)
            and is_region_of(match["pool_region"], partition)
        ):
            continue
        account = None if ACCOUNT_VAR in arn else match["account"]
        return PoolArn(partition.id, match["region"], account, match["pool"])
    return None


@functools.lru_cache(maxsize=4096)
def issuer_pool_id(issuer: str, variables: ImportVariables | None = None) -> str | None:
    """The pool id of a sound Cognito issuer (for some value of its variables), else None."""
    for text in _resolutions(issuer, variables):
        match = _ISSUER.fullmatch(text)
        if not match:
            continue
        partition = partition_of(match["region"])
        if (
            partition is not None
            and match["suffix"] == partition.dns_suffix
            and match["pool_region"] == match["region"]
        ):
            return match["pool"]
    return None


def pool_id_of_arn(arn: str, variables: ImportVariables | None = None) -> str | None:
    parsed = parse_pool_arn(arn, variables)
    return parsed.pool_id if parsed else None


def allowed(arn: PoolArn, allowlist: Collection[str]) -> bool:
    """Whether a sound ARN is on the allowlist; an account left to the import matches any."""
    for entry in allowlist:
        listed = parse_pool_arn(entry)
        if listed is None:
            continue
        if (listed.partition, listed.region, listed.pool_id) == (
            arn.partition,
            arn.region,
            arn.pool_id,
        ) and arn.account in (None, listed.account):
            return True
    return False


def check_pool_arns(
    arns: object,
    allowlist: Collection[str] | None,
    field: str,
    variables: ImportVariables | None = None,
) -> str | None:
    """Why a known list of user pool ARNs (`field`) cannot be trusted, or None if it can.

    `allowlist` None accepts any pool. The problem reads after its subject, e.g.
    `scheme 'pool' <problem>` or `Authorizer 'cognito' <problem>`.
    """
    if not isinstance(arns, list) or not arns:
        return f"has no {field}; list the user pool ARN(s)"
    if not all(isinstance(arn, str) and arn.strip() for arn in arns):
        return f"has a blank or non-string {field} entry: {arns!r}"
    parsed = [(arn, parse_pool_arn(arn, variables)) for arn in arns]
    malformed = [arn for arn, p in parsed if p is None]
    if malformed:
        return (
            f"has {field} that are not user pool ARNs ({ARN_FORM}{_resolved(variables)}): "
            f"{', '.join(malformed)}{_unresolved_hint(malformed, variables)}"
        )
    if allowlist is not None:
        outside = [arn for arn, p in parsed if p is not None and not allowed(p, allowlist)]
        if outside:
            return f"trusts user pool(s) outside {ALLOWED_LIST}: {', '.join(outside)}"
    return None


def check_issuer(
    issuer: object, allowlist: Collection[str] | None, variables: ImportVariables | None = None
) -> str | None:
    """Why a known JWT issuer is not a trusted Cognito user pool, or None if it is.

    With `allowlist` set, the pool id must be that of an allowed ARN. Reads after its subject,
    like `check_pool_arns`.
    """
    pool = issuer_pool_id(issuer, variables) if isinstance(issuer, str) else None
    if pool is None:
        hint = _unresolved_hint([issuer], variables) if isinstance(issuer, str) else ""
        return (
            f"has JWT issuer {issuer!r}, which is not a Cognito user pool "
            f"({ISSUER_FORM}{_resolved(variables)}){hint}"
        )
    if allowlist is not None and pool not in {pool_id_of_arn(a) for a in allowlist}:
        return f"trusts JWT issuer {issuer!r}, a user pool outside {ALLOWED_LIST}"
    return None


def document_region(values: Iterable[str], variables: ImportVariables) -> ImportVariables:
    """Bind `${AWS::Region}` once for a whole document whose region is open.

    API Gateway gives a variable one value per import, so the region chosen is one under which
    every value that uses it is sound (ARNs and issuers alike), if there is one; otherwise the
    one that makes the first such value sound, so the others report the conflict.
    """
    if variables.region is not None:
        return variables
    using = [v for v in values if REGION_VAR in v]
    if not using:
        return variables
    candidates = _candidate_regions(" ".join(using))
    first: str | None = None
    for region in candidates:
        bound = ImportVariables(region)
        sound = [_sound(v, bound) for v in using]
        if all(sound):
            return bound
        if first is None and sound[0]:
            first = region
    return ImportVariables(first) if first is not None else variables


def _sound(value: str, variables: ImportVariables) -> bool:
    if value.startswith("arn:"):
        return parse_pool_arn(value, variables) is not None
    return issuer_pool_id(value, variables) is not None


def _resolutions(text: str, variables: ImportVariables | None) -> Iterator[str]:
    """`text` with its AWS variables replaced, once per region worth trying."""
    if variables is None or "${" not in text:
        yield text
        return
    regions = [variables.region] if variables.region else _candidate_regions(text)
    for region in regions:
        partition = partition_of(region)
        if partition is None:
            continue
        yield (
            text.replace(REGION_VAR, region)
            .replace(PARTITION_VAR, partition.id)
            .replace(ACCOUNT_VAR, _ANY_ACCOUNT)
        )


def _candidate_regions(text: str) -> list[str]:
    """Regions written in `text`, then one of each partition: enough to decide whether some
    value of `${AWS::Region}` makes a value sound (soundness depends on a region only through
    its partition and its equality with the regions written beside it)."""
    literal = [r for r in _LITERAL_REGION.findall(text) if partition_of(r) is not None]
    return list(dict.fromkeys([*literal, *SAMPLE_REGIONS]))


def _resolved(variables: ImportVariables | None) -> str:
    if variables is None:
        return ""
    if variables.region is None:
        return "; AWS variables resolved with any region"
    return f"; AWS variables resolved with ${{AWS::Region}} = {variables.region}"


def _unresolved_hint(values: Iterable[object], variables: ImportVariables | None) -> str:
    values = list(values)
    if variables is None and any(
        isinstance(v, str) and any(var in v for var in AWS_VARIABLES) for v in values
    ):
        return (
            " (AWS variables are resolved only where API Gateway imports an OpenAPI body; "
            "here the value is taken literally)"
        )
    unknown = sorted(
        {
            var
            for value in values
            if isinstance(value, str)
            for var in re.findall(r"\$\{[^}]*\}", value)
            if var not in AWS_VARIABLES
        }
    )
    if not unknown:
        return ""
    return (
        f" ({', '.join(unknown)} is not resolved: API Gateway resolves only "
        f"{', '.join(AWS_VARIABLES)})"
    )
