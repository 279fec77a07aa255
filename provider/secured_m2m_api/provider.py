"""The component provider: the classes `pulumi package add` turns into an SDK for any language.

The engine runs the plugin folder's `__main__.py`, which calls `serve`; the SDK infers the
schema (`secured-m2m-api:index:<Class>`) from these classes' annotations and docstrings, prints
its port and answers `GetSchema` and `Construct`. The program itself uses the same classes in
process, never through a generated SDK (which would hide their children from its mocks, the
policy pack and the report).

`serve` is the SDK's own host (`component_provider_host`: its `ComponentProvider` under
`pulumi.provider.main`) with two changes:

- an input a component refuses reaches the engine as our message alone. The SDK wraps any
  exception from a component's constructor and sends "Unexpected <class 'Exception'>:
  <message>:" followed by a Python traceback; an `InputError` (every bad-input error of this
  package) is sent instead as the protocol's invalid-input error with that message, which the
  engine shows as "<type> resource '<name>' has a problem: <message>";
- descriptions are the docstrings dedented (the SDK keeps each continuation line's indent,
  which every generated SDK would print).
"""

from __future__ import annotations

import inspect
import json
import sys
from typing import Any

from pulumi import ComponentResource, ResourceOptions
from pulumi.errors import InputPropertiesError
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.provider import ConstructResult
from pulumi.provider.server import ComponentInitError, main

from apigw_guard.model.errors import InputError
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


class SecuredM2MApiProvider(ComponentProvider):
    """The SDK's component provider, with bad input sent as invalid input, not as a crash,
    and descriptions without the docstrings' source indentation."""

    def __init__(self, components: list[type[ComponentResource]], name: str, version: str) -> None:
        super().__init__(components, name, None, version)
        if self.schema is not None:
            self.schema = json.dumps(_dedented(json.loads(self.schema)))

    def construct(
        self,
        name: str,
        resource_type: str,
        inputs: Any,
        options: ResourceOptions | None = None,
    ) -> ConstructResult:
        try:
            return super().construct(name, resource_type, inputs, options)
        except ComponentInitError as err:
            if isinstance(err.inner, InputError):
                # An empty list, not None: the SDK (3.272) only sets the status's trailing
                # metadata when a list is given, and fails with AttributeError without it.
                raise InputPropertiesError(str(err.inner), []) from None
            raise


def _dedented(value: Any) -> Any:
    """Every `description` in a schema with its docstring's indentation removed."""
    if isinstance(value, dict):
        return {
            k: inspect.cleandoc(v) if k == "description" and isinstance(v, str) else _dedented(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_dedented(v) for v in value]
    return value


def serve() -> None:
    """Serve the components until the engine ends the process."""
    main(SecuredM2MApiProvider(COMPONENTS, PACKAGE, __version__), sys.argv[1:])
