"""import_checks.py: the rules of API Gateway's REST import, as plain functions over a dict."""

from __future__ import annotations

from typing import Any

import pytest

from secured_m2m_api.import_checks import (
    DEFAULT_RESOURCE_QUOTA,
    MAX_BODY_BYTES,
    UnimportableSpecError,
    check_body_size,
    check_importable,
    count_resources,
    resource_quota_warning,
)

OK: dict[str, Any] = {"responses": {}}


def doc(*paths: str, version: str = "3.0.1") -> dict[str, Any]:
    head = {"swagger": "2.0"} if version == "2.0" else {"openapi": version}
    return {**head, "paths": {p: {"get": OK} for p in paths}}


@pytest.mark.parametrize(
    "paths",
    [
        ("/",),
        ("/pets", "/pets/{petId}", "/pets/{petId}/photos"),
        ("/v1/payment_intents/{intent}/capture", "/a-b/c.d/e,f/g:h"),
        ("/proxy/{proxy+}",),
        ("/items/{id}", "/items/{id}/parts/{partId}", "/items/search"),
    ],
)
def test_importable_paths_pass(paths: tuple[str, ...]) -> None:
    check_importable(doc(*paths), "spec")
    check_importable(doc(*paths, version="2.0"), "spec")


@pytest.mark.parametrize("version", ["3.0.0", "3.0.3", "3.0.4"])
def test_openapi_3_0_versions_pass(version: str) -> None:
    check_importable(doc("/a", version=version), "spec")


@pytest.mark.parametrize(
    ("paths", "fragment"),
    [
        (
            ("/proxy/{proxy+}", "/proxy/{id}"),
            "under '/proxy': {proxy+} ('/proxy/{proxy+}') and {id}",
        ),
        (("/a/{x}/b", "/a/{y}/c"), "under '/a': {x} ('/a/{x}/b') and {y} ('/a/{y}/c')"),
        (("/{a}", "/{b}"), "under '/': {a} ('/{a}') and {b} ('/{b}')"),
    ],
)
def test_sibling_variables_are_refused_whichever_their_kind(
    paths: tuple[str, ...], fragment: str
) -> None:
    with pytest.raises(UnimportableSpecError) as err:
        check_importable(doc(*paths), "spec")
    assert fragment in str(err.value)


def test_many_offenders_are_counted_not_listed() -> None:
    paths = [f"/Accounts/{{AccountSid}}/Calls{i}/{{Sid}}.json" for i in range(45)]
    with pytest.raises(UnimportableSpecError) as err:
        check_importable(doc(*paths), "spec")
    message = str(err.value)
    assert "45 paths with a segment the import cannot read " in message
    assert "('/Accounts/{AccountSid}/Calls0/{Sid}.json', " in message
    assert "'/Accounts/{AccountSid}/Calls2/{Sid}.json' and 42 more)" in message
    assert "Calls3" not in message


def test_a_long_or_multi_line_path_is_cut_and_escaped() -> None:
    with pytest.raises(UnimportableSpecError) as err:
        check_importable(doc("/" + "x" * 200 + "\n<b>"), "spec")
    message = str(err.value)
    assert "\n" not in message
    assert "'/xxxx" in message
    assert "...'" in message
    assert len(message) < 1000


def test_count_resources_counts_every_prefix_once_and_the_root() -> None:
    assert count_resources([]) == 1
    assert count_resources(["/"]) == 1
    assert count_resources(["/a/{id}/b", "/a/{id}", "/a/c"]) == 5  # /, /a, /a/{id}, /a/{id}/b, /a/c


def test_the_quota_warning_starts_past_the_default_quota() -> None:
    at_quota = doc(*[f"/r{i}" for i in range(DEFAULT_RESOURCE_QUOTA - 1)])
    assert resource_quota_warning(at_quota, "spec") is None
    past = doc(*[f"/r{i}" for i in range(DEFAULT_RESOURCE_QUOTA)])
    warning = resource_quota_warning(past, "spec")
    assert warning is not None
    assert warning.startswith("spec: the API would have 301 resources")


def test_the_body_size_limit_at_both_ends() -> None:
    assert check_body_size(6_000_000, "spec") is None
    warning = check_body_size(6_000_001, "spec")
    assert warning is not None
    assert "close to API Gateway's import limit of 6 MB" in warning
    assert check_body_size(MAX_BODY_BYTES, "spec") is not None
    with pytest.raises(
        UnimportableSpecError, match=r"is about 6,291,457 bytes; API Gateway imports"
    ):
        check_body_size(MAX_BODY_BYTES + 1, "spec")


def test_the_benchs_stripe_sized_spec_is_importable() -> None:
    from bench.specs import generate_large_spec

    spec = generate_large_spec()
    check_importable(spec, "bench")
    assert resource_quota_warning(spec, "bench") is None
