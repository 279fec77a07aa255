"""Produce a Report the way the engine would: program under mocks, then the pack over gRPC."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from offline_engine import PolicyPackProcess, run_program

from .matrix import build_matrix, from_record
from .model import Report, count_resources, stack_facts, stack_plan

PROJECT_DIR = Path(__file__).resolve().parent.parent


class StackNotFoundError(ValueError):
    """The stack has no Pulumi.<stack>.yaml; the message lists the stacks that do.

    How to name another one (`--stack`, or make's `STACK=`) is for the command line to add.
    """


def stack_file(stack: str, project_dir: Path) -> Path:
    path = project_dir / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        known = sorted(
            p.name[len("Pulumi.") : -len(".yaml")] for p in project_dir.glob("Pulumi.*.yaml")
        )
        raise StackNotFoundError(
            f"stack {stack!r}: {path.name} not found in {project_dir}; "
            f"known stacks: {', '.join(known) or '(none)'}"
        )
    return path


def build_report(
    stack: str = "dev",
    *,
    project_dir: Path = PROJECT_DIR,
    pack_dir: Path | None = None,
    config_overrides: Mapping[str, Any] | None = None,
    preview: bool = False,
    policy_config: Mapping[str, Mapping[str, Any]] | None = None,
) -> Report:
    """Run the program for `stack` and send every resource to this repository's policy pack.

    Policies are configured with their declared enforcement levels, which is what the CLI sends
    for a pack run without a policy config file, and with `policy_config` (policy name ->
    properties, as in `--policy-pack-config`); the matrix reads the pack's decisions with it.
    Component resources are sent too (the engine analyzes them) but are left out of the
    resource summary, which lists what AWS would hold.

    The pack process is spawned before the program runs, so its start-up (a second Python
    interpreter importing pulumi, grpc and the policies) overlaps the program instead of
    following it; the `finally` stops it on every path, so a refused config, a broken spec or
    a failed pack start leaves no pack process behind.
    """
    stack_file(stack, project_dir)
    pack = PolicyPackProcess(pack_dir or PROJECT_DIR / "policies")
    try:
        pack.spawn()
        captured = run_program(
            stack, project_dir=project_dir, config_overrides=config_overrides, preview=preview
        )
        records = list(captured.resources)
        # Preview: the verdicts are the preview run's, but operations, scopes and callers are
        # known before any update, so they come from an update-mode run, with AWS-assigned ids
        # shown as placeholders (see `stack_facts`).
        content = (
            run_program(stack, project_dir=project_dir, config_overrides=config_overrides)
            if preview
            else captured
        )
        pack.connect()
        declared = pack.declared_levels()
        pack.configure(default_level=None, config=policy_config)
        findings = pack.analyze_all(records)
    finally:
        pack.stop()
    guarantee = {name for name, level in declared.items() if level == "mandatory"}
    plan = stack_plan(content)
    matrix = build_matrix(
        (from_record(r) for r in content.resources), findings, guarantee, plan, policy_config
    )
    return Report(
        stack=stack,
        matrix=matrix,
        findings=tuple(sorted(findings, key=lambda f: (f.urn, f.policy_name, f.message))),
        resource_counts=count_resources(
            [r.type for r in records if r.custom and not r.type.startswith("pulumi:providers:")]
        ),
        facts=stack_facts(content, plan),
        preview=preview,
    )
