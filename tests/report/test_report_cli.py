"""`make report`: the matrix, the verdicts, the formats, the exit status and the errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from apigw_guard.model.document import iter_operations
from report.__main__ import main
from report.render import render, report_to_dict
from report.run import build_report
from secured_m2m_api.spec_reader import load_spec_file

ROOT = Path(__file__).resolve().parents[2]
OPEN_METHOD_PROJECT = Path(__file__).resolve().parent / "open_method_project"
DEV = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())["config"]


@pytest.fixture(scope="module")
def dev_report():
    return build_report("dev")


def _row(report, key):
    rows = [r for r in report.matrix.rows if f"{r.method} {r.path}" == key]
    assert len(rows) == 1, f"{key}: expected one row, got {rows}"
    return rows[0]


def test_dev_report_lists_every_operation_of_the_example_api(dev_report):
    spec_ops = [op.key for op in iter_operations(load_spec_file(ROOT / "api/petstore.yaml"))]
    assert sorted(f"{r.method} {r.path}" for r in dev_report.matrix.rows) == sorted(spec_ops)
    assert all(r.status == "protected" for r in dev_report.matrix.rows)
    assert not dev_report.failed


@pytest.mark.parametrize(
    ("operation", "scope", "consumers"),
    [
        ("GET /", "read", ("analytics", "orders")),
        ("GET /pets", "read", ("analytics", "orders")),
        ("GET /pets/{petId}", "read", ("analytics", "orders")),
        ("POST /pets", "write", ("orders",)),
    ],
)
def test_dev_report_grants_follow_the_stack_config(dev_report, operation, scope, consumers):
    row = _row(dev_report, operation)
    assert [dev_report.matrix.short_scope(s) for s in row.scopes] == [scope]
    assert row.scopes[0].endswith(f"/{scope}")
    assert row.scopes[0].startswith("https://")
    assert row.consumers == consumers
    assert DEV["secured-m2m-api:operationScopes"][operation] == [scope]


def test_table_shows_each_operation_its_scope_and_callers(dev_report):
    text = render(dev_report, "table")
    lines = text.splitlines()
    post = next(line for line in lines if line.startswith("POST") and "/pets" in line)
    assert post.split() == ["POST", "/pets", "protected", "write", "operationScopes", "orders"]
    assert "PASSED: no mandatory violation; 4 operation(s), 12 resource(s)." in text
    assert "aws:cognito/userPoolClient:UserPoolClient" in text


def test_same_stack_gives_the_same_report_every_time(dev_report):
    # Resources register from several threads; a PR comment must not churn because of that.
    assert render(build_report("dev"), "json") == render(dev_report, "json")


def test_markdown_is_a_pull_request_table(dev_report):
    text = render(dev_report, "markdown")
    assert "| POST | /pets | protected | write | operationScopes | orders |" in text
    assert "| analytics | read | GET /, GET /pets, GET /pets/{petId} |" in text


def test_json_output_round_trips(dev_report):
    text = render(dev_report, "json")
    data = json.loads(text)
    assert data == report_to_dict(dev_report)
    assert json.loads(json.dumps(data)) == data
    ops = {f"{o['method']} {o['path']}": o for o in data["operations"]}
    assert ops["POST /pets"]["consumers"] == ["orders"]
    assert ops["POST /pets"]["anyone"] is False
    consumers = {c["name"]: c for c in data["consumers"]}
    assert consumers["orders"]["flows"] == ["client_credentials"]
    assert "POST /pets" not in consumers["analytics"]["operations"]
    assert data["passed"] is True
    assert data["mandatory_violations"] == 0


def test_consumer_without_access_to_anything_is_visible():
    report = build_report(
        "dev",
        config_overrides={
            "scopes": {"read": "Read", "write": "Write", "audit": "Read audit logs"},
            "consumers": [
                {"name": "analytics", "scopes": ["read"]},
                {"name": "auditor", "scopes": ["audit"]},
            ],
        },
    )
    assert report.matrix.operations_for("auditor") == ()
    assert "auditor" not in {c for r in report.matrix.rows for c in r.consumers}
    auditor_line = next(
        line for line in render(report, "table").splitlines() if line.startswith("auditor")
    )
    assert "NOTHING (holds no granting scope)" in auditor_line
    data = json.loads(render(report, "json"))
    assert next(c for c in data["consumers"] if c["name"] == "auditor")["operations"] == []


def test_open_method_resource_fails_the_report(capsys):
    status = main(["--project-dir", str(OPEN_METHOD_PROJECT), "--stack", "test"])
    out = capsys.readouterr().out
    assert status == 1
    post = next(line for line in out.splitlines() if line.startswith("POST"))
    assert "UNPROTECTED" in post
    assert "ANYONE" in post
    assert "mandatory (1)" in out
    assert "apigateway-method-cognito-authorization" in out
    assert "FAILED: 1 mandatory violation(s)" in out


def test_preview_lists_every_operation_and_defers_only_the_verdict(capsys):
    status = main(["--stack", "dev", "--preview", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert status == 0
    assert data["preview"] is True
    # Operations, scopes and callers are known before any update (issue 10, item 10).
    assert [(o["method"], o["path"], o["scopes"], o["consumers"]) for o in data["operations"]] == [
        ("GET", "/", ["read"], ["analytics", "orders"]),
        ("GET", "/pets", ["read"], ["analytics", "orders"]),
        ("POST", "/pets", ["write"], ["orders"]),
        ("GET", "/pets/{petId}", ["read"], ["analytics", "orders"]),
    ]
    assert {c["name"]: c["scopes_known"] for c in data["consumers"]} == {
        "analytics": True,
        "orders": True,
    }
    # Only what AWS assigns is marked: the identifier holds the REST API's id.
    assert data["resource_servers"] == [
        {
            "identifier": "https://{rest-api-id}.execute-api.eu-west-1.amazonaws.com/v1",
            "placeholder": True,
            "assigned_at_deploy": ["{rest-api-id}"],
        }
    ]
    # The verdicts stay the preview run's: the body is enforced at update.
    advisories = [v for v in data["verdicts"] if v["enforcement_level"] == "advisory"]
    assert any("checked (and enforced) at update" in v["message"] for v in advisories)


def test_preview_table_says_what_is_a_placeholder(capsys):
    assert main(["--stack", "dev", "--preview"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Authorization matrix for stack 'dev' (preview)\n")
    assert "values AWS assigns at deploy are placeholders" in out
    orders = next(line for line in out.splitlines() if line.startswith("orders"))
    assert orders.split(maxsplit=3)[3] == "GET /, GET /pets, POST /pets, GET /pets/{petId}"
    assert "NOTHING" not in out
    assert "(unknown until update)" not in out


def _error_of(capsys, argv):
    status = main(argv)
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert "Traceback" not in captured.err
    return captured.err


def test_missing_stack_file_is_a_clear_error(capsys, scratch_project):
    # A project of its own: the repository may hold any team's stacks (staging, ci, ...).
    scratch_project("prod")
    project = scratch_project("dev")
    err = _error_of(capsys, ["--project-dir", str(project), "--stack", "staging"])
    assert "stack 'staging': Pulumi.staging.yaml not found" in err
    assert err.rstrip().endswith("known stacks: dev, prod (--stack <name>)")


def test_bad_config_value_gets_the_programs_error(capsys, scratch_project):
    project = scratch_project("bad", domainPrefix="My_Prefix")
    err = _error_of(capsys, ["--project-dir", str(project), "--stack", "bad"])
    assert err.startswith("error: domainPrefix:")
    assert "'My_Prefix'" in err


def test_broken_spec_gets_the_programs_error(capsys, scratch_project, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.0.1\npaths: [unclosed\n")
    project = scratch_project("broken", specPath=str(broken))
    err = _error_of(capsys, ["--project-dir", str(project), "--stack", "broken"])
    assert "broken.yaml: not valid JSON or YAML" in err


def test_scope_mapping_naming_an_unknown_operation_is_a_clear_error(capsys, scratch_project):
    project = scratch_project("typo", operationScopes={"DELETE /pets": ["write"]})
    err = _error_of(capsys, ["--project-dir", str(project), "--stack", "typo"])
    assert "'DELETE /pets' is not an operation of the OpenAPI document" in err
