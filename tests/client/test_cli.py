"""``python -m m2m_client call`` against the local fake: output, exit status, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from m2m_client.cli import EXIT_HTTP_ERROR, EXIT_OK, EXIT_TOKEN, EXIT_USAGE, main

from .fakes import READ, WRITE, FakeCognito

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def outputs_file(cognito: FakeCognito, tmp_path: Path) -> Path:
    """Stack outputs pointing at the fake, as `pulumi stack output --json` would print them."""
    data = {
        "invoke_url": cognito.base_url,
        "token_endpoint_url": cognito.token_url,
        "scope_identifiers": {"read": READ, "write": WRITE},
        "client_ids": {"analytics": "analytics", "orders": "orders"},
        "client_secrets": {
            "analytics": cognito.add_client("analytics", (READ,)),
            "orders": cognito.add_client("orders", (READ, WRITE)),
        },
    }
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(data))
    return path


def run(outputs_file: Path, *args: str) -> int:
    return main(["call", "--outputs-file", str(outputs_file), *args])


def test_get_prints_status_and_json_body(
    outputs_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(outputs_file, "--consumer", "analytics", "GET", "/pets") == EXIT_OK
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "HTTP 200 OK"
    assert json.loads(out.split("\n", 1)[1]) == {"ok": True, "path": "/pets"}


def test_post_with_data_as_read_write_consumer(
    outputs_file: Path, cognito: FakeCognito, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(outputs_file, "--consumer", "orders", "post", "/pets", "--data", '{"type": "dog"}')
    assert code == EXIT_OK
    assert capsys.readouterr().out.startswith("HTTP 201 Created")
    method, path, auth = cognito.api_requests[-1]
    assert (method, path) == ("POST", "/pets")
    assert auth is not None
    assert auth.startswith("Bearer ")


def test_post_as_read_only_consumer_prints_401_and_exits_1(
    outputs_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(outputs_file, "--consumer", "analytics", "POST", "/pets") == EXIT_HTTP_ERROR
    out = capsys.readouterr().out
    assert out.startswith("HTTP 401 Unauthorized")
    assert '"message": "Unauthorized"' in out


def test_requested_scope_narrows_the_token(
    outputs_file: Path, cognito: FakeCognito, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(outputs_file, "--consumer", "orders", "--scope", "read", "POST", "/pets")
    assert code == EXIT_HTTP_ERROR
    assert cognito.token_requests[-1].form["scope"] == READ


def test_body_auth_and_raw_token_options(outputs_file: Path, cognito: FakeCognito) -> None:
    code = run(
        outputs_file, "--consumer", "orders", "--auth", "body", "--no-bearer-prefix", "GET", "/pets"
    )
    assert code == EXIT_OK
    assert cognito.token_requests[-1].auth_method == "body"
    auth = cognito.api_requests[-1][2]
    assert auth is not None
    assert not auth.startswith("Bearer ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--consumer", "billing", "GET", "/pets"],
            "error: consumer 'billing' is not in the stack (known: analytics, orders)",
        ),
        (
            ["--consumer", "orders", "FETCH", "/pets"],
            "error: method: 'FETCH' is not an HTTP method (expected one of: GET, POST, PUT, "
            "PATCH, DELETE, HEAD, OPTIONS)",
        ),
        (
            ["--consumer", "orders", "POST", "/pets", "--data", "{type: dog}"],
            "error: --data: not valid JSON (Expecting property name enclosed in double quotes "
            "at column 2): '{type: dog}'",
        ),
        (
            ["--consumer", "orders", "GET", "pets"],
            "error: path: must start with '/', got 'pets'",
        ),
        (
            ["--consumer", "orders", "--scope", "admin", "GET", "/pets"],
            "error: scope 'admin' is not a scope of the resource server (defined: read, write); "
            "pass a scope name or a full '<identifier>/<scope_name>' string",
        ),
    ],
)
def test_user_errors_are_one_line_and_exit_2(
    outputs_file: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert run(outputs_file, *args) == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.err == message + "\n"
    assert captured.out == ""


def test_token_failure_exits_3(
    outputs_file: Path, cognito: FakeCognito, capsys: pytest.CaptureFixture[str]
) -> None:
    cognito.clients["orders"].secret = "rotated"
    assert run(outputs_file, "--consumer", "orders", "GET", "/pets") == EXIT_TOKEN
    err = capsys.readouterr().err
    assert err.startswith("error: no access token: invalid_client: ")
    assert err.count("\n") == 1


def test_unknown_path_is_403(outputs_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(outputs_file, "--consumer", "orders", "GET", "/nope") == EXIT_HTTP_ERROR
    assert capsys.readouterr().out.startswith("HTTP 403 Forbidden")


def test_module_entry_point_prints_no_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "m2m_client",
            "call",
            "--consumer",
            "orders",
            "GET",
            "/pets",
            "--outputs-file",
            str(tmp_path / "missing.json"),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == EXIT_USAGE
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: outputs file ")
    assert proc.stderr.count("\n") == 1
