"""Every bad input fails with a clear, typed error before any resource is registered."""

from __future__ import annotations

import contextvars
import json
from pathlib import Path
from typing import Any

import pytest
from pulumi.runtime import config as runtime_config

from apigw_guard.model.document import SpecError
from offline_engine import (
    MissingStackConfigError,
    StackConfigTypeError,
    new_monitor,
    run_program,
)
from program_support.config_keys import check_known_keys, project_keys
from program_support.engine_config import engine_config_keys
from secured_m2m_api.config_values import ConfigError
from secured_m2m_api.operation_scopes import ScopeMappingError

NOT_OPENAPI = "title: just some yaml\npaths: {}\n"
BROKEN = "openapi: 3.0.1\npaths: {/pets: [unclosed\n"


def _spec(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


CASES: list[tuple[str, dict[str, Any], type[Exception], str]] = [
    (
        "spec file missing",
        {"specPath": "api/does-not-exist.yaml"},
        SpecError,
        r"does-not-exist\.yaml: OpenAPI document not found",
    ),
    (
        "operation in mapping that the spec lacks",
        {"operationScopes": {"DELETE /pets": ["write"]}},
        ScopeMappingError,
        r"operationScopes: 'DELETE /pets' is not an operation of the OpenAPI document",
    ),
    (
        "scope in mapping the resource server does not define",
        {"operationScopes": {"GET /pets": ["admin"]}},
        ScopeMappingError,
        r"operationScopes\['GET /pets'\]: 'admin' is not a scope of the resource server "
        r"\(defined: read, write\)",
    ),
    (
        "operation left without any scope",
        {"operationScopes": {"GET /pets": []}},
        ScopeMappingError,
        r"operationScopes\['GET /pets'\]: an empty list leaves the operation without any scope",
    ),
    (
        "default scope missing for unlisted operations",
        {"scopes": {"read": "Read"}, "operationScopes": {}, "consumers": []},
        ScopeMappingError,
        r"operationScopes: 'POST /pets' is not listed and its default scope 'write'",
    ),
    (
        "consumer with no scopes",
        {"consumers": [{"name": "analytics", "scopes": []}]},
        ConfigError,
        r"consumers\[0\]\.scopes: consumer 'analytics' needs at least one scope",
    ),
    (
        "consumer with an undefined scope",
        {"consumers": [{"name": "a", "scopes": ["read"]}, {"name": "b", "scopes": ["admin"]}]},
        ConfigError,
        r"consumers\[1\]\.scopes: consumer 'b' asks for 'admin', which is not a scope of the "
        r"resource server \(defined: read, write\)",
    ),
    (
        "misspelled key (the CLI passes it on without a word)",
        {"deletionProtecton": True},
        ConfigError,
        r"^secured-m2m-api:deletionProtecton: unknown config key; did you mean "
        r"'deletionProtection'\?",
    ),
    (
        "spec path that is a directory",
        {"specPath": "api"},
        ConfigError,
        r"^specPath: 'api' is a directory",
    ),
    (
        "consumer scopes written as a string",
        {"consumers": [{"name": "orders", "scopes": "read"}]},
        ConfigError,
        r"^consumers\[0\]\.scopes: consumer 'orders': type error: expected a list",
    ),
    (
        "enhanced TLS policy without its endpoint access mode",
        {"securityPolicy": "SecurityPolicy_TLS13_1_3_2025_09"},
        ConfigError,
        r"^endpointAccessMode: '' with securityPolicy 'SecurityPolicy_TLS13_1_3_2025_09'",
    ),
    (
        "duplicate consumer name",
        {"consumers": [{"name": "orders", "scopes": ["read"]}] * 2},
        ConfigError,
        r"consumers\[1\]\.name: 'orders' is a duplicate",
    ),
    (
        "invalid domain prefix",
        {"domainPrefix": "PetStoreApi"},
        ConfigError,
        r"domainPrefix: 'PetStoreApi' is not a valid Cognito domain prefix",
    ),
    (
        "domain prefix with a reserved word",
        {"domainPrefix": "petstore-amazon-dev"},
        ConfigError,
        r"domainPrefix: 'petstore-amazon-dev' contains the reserved word 'amazon'",
    ),
    (
        "missing domain prefix (refused by the CLI before the program starts)",
        {"domainPrefix": None},
        MissingStackConfigError,
        r"^Stack 'dev' is missing configuration value 'domainPrefix'$",
    ),
    (
        "empty domain prefix",
        {"domainPrefix": ""},
        ConfigError,
        r"domainPrefix: required",
    ),
    (
        "invalid stage name",
        {"stageName": "v1/beta"},
        ConfigError,
        r"stageName: 'v1/beta' is not a valid API Gateway stage name",
    ),
    (
        "token validity too short",
        {"accessTokenValidityMinutes": 4},
        ConfigError,
        r"accessTokenValidityMinutes: 4 is out of range",
    ),
    (
        "token validity too long",
        {"accessTokenValidityMinutes": 1441},
        ConfigError,
        r"accessTokenValidityMinutes: 1441 is out of range",
    ),
    (
        "token validity not a number (refused by the CLI against Pulumi.yaml's type)",
        {"accessTokenValidityMinutes": "an hour"},
        StackConfigTypeError,
        r"^Stack 'dev' with configuration key 'accessTokenValidityMinutes' must be of type "
        r"'integer'; got 'an hour' \(Access-token lifetime in minutes, 5 to 1440 \(1 day\)\.\)$",
    ),
]


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [pytest.param(o, e, m, id=i) for i, o, e, m in CASES],
)
def test_rejects_bad_config_before_any_resource(
    overrides: dict[str, Any], error: type[Exception], message: str
) -> None:
    monitor = new_monitor({})
    with pytest.raises(error, match=message):
        run_program("dev", config_overrides=overrides, monitor=monitor)
    assert monitor.records == []


