"""A ResourceMonitor gRPC service: what `ConstructRequest.monitorEndpoint` points a component at.

A component provider registers the component and its children with the monitor the engine
names, exactly as a program registers with the engine. This one listens on 127.0.0.1, records
every call and answers each registration as the engine would: the URN by the engine's rule
(`urns.new_urn`), and for a custom resource an id and the provider's computed outputs from the
same AWS mocks the program's runs use (`mocks.AwsMocks`), or, in preview, the inputs alone.
Secret inputs come back secret and `additionalSecretOutputs` are made secret, as the engine
does; a component's outputs inherit that.

Feature negotiation (pulumi 3.272, `pulumi/runtime/settings.py`): Construct first calls
`GetDeploymentInfo`; only when that answers UNIMPLEMENTED does the SDK ask `SupportsFeature`
per feature (what older engines answer). A Python component needs `aliasSpecs` (without it every
Construct fails: "'DependencyResource' object has no attribute '_name'") and `secrets`
(without it secret outputs silently come back plain).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from concurrent import futures
from dataclasses import dataclass, field, replace
from threading import Lock
from types import TracebackType
from typing import Any

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.mocks import MockResourceArgs
from pulumi.runtime.proto import resource_pb2, resource_pb2_grpc

from .mocks import AwsMocks
from .urns import ROOT_STACK_TYPE, AliasSpec, Registration, new_urn
from .wire import Secret, decode_marked, to_struct, unmarked

FEATURES: dict[str, resource_pb2.ResourceMonitorFeature.ValueType] = {
    "secrets": resource_pb2.RESOURCE_MONITOR_FEATURE_SECRETS,
    "resourceReferences": resource_pb2.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
    "outputValues": resource_pb2.RESOURCE_MONITOR_FEATURE_OUTPUT_VALUES,
    "deletedWith": resource_pb2.RESOURCE_MONITOR_FEATURE_DELETED_WITH,
    "aliasSpecs": resource_pb2.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
    "transforms": resource_pb2.RESOURCE_MONITOR_FEATURE_TRANSFORMS,
}
# What a Python component provider needs of the engine.
COMPONENT_FEATURES: frozenset[str] = frozenset(
    {"secrets", "resourceReferences", "outputValues", "aliasSpecs"}
)


@dataclass(frozen=True)
class Registered:
    """One RegisterResource (or ReadResource) call, decoded: inputs keep their markers."""

    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    aliases: tuple[AliasSpec, ...] = ()
    dependencies: tuple[str, ...] = ()
    property_dependencies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    additional_secret_outputs: tuple[str, ...] = ()
    version: str = ""
    id: str = ""
    external: bool = False

    def registration(self) -> Registration:
        """What `urns.AliasResolver` needs to find this resource's old state."""
        return Registration(self.type, self.name, self.parent, self.aliases)


