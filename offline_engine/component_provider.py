"""Start a component provider plugin as the Pulumi engine starts it, and call it over gRPC.

The Python language host runs a plugin folder that has a `__main__.py` as
`<python> <plugin folder> <engine args...>`, in the *engine's* working directory (the consuming
program's folder), not the plugin's (pulumi/pulumi `sdk/python/cmd/pulumi-language-python/
main.go` `RunPlugin`: `args = append(args, req.Info.ProgramDirectory); args = append(args,
req.Args...)` and `cmd.Dir = req.Pwd`). For a resource provider the engine args are the engine
host's address. The plugin prints its port as the first stdout line, then serves
`GetSchema`, `Configure` and `Construct`; during a Construct it logs to the engine
(`fake_engine.FakeEngine` answers `Log`) and registers with the monitor the request names
(`resource_monitor.ResourceMonitor`).

    with ProviderProcess(PLUGIN_DIR) as provider:
        schema = provider.get_schema()
        provider.configure()
        with ResourceMonitor() as monitor:
            result = provider.construct(monitor, "secured-m2m-api:index:X", "name", {...})
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import (
    alias_pb2,
    errors_pb2,
    provider_pb2,
    provider_pb2_grpc,
    status_pb2,
)

from .fake_engine import FakeEngine
from .resource_monitor import ResourceMonitor
from .urns import AliasSpec
from .wire import decode_marked, secret_paths, to_struct


class ProviderStartError(RuntimeError):
    """The plugin exited or printed no port in time; its stderr is in the message."""


@dataclass(frozen=True)
class PropertyError:
    """One `InputPropertiesError` entry: a property path and why it is refused."""

    property_path: str
    reason: str


class ProviderCallError(RuntimeError):
    """A gRPC call to the provider failed: its status code, details and property errors."""

    def __init__(self, method: str, error: grpc.RpcError) -> None:
        self.method = method
        self.code: grpc.StatusCode = error.code()
        self.details: str = error.details() or ""
        self.property_errors = _property_errors(error)
        super().__init__(f"{method} failed: {self.code.name}: {self.details}")


def _property_errors(error: grpc.RpcError) -> list[PropertyError]:
    """The `InputPropertiesError` the SDK packs into `grpc-status-details-bin`."""
    found: list[PropertyError] = []
    for key, value in error.trailing_metadata() or ():
        if key != "grpc-status-details-bin":
            continue
        status = status_pb2.Status()
        status.ParseFromString(value)
        for detail in status.details:
            errors = errors_pb2.InputPropertiesError()
            if detail.Unpack(errors):
                found.extend(PropertyError(e.property_path, e.reason) for e in errors.errors)
    return found


def engine_diagnostic(type_: str, name: str, error: ProviderCallError) -> str:
    """The error line the CLI prints for a failed Construct (without property values).

    The engine turns the gRPC error into `diag.GetResourceInvalidError`, "%v resource '%v' has
    a problem: %v", whose message is the status details and one line per property error
    (pulumi/pulumi `pkg/resource/deploy/source_eval.go` `errorToMessage`).
    """
    message = error.details
    for err in error.property_errors:
        message += f"\n\t\t- property {err.property_path} has a problem: {err.reason}"
    return f"{type_} resource '{name}' has a problem: {message}"


@dataclass(frozen=True)
class ConstructResult:
    """A decoded ConstructResponse: the component's URN and its outputs (markers kept)."""

    urn: str
    state: dict[str, Any]
    state_dependencies: dict[str, tuple[str, ...]]

    @property
    def secret_outputs(self) -> list[str]:
        """Outputs (or paths inside them) the provider marked secret."""
        return secret_paths(self.state)


def _alias_message(alias: AliasSpec) -> alias_pb2.Alias:
    if alias.urn:
        return alias_pb2.Alias(urn=alias.urn)
    spec = alias_pb2.Alias.Spec(
        name=alias.name, type=alias.type, stack=alias.stack, project=alias.project
    )
    if alias.no_parent:
        spec.noParent = True
    elif alias.parent_urn:
        spec.parentUrn = alias.parent_urn
    return alias_pb2.Alias(spec=spec)


