# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Property-based: random or malformed bodies never crash the pack and never pass an open operation.

An independent oracle (written from AWS's documentation, not from the model:
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enable-cognito-user-pool.html)
decides whether an operation is protected; the pack must block whenever the oracle finds an
unprotected operation.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apigw_guard.model.body_summary import summarize_body
from offline_engine import PolicyPackProcess, resource

VERBS = [
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "x-amazon-apigateway-any-method",
]
POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123"
BODY_POLICY = "apigateway-restapi-body-operation-security"

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.text(max_size=8),
    st.sampled_from(["", " ", "get", "/p"]),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)

authorizer = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(
                ["cognito_user_pools", "COGNITO_USER_POOLS", "token", "request", 3]
            ),
            "providerARNs": st.one_of(
                st.just([POOL]), st.just([]), st.just([""]), st.just(POOL), json_value
            ),
        }
    ),
    json_value,
)
scheme = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["apiKey", "oauth2", "http", "openIdConnect", "apikey"]),
            "name": st.just("Authorization"),
            "in": st.just("header"),
        },
        optional={"x-amazon-apigateway-authorizer": authorizer},
    ),
    json_value,
)
scheme_names = st.sampled_from(["pool", "key", "other", "undefined"])
scopes = st.one_of(
    st.lists(st.sampled_from(["api/read", "openid", "", " ", "x"]), max_size=3), json_value
)
alternative = st.one_of(st.dictionaries(scheme_names, scopes, max_size=2), json_value)
security = st.one_of(st.lists(alternative, max_size=3), json_value)
operation = st.one_of(
    st.fixed_dictionaries({}, optional={"security": security}),
    st.dictionaries(st.text(max_size=4), json_value, max_size=2),
)
path_item = st.dictionaries(
    st.sampled_from([*VERBS, "parameters", "summary", "trace"]), operation, max_size=4
)
schemes_map = st.dictionaries(scheme_names, scheme, max_size=3)


@st.composite
def documents(draw) -> Any:
    version = draw(st.sampled_from(["2.0", "3.0.1", "3.1.0", None]))
    doc: dict[str, Any] = {}
    if version == "2.0":
        doc["swagger"] = version
    elif version is not None:
        doc["openapi"] = version
    section = draw(st.sampled_from(["v2", "v3", "both", "none"]))
    if section in ("v2", "both"):
        doc["securityDefinitions"] = draw(schemes_map)
    if section in ("v3", "both"):
        doc["components"] = {"securitySchemes": draw(schemes_map)}
    if draw(st.booleans()):
        doc["security"] = draw(security)
    doc["paths"] = draw(
        st.one_of(
            st.dictionaries(st.sampled_from(["/a", "/b/{id}", "/", "c"]), path_item, max_size=3),
            json_value,
        )
    )
    return doc


bodies = st.one_of(
    documents().map(json.dumps),
    documents().map(lambda d: yaml.safe_dump(d)),
    documents(),
    st.text(max_size=40),
    json_value.map(json.dumps),
)


def oracle_open_operations(body: Any) -> list[str]:
    """Operations an attacker could call without a Cognito access token with a scope."""
    doc = body
    if isinstance(body, str):
        try:
            doc = json.loads(body)
        except ValueError:
            try:
                doc = yaml.safe_load(body)
            except yaml.YAMLError:
                return ["<unreadable>"]
    if not isinstance(doc, dict) or not isinstance(doc.get("paths"), dict):
        return ["<not a document>"]
    if doc.get("swagger") == "2.0":
        section = doc.get("securityDefinitions")
    elif isinstance(doc.get("openapi"), str) and doc["openapi"].startswith("3."):
        comps = doc.get("components")
        section = comps.get("securitySchemes") if isinstance(comps, dict) else None
    else:
        return ["<no version>"]
    section = section if isinstance(section, dict) else {}

    def cognito(name: Any) -> bool:
        s = section.get(name) if isinstance(name, str) else None
        if not isinstance(s, dict) or s.get("type") != "apiKey":
            return False
        a = s.get("x-amazon-apigateway-authorizer")
        if not isinstance(a, dict) or str(a.get("type")).lower() != "cognito_user_pools":
            return False
        arns = a.get("providerARNs")
        return (
            isinstance(arns, list)
            and bool(arns)
            and all(isinstance(x, str) and x.strip() for x in arns)
        )

    open_ops = []
    for path, item in doc["paths"].items():
        if not isinstance(item, dict):
            return [f"<bad item {path}>"]
        for verb in VERBS:
            if verb not in item:
                continue
            op = item[verb]
            sec = op.get("security") if isinstance(op, dict) else None
            alternatives = sec if isinstance(sec, list) else []
            ok = bool(alternatives)
            for alt in alternatives:
                good = isinstance(alt, dict) and any(
                    cognito(n)
                    and isinstance(sc, list)
                    and bool(sc)
                    and all(isinstance(x, str) and x.strip() for x in sc)
                    for n, sc in alt.items()
                )
                ok = ok and good
            if not ok:
                open_ops.append(f"{verb} {path}")
    return open_ops


