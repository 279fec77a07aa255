"""The `pulumi new` template (templates/secured-m2m-api): a valid project file, a prompt for every
config key the program cannot default, and a thin program the package can build.

The project file is validated with `jsonschema` against the Pulumi project file's own schema,
`sdk/go/common/workspace/project.json` of pulumi/pulumi at tag v3.259.0 (commit
0ac56e876614aedf12771d73ef7e80959b8a6fd4), pinned in tests/fixtures/pulumi/project.json.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from offline_engine.component_provider import ProviderProcess
from offline_engine.resource_monitor import ResourceMonitor
from offline_engine.wire import Secret
from tests.package.conftest import CONFIG, PLUGIN_DIR, REGION, ROOT
from tests.package.yaml_program import (
    Reference,
    Replay,
    YamlProgram,
    check_against_schema,
    replay,
)

TEMPLATE = ROOT / "templates" / "secured-m2m-api"
PROJECT_SCHEMA_FILE = ROOT / "tests" / "fixtures" / "pulumi" / "project.json"
# `git rev-parse v3.259.0:sdk/go/common/workspace/project.json` in pulumi/pulumi.
PROJECT_SCHEMA_BLOB = "71846eef618fe494532a833b344ec901053843f8"
SCHEMA: dict[str, Any] = json.loads((PLUGIN_DIR / "schema.json").read_text(encoding="utf-8"))


def _project() -> dict[str, Any]:
    project: dict[str, Any] = yaml.safe_load((TEMPLATE / "Pulumi.yaml").read_text("utf-8"))
    return project


def _validator() -> Draft202012Validator:
    schema = json.loads(PROJECT_SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_the_pinned_project_schema_is_pulumis_file_at_that_commit() -> None:
    data = PROJECT_SCHEMA_FILE.read_bytes()
    blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
    assert blob == PROJECT_SCHEMA_BLOB


def test_the_template_is_a_valid_pulumi_project_file() -> None:
    errors = sorted(_validator().iter_errors(_project()), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []


@pytest.mark.parametrize(
    "break_it",
    [
        pytest.param(lambda p: p.pop("name"), id="no name"),
        pytest.param(lambda p: p["config"]["domainPrefix"].update(prompt="x"), id="config key"),
        pytest.param(lambda p: p["template"].update(prompts=[]), id="unknown template key"),
        pytest.param(
            lambda p: p["template"]["config"]["aws:region"].update(secret="no"), id="secret"
        ),
        pytest.param(lambda p: p["packages"].update(bad=["not", "a", "source"]), id="package"),
    ],
)
def test_the_validation_refuses_a_broken_project_file(break_it: Any) -> None:
    # The control: a validator that accepted anything would pass the test above.
    project = copy.deepcopy(_project())
    break_it(project)
    assert list(_validator().iter_errors(project))


def test_every_config_key_without_a_default_is_prompted_for_region_included() -> None:
    project = _project()
    prompted = set(project["template"]["config"])
    required = {key for key, spec in project["config"].items() if "default" not in spec}
    assert required == {"domainPrefix"}
    assert required | {"aws:region"} <= prompted
    for key in prompted:
        assert project["template"]["config"][key]["description"], key


def test_the_template_is_a_thin_program_of_the_package() -> None:
    assert sorted(p.name for p in TEMPLATE.iterdir()) == ["Pulumi.yaml", "openapi.yaml"]
    project = _project()
    assert project["runtime"] == "yaml"
    assert project["packages"] == {
        "secured-m2m-api": "github.com/your-org/secured-m2m-api/provider@v0.1.0"
    }
    # The repository's own project file has no `template:` (it would copy tests, policies and
    # workflows into every new project).
    assert "template" not in yaml.safe_load((ROOT / "Pulumi.yaml").read_text("utf-8"))
    check_against_schema(YamlProgram(TEMPLATE, project), SCHEMA)


@pytest.fixture(scope="module")
def created(provider: ProviderProcess) -> Iterator[Replay]:
    with ResourceMonitor(project="hello-m2m", region=REGION) as monitor:
        config = {"domainPrefix": "hello-m2m-dev", "deletionProtection": False}
        yield replay(YamlProgram(TEMPLATE, _project()), provider, monitor, config, CONFIG)


def test_the_templates_program_builds_a_guarded_api_over_construct(created: Replay) -> None:
    api = created.results["api"]
    assert isinstance(api.state["clientSecrets"], Secret)
    (body,) = created.registered("aws:apigateway/restApiPut:RestApiPut").values()
    operations = json.loads(body.inputs["body"])["paths"]["/hello"]["get"]["security"]
    identifier = created.output(Reference("api", ("resourceServerIdentifier",)))
    assert operations == [{"cognito-m2m": [f"{identifier}/read"]}]
