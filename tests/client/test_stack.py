"""Stack-output loading: Pulumi JSON, outputs file, environment variables, error messages."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from m2m_client.stack import (
    StackConfigError,
    StackOutputs,
    UnknownConsumerError,
    UnknownScopeError,
    load_from_env,
    load_from_pulumi,
    load_outputs,
    parse_outputs,
)

IDENT = "https://abc.execute-api.eu-west-1.amazonaws.com/v1"

OUTPUTS: dict[str, object] = {
    "invoke_url": IDENT,
    "token_endpoint_url": "https://m2m-dev.auth.eu-west-1.amazoncognito.com/oauth2/token",
    "user_pool_id": "eu-west-1_abc",
    "resource_server_identifier": IDENT,
    "scope_identifiers": {"read": f"{IDENT}/read", "write": f"{IDENT}/write"},
    "client_ids": {"analytics": "id-a", "orders": "id-o"},
    "client_secrets": {"analytics": "sec-a", "orders": "sec-o"},
}

ENV = {
    "M2M_INVOKE_URL": "https://x.example/v1",
    "M2M_TOKEN_URL": "https://p.auth.eu-west-1.amazoncognito.com/oauth2/token",
    "M2M_CLIENT_ID": "cid",
    "M2M_CLIENT_SECRET": "csec",
}


def outputs(**overrides: object) -> StackOutputs:
    data = dict(OUTPUTS)
    data.update(overrides)
    return parse_outputs(data)


def test_parses_the_programs_outputs() -> None:
    out = outputs()
    assert out.consumer("orders").client_id == "id-o"
    assert out.consumer("orders").client_secret == "sec-o"
    assert out.scope("read") == f"{IDENT}/read"
    assert out.url("/pets") == f"{IDENT}/pets"


def test_secrets_are_not_in_repr() -> None:
    out = outputs()
    assert "sec-o" not in repr(out)
    assert "sec-o" not in repr(out.consumer("orders"))


def test_unknown_consumer_lists_the_known_ones() -> None:
    with pytest.raises(
        UnknownConsumerError,
        match=r"^consumer 'billing' is not in the stack \(known: analytics, orders\)$",
    ):
        outputs().consumer("billing")


def test_consumer_without_secret_is_named() -> None:
    with pytest.raises(StackConfigError, match=r"client_secrets: no secret for consumer 'orders'"):
        outputs(client_secrets={"analytics": "s"}).consumer("orders")


def test_unknown_scope_lists_the_defined_ones() -> None:
    with pytest.raises(
        UnknownScopeError,
        match=r"^scope 'admin' is not a scope of the resource server \(defined: read, write\)",
    ):
        outputs().scope("admin")


def test_full_scope_strings_pass_through() -> None:
    assert outputs().scope("https://other/read") == "https://other/read"


def test_path_must_start_with_slash() -> None:
    with pytest.raises(StackConfigError, match=r"path: must start with '/', got 'pets'"):
        outputs().url("pets")


def test_trailing_slash_on_invoke_url_is_not_doubled() -> None:
    assert outputs(invoke_url=IDENT + "/").url("/pets") == f"{IDENT}/pets"


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        ({"invoke_url": None}, r"stack output 'invoke_url': expected a non-empty string, got None"),
        ({"token_endpoint_url": ""}, r"stack output 'token_endpoint_url': expected a non-empty"),
        ({"client_ids": ["a"]}, r"stack output 'client_ids': expected a map of name to string"),
        (
            {"client_secrets": "[secret]"},
            r"'client_secrets': .*got \[secret\] \(read the outputs with --show-secrets\)",
        ),
        ({"scope_identifiers": {"read": 1}}, r"stack output 'scope_identifiers': expected a map"),
    ],
)
def test_bad_outputs_name_the_output(overrides: dict[str, object], match: str) -> None:
    with pytest.raises(StackConfigError, match=match):
        outputs(**overrides)


def test_missing_output_lists_those_present() -> None:
    with pytest.raises(StackConfigError, match=r"outputs present: client_ids, "):
        parse_outputs({k: v for k, v in OUTPUTS.items() if k != "invoke_url"})


def test_outputs_file(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_text(json.dumps(OUTPUTS))
    assert load_outputs(stack="dev", cwd=tmp_path, outputs_file=path, env={}).client_ids == {
        "analytics": "id-a",
        "orders": "id-o",
    }


def test_outputs_file_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_text("Current stack outputs (7):")
    with pytest.raises(StackConfigError, match=r"outputs file '.*out.json': not valid JSON"):
        load_outputs(stack="dev", cwd=tmp_path, outputs_file=path, env={})


def test_missing_outputs_file(tmp_path: Path) -> None:
    with pytest.raises(StackConfigError, match=r"cannot read it \(No such file or directory\)"):
        load_outputs(stack="dev", cwd=tmp_path, outputs_file=tmp_path / "nope.json", env={})


def test_env_describes_one_consumer() -> None:
    out = load_from_env({**ENV, "M2M_CONSUMER": "orders"})
    assert out.consumer("orders").client_id == "cid"
    with pytest.raises(UnknownConsumerError, match=r"\(known: orders\)"):
        out.consumer("analytics")


def test_env_scope_names_need_the_resource_server_identifier() -> None:
    with pytest.raises(UnknownScopeError, match=r"\(defined: none\)"):
        load_from_env(ENV).scope("read")
    out = load_from_env({**ENV, "M2M_RESOURCE_SERVER_IDENTIFIER": "https://api"})
    assert out.scope("read") == "https://api/read"
    # Composed like the program composes it: a trailing '/' never gives '...//read'.
    out = load_from_env({**ENV, "M2M_RESOURCE_SERVER_IDENTIFIER": "https://api/v1/"})
    assert out.scope("read") == "https://api/v1/read"


def test_env_names_every_missing_variable() -> None:
    with pytest.raises(
        StackConfigError, match=r"^environment: M2M_CLIENT_ID, M2M_CLIENT_SECRET not set"
    ):
        load_from_env({"M2M_INVOKE_URL": "x", "M2M_TOKEN_URL": "y"})


def test_env_is_used_when_token_url_is_set(tmp_path: Path) -> None:
    out = load_outputs(stack="dev", cwd=tmp_path, env={**ENV, "M2M_CONSUMER": "c"})
    assert out.token_endpoint_url == ENV["M2M_TOKEN_URL"]


class FakePulumi:
    """Stands in for the pulumi executable: records argv and returns a canned result."""

    def __init__(self, returncode: int = 0, stdout: str = "", stderr: str = "") -> None:
        self.result = (returncode, stdout, stderr)
        self.calls: list[tuple[list[str], Path]] = []

    def __call__(self, args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
        self.calls.append((list(args), cwd))
        code, out, err = self.result
        return subprocess.CompletedProcess(list(args), code, out, err)


def test_pulumi_is_asked_for_json_with_secrets(tmp_path: Path) -> None:
    fake = FakePulumi(stdout=json.dumps(OUTPUTS))
    out = load_from_pulumi("dev", cwd=tmp_path, which=lambda _: "/bin/pulumi", run=fake)
    assert out.consumer("analytics").client_secret == "sec-a"
    assert fake.calls == [
        (
            ["/bin/pulumi", "stack", "output", "--json", "--show-secrets", "--stack", "dev"],
            tmp_path,
        )
    ]


def test_missing_pulumi_cli_says_what_else_works(tmp_path: Path) -> None:
    with pytest.raises(
        StackConfigError, match=r"^pulumi CLI not found on PATH; .*--outputs-file.*M2M_TOKEN_URL"
    ):
        load_from_pulumi("dev", cwd=tmp_path, which=lambda _: None)


def test_pulumi_failure_reports_its_last_line(tmp_path: Path) -> None:
    fake = FakePulumi(1, stderr="warning: x\nerror: no stack named 'prod' found\n")
    with pytest.raises(
        StackConfigError,
        match=r"^pulumi stack output for stack 'prod' failed: error: no stack named 'prod' found$",
    ):
        load_from_pulumi("prod", cwd=tmp_path, which=lambda _: "/bin/pulumi", run=fake)


def test_client_imports_nothing_from_the_program_or_the_pack() -> None:
    """The client ships to consumers alone: no module of components/ or policies/."""
    import ast

    package = Path(__file__).resolve().parents[2] / "m2m_client"
    imported: set[str] = set()
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
    roots = {name.split(".")[0] for name in imported}
    assert not roots & {"components", "policies", "harness", "report", "api"}, sorted(roots)
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, m2m_client, m2m_client.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('components', 'policies', 'harness', 'report')))",
        ],
        cwd=package.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert proc.stdout.strip() == "[]"
