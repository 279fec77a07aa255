"""Project and stack files read as the Pulumi CLI reads them, and the config it hands a program.

The CLI reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` with gopkg.in/yaml.v3 (a key written twice
is an error), applies the project's declared defaults, refuses a stack that lacks a key
declared without one or whose value does not fit the key's declared `type`, and passes every
value to the program as a namespaced string. The offline engine does the same, with the CLI's
own messages, so a stack that works here works under `pulumi up`, and the reverse. A `secure:`
value cannot be decrypted offline: the program gets `SECRET_PLACEHOLDER` in its place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SECRET_PLACEHOLDER = "mock-secret-config-value"


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


def load_stack_config(
    stack: str = "dev",
    *,
    project_dir: Path,
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
