# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Exported state: `pulumi policy analyze --file` gives the verdict an update gives.

The exports in tests/fixtures/exports are written by hand in Pulumi's DeploymentV3 shape
(`pulumi stack export`): inputs and outputs, a `pulumi:providers:aws` provider, the root Stack
with outputs, secrets as ciphertext envelopes (or plaintext, as `--show-secrets` writes them), a
read (`external`) Method with no inputs, and a resource pending deletion.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_engine import PolicyPackProcess
from offline_engine.analyzer_requests import provider_of, providers_by_urn
from offline_engine.audit import main as audit
from offline_engine.policy_analyze import analyze_export
from offline_engine.stack_export import ExportError, parse_export, read_export

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
PROTECTED = EXPORTS / "rest-api-protected.json"
OPEN = EXPORTS / "rest-api-open.json"
DECRYPTED = EXPORTS / "rest-api-open-decrypted.json"


def verdicts(diags) -> set[tuple[str, str, str]]:
    return {(d.policy_name, d.enforcement_level, d.urn) for d in diags}


def update_shape(pack: PolicyPackProcess, path: Path):
    """The same stack in an update's call shape: Analyze each resource the program registers
    (reads are not analyzed), then AnalyzeStack with every resource, reads included."""
    stack = read_export(path)
    providers = providers_by_urn(stack.resources)
    diags = []
    for record in stack.resources:
        if record.urn not in stack.external:
            diags.extend(pack.analyze(record, provider_of(record, providers)))
    return diags + pack.analyze_stack(stack.resources)


def test_protected_export_passes_read_and_deleted_resources_included(pack: PolicyPackProcess):
    stack = read_export(PROTECTED)
    assert stack.deleted == (
        "urn:pulumi:prod::orders::aws:apigateway/method:Method::old-open-method",
    )
    assert (
        "urn:pulumi:prod::orders::aws:apigateway/method:Method::legacy-get-status" in stack.external
    )
    assert stack.redacted == 2  # the stack output and the client secret
    pack.configure(default_level=None)
    result = analyze_export(pack, stack)
    # The read Method has no inputs: Analyze must not call it open (it is judged on its
    # outputs at stack level, as in an update); the open method pending deletion is skipped;
    # the body's AWS variables resolve with the provider's region.
    assert result.diagnostics == []
    assert result.remediations == []


def test_the_export_verdict_is_the_updates(pack: PolicyPackProcess):
    pack.configure(default_level=None)
    replayed = analyze_export(pack, read_export(DECRYPTED)).diagnostics
    assert verdicts(replayed) == verdicts(update_shape(pack, DECRYPTED))
    shop = "urn:pulumi:staging::shop::"
    assert verdicts(replayed) == {
        # POST /carts: NONE, before it exists.
        (
            "apigateway-method-cognito-authorization",
            "mandatory",
            f"{shop}aws:apigateway/method:Method::post-carts",
        ),
        # DELETE /carts/{id} of the body, before the RestApi exists.
        (
            "apigateway-restapi-body-operation-security",
            "mandatory",
            f"{shop}aws:apigateway/restApi:RestApi::shop",
        ),
        # GET /carts: its authorizer 'shared1' is not in the stack (the link, at stack level).
        (
            "apigateway-references-resolve",
            "mandatory",
            f"{shop}aws:apigateway/method:Method::get-carts",
        ),
    }


def test_secrets_it_cannot_decrypt_fail_closed_at_the_policys_level(pack: PolicyPackProcess):
    pack.configure(default_level=None)
    result = analyze_export(pack, read_export(OPEN))
    (body,) = [d for d in result.diagnostics if d.urn.endswith("RestApi::shop")]
    assert body.mandatory
    text = body.message.split("\n", 1)[1]
    assert text.startswith(
        "RestApi 'shop': body is '[secret]', a secret `pulumi policy analyze` could not decrypt, "
        "so no operation in it can be shown to be protected (failing closed). Fix: analyse an "
        "export the CLI can decrypt"
    )
    assert "PULUMI_CONFIG_PASSPHRASE" in text
    assert "--show-secrets" not in text
    (scopes,) = [d for d in result.diagnostics if d.urn.endswith("get-carts")]
    assert scopes.mandatory
    assert "authorizationScopes is '[secret]'" in scopes.message
    # "expected an OpenAPI document, got list" (0.2 on a redacted body) is gone.
    assert not any("got list" in d.message or "got str" in d.message for d in result.diagnostics)
    # One diagnostic per fault: the redacted scopes are not also a stack-level fault.
    assert scopes.policy_name == "apigateway-method-cognito-authorization"


def test_a_redacted_value_is_reported_at_the_policys_own_level(pack: PolicyPackProcess):
    pack.configure(
        levels={"apigateway-restapi-body-operation-security": "advisory"}, default_level=None
    )
    result = analyze_export(pack, read_export(OPEN))
    body = [d for d in result.diagnostics if "body is '[secret]'" in d.message]
    assert [d.enforcement_level for d in body] == ["advisory"]


def test_make_audit_prints_each_finding_and_fails_on_a_mandatory_one(capsys):
    assert audit([str(PROTECTED)]) == 0
    out = capsys.readouterr().out
    assert "2 secret(s) redacted" in out
    assert "1 pending deletion skipped" in out
    assert out.rstrip().endswith("PASSED: no mandatory violation")
    assert audit([str(OPEN)]) == 1
    out = capsys.readouterr().out
    assert (
        "mandatory [apigateway-method-cognito-authorization] "
        "urn:pulumi:staging::shop::aws:apigateway/method:Method::post-carts: Method 'post-carts' "
        "(POST on resourceId 'c4r7s1'): authorization is 'NONE'"
    ) in out
    assert out.rstrip().endswith("mandatory violation(s)")


def test_make_audit_takes_the_clis_policy_config(tmp_path, capsys):
    config = tmp_path / "config.json"
    config.write_text(
        '{"all": "advisory", "apigateway-restapi-fail-on-warnings": "remediate"}', "utf-8"
    )
    assert audit([str(OPEN), "--policy-pack-config", str(config)]) == 0
    assert "PASSED" in capsys.readouterr().out
    config.write_text('{"apigateway-nope": "mandatory"}', "utf-8")
    assert audit([str(OPEN), "--policy-pack-config", str(config)]) == 2
    assert "no such policy in the pack: apigateway-nope" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ([], "not a stack export"),
        ({"version": 2, "deployment": {}}, "deployment version 2"),
        ({"version": 3, "deployment": {"resources": [{"urn": "x", "type": "t"}]}}, "invalid URN"),
    ],
)
def test_what_is_not_an_export_is_one_clear_error(document, fragment):
    with pytest.raises(ExportError, match=fragment):
        parse_export(document)


def test_an_unreadable_export_exits_2(tmp_path, capsys):
    broken = tmp_path / "stack.json"
    broken.write_text("{not json", "utf-8")
    assert audit([str(broken)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {broken}: not JSON")


def test_make_audit_help_names_the_command_typed(capsys):
    with pytest.raises(SystemExit):
        audit(["--prog", "make audit", "--help"])
    assert capsys.readouterr().out.startswith("usage: make audit ")
