"""The account-wide API Gateway CloudWatch role: its own component, used once per account.

`aws.apigateway.Account` is one setting per account and region, shared by every API there:
a stack that silently set it could break (or be broken by) other teams' APIs. So no API
component sets it: `SecuredM2MApi` and `SecuredRestApi` expect it set (stage access logs and
execution logs need it), and this component sets it where a team decides to, from one stack
per account and region (the program only with `manageApiGatewayAccount: true`).

On `pulumi destroy` the role, its policy attachment and the account setting are retained
(`retain_on_delete`). pulumi-aws 7.x is built on the Terraform AWS provider v6, which removed
`reset_on_delete`: destroying `aws_api_gateway_account` now always resets the account's API
Gateway settings, clearing the CloudWatch role for every API in the account and region. So
the `Account` is never destroyed with the stack, and neither is the role it points to (the
retained setting would otherwise name a deleted role). Removing them is a deliberate manual
step (README, "The account-wide CloudWatch role").
"""

import json
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from secured_m2m_api import PACKAGE
from secured_m2m_api.naming import child_name

TYPE_TOKEN = f"{PACKAGE}:index:ApiGatewayCloudWatchRole"
# AWS's managed policy for exactly this purpose.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
PUSH_TO_CLOUDWATCH_POLICY = (
    "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
)


class ApiGatewayCloudWatchRoleArgs(TypedDict):
    tags: NotRequired[pulumi.Input[dict[str, pulumi.Input[str]]]]
    """Tags for the IAM role."""


class ApiGatewayCloudWatchRole(pulumi.ComponentResource):
    """An IAM role API Gateway can assume to write logs, set as the account's CloudWatch role
    (one setting per AWS account and region, shared by every API there): use it from one stack
    per account and region. Destroying the stack retains the role and the setting."""

    role_arn: pulumi.Output[str]
    """The role's ARN, now the account's API Gateway CloudWatch role."""

    def __init__(
        self,
        name: str,
        args: ApiGatewayCloudWatchRoleArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        # Retained on delete: see the module docstring (destroying the Account resets the
        # account-wide setting for every API; deleting the role would leave it dangling).
        child = pulumi.ResourceOptions(parent=self, retain_on_delete=True)
        self.role = aws.iam.Role(
            child_name(name, "role"),
            assume_role_policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "apigateway.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
            tags=args.get("tags"),
            opts=child,
        )
        self.policy = aws.iam.RolePolicyAttachment(
            child_name(name, "push-to-cloudwatch"),
            role=self.role.name,
            policy_arn=PUSH_TO_CLOUDWATCH_POLICY,
            opts=child,
        )
        self.account = aws.apigateway.Account(
            child_name(name, "account"),
            cloudwatch_role_arn=self.role.arn,
            # The role is useless to API Gateway until its policy is attached.
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[self.policy], retain_on_delete=True
            ),
        )
        self.role_arn = self.role.arn
        self.register_outputs({"role_arn": self.role_arn})
