"""Benchmark: build the program under mocks for specs of 4, 100 and 1,000 operations.

A script, not a test: prints wall time per run (min and median of several) and the number of
AWS resources, which must not grow with the number of operations (operations live in the body,
not in separate Method/Integration resources). Target: under 2 s at 1,000 operations.

    .venv/bin/python bench/program_build.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from offline_engine import run_program  # noqa: E402

SIZES = (4, 100, 1000)
TARGET_SECONDS = 2.0
METHODS = ("get", "post", "put", "delete")


def generate_spec(operations: int) -> dict[str, Any]:
    """An OpenAPI 3.0 document with exactly `operations` operations, 4 methods per path."""
    paths: dict[str, Any] = {}
    for index in range(operations):
        path = f"/resources{index // len(METHODS)}/{{id}}"
        method = METHODS[index % len(METHODS)]
        paths.setdefault(path, {})[method] = {
            "operationId": f"op{index}",
            "parameters": [{"name": "id", "in": "path", "required": True}],
            "responses": {"200": {"description": "ok"}},
            "x-amazon-apigateway-integration": {
                "type": "http_proxy",
                "httpMethod": method.upper(),
                "uri": f"http://backend.example.com/resources{index}/{{id}}",
                "requestParameters": {"integration.request.path.id": "method.request.path.id"},
            },
        }
    return {
        "openapi": "3.0.1",
        "info": {"title": f"bench-{operations}", "version": "1"},
        "paths": paths,
    }


def measure(spec_path: Path, runs: int) -> tuple[list[float], int]:
    """Wall time of each full program run and the AWS resource count of the last one."""
    overrides = {"specPath": str(spec_path), "operationScopes": {}}
    times: list[float] = []
    count = 0
    for _ in range(runs):
        start = time.perf_counter()
        stack = run_program("dev", project_dir=ROOT, config_overrides=overrides)
        times.append(time.perf_counter() - start)
        count = len(stack.custom_resources)
    return times, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per size (default 5)")
    args = parser.parse_args()

    run_program("dev", project_dir=ROOT)  # warm-up: imports and first-run costs
    counts: dict[int, int] = {}
    slowest_median = 0.0
    print(f"{'operations':>10} {'min ms':>8} {'median ms':>10} {'resources':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            spec_path = Path(tmp) / f"spec-{size}.json"
            spec_path.write_text(json.dumps(generate_spec(size)), encoding="utf-8")
            times, count = measure(spec_path, args.runs)
            counts[size] = count
            median = statistics.median(times)
            if size == max(SIZES):
                slowest_median = median
            print(f"{size:>10} {min(times) * 1000:>8.0f} {median * 1000:>10.0f} {count:>10}")
    constant = len(set(counts.values())) == 1
    fast = slowest_median < TARGET_SECONDS
    print(f"resource count constant: {'yes' if constant else 'NO'}")
    print(
        f"{max(SIZES)} operations under {TARGET_SECONDS:.0f} s (median): {'yes' if fast else 'NO'}"
    )
    return 0 if constant and fast else 1


if __name__ == "__main__":
    sys.exit(main())
