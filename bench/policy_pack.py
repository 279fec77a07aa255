"""Benchmark: the pack's Analyze time on large OpenAPI bodies, next to a parse-only floor.

Both packs are started as the CLI starts them and called over gRPC with the same RestApiPut
(every operation protected, so the pack does its full work and reports nothing). Prints, per
size, the median wall time of Analyze for the pack and the floor, their ratio, and how time
grows with the number of operations. Target: ratio <= 3 at 4,000 operations, roughly linear.
Then AnalyzeStack on stacks of 2,000 and 4,000 resources without property dependencies (every
reference resolved by id), next to a floor pack of as many no-op stack policies in the same run
(pulumi-policy deserializes the request once per stack policy, whatever the policy does).
Targets at 4,000 resources: the pack's own work (pack minus floor) at most 0.1 s, and under
0.5 s in all.
Run: `make bench` (or `PYTHONPATH=. .venv/bin/python bench/policy_pack.py [sizes...]`).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from pulumi.runtime.proto import analyzer_pb2  # noqa: E402

from offline_engine import (  # noqa: E402
    PolicyPackProcess,
    RecordedResource,
    resource,
)

POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123"
VERBS = (
    "get",
    "put",
    "post",
    "delete",
    "patch",
    "head",
    "options",
    "x-amazon-apigateway-any-method",
)
TARGET_RATIO = 3.0
STACK_OWN_TARGET_SECONDS = 0.1
STACK_TOTAL_TARGET_SECONDS = 0.5
REST_API = "aws:apigateway/restApi:RestApi"


def body_with(operations: int, variant: int = 0) -> str:
    """An OpenAPI 3 body with exactly `operations` protected operations.

    `variant` changes only info.version, so every timed call sees a body it has not seen (the
    pack caches a body's judgement within one Analyze call; repeats must not hit that cache).
    """
    paths: dict[str, dict[str, Any]] = {}
    for i in range(operations):
        path = f"/resource{i // len(VERBS)}/{{id}}"
        paths.setdefault(path, {"parameters": [{"name": "id", "in": "path", "required": True}]})
        paths[path][VERBS[i % len(VERBS)]] = {
            "operationId": f"op{i}",
            "security": [{"pool": [f"https://api.example.com/scope{i % 7}"]}],
            "responses": {"200": {"description": "ok"}},
            "x-amazon-apigateway-integration": {
                "type": "http_proxy",
                "httpMethod": "ANY",
                "uri": f"https://backend.example.com/resource{i}",
            },
        }
    doc = {
        "openapi": "3.0.1",
        "info": {"title": "bench", "version": str(variant)},
        "paths": paths,
        "components": {
            "securitySchemes": {
                "pool": {
                    "type": "apiKey",
                    "name": "Authorization",
                    "in": "header",
                    "x-amazon-apigateway-authtype": "cognito_user_pools",
                    "x-amazon-apigateway-authorizer": {
                        "type": "cognito_user_pools",
                        "providerARNs": [POOL],
                    },
                }
            }
        },
    }
    return json.dumps(doc)


def timed(pack: PolicyPackProcess, variants: list[RecordedResource]) -> float:
    pack.analyze(variants[0])  # warm-up
    samples = []
    for res in variants[1:]:
        start = time.perf_counter()
        diags = pack.analyze(res)
        samples.append(time.perf_counter() - start)
        bad = [d for d in diags if d.mandatory]
        if bad:
            raise SystemExit(f"benchmark body unexpectedly blocked: {bad[0].message}")
    return statistics.median(samples)


def main(sizes: list[int]) -> int:
    def put(n: int, variant: int) -> RecordedResource:
        return resource(
            "aws:apigateway/restApiPut:RestApiPut",
            "bench",
            {
                "restApiId": "abc",
                "failOnWarnings": True,
                "body": body_with(n, variant),
            },
        )

    # Warm-up + 7 timed calls (5 for large bodies), each on a body the pack has not seen.
    variants = {n: [put(n, v) for v in range(8 if n <= 1000 else 6)] for n in sizes}
    results: dict[int, tuple[float, float]] = {}
    with (
        PolicyPackProcess() as pack,
        PolicyPackProcess(REPO / "bench" / "parse_only_pack") as floor,
    ):
        pack.configure(default_level=None)
        floor.configure(default_level=None)
        for n in sizes:
            results[n] = (timed(pack, variants[n]), timed(floor, variants[n]))

    print(f"{'operations':>10} {'body KiB':>9} {'pack ms':>9} {'floor ms':>9} {'ratio':>6}")
    for n in sizes:
        pack_s, floor_s = results[n]
        kib = len(body_with(n)) / 1024
        print(
            f"{n:>10} {kib:>9.0f} {pack_s * 1000:>9.1f} {floor_s * 1000:>9.1f} "
            f"{pack_s / floor_s:>6.2f}"
        )
    small, large = min(sizes), max(sizes)
    growth = results[large][0] / results[small][0]
    print(
        f"growth {small}->{large} operations: x{growth:.1f} for x{large / small:.0f} operations "
        "(about linear if close)"
    )
    ratio = results[large][0] / results[large][1]
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"ratio at {large} operations: {ratio:.2f} ({verdict} the target of <= {TARGET_RATIO:g})")
    stack_ok = bench_stack()
    return 0 if ratio <= TARGET_RATIO and stack_ok else 1


def stack_without_dependencies(resources: int, variant: int = 0) -> list[RecordedResource]:
    """A REST API with Resources, Cognito Authorizers and Methods, and no property dependencies.

    Imported stacks, `pulumi import` and older states link nothing, so every authorizerId and
    resourceId must be resolved by id: the case that was quadratic. `variant` changes the ids.
    """
    api = f"api{variant}"
    records = [
        resource(REST_API, "api", {"id": api, "rootResourceId": f"root{variant}"}),
        # The pool every authorizer trusts, created by the stack itself (as a real stack would).
        resource(
            "aws:cognito/userPool:UserPool",
            "pool",
            {"id": POOL.rsplit("/", 1)[-1], "arn": POOL},
        ),
    ]
    for i in range((resources - 2) // 3):
        records += [
            resource(
                "aws:apigateway/resource:Resource",
                f"r{i}",
                {
                    "id": f"res{variant}-{i}",
                    "restApi": api,
                    "parentId": f"root{variant}",
                    "pathPart": f"p{i}",
                },
            ),
            resource(
                "aws:apigateway/authorizer:Authorizer",
                f"a{i}",
                {
                    "id": f"auth{variant}-{i}",
                    "restApi": api,
                    "type": "COGNITO_USER_POOLS",
                    "providerArns": [POOL],
                },
            ),
            resource(
                "aws:apigateway/method:Method",
                f"m{i}",
                {
                    "restApi": api,
                    "resourceId": f"res{variant}-{i}",
                    "httpMethod": "GET",
                    "authorization": "COGNITO_USER_POOLS",
                    "authorizerId": f"auth{variant}-{i}",
                    "authorizationScopes": ["api/read"],
                },
            ),
        ]
    return records


STACK_ADVISORIES = (
    "apigateway-cognito-user-flow-reaches-api-scopes",
    "apigateway-authorizer-pool-not-in-stack",
)


def bench_stack(sizes: tuple[int, ...] = (2000, 4000)) -> bool:
    """AnalyzeStack wall time on stacks without property dependencies, next to the SDK's floor.

    The pack and the floor are called in turn on the same stacks (which one goes first
    alternates), so drift on a shared machine hits both alike. Targets at the largest size: the
    pack's own work (pack minus floor) at most 0.1 s, and the whole call under 0.5 s. A second
    table has the pack's two stack advisories disabled (and as many floor policies), which is
    what they cost.
    """
    with (
        PolicyPackProcess() as pack,
        PolicyPackProcess(REPO / "bench" / "stack_floor_pack") as floor,
    ):
        stack_policies = [
            p.name for p in pack.info().policies if p.policy_type == analyzer_pb2.POLICY_TYPE_STACK
        ]
        floor_names = floor.policy_names()
        stacks = {n: [stack_without_dependencies(n, v) for v in range(12)] for n in sizes}
        pack.configure(default_level=None)
        floor.configure(default_level=None)
        full = {n: _interleaved(pack, floor, stacks[n]) for n in sizes}
        pack.configure(levels=dict.fromkeys(STACK_ADVISORIES, "disabled"), default_level=None)
        floor.configure(
            levels=dict.fromkeys(floor_names[: len(STACK_ADVISORIES)], "disabled"),
            default_level=None,
        )
        guarantee_only = {n: _interleaved(pack, floor, stacks[n]) for n in sizes}
    print(
        f"AnalyzeStack, no property dependencies, median of 11; the floor is "
        f"{len(stack_policies)} no-op stack policies (as many as the pack: "
        f"{', '.join(stack_policies)}), same run, interleaved"
    )
    _table(full)
    print(f"the same with the two stack advisories disabled (floor: {len(stack_policies) - 2})")
    _table(guarantee_only)
    large, small = max(sizes), min(sizes)
    pack_s, floor_s = full[large]
    own = pack_s - floor_s
    own_ok = own <= STACK_OWN_TARGET_SECONDS
    total_ok = pack_s < STACK_TOTAL_TARGET_SECONDS
    print(
        f"stack of {large} resources: own work {own:.3f} s "
        f"({'meets' if own_ok else 'MISSES'} <= {STACK_OWN_TARGET_SECONDS:g} s), "
        f"{pack_s:.3f} s in all ({'meets' if total_ok else 'MISSES'} < "
        f"{STACK_TOTAL_TARGET_SECONDS:g} s), of which {floor_s:.3f} s is pulumi-policy "
        f"deserializing the request once per stack policy; growth "
        f"x{pack_s / full[small][0]:.1f} for x{large / small:.0f} resources"
    )
    return own_ok and total_ok


def _table(results: dict[int, tuple[float, float]]) -> None:
    print(f"{'resources':>10} {'pack ms':>9} {'floor ms':>9} {'own ms':>8}")
    for n, (pack_s, floor_s) in results.items():
        print(
            f"{n:>10} {pack_s * 1000:>9.1f} {floor_s * 1000:>9.1f} "
            f"{(pack_s - floor_s) * 1000:>8.1f}"
        )


def _interleaved(
    pack: PolicyPackProcess, floor: PolicyPackProcess, stacks: list[list[RecordedResource]]
) -> tuple[float, float]:
    """Median AnalyzeStack times (pack, floor) over `stacks[1:]`, after a warm-up on
    `stacks[0]`; the two are called in turn, the first alternating."""
    pack.analyze_stack(stacks[0])
    floor.analyze_stack(stacks[0])
    pack_samples: list[float] = []
    floor_samples: list[float] = []
    for index, records in enumerate(stacks[1:]):
        order = [(pack, pack_samples), (floor, floor_samples)]
        for process, samples in order if index % 2 == 0 else reversed(order):
            start = time.perf_counter()
            diags = process.analyze_stack(records)
            samples.append(time.perf_counter() - start)
            if process is pack and diags:
                raise SystemExit(f"benchmark stack unexpectedly reported: {diags[0].message}")
    return statistics.median(pack_samples), statistics.median(floor_samples)


if __name__ == "__main__":
    sys.exit(main([int(a) for a in sys.argv[1:]] or [400, 4000]))
