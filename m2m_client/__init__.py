"""Client for the secured M2M API: client-credentials tokens and stack-output loading.

See docs/client.md ("Calling the API with the client") for usage.
"""

from m2m_client.auth import BearerAuth, ClientConfigError, require_secure_url
from m2m_client.retry import RetryPolicy
from m2m_client.stack import (
    Consumer,
    StackConfigError,
    StackOutputs,
    UnknownConsumerError,
    UnknownScopeError,
    load_outputs,
    parse_outputs,
)
from m2m_client.token import TokenClient, wait_for_token_endpoint
from m2m_client.token_response import (
    AccessToken,
    InvalidClientError,
    InvalidScopeError,
    OAuthError,
    TokenEndpointUnavailableError,
    TokenError,
    TokenResponseError,
    UnauthorizedClientError,
)

__all__ = [
    "AccessToken",
    "BearerAuth",
    "ClientConfigError",
    "Consumer",
    "InvalidClientError",
    "InvalidScopeError",
    "OAuthError",
    "RetryPolicy",
    "StackConfigError",
    "StackOutputs",
    "TokenClient",
    "TokenEndpointUnavailableError",
    "TokenError",
    "TokenResponseError",
    "UnauthorizedClientError",
    "UnknownConsumerError",
    "UnknownScopeError",
    "load_outputs",
    "parse_outputs",
    "require_secure_url",
    "wait_for_token_endpoint",
]
