"""Benchmark: `make report` end to end, for the dev stack and for a 1,000-operation spec.

A script, not a test. Prints, per case, the wall time of the whole command as a user runs it
(`python -m report`, interpreter start and policy-pack start included; min and median of
several runs) and where the time goes in-process: program under mocks, pack start-up, and the
Analyze/AnalyzeStack calls.

    .venv/bin/python bench/report_timing.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.specs import generate_spec  # noqa: E402
from offline_engine import (  # noqa: E402
    PolicyPackProcess,
    run_program,
)


def _scratch_stack(spec_path: Path, project: Path) -> None:
    """A throw-away project: the repository's code linked in, a stack file using `spec_path`."""
    for name in ("__main__.py", "program_support", "provider", "api", "policies", "Pulumi.yaml"):
        (project / name).symlink_to(ROOT / name)
    dev = (ROOT / "Pulumi.dev.yaml").read_text(encoding="utf-8")
    dev = dev.split("  secured-m2m-api:operationScopes:")[0]  # big spec: default scope rule
    dev += (
        f"  secured-m2m-api:specPath: {json.dumps(str(spec_path))}\n"
        "  secured-m2m-api:consumers:\n"
        "    - {name: analytics, scopes: [read]}\n"
        "    - {name: orders, scopes: [read, write]}\n"
    )
    (project / "Pulumi.bench.yaml").write_text(dev, encoding="utf-8")


def end_to_end(project: Path, stack: str, runs: int) -> tuple[list[float], int]:
    times, status = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "report",
                "--stack",
                stack,
                "--format",
                "json",
                "--project-dir",
                str(project),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - start)
        status = proc.returncode
        if status not in (0, 1):
            raise SystemExit(f"report failed ({status}): {proc.stderr.strip()}")
        operations = len(json.loads(proc.stdout)["operations"])
    return times, operations if status in (0, 1) else -1


def breakdown(project: Path, stack: str) -> dict[str, float]:
    t0 = time.perf_counter()
    captured = run_program(stack, project_dir=project)
    t1 = time.perf_counter()
    with PolicyPackProcess(ROOT / "policies") as pack:
        pack.configure(default_level=None)
        t2 = time.perf_counter()
        pack.analyze_all(captured.resources)
        t3 = time.perf_counter()
    return {"program": t1 - t0, "pack start": t2 - t1, "analyze": t3 - t2}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "project"
        big.mkdir()
        spec = Path(tmp) / "spec-1000.json"
        spec.write_text(json.dumps(generate_spec(1000)), encoding="utf-8")
        _scratch_stack(spec, big)
        cases = [("dev stack (4 operations)", ROOT, "dev"), ("1,000-operation spec", big, "bench")]
        print(f"make report, {args.runs} runs each (seconds)")
        for label, project, stack in cases:
            times, operations = end_to_end(project, stack, args.runs)
            parts = breakdown(project, stack)
            print(
                f"  {label:<26} operations={operations:<5} "
                f"min={min(times):.2f} median={statistics.median(times):.2f}  "
                + "  ".join(f"{k}={v:.2f}" for k, v in parts.items())
            )


if __name__ == "__main__":
    main()
