"""What a reviewer needs besides the matrix (issue 10, items 9 to 11): settings, the identifier
labelled as a placeholder, where each operation's scopes come from, the spec's dropped preflights
and replaced security, and the Mermaid diagram."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from report.model import Report
from report.render import render
from report.run import build_report

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
