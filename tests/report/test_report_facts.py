"""What a reviewer needs besides the matrix (issue 10, items 9 to 11): settings, the identifier
labelled as a placeholder, where each operation's scopes come from, the spec's dropped preflights
and replaced security, and the Mermaid diagram; the program's decisions read from its plan
(`api_plan`, issue 18), never re-derived from the spec or the scope config."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from report.model import Report
from report.render import render
from report.run import build_report
from secured_m2m_api import spec_reader

ROOT = Path(__file__).resolve().parents[2]
# The `scratch_project` fixture (conftest.py): write_stack(name, **overrides) -> project dir.
WriteStack = Callable[..., Path]

SPEC = """\
openapi: 3.0.1
info: {title: Facts, version: "1"}
paths:
  /pets:
    get:
      responses: {"200": {description: ok}}
    delete:
      security: [{legacy: []}]
      responses: {"200": {description: ok}}
    options:
      responses: {"200": {description: preflight}}
      x-amazon-apigateway-integration: {type: mock}
components:
  securitySchemes:
    legacy: {type: apiKey, name: x-api-key, in: header}
"""


@pytest.fixture(scope="module")
def dev_report() -> Report:
    return build_report("dev")


def test_settings_a_reviewer_needs_are_in_every_format(dev_report: Report) -> None:
    data = json.loads(render(dev_report, "json"))
    assert data["settings"] == {
        "region": "eu-west-1",
        "token_endpoint_url": (
            "https://secured-m2m-petstore-dev.auth.eu-west-1.amazoncognito.com/oauth2/token"
        ),
        "access_token_lifetime": "60 minutes",
        "deletion_protection": "INACTIVE",
    }
    table = render(dev_report, "table").splitlines()
    assert table[2:9] == [
        "Region:                  eu-west-1",
        "Token endpoint:          "
        "https://secured-m2m-petstore-dev.auth.eu-west-1.amazoncognito.com/oauth2/token",
        "Access-token lifetime:   60 minutes",
        "Deletion protection:     INACTIVE",
        "Resource server:         https://{rest-api-id}.execute-api.eu-west-1.amazonaws.com/v1 "
        "(placeholder: {rest-api-id} is assigned by AWS at deploy)",
        "Dropped CORS preflights: none",
        "Own security replaced:   none",
    ]


def test_a_mock_id_is_never_shown_as_real(dev_report: Report) -> None:
    (actual,) = dev_report.matrix.identifiers
    mock_id = actual.split("//")[1].split(".")[0]
    for fmt in ("table", "markdown", "json"):
        assert mock_id not in render(dev_report, fmt), fmt


def test_a_fixed_identifier_is_not_a_placeholder(scratch_project: WriteStack) -> None:
    project = scratch_project(
        "fixed", resourceServerIdentifier="https://pets.example.com", deletionProtection=True
    )
    data = json.loads(render(build_report("fixed", project_dir=project), "json"))
    assert data["resource_servers"] == [
        {"identifier": "https://pets.example.com", "placeholder": False, "assigned_at_deploy": []}
    ]
    assert data["settings"]["deletion_protection"] == "ACTIVE"


def test_scope_source_tells_listed_operations_from_the_default_rule(
    scratch_project: WriteStack,
) -> None:
    project = scratch_project("partial", operationScopes={"post /pets": ["read", "write"]})
    report = build_report("partial", project_dir=project)
    sources = {r.key: (r.scope_source, r.scopes) for r in report.matrix.rows}
    assert {k: (s, [report.matrix.short_scope(x) for x in v]) for k, (s, v) in sources.items()} == {
        "GET /": ("default rule", ["read"]),
        "GET /pets": ("default rule", ["read"]),
        "POST /pets": ("operationScopes", ["read", "write"]),
        "GET /pets/{petId}": ("default rule", ["read"]),
    }
    assert (
        "| POST | /pets | protected | read \\| write | operationScopes | analytics, orders |"
        in (render(report, "markdown"))
    )


def test_dropped_preflights_and_replaced_security_are_listed(
    scratch_project: WriteStack, tmp_path: Path
) -> None:
    spec = tmp_path / "facts.yaml"
    spec.write_text(SPEC)
    project = scratch_project("spec", specPath=str(spec), operationScopes={})
    report = build_report("spec", project_dir=project)
    assert report.facts.dropped_preflights == ("OPTIONS /pets",)
    assert report.facts.replaced_security == ("DELETE /pets",)
    assert [(r.key, r.scope_source) for r in report.matrix.rows] == [
        ("DELETE /pets", "default rule"),
        ("GET /pets", "default rule"),
    ]
    markdown = render(report, "markdown")
    assert "| Dropped CORS preflights | `OPTIONS /pets` |" in markdown
    assert "| Own security replaced | `DELETE /pets` |" in markdown


def test_a_project_that_is_not_this_program_claims_no_settings() -> None:
    project = Path(__file__).resolve().parent / "open_method_project"
    report = build_report("test", project_dir=project)
    assert report.facts.token_endpoint_url is None
    assert {r.scope_source for r in report.matrix.rows} == {""}
    assert "Dropped CORS preflights" not in render(report, "table")


def test_markdown_has_a_mermaid_diagram_of_consumers_scopes_and_operations(
    dev_report: Report,
) -> None:
    markdown = render(dev_report, "markdown")
    start = markdown.index("```mermaid")
    end = markdown.index("```", start + 3) + 3
    assert markdown[start:end] == "\n".join(
        [
            "```mermaid",
            "flowchart LR",
            '  c0["analytics"]',
            '  c1["orders"]',
            '  s0(["read"])',
            '  s1(["write"])',
            '  o0["GET /"]',
            '  o1["GET /pets"]',
            '  o2["POST /pets"]',
            '  o3["GET /pets/{petId}"]',
            "  c0 --> s0",
            "  c1 --> s0",
            "  c1 --> s1",
            "  s0 --> o0",
            "  s0 --> o1",
            "  s1 --> o2",
            "  s0 --> o3",
            "```",
        ]
    )


def test_diagram_shows_an_open_method_reachable_by_anyone() -> None:
    project = Path(__file__).resolve().parent / "open_method_project"
    markdown = render(build_report("test", project_dir=project), "markdown")
    assert '  anyone(("ANYONE, no token"))' in markdown
    assert "  anyone --> o1" in markdown


def test_the_backend_column_gives_the_programs_reason(scratch_project: WriteStack) -> None:
    # Only the program knows a backend is withheld because the stack lists its host; the body
    # alone says no more than "overridden".
    host = "petstore-demo-endpoint.execute-api.com"
    project = scratch_project("withheld", withholdTokenFromHosts=[host])
    report = build_report("withheld", project_dir=project)
    reasons = {r.key: r.backend.reason for r in report.matrix.rows if r.backend is not None}
    assert reasons == {
        "GET /": "mock: answered by API Gateway",
        "GET /pets": f"withholdTokenFromHosts: {host}",
        "POST /pets": f"withholdTokenFromHosts: {host}",
        "GET /pets/{petId}": f"withholdTokenFromHosts: {host}",
    }


@pytest.mark.parametrize("preview", [False, True])
def test_the_report_opens_the_spec_only_through_the_program(
    monkeypatch: pytest.MonkeyPatch, preview: bool
) -> None:
    opened: list[str] = []
    read = spec_reader.read_spec_file

    def counting(path: str | Path) -> str:
        opened.append(str(path))
        return read(path)

    monkeypatch.setattr(spec_reader, "read_spec_file", counting)
    report = build_report("dev", preview=preview)
    # One program run, two in preview (its verdicts, then the content): nothing else reads it.
    assert len(opened) == (2 if preview else 1)
    assert report.facts.dropped_preflights == ()


def test_no_report_module_reads_the_spec_or_the_scope_config() -> None:
    # The plan (`api_plan`) carries what the program decided; re-deciding it here is how the
    # report and the program drifted apart before.
    forbidden = {
        "secured_m2m_api.spec_reader",
        "secured_m2m_api.operation_scopes",
        "program_support.stack_config",
        "secured_m2m_api.openapi_body",
        "apigw_guard.model.document",
    }
    for module in sorted((ROOT / "report").glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
        assert not imported & forbidden, f"{module.name} imports {sorted(imported & forbidden)}"
