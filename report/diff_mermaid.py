"""The diagram of an access diff: consumers -> scopes -> operations, limited to what changed.

Mermaid, for the pull-request comment. Node ids are ours (`c0`, `s1`, ...); every label is a
report value and goes through `report.untrusted.mermaid_label`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .diff_view import ANYONE, subtract
from .untrusted import mermaid_label


class _Graph:
    """Mermaid nodes and edges, each edge added, removed or kept (kept only for context)."""

    def __init__(self) -> None:
        self.nodes: dict[tuple[str, str], str] = {}
        self.node_class: dict[str, str] = {}
        self.edges: dict[tuple[str, str], str] = {}

    def node(self, kind: str, name: str, cls: str = "") -> str:
        key = (kind, name)
        if key not in self.nodes:
            self.nodes[key] = f"{kind}{sum(1 for k in self.nodes if k[0] == kind)}"
        node_id = self.nodes[key]
        if cls:
            self.node_class[node_id] = cls
        return node_id

    def edge(self, a: str, b: str, how: str) -> None:
        # An edge both removed and added (e.g. reordered) is unchanged; "kept" never overrides.
        before = self.edges.get((a, b))
        if before and before != how and "kept" not in (before, how):
            how = "kept"
        if before is None or before == "kept":
            self.edges[(a, b)] = how

    def render(self) -> str:
        shapes = {"c": '["{}"]', "s": '(["{}"])', "o": '["{}"]', "anyone": '(("{}"))'}
        lines = ["```mermaid", "flowchart LR"]
        for (kind, name), node_id in self.nodes.items():
            label = shapes[kind].format(mermaid_label(name))
            cls = self.node_class.get(node_id)
            lines.append(f"  {node_id}{label}" + (f":::{cls}" if cls else ""))
        arrows = {"added": "==>|added|", "removed": "-.->|removed|", "kept": "-->"}
        lines += [f"  {a} {arrows[how]} {b}" for (a, b), how in self.edges.items()]
        lines += [
            "  classDef added fill:#dafbe1,stroke:#1a7f37",
            "  classDef removed fill:#ffebe9,stroke:#cf222e,stroke-dasharray:4 3",
            "  classDef changed fill:#fff8c5,stroke:#9a6700",
            "```",
        ]
        return "\n".join(lines)


def mermaid(diff: Mapping[str, Any]) -> str:
    """Consumers -> scopes -> operations, limited to what changed.

    Added edges are thick, removed ones dotted; plain edges are unchanged ones shown only to
    connect a consumer to an operation it gained or lost. Empty when nothing in access changed.
    Node ids are ours (`c0`, `s1`, ...); labels go through `mermaid_label`.
    """
    g = _Graph()
    ops, cons = diff["operations"], diff["consumers"]

    def op_edges(op: str, scopes: Sequence[str], callers: Sequence[str], how: str) -> None:
        target = g.node("o", op)
        if list(callers) == [ANYONE]:
            g.edge(g.node("anyone", "ANYONE, no token"), target, how)
            return
        for scope in scopes:
            g.edge(g.node("s", scope), target, how)

    for c in cons["added"]:
        node = g.node("c", c["consumer"], "added")
        for scope in c["scopes"]:
            g.edge(node, g.node("s", scope), "added")
    for c in cons["removed"]:
        node = g.node("c", c["consumer"], "removed")
        for scope in c["scopes"]:
            g.edge(node, g.node("s", scope), "removed")
    for c in cons["changed"]:
        node = g.node("c", c["consumer"], "changed")
        if "scopes" in c:
            old, new = c["scopes"]["base"], c["scopes"]["head"]
            for scope in subtract(new, old):
                g.edge(node, g.node("s", scope), "added")
            for scope in subtract(old, new):
                g.edge(node, g.node("s", scope), "removed")
    for o in ops["added"]:
        g.node("o", o["operation"], "added")
        op_edges(o["operation"], o["scopes"], o["callers"], "added")
    for o in ops["removed"]:
        g.node("o", o["operation"], "removed")
        op_edges(o["operation"], o["scopes"], o["callers"], "removed")
    for o in ops["changed"]:
        if "scopes" not in o and "status" not in o:
            continue  # only its callers changed: the consumers' edges below show why
        g.node("o", o["operation"], "changed")
        if "scopes" in o:
            old, new = o["scopes"]["base"], o["scopes"]["head"]
            for scope in subtract(new, old):
                g.edge(g.node("s", scope), g.node("o", o["operation"]), "added")
            for scope in subtract(old, new):
                g.edge(g.node("s", scope), g.node("o", o["operation"]), "removed")
    # Context: connect a changed consumer to each operation it gained or lost, through the
    # scopes it holds (or held) that the operation accepts (accepted): edges already drawn as
    # added or removed keep that look, the others are drawn plain.
    now_scopes = {o["operation"]: o["scopes_now"] for o in ops["changed"]}
    now_scopes.update({o["operation"]: o["scopes"] for o in ops["added"]})
    then_scopes = {**now_scopes, **{o["operation"]: o["scopes"] for o in ops["removed"]}}
    for c in cons["changed"]:
        node = g.node("c", c["consumer"], "changed")
        held = c.get("scopes_now", [])
        had = c["scopes"]["base"] if "scopes" in c else held
        for key, scopes_of, holds in (("gained", now_scopes, held), ("lost", then_scopes, had)):
            for op in c.get(key, []):
                for scope in scopes_of.get(op, []):
                    if scope in holds:
                        g.edge(node, g.node("s", scope), "kept")
                        g.edge(g.node("s", scope), g.node("o", op), "kept")
    if not g.nodes:
        return ""
    return g.render()
