"""Run the Pulumi program offline, the way `pulumi up` / `pulumi preview` would, under mocks.

Config is assembled and checked as the CLI does (`stack_files.load_stack_config`) and passed as
namespaced strings, and `__main__.py` runs with the project directory as cwd and on `sys.path`
inside a fresh Stack. Every `RegisterResource` is recorded in
wire format (`offline_engine.records.RecordedResource`), and the stack outputs are returned with a
secret flag.

Each run executes in a brand-new `contextvars.Context` with its own event loop, so the Pulumi
runtime's global settings (monitor, stack, root resource, config) never leak between runs.
Errors raised by the program (its input errors and any bug) propagate as they are.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import os
import runpy
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime import config as pulumi_config
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.mocks import MockEngine, MockSettings
from pulumi.runtime.stack import run_in_stack

from .mocks import AwsMocks, RecordingMonitor
from .records import RecordedResource
from .stack_files import load_stack_config
from .wire import contains_secret, decode

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_REGION = "us-east-1"

# One run at a time: the program changes the process's cwd, sys.path and environment.
_RUN_LOCK = threading.Lock()


@dataclass(frozen=True)
class StackOutput:
    """One stack output: its plain value (secrets revealed, unknowns as `UNKNOWN`) and flag."""

    value: Any
    secret: bool


@dataclass
class CapturedStack:
    """What one offline run produced.

    `resources` are in registration order (components included, the root Stack excluded);
    `outputs` maps each exported name to a `StackOutput`; `config` is the namespaced string
    config the program saw, `secret_keys` the keys that were `secure:` values;
    `registered_outputs` is what each component passed to `register_outputs`, by URN, in wire
    format (secrets still wrapped).
    """

    project: str
    stack: str
    preview: bool
    config: dict[str, str]
    secret_keys: list[str]
    resources: list[RecordedResource]
    outputs: dict[str, StackOutput]
    stack_urn: str = ""
    raw_outputs: struct_pb2.Struct = field(default_factory=struct_pb2.Struct)
    registered_outputs: dict[str, struct_pb2.Struct] = field(default_factory=dict)

    def of_type(self, type_: str) -> list[RecordedResource]:
        """Every recorded resource of a type token, e.g. `aws:cognito/userPool:UserPool`."""
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str) -> RecordedResource:
        """The single resource of a type; raises if there are none or several."""
        found = self.of_type(type_)
        if len(found) != 1:
            raise LookupError(f"expected exactly one {type_}, found {len(found)}")
        return found[0]

    def by_name(self, name: str) -> RecordedResource:
        """The resource with this logical name."""
        for record in self.resources:
            if record.name == name:
                return record
        raise LookupError(f"no resource named {name!r}")

    @property
    def custom_resources(self) -> list[RecordedResource]:
        """Only the resources a provider manages (what AWS would bill for)."""
        return [r for r in self.resources if r.custom]


def run_program(
    stack: str = "dev",
    *,
    project_dir: Path = PROJECT_DIR,
    config_overrides: Mapping[str, Any] | None = None,
    preview: bool = False,
    monitor: RecordingMonitor | None = None,
) -> CapturedStack:
    """Run `<project_dir>/__main__.py` under mocks and return what it registered and exported.

    `preview=True` behaves like `pulumi preview`: computed attributes (ids, ARNs, secrets) stay
    unknown. Safe to call repeatedly in one process (each run is isolated). Pass your own
    `monitor` (e.g. `new_monitor(...)`) to inspect what was registered when the program raises.
    """
    project_dir = project_dir.resolve()  # the run changes cwd; a relative path would break
    project, config, secret_keys = load_stack_config(
        stack, project_dir=project_dir, config_overrides=config_overrides
    )
    if monitor is None:
        monitor = new_monitor(config, preview=preview)
    elif monitor.preview != preview:
        raise ValueError(f"monitor.preview={monitor.preview} but preview={preview}")
    with _RUN_LOCK, _process_state(project_dir, config, secret_keys):
        contextvars.Context().run(
            _run_isolated, monitor, project, stack, preview, project_dir, config, secret_keys
        )
    return CapturedStack(
        project=project,
        stack=stack,
        preview=preview,
        config=config,
        secret_keys=secret_keys,
        resources=list(monitor.records),
        outputs=_stack_outputs(monitor.stack_outputs),
        stack_urn=monitor.stack_urn,
        raw_outputs=monitor.stack_outputs,
        registered_outputs={
            urn: outputs
            for urn, outputs in monitor.registered_outputs.items()
            if urn != monitor.stack_urn
        },
    )


def new_monitor(
    config: Mapping[str, str],
    *,
    preview: bool = False,
    honour_additional_secret_outputs: bool = True,
    previous: frozenset[str] | None = None,
) -> RecordingMonitor:
    """A recording monitor answering with AWS mocks for the config's `aws:region`.

    `honour_additional_secret_outputs=False` plays a provider that marks nothing secret;
    `previous` (URNs) plays a stack deployed before, as `RecordingMonitor` describes.
    """
    # The provider's order: `aws:region`, then AWS_REGION, then AWS_DEFAULT_REGION.
    region = (
        config.get("aws:region")
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or DEFAULT_REGION
    )
    return RecordingMonitor(
        AwsMocks(region),
        preview=preview,
        honour_additional_secret_outputs=honour_additional_secret_outputs,
        previous=previous,
    )


def _run_isolated(
    monitor: RecordingMonitor,
    project: str,
    stack: str,
    preview: bool,
    project_dir: Path,
    config: dict[str, str],
    secret_keys: list[str],
) -> None:
    """Body of one run, inside a fresh context: configure the runtime, run the program."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        # What `pulumi.runtime.set_mocks` does, minus creating a root Stack: `run_in_stack`
        # creates the Stack itself, exactly as the CLI's language host does.
        features = monitor.GetDeploymentInfo(None).supportedFeatures  # type: ignore[no-untyped-call]
        MockSettings(  # type: ignore[no-untyped-call]
            monitor=monitor,
            monitor_features=set(features),
            engine=MockEngine(None),
            project=project,
            stack=stack,
            dry_run=preview,
            organization="organization",
            root_directory=str(project_dir),
            callbacks=None,
        )
        # These settings are ContextVars whose defaults the SDK overwrites on first set, so a
        # fresh context would inherit a previous run's objects: reset them explicitly.
        pulumi_settings.SETTINGS.outputs = set()
        pulumi_settings.SETTINGS.lock = threading.Lock()
        pulumi_settings.SETTINGS.package_refs = {}
        pulumi_settings.SETTINGS.base_providers_by_ref = {}
        pulumi_settings.SETTINGS.legacy_apply_enabled = False
        pulumi_settings.ROOT.set(None)
        pulumi_config.set_all_config(dict(config), list(secret_keys))

        program = str(project_dir / "__main__.py")

        def run_main() -> None:
            runpy.run_path(program, run_name="__main__")

        loop.run_until_complete(run_in_stack(run_main))
    finally:
        try:
            pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        finally:
            asyncio.set_event_loop(None)
            loop.close()


@contextmanager
def _process_state(
    project_dir: Path, config: dict[str, str], secret_keys: list[str]
) -> Iterator[None]:
    """cwd, sys.path and the CLI's PULUMI_CONFIG variables for the run; restored afterwards."""
    saved_cwd = os.getcwd()
    saved_path = list(sys.path)
    saved_env = {k: os.environ.get(k) for k in ("PULUMI_CONFIG", "PULUMI_CONFIG_SECRET_KEYS")}
    os.chdir(project_dir)
    sys.path.insert(0, str(project_dir))
    os.environ["PULUMI_CONFIG"] = json.dumps(config)
    os.environ["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(secret_keys)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _stack_outputs(struct: struct_pb2.Struct) -> dict[str, StackOutput]:
    return {
        name: StackOutput(decode(value), contains_secret(value))
        for name, value in struct.fields.items()
    }
