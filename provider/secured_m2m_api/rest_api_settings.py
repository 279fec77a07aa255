"""The REST API's own settings, written once and applied both to the RestApi and in its body.

`RestApiPut` always PUTs the body with mode=overwrite, and in that mode API Gateway resets
REST API settings the body does not carry (the Terraform provider's docs: overwrite "will
delete existing literal properties if they are not explicitly set in the OpenAPI
definition"). So every setting the program puts on the RestApi that has an OpenAPI extension
travels in the body as well, with the value taken from this one object, and the deployment
trigger hashes the same values: the RestApi, the body and the redeploys cannot disagree.
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SECURITY_POLICY_EXTENSION = "x-amazon-apigateway-security-policy"
ENDPOINT_ACCESS_MODE_EXTENSION = "x-amazon-apigateway-endpoint-access-mode"
ENDPOINT_CONFIGURATION_EXTENSION = "x-amazon-apigateway-endpoint-configuration"


@dataclass(frozen=True)
class RestApiSettings:
    """What the program sets on the REST API.

    `name` and `description` travel as the body's `info.title` and `info.description`;
    `security_policy` as `x-amazon-apigateway-security-policy`; `endpoint_access_mode`, which
    the enhanced `SecurityPolicy_*` policies require and the others refuse, as
    `x-amazon-apigateway-endpoint-access-mode`.

    `endpoint_type` (REGIONAL: served by API Gateway itself, so the API's own TLS policy is the
    one clients meet) is set on the RestApi only. The body has no documented place for it:
    `x-amazon-apigateway-endpoint-configuration` documents only `disableExecuteApiEndpoint`,
    `vpcEndpointIds` and `ipAddressType` (under `servers[]` for OpenAPI 3, at the root for 2.0),
    and an import that updates an existing API does not change its endpoint type, so the
    overwrite PUT cannot undo it. The program sets none of those three (their defaults are what
    it wants), so the body carries no endpoint configuration at all.
    https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-endpoint-configuration.html
    """

    name: str
    description: str
    security_policy: str
    endpoint_access_mode: str | None = None
    endpoint_type: str = "REGIONAL"

    def apply_to_body(self, doc: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of `doc` carrying every setting, so an overwrite PUT keeps them."""
        result = copy.deepcopy(dict(doc))
        info = result.get("info")
        result["info"] = {
            **(info if isinstance(info, dict) else {}),
            "title": self.name,
            "description": self.description,
        }
        result[SECURITY_POLICY_EXTENSION] = self.security_policy
        if self.endpoint_access_mode is not None:
            result[ENDPOINT_ACCESS_MODE_EXTENSION] = self.endpoint_access_mode
        else:
            result.pop(ENDPOINT_ACCESS_MODE_EXTENSION, None)
        return result

    def trigger_settings(self) -> dict[str, str]:
        """The settings for the deployment trigger (the body carries them too)."""
        return {
            "endpointType": self.endpoint_type,
            "securityPolicy": self.security_policy,
            "endpointAccessMode": self.endpoint_access_mode or "",
        }
