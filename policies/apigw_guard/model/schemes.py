"""Security schemes and authorizers: what API Gateway makes of them, and which pools they trust.

A REST body's scheme protects a method only as an `apiKey` scheme carrying
`x-amazon-apigateway-authorizer` of type `cognito_user_pools` with `providerARNs`
(https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html);
an HTTP API body's only as a `jwt` authorizer whose issuer is a Cognito user pool
(https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html).
The allowed-pool and issuer checks are `pool_refs`'s, shared with Authorizer resources.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from .options import JudgeOptions
from .pool_refs import ImportVariables, check_issuer, check_pool_arns, document_region
from .unknown import UNKNOWN

COGNITO_AUTHORIZER_TYPE = "cognito_user_pools"


def body_variables(options: JudgeOptions) -> ImportVariables:
    """How the import resolves AWS variables in a body judged with `options`."""
    return ImportVariables(options.import_region)


def bind_import_region(
    schemes: Mapping[str, Any], options: JudgeOptions, jwt: bool = False
) -> JudgeOptions:
    """`options` with `${AWS::Region}` bound once for the document whose schemes these are.

    API Gateway gives a variable one value per import; while the region is open, the one chosen
    makes every trusted pool ARN (REST) or issuer (`jwt`) of the document sound if one can.
    """
    if options.import_region is not None:
        return options
    values: list[str] = []
    for scheme in schemes.values():
        authorizer = (
            scheme.get("x-amazon-apigateway-authorizer") if isinstance(scheme, dict) else None
        )
        if not isinstance(authorizer, dict):
            continue
        if jwt:
            config = authorizer.get("jwtConfiguration")
            trusted = [config.get("issuer")] if isinstance(config, dict) else []
        else:
            arns = authorizer.get("providerARNs")
            trusted = arns if isinstance(arns, list) else []
        values.extend(v for v in trusted if isinstance(v, str))
    bound = document_region(values, ImportVariables(None))
    return replace(options, import_region=bound.region) if bound.region else options


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
    problem = check_pool_arns(
        arns, options.allowed_pool_arns, "providerARNs", body_variables(options)
    )
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
    authtype = scheme.get("x-amazon-apigateway-authtype")
    if authtype is UNKNOWN:
        return Scheme(name, SchemeKind.COGNITO, pending=f"the authtype of security scheme {name!r}")
    if isinstance(authtype, str) and authtype.lower() == "awssigv4":
        # As for REST bodies: IAM and an authorizer on one scheme, and AWS does not document
        # which one API Gateway applies. Fail closed.
        return Scheme(
            name,
            SchemeKind.INVALID,
            problem=f"scheme {name!r} has x-amazon-apigateway-authtype {authtype!r} (IAM) and an "
            "x-amazon-apigateway-authorizer, and AWS does not document which one API Gateway "
            "applies; remove the authtype",
        )
    if authorizer.get("type") != "jwt":
        return Scheme(name, SchemeKind.LAMBDA)
    config = authorizer.get("jwtConfiguration")
    issuer = config.get("issuer") if isinstance(config, dict) else None
    if issuer is UNKNOWN or (isinstance(config, dict) and UNKNOWN in config.values()):
        return Scheme(name, SchemeKind.COGNITO, pending=f"the JWT issuer of scheme {name!r}")
    problem = check_issuer(issuer, options.allowed_pool_arns, body_variables(options))
    if problem:
        return Scheme(name, SchemeKind.COGNITO, problem=f"scheme {name!r} {problem}")
    return Scheme(name, SchemeKind.COGNITO, provider_arns=(str(issuer),))
