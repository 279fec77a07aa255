"""`make audit EXPORT=<file>`: this pack over a `pulumi stack export`, offline.

What `pulumi policy analyze --file <export> --policy-pack policies` shows (see
`policy_analyze`), with no Pulumi CLI, no backend and no secrets: every secret is redacted to
`[secret]` as the CLI does when it cannot decrypt. Prints each diagnostic (mandatory first),
the remediations the pack would apply, and a verdict. Exit status: 0 without a mandatory
violation, 1 with one, 2 when the export or the policy config cannot be read.

    .venv/bin/python -m offline_engine.audit stack.json [--policy-pack-config config.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .diagnostics import LEVELS
from .policy_analyze import analyze_export
from .policy_pack import DEFAULT_PACK_DIR, PolicyPackProcess
from .stack_export import ExportError, read_export


class ConfigError(ValueError):
    """A policy config file this command cannot use; the message says why."""


def read_policy_config(path: str) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """(levels, properties) from a policy pack config file, in the CLI's format.

    Each key is a policy name (or `all`, for every policy's level); its value is an enforcement
    level, or an object with an optional `enforcementLevel` and the policy's properties.
    """
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise ConfigError(f"{path}: cannot read the policy config ({err})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the policy config must be a JSON object of policy names")
    levels: dict[str, str] = {}
    properties: dict[str, dict[str, Any]] = {}
    for name, value in raw.items():
        if isinstance(value, str):
            level: Any = value
            props: dict[str, Any] = {}
        elif isinstance(value, dict):
            props = dict(value)
            level = props.pop("enforcementLevel", None)
        else:
            raise ConfigError(f"{path}: {name}: {value!r} is not a level or an object")
        if level is not None:
            if level not in LEVELS:
                raise ConfigError(
                    f"{path}: {name}: {level!r} is not an enforcement level ({', '.join(LEVELS)})"
                )
            levels[name] = level
        if props:
            properties[name] = props
    return levels, properties


def _text(message: str) -> str:
    # The SDK puts the policy's description on the first line; the finding follows.
    return message.split("\n", 1)[-1]


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    prog = f"{sys.executable} -m offline_engine.audit"
    if len(argv) >= 2 and argv[0] == "--prog":  # `make audit` passes its own name
        prog, argv = argv[1], argv[2:]
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Run the policy pack over a `pulumi stack export` file, as `pulumi policy "
        "analyze --file` does, offline (secrets redacted).",
    )
    parser.add_argument("export", help="a file written by `pulumi stack export`")
    parser.add_argument(
        "--policy-pack-config", metavar="FILE", help="policy config (the CLI's JSON format)"
    )
    parser.add_argument("--pack", default=str(DEFAULT_PACK_DIR), help="the policy pack folder")
    args = parser.parse_args(argv)
    try:
        stack = read_export(args.export)
        levels: dict[str, str] = {}
        config: dict[str, dict[str, Any]] = {}
        if args.policy_pack_config:
            levels, config = read_policy_config(args.policy_pack_config)
    except (ExportError, ConfigError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    with PolicyPackProcess(args.pack) as pack:
        everyone = levels.pop("all", None)
        unknown = sorted((set(levels) | set(config)) - set(pack.policy_names()))
        if unknown:
            print(f"error: no such policy in the pack: {', '.join(unknown)}", file=sys.stderr)
            return 2
        declared = pack.declared_levels()
        pack.configure(
            {name: levels.get(name, everyone or declared[name]) for name in declared},
            config,
            default_level=None,
        )
        result = analyze_export(pack, stack)
    skipped = f", {len(stack.deleted)} pending deletion skipped" if stack.deleted else ""
    redacted = f"; {stack.redacted} secret(s) redacted to '[secret]'" if stack.redacted else ""
    print(f"{args.export}: {len(stack.resources)} resource(s){skipped}{redacted}")
    order = {"mandatory": 0, "advisory": 1}
    for diag in sorted(result.diagnostics, key=lambda d: order.get(d.enforcement_level, 2)):
        print(f"{diag.enforcement_level} [{diag.policy_name}] {diag.urn}: {_text(diag.message)}")
    for remediation in result.remediations:
        print(
            f"remediate [{remediation.policy_name}] {remediation.urn}: would set "
            f"{', '.join(remediation.changed) or 'nothing new'}"
        )
    blocking = len(result.mandatory)
    if blocking:
        print(f"FAILED: {blocking} mandatory violation(s)")
        return 1
    print("PASSED: no mandatory violation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
