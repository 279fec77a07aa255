"""Which backends receive the caller's access token, and the override that keeps it from the rest.

An HTTP proxy integration passes the whole method request to its backend, `Authorization`
header included, so every caller's bearer token (replayable until it expires) reaches the
backend; over `http://` it also crosses the network in clear text. A request parameter
`integration.request.header.Authorization` set to a static value replaces the header before
the request leaves API Gateway; request-parameter mapping works for proxy and non-proxy
integrations alike, and a static value is a string literal in single quotes:
https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-parameter-mapping.html
https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-parameter-mapping-sources.html

Rules, for every `http`/`http_proxy` integration of any spec:

* a backend whose URI is not literally `https://` (plain `http://`, or a scheme hidden in a
  stage variable, which might be `http://`) never gets the token: the header is overridden;
* an `https://` backend gets it, unless its host is listed in `withholdTokenFromHosts` (or the
  list is `["*"]`), or the spec itself maps the header to something else;
* where the token is withheld, nothing else may copy it either: a request parameter or a
  request template that reads the caller's `Authorization` header is refused.

Plain functions over dicts: the program applies them before any resource exists, the report
reads the same answers back from the body the program registered.
"""

from __future__ import annotations

import copy
import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from apigw_guard.model.document import SpecError, iter_operations
from apigw_guard.model.errors import InputError

INTEGRATION_EXTENSION = "x-amazon-apigateway-integration"
AUTHORIZATION_PARAMETER = "integration.request.header.Authorization"
# What the backend receives instead of the token. Non-empty, because API Gateway documents a
# static value as a quoted string literal and not an empty one; a bare RFC 9110 auth-scheme
# token, so the header still parses; no scheme any server accepts (not Basic, not Bearer), so
# it can never pass for credentials; and it says in the backend's own logs what happened.
WITHHELD_VALUE = "Withheld-by-API-Gateway"
WITHHELD_STATIC = f"'{WITHHELD_VALUE}'"
HTTP_TYPES = frozenset({"http", "http_proxy"})
ALL_HTTPS_HOSTS = "*"
CONFIG_KEY = "withholdTokenFromHosts"

# Token handling per operation, as the report shows it.
WITHHELD = "withheld"
FORWARDED = "forwarded"
MAPPED_ONLY = "only if mapped"
NOT_SENT = "not sent"

_AUTHORIZATION_SOURCES = {
    "method.request.header.authorization",
    "method.request.multivalueheader.authorization",
}
# A mapping template that names the header, or dumps every parameter ($input.params() with no
# argument returns the headers too), hands the token to the backend in the request body.
_TEMPLATE_READS_TOKEN = re.compile(r"authorization|\$!?\{?input\.params\(\s*\)", re.IGNORECASE)
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")


class TokenForwardingError(InputError):
    """`withholdTokenFromHosts` names something that is not an https backend host of the spec."""


@dataclass(frozen=True)
class BackendToken:
    """What one operation's backend receives of the caller's token, and why.

    `token` is `withheld`, `forwarded`, `only if mapped` (a non-proxy integration sends only
    the headers it maps) or `not sent` (mock, no integration); `reason` says why in a few words.
    """

    operation: str
    integration: str
    uri: str
    token: str
    reason: str

    @property
    def over_plain_http(self) -> bool:
        """The token crosses the network unencrypted: the one state the program never builds."""
        return (
            self.token == FORWARDED
            and self.integration in HTTP_TYPES
            and backend_scheme(self.uri) != "https"
        )


def backend_scheme(uri: str) -> str:
    """`https`, `http`, or `unknown` (a stage variable or anything else before the `://`)."""
    scheme, sep, _ = uri.partition("://")
    lowered = scheme.lower()
    return lowered if sep and lowered in ("http", "https") else "unknown"


def backend_host(uri: str) -> str | None:
    """The backend's host name, lower case; None when a stage variable hides it."""
    if "${" in uri.partition("://")[2].partition("/")[0]:
        return None
    try:
        host = urllib.parse.urlsplit(uri).hostname
    except ValueError:
        return None
    return host.rstrip(".") if host else None


