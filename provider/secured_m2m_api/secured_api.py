"""SecuredRestApi: an API Gateway REST API whose every operation needs a Cognito access token.

One API on a user pool it is given (`M2MIdentity`, or any pool): its resource server with its
scopes, a `RestApi` (no body) first, so its id exists; then `RestApiPut` applies the guarded
body, whose scopes may be built from the API's own invoke URL (the default resource-server
identifier). A `Deployment` replaced whenever the body or any other live setting changes, and a
separate hardened `Stage` pointing at it. Both log groups (access logs, and the execution logs
API Gateway would otherwise create itself with no retention) exist, with the stack's retention,
before the stage and its method settings. Several APIs may share one pool, each with its own
resource server; `M2MConsumers` gives clients scopes of any of them.

Every input is checked, and the spec planned and proven guarded, before the first child exists
(`inputs.api_settings`). No `from __future__ import annotations`: the SDK infers the
component's schema from these annotations, as types.
"""

import json
from collections.abc import Sequence
from typing import Any, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from secured_m2m_api import PACKAGE
from secured_m2m_api.backend_tokens import WITHHELD
from secured_m2m_api.deployment_trigger import deployment_trigger
from secured_m2m_api.execution_logs import check_import_name, execution_log_group_name
from secured_m2m_api.inputs import ApiSettings, api_settings
from secured_m2m_api.naming import child_name, stage_invoke_url
from secured_m2m_api.operation_scopes import scope_identifier
from secured_m2m_api.plan_output import PlanOutput
from secured_m2m_api.rest_api_settings import RestApiSettings

TYPE_TOKEN = f"{PACKAGE}:index:SecuredRestApi"
DEFAULT_DESCRIPTION = "Machine-to-machine API; every method needs a Cognito access token."
# RestApiPut in pulumi-aws 7.51.1 has no mode argument: it always PUTs with mode=overwrite, so
# methods dropped from the body stop being live (merge mode would keep them). Recorded in the
# trigger so a change of that behaviour would redeploy.
PUT_MODE = "overwrite"

# One JSON line per request, including who called (the Cognito client) and why a call failed.
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "requestTime": "$context.requestTime",
        "ip": "$context.identity.sourceIp",
        "httpMethod": "$context.httpMethod",
        "resourcePath": "$context.resourcePath",
        "status": "$context.status",
        "protocol": "$context.protocol",
        "responseLength": "$context.responseLength",
        "clientId": "$context.authorizer.claims.client_id",
        "scope": "$context.authorizer.claims.scope",
        "authorizerError": "$context.authorizer.error",
        "integrationError": "$context.integration.error",
    },
    separators=(",", ":"),
)


