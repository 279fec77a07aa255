# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""resource_graph.py: a Method named by its path, resources found by their ids."""

from __future__ import annotations

from typing import Any

from apigw_guard.model.resource_graph import GraphResource, MethodPath, ResourceGraph
from apigw_guard.model.unknown import UNKNOWN

API = "aws:apigateway/restApi:RestApi"
RESOURCE = "aws:apigateway/resource:Resource"
NATIVE_RESOURCE = "aws-native:apigateway:Resource"
METHOD = "aws:apigateway/method:Method"
AUTHORIZER = "aws:apigateway/authorizer:Authorizer"


def node(
    type_: str, name: str, deps: dict[str, list[str]] | None = None, **props: Any
) -> GraphResource:
    return GraphResource(f"urn:{name}", type_, name, props, deps or {})


def api(**props: Any) -> GraphResource:
    return node(API, "api", id="api1", rootResourceId="root1", **props)


def test_follows_property_dependencies_through_every_level_to_the_root():
    pets = node(RESOURCE, "pets", {"parentId": ["urn:api"]}, parentId="root1", pathPart="pets")
    pet = node(RESOURCE, "pet", {"parentId": ["urn:pets"]}, parentId="?", pathPart="{petId}")
    get = node(METHOD, "get", {"resourceId": ["urn:pet"]}, resourceId="?")
    graph = ResourceGraph([api(), pets, pet, get])
    assert graph.method_path(get) == MethodPath("/pets/{petId}", None)


def test_follows_ids_when_there_are_no_property_dependencies():
    pets = node(NATIVE_RESOURCE, "pets", parentId="root1", pathPart="pets", resourceId="r1")
    pet = node(RESOURCE, "pet", id="r2", parentId="r1", pathPart="{petId}")
    get = node(METHOD, "get", resourceId="r2")
    root = node(METHOD, "root", resourceId="root1")
    graph = ResourceGraph([get, pet, pets, api(), root])
    assert graph.method_path(get).path == "/pets/{petId}"
    assert graph.method_path(root).path == "/"


def test_a_resources_own_path_wins():
    pet = node(RESOURCE, "pet", id="r2", parentId="r9", pathPart="{petId}", path="/pets/{petId}")
    tag = node(RESOURCE, "tag", id="r3", parentId="r2", pathPart="tags")
    get = node(METHOD, "get", resourceId="r3")
    assert ResourceGraph([pet, tag, get]).method_path(get).path == "/pets/{petId}/tags"


def test_a_rest_api_is_a_parent_by_its_root_resource_id_not_its_own_id():
    get = node(METHOD, "get", resourceId="api1")
    assert ResourceGraph([api(), get]).method_path(get) == MethodPath(
        None,
        "resourceId 'api1' is not an API Gateway Resource of this stack (it may belong to "
        "another stack)",
    )


def test_says_why_a_path_is_not_known():
    part_unknown = node(RESOURCE, "pets", id="r1", parentId="root1", pathPart=UNKNOWN)
    get = node(METHOD, "get", resourceId="r1")
    assert ResourceGraph([api(), part_unknown, get]).method_path(get).why == (
        "the path part of Resource 'pets' is unknown until the update"
    )
    pending = node(METHOD, "pending", resourceId=UNKNOWN)
    assert ResourceGraph([pending]).method_path(pending).why == (
        "the resourceId of Method 'pending' is unknown until the update"
    )


def test_a_parent_cycle_ends_with_a_reason():
    a = node(RESOURCE, "a", id="ra", parentId="rb", pathPart="a")
    b = node(RESOURCE, "b", id="rb", parentId="ra", pathPart="b")
    get = node(METHOD, "get", resourceId="ra")
    assert ResourceGraph([a, b, get]).method_path(get).why == (
        "Resource 'a' is its own ancestor (parentId cycle)"
    )


def test_by_id_and_referenced():
    cognito = node(AUTHORIZER, "cognito", id="c1")
    lam = node(AUTHORIZER, "lambda", id="l1")
    graph = ResourceGraph([cognito, lam])
    assert graph.by_id("c1", [AUTHORIZER]) == [cognito]
    assert graph.by_id("c1", [RESOURCE]) == []
    # A dependency whose own id is another value proves derivation, not identity.
    derived = node(METHOD, "m", {"authorizerId": ["urn:cognito"]}, authorizerId="l1")
    assert graph.referenced(derived, "authorizerId", [AUTHORIZER]) == [lam]
