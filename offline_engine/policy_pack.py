"""Talking to a policy pack exactly as the Pulumi CLI does: a process and its Analyzer gRPC service.

`PolicyPackProcess` starts `python -u -m pulumi.policy <engine-address> .` with the pack folder
as working directory, reads the gRPC port from the first stdout line, and calls
GetAnalyzerInfo, Configure, Analyze and AnalyzeStack with the stubs in `pulumi.runtime.proto`.
A tiny fake Engine (`fake_engine`, only `Log`) listens on 127.0.0.1 for the engine address the
CLI would pass; replies are decoded by `diagnostics`.

    with PolicyPackProcess() as pack:
        pack.configure()                       # every policy at its declared level
        diags = pack.analyze(resource("aws:apigateway/method:Method", "m", {...}))
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc, plugin_pb2

from .analyzer_requests import (
    analyze_request,
    analyzer_resource,
    as_record,
    provider_of,
    providers_by_urn,
)
from .diagnostics import LEVEL_NAMES, LEVELS, Diagnostic, decode_diagnostics
from .fake_engine import FakeEngine
from .records import RecordedResource

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PACK_DIR = REPO_ROOT / "policies"


class PackStartError(RuntimeError):
    """The pack process did not print a port in time (its stderr is in the message)."""


class PolicyPackProcess:
    """A running policy pack, started as the CLI starts it; use as a context manager.

    `pack_dir` defaults to <repo>/policies; `python` defaults to this interpreter (a fresh venv's
    python can be passed to prove the pack runs from its own requirements).
    """

    def __init__(
        self,
        pack_dir: str | Path | None = None,
        *,
        python: str | Path | None = None,
        start_timeout: float = 30.0,
        rpc_timeout: float = 120.0,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.pack_dir = Path(pack_dir) if pack_dir is not None else DEFAULT_PACK_DIR
        self.python = str(python or sys.executable)
        self.start_timeout = start_timeout
        self.rpc_timeout = rpc_timeout
        self.env = dict(env) if env is not None else None
        self.port: int | None = None
        self.engine: FakeEngine | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: Any = None
        self._channel: grpc.Channel | None = None
        self._stub: Any = None
        self._info: analyzer_pb2.AnalyzerInfo | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> PolicyPackProcess:
        """Spawn the pack and wait until its Analyzer answers (`spawn` then `connect`)."""
        return self.spawn().connect()

    def spawn(self) -> PolicyPackProcess:
        """Start the pack process and return at once, without waiting for its port.

        The pack's interpreter start-up (imports of pulumi, grpc and the policies) then runs
        while the caller does other work, e.g. runs the program; `connect` waits for it. Call
        `stop` on every path afterwards, failures included, or the process outlives the caller.
        """
        if self._proc is not None:
            raise RuntimeError("the policy pack is already started")
        self.engine = FakeEngine()
        env = dict(os.environ if self.env is None else self.env)
        # The pack must not pick up this repository (or a test's) import path.
        env.pop("PYTHONPATH", None)
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process
        self._proc = subprocess.Popen(
            [self.python, "-u", "-m", "pulumi.policy", self.engine.address, "."],
            cwd=self.pack_dir,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        return self

    def connect(self) -> PolicyPackProcess:
        """Read the port the spawned pack prints and open a ready gRPC channel to it."""
        if self._proc is None:
            raise RuntimeError("spawn() the policy pack before connect()")
        self.port = self._read_port()
        self._channel = grpc.insecure_channel(
            f"127.0.0.1:{self.port}",
            options=[
                ("grpc.max_receive_message_length", 400 * 1024 * 1024),
                ("grpc.max_send_message_length", 400 * 1024 * 1024),
            ],
        )
        grpc.channel_ready_future(self._channel).result(timeout=self.start_timeout)
        self._stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)
        return self

    def _read_port(self) -> int:
        assert self._proc is not None
        assert self._proc.stdout is not None
        line: list[bytes] = []
        reader = threading.Thread(
            target=lambda: line.append(self._proc.stdout.readline()),  # type: ignore[union-attr]
            daemon=True,
        )
        reader.start()
        reader.join(self.start_timeout)
        first = line[0].decode(errors="replace").strip() if line else ""
        if not first.isdigit():
            self.stop()
            raise PackStartError(
                f"policy pack in {self.pack_dir} did not print a port within "
                f"{self.start_timeout}s (first stdout line: {first!r}); stderr:\n{self.stderr()}"
            )
        return int(first)

    def stderr(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return bytes(self._stderr.read()).decode(errors="replace")

    def stop(self) -> None:
        """Terminate the pack, then close the channel and the fake engine. Safe to repeat.

        The process goes first: closing a gRPC channel while its server is still alive waits
        for the connection's graceful shutdown (about 200 ms per run); with the server gone
        the close is immediate. Each step runs even if an earlier one raised.
        """
        try:
            if self._proc is not None:
                proc, self._proc = self._proc, None
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
                if proc.stdout is not None:
                    proc.stdout.close()
        finally:
            try:
                if self._channel is not None:
                    channel, self._channel = self._channel, None
                    self._stub = None
                    channel.close()
            finally:
                if self.engine is not None:
                    engine, self.engine = self.engine, None
                    engine.stop()

    @property
    def running(self) -> bool:
        """Whether the pack process exists and has not exited."""
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        """The pack process's id while it is started (None before `spawn` and after `stop`)."""
        return self._proc.pid if self._proc is not None else None

    def __enter__(self) -> PolicyPackProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- RPCs ------------------------------------------------------------------------------
    def info(self) -> analyzer_pb2.AnalyzerInfo:
        """GetAnalyzerInfo (cached): name, version, every policy with level and schema."""
        if self._info is None:
            self._info = self._stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=self.rpc_timeout)
        return self._info

    def plugin_version(self) -> str:
        reply: plugin_pb2.PluginInfo = self._stub.GetPluginInfo(
            empty_pb2.Empty(), timeout=self.rpc_timeout
        )
        return str(reply.version)

    def policy_names(self) -> list[str]:
        return [p.name for p in self.info().policies]

    def declared_levels(self) -> dict[str, str]:
        return {p.name: LEVEL_NAMES[p.enforcementLevel] for p in self.info().policies}

    def configure(
        self,
        levels: Mapping[str, str] | None = None,
        config: Mapping[str, Mapping[str, Any]] | None = None,
        default_level: str | None = "mandatory",
    ) -> dict[str, str]:
        """Configure every policy with an explicit level (an unset level reads as advisory).

        `levels` overrides per policy; others get `default_level`, or their declared level when
        `default_level` is None (what the CLI sends for a pack without config). `config` maps a
        policy name to its properties; schema defaults are filled in as the CLI does. Returns
        the levels sent.
        """
        levels = dict(levels or {})
        config = config or {}
        declared = self.declared_levels()
        unknown = set(levels) - set(declared)
        if unknown:
            raise KeyError(f"no such policy: {', '.join(sorted(unknown))}")
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        sent: dict[str, str] = {}
        for policy in self.info().policies:
            level = levels.get(policy.name, default_level or declared[policy.name])
            sent[policy.name] = level
            props = _schema_defaults(policy)
            props.update(config.get(policy.name, {}))
            entry = analyzer_pb2.PolicyConfig(enforcementLevel=LEVELS[level])  # type: ignore[arg-type]
            if props:
                entry.properties.update(props)
            request.policyConfig[policy.name].CopyFrom(entry)
        self._stub.Configure(request, timeout=self.rpc_timeout)
        return sent

    def analyze(
        self,
        res: RecordedResource | Mapping[str, Any],
        provider: RecordedResource | None = None,
    ) -> list[Diagnostic]:
        """Analyze one resource's inputs, as during preview/update of that resource.

        `provider` is the resource's provider, sent beside it with its inputs as the engine
        does (`AnalyzerProviderResource`).
        """
        return decode_diagnostics(self.analyze_raw(res, provider), as_record(res).urn)

    def analyze_raw(
        self,
        res: RecordedResource | Mapping[str, Any],
        provider: RecordedResource | None = None,
    ) -> analyzer_pb2.AnalyzeResponse:
        response: analyzer_pb2.AnalyzeResponse = self._stub.Analyze(
            analyze_request(res, provider), timeout=self.rpc_timeout
        )
        return response

    def remediate(
        self,
        res: RecordedResource | Mapping[str, Any],
        provider: RecordedResource | None = None,
    ) -> analyzer_pb2.RemediateResponse:
        """Remediate one resource's inputs, as the engine does for policies set to `remediate`.

        The response lists, in order, each applied remediation (policy name and the resource's
        properties after it) and the policies that offer none.
        """
        response: analyzer_pb2.RemediateResponse = self._stub.Remediate(
            analyze_request(res, provider), timeout=self.rpc_timeout
        )
        return response

    def analyze_stack(
        self, resources: Iterable[RecordedResource | Mapping[str, Any]]
    ) -> list[Diagnostic]:
        """AnalyzeStack over every resource's outputs, with parent and dependencies linked, and
        each resource's provider (found among `resources` by its reference) beside it."""
        records = [as_record(r) for r in resources]
        providers = providers_by_urn(records)
        request = analyzer_pb2.AnalyzeStackRequest(
            resources=[analyzer_resource(r, provider_of(r, providers)) for r in records]
        )
        return decode_diagnostics(self._stub.AnalyzeStack(request, timeout=self.rpc_timeout))

    def analyze_all(
        self, resources: Sequence[RecordedResource | Mapping[str, Any]]
    ) -> list[Diagnostic]:
        """What a deployment shows: Analyze on each resource in order (registration order: each
        before it is created), then AnalyzeStack."""
        records = [as_record(r) for r in resources]
        providers = providers_by_urn(records)
        diags: list[Diagnostic] = []
        for record in records:
            diags.extend(self.analyze(record, provider_of(record, providers)))
        diags.extend(self.analyze_stack(records))
        return diags


def _schema_defaults(policy: analyzer_pb2.PolicyInfo) -> dict[str, Any]:
    schema = json_format.MessageToDict(policy.configSchema.properties)
    return {
        key: spec["default"]
        for key, spec in schema.items()
        if isinstance(spec, dict) and "default" in spec
    }


__all__ = ["DEFAULT_PACK_DIR", "Diagnostic", "PackStartError", "PolicyPackProcess"]