@settings(max_examples=400, derandomize=True, deadline=None)
@given(bodies)
def test_model_never_raises_and_never_passes_an_open_operation(body):
    open_ops = oracle_open_operations(body)
    judgement = summarize_body(body)
    if open_ops:
        blocked = judgement.error is not None or any(v.problems for v in judgement.operations)
        assert blocked, f"open {open_ops} passed: {judgement}"


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(bodies)
def test_pack_never_crashes_and_blocks_open_operations(pack: PolicyPackProcess, body):
    pack.configure(default_level=None)
    diags = pack.analyze(
        resource("aws:apigateway/restApi:RestApi", "api", {"body": body, "failOnWarnings": True})
    )
    assert all("can't run policy" not in d.message for d in diags), diags
    if oracle_open_operations(body):
        assert any(d.policy_name == BODY_POLICY and d.mandatory for d in diags), diags


auth_values = st.sampled_from(
    ["NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS", "cognito_user_pools", "JWT", "", None]
)
ids = st.sampled_from(["", " ", "auth1", None])
scope_lists = st.one_of(
    st.none(), st.lists(st.sampled_from(["api/read", "", " ", "openid"]), max_size=3), json_value
)


def _drop_none(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None}


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(auth=auth_values, authorizer=ids, scopes=scope_lists, native=st.booleans())
def test_methods_without_cognito_scopes_are_always_blocked(
    pack: PolicyPackProcess, auth, authorizer, scopes, native
):
    pack.configure(default_level=None)
    props = _drop_none(
        {
            "restApi": "a",
            "resourceId": "r",
            "httpMethod": "GET",
            ("authorizationType" if native else "authorization"): auth,
            "authorizerId": authorizer,
            "authorizationScopes": scopes,
        }
    )
    type_ = "aws-native:apigateway:Method" if native else "aws:apigateway/method:Method"
    # The Method's own settings are judged at stack level, where its path is known.
    diags = pack.analyze_all([resource(type_, "m", props)])
    assert all("can't run policy" not in d.message for d in diags), diags
    sound = (
        (auth == "COGNITO_USER_POOLS" or auth == "cognito_user_pools")
        and isinstance(authorizer, str)
        and authorizer.strip()
        and isinstance(scopes, list)
        and scopes
        and all(isinstance(s, str) and s.strip() for s in scopes)
    )
    if not sound:
        assert any(d.mandatory for d in diags), (props, diags)


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(auth=auth_values, authorizer=ids, scopes=scope_lists)
def test_routes_without_jwt_scopes_are_always_blocked(
    pack: PolicyPackProcess, auth, authorizer, scopes
):
    pack.configure(default_level=None)
    props = _drop_none(
        {
            "apiId": "h",
            "routeKey": "GET /pets",
            "authorizationType": auth,
            "authorizerId": authorizer,
            "authorizationScopes": scopes,
        }
    )
    diags = pack.analyze(resource("aws:apigatewayv2/route:Route", "r", props))
    assert all("can't run policy" not in d.message for d in diags), diags
    sound = (
        isinstance(auth, str)
        and auth.upper() == "JWT"
        and isinstance(authorizer, str)
        and authorizer.strip()
        and isinstance(scopes, list)
        and scopes
        and all(isinstance(s, str) and s.strip() for s in scopes)
    )
    if not sound:
        assert any(d.mandatory for d in diags), (props, diags)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(bodies)
def test_http_api_reading_never_raises_and_never_protects_without_a_jwt_authorizer(body):
    # The strategy draws no jwt authorizer, so no operation of an HTTP API body may pass.
    judgement = summarize_body(body, api="http")
    assert not any(v.protected for v in judgement.operations), judgement
