"""Which backends receive the caller's token: http:// never, https:// unless withheld.

Plain functions over dicts (provider/secured_m2m_api/backend_tokens.py), the same ones the
program runs on any spec a team brings and the report reads back from the registered body.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from apigw_guard.model.document import SpecError
from secured_m2m_api.backend_tokens import (
    AUTHORIZATION_PARAMETER,
    FORWARDED,
    MAPPED_ONLY,
    NOT_SENT,
    WITHHELD,
    WITHHELD_STATIC,
    TokenForwardingError,
    backend_host,
    backend_scheme,
    backend_tokens,
    parse_withheld_hosts,
    withhold_tokens,
)

KEY = "withholdTokenFromHosts"


def integration(uri: str, kind: str = "http_proxy", **extra: Any) -> dict[str, Any]:
    return {"type": kind, "httpMethod": "GET", "uri": uri, **extra}


def spec(**operations: dict[str, Any] | None) -> dict[str, Any]:
    """One path per operation name, e.g. spec(a=integration(...)) gives GET /a."""
    paths: dict[str, Any] = {}
    for name, integ in operations.items():
        op: dict[str, Any] = {"responses": {}}
        if integ is not None:
            op["x-amazon-apigateway-integration"] = integ
        paths[f"/{name}"] = {"get": op}
    return {"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": paths}


def params(doc: dict[str, Any], name: str) -> dict[str, Any]:
    result: dict[str, Any] = doc["paths"][f"/{name}"]["get"]["x-amazon-apigateway-integration"][
        "requestParameters"
    ]
    return result


@pytest.mark.parametrize("kind", ["http_proxy", "http", "HTTP_PROXY", "Http"])
@pytest.mark.parametrize(
    "uri",
    [
        "http://backend.example.com/pets",
        "HTTP://backend.example.com/pets",
        "${stageVariables.backend}/pets",  # the scheme is not known before deploy
        "",  # no uri at all: nothing proves it is https
    ],
)
def test_every_http_integration_not_literally_https_gets_the_static_value(
    kind: str, uri: str
) -> None:
    doc, decisions = withhold_tokens(spec(a=integration(uri, kind)))
    assert params(doc, "a") == {AUTHORIZATION_PARAMETER: WITHHELD_STATIC}
    (decision,) = decisions
    assert (decision.operation, decision.token) == ("GET /a", WITHHELD)


def test_the_static_value_is_a_quoted_literal_that_is_no_credential() -> None:
    assert WITHHELD_STATIC == "'Withheld-by-API-Gateway'"
    value = WITHHELD_STATIC.strip("'")
    assert value
    assert " " not in value  # one RFC 9110 auth-scheme token, nothing after it
    assert value.lower() not in ("basic", "bearer")


def test_https_backends_receive_the_token_by_default() -> None:
    source = spec(a=integration("https://api.internal.example/pets"))
    doc, (decision,) = withhold_tokens(source)
    assert doc == source
    assert (decision.token, decision.reason) == (FORWARDED, "to https://")


@pytest.mark.parametrize("hosts", [["api.partner.example"], ["*"]])
def test_configured_https_hosts_do_not(hosts: list[str]) -> None:
    source = spec(
        a=integration("https://API.Partner.example./pets"),
        b=integration("https://api.internal.example/pets"),
    )
    doc, decisions = withhold_tokens(source, hosts)
    assert params(doc, "a") == {AUTHORIZATION_PARAMETER: WITHHELD_STATIC}
    by_op = {d.operation: d for d in decisions}
    assert by_op["GET /a"].token == WITHHELD
    assert by_op["GET /a"].reason.startswith(f"{KEY}: ")
    assert by_op["GET /b"].token == (WITHHELD if hosts == ["*"] else FORWARDED)


def test_the_spec_is_not_modified_in_place() -> None:
    source = spec(a=integration("http://backend.example.com/pets"))
    before = copy.deepcopy(source)
    withhold_tokens(source)
    assert source == before


def test_other_parameters_stay_and_every_spelling_of_the_header_is_replaced() -> None:
    source = spec(
        a=integration(
            "http://backend.example.com/pets/{id}",
            requestParameters={
                "integration.request.path.id": "method.request.path.id",
                "integration.request.header.authorization": "method.request.header.Authorization",
                "integration.request.header.AUTHORIZATION": "'Basic c2VjcmV0'",
            },
        )
    )
    doc, (decision,) = withhold_tokens(source)
    assert params(doc, "a") == {
        "integration.request.path.id": "method.request.path.id",
        AUTHORIZATION_PARAMETER: WITHHELD_STATIC,
    }
    assert decision.reason.endswith("the spec's own Authorization mapping replaced")


def test_non_http_integrations_are_left_as_they_are() -> None:
    source = spec(
        mock=integration("", "mock"),
        fn=integration("arn:aws:apigateway:eu-west-1:lambda:path/fn/invocations", "aws_proxy"),
        none=None,
    )
    doc, decisions = withhold_tokens(source, ["*"])
    assert doc == source
    assert [(d.operation, d.token) for d in decisions] == [
        ("GET /mock", NOT_SENT),
        ("GET /fn", FORWARDED),
        ("GET /none", NOT_SENT),
    ]


@pytest.mark.parametrize(
    ("mapping", "target"),
    [
        ("method.request.header.Authorization", "integration.request.querystring.token"),
        (" METHOD.REQUEST.MULTIVALUEHEADER.authorization ", "integration.request.header.X-Token"),
    ],
)
def test_copying_a_withheld_token_elsewhere_is_refused(mapping: str, target: str) -> None:
    source = spec(a=integration("http://backend.example.com/", requestParameters={target: mapping}))
    with pytest.raises(
        SpecError,
        match=rf"^api.yaml: GET /a: requestParameters maps the caller's token \(.*\) to {target}, "
        r"but this backend must not receive it \(http://backend.example.com/\)",
    ):
        withhold_tokens(source, source="api.yaml")


@pytest.mark.parametrize(
    "template",
    [
        '{"auth": "$input.params(\'Authorization\')"}',
        '{"all": "$input.params()"}',
        '{"all": "${input.params()}"}',
        "#foreach($h in $input.params().header.keySet())$h#end",
    ],
)
def test_a_template_that_reads_a_withheld_token_is_refused(template: str) -> None:
    source = spec(
        a=integration(
            "https://api.partner.example/", "http", requestTemplates={"application/json": template}
        )
    )
    with pytest.raises(SpecError, match=r"GET /a: requestTemplates\['application/json'\] reads"):
        withhold_tokens(source, ["api.partner.example"])
    withhold_tokens(source)  # forwarded to an https backend it is the team's choice


def test_a_ref_integration_is_refused() -> None:
    source = spec(a={"$ref": "#/components/x-amazon-apigateway-integrations/shared"})
    with pytest.raises(SpecError, match=r"GET /a: x-amazon-apigateway-integration must be a map"):
        withhold_tokens(source)


def test_a_configured_host_the_spec_does_not_use_is_refused() -> None:
    source = spec(
        a=integration("https://api.partner.example/"), b=integration("http://plain.example/")
    )
    with pytest.raises(
        TokenForwardingError,
        match=rf"^{KEY}: 'api.partnr.example' is not the host of any https:// HTTP integration "
        r"in api.yaml \(https hosts there: api.partner.example\)",
    ):
        withhold_tokens(source, ["api.partnr.example"], "api.yaml")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([], ()),
        (["*"], ("*",)),
        (["API.Partner.Example.", "api.partner.example"], ("api.partner.example",)),
    ],
)
def test_config_hosts_are_normalised(value: list[str], expected: tuple[str, ...]) -> None:
    assert parse_withheld_hosts(KEY, value) == expected


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("api.partner.example", r"expected a list of host names"),
        (["*", "api.partner.example"], r"'\*' already means every https:// backend"),
        (
            ["https://api.partner.example/v1"],
            r"'https://api.partner.example/v1' is not a host name; .* did you mean "
            r"'api.partner.example'\?",
        ),
        (["api.partner.example:8443"], r"'api.partner.example:8443' is not a host name"),
        (["-bad-.example"], r"'-bad-.example' is not a host name"),
    ],
)
def test_config_hosts_are_validated(value: object, match: str) -> None:
    with pytest.raises(TokenForwardingError, match=rf"^{KEY}: {match}"):
        parse_withheld_hosts(KEY, value)


@pytest.mark.parametrize(
    ("uri", "scheme", "host"),
    [
        ("https://a.example/x", "https", "a.example"),
        ("HTTPS://A.Example:8443/x", "https", "a.example"),
        ("http://a.example", "http", "a.example"),
        ("https://${stageVariables.host}/x", "https", None),
        ("${stageVariables.url}", "unknown", None),
        ("arn:aws:apigateway:eu-west-1:lambda:path/f", "unknown", None),
    ],
)
def test_scheme_and_host(uri: str, scheme: str, host: str | None) -> None:
    assert (backend_scheme(uri), backend_host(uri)) == (scheme, host)


def test_the_report_reads_the_same_answers_back_from_a_body() -> None:
    source = spec(
        plain=integration("http://backend.example.com/"),
        partner=integration("https://api.partner.example/"),
        own=integration("https://api.internal.example/"),
        custom=integration("https://api.internal.example/", "http"),
        mock=integration("", "mock"),
    )
    body, _ = withhold_tokens(source, ["api.partner.example"])
    read = {d.operation: (d.token, d.reason) for d in backend_tokens(body)}
    assert read == {
        "GET /plain": (WITHHELD, "Authorization overridden with a static value (http:// backend)"),
        "GET /partner": (WITHHELD, "Authorization overridden with a static value"),
        "GET /own": (FORWARDED, "to https://"),
        "GET /custom": (MAPPED_ONLY, "non-proxy: only mapped headers are sent"),
        "GET /mock": (NOT_SENT, "mock: answered by API Gateway"),
    }
    # A body the program did not build: a token sent over http:// is called out.
    (leak,) = backend_tokens(source)[:1]
    assert leak.over_plain_http
    assert leak.reason == "to http:// (CLEAR TEXT)"