def parse_withheld_hosts(key: str, value: Any) -> tuple[str, ...]:
    """The `withholdTokenFromHosts` config value: host names, or `["*"]` for every https host."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TokenForwardingError(
            f"{key}: expected a list of host names (e.g. [api.partner.example]) or ['*'], "
            f"got {value!r}"
        )
    if ALL_HTTPS_HOSTS in value and value != [ALL_HTTPS_HOSTS]:
        raise TokenForwardingError(
            f"{key}: '*' already means every https:// backend; list it alone, got {value!r}"
        )
    hosts: list[str] = []
    for entry in value:
        if entry == ALL_HTTPS_HOSTS:
            hosts.append(entry)
            continue
        host = entry.strip().lower().rstrip(".")
        if "://" in host or "/" in host or ":" in host or not _HOST.match(host):
            hint = backend_host(entry) if "://" in entry else None
            suggestion = f"; did you mean {hint!r}?" if hint else ""
            raise TokenForwardingError(
                f"{key}: {entry!r} is not a host name; expected the host alone, as in an "
                f"integration URI's https://<host>/... (no scheme, port or path){suggestion}"
            )
        hosts.append(host)
    return tuple(dict.fromkeys(hosts))


def withhold_tokens(
    doc: Mapping[str, Any], withheld_hosts: Sequence[str] = (), source: str = "OpenAPI document"
) -> tuple[dict[str, Any], tuple[BackendToken, ...]]:
    """A copy of `doc` whose HTTP integrations never give the caller's token to a backend that
    must not have it, and what every operation's backend receives.

    Raises `SpecError` for an integration the program cannot judge (not a mapping, a `$ref`,
    which REST API import does not resolve) or one that copies a withheld token elsewhere, and
    `TokenForwardingError` for a configured host that no https integration of `doc` uses.
    """
    result = copy.deepcopy(dict(doc))
    every_https = ALL_HTTPS_HOSTS in withheld_hosts
    listed = set(withheld_hosts) - {ALL_HTTPS_HOSTS}
    decisions: list[BackendToken] = []
    https_hosts: set[str] = set()
    for op in iter_operations(result):
        integration = _integration(op.key, op.definition, source)
        if integration is None or _type(integration) not in HTTP_TYPES:
            decisions.append(_describe(op.key, integration))
            continue
        uri = _uri(integration)
        scheme, host = backend_scheme(uri), backend_host(uri)
        if scheme == "https" and host:
            https_hosts.add(host)
        if scheme == "http":
            why = "http:// backend: the token would cross the network in clear text"
        elif scheme == "unknown":
            why = "backend scheme unknown until deploy (may be http://)"
        elif every_https:
            why = f"{CONFIG_KEY}: '*'"
        elif host in listed:
            why = f"{CONFIG_KEY}: {host}"
        else:
            decisions.append(_describe(op.key, integration))
            continue
        _refuse_copies(op.key, integration, source)
        replaced = _override_authorization(integration)
        if replaced:
            why += "; the spec's own Authorization mapping replaced"
        decisions.append(BackendToken(op.key, _type(integration), uri, WITHHELD, why))
    unused = sorted(listed - https_hosts)
    if unused:
        raise TokenForwardingError(
            f"{CONFIG_KEY}: {', '.join(repr(h) for h in unused)} is not the host of any "
            f"https:// HTTP integration in {source} (https hosts there: "
            f"{', '.join(sorted(https_hosts)) or 'none'}); remove it or fix the spelling"
        )
    return result, tuple(decisions)


def backend_tokens(doc: Mapping[str, Any]) -> tuple[BackendToken, ...]:
    """What each operation's backend receives of the token, read from a body as deployed.

    For the report: no knowledge of the stack config, only of what the body says.
    """
    decisions = []
    for op in iter_operations(doc):
        integration = op.definition.get(INTEGRATION_EXTENSION)
        if integration is not None and not _is_plain_integration(integration):
            decisions.append(
                BackendToken(op.key, "?", "", "unknown", "integration is not a plain mapping")
            )
            continue
        decisions.append(_describe(op.key, integration))
    return tuple(decisions)


def _describe(key: str, integration: Mapping[str, Any] | None) -> BackendToken:
    """The token's fate for one integration as it stands."""
    if integration is None:
        return BackendToken(key, "none", "", NOT_SENT, "no integration")
    kind, uri = _type(integration), _uri(integration)
    if kind == "mock":
        return BackendToken(key, kind, uri, NOT_SENT, "mock: answered by API Gateway")
    mapping = _authorization_mapping(integration)
    if mapping is not None and mapping.strip().lower() not in _AUTHORIZATION_SOURCES:
        shown = "a static value" if mapping.strip().startswith("'") else mapping.strip()[:60]
        notes = {"http": " (http:// backend)", "unknown": " (scheme unknown until deploy)"}
        note = notes.get(backend_scheme(uri), "") if kind in HTTP_TYPES else ""
        return BackendToken(
            key, kind, uri, WITHHELD, f"Authorization overridden with {shown}{note}"
        )
    if kind.endswith("_proxy") or mapping is not None:
        where = {"https": "https://", "http": "http:// (CLEAR TEXT)"}.get(
            backend_scheme(uri), "an AWS service" if kind.startswith("aws") else "unknown scheme"
        )
        return BackendToken(key, kind, uri, FORWARDED, f"to {where}")
    return BackendToken(key, kind, uri, MAPPED_ONLY, "non-proxy: only mapped headers are sent")


