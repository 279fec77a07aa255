"""The component package as another project uses it: its provider started as the engine starts
it (`<python> provider/ <engine address>`, in another folder), called over gRPC."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from offline_engine.component_provider import ProviderProcess
from offline_engine.resource_monitor import ResourceMonitor

ROOT = Path(__file__).resolve().parents[2]
PLUGIN_DIR = ROOT / "provider"
PETSTORE = (ROOT / "api" / "petstore.yaml").read_text(encoding="utf-8")
REGION = "eu-west-1"
# The consuming program's stack config, as the engine passes it to Construct.
CONFIG = {"aws:region": REGION}


def token(name: str) -> str:
    return f"secured-m2m-api:index:{name}"


@pytest.fixture(scope="module")
def provider() -> Iterator[ProviderProcess]:
    with ProviderProcess(PLUGIN_DIR) as started:
        started.configure()
        yield started


@pytest.fixture
def monitor() -> Iterator[ResourceMonitor]:
    with ResourceMonitor(project="shop", region=REGION) as fake:
        yield fake
