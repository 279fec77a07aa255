"""Specs API Gateway's import would refuse: exit 2 and one bounded line before any resource.

Each shape comes from a real public document that `make report` passed before (issue 19): the
import refuses it only at `RestApiPut`, after the user pool, its clients and the RestApi exist.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
import yaml

from apigw_guard.model.document import SpecError
from offline_engine import new_monitor, run_program
from report.__main__ import main as report_main
from secured_m2m_api.import_checks import UnimportableSpecError

ROOT = Path(__file__).resolve().parents[2]
DEV_CONFIG = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text(encoding="utf-8"))["config"]
OK = {"responses": {"200": {"description": "ok"}}}


def doc(paths: dict[str, Any], version: str = "3.0.3", **extra: Any) -> dict[str, Any]:
    return {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": paths, **extra}


def write(tmp_path: Path, spec: dict[str, Any] | str, name: str = "spec.json") -> str:
    path = tmp_path / name
    path.write_text(spec if isinstance(spec, str) else json.dumps(spec), encoding="utf-8")
    return str(path)


def refused(tmp_path: Path, spec: dict[str, Any] | str, name: str = "spec.json") -> str:
    """Run the dev stack with `spec`; the message of the refusal, after checking nothing exists."""
    monitor = new_monitor({})
    overrides = {"specPath": write(tmp_path, spec, name), "operationScopes": {}}
    with pytest.raises(SpecError) as err:
        run_program("dev", config_overrides=overrides, monitor=monitor)
    assert monitor.records == []
    message = str(err.value)
    assert "\n" not in message
    return message


def test_sibling_variable_parts_are_refused(tmp_path: Path) -> None:
    message = refused(
        tmp_path, doc({"/items/{itemId}": {"get": OK}, "/items/{id}/parts": {"get": OK}})
    )
    assert message == (
        f"{tmp_path / 'spec.json'}: API Gateway's REST API import would refuse this document, "
        "after the user pool, its clients and the RestApi exist (https://docs.aws.amazon.com/"
        "apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-"
        "issues-rest-apis): 1 parent path with different variable parts (under '/items': "
        "{itemId} ('/items/{itemId}') and {id} ('/items/{id}/parts')): API Gateway allows one "
        "variable part per parent; use one name for it in every path"
    )


@pytest.mark.parametrize(
    ("paths", "fragment"),
    [
        pytest.param(
            {"/Accounts/{Sid}.json": {"get": OK}, "/<upload_url>": {"post": OK}},
            "2 paths with a segment the import cannot read ('/Accounts/{Sid}.json', "
            "'/<upload_url>'): a segment may hold only letters, digits and _ - . , : and a "
            "parameter must be a whole segment",
            id="twilio-and-upload-url",
        ),
        pytest.param(
            {
                "/#X-Amz-Target=Foo.Bar": {"post": OK},
                "/a b": {"get": OK},
                "/ok_1.2,x:y": {"get": OK},
            },
            "2 paths with a segment the import cannot read ('/#X-Amz-Target=Foo.Bar', '/a b')",
            id="fragment-and-space",
        ),
        pytest.param(
            {"/v1/{id}-{rev}": {"get": OK}},
            "1 path with a segment the import cannot read ('/v1/{id}-{rev}')",
            id="two-parameters-in-a-segment",
        ),
    ],
)
def test_segments_the_import_cannot_read_are_refused(
    tmp_path: Path, paths: dict[str, Any], fragment: str
) -> None:
    assert fragment in refused(tmp_path, doc(paths))


def test_operations_that_are_refs_to_other_files_say_to_bundle(tmp_path: Path) -> None:
    paths = {f"/v2/r{i}": {"get": {"$ref": f"resources/r{i}/list.yml"}} for i in range(659)}
    message = refused(tmp_path, doc(paths))
    assert (
        "659 operations written as $ref (GET '/v2/r0' -> 'resources/r0/list.yml', GET '/v2/r1' "
        "-> 'resources/r1/list.yml', GET '/v2/r2' -> 'resources/r2/list.yml' and 656 more): "
        "bundle the document into one file with every operation inline first"
    ) in message
    assert len(message) < 1000


def test_an_operation_that_is_a_local_ref_is_refused_too(tmp_path: Path) -> None:
    spec = {**doc({"/a": {"get": {"$ref": "#/x-ops/a"}}}), "x-ops": {"a": OK}}
    assert "write each operation inline (OpenAPI has no $ref for an operation)" in refused(
        tmp_path, spec
    )


@pytest.mark.parametrize("version", ["3.1.0", "3.1.1", "3.2.0"])
def test_openapi_versions_aws_does_not_document_are_refused(tmp_path: Path, version: str) -> None:
    message = refused(tmp_path, doc({"/a": {"get": OK}}, version))
    assert message.endswith(
        f"OpenAPI '{version}': AWS documents import of OpenAPI 2.0 and 3.0 only; write it as "
        "openapi: 3.0.x (e.g. 3.0.3) or swagger: '2.0'"
    )


def test_an_integration_mapping_an_undeclared_path_parameter_is_refused(tmp_path: Path) -> None:
    integration = {
        "type": "http_proxy",
        "httpMethod": "GET",
        "uri": "https://backend.example.com/items/{id}",
        "requestParameters": {"integration.request.path.id": "method.request.path.id"},
    }
    spec = doc({"/items/{id}": {"get": {**OK, "x-amazon-apigateway-integration": integration}}})
    assert (
        "1 integration mapping of an undeclared path parameter (GET '/items/{id}' maps 'id'): "
        "the import fails with 'Invalid mapping expression parameter specified: "
        "method.request.path.<name>'"
    ) in refused(tmp_path, spec)


def test_a_path_parameter_declared_on_the_path_item_or_by_ref_is_fine(tmp_path: Path) -> None:
    integration = {
        "type": "http_proxy",
        "httpMethod": "GET",
        "uri": "https://backend.example.com/items/{id}/{part}",
        "requestParameters": {
            "integration.request.path.id": "method.request.path.id",
            "integration.request.path.part": "method.request.path.part",
        },
    }
    spec = doc(
        {
            "/items/{id}/{part}": {
                "parameters": [{"$ref": "#/components/parameters/id"}],
                "get": {
                    **OK,
                    "parameters": [{"name": "part", "in": "path", "required": True}],
                    "x-amazon-apigateway-integration": integration,
                },
            }
        },
        components={"parameters": {"id": {"name": "id", "in": "path", "required": True}}},
    )
    overrides = {"specPath": write(tmp_path, spec), "operationScopes": {}}
    stack = run_program("dev", config_overrides=overrides)
    assert stack.one("aws:apigateway/restApiPut:RestApiPut")


def test_every_broken_rule_is_named_in_one_line(tmp_path: Path) -> None:
    paths = {
        "/items/{itemId}": {"get": OK},
        "/items/{id}/parts": {"get": OK},
        "/Accounts/{Sid}.json": {"get": OK},
        "/ref": {"get": {"$ref": "ops.yml#/get"}},
    }
    message = refused(tmp_path, doc(paths, "3.1.0"))
    for fragment in (
        "OpenAPI '3.1.0'",
        "1 path with a segment the import cannot read",
        "1 parent path with different variable parts",
        "1 operation written as $ref",
    ):
        assert fragment in message


def test_a_body_over_6_mb_is_refused_before_any_resource(tmp_path: Path) -> None:
    description = "x" * (6 * 1024 * 1024)
    spec = doc({"/a": {"get": {**OK, "description": description}}})
    message = refused(tmp_path, spec)
    assert "the body the program would PUT is about 6,29" in message
    assert "API Gateway imports at most 6 MB (6,291,456 bytes) per restapi:put" in message


def test_a_body_close_to_6_mb_is_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spec = doc({"/a": {"get": {**OK, "description": "x" * 6_100_000}}})
    overrides = {"specPath": write(tmp_path, spec), "operationScopes": {}}
    with caplog.at_level(logging.WARNING):
        run_program("dev", config_overrides=overrides)
    assert any("close to API Gateway's import limit of 6 MB" in r.message for r in caplog.records)


def test_past_300_resources_the_program_warns_naming_the_quota(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # 150 paths of two segments: 1 root + 150 + 150 resources.
    spec = doc({f"/r{i}/{{id}}": {"get": OK} for i in range(150)})
    overrides = {"specPath": write(tmp_path, spec), "operationScopes": {}}
    with caplog.at_level(logging.WARNING):
        run_program("dev", config_overrides=overrides)
    warnings = [r.message for r in caplog.records if r.levelno == logging.WARNING]
    assert any(
        "the API would have 301 resources (one per distinct path prefix, the root included); "
        "API Gateway's default quota is 300 resources per API" in w
        for w in warnings
    ), warnings


def test_at_300_resources_there_is_no_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spec = doc({f"/r{i}/{{id}}": {"get": OK} for i in range(149)} | {"/last": {"get": OK}})
    overrides = {"specPath": write(tmp_path, spec), "operationScopes": {}}
    with caplog.at_level(logging.WARNING):
        run_program("dev", config_overrides=overrides)
    assert not [r for r in caplog.records if "resources per API" in r.message]


def test_a_path_written_twice_is_refused_not_lost(tmp_path: Path) -> None:
    text = (
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n"
        "  /items:\n    get: {responses: {'200': {description: ok}}}\n"
        "  /items:\n    post: {responses: {'200': {description: ok}}}\n"
    )
    message = refused(tmp_path, text, "spec.yaml")
    assert message.startswith(f"{tmp_path / 'spec.yaml'}: duplicate key '/items'")


def test_the_report_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("__main__.py", "components", "api", "policies", "Pulumi.yaml"):
        (tmp_path / name).symlink_to(ROOT / name)
    spec = write(tmp_path, doc({"/items/{itemId}": {"get": OK}, "/items/{id}/parts": {"get": OK}}))
    config = {**DEV_CONFIG, "secured-m2m-api:specPath": spec}
    (tmp_path / "Pulumi.big.yaml").write_text(yaml.safe_dump({"config": config}))
    assert report_main(["--stack", "big", "--project-dir", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith(f"error: {spec}: API Gateway's REST API import would refuse")


def test_the_refusal_is_a_spec_error() -> None:
    assert issubclass(UnimportableSpecError, SpecError)
