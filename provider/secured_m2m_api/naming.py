"""Child resource names: component name plus a stable key, never a list index.

A list index would rename (and so replace) every client after a removed consumer; a stable
key (the consumer name) keeps each resource's URN fixed for its whole life.
"""

from __future__ import annotations


def child_name(component: str, *keys: str) -> str:
    """`child_name("m2m", "client", "orders")` -> `"m2m-client-orders"`."""
    return "-".join((component, *keys))


def token_endpoint_url(domain_prefix: str, region: str) -> str:
    """The Cognito managed domain's token endpoint for a prefix in a region."""
    return f"https://{domain_prefix}.auth.{region}.amazoncognito.com/oauth2/token"


def stage_invoke_url(rest_api_id: str, region: str, stage_name: str) -> str:
    """`https://{api-id}.execute-api.{region}.amazonaws.com/{stage}`, without trailing slash.

    The same form the original walkthrough used as resource-server identifier.
    """
    return f"https://{rest_api_id}.execute-api.{region}.amazonaws.com/{stage_name}"


def user_pool_arn_estimate(region: str) -> str:
    """A user-pool ARN as long as the real one will be, before the pool exists.

    Pool ids are `<region>_<9 characters>`; the partition follows the region. Used only to
    size the API body before deploy, never as a value.
    """
    partition = "aws"
    if region.startswith("cn-"):
        partition = "aws-cn"
    elif region.startswith("us-gov-"):
        partition = "aws-us-gov"
    return f"arn:{partition}:cognito-idp:{region}:{'0' * 12}:userpool/{region}_{'x' * 9}"
