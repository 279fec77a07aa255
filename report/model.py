"""The report as data: what every renderer shows and what the exit status is decided from."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from offline_engine import CapturedStack, inputs_of
from offline_engine.stack_files import SECRET_PLACEHOLDER
from secured_m2m_api.plan_output import PLAN_OUTPUT, PlanOutput, read_plan

from .matrix import CLIENT_TYPE, RESOURCE_SERVER_TYPE, Finding, Matrix

LEVEL_ORDER = ("mandatory", "remediate", "advisory", "disabled")
USER_POOL_TYPE = "aws:cognito/userPool:UserPool"
# Resources whose id AWS assigns at create time, and the placeholder shown in its place. Under
# mocks these ids are invented, so a value containing one is not what the stack will hold.
ASSIGNED_IDS = {
    "aws:apigateway/restApi:RestApi": "{rest-api-id}",
    USER_POOL_TYPE: "{user-pool-id}",
}
# Minutes per Cognito `token_validity_units` value.
_UNIT_MINUTES = {"seconds": 1 / 60, "minutes": 1, "hours": 60, "days": 1440}
# What a value from a `secure:` stack-config entry shows as. The offline run cannot decrypt the
# stack's secrets, so the program ran with a placeholder; showing it would read as the value.
SECRET_SHOWN = "[secret]"


@dataclass(frozen=True)
class Identifier:
    """A resource-server identifier as shown: AWS-assigned ids replaced by placeholders.

    `assigned` names the placeholders it contains; empty means the value is final (a fixed
    `resourceServerIdentifier`).
    """

    shown: str
    actual: str
    assigned: tuple[str, ...] = ()

    @property
    def placeholder(self) -> bool:
        return bool(self.assigned)


@dataclass(frozen=True)
class StackFacts:
    """What a reviewer needs besides the matrix, read from what the program registers/exports.

    Values are None when the project does not have them (a project other than this program).
    `dropped_preflights` and `replaced_security` are the program's plan (`api_plan`): the
    operations whose spec text does not say what is deployed, as the CORS preflights it drops
    and the operations whose own `security` it replaces; None when the project exports no
    plan, so not known rather than empty.
    """

    region: str | None = None
    token_endpoint_url: str | None = None
    access_token_lifetime: str | None = None
    deletion_protection: str | None = None
    identifiers: tuple[Identifier, ...] = ()
    dropped_preflights: tuple[str, ...] | None = None
    replaced_security: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Report:
    stack: str
    matrix: Matrix
    findings: tuple[Finding, ...]
    # AWS resource type -> how many the stack would create (component resources excluded).
    resource_counts: tuple[tuple[str, int], ...]
    facts: StackFacts = field(default_factory=StackFacts)
    # True for `--preview`: verdicts from a preview run, the content from an update-mode run.
    preview: bool = False

    @property
    def mandatory_count(self) -> int:
        return sum(1 for f in self.findings if f.enforcement_level == "mandatory")

    @property
    def failed(self) -> bool:
        """Mandatory violations block `pulumi up`, so they fail the report too."""
        return self.mandatory_count > 0

    def findings_by_level(self) -> list[tuple[str, list[Finding]]]:
        groups: dict[str, list[Finding]] = {}
        for finding in self.findings:
            groups.setdefault(finding.enforcement_level, []).append(finding)
        ordered = [lvl for lvl in LEVEL_ORDER if lvl in groups]
        ordered += sorted(lvl for lvl in groups if lvl not in LEVEL_ORDER)
        return [(lvl, groups[lvl]) for lvl in ordered]


def count_resources(types: list[str]) -> tuple[tuple[str, int], ...]:
    counts = Counter(types)
    return tuple(sorted(counts.items()))


def stack_plan(captured: CapturedStack) -> PlanOutput | None:
    """The program's `api_plan` output, checked; None for a project that exports none."""
    output = captured.outputs.get(PLAN_OUTPUT)
    return None if output is None else read_plan(output.value)


def stack_facts(captured: CapturedStack, plan: PlanOutput | None) -> StackFacts:
    """Region, token endpoint, token lifetime, deletion protection, identifiers and the plan's
    dropped preflights and replaced security.

    `captured` should be an update-mode run (every value known under mocks); values AWS assigns
    are then replaced by placeholders rather than shown as if real.
    """
    inputs = {r.urn: inputs_of(r) for r in captured.resources if r.custom}
    by_type: dict[str, list[Mapping[str, Any]]] = {}
    for record in captured.resources:
        if record.custom:
            by_type.setdefault(record.type, []).append(inputs[record.urn])
    assigned = {
        r.id: ASSIGNED_IDS[r.type]
        for r in captured.resources
        if r.type in ASSIGNED_IDS and len(r.id) >= 6
    }
    token_url = captured.outputs.get("token_endpoint_url")
    pools = by_type.get(USER_POOL_TYPE, [])
    protection = sorted({str(p.get("deletionProtection", "INACTIVE")) for p in pools})
    region = captured.config.get("aws:region")
    return StackFacts(
        region=_unsecret(region) if region is not None else None,
        token_endpoint_url=_unsecret(token_url.value)
        if token_url and isinstance(token_url.value, str)
        else None,
        access_token_lifetime=_lifetime(by_type.get(CLIENT_TYPE, []))
        or _configured_lifetime(captured),
        deletion_protection=", ".join(protection) or None,
        identifiers=tuple(
            _identifier(str(s["identifier"]), assigned)
            for s in by_type.get(RESOURCE_SERVER_TYPE, [])
            if isinstance(s.get("identifier"), str)
        ),
        dropped_preflights=tuple(plan["droppedPreflights"]) if plan else None,
        replaced_security=tuple(plan["replacedSecurity"]) if plan else None,
    )


def _unsecret(value: str) -> str:
    """`value` with the offline run's stand-in for a secret config value shown as `[secret]`."""
    return value.replace(SECRET_PLACEHOLDER, SECRET_SHOWN)


def _identifier(value: str, assigned: Mapping[str, str]) -> Identifier:
    shown, names = _unsecret(value), []
    for actual_id, placeholder in assigned.items():
        if actual_id in shown:
            shown = shown.replace(actual_id, placeholder)
            names.append(placeholder)
    return Identifier(shown, value, tuple(names))


def _lifetime(clients: Sequence[Mapping[str, Any]]) -> str | None:
    """The access-token lifetime the clients get, e.g. `60 minutes` (Cognito: 5 min to 1 day)."""
    minutes: set[float] = set()
    for client in clients:
        value = client.get("accessTokenValidity")
        units = client.get("tokenValidityUnits") or {}
        unit = units.get("accessToken", "hours") if isinstance(units, dict) else "hours"
        if isinstance(value, int | float) and unit in _UNIT_MINUTES:
            minutes.add(value * _UNIT_MINUTES[unit])
    if not minutes:
        return None
    return ", ".join(f"{m:g} minutes" for m in sorted(minutes))


def _configured_lifetime(captured: CapturedStack) -> str | None:
    """The configured access-token lifetime, for a stack with no app client to read it from.

    Cognito sets it per app client, so with no consumer there is none to read; the stack's
    `accessTokenValidityMinutes` (Pulumi.yaml's default included) is what the first client
    will get. None for a project without that setting.
    """
    value = captured.config.get(f"{captured.project}:accessTokenValidityMinutes")
    if value is None or value == SECRET_PLACEHOLDER:
        return None if value is None else SECRET_SHOWN
    try:
        return f"{int(value):g} minutes"
    except ValueError:
        return None
