"""Reading a `pulumi stack export` file into recorded resources, as `policy analyze --file` does.

The file is an untyped deployment, `{"version": 3, "deployment": {...}}`, whose deployment has
the `DeploymentV3` shape (pulumi/pulumi `sdk/go/common/apitype/core.go`: `resources` of
`ResourceV3`: `urn`, `custom`, `delete`, `id`, `type`, `inputs`, `outputs`, `parent`, `external`,
`dependencies`, `provider`, `propertyDependencies`, ...). A secret is an object with the secret
signature and either `ciphertext` (what an export holds) or `plaintext` (a JSON-encoded value,
written by `--show-secrets`). With no secrets provider at hand, `pulumi policy analyze --file`
redacts every secret it cannot decrypt to the string `[secret]` whatever its type
(`pkg/cmd/pulumi/policy/policy_analyze.go`, `BlindingProvider`), and so does this reader; a
plaintext secret keeps its value. Either stays wrapped as a secret, as the engine sends it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .records import RecordedResource
from .wire import SECRET_SIG, SIG_KEY, Secret, to_struct

REDACTED = "[secret]"
URN_PREFIX = "urn:pulumi:"


class ExportError(ValueError):
    """A file that is not a stack export this reader can replay; the message says why."""


@dataclass(frozen=True)
class ExportedStack:
    """The resources of an export in snapshot order; `deleted` are the ones `delete: true`."""

    resources: tuple[RecordedResource, ...]
    deleted: tuple[str, ...]
    external: frozenset[str]
    redacted: int  # how many secrets were redacted

    @property
    def root_stack_urn(self) -> str:
        """Where stack-level diagnostics without a resource go: the root Stack, as the CLI does."""
        for record in self.resources:
            if record.type == "pulumi:pulumi:Stack" and not record.parent:
                return record.urn
        if not self.resources:
            return ""
        stack, project = _stack_and_project(self.resources[0].urn)
        return f"{URN_PREFIX}{stack}::{project}::pulumi:pulumi:Stack::{project}-{stack}"


def read_export(path: str | Path) -> ExportedStack:
    """Read a `pulumi stack export` file; ExportError names what is wrong with it."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ExportError(f"{path}: cannot read the stack export ({err})") from None
    try:
        document = json.loads(text)
    except ValueError as err:
        raise ExportError(
            f"{path}: not JSON ({err}); expected `pulumi stack export` output"
        ) from None
    return parse_export(document, str(path))


def parse_export(document: Any, source: str = "<export>") -> ExportedStack:
    """The resources of an untyped deployment (see the module docstring)."""
    if not isinstance(document, dict) or "deployment" not in document:
        raise ExportError(
            f"{source}: not a stack export (expected an object with 'version' and 'deployment', "
            "as `pulumi stack export` writes)"
        )
    version = document.get("version")
    if version != 3:
        raise ExportError(
            f"{source}: deployment version {version!r}; this reader replays version 3 (what "
            "Pulumi 3.x writes)"
        )
    deployment = document["deployment"]
    resources = (deployment.get("resources") or []) if isinstance(deployment, dict) else None
    if not isinstance(resources, list):
        raise ExportError(f"{source}: 'deployment.resources' must be a list")
    counter = _Redactions()
    records: list[RecordedResource] = []
    deleted: list[str] = []
    external: set[str] = set()
    for index, raw in enumerate(resources):
        record = _record(raw, f"{source}: deployment.resources[{index}]", counter)
        if raw.get("delete") is True:
            deleted.append(record.urn)
            continue
        if raw.get("external") is True:
            external.add(record.urn)
        records.append(record)
    return ExportedStack(tuple(records), tuple(deleted), frozenset(external), counter.count)


class _Redactions:
    count = 0


def _record(raw: Any, where: str, redactions: _Redactions) -> RecordedResource:
    if not isinstance(raw, dict):
        raise ExportError(f"{where}: a resource must be an object")
    urn, type_ = raw.get("urn"), raw.get("type")
    if not isinstance(urn, str) or not urn.startswith(URN_PREFIX) or urn.count("::") < 3:
        # The CLI refuses these too, rather than crash on them.
        raise ExportError(f"{where}: invalid URN {urn!r}")
    if not isinstance(type_, str) or not type_:
        raise ExportError(f"{where}: missing type")
    inputs = _plain(raw.get("inputs") or {}, redactions)
    outputs = _plain(raw.get("outputs") or {}, redactions)
    property_dependencies = raw.get("propertyDependencies") or {}
    return RecordedResource(
        urn=urn,
        type=type_,
        name=urn.split("::", 3)[3],
        custom=bool(raw.get("custom")),
        inputs=to_struct(inputs),
        outputs=to_struct(outputs),
        id=str(raw.get("id") or ""),
        parent=str(raw.get("parent") or ""),
        provider=str(raw.get("provider") or ""),
        dependencies=[str(d) for d in raw.get("dependencies") or []],
        property_dependencies={
            str(k): [str(u) for u in v]
            for k, v in property_dependencies.items()
            if isinstance(v, list)
        }
        if isinstance(property_dependencies, Mapping)
        else {},
    )


def _plain(value: Any, redactions: _Redactions) -> Any:
    """Export values as the offline engine describes them: secrets as `Secret` markers."""
    if isinstance(value, dict):
        if value.get(SIG_KEY) == SECRET_SIG:
            if "plaintext" in value and isinstance(value["plaintext"], str):
                try:
                    plaintext = json.loads(value["plaintext"])
                except ValueError:
                    raise ExportError(
                        "a plaintext secret is not JSON-encoded, as `pulumi stack export "
                        "--show-secrets` writes it"
                    ) from None
                return Secret(_plain(plaintext, redactions))
            redactions.count += 1
            return Secret(REDACTED)
        return {k: _plain(v, redactions) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, redactions) for v in value]
    return value


def _stack_and_project(urn: str) -> tuple[str, str]:
    head, project = urn.split("::", 2)[:2]
    return head.removeprefix(URN_PREFIX), project
