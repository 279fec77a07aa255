"""Benchmark: build the program under mocks for specs of 4, 100 and 1,000 operations, and a
Stripe-sized 4 MB spec as YAML and as JSON.

A script, not a test: prints wall time per run (min and median of several) and the number of
AWS resources, which must not grow with the number of operations (operations live in the body,
not in separate Method/Integration resources). Target: under 2 s at 1,000 operations.

The large case (`bench.specs.generate_large_spec`, made rather than downloaded: 4.3 MB of YAML, 500
operations, 250 schemas with described properties: the size of Stripe's public spec, not its
content) shows what
the spec's format costs: one strict parse (libyaml where PyYAML has it, as the program reads
it, and the pure-Python parser for comparison), one program build (each run in a fresh parse,
as one `pulumi up` is), and `python -m report` end to end as `make report` runs it.

    .venv/bin/python bench/program_build.py [--runs N] [--large-runs N]
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from apigw_guard.model import body_text as document  # noqa: E402
from bench.report_timing import end_to_end  # noqa: E402
from bench.specs import generate_large_spec, generate_spec  # noqa: E402
from offline_engine import run_program  # noqa: E402
from secured_m2m_api import spec_reader  # noqa: E402

SIZES = (4, 100, 1000)
TARGET_SECONDS = 2.0


def measure(spec_path: Path, runs: int) -> tuple[list[float], int]:
    """Wall time of each full program run and the AWS resource count of the last one.

    Each run parses the spec afresh, as one `pulumi up` does (a process parses a text once).
    """
    overrides = {"specPath": str(spec_path), "operationScopes": {}}
    times: list[float] = []
    count = 0
    for _ in range(runs):
        spec_reader._parsed.clear()
        start = time.perf_counter()
        stack = run_program("dev", project_dir=ROOT, config_overrides=overrides)
        times.append(time.perf_counter() - start)
        count = len(stack.custom_resources)
    return times, count


def _parse_seconds(text: str, loader: type[yaml.SafeLoader] | None) -> float:
    """One strict parse of `text` with the strict reader, on `loader`'s parser if given."""
    saved = document._UniqueKeyLoader
    if loader is not None:
        document._UniqueKeyLoader = loader  # type: ignore[misc,assignment]
    try:
        start = time.perf_counter()
        document.parse_body_text(text, "bench", allow_aliases=True)
        return time.perf_counter() - start
    finally:
        document._UniqueKeyLoader = saved  # type: ignore[misc]


def pure_python_loader() -> type[yaml.SafeLoader]:
    """The strict reader's loader on PyYAML's pure-Python parser (for comparison and tests)."""

    class PureUniqueKeyLoader(yaml.SafeLoader):
        pass

    PureUniqueKeyLoader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, document._construct_unique_mapping
    )
    return PureUniqueKeyLoader


def _report_seconds(spec_path: Path, project: Path) -> float:
    """`python -m report` end to end (interpreter and pack start included) on `spec_path`."""
    dev = (ROOT / "Pulumi.dev.yaml").read_text(encoding="utf-8")
    dev = dev.split("  secured-m2m-api:operationScopes:")[0]  # the default scope rule
    dev += f"  secured-m2m-api:specPath: {json.dumps(str(spec_path))}\n"
    (project / "Pulumi.large.yaml").write_text(dev, encoding="utf-8")
    times, _ = end_to_end(project, "large", 1)
    return times[0]


def large_case(tmp: Path, runs: int) -> None:
    """The 4 MB spec as YAML and as JSON: parse, program build, `make report`."""
    spec = generate_large_spec()
    yaml_path, json_path = tmp / "large.yaml", tmp / "large.json"
    yaml_path.write_text(yaml.dump(spec, Dumper=yaml.CSafeDumper, sort_keys=False), "utf-8")
    json_path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    project = tmp / "project"
    project.mkdir()
    for name in ("__main__.py", "program_support", "provider", "api", "policies", "Pulumi.yaml"):
        (project / name).symlink_to(ROOT / name)
    operations = sum(1 for item in spec["paths"].values() for _ in item)
    print(
        f"\nStripe-sized spec: {operations} operations, {len(spec['paths'])} paths, "
        f"{len(spec['components']['schemas'])} schemas; "
        f"YAML {yaml_path.stat().st_size / 1e6:.1f} MB, "
        f"JSON {json_path.stat().st_size / 1e6:.1f} MB"
    )
    libyaml = "libyaml" if yaml.__with_libyaml__ else "pure Python (no libyaml)"
    print(
        f"{'':>6} {'parse s':>8} {'parse, pure-Python s':>21} {'program median s':>17} "
        f"{'make report s':>14}"
    )
    for label, path in (("YAML", yaml_path), ("JSON", json_path)):
        text = path.read_text(encoding="utf-8")
        parse = _parse_seconds(text, None)
        pure = _parse_seconds(text, pure_python_loader()) if label == "YAML" else parse
        times, _ = measure(path, runs)
        report = _report_seconds(path, project)
        print(
            f"{label:>6} {parse:>8.2f} {pure:>21.2f} {statistics.median(times):>17.2f} "
            f"{report:>14.2f}"
        )
    print(
        f"(parse: the program's strict reader, {libyaml}; program: {runs} runs, a fresh parse each)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per size (default 5)")
    parser.add_argument(
        "--large-runs", type=int, default=3, help="program runs of the 4 MB spec (default 3)"
    )
    args = parser.parse_args()
    # The 1,000-operation spec makes 501 API Gateway resources, past the default quota of 300:
    # the program warns about it on every run, by design; that is not what this measures.
    logging.getLogger().setLevel(logging.ERROR)

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
        large_case(Path(tmp), args.large_runs)
    constant = len(set(counts.values())) == 1
    fast = slowest_median < TARGET_SECONDS
    print(f"resource count constant: {'yes' if constant else 'NO'}")
    print(
        f"{max(SIZES)} operations under {TARGET_SECONDS:.0f} s (median): {'yes' if fast else 'NO'}"
    )
    return 0 if constant and fast else 1


if __name__ == "__main__":
    sys.exit(main())
