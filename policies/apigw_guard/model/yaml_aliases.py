"""Finding YAML aliases and merge keys that supply the security-relevant parts of a document.

API Gateway's importer need not follow anchors, aliases and merge keys as PyYAML does, so a
path item, an operation, its `security`, the scheme section or a scheme, or a version marker
that comes from an alias or a merge key fails closed. Aliases elsewhere (one integration shared
by many operations) are fine. The check reads PyYAML's node graph before construction, which
flattens merge keys and shares aliased nodes so that neither can be seen afterwards.
"""

from __future__ import annotations

from collections.abc import Callable

import yaml

from .document import OPERATION_KEYS, method_name

_MERGE_TAG = "tag:yaml.org,2002:merge"
# What each level of an OpenAPI document holds that decides a method's security. Keys not
# listed (integrations, responses, parameters) may be shared freely.
_ROOT_KEYS = frozenset(
    {"paths", "components", "securityDefinitions", "swagger", "openapi", "x-amazon-apigateway-auth"}
)
_OPERATION_SECURITY_KEYS = frozenset({"security", "x-amazon-apigateway-auth"})
# Path-item keys that document rather than define an operation.
_PATH_ITEM_DOC_KEYS = frozenset({"summary", "description", "parameters", "servers"})

ALIAS_FIX = (
    "API Gateway's importer may not follow YAML aliases and merge keys as this pack does, so "
    "it could import the operation without that security; write the content out in full "
    "(aliases elsewhere, e.g. a shared integration, are fine)"
)

# Walks a relevant value: (node, where it is in the document).
_Walk = Callable[[yaml.Node, str], None]


def alias_faults(root: yaml.Node) -> list[str]:
    """Where a YAML alias or merge key supplies security-relevant content of a document.

    Security-relevant: a path item, an operation, an operation's `security` (or anything in
    it), the security-scheme section or any scheme (or anything in it), the `paths` and
    `components` mappings, and the version markers. The first occurrence of an anchored node
    (its definition) is read by every parser alike; a later occurrence is an alias.
    """
    walker = _AliasWalker()
    walker.mapping(root, "the document", _ROOT_KEYS.__contains__, walker.root_child)
    return walker.faults


class _AliasWalker:
    """One walk over a document's node graph, top down, collecting faults.

    Each node is visited once (`first_visit`): a node met again is an alias of one seen before.
    """

    def __init__(self) -> None:
        self.faults: list[str] = []
        self._seen: set[int] = set()

    def first_visit(self, node: yaml.Node) -> bool:
        if id(node) in self._seen:
            return False
        self._seen.add(id(node))
        return True

    def root_child(self, value: yaml.Node, name: str) -> None:
        if name == "paths":
            self.mapping(value, "paths", lambda _: True, self.path_item)
        elif name == "components":
            self.mapping(
                value,
                "components",
                lambda key: key == "securitySchemes",
                lambda node, key: self.subtree(node, f"components.{key}"),
            )
        else:
            self.subtree(value, name)

    def path_item(self, node: yaml.Node, path: str) -> None:
        # Every key of a path item may be (or be read as) an operation, except documentation.
        self.mapping(
            node,
            f"path {path!r}",
            lambda key: key not in _PATH_ITEM_DOC_KEYS,
            lambda value, key: self.operation(value, f"{_method_label(key)} {path}"),
        )

    def operation(self, node: yaml.Node, where: str) -> None:
        self.mapping(
            node,
            where,
            _OPERATION_SECURITY_KEYS.__contains__,
            lambda value, key: self.subtree(value, f"{where}.{key}"),
        )

    def mapping(
        self, node: yaml.Node, where: str, relevant: Callable[[str], bool], child: _Walk
    ) -> None:
        """A mapping whose keys for which `relevant` holds matter; `child` walks a relevant
        value. Other values are walked only to mark anchors as seen."""
        if not self.first_visit(node):
            self.faults.append(f"{where} is a YAML alias")
            return
        if not isinstance(node, yaml.MappingNode):
            self.loose(node)
            return
        for key, value in node.value:
            if key.tag == _MERGE_TAG:
                if _merges_relevant(value, relevant):
                    self.faults.append(
                        f"{where} takes security-relevant keys from a YAML merge key (<<)"
                    )
                self.loose(value)
                continue
            name = _scalar(key)
            if not self.first_visit(key):
                if relevant(name):
                    self.faults.append(f"{where} has a key that is a YAML alias")
                continue
            if relevant(name):
                child(value, name)
            else:
                self.loose(value)

    def subtree(self, node: yaml.Node, where: str) -> None:
        """Everything below `node` is security-relevant: any alias or merge key is a fault."""
        if not self.first_visit(node):
            self.faults.append(f"{where} is a YAML alias")
            return
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.tag == _MERGE_TAG:
                    self.faults.append(f"{where} uses a YAML merge key (<<)")
                    continue
                self.subtree(key, where)
                self.subtree(value, f"{where}.{_scalar(key)}")
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.subtree(item, f"{where}[{index}]")

    def loose(self, node: yaml.Node) -> None:
        """Not security-relevant: only record anchors, so a later alias of them is recognised."""
        if not self.first_visit(node):
            return
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                self.loose(key)
                self.loose(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                self.loose(item)


def _method_label(key: str) -> str:
    return method_name(key) if key in OPERATION_KEYS else repr(key)


def _scalar(node: yaml.Node) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else "<non-scalar key>"


def _merges_relevant(value: yaml.Node, relevant: Callable[[str], bool]) -> bool:
    """Whether a merge key's value (a mapping, or a sequence of them) supplies a relevant key."""
    sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
    for source in sources:
        if not isinstance(source, yaml.MappingNode):
            return True  # not a mapping: unreadable, so it cannot be shown harmless
        for key, inner in source.value:
            if key.tag == _MERGE_TAG:
                if _merges_relevant(inner, relevant):
                    return True
            elif relevant(_scalar(key)):
                return True
    return False
