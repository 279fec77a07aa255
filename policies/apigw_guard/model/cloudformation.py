"""CloudFormation templates: reading them, and judging the REST API Methods they declare.

A template deployed by a Pulumi `cloudformation.Stack` creates its Methods itself, out of the
pack's resource-level view; when the template is readable, its `AWS::ApiGateway::Method`s are
judged here from what the template states literally. `AuthorizationType` must be the literal
`COGNITO_USER_POOLS`, `AuthorizerId` a `Ref`/`Fn::GetAtt` to an `AWS::ApiGateway::Authorizer`
of the same template (itself Cognito, with user pools), `AuthorizationScopes` a non-empty list.
Parameters, conditions and other intrinsic functions in those places could resolve to anything,
so they fail closed.
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-method.html
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from .pool_refs import check_pool_arns
from .resource_types import CFN_AUTHORIZER as AUTHORIZER
from .resource_types import CFN_METHOD as METHOD
from .resource_types import CFN_USER_POOL as USER_POOL
from .resource_types import COGNITO_USER_POOLS as COGNITO


class _TemplateLoader(yaml.SafeLoader):
    """Reads CloudFormation YAML, turning short-form intrinsics into their long form.

    `!Ref X` becomes `{"Ref": "X"}`, `!GetAtt A.B` `{"Fn::GetAtt": ["A", "B"]}` and `!Sub s`
    `{"Fn::Sub": s}`, as CloudFormation reads them, so a literal and an intrinsic stay apart.
    """


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


_TemplateLoader.add_multi_constructor("!", _intrinsic)


def parse_template(text: str) -> dict[str, Any] | None:
    """A template as a mapping (JSON or YAML, short-form intrinsics read); None if unreadable."""
    try:
        doc = json.loads(text)
    except ValueError:
        try:
            doc = yaml.load(text, Loader=_TemplateLoader)
        except (yaml.YAMLError, RecursionError):
            return None
    except RecursionError:
        return None
    return doc if isinstance(doc, dict) else None


@dataclass(frozen=True)
class TemplateFault:
    """One Method of a template that cannot be shown to be protected."""

    method: str  # `GetItems (AWS::ApiGateway::Method, GET)`
    problem: str


def method_faults(
    template: Mapping[str, Any],
    *,
    exempt_mock_options: bool = False,
    allowed_pool_arns: Collection[str] | None = None,
) -> list[TemplateFault]:
    """The faults of every `AWS::ApiGateway::Method` the template declares."""
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        return []
    faults: list[TemplateFault] = []
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") != METHOD:
            continue
        props = resource.get("Properties")
        verb = props.get("HttpMethod") if isinstance(props, dict) else None
        label = f"{logical_id} ({METHOD}, {verb if isinstance(verb, str) else '?'})"
        if not isinstance(props, dict):
            faults.append(
                TemplateFault(label, "has no Properties, so its AuthorizationType is NONE")
            )
            continue
        if exempt_mock_options and _is_mock_preflight(props):
            continue
        faults.extend(
            TemplateFault(label, p) for p in _method_problems(props, resources, allowed_pool_arns)
        )
    return faults


def _is_mock_preflight(props: Mapping[str, Any]) -> bool:
    integration = props.get("Integration")
    return (
        props.get("HttpMethod") == "OPTIONS"
        and isinstance(integration, dict)
        and integration.get("Type") == "MOCK"
    )


def _method_problems(
    props: Mapping[str, Any],
    resources: Mapping[str, Any],
    allowed: Collection[str] | None,
) -> list[str]:
    auth = props.get("AuthorizationType", "NONE")  # CloudFormation's default
    if not isinstance(auth, str):
        return [f"AuthorizationType is {_intrinsic_name(auth)}, {_FAIL_CLOSED}"]
    if auth != COGNITO:
        return [f"AuthorizationType is {auth!r}, not {COGNITO!r}"]
    problems = _authorizer_problems(props.get("AuthorizerId"), resources, allowed)
    scopes = props.get("AuthorizationScopes")
    if scopes is None or scopes == []:
        problems.append(
            "AuthorizationScopes is empty, so no scope is required: ID tokens and access tokens "
            "of any app client of the authorizer's user pool(s) get in"
        )
    elif not isinstance(scopes, list):
        problems.append(f"AuthorizationScopes is {_intrinsic_name(scopes)}, {_FAIL_CLOSED}")
    else:
        bad = [s for s in scopes if not _non_blank_scope(s)]
        if bad:
            problems.append(
                f"AuthorizationScopes has entries that are blank or could be: {bad!r} (a literal "
                "or an Fn::Sub template with text of its own is needed)"
            )
    return problems


def _authorizer_problems(
    authorizer_id: Any, resources: Mapping[str, Any], allowed: Collection[str] | None
) -> list[str]:
    if authorizer_id is None:
        return ["AuthorizerId is missing; it must name the Cognito user-pool authorizer"]
    target = _referenced(authorizer_id, "AuthorizerId")
    if target is None:
        what = (
            repr(authorizer_id)
            if isinstance(authorizer_id, str)
            else _intrinsic_name(authorizer_id)
        )
        return [
            f"AuthorizerId is {what}, not a Ref or Fn::GetAtt to an {AUTHORIZER} of this "
            "template, so the authorizer cannot be shown to be a Cognito one"
        ]
    authorizer = resources.get(target)
    if not isinstance(authorizer, dict) or authorizer.get("Type") != AUTHORIZER:
        return [f"AuthorizerId refers to {target!r}, which is not an {AUTHORIZER} of this template"]
    props = authorizer.get("Properties")
    props = props if isinstance(props, dict) else {}
    kind = props.get("Type")
    if not isinstance(kind, str):
        return [f"its authorizer {target} has Type {_intrinsic_name(kind)}, {_FAIL_CLOSED}"]
    if kind != COGNITO:
        return [f"its authorizer {target} has Type {kind!r}, not {COGNITO!r}"]
    return _pool_problems(target, props.get("ProviderARNs"), resources, allowed)


def _pool_problems(
    target: str, arns: Any, resources: Mapping[str, Any], allowed: Collection[str] | None
) -> list[str]:
    if not isinstance(arns, list) or not arns:
        what = "no ProviderARNs" if arns is None or arns == [] else _intrinsic_name(arns)
        return [f"its authorizer {target} has {what}; list the user pool ARN(s)"]
    literal: list[Any] = []
    for arn in arns:
        pool = _referenced(arn, "Arn", allow_ref=False)  # a pool's Ref is its id, not its ARN
        if pool is None:
            literal.append(arn)
            continue
        kind = (
            resources.get(pool, {}).get("Type") if isinstance(resources.get(pool), dict) else None
        )
        if kind != USER_POOL:
            return [f"its authorizer {target} trusts {pool!r}, which is not an {USER_POOL} here"]
        if allowed is not None:
            return [
                f"its authorizer {target} trusts the user pool {pool} the template creates, whose "
                "ARN cannot be on the allowed list (allowedUserPoolArns)"
            ]
    if not literal:
        return []
    if not all(isinstance(a, str) for a in literal):
        bad = next(a for a in literal if not isinstance(a, str))
        entry = _intrinsic_name(bad)
        return [f"its authorizer {target} has a ProviderARNs entry {entry}, {_FAIL_CLOSED}"]
    problem = check_pool_arns(literal, allowed, "ProviderARNs")
    return [f"its authorizer {target} {problem}"] if problem else []


def _referenced(value: Any, attribute: str, allow_ref: bool = True) -> str | None:
    """The logical id a `Ref` (or `Fn::GetAtt` of `attribute`) names; None for anything else."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((key, arg),) = value.items()
    if key == "Ref" and isinstance(arg, str) and allow_ref:
        return arg
    if key == "Fn::GetAtt":
        parts = arg.split(".", 1) if isinstance(arg, str) else arg
        if isinstance(parts, list) and len(parts) == 2 and parts[1] == attribute:
            return parts[0] if isinstance(parts[0], str) else None
    return None


def _non_blank_scope(scope: Any) -> bool:
    if isinstance(scope, str):
        return bool(scope.strip())
    if isinstance(scope, dict) and len(scope) == 1 and "Fn::Sub" in scope:
        template = scope["Fn::Sub"]
        text = template[0] if isinstance(template, list) and template else template
        if isinstance(text, str):
            # The text outside ${...} is there whatever the variables resolve to.
            outside = "".join(part.split("}", 1)[-1] for part in text.split("${"))
            return bool(outside.strip())
    return False


def _intrinsic_name(value: Any) -> str:
    if isinstance(value, dict) and len(value) == 1:
        return f"the intrinsic function {next(iter(value))}"
    return repr(value)


_FAIL_CLOSED = (
    "which the pack cannot resolve (a parameter, a condition or another intrinsic could yield "
    "anything), so it fails closed: write the value literally"
)