def _integration(key: str, definition: Mapping[str, Any], source: str) -> dict[str, Any] | None:
    integration = definition.get(INTEGRATION_EXTENSION)
    if integration is None:
        return None
    if not _is_plain_integration(integration):
        raise SpecError(
            f"{source}: {key}: {INTEGRATION_EXTENSION} must be a mapping with the integration "
            "itself; a $ref (x-amazon-apigateway-integrations) is supported only for HTTP APIs, "
            "and the program cannot tell where this one would send the caller's token: inline it"
        )
    result: dict[str, Any] = integration
    return result


def _is_plain_integration(value: Any) -> bool:
    return isinstance(value, dict) and "$ref" not in value


def _type(integration: Mapping[str, Any]) -> str:
    kind = integration.get("type")
    return kind.lower() if isinstance(kind, str) else "?"


def _uri(integration: Mapping[str, Any]) -> str:
    uri = integration.get("uri")
    return uri if isinstance(uri, str) else ""


def _parameters(integration: Mapping[str, Any]) -> Mapping[str, Any]:
    params = integration.get("requestParameters")
    return params if isinstance(params, dict) else {}


def _authorization_keys(params: Iterable[Any]) -> list[str]:
    """Every spelling of the Authorization target (header names are case-insensitive)."""
    target = AUTHORIZATION_PARAMETER.lower()
    return [k for k in params if isinstance(k, str) and k.strip().lower() == target]


def _authorization_mapping(integration: Mapping[str, Any]) -> str | None:
    params = _parameters(integration)
    keys = _authorization_keys(params)
    if not keys:
        return None
    value = params[keys[-1]]
    return value if isinstance(value, str) else repr(value)


def _refuse_copies(key: str, integration: Mapping[str, Any], source: str) -> None:
    """A withheld token must not leave under another name, in a parameter or in the body."""
    params = _parameters(integration)
    target = AUTHORIZATION_PARAMETER.lower()
    for name, value in params.items():
        if (
            isinstance(name, str)
            and name.strip().lower() != target
            and isinstance(value, str)
            and value.strip().lower() in _AUTHORIZATION_SOURCES
        ):
            raise SpecError(
                f"{source}: {key}: requestParameters maps the caller's token ({value}) to "
                f"{name}, but this backend must not receive it ({_uri(integration) or 'no uri'}); "
                "remove the mapping, or serve the backend over https:// and leave it out of "
                f"{CONFIG_KEY}"
            )
    templates = integration.get("requestTemplates")
    for content_type, template in templates.items() if isinstance(templates, dict) else ():
        if isinstance(template, str) and _TEMPLATE_READS_TOKEN.search(template):
            raise SpecError(
                f"{source}: {key}: requestTemplates[{content_type!r}] reads the Authorization "
                "header (or $input.params() with no argument, which includes it), but this "
                f"backend must not receive the caller's token ({_uri(integration) or 'no uri'}); "
                "name only the parameters the backend needs"
            )


def _override_authorization(integration: dict[str, Any]) -> bool:
    """Set the static value; True if the spec mapped the header to something else before."""
    params = integration.get("requestParameters")
    params = dict(params) if isinstance(params, dict) else {}
    replaced = False
    for name in _authorization_keys(params):
        replaced = replaced or params[name] != WITHHELD_STATIC
        del params[name]
    params[AUTHORIZATION_PARAMETER] = WITHHELD_STATIC
    integration["requestParameters"] = params
    return replaced
