"""The component provider: the classes `pulumi package add` turns into an SDK for any language.

The engine runs the plugin folder's `__main__.py`, which calls `serve`; the SDK infers the
schema (`secured-m2m-api:index:<Class>`) from these classes' annotations and docstrings, prints
its port and answers `GetSchema` and `Construct`. The program itself uses the same classes in
process, never through a generated SDK (which would hide their children from its mocks, the
policy pack and the report).
"""

from __future__ import annotations

from pulumi import ComponentResource
from pulumi.provider.experimental import component_provider_host

from secured_m2m_api import PACKAGE, __version__
from secured_m2m_api.account_logging import ApiGatewayCloudWatchRole
from secured_m2m_api.consumers import M2MConsumers
from secured_m2m_api.identity import M2MIdentity
from secured_m2m_api.m2m_api import SecuredM2MApi
from secured_m2m_api.secured_api import SecuredRestApi

COMPONENTS: list[type[ComponentResource]] = [
    SecuredM2MApi,
    M2MIdentity,
    SecuredRestApi,
    M2MConsumers,
    ApiGatewayCloudWatchRole,
]


def serve() -> None:
    """Serve the components until the engine ends the process."""
    component_provider_host(COMPONENTS, PACKAGE, version=__version__)
