"""Run the Pulumi program offline, the way `pulumi up` / `pulumi preview` would, under mocks.

Config is assembled as the CLI does (Pulumi.yaml defaults, then Pulumi.<stack>.yaml, then any
overrides), checked as the CLI checks it (keys declared without a default must be set, declared
scalar types must fit), passed as namespaced strings, and `__main__.py` runs with the project
directory as cwd and on `sys.path` inside a fresh Stack. Every `RegisterResource` is recorded in
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
import re
import runpy
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from google.protobuf import struct_pb2
from pulumi.runtime import config as pulumi_config
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.mocks import MockEngine, MockSettings
from pulumi.runtime.stack import run_in_stack

from .mocks import AwsMocks, RecordingMonitor
from .records import RecordedResource
from .wire import contains_secret, decode

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_REGION = "us-east-1"
SECRET_PLACEHOLDER = "mock-secret-config-value"

# One run at a time: the program changes the process's cwd, sys.path and environment.
_RUN_LOCK = threading.Lock()


class StackConfigError(ValueError):
    """A stack file the CLI itself would refuse before the program starts."""


class MissingStackConfigError(StackConfigError):
    """A project key declared without `default` or `value` that the stack does not set.

    The CLI refuses such a stack before the program starts, with this same message
    (`mergeConfig` in pulumi's sdk/go/common/workspace/config.go), so this runner does too:
    a Pulumi.yaml that works under mocks but not under `pulumi up` would be a false pass.
    """


class StackFileError(StackConfigError):
    """A project or stack file that is not YAML, not a mapping, or whose `config` is not one.

    The message is one line, `<file>:<line>:<column>: <what is wrong>`, with no traceback.
    """


class StackConfigTypeError(StackConfigError):
    """A stack value that does not match the `type` its key declares in Pulumi.yaml.

    Also checked by the CLI before the program starts (`validateStackConfigValue`, same message).
    """


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


def load_stack_config(
    stack: str = "dev",
    *,
    project_dir: Path = PROJECT_DIR,
    config_overrides: Mapping[str, Any] | None = None,
) -> tuple[str, dict[str, str], list[str]]:
    """Assemble (project name, namespaced string config, secret keys) like the CLI does.

    Pulumi.yaml `config` defaults first (keys without a namespace get the project's), then the
    stack file (`secure:` values become a placeholder and are listed as secret), then
    `config_overrides` (namespace optional; a value of None removes the key). Objects and lists
    are passed as JSON text, booleans as `true`/`false`, as the CLI passes them. Raises, as the
    CLI would, `MissingStackConfigError` when a project key declared without a default ends up
    unset and `StackConfigTypeError` when a value does not fit the key's declared `type`.
    """
    project_file = read_settings_file(project_dir / "Pulumi.yaml")
    project = str(project_file.get("name") or "")
    if not project:
        raise StackFileError(f"{_display(project_dir / 'Pulumi.yaml')}:1:1: no project `name`")
    values: dict[str, Any] = {}
    required: list[str] = []
    declared_types: dict[str, tuple[str, str]] = {}  # full key -> (key as declared, type)
    for key, decl in (project_file.get("config") or {}).items():
        full = _namespaced(project, key)
        if isinstance(decl, dict):
            if isinstance(decl.get("type"), str):
                declared_types[full] = (key, decl["type"])
            if "value" in decl:
                values[full] = decl["value"]
            elif "default" in decl:
                values[full] = decl["default"]
            elif full.startswith(f"{project}:"):
                required.append(key)
        else:
            values[full] = decl
    secret_keys: list[str] = []
    stack_path = project_dir / f"Pulumi.{stack}.yaml"
    if stack_path.is_file():
        stack_file = read_settings_file(stack_path)
        for key, value in (stack_file.get("config") or {}).items():
            full = _namespaced(project, key)
            if isinstance(value, dict) and set(value) == {"secure"}:
                values[full] = SECRET_PLACEHOLDER
                secret_keys.append(full)
            else:
                values[full] = value
    for key, value in (config_overrides or {}).items():
        full = _namespaced(project, key)
        if value is None:
            values.pop(full, None)
        else:
            values[full] = value
    missing = sorted(k for k in required if _namespaced(project, k) not in values)
    if missing:
        quoted = [f"'{k}'" for k in missing]
        names = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
        plural = "value" if len(missing) == 1 else "values"
        raise MissingStackConfigError(f"Stack '{stack}' is missing configuration {plural} {names}")
    for full, (key, type_name) in sorted(declared_types.items()):
        if full in values and full not in secret_keys and not _fits(type_name, values[full]):
            # The CLI's own words first, then what it leaves out: the value received and the
            # key's description from Pulumi.yaml, which states the accepted range.
            description = str(project_file["config"][key].get("description") or "").strip()
            raise StackConfigTypeError(
                f"Stack '{stack}' with configuration key '{key}' must be of type '{type_name}'"
                f"; got {values[full]!r}" + (f" ({description})" if description else "")
            )
    return project, {k: _cli_string(v) for k, v in values.items()}, secret_keys


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
) -> RecordingMonitor:
    """A recording monitor answering with AWS mocks for the config's `aws:region`.

    `honour_additional_secret_outputs=False` plays a provider that marks nothing secret.
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


def _display(path: Path) -> str:
    """`path` relative to the working directory when it is below it, else as it is."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_settings_file(path: Path) -> dict[str, Any]:
    """Read a Pulumi.yaml or Pulumi.<stack>.yaml: a mapping whose `config`, if any, is one too.

    Raises `StackFileError` naming the file, line and column instead of a YAML traceback.
    """
    where = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise StackFileError(
            f"{where}: not UTF-8 text ({err.reason} at byte {err.start})"
        ) from None
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        at = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        problem = " ".join(str(p) for p in (err.context, err.problem) if p)
        raise StackFileError(f"{where}{at}: not valid YAML: {problem}") from None
    except yaml.YAMLError as err:
        raise StackFileError(f"{where}: not valid YAML: {err}") from None
    duplicates = _duplicate_keys(root)
    if duplicates:
        first = duplicates[0]
        raise StackFileError(
            f"{where}:{first.line}:{first.column}: {_duplicate_keys_message(duplicates)}"
        )
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise StackFileError(
            f"{where}:1:1: expected a mapping (e.g. `config:` with one key per line), "
            f"got a {type(data).__name__}"
        )
    config = data.get("config")
    if config is not None and not isinstance(config, dict):
        line, column = _value_position(root, "config")
        raise StackFileError(
            f"{where}:{line}:{column}: `config` must be a mapping of key to value, "
            f"got a {type(config).__name__}: {config!r}"
        )
    return data


@dataclass(frozen=True)
class _DuplicateKey:
    """A mapping key written again: where (1-based), and the line that first defined it."""

    key: str
    line: int
    column: int
    first_line: int


# The CLI's report lists every duplicate key; one line here keeps the first few.
_MAX_DUPLICATES_SHOWN = 3


def _duplicate_keys(root: yaml.Node | None) -> list[_DuplicateKey]:
    """Keys written twice in one mapping, found where and as yaml.v3 finds them.

    PyYAML keeps the last value without a word; the Pulumi CLI reads project and stack files
    with gopkg.in/yaml.v3, whose decoder refuses any mapping where two keys have the same
    kind and value (`decoder.mapping` in yaml.v3's decode.go, v3.0.1), so such a file never
    reaches the program under `pulumi up`. Pairs are compared as yaml.v3 does: each key
    against every later one, so a key written three times yields three pairs; mappings are
    visited in document order, outer before inner.
    """
    found: list[_DuplicateKey] = []
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias repeats a node; visit it once
            continue
        seen.add(id(node))
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            keys = [k for k, _ in node.value]
            here = [
                _DuplicateKey(
                    key=str(later.value),
                    line=later.start_mark.line + 1,
                    column=later.start_mark.column + 1,
                    first_line=first.start_mark.line + 1,
                )
                for i, first in enumerate(keys)
                for later in keys[i + 1 :]
                if type(first) is type(later) and _scalar(first) == _scalar(later)
            ]
            found.extend(here)
            # yaml.v3 does not decode the values of a mapping it refused, so it reports no
            # duplicates below one; the CLI's message therefore names only this mapping's.
            if not here:
                children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        stack.extend(reversed(children))
    return found


def _scalar(node: yaml.Node) -> str | None:
    """The text of a scalar key (what yaml.v3 compares); None for any other key."""
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _duplicate_keys_message(duplicates: list[_DuplicateKey]) -> str:
    """The Pulumi CLI's message for duplicate keys, on one line.

    yaml.v3's `TypeError` reads `yaml: unmarshal errors:` followed by one indented line per
    duplicate, `line 5: mapping key "aws:region" already defined at line 3` (its decode.go,
    `fmt.Sprintf("line %d: mapping key %#v already defined at line %d", ...)`, and the
    expected errors in its decode_test.go). Here the lines are joined with `; `.
    """
    shown = [
        f"line {d.line}: mapping key {json.dumps(d.key, ensure_ascii=False)} "
        f"already defined at line {d.first_line}"
        for d in duplicates[:_MAX_DUPLICATES_SHOWN]
    ]
    more = len(duplicates) - len(shown)
    return "yaml: unmarshal errors: " + "; ".join(shown) + (f"; and {more} more" if more else "")


def _value_position(root: yaml.Node | None, key: str) -> tuple[int, int]:
    """1-based line and column of `key`'s value in a composed mapping (1, 1 if not found)."""
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value_node.start_mark.line + 1, value_node.start_mark.column + 1
    return 1, 1


def _stack_outputs(struct: struct_pb2.Struct) -> dict[str, StackOutput]:
    return {
        name: StackOutput(decode(value), contains_secret(value))
        for name, value in struct.fields.items()
    }


def _fits(type_name: str, value: Any) -> bool:
    """The CLI's check of a stack value against a declared scalar type.

    The CLI sees a scalar as the text of the stack file (`60`, `true`), an object or list as
    structured data; an integer must parse with Go's `strconv.Atoi`. Arrays (with `items`) are
    not declared by this project and are passed as fitting.
    """
    if type_name == "array":
        return isinstance(value, list)
    if isinstance(value, dict | list):
        return False
    text = _cli_string(value)
    if type_name == "integer":
        return re.fullmatch(r"[+-]?[0-9]+", text) is not None
    if type_name == "boolean":
        return text in ("true", "false")
    return True


def _namespaced(project: str, key: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def _cli_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value)