@dataclass
class _Servicer(resource_pb2_grpc.ResourceMonitorServicer):
    stack: str
    project: str
    features: frozenset[str]
    deployment_info: bool
    preview: bool
    mocks: AwsMocks
    registrations: list[Registered] = field(default_factory=list)
    registered_outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    lock: Lock = field(default_factory=Lock)

    def _note(self, call: str) -> None:
        with self.lock:
            self.calls.append(call)

    def GetDeploymentInfo(self, request: Any, context: Any) -> Any:
        self._note("GetDeploymentInfo")
        if not self.deployment_info:
            context.abort(grpc.StatusCode.UNIMPLEMENTED, "GetDeploymentInfo not implemented")
        return resource_pb2.DeploymentInfo(
            supportedFeatures=sorted(FEATURES[f] for f in self.features if f in FEATURES)
        )

    def SupportsFeature(self, request: Any, context: Any) -> Any:
        self._note(f"SupportsFeature {request.id}")
        return resource_pb2.SupportsFeatureResponse(hasSupport=request.id in self.features)

    def RegisterResource(self, request: Any, context: Any) -> Any:
        self._note("RegisterResource")
        urn = new_urn(self.stack, self.project, request.parent, request.type, request.name)
        inputs = decode_marked(request.object)
        record = Registered(
            urn=urn,
            type=request.type,
            name=request.name,
            parent=request.parent,
            custom=request.custom,
            inputs=inputs,
            aliases=tuple(AliasSpec.from_proto(a) for a in request.aliases),
            dependencies=tuple(request.dependencies),
            property_dependencies={
                k: tuple(v.urns) for k, v in request.propertyDependencies.items()
            },
            additional_secret_outputs=tuple(request.additionalSecretOutputs),
            version=request.version,
        )
        resource_id = ""
        outputs: dict[str, Any] = dict(inputs)
        if request.custom and not self.preview:
            new_id, state = self.mocks.new_resource(
                MockResourceArgs(
                    typ=request.type,
                    name=request.name,
                    inputs=unmarked(inputs),
                    provider=request.provider,
                    resource_id=request.importId,
                    custom=True,
                )
            )
            resource_id = new_id or ""
            outputs.update({k: v for k, v in state.items() if k not in inputs})
        for key in record.additional_secret_outputs:
            if key in outputs and not isinstance(outputs[key], Secret):
                outputs[key] = Secret(outputs[key])
        with self.lock:
            self.registrations.append(replace(record, id=resource_id))
        return resource_pb2.RegisterResourceResponse(
            urn=urn,
            id=resource_id,
            object=to_struct(outputs) if request.custom else None,
        )

    def ReadResource(self, request: Any, context: Any) -> Any:
        self._note("ReadResource")
        urn = new_urn(self.stack, self.project, request.parent, request.type, request.name)
        state = self.mocks.read(request.type, request.name, request.id)
        with self.lock:
            self.registrations.append(
                Registered(
                    urn=urn,
                    type=request.type,
                    name=request.name,
                    parent=request.parent,
                    custom=True,
                    inputs={},
                    version=request.version,
                    id=request.id,
                    external=True,
                )
            )
        return resource_pb2.ReadResourceResponse(urn=urn, properties=to_struct(state))

    def RegisterResourceOutputs(self, request: Any, context: Any) -> empty_pb2.Empty:
        with self.lock:
            self.calls.append("RegisterResourceOutputs")
            self.registered_outputs[request.urn] = decode_marked(request.outputs)
        return empty_pb2.Empty()

    def _unimplemented(self, name: str, context: Any) -> Any:
        self._note(name)
        context.abort(grpc.StatusCode.UNIMPLEMENTED, f"{name} is not played offline")

    def Invoke(self, request: Any, context: Any) -> Any:
        return self._unimplemented(f"Invoke {request.tok}", context)

    def Call(self, request: Any, context: Any) -> Any:
        return self._unimplemented(f"Call {request.tok}", context)

    def RegisterPackage(self, request: Any, context: Any) -> Any:
        return self._unimplemented("RegisterPackage", context)


class ResourceMonitor:
    """A recording ResourceMonitor on 127.0.0.1; pass `address` as Construct's monitorEndpoint.

    `project` and `stack` are the consuming program's, as the engine's URNs carry them.
    """

    def __init__(
        self,
        *,
        stack: str = "dev",
        project: str = "consumer",
        region: str = "eu-west-1",
        features: Iterable[str] = COMPONENT_FEATURES,
        deployment_info: bool = False,
        preview: bool = False,
    ) -> None:
        self._servicer = _Servicer(
            stack=stack,
            project=project,
            features=frozenset(features),
            deployment_info=deployment_info,
            preview=preview,
            mocks=AwsMocks(region),
        )
        self.stack = stack
        self.project = project
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        resource_pb2_grpc.add_ResourceMonitorServicer_to_server(self._servicer, self._server)
        port = self._server.add_insecure_port("127.0.0.1:0")
        self.address = f"127.0.0.1:{port}"
        self._server.start()

    @property
    def stack_urn(self) -> str:
        """The root stack's URN: the parent of a component declared at a program's top."""
        name = f"{self.project}-{self.stack}"
        return new_urn(self.stack, self.project, "", ROOT_STACK_TYPE, name)

    @property
    def registrations(self) -> list[Registered]:
        with self._servicer.lock:
            return list(self._servicer.registrations)

    @property
    def registered_outputs(self) -> dict[str, dict[str, Any]]:
        with self._servicer.lock:
            return dict(self._servicer.registered_outputs)

    @property
    def calls(self) -> list[str]:
        with self._servicer.lock:
            return list(self._servicer.calls)

    def settle(self, quiet: float = 0.3, timeout: float = 5.0) -> list[Registered]:
        """The registrations, once no call has arrived for `quiet` seconds.

        A registration the SDK scheduled before an exception can reach the monitor after
        Construct has already answered with the error: a test asserting "nothing was
        registered" settles first.
        """
        deadline = time.monotonic() + timeout
        seen = -1
        while time.monotonic() < deadline:
            count = len(self.calls)
            if count == seen:
                break
            seen = count
            time.sleep(quiet)
        return self.registrations

    def named(self, name: str, type_: str | None = None) -> Registered:
        """The one registration with this name (and type); siblings arrive in any order."""
        found = [r for r in self.registrations if r.name == name and type_ in (None, r.type)]
        if len(found) != 1:
            raise LookupError(f"{len(found)} registrations named {name!r}")
        return found[0]

    def children_of(self, urn: str) -> list[Registered]:
        return [r for r in self.registrations if r.parent == urn]

    def stop(self) -> None:
        self._server.stop(0)

    def __enter__(self) -> ResourceMonitor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
