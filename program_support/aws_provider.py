"""What the pinned pulumi-aws provider accepts as stack config, read from its Python SDK.

The SDK is generated from the provider's schema, so the pinned version is the authority: its
`config` module has one property per provider config key (`aws:region`, `aws:profile`, ...)
and its `Region` enum lists the regions it knows. Reading them here keeps the checks in
`config_keys` in step with `requirements.txt` without a copied list.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
from functools import cache
from pathlib import Path

import pulumi_aws
import pulumi_aws.config

AWS_NAMESPACE = "aws"
PULUMI_AWS_VERSION = importlib.metadata.version("pulumi-aws")
# The engine's own namespace (`pulumi:tags`, `pulumi:disable-default-providers`, ...).
ENGINE_NAMESPACE = "pulumi"


def _camel_case(name: str) -> str:
    """`skip_region_validation` -> `skipRegionValidation`, as the SDK generator maps them."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _config_keys() -> frozenset[str]:
    # `pulumi_aws.config` is a module whose class is the generated `_ExportableConfig`, one
    # property per key. Reading the class (not the properties) touches no config value.
    exportable: type = pulumi_aws.config._ExportableConfig  # type: ignore[attr-defined]
    return frozenset(
        _camel_case(name) for name, value in vars(exportable).items() if isinstance(value, property)
    )


# Every key of the `aws:` namespace the provider reads, e.g. `region`, `profile`, `defaultTags`.
AWS_CONFIG_KEYS: frozenset[str] = _config_keys()
# Every region the pinned provider knows, e.g. `eu-west-1`, in the SDK's order.
AWS_REGIONS: tuple[str, ...] = tuple(region.value for region in pulumi_aws.Region)


@cache
def provider_namespaces() -> frozenset[str]:
    """Config namespaces that belong to a provider or to the engine, not to a typo.

    The engine's `pulumi`, plus the name in `pulumi-plugin.json` of every provider SDK
    installed in this environment (`aws` for pulumi-aws), found without importing them.
    """
    names = {ENGINE_NAMESPACE, AWS_NAMESPACE}
    for dist in importlib.metadata.distributions():
        module = str(dist.metadata["Name"] or "").lower().replace("-", "_")
        if not module.startswith("pulumi_"):
            continue
        spec = importlib.util.find_spec(module)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            plugin = Path(folder) / "pulumi-plugin.json"
            if plugin.is_file():
                name = json.loads(plugin.read_text(encoding="utf-8")).get("name")
                if isinstance(name, str):
                    names.add(name)
    return frozenset(names)
