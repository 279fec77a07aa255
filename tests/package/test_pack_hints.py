"""The pack names this package's arguments as the package's schema spells them.

The pack is published alone, so it cannot read the schema: its message for a body built by
`SecuredRestApi` (or `SecuredM2MApi`) is written out, and this test holds it to the golden
schema (`provider/schema.json`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from apigw_guard.component_hints import HINTS
from apigw_guard.model.resource_types import SECURED_M2M_API_REST_API_COMPONENT
from tests.package.conftest import PLUGIN_DIR

SCHEMA: dict[str, Any] = json.loads((PLUGIN_DIR / "schema.json").read_text(encoding="utf-8"))


def test_the_hint_names_only_arguments_both_components_have_at_the_schemas_version() -> None:
    hint = HINTS[SECURED_M2M_API_REST_API_COMPONENT]
    fix = hint.body_fix("GET /pets")
    named = set(re.findall(r"`(\w+)`", fix))
    assert named == {"operationScopes", "scopes", "spec"}
    tokens = re.findall(r"secured-m2m-api:index:\w+", fix)
    assert tokens == ["secured-m2m-api:index:SecuredRestApi", "secured-m2m-api:index:SecuredM2MApi"]
    for token in tokens:
        assert named <= set(SCHEMA["resources"][token]["inputProperties"]), token
    assert f"secured-m2m-api {SCHEMA['version']} schema" in fix
    # The body's resource is that component's child.
    assert SECURED_M2M_API_REST_API_COMPONENT in SCHEMA["resources"]
