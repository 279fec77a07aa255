"""No caller token reaches a backend in clear text, in the example or in any spec a team brings.

Under mocks: the body the program applies (RestApiPut) is read back; its integrations say
what each backend receives in the `Authorization` header.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from apigw_guard.model.document import SpecError, iter_operations
from offline_engine import CapturedStack, new_monitor, run_program
from report.matrix import build_matrix, from_record
from report.model import Report
from report.render import BACKEND_TITLE, render, token_text
from secured_m2m_api.backend_tokens import (
    AUTHORIZATION_PARAMETER,
    WITHHELD,
    WITHHELD_STATIC,
    TokenForwardingError,
    backend_tokens,
)

from .conftest import body_of

ROOT = Path(__file__).resolve().parents[2]
DEMO_HOST = "petstore-demo-endpoint.execute-api.com"


def integrations(stack: CapturedStack) -> dict[str, dict[str, Any]]:
    return {
        op.key: op.definition["x-amazon-apigateway-integration"]
        for op in iter_operations(body_of(stack))
    }


def test_the_example_reaches_its_demo_backend_over_https_without_the_token(
    dev: CapturedStack,
) -> None:
    found = integrations(dev)
    assert found["GET /"]["type"] == "mock"
    proxied = {k: v for k, v in found.items() if v["type"] == "http_proxy"}
    assert set(proxied) == {"GET /pets", "POST /pets", "GET /pets/{petId}"}
    for key, integration in proxied.items():
        assert integration["uri"].startswith(f"https://{DEMO_HOST}/petstore/pets"), key
        assert integration["requestParameters"][AUTHORIZATION_PARAMETER] == WITHHELD_STATIC, key
    # Its other mappings are kept.
    assert found["GET /pets/{petId}"]["requestParameters"]["integration.request.path.petId"] == (
        "method.request.path.petId"
    )
    assert all(
        d.token != "forwarded" or d.integration not in ("http", "http_proxy")
        for d in backend_tokens(body_of(dev))
    )


def test_the_example_file_itself_names_no_plain_http_backend() -> None:
    # A team that copies api/petstore.yaml copies its integrations too.
    text = (ROOT / "api" / "petstore.yaml").read_text(encoding="utf-8")
    assert "http://" not in text


def _spec_with_backends(tmp_path: Path, uris: dict[str, str]) -> str:
    """The example spec with each `METHOD /path` proxied to the given URI, no header mapping."""
    doc = yaml.safe_load((ROOT / "api" / "petstore.yaml").read_text(encoding="utf-8"))
    for op in iter_operations(doc):
        integration = op.definition["x-amazon-apigateway-integration"]
        if op.key in uris:
            integration["uri"] = uris[op.key]
            integration.get("requestParameters", {}).pop(AUTHORIZATION_PARAMETER, None)
    path = tmp_path / "team.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def test_a_teams_plain_http_backends_never_receive_the_token(tmp_path: Path) -> None:
    spec = _spec_with_backends(
        tmp_path,
        {
            "GET /pets": "http://legacy.internal.example/pets",
            "POST /pets": "https://orders.internal.example/pets",
            "GET /pets/{petId}": "${stageVariables.petsUrl}/{petId}",
        },
    )
    stack = run_program("dev", config_overrides={"specPath": spec})
    found = integrations(stack)
    assert found["GET /pets"]["requestParameters"][AUTHORIZATION_PARAMETER] == WITHHELD_STATIC
    assert found["GET /pets/{petId}"]["requestParameters"][AUTHORIZATION_PARAMETER] == (
        WITHHELD_STATIC
    )
    # https://: the team's own backend gets the token unless the stack says otherwise.
    assert AUTHORIZATION_PARAMETER not in found["POST /pets"].get("requestParameters", {})


def test_withholding_it_from_an_https_host_is_a_stack_setting(tmp_path: Path) -> None:
    spec = _spec_with_backends(tmp_path, {"POST /pets": "https://orders.partner.example/pets"})
    stack = run_program(
        "dev",
        config_overrides={"specPath": spec, "withholdTokenFromHosts": ["orders.partner.example"]},
    )
    params = integrations(stack)["POST /pets"]["requestParameters"]
    assert params == {AUTHORIZATION_PARAMETER: WITHHELD_STATIC}
    decisions = {d.operation: d for d in backend_tokens(body_of(stack))}
    assert decisions["POST /pets"].token == WITHHELD


@pytest.mark.parametrize(
    ("overrides", "error", "match"),
    [
        (
            {"withholdTokenFromHosts": ["petstore-demo-endpoint.execute-api.co"]},
            TokenForwardingError,
            r"^withholdTokenFromHosts: 'petstore-demo-endpoint.execute-api.co' is not the host "
            r"of any https:// HTTP integration in .*petstore.yaml \(https hosts there: "
            r"petstore-demo-endpoint.execute-api.com\)",
        ),
        (
            {"withholdTokenFromHosts": ["https://petstore-demo-endpoint.execute-api.com"]},
            TokenForwardingError,
            r"is not a host name; .* did you mean 'petstore-demo-endpoint.execute-api.com'\?",
        ),
    ],
)
def test_bad_token_settings_fail_before_any_resource(
    overrides: dict[str, Any], error: type[Exception], match: str
) -> None:
    monitor = new_monitor({})
    with pytest.raises(error, match=match):
        run_program("dev", config_overrides=overrides, monitor=monitor)
    assert monitor.records == []


def test_a_spec_that_copies_the_token_to_a_plain_http_backend_is_refused(tmp_path: Path) -> None:
    doc = yaml.safe_load((ROOT / "api" / "petstore.yaml").read_text(encoding="utf-8"))
    integration = doc["paths"]["/pets"]["get"]["x-amazon-apigateway-integration"]
    integration["uri"] = "http://legacy.internal.example/pets"
    integration["requestParameters"]["integration.request.header.X-Caller"] = (
        "method.request.header.Authorization"
    )
    path = tmp_path / "copies.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    monitor = new_monitor({})
    with pytest.raises(SpecError, match=r"GET /pets: requestParameters maps the caller's token"):
        run_program("dev", config_overrides={"specPath": str(path)}, monitor=monitor)
    assert monitor.records == []


@pytest.mark.parametrize(
    ("where", "place"),
    [("root", "the document root"), ("servers", "servers[0]")],
)
def test_a_spec_with_its_own_endpoint_configuration_is_refused(
    tmp_path: Path, where: str, place: str
) -> None:
    doc = yaml.safe_load((ROOT / "api" / "petstore.yaml").read_text(encoding="utf-8"))
    extension = {"x-amazon-apigateway-endpoint-configuration": {"types": ["REGIONAL"]}}
    if where == "root":
        doc.update(extension)
    else:
        doc["servers"] = [{"url": "https://example.com", **extension}]
    path = tmp_path / "endpoint.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    monitor = new_monitor({})
    with pytest.raises(
        SpecError,
        match=rf"x-amazon-apigateway-endpoint-configuration at {re.escape(place)}: the program "
        r"sets the endpoint itself \(a REGIONAL RestApi",
    ):
        run_program("dev", config_overrides={"specPath": str(path)}, monitor=monitor)
    assert monitor.records == []


# --- the report says, per operation, whose Authorization header is overridden -----------------


def _report(stack: CapturedStack) -> Report:
    matrix = build_matrix(from_record(r) for r in stack.resources)
    return Report(stack="dev", matrix=matrix, findings=(), resource_counts=())


def test_the_report_names_every_overridden_authorization_header(dev: CapturedStack) -> None:
    text = render(_report(dev), "table")
    section = text.split(BACKEND_TITLE, 1)[1].split("\n\n", 1)[0].splitlines()
    table = [line for line in section if line and not line.startswith(("Method", "---"))]
    rows = {" ".join(line.split()[:2]): line for line in table}
    assert set(rows) == {"GET /", "GET /pets", "POST /pets", "GET /pets/{petId}"}
    assert "not sent" in rows["GET /"]
    for key in ("GET /pets", "POST /pets", "GET /pets/{petId}"):
        assert "withheld" in rows[key], rows[key]
        assert "Authorization overridden with a static value" in rows[key], rows[key]
        assert f"https://{DEMO_HOST}/petstore/pets" in rows[key], rows[key]


def test_the_json_report_flags_each_override(dev: CapturedStack, tmp_path: Path) -> None:
    spec = _spec_with_backends(tmp_path, {"POST /pets": "https://orders.internal.example/pets"})
    stack = run_program("dev", config_overrides={"specPath": spec})
    data = json.loads(render(_report(stack), "json"))
    backends = {f"{o['method']} {o['path']}": o["backend"] for o in data["operations"]}
    assert backends["POST /pets"] == {
        "integration": "http_proxy",
        "uri": "https://orders.internal.example/pets",
        "caller_token": "forwarded",
        "authorization_overridden": False,
        "over_plain_http": False,
        "reason": "to https://",
    }
    assert backends["GET /pets"]["authorization_overridden"] is True
    assert backends["GET /"]["caller_token"] == "not sent"


def test_a_body_the_program_did_not_build_shows_a_clear_text_token_loudly(
    dev: CapturedStack,
) -> None:
    body = body_of(dev)
    integration = body["paths"]["/pets"]["get"]["x-amazon-apigateway-integration"]
    integration["uri"] = "http://legacy.example/pets"
    del integration["requestParameters"][AUTHORIZATION_PARAMETER]
    (row,) = [d for d in backend_tokens(body) if d.operation == "GET /pets"]
    assert token_text(row) == "FORWARDED IN CLEAR TEXT"
    assert row.reason == "to http:// (CLEAR TEXT)"
