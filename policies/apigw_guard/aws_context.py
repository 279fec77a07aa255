"""The region a resource lives in, for `${AWS::Region}` in the bodies it imports.

pulumi-aws 7 gives every resource a `region` input (default: its provider's); aws-native takes
the provider's. The provider arrives beside the resource in Analyze and AnalyzeStack requests
(`AnalyzerProviderResource`, with the provider's inputs). A region that is not known (preview,
or no provider sent) leaves `${AWS::Region}` open (see `model.pool_refs`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .props import props_of


def import_region(props: Mapping[str, Any], provider: Any) -> str | None:
    """The resource's own `region`, else its provider's; None when neither is a known string."""
    region = props.get("region")
    if isinstance(region, str) and region:
        return region
    provider_props = props_of(getattr(provider, "props", None)) if provider is not None else {}
    region = provider_props.get("region")
    return region if isinstance(region, str) and region else None
