"""Turning an OpenAPI document into the body API Gateway imports, guarded on every operation.

Plain functions over dicts, no Pulumi: the component only feeds them the pool ARN and the
resource-server identifier once those are known. Rules follow what API Gateway's REST import
enforces (policies/apigw_guard/model holds the same rules for the policy pack;
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html):

* the Cognito authorizer is an `apiKey` security scheme with `x-amazon-apigateway-authorizer`,
  under `securityDefinitions` (2.0) or `components.securitySchemes` (3.x);
* only operation-level `security` protects anything (the import ignores root-level `security`),
  so every operation gets one, with full scope identifiers built by `scope_identifier`;
* CORS preflights (an `OPTIONS` operation with a MOCK integration) are dropped: server-to-server
  callers never send preflights, and a preflight must be anonymous to work, which would leave
  an unguarded method; any other `OPTIONS` operation is protected like the rest;
* what API Gateway's import refuses is refused before any resource exists (`import_checks`);
* HTTP integrations that must not see the caller's token (every `http://` backend, and the
  `https://` hosts the stack withholds it from) get their `Authorization` header overridden
  (`backend_tokens`);
* the REST API's own settings are the program's (`rest_api_settings`): a spec that carries
  `x-amazon-apigateway-endpoint-configuration` is refused rather than silently overwritten.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from apigw_guard.model.body_summary import summarize_body
from apigw_guard.model.document import (
    OPERATION_KEYS,
    SpecError,
    iter_operations,
    method_name,
    spec_version,
)
from apigw_guard.model.document_audit import audit_document
from apigw_guard.model.schemes import COGNITO_AUTHORIZER_TYPE
from secured_m2m_api.backend_tokens import INTEGRATION_EXTENSION, BackendToken, withhold_tokens
from secured_m2m_api.import_checks import check_body_size, check_importable, resource_quota_warning
from secured_m2m_api.operation_scopes import (
    DEFAULT_SCOPES,
    resolve_operation_scopes,
    scope_identifier,
)
from secured_m2m_api.plan_output import PlannedOperation, PlanOutput, backend_plan
from secured_m2m_api.rest_api_settings import ENDPOINT_CONFIGURATION_EXTENSION, RestApiSettings

COGNITO_SCHEME_NAME = "cognito-m2m"
PREFLIGHT_KEY = "options"


class UnprotectedBodyError(RuntimeError):
    """The built body would leave an operation callable without an access token (a bug here)."""


@dataclass(frozen=True)
class PreparedDocument:
    """The spec with preflights and root-level security removed, ready to be protected.

    `dropped_operations` names the preflights taken out, for the log.
    """

    document: dict[str, Any]
    dropped_operations: tuple[str, ...]


def is_cors_preflight(method: str, definition: Any) -> bool:
    """An `OPTIONS` operation whose integration is MOCK: a CORS preflight API Gateway answers.

    The shape API Gateway's own CORS support creates (a MOCK integration answering the
    preflight itself), and the one the pack's `exemptCorsPreflightMock` names. An `OPTIONS`
    operation with any other integration reaches a backend: it is an operation like the rest.
    https://docs.aws.amazon.com/apigateway/latest/developerguide/enable-cors-for-resource-using-swagger-importer-tool.html
    """
    if method != "OPTIONS" or not isinstance(definition, dict):
        return False
    integration = definition.get(INTEGRATION_EXTENSION)
    return isinstance(integration, dict) and str(integration.get("type", "")).lower() == "mock"


def prepare_document(doc: Mapping[str, Any]) -> PreparedDocument:
    """Copy `doc` without CORS preflights and without root-level security.

    Root-level `security` is stripped rather than kept: API Gateway ignores it, so leaving it
    in would only suggest a protection that does not exist. Path items left with no operation
    are removed so the import creates no empty resources. An `OPTIONS` operation that is not a
    preflight (`is_cors_preflight`) stays, and is protected like any other.
    """
    result = copy.deepcopy(dict(doc))
    result.pop("security", None)
    dropped: list[str] = []
    paths: dict[str, Any] = result["paths"]
    for path in list(paths):
        item = paths[path]
        if isinstance(item, dict) and is_cors_preflight("OPTIONS", item.get(PREFLIGHT_KEY)):
            del item[PREFLIGHT_KEY]
            dropped.append(f"OPTIONS {path}")
            if not any(key in item for key in OPERATION_KEYS):
                del paths[path]
    return PreparedDocument(result, tuple(dropped))


def cognito_scheme(pool_arn: str) -> dict[str, Any]:
    """The security scheme that makes API Gateway create a Cognito user-pool authorizer.

    The token source is the `Authorization` header; no validation regex, because M2M access
    tokens carry no `aud` to match.
    https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
    """
    return {
        "type": "apiKey",
        "name": "Authorization",
        "in": "header",
        "x-amazon-apigateway-authtype": COGNITO_AUTHORIZER_TYPE,
        "x-amazon-apigateway-authorizer": {
            "type": COGNITO_AUTHORIZER_TYPE,
            "providerARNs": [pool_arn],
        },
    }


def protect_document(
    doc: Mapping[str, Any],
    operation_scopes: Mapping[str, Sequence[str]],
    *,
    pool_arn: str,
    identifier: str,
) -> dict[str, Any]:
    """Return a copy of a prepared `doc` with the Cognito scheme and per-operation security.

    `operation_scopes` must give every operation (`METHOD /path`) its scope names, as
    `resolve_operation_scopes` returns them. Existing operation-level `security` is replaced:
    the stack config is the single source of truth for who may call what. A scheme already
    named `COGNITO_SCHEME_NAME` is overwritten for the same reason.
    """
    result = copy.deepcopy(dict(doc))
    if spec_version(result) == "2.0":
        section = result.setdefault("securityDefinitions", {})
    else:
        section = result.setdefault("components", {}).setdefault("securitySchemes", {})
    section[COGNITO_SCHEME_NAME] = cognito_scheme(pool_arn)

    for path, item in result["paths"].items():
        for key in OPERATION_KEYS:
            if key not in item:
                continue
            op_key = f"{method_name(key)} {path}"
            scopes = operation_scopes.get(op_key)
            if not scopes:
                raise UnprotectedBodyError(f"{op_key}: no scopes resolved for this operation")
            item[key] = {
                **item[key],
                "security": [
                    {COGNITO_SCHEME_NAME: [scope_identifier(identifier, s) for s in scopes]}
                ],
            }
    return result


def serialize_body(doc: Mapping[str, Any]) -> str:
    """The exact body text sent to API Gateway and hashed for redeploys: canonical JSON.

    Sorted keys and fixed separators make the text (and so the deployment trigger) depend only
    on content, never on dict order or formatting of the source file.
    """
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def check_protected(doc: Mapping[str, Any]) -> str:
    """Judge the exact body text with the policy pack's own body judgement; raise if it fails.

    The same function the pack's mandatory body policy runs, so a body the program builds is
    never one the pack would block. Returns the body text it judged.
    """
    text = serialize_body(doc)
    summary = summarize_body(text, source="the built API body")
    faults = [f for f in (summary.error, summary.pending, *summary.unknown_parts) if f]
    faults += [
        f"{op.key}: {'; '.join(op.problems or op.pending)}"
        for op in summary.operations
        if not op.protected
    ]
    if faults:
        raise UnprotectedBodyError(
            "the built API body leaves operations unprotected: " + " | ".join(faults)
        )
    return text


# Stand-ins used to judge the body before the real pool ARN and identifier exist. The judgement
# depends only on the document's structure (schemes, which operations carry which scopes), which
# is identical for every ARN and identifier, so a body protected here is protected when rendered.
# `plan_api` takes estimates instead where the caller has them, so the size it measures is the
# size of the body the program will PUT.
_PLACEHOLDER_POOL_ARN = "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_placeholder"
_PLACEHOLDER_IDENTIFIER = "https://placeholder.invalid"
# What the settings the component writes into the body (info.title and description, the TLS
# policy and access mode, `RestApiSettings.apply_to_body`) can add to its size, at most.
_SETTINGS_BYTES = 4096


@dataclass(frozen=True)
class ApiPlan:
    """A document ready to be rendered into a guarded body, checked before any resource exists.

    `operation_scopes` maps every remaining operation (`METHOD /path`, document order) to its
    scope names and `scope_sources` to where they came from (`operationScopes` or the default
    rule); `backend_tokens` says, per operation, what its backend receives of the caller's
    token (the document already carries the overrides); `replaced_security` names the
    operations whose own `security` the body replaces; `warnings` are what the program logs as
    warnings (a resource count past the default quota, a body close to the import's size
    limit). `output()` is what of it the program exports for the report.
    """

    document: dict[str, Any]
    operation_scopes: dict[str, list[str]]
    dropped_operations: tuple[str, ...]
    backend_tokens: tuple[BackendToken, ...] = ()
    warnings: tuple[str, ...] = ()
    scope_sources: dict[str, str] = field(default_factory=dict)
    replaced_security: tuple[str, ...] = ()

    def output(self) -> PlanOutput:
        """The `api_plan` output (`secured_m2m_api.plan_output`): plain data, known at preview."""
        backends = {b.operation: b for b in self.backend_tokens}
        operations: list[PlannedOperation] = []
        for op in iter_operations(self.document):
            operations.append(
                {
                    "method": op.method,
                    "path": op.path,
                    "scopes": list(self.operation_scopes[op.key]),
                    "scopeSource": self.scope_sources[op.key],
                    "backend": backend_plan(backends[op.key]),
                }
            )
        return {
            "operations": operations,
            "droppedPreflights": list(self.dropped_operations),
            "replacedSecurity": list(self.replaced_security),
        }

    @property
    def title(self) -> str | None:
        return self._info_text("title")

    @property
    def description(self) -> str | None:
        return self._info_text("description")

    def _info_text(self, key: str) -> str | None:
        info = self.document.get("info")
        value = info.get(key) if isinstance(info, dict) else None
        return value if isinstance(value, str) and value.strip() else None

    def render(
        self, *, pool_arn: str, identifier: str, settings: RestApiSettings | None = None
    ) -> str:
        """The exact body text for `RestApiPut`, with the real pool ARN and identifier.

        `settings` are the RestApi's own settings, written into the body so the overwrite PUT
        keeps them (`SecuredRestApi` always passes them; None leaves the document as it is).
        """
        protected = protect_document(
            self.document, self.operation_scopes, pool_arn=pool_arn, identifier=identifier
        )
        return serialize_body(protected if settings is None else settings.apply_to_body(protected))


def refuse_endpoint_configuration(doc: Mapping[str, Any], source: str) -> None:
    """Refuse a spec that brings its own endpoint configuration, wherever it sits.

    AWS documents `x-amazon-apigateway-endpoint-configuration` (disableExecuteApiEndpoint,
    vpcEndpointIds, ipAddressType) under `servers[]` for OpenAPI 3 and at the root for 2.0.
    The program decides the endpoint itself, on the RestApi: REGIONAL, with the execute-api
    endpoint on (its URL is the default resource-server identifier). A spec's own copy, in
    either place, would silently disagree with it, so it is refused.
    """
    places = [("the document root", doc)]
    servers = doc.get("servers")
    if isinstance(servers, list):
        places += [(f"servers[{i}]", s) for i, s in enumerate(servers) if isinstance(s, dict)]
    for where, holder in places:
        if ENDPOINT_CONFIGURATION_EXTENSION in holder:
            raise SpecError(
                f"{source}: {ENDPOINT_CONFIGURATION_EXTENSION} at {where}: the program sets the "
                "endpoint itself (a REGIONAL RestApi with its execute-api endpoint on, as the "
                "default resource-server identifier needs); remove it from the spec"
            )


def plan_api(
    doc: Mapping[str, Any],
    mapping: Mapping[str, Sequence[str]],
    defined_scopes: Sequence[str],
    source: str = "OpenAPI document",
    *,
    withheld_hosts: Sequence[str] = (),
    identifier: str = _PLACEHOLDER_IDENTIFIER,
    pool_arn: str = _PLACEHOLDER_POOL_ARN,
) -> ApiPlan:
    """Prepare `doc`, give every operation its scopes and prove the result is fully guarded.

    Raises `SpecError` for a document API Gateway may read differently from the policy pack
    (`$ref` path items, `x-amazon-apigateway-auth`, upper-case operation keys, both version
    markers), for its own endpoint configuration, and for what API Gateway's import would
    refuse (`UnimportableSpecError`: paths, version, `$ref` operations, unmapped path
    parameters, a body over 6 MB); `ScopeMappingError` for a mapping that names unknown
    operations or scopes; `TokenForwardingError` for a `withheld_hosts` entry no https
    integration uses; and `UnprotectedBodyError` if the pack's own judgement finds an
    unguarded operation. `withheld_hosts` are the https backend hosts (or `*`) that must not
    receive the token. `identifier` and `pool_arn` are the values the body will carry, as
    well as they are known before deploy: the body is sized with them (its judgement does not
    depend on them).
    """
    refuse_endpoint_configuration(doc, source)
    prepared = prepare_document(doc)
    # What the import refuses first: its message names every broken rule with counts and the
    # fix for the program's author (e.g. "bundle the document"), where the pack's audit below
    # names only its own first faults (it refuses `$ref` operations too).
    check_importable(prepared.document, source)
    ambiguous = audit_document(doc)
    if ambiguous:
        # The policy pack fails such a document closed, so the program refuses it up front.
        raise SpecError(f"{source}: " + "; ".join(ambiguous))
    if not any(True for _ in iter_operations(prepared.document)):
        # API Gateway refuses to deploy a REST API without methods ("The REST API doesn't
        # contain any methods"), but only at the Deployment, after the pool, its domain and the
        # clients exist: refuse it here, before any resource.
        dropped = (
            f" (CORS preflights dropped: {', '.join(prepared.dropped_operations)})"
            if prepared.dropped_operations
            else ""
        )
        raise SpecError(
            f"{source}: no operations left to deploy{dropped}; API Gateway cannot deploy a "
            "REST API without methods, so add at least one GET, POST, PUT, PATCH, DELETE, HEAD "
            "or non-preflight OPTIONS operation"
        )
    resolved = resolve_operation_scopes(
        iter_operations(prepared.document),
        mapping,
        defined_scopes,
        DEFAULT_SCOPES,
        dropped=prepared.dropped_operations,
    )
    # `protect_document` overwrites these operations' own security: the plan names them.
    replaced = tuple(
        op.key for op in iter_operations(prepared.document) if "security" in op.definition
    )
    document, tokens = withhold_tokens(prepared.document, withheld_hosts, source)
    body = check_protected(
        protect_document(document, resolved.scopes, pool_arn=pool_arn, identifier=identifier)
    )
    size_warning = check_body_size(
        len(body.encode("utf-8", "surrogatepass")) + _SETTINGS_BYTES, source
    )
    warnings = [w for w in (resource_quota_warning(document, source), size_warning) if w]
    return ApiPlan(
        document,
        resolved.scopes,
        prepared.dropped_operations,
        tokens,
        tuple(warnings),
        resolved.sources,
        replaced,
    )
