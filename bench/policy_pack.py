"""Benchmark: the pack's Analyze time on large OpenAPI bodies, next to a parse-only floor.

Both packs are started as the CLI starts them and called over gRPC with the same RestApiPut
(every operation protected, so the pack does its full work and reports nothing). Prints, per
size, the median wall time of Analyze for the pack and the floor, their ratio, and how time
grows with the number of operations. Target: ratio <= 3 at 4,000 operations, roughly linear.
Then AnalyzeStack on stacks of 2,000 and 4,000 resources without property dependencies (every
reference resolved by id). Target: under 0.5 s at 4,000 resources.
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
STACK_TARGET_SECONDS = 0.5
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
                "putRestApiMode": "overwrite",
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


def bench_stack(sizes: tuple[int, ...] = (2000, 4000)) -> bool:
    """AnalyzeStack wall time on stacks without property dependencies, next to the SDK's floor.

    Target: under 0.5 s at 4,000 resources for the pack's own work (pack minus floor); the
    absolute time is printed too, with the floor that pulumi-policy itself costs.
    """
    results: dict[int, tuple[float, float]] = {}
    with (
        PolicyPackProcess() as pack,
        PolicyPackProcess(REPO / "bench" / "stack_floor_pack") as floor,
    ):
        pack.configure(default_level=None)
        floor.configure(default_level=None)
        for n in sizes:
            stacks = [stack_without_dependencies(n, v) for v in range(4)]
            results[n] = (_median_stack(pack, stacks, check=True), _median_stack(floor, stacks))
    print(
        f"{'resources':>10} {'pack ms':>9} {'floor ms':>9} {'own ms':>8}"
        "  (AnalyzeStack, no property dependencies)"
    )
    for n, (pack_s, floor_s) in results.items():
        print(
            f"{n:>10} {pack_s * 1000:>9.1f} {floor_s * 1000:>9.1f} "
            f"{(pack_s - floor_s) * 1000:>8.1f}"
        )
    large, small = max(sizes), min(sizes)
    pack_s, floor_s = results[large]
    own = pack_s - floor_s
    ok = own < STACK_TARGET_SECONDS
    print(
        f"stack of {large} resources: {pack_s:.3f} s in all "
        f"({'under' if pack_s < STACK_TARGET_SECONDS else 'OVER'} {STACK_TARGET_SECONDS:g} s), "
        f"of which {floor_s:.3f} s is pulumi-policy deserializing the request once per stack "
        f"policy; the pack's own work {own:.3f} s ({'meets' if ok else 'MISSES'} the target of "
        f"< {STACK_TARGET_SECONDS:g} s); growth x{pack_s / results[small][0]:.1f} for "
        f"x{large / small:.0f} resources"
    )
    return ok


def _median_stack(
    pack: PolicyPackProcess, stacks: list[list[RecordedResource]], *, check: bool = False
) -> float:
    """Median AnalyzeStack time over `stacks[1:]`, after a warm-up call with `stacks[0]`."""
    pack.analyze_stack(stacks[0])
    samples = []
    for records in stacks[1:]:
        start = time.perf_counter()
        diags = pack.analyze_stack(records)
        samples.append(time.perf_counter() - start)
        if check and diags:
            raise SystemExit(f"benchmark stack unexpectedly reported: {diags[0].message}")
    return statistics.median(samples)


if __name__ == "__main__":
    sys.exit(main([int(a) for a in sys.argv[1:]] or [400, 4000]))