class SecuredRestApiArgs(TypedDict):
    user_pool_id: pulumi.Input[str]
    """The user pool whose access tokens the API accepts (M2MIdentity's userPoolId): the
    API's resource server is created in it."""

    user_pool_arn: pulumi.Input[str]
    """That pool's ARN (M2MIdentity's userPoolArn), for the API's Cognito authorizer."""

    spec: str
    """The OpenAPI 2.0 or 3.0 document itself (JSON or YAML text), never a path: a component
    runs in the consuming program's folder. Every operation gets the Cognito authorizer and its
    scopes; CORS preflights (OPTIONS with a MOCK integration) are dropped."""

    spec_name: NotRequired[str]
    """What messages call the document, e.g. its file path. Defaults to "spec"."""

    scopes: NotRequired[dict[str, str]]
    """Scope name to description, the resource server's scopes (at most 100). Defaults to
    read and write."""

    operation_scopes: NotRequired[dict[str, list[str]]]
    """"METHOD /path" to the scope names that may call it (any one suffices). Operations not
    listed: GET, HEAD and OPTIONS need read, all others write."""

    stage_name: NotRequired[str]
    """Stage name: letters, digits, hyphens and underscores, 1 to 128. Defaults to v1."""

    resource_server_identifier: NotRequired[str]
    """The resource server's identifier, the prefix of every scope (no trailing /). Defaults
    to the stage invoke URL."""

    log_retention_days: NotRequired[int]
    """Retention of the access-log and execution-log groups, a CloudWatch Logs retention
    value. Defaults to 90."""

    throttling_rate_limit: NotRequired[float]
    """Default steady-state requests per second of every method. Defaults to 50."""

    throttling_burst_limit: NotRequired[int]
    """Default burst limit of every method. Defaults to 100."""

    security_policy: NotRequired[str]
    """TLS policy of the execute-api endpoint: TLS_1_2 (the default) or an enhanced
    SecurityPolicy_TLS13_* policy, which needs endpointAccessMode."""

    endpoint_access_mode: NotRequired[str]
    """STRICT or BASIC, required with an enhanced securityPolicy, left out otherwise."""

    withhold_token_from_hosts: NotRequired[list[str]]
    """Hosts of https:// HTTP integrations that must not receive the caller's token, or ["*"]
    for all of them. http:// backends never receive it."""

    execution_log_group_import: NotRequired[str]
    """One-time adoption of the execution-log group AWS created for an API deployed before:
    API-Gateway-Execution-Logs_<rest-api-id>/<stageName>."""

    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags for every resource of this component that takes tags."""


class SecuredRestApi(pulumi.ComponentResource):
    """An API Gateway REST API built from an OpenAPI document on which every operation needs a
    Cognito access token carrying one of its scopes, with this API's own resource server on a
    given user pool, a deployment that follows every change and a hardened, logged stage.
    Several SecuredRestApi may share one pool."""

    api_url: pulumi.Output[str]
    """The stage's invoke URL, https://<api-id>.execute-api.<region>.amazonaws.com/<stage>."""

    rest_api_id: pulumi.Output[str]
    """The REST API's id."""

    resource_server_identifier: pulumi.Output[str]
    """The resource server's identifier, the prefix of every full scope."""

    scope_identifiers: pulumi.Output[dict[str, str]]
    """Scope name to full scope <identifier>/<name>, what a consumer's client is allowed."""

    execution_log_group: pulumi.Output[str]
    """The stage's execution-log group, API-Gateway-Execution-Logs_<api-id>/<stage>."""

    api_plan: pulumi.Output[PlanOutput]
    """What the component decided per operation (its scopes, where they came from, what its
    backend receives of the caller's token), the CORS preflights it dropped and the operations
    whose own security it replaced. Known at preview."""

    def __init__(
        self,
        name: str,
        args: SecuredRestApiArgs,
        opts: pulumi.ResourceOptions | None = None,
        *,
        settings: ApiSettings | None = None,
    ) -> None:
        """`settings`: these `args` already checked and planned (`inputs.api_settings`), as
        `SecuredM2MApi` does before its first child; checked here otherwise."""
        if settings is None:
            settings = api_settings(args)  # before any child exists
        super().__init__(TYPE_TOKEN, name, None, opts)
        log_plan(settings)
        child = pulumi.ResourceOptions(parent=self)
        plan = settings.plan
        tags = args.get("tags")
        # One source for every RestApi setting: the RestApi gets them as arguments, the body
        # carries them (an overwrite PUT resets what the body lacks), the trigger hashes them.
        rest_api_settings = RestApiSettings(
            name=plan.title or name,
            description=plan.description or DEFAULT_DESCRIPTION,
            security_policy=settings.security_policy,
            endpoint_access_mode=settings.endpoint_access_mode,
        )
        self.rest_api = aws.apigateway.RestApi(
            child_name(name, "rest-api"),
            name=rest_api_settings.name,
            description=rest_api_settings.description,
            endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(
                types=rest_api_settings.endpoint_type
            ),
            security_policy=rest_api_settings.security_policy,
            endpoint_access_mode=rest_api_settings.endpoint_access_mode,
            tags=tags,
            opts=child,
        )
        stage_name = settings.stage_name
        self.api_url = pulumi.Output.all(self.rest_api.id, self.rest_api.region).apply(
            lambda v: stage_invoke_url(v[0], v[1], stage_name)
        )
        # The API's own resource server. Its default identifier is the stage invoke URL, known
        # as soon as the body-less RestApi exists; the body, which needs the identifier, is
        # applied afterwards by RestApiPut.
        self.resource_server = aws.cognito.ResourceServer(
            child_name(name, "resource-server"),
            identifier=settings.resource_server_identifier or self.api_url,
            name=child_name(name, "api"),
            user_pool_id=args["user_pool_id"],
            scopes=[
                aws.cognito.ResourceServerScopeArgs(
                    scope_name=scope.name, scope_description=scope.description
                )
                for scope in settings.scopes
            ],
            opts=child,
        )
        scope_names = settings.scope_names
        self.resource_server_identifier = self.resource_server.identifier
        # From the server's outputs, so whatever takes these (the consumers' clients) is
        # created after the server: Cognito rejects scopes it does not know yet.
        self.scope_identifiers = pulumi.Output.all(
            self.resource_server.identifier, self.resource_server.scope_identifiers
        ).apply(lambda v: scope_identifier_map(v[0], scope_names, v[1]))
        # Rendering is string work only; no resource is created inside apply.
        self.body = pulumi.Output.all(args["user_pool_arn"], self.resource_server.identifier).apply(
            lambda v: plan.render(pool_arn=v[0], identifier=v[1], settings=rest_api_settings)
        )
        self.put = aws.apigateway.RestApiPut(
            child_name(name, "body"),
            rest_api_id=self.rest_api.id,
            body=self.body,
            fail_on_warnings=True,
            opts=child,
        )
        live_settings = {**rest_api_settings.trigger_settings(), "putMode": PUT_MODE}
        self.deployment_trigger = self.body.apply(lambda b: deployment_trigger(b, live_settings))
        # Replaced (create-before-delete, Pulumi's default) whenever the trigger changes; the
        # stage then moves to the new deployment before the old one is deleted, which avoids
        # "Active stages pointing to this deployment must be moved or deleted".
        self.deployment = aws.apigateway.Deployment(
            child_name(name, "deployment"),
            rest_api=self.rest_api.id,
            triggers={"redeployment": self.deployment_trigger},
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.put]),
        )
        self.log_group = aws.cloudwatch.LogGroup(
            child_name(name, "access-logs"),
            retention_in_days=settings.log_retention_days,
            tags=tags,
            opts=child,
        )
        self.execution_logs = self._execution_log_group(name, settings, tags)
        self.execution_log_group = self.execution_logs.name
        self.stage = aws.apigateway.Stage(
            child_name(name, "stage"),
            rest_api=self.rest_api.id,
            deployment=self.deployment.id,
            stage_name=stage_name,
            access_log_settings=aws.apigateway.StageAccessLogSettingsArgs(
                destination_arn=self.log_group.arn,
                format=ACCESS_LOG_FORMAT,
            ),
            tags=tags,
            # What this component depends on (e.g. the account's CloudWatch role, which a stage
            # that logs needs) and its execution-log group come first.
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=[*depends_on_list(opts), self.execution_logs],
            ),
        )
        # Default throttling and metrics for every method of the stage ("*/*").
        self.method_settings = aws.apigateway.MethodSettings(
            child_name(name, "method-settings"),
            rest_api=self.rest_api.id,
            stage_name=self.stage.stage_name,
            method_path="*/*",
            settings=aws.apigateway.MethodSettingsSettingsArgs(
                metrics_enabled=True,
                logging_level="ERROR",
                # Full request/response logging would write tokens to CloudWatch.
                data_trace_enabled=False,
                throttling_rate_limit=settings.throttling_rate_limit,
                throttling_burst_limit=settings.throttling_burst_limit,
            ),
            # Logging starts with this setting: its group must exist, with retention, first.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.execution_logs]),
        )
        self.rest_api_id = self.rest_api.id
        self.stage_name = self.stage.stage_name
        # One Output holding the plain plan: `Output.from_input` on the dict itself would make
        # an Output of every nested value (12,000 at 1,000 operations, 0.8 s of the build).
        self.api_plan = pulumi.Output.from_input(None).apply(lambda _: plan.output())
        self.register_outputs(
            {
                "api_url": self.api_url,
                "rest_api_id": self.rest_api_id,
                "resource_server_identifier": self.resource_server_identifier,
                "scope_identifiers": self.scope_identifiers,
                "execution_log_group": self.execution_log_group,
                "api_plan": self.api_plan,
            }
        )

    def _execution_log_group(
        self, name: str, settings: ApiSettings, tags: Any
    ) -> aws.cloudwatch.LogGroup:
        """The group API Gateway writes execution logs to (the method settings' logging level).

        Created here first, or AWS creates it on the first log line with no retention and
        outside the stack. On an API deployed before this existed, AWS already made it:
        `executionLogGroupImport` adopts it once (the engine imports, then updates the
        retention). The import name is checked against this API's id as soon as it is known.
        """
        import_name = settings.execution_log_group_import
        stage_name = settings.stage_name

        def group_name(rest_api_id: str) -> str:
            if import_name is not None:
                return check_import_name(import_name, rest_api_id, stage_name)
            return execution_log_group_name(rest_api_id, stage_name)

        return aws.cloudwatch.LogGroup(
            child_name(name, "execution-logs"),
            name=self.rest_api.id.apply(group_name),
            retention_in_days=settings.log_retention_days,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, import_=import_name),
        )