class ProviderProcess:
    """A running plugin; use as a context manager.

    `python` defaults to this interpreter; `cwd` to a fresh temporary folder (never the plugin
    folder, as with the engine). The plugin gets no PYTHONPATH: it must import only what its
    folder and its interpreter give it.
    """

    def __init__(
        self,
        plugin_dir: str | Path,
        *,
        python: str | Path | None = None,
        cwd: str | Path | None = None,
        start_timeout: float = 60.0,
        rpc_timeout: float = 120.0,
    ) -> None:
        self.plugin_dir = Path(plugin_dir).resolve()
        self.python = str(python or sys.executable)
        self._cwd = Path(cwd) if cwd is not None else None
        self.start_timeout = start_timeout
        self.rpc_timeout = rpc_timeout
        self.engine: FakeEngine | None = None
        self.port: int | None = None
        self.seconds_to_port = 0.0
        self._proc: subprocess.Popen[bytes] | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._channel: grpc.Channel | None = None
        self._stub: provider_pb2_grpc.ResourceProviderStub | None = None
        self._stderr: list[bytes] = []
        self._first_line: list[str] = []
        self._port_ready = threading.Event()
        self._readers: list[threading.Thread] = []

    @property
    def cwd(self) -> Path:
        if self._cwd is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="engine-cwd-")
            self._cwd = Path(self._tmp.name)
        return self._cwd

    @property
    def stderr(self) -> str:
        return b"".join(self._stderr).decode(errors="replace")

    def start(self) -> ProviderProcess:
        """Spawn the plugin, read its port, open a ready channel; on any failure, stop it."""
        self.engine = FakeEngine()
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        command = [self.python, str(self.plugin_dir), self.engine.address]
        started = time.perf_counter()
        self._proc = subprocess.Popen(
            command, cwd=self.cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        try:
            self._readers = [
                threading.Thread(target=self._read_stdout, daemon=True),
                threading.Thread(target=self._read_stderr, daemon=True),
            ]
            for reader in self._readers:
                reader.start()
            if not self._port_ready.wait(self.start_timeout) or not self._first_line:
                raise ProviderStartError(
                    f"{command} printed no port (exit code {self._proc.poll()}); "
                    f"stderr:\n{self.stderr}"
                )
            line = self._first_line[0].strip()
            if not line.isdigit():
                raise ProviderStartError(f"first stdout line is not a port: {line!r}")
            self.port = int(line)
            self.seconds_to_port = time.perf_counter() - started
            self._channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
            grpc.channel_ready_future(self._channel).result(timeout=self.start_timeout)
            self._stub = provider_pb2_grpc.ResourceProviderStub(self._channel)
        except BaseException:
            self.stop()
            raise
        return self

    def _read_stdout(self) -> None:
        assert self._proc is not None
        assert self._proc.stdout is not None
        for raw in self._proc.stdout:
            if not self._first_line:
                self._first_line.append(raw.decode(errors="replace"))
                self._port_ready.set()
        self._port_ready.set()

    def _read_stderr(self) -> None:
        assert self._proc is not None
        assert self._proc.stderr is not None
        while chunk := os.read(self._proc.stderr.fileno(), 65536):
            self._stderr.append(chunk)

    def stop(self) -> None:
        """End the plugin as the engine does when it closes a plugin (terminate, then kill)."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=10)
        for reader in self._readers:
            reader.join(timeout=5)
        self._readers = []
        if self.engine is not None:
            self.engine.stop()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> ProviderProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _call(self, method: str, request: Any) -> Any:
        if self._stub is None:
            raise RuntimeError("start() the provider first")
        try:
            return getattr(self._stub, method)(request, timeout=self.rpc_timeout)
        except grpc.RpcError as error:
            raise ProviderCallError(method, error) from None

    def get_schema(self) -> dict[str, Any]:
        """`GetSchema(version=0)`, as `pulumi package add` and `package get-schema` call it."""
        response = self._call("GetSchema", provider_pb2.GetSchemaRequest(version=0))
        schema: dict[str, Any] = json.loads(response.schema)
        return schema

    def get_plugin_info(self) -> str:
        return str(self._call("GetPluginInfo", empty_pb2.Empty()).version)

    def configure(self, variables: Mapping[str, str] | None = None) -> None:
        """`Configure`, as the engine sends it before the first Construct."""
        self._call(
            "Configure",
            provider_pb2.ConfigureRequest(
                variables=dict(variables or {}),
                acceptSecrets=True,
                acceptResources=True,
            ),
        )

    def construct(
        self,
        monitor: ResourceMonitor,
        type_: str,
        name: str,
        inputs: Mapping[str, Any],
        *,
        config: Mapping[str, str] | None = None,
        dependencies: Sequence[str] = (),
        aliases: Sequence[AliasSpec] = (),
        preview: bool = False,
    ) -> ConstructResult:
        """`Construct` as the engine sends it for a component a program declares at its top.

        `inputs` may hold `wire` markers (`Secret`, `COMPUTED`, `OutputValue`); `config` is the
        program's stack config (`aws:region`, ...), which the component sees as its own.
        """
        request = provider_pb2.ConstructRequest(
            project=monitor.project,
            stack=monitor.stack,
            config=dict(config or {}),
            dryRun=preview,
            parallel=16,
            monitorEndpoint=monitor.address,
            type=type_,
            name=name,
            parent=monitor.stack_urn,
            inputs=to_struct(inputs),
            dependencies=list(dependencies),
            organization="organization",
            aliases=[_alias_message(a) for a in aliases],
            accepts_output_values=True,
        )
        response = self._call("Construct", request)
        return ConstructResult(
            urn=response.urn,
            state=decode_marked(response.state),
            state_dependencies={k: tuple(v.urns) for k, v in response.stateDependencies.items()},
        )
