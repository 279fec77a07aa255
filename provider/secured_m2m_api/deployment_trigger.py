"""The value that forces a new API Gateway deployment whenever the live API would change."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping


def deployment_trigger(body: str, live_settings: Mapping[str, str]) -> str:
    """sha256 over the exact serialized body plus every other setting a deployment snapshots.

    API Gateway serves a stage from a frozen deployment: edits to methods, authorizers or the
    body are not live until a new Deployment exists. Pulumi only replaces the Deployment when
    its inputs change, so the body text (which already carries the pool ARN and every scope)
    and the API-level settings that change behaviour (endpoint type, TLS policy, put mode) are
    folded into one digest in `triggers`.
    """
    material = json.dumps(
        {"body": body, "settings": dict(sorted(live_settings.items()))},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()