def scope_identifier_map(
    identifier: str, scope_names: Sequence[str], server_scope_identifiers: Sequence[str] | None
) -> dict[str, str]:
    """Map each scope name to its full string, checked against what the server reports.

    Full strings are built only by the shared `scope_identifier`; the resource server's own
    `scope_identifiers` output confirms Cognito agrees, so a client never asks for a scope the
    server does not have.
    """
    mapping = {name: scope_identifier(identifier, name) for name in scope_names}
    reported = sorted(server_scope_identifiers or ())
    missing = sorted(set(mapping.values()) - set(reported))
    if missing:
        raise RuntimeError(f"resource server reports scopes {reported}, missing {missing}")
    return mapping


def log_plan(settings: ApiSettings) -> None:
    """What the plan decided that an author should see in `pulumi preview`.

    Logged without naming the component: a message naming a resource waits for its URN, which
    costs 0.08 s at 1,000 operations (one message per withheld token) for nothing the text does
    not already say.
    """
    plan = settings.plan
    for warning in plan.warnings:
        pulumi.log.warn(warning)
    for dropped in plan.dropped_operations:
        pulumi.log.info(
            f"{dropped}: CORS preflight dropped (server-to-server callers never send one)"
        )
    for backend in plan.backend_tokens:
        if backend.token == WITHHELD:
            pulumi.log.info(
                f"{backend.operation}: caller's token withheld from {backend.uri} "
                f"({backend.reason})"
            )


def depends_on_list(opts: pulumi.ResourceOptions | None) -> list[pulumi.Input[pulumi.Resource]]:
    """What a component was told to depend on, as a list its children can depend on too.

    Pulumi does not pass a component's `dependsOn` to its children; the stage is the child
    that needs it (the account's CloudWatch role must be set before a stage that logs), so the
    component passes it on. Over Construct the engine sends dependencies as a list.
    """
    depends_on = opts.depends_on if opts is not None else None
    if depends_on is None:
        return []
    if isinstance(depends_on, pulumi.Resource):
        return [depends_on]
    if isinstance(depends_on, Sequence):
        return list(depends_on)
    raise TypeError(
        "dependsOn of a SecuredRestApi or SecuredM2MApi: give a resource or a list of "
        f"resources, not {type(depends_on).__name__}"
    )
