"""``python -m m2m_client call`` against the local fake: output, exit status, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_support import EXIT_USAGE
from m2m_client.cli import (
    EXIT_HTTP_ERROR,
    EXIT_OK,
    EXIT_TOKEN,
    main,
    timeout_seconds,
)

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


def _outputs(cognito: FakeCognito, tmp_path: Path, **overrides: object) -> Path:
    data: dict[str, object] = {
        "invoke_url": cognito.base_url,
        "token_endpoint_url": cognito.token_url,
        "scope_identifiers": {"read": READ},
        "client_ids": {"orders": "orders"},
        "client_secrets": {"orders": cognito.add_client("orders", (READ,))},
    }
    data.update(overrides)
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize(
    ("key", "url"),
    [
        ("invoke_url", "http://abc.execute-api.eu-west-1.amazonaws.com/v1"),
        ("token_endpoint_url", "http://m2m.auth.eu-west-1.amazoncognito.com/oauth2/token"),
    ],
)
def test_plain_http_to_a_remote_host_is_refused_before_any_request(
    cognito: FakeCognito,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    key: str,
    url: str,
) -> None:
    path = _outputs(cognito, tmp_path, **{key: url})
    assert run(path, "--consumer", "orders", "GET", "/pets") == EXIT_USAGE
    err = capsys.readouterr().err
    field = "invoke_url" if key == "invoke_url" else "token_url"
    assert err.startswith(f"error: {field}: '{url}")
    assert "is plain http://" in err
    assert err.count("\n") == 1
    assert cognito.token_request_count == 0
    assert cognito.api_requests == []


def test_netrc_entry_for_the_api_host_does_not_replace_the_token(
    cognito: FakeCognito, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login netrc-user password netrc-password\n")
    monkeypatch.setenv("NETRC", str(netrc))
    path = _outputs(cognito, tmp_path)
    for extra in ([], ["--no-bearer-prefix"], ["--auth", "body"]):
        assert run(path, "--consumer", "orders", *extra, "GET", "/pets") == EXIT_OK, extra
    assert [r.auth_method for r in cognito.token_requests] == ["basic", "basic", "body"]
    assert cognito.token_requests[-1].authorization is None
    auths = [a for _, _, a in cognito.api_requests]
    assert all(a and "netrc" not in a and not a.startswith("Basic ") for a in auths), auths


def _run_module_with_env(env: dict[str, bytes]) -> subprocess.CompletedProcess[bytes]:
    base = {k: os.fsencode(v) for k, v in os.environ.items() if not k.startswith("M2M_")}
    return subprocess.run(
        [sys.executable, "-m", "m2m_client", "call", "--consumer", "c", "GET", "/pets"],
        cwd=REPO_ROOT,
        env={**base, **env},
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_non_ascii_secret_from_the_environment_gets_a_token(cognito: FakeCognito) -> None:
    cognito.add_client("c", (READ,))
    cognito.clients["c"].secret = "s€cret"
    proc = _run_module_with_env(
        {
            "M2M_INVOKE_URL": cognito.base_url.encode(),
            "M2M_TOKEN_URL": cognito.token_url.encode(),
            "M2M_CLIENT_ID": b"c",
            "M2M_CLIENT_SECRET": "s€cret".encode(),
            "M2M_CONSUMER": b"c",
        }
    )
    assert proc.returncode == EXIT_OK, proc.stderr
    assert cognito.token_requests[-1].client_id == "c"


def test_secret_that_is_not_utf8_is_one_line_and_no_request(cognito: FakeCognito) -> None:
    proc = _run_module_with_env(
        {
            "M2M_INVOKE_URL": cognito.base_url.encode(),
            "M2M_TOKEN_URL": cognito.token_url.encode(),
            "M2M_CLIENT_ID": b"c",
            "M2M_CLIENT_SECRET": b"hunter\xff2",  # Latin-1, not UTF-8
            "M2M_CONSUMER": b"c",
        }
    )
    assert proc.returncode == EXIT_USAGE
    err = proc.stderr.decode()
    assert err.startswith("error: client_secret: not valid Unicode text")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert "hunter" not in err
    assert cognito.token_request_count == 0


# --- arguments out of range: usage errors, one line, exit 2, no request -------------------


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "-inf", "1e12", "3600.5"])
def test_a_timeout_out_of_range_is_a_usage_error(
    outputs_file: Path, cognito: FakeCognito, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        run(outputs_file, "--consumer", "orders", "GET", "/pets", f"--timeout={value}")
    assert exited.value.code == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"error: argument --timeout: {value!r} is out of range; expected seconds more than 0 "
        "and at most 3600, e.g. 30 (see `python -m m2m_client call --help`)\n"
    )
    assert cognito.token_request_count == 0


def test_a_timeout_that_is_not_a_number_is_a_usage_error(
    outputs_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        run(outputs_file, "--consumer", "orders", "GET", "/pets", "--timeout", "30s")
    assert exited.value.code == EXIT_USAGE
    assert capsys.readouterr().err == (
        "error: argument --timeout: expected a number of seconds, e.g. 30, got '30s' "
        "(see `python -m m2m_client call --help`)\n"
    )


def test_a_timeout_within_the_range_is_used(outputs_file: Path) -> None:
    assert run(outputs_file, "--consumer", "orders", "GET", "/pets", "--timeout", "3600") == 0
    assert timeout_seconds("0.001") == 0.001
    assert timeout_seconds(" 2.5 ") == 2.5


def test_a_missing_argument_is_one_line_too(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["call", "GET", "/pets"])
    assert exited.value.code == EXIT_USAGE
    assert capsys.readouterr().err == (
        "error: the following arguments are required: --consumer "
        "(see `python -m m2m_client call --help`)\n"
    )


def _module(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("M2M_")}
    return subprocess.run(
        [sys.executable, "-m", "m2m_client", *args],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_the_module_refuses_timeout_zero_in_one_line_without_a_traceback() -> None:
    proc = _module("call", "--consumer", "orders", "GET", "/pets", "--timeout", "0")
    assert proc.returncode == EXIT_USAGE
    assert proc.stdout == ""
    assert proc.stderr == (
        "error: argument --timeout: '0' is out of range; expected seconds more than 0 and at "
        f"most 3600, e.g. 30 (see `{sys.executable} -m m2m_client call --help`)\n"
    )


def test_help_names_the_command_as_typed() -> None:
    proc = _module("call", "--help")
    assert proc.returncode == 0
    # argparse wraps the usage after the command when the interpreter's path is long.
    usage = proc.stdout.split(maxsplit=1)[1]
    assert usage.startswith(f"{sys.executable} -m m2m_client call")
    assert usage[len(f"{sys.executable} -m m2m_client call")] in " \n"
    assert "at most 3600" in proc.stdout


def test_a_wrapper_names_its_own_command() -> None:
    proc = _module("--prog", "make call", "call", "--help")
    assert proc.stdout.startswith("usage: make call [-h] --consumer CONSUMER")
    proc = _module("--prog", "make call", "call", "GET", "/pets")
    assert proc.stderr == (
        "error: the following arguments are required: --consumer (see `make help`)\n"
    )
