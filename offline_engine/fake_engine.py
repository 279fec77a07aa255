"""The engine's gRPC side a policy pack calls back: `Log` only, recorded.

The CLI passes a pack the address of its Engine service; the pack logs through it. This one
listens on 127.0.0.1 and keeps what it is sent, for tests that assert a pack logs nothing.
"""

from __future__ import annotations

from concurrent import futures
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import engine_pb2_grpc


@dataclass
class _LogRecorder(engine_pb2_grpc.EngineServicer):
    logs: list[tuple[int, str, str]] = field(default_factory=list)

    def Log(self, request: Any, context: Any) -> empty_pb2.Empty:
        self.logs.append((request.severity, request.message, request.urn))
        return empty_pb2.Empty()


class FakeEngine:
    """An Engine gRPC server implementing only `Log`, recording what the pack logs."""

    def __init__(self) -> None:
        self.recorder = _LogRecorder()
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        engine_pb2_grpc.add_EngineServicer_to_server(self.recorder, self._server)
        port = self._server.add_insecure_port("127.0.0.1:0")
        self.address = f"127.0.0.1:{port}"
        self._server.start()

    @property
    def logs(self) -> list[tuple[int, str, str]]:
        return self.recorder.logs

    def stop(self) -> None:
        self._server.stop(0)
