"""SecuredRestApi: an API Gateway REST API whose every operation needs a Cognito access token.

`RestApi` (no body) first, so its id exists; then `RestApiPut` applies the guarded body, which
may carry scopes built from the API's own invoke URL. A `Deployment` replaced whenever the body
or any other live setting changes, and a separate hardened `Stage` pointing at it. Both log
groups (access logs, and the execution logs API Gateway would otherwise create itself with no
retention) exist, with the stack's retention, before the stage and its method settings.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from secured_m2m_api.deployment_trigger import deployment_trigger
from secured_m2m_api.execution_logs import check_import_name, execution_log_group_name
from secured_m2m_api.naming import child_name, stage_invoke_url
from secured_m2m_api.openapi_body import ApiPlan
from secured_m2m_api.plan_output import PlanOutput
from secured_m2m_api.rest_api_settings import RestApiSettings

TYPE_TOKEN = "secured-m2m-api:api:SecuredRestApi"
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


@dataclass(frozen=True)
class SecuredRestApiArgs:
    """Inputs of `SecuredRestApi`.

    `plan` comes from `openapi_body.plan_api` (already proven fully guarded). Values are
    validated by `stack_config` beforehand, whose defaults are the only ones: none here.
    `resource_server_identifier` is the identity's own output, so scopes in the body always
    match the resource server's. `security_policy` and `endpoint_access_mode` set TLS on the
    execute-api endpoint (RestApi and body alike). `stage_depends_on` lists resources the
    stage needs first (e.g. the account CloudWatch role); none by default.
    `execution_log_group_import` names an execution-log group AWS already created for this
    stage, to adopt instead of create (`executionLogGroupImport`); None by default.
    """

    plan: ApiPlan
    user_pool_arn: pulumi.Input[str]
    resource_server_identifier: pulumi.Input[str]
    stage_name: str
    log_retention_days: int
    throttling_rate_limit: float
    throttling_burst_limit: int
    security_policy: str
    endpoint_access_mode: str | None
    stage_depends_on: Sequence[pulumi.Resource] = field(default_factory=tuple)
    execution_log_group_import: str | None = None


class SecuredRestApi(pulumi.ComponentResource):
    """REST API + guarded body + deployment + hardened stage.

    Outputs: `rest_api_id`, `invoke_url` (stage invoke URL, no trailing slash; known before the
    stage exists, so it can serve as resource-server identifier), `body` (the exact body
    applied), `deployment_trigger`, `stage_name`, `execution_log_group_name`, and `api_plan`
    (what the program decided per operation, `secured_m2m_api.plan_output`; known at preview).
    """

    rest_api_id: pulumi.Output[str]
    invoke_url: pulumi.Output[str]
    body: pulumi.Output[str]
    deployment_trigger: pulumi.Output[str]
    stage_name: pulumi.Output[str]
    execution_log_group_name: pulumi.Output[str]
    api_plan: pulumi.Output[PlanOutput]

    def __init__(
        self, name: str, args: SecuredRestApiArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        plan = args.plan
        # One source for every RestApi setting: the RestApi gets them as arguments, the body
        # carries them (an overwrite PUT resets what the body lacks), the trigger hashes them.
        settings = RestApiSettings(
            name=plan.title or name,
            description=plan.description or DEFAULT_DESCRIPTION,
            security_policy=args.security_policy,
            endpoint_access_mode=args.endpoint_access_mode,
        )
        self.settings = settings

        self.rest_api = aws.apigateway.RestApi(
            child_name(name, "rest-api"),
            name=settings.name,
            description=settings.description,
            endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(
                types=settings.endpoint_type
            ),
            security_policy=settings.security_policy,
            endpoint_access_mode=settings.endpoint_access_mode,
            opts=child,
        )
        stage_name = args.stage_name
        self.invoke_url = pulumi.Output.all(self.rest_api.id, self.rest_api.region).apply(
            lambda v: stage_invoke_url(v[0], v[1], stage_name)
        )
        # Rendering is string work only; no resource is created inside apply.
        self.body = pulumi.Output.all(args.user_pool_arn, args.resource_server_identifier).apply(
            lambda v: plan.render(pool_arn=v[0], identifier=v[1], settings=settings)
        )
        self.put = aws.apigateway.RestApiPut(
            child_name(name, "body"),
            rest_api_id=self.rest_api.id,
            body=self.body,
            fail_on_warnings=True,
            opts=child,
        )
        live_settings = {**settings.trigger_settings(), "putMode": PUT_MODE}
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
            retention_in_days=args.log_retention_days,
            opts=child,
        )
        # The group API Gateway writes execution logs to (MethodSettings' logging level below).
        # Created here first, or AWS creates it on the first log line with no retention and
        # outside the stack. On a stack deployed before this existed, AWS already made it:
        # `execution_log_group_import` adopts it once (the engine imports, then updates the
        # retention). The import name is checked against this API's id as soon as it is known.
        import_name = args.execution_log_group_import

        def execution_log_group(rest_api_id: str) -> str:
            if import_name is not None:
                return check_import_name(import_name, rest_api_id, stage_name)
            return execution_log_group_name(rest_api_id, stage_name)

        self.execution_log_group = aws.cloudwatch.LogGroup(
            child_name(name, "execution-logs"),
            name=self.rest_api.id.apply(execution_log_group),
            retention_in_days=args.log_retention_days,
            opts=pulumi.ResourceOptions(parent=self, import_=import_name),
        )
        self.stage = aws.apigateway.Stage(
            child_name(name, "stage"),
            rest_api=self.rest_api.id,
            deployment=self.deployment.id,
            stage_name=stage_name,
            access_log_settings=aws.apigateway.StageAccessLogSettingsArgs(
                destination_arn=self.log_group.arn,
                format=ACCESS_LOG_FORMAT,
            ),
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=[*args.stage_depends_on, self.execution_log_group],
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
                throttling_rate_limit=args.throttling_rate_limit,
                throttling_burst_limit=args.throttling_burst_limit,
            ),
            # Logging starts with this setting: its group must exist, with retention, first.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.execution_log_group]),
        )
        self.rest_api_id = self.rest_api.id
        self.stage_name = self.stage.stage_name
        self.execution_log_group_name = self.execution_log_group.name
        # One Output holding the plain plan: `Output.from_input` on the dict itself would make
        # an Output of every nested value (12,000 at 1,000 operations, 0.8 s of the build).
        self.api_plan = pulumi.Output.from_input(None).apply(lambda _: plan.output())
        self.register_outputs(
            {
                "rest_api_id": self.rest_api_id,
                "invoke_url": self.invoke_url,
                "deployment_trigger": self.deployment_trigger,
                "stage_name": self.stage_name,
                "execution_log_group_name": self.execution_log_group_name,
                "api_plan": self.api_plan,
            }
        )
