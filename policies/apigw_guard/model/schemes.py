"""Security schemes and authorizers: what API Gateway makes of them, and which pools they trust.

A REST body's scheme protects a method only as an `apiKey` scheme carrying
`x-amazon-apigateway-authorizer` of type `cognito_user_pools` with `providerARNs`
(https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html);
an HTTP API body's only as a `jwt` authorizer whose issuer is a Cognito user pool
(https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html).
The allowed-pool and issuer checks live here once, for bodies and Authorizer resources alike.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .options import JudgeOptions
from .unknown import UNKNOWN

COGNITO_AUTHORIZER_TYPE = "cognito_user_pools"

# An AWS region code: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `us-isob-east-1`. A looser
# `[a-z0-9-]+` let `cognito-idp.s3.amazonaws.com` (an S3 bucket host anyone can serve JSON
# from) pass as a Cognito issuer.
# https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
REGION = r"[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}"
# The issuer of a Cognito user pool's tokens, and a user pool ARN; both name the pool id, whose
# prefix is the pool's region. `\Z`, not `$`, which would accept a trailing newline.
# https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
COGNITO_ISSUER = re.compile(
    rf"^https://cognito-idp\.(?P<region>{REGION})\.amazonaws\.com/"
    r"(?P<pool>(?P=region)_[A-Za-z0-9]+)\Z"
)
POOL_ARN = re.compile(
    rf"^arn:aws[a-z-]*:cognito-idp:(?P<region>{REGION}):\d{{12}}:userpool/"
    r"(?P<pool>(?P=region)_[A-Za-z0-9]+)\Z"
)
ALLOWED_LIST = "the allowed list (allowedUserPoolArns)"


def pool_id_of_arn(arn: str) -> str | None:
    match = POOL_ARN.fullmatch(arn)
    return match.group("pool") if match else None


def check_pool_arns(arns: Any, allowed: Collection[str] | None, field: str) -> str | None:
    """Why a known list of user pool ARNs (`field`) cannot be trusted, or None if it can.

    `allowed` None accepts any pool. The problem reads after its subject, e.g.
    `scheme 'pool' <problem>` or `its authorizer <problem>`.
    """
    if not isinstance(arns, list) or not arns:
        return f"has no {field}; list the user pool ARN(s)"
    if not all(isinstance(arn, str) and arn.strip() for arn in arns):
        return f"has a blank or non-string {field} entry: {arns!r}"
    malformed = [arn for arn in arns if not POOL_ARN.match(arn)]
    if malformed:
        return (
            f"has {field} that are not user pool ARNs "
            "(arn:aws:cognito-idp:<region>:<account>:userpool/<region>_<id>, with a real AWS "
            f"region and the pool id's region equal to it): {', '.join(malformed)}"
        )
    if allowed is not None:
        outside = [arn for arn in arns if arn not in allowed]
        if outside:
            return f"trusts user pool(s) outside {ALLOWED_LIST}: {', '.join(outside)}"
    return None


def check_issuer(issuer: Any, allowed: Collection[str] | None) -> str | None:
    """Why a known JWT issuer is not a trusted Cognito user pool, or None if it is.

    The issuer must be `https://cognito-idp.<region>.amazonaws.com/<pool-id>`; with `allowed`
    set, the pool id must be that of an allowed ARN. Reads after its subject, like
    `check_pool_arns`.
    """
    match = COGNITO_ISSUER.fullmatch(issuer) if isinstance(issuer, str) else None
    if not match:
        return (
            f"has JWT issuer {issuer!r}, which is not a Cognito user pool "
            "(exactly https://cognito-idp.<region>.amazonaws.com/<region>_<id>, with a real "
            "AWS region and the pool id's region equal to it)"
        )
    if allowed is not None and match.group("pool") not in {pool_id_of_arn(a) for a in allowed}:
        return f"trusts JWT issuer {issuer!r}, a user pool outside {ALLOWED_LIST}"
    return None


class SchemeKind(Enum):
    """What API Gateway makes of a security scheme."""

    COGNITO = "Cognito user-pool authorizer"
    API_KEY = "API key"
    # `x-amazon-apigateway-authtype: awsSigv4` on an apiKey scheme: IAM authorization.
    # https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authtype.html
    IAM = "IAM (awsSigv4) scheme"
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
    """Say what a security scheme of a REST API body turns into once API Gateway imports it."""
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
    authtype = scheme.get("x-amazon-apigateway-authtype")
    if authtype is UNKNOWN:
        return Scheme(name, SchemeKind.COGNITO, pending=f"the authtype of security scheme {name!r}")
    sigv4 = isinstance(authtype, str) and authtype.lower() == "awssigv4"
    if authorizer is None:
        return Scheme(name, SchemeKind.IAM if sigv4 else SchemeKind.API_KEY)
    if sigv4:
        return Scheme(
            name,
            SchemeKind.INVALID,
            problem=f"scheme {name!r} has x-amazon-apigateway-authtype {authtype!r} (IAM) and an "
            "x-amazon-apigateway-authorizer, and AWS does not document which one API Gateway "
            "applies; remove the authtype or set it to cognito_user_pools",
        )
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
    arns: Any = authorizer.get("providerARNs")
    if arns is UNKNOWN or (isinstance(arns, list) and any(arn is UNKNOWN for arn in arns)):
        return Scheme(name, SchemeKind.COGNITO, pending=f"the user pool ARNs of scheme {name!r}")
    problem = check_pool_arns(arns, options.allowed_pool_arns, "providerARNs")
    if problem:
        return Scheme(name, SchemeKind.COGNITO, problem=f"scheme {name!r} {problem}")
    return Scheme(name, SchemeKind.COGNITO, provider_arns=tuple(arns))


def classify_jwt_scheme(name: str, scheme: Any, options: JudgeOptions | None = None) -> Scheme:
    """Say what a security scheme of an HTTP API body turns into once API Gateway imports it.

    Only `x-amazon-apigateway-authorizer` of type `jwt` whose `jwtConfiguration.issuer` is a
    Cognito user pool counts (see `check_issuer`). `request` authorizers are Lambda authorizers.
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
    problem = check_issuer(issuer, options.allowed_pool_arns)
    if problem:
        return Scheme(name, SchemeKind.COGNITO, problem=f"scheme {name!r} {problem}")
    return Scheme(name, SchemeKind.COGNITO, provider_arns=(str(issuer),))