def test_records_would_show_a_resource_registered_before_an_error(tmp_path: Path) -> None:
    # Guards the `monitor.records == []` checks above against passing vacuously: a program
    # that registers a resource and then fails does leave that resource in the records.
    (tmp_path / "Pulumi.yaml").write_text("name: late-error\nruntime: python\n", encoding="utf-8")
    (tmp_path / "__main__.py").write_text(
        'import pulumi_aws as aws\naws.cognito.UserPool("pool")\nraise ValueError("late")\n',
        encoding="utf-8",
    )
    monitor = new_monitor({})
    with pytest.raises(ValueError, match="late"):
        run_program("test", project_dir=tmp_path, monitor=monitor)
    assert [r.type for r in monitor.records] == ["aws:cognito/userPool:UserPool"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(BROKEN, r"not valid JSON or YAML", id="unparseable"),
        pytest.param(NOT_OPENAPI, r"not an OpenAPI 2\.0 or 3\.x document", id="not-openapi"),
        pytest.param("[1, 2]", r"expected an OpenAPI document", id="not-a-mapping"),
        # Documents API Gateway may read differently from the policy pack: refused up front,
        # since the pack would fail the body closed anyway.
        pytest.param(
            "openapi: 3.0.1\npaths:\n  /pets:\n    $ref: '#/components/pathItems/pets'\n",
            r"spec\.yaml: path '/pets' is a \$ref path item",
            id="ref-path-item",
        ),
        pytest.param(
            "openapi: 3.0.1\npaths:\n  /pets:\n    get:\n      x-amazon-apigateway-auth:\n"
            "        type: NONE\n",
            r"spec\.yaml: GET /pets sets x-amazon-apigateway-auth",
            id="auth-extension",
        ),
        pytest.param(
            "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\n",
            r"spec\.yaml: no operations left to deploy; API Gateway cannot deploy a REST API "
            r"without methods",
            id="no-operations",
        ),
        pytest.param(
            "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n"
            "    options: {x-amazon-apigateway-integration: {type: mock}}\n",
            r"spec\.yaml: no operations left to deploy \(CORS preflights dropped: OPTIONS /pets\)",
            id="only-cors-preflights",
        ),
        pytest.param(
            "openapi: 3.0.1\npaths:\n  /pets:\n    GET: {}\n",
            r"spec\.yaml: GET /pets is written 'GET'; operation keys must be lower case",
            id="upper-case-verb",
        ),
    ],
)
def test_rejects_a_spec_that_is_not_openapi(tmp_path: Path, text: str, message: str) -> None:
    monitor = new_monitor({})
    spec = _spec(tmp_path, "spec.yaml", text)
    with pytest.raises(SpecError, match=message):
        run_program("dev", config_overrides={"specPath": spec}, monitor=monitor)
    assert monitor.records == []


def _engine_keys_in_a_fresh_context(sdk_config: dict[str, str]) -> set[str]:
    def read() -> set[str]:
        runtime_config.set_all_config(sdk_config)
        return engine_config_keys()

    return contextvars.Context().run(read)


def test_config_keys_passed_in_the_engine_environment_are_seen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Under `pulumi up` the language host passes config only as PULUMI_CONFIG (JSON).
    monkeypatch.setenv(
        "PULUMI_CONFIG",
        json.dumps({"secured-m2m-api:deletionProtecton": "true", "aws:region": "eu-west-1"}),
    )
    keys = _engine_keys_in_a_fresh_context({})
    assert project_keys(keys) == ["deletionProtecton"]
    with pytest.raises(ConfigError, match=r"did you mean 'deletionProtection'\?"):
        check_known_keys(project_keys(keys))


def test_config_keys_set_through_the_sdk_alone_are_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    # The Automation API's inline programs get config through set_all_config, no environment.
    monkeypatch.delenv("PULUMI_CONFIG", raising=False)
    keys = _engine_keys_in_a_fresh_context({"secured-m2m-api:stagename": "v1"})
    assert project_keys(keys) == ["stagename"]
