"""`python -m report diff`: what a change does to access, from two JSON reports.

A pull-request reviewer asks what the change does to who can call what; `pulumi preview` buries
that in a JSON body diff. This compares two `make report FORMAT=json` outputs (or builds the
base from a git ref) and renders only the changes: operations, consumers, policy verdicts and
the settings a reviewer checks. Exit status 1 when the head has a mandatory violation the base
did not have (that is what blocks `pulumi up`), 2 on bad input, 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from apigw_guard.model.errors import InputError
from offline_engine import StackConfigError

from .render import report_to_dict
from .run import PROJECT_DIR, StackNotFoundError, build_report

FORMATS = ("terminal", "markdown", "json")
ANYONE = "ANYONE (no token needed)"
# The comment marker the pull-request poster finds its own comment by.
COMMENT_MARKER = "<!-- access-diff -->"
SETTINGS = (
    ("region", "Region"),
    ("token_endpoint_url", "Token endpoint"),
    ("access_token_lifetime", "Access-token lifetime"),
    ("deletion_protection", "Deletion protection"),
    ("resource_server", "Resource server"),
    ("dropped_preflights", "Dropped CORS preflights"),
    ("replaced_security", "Own security replaced"),
)


class DiffInputError(ValueError):
    """A report that cannot be read, or a base that cannot be built; printed as one line."""


# --- comparing ----------------------------------------------------------------------------


def _identifiers(report: Mapping[str, Any]) -> list[str]:
    """Resource-server identifiers as the report gives them (older reports: plain strings)."""
    out = []
    for server in report.get("resource_servers") or []:
        value = server.get("identifier") if isinstance(server, dict) else server
        if isinstance(value, str):
            out.append(value)
    return out


def _short(scopes: Iterable[str], identifiers: Sequence[str]) -> list[str]:
    """Scope names without the identifier, so a base report that printed full scope strings
    (before reports used short names) compares equal to a head that prints short ones."""
    out = []
    for scope in scopes:
        for identifier in identifiers:
            prefix = identifier.rstrip("/") + "/"
            if scope.startswith(prefix):
                scope = scope[len(prefix) :]
                break
        out.append(scope)
    return out


def _operations(report: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    ops = report.get("operations") or []
    several_apis = len({o.get("api") for o in ops}) > 1
    identifiers = _identifiers(report)
    out: dict[str, dict[str, Any]] = {}
    for op in ops:
        key = f"{op['method']} {op['path']}"
        if several_apis:
            key = f"{op.get('api')}: {key}"
        callers = [ANYONE] if op.get("anyone") else list(op.get("consumers") or [])
        if op.get("status") == "pending":
            callers = ["(decided at update)"]
        out[key] = {
            "status": op.get("status", ""),
            "scopes": _short(op.get("scopes") or [], identifiers),
            "scope_source": op.get("scope_source"),
            "callers": callers,
        }
    return out


def _consumers(report: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    identifiers = _identifiers(report)
    return {
        c["name"]: {
            "scopes": _short(c.get("scopes") or [], identifiers),
            "operations": list(c.get("operations") or []),
        }
        for c in report.get("consumers") or []
    }


def _verdict_key(v: Mapping[str, Any]) -> tuple[str, str, str, str]:
    return (v["enforcement_level"], v["policy"], v.get("urn", ""), v["message"])


def _settings(report: Mapping[str, Any]) -> dict[str, Any]:
    """Settings present in the report; keys an older report lacks are left out, not None."""
    out: dict[str, Any] = dict(report.get("settings") or {})
    servers = report.get("resource_servers")
    # Older reports listed identifiers with the mock ids in them: not comparable, so left out.
    if isinstance(servers, list) and all(isinstance(x, dict) for x in servers):
        out["resource_server"] = ", ".join(_identifiers(report)) or None
    for key in ("dropped_preflights", "replaced_security"):
        if key in report:
            out[key] = ", ".join(report[key]) or "none"
    return out


def _subtract(a: Sequence[str], b: Sequence[str]) -> list[str]:
    return [x for x in a if x not in b]


def compare(base: Mapping[str, Any], head: Mapping[str, Any]) -> dict[str, Any]:
    """The access changes from `base` to `head`, two `report_to_dict` outputs, as plain data.

    Every list is in the head's order (then the base's for removals), so the same two reports
    always give the same diff.
    """
    b_ops, h_ops = _operations(base), _operations(head)
    added_ops = [{"operation": k, **v} for k, v in h_ops.items() if k not in b_ops]
    removed_ops = [{"operation": k, **v} for k, v in b_ops.items() if k not in h_ops]
    changed_ops = []
    for key, new in h_ops.items():
        old = b_ops.get(key)
        if old is None:
            continue
        change: dict[str, Any] = {"operation": key}
        for field in ("status", "scopes", "scope_source", "callers"):
            if field == "scope_source" and old[field] is None:
                continue  # a base report from before scope sources were reported
            if old[field] != new[field]:
                change[field] = {"base": old[field], "head": new[field]}
        if len(change) > 1:
            change["scopes_now"] = new["scopes"]
            change["scope_source_now"] = new["scope_source"]
            changed_ops.append(change)

    b_cons, h_cons = _consumers(base), _consumers(head)
    added_cons = [{"consumer": k, **v} for k, v in h_cons.items() if k not in b_cons]
    removed_cons = [{"consumer": k, **v} for k, v in b_cons.items() if k not in h_cons]
    changed_cons = []
    for name, new in h_cons.items():
        old = b_cons.get(name)
        if old is None:
            continue
        entry: dict[str, Any] = {"consumer": name}
        if old["scopes"] != new["scopes"]:
            entry["scopes"] = {"base": old["scopes"], "head": new["scopes"]}
        gained = _subtract(new["operations"], old["operations"])
        lost = _subtract(old["operations"], new["operations"])
        if gained:
            entry["gained"] = gained
        if lost:
            entry["lost"] = lost
        if len(entry) > 1:
            changed_cons.append(entry)

    b_verdicts = {_verdict_key(v): v for v in base.get("verdicts") or []}
    h_verdicts = {_verdict_key(v): v for v in head.get("verdicts") or []}
    appeared = [v for k, v in h_verdicts.items() if k not in b_verdicts]
    cleared = [v for k, v in b_verdicts.items() if k not in h_verdicts]
    new_mandatory = sum(1 for v in appeared if v["enforcement_level"] == "mandatory")

    b_set, h_set = _settings(base), _settings(head)
    settings = [
        {"setting": label, "base": b_set[key], "head": h_set[key]}
        for key, label in SETTINGS
        if key in b_set and key in h_set and b_set[key] != h_set[key]
    ]
    changed = any(
        (added_ops, removed_ops, changed_ops, added_cons, removed_cons, changed_cons)
    ) or any((appeared, cleared, settings))
    return {
        "stack": head.get("stack", base.get("stack", "")),
        "changed": changed,
        "operations": {"added": added_ops, "removed": removed_ops, "changed": changed_ops},
        "consumers": {"added": added_cons, "removed": removed_cons, "changed": changed_cons},
        "verdicts": {"appeared": appeared, "cleared": cleared},
        "settings": settings,
        "new_mandatory_violations": new_mandatory,
        "passed": new_mandatory == 0,
    }


# --- rendering ----------------------------------------------------------------------------


def _list(values: Sequence[str]) -> str:
    return ", ".join(values) or "-"


def _scopes(values: Sequence[str]) -> str:
    return " | ".join(values) or "-"


def _callers(values: Sequence[str]) -> str:
    return ", ".join(values) or "(no configured consumer)"


def _arrow(change: Mapping[str, Any], field: str, show: Any, current: str = "") -> str:
    if field in change:
        return f"{show(change[field]['base'])} -> {show(change[field]['head'])}"
    return current


def _source(entry: Mapping[str, Any]) -> str:
    return str(entry.get("scope_source") or "-")


def no_change_line(diff: Mapping[str, Any]) -> str:
    return f"No change in access for stack '{diff['stack']}'."


def _summary(diff: Mapping[str, Any]) -> str:
    n = diff["new_mandatory_violations"]
    if n:
        return f"FAILED: {n} new mandatory violation(s); `pulumi up` would be blocked."
    return "PASSED: no new mandatory violation."


def _verdict_text(v: Mapping[str, Any]) -> str:
    urn = str(v.get("urn", ""))
    parts = urn.split("::")
    subject = f"{parts[-2].rsplit(':', 1)[-1]} {parts[-1]!r}" if len(parts) >= 4 else "stack"
    return f"{v['enforcement_level']} [{v['policy']}] {subject}: {v['message']}"


def render_terminal(diff: Mapping[str, Any], base: str = "base", head: str = "head") -> str:
    if not diff["changed"]:
        return no_change_line(diff)
    out = [f"Access changes for stack '{diff['stack']}' ({base} -> {head})"]
    ops, cons = diff["operations"], diff["consumers"]
    if any(ops.values()):
        out += ["", "Operations"]
        for o in ops["added"]:
            out.append(
                f"  + {o['operation']}: scopes {_scopes(o['scopes'])} ({_source(o)}); "
                f"callers: {_callers(o['callers'])}"
            )
        for o in ops["removed"]:
            out.append(
                f"  - {o['operation']}: scopes {_scopes(o['scopes'])} ({_source(o)}); "
                f"callers were: {_callers(o['callers'])}"
            )
        for c in ops["changed"]:
            parts = []
            if "status" in c:
                parts.append(f"status {_arrow(c, 'status', str)}")
            if "scopes" in c:
                parts.append(f"scopes {_arrow(c, 'scopes', _scopes)}")
            if "scope_source" in c:
                parts.append(f"scopes from {_arrow(c, 'scope_source', str)}")
            elif "scopes" in c:
                parts.append(f"scopes from {c.get('scope_source_now') or '-'}")
            if "callers" in c:
                parts.append(f"callers {_arrow(c, 'callers', _callers)}")
            out.append(f"  ~ {c['operation']}: " + "; ".join(parts))
    if any(cons.values()):
        out += ["", "Consumers"]
        for c in cons["added"]:
            out.append(
                f"  + {c['consumer']}: scopes {_list(c['scopes'])}; "
                f"can call: {_list(c['operations'])}"
            )
        for c in cons["removed"]:
            out.append(
                f"  - {c['consumer']}: scopes were {_list(c['scopes'])}; "
                f"could call: {_list(c['operations'])}"
            )
        for c in cons["changed"]:
            parts = []
            if "scopes" in c:
                parts.append(f"scopes {_arrow(c, 'scopes', _list)}")
            if "gained" in c:
                parts.append(f"gained {_list(c['gained'])}")
            if "lost" in c:
                parts.append(f"lost {_list(c['lost'])}")
            out.append(f"  ~ {c['consumer']}: " + "; ".join(parts))
    verdicts = diff["verdicts"]
    if verdicts["appeared"] or verdicts["cleared"]:
        out += ["", "Policy verdicts"]
        out += [f"  + appeared: {_verdict_text(v)}" for v in verdicts["appeared"]]
        out += [f"  - cleared: {_verdict_text(v)}" for v in verdicts["cleared"]]
    if diff["settings"]:
        out += ["", "Settings"]
        out += [f"  ~ {s['setting']}: {s['base']} -> {s['head']}" for s in diff["settings"]]
    out += ["", _summary(diff)]
    return "\n".join(out)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_md(x) for x in r) + " |" for r in rows]
    return out


def _md_arrow(change: Mapping[str, Any], field: str, show: Any, current: str) -> str:
    if field in change:
        return f"{show(change[field]['base'])} → {show(change[field]['head'])}"
    return current


def render_markdown(diff: Mapping[str, Any], base: str = "base", head: str = "head") -> str:
    if not diff["changed"]:
        return f"{COMMENT_MARKER}\n{no_change_line(diff)}"
    out = [
        COMMENT_MARKER,
        f"### Access changes: stack `{diff['stack']}`",
        "",
        f"`{base}` → `{head}`",
    ]
    ops, cons = diff["operations"], diff["consumers"]
    if any(ops.values()):
        rows = [
            [
                "added",
                f"`{o['operation']}`",
                _scopes(o["scopes"]),
                _source(o),
                _callers(o["callers"]),
            ]
            for o in ops["added"]
        ]
        rows += [
            [
                "removed",
                f"`{o['operation']}`",
                _scopes(o["scopes"]),
                _source(o),
                f"was: {_callers(o['callers'])}",
            ]
            for o in ops["removed"]
        ]
        for c in ops["changed"]:
            status = f" ({_md_arrow(c, 'status', str, '')})" if "status" in c else ""
            rows.append(
                [
                    "changed" + status,
                    f"`{c['operation']}`",
                    _md_arrow(c, "scopes", _scopes, "unchanged"),
                    _md_arrow(c, "scope_source", str, str(c.get("scope_source_now") or "-")),
                    _md_arrow(c, "callers", _callers, "unchanged"),
                ]
            )
        out += ["", "#### Operations", ""]
        out += _md_table(
            ["Change", "Operation", "Scopes (any one)", "Scopes from", "Who can call"], rows
        )
    if any(cons.values()):
        rows = [
            ["added", c["consumer"], _list(c["scopes"]), f"can call: {_list(c['operations'])}"]
            for c in cons["added"]
        ]
        rows += [
            ["removed", c["consumer"], _list(c["scopes"]), f"could call: {_list(c['operations'])}"]
            for c in cons["removed"]
        ]
        for c in cons["changed"]:
            reach = []
            if "gained" in c:
                reach.append(f"gained: {_list(c['gained'])}")
            if "lost" in c:
                reach.append(f"lost: {_list(c['lost'])}")
            rows.append(
                [
                    "changed",
                    c["consumer"],
                    _md_arrow(c, "scopes", _list, "unchanged"),
                    "; ".join(reach) or "unchanged",
                ]
            )
        out += ["", "#### Consumers", ""]
        out += _md_table(["Change", "Consumer", "Scopes", "Operations"], rows)
    verdicts = diff["verdicts"]
    if verdicts["appeared"] or verdicts["cleared"]:
        out += ["", "#### Policy verdicts", ""]
        out += [f"- appeared: {_md(_verdict_text(v))}" for v in verdicts["appeared"]]
        out += [f"- cleared: {_md(_verdict_text(v))}" for v in verdicts["cleared"]]
    if diff["settings"]:
        out += ["", "#### Settings", ""]
        out += _md_table(
            ["Setting", "Base", "Head"],
            [[s["setting"], str(s["base"]), str(s["head"])] for s in diff["settings"]],
        )
    diagram = mermaid(diff)
    if diagram:
        out += ["", diagram]
    out += ["", f"**{_summary(diff)}**"]
    return "\n".join(out)


def render_json(diff: Mapping[str, Any]) -> str:
    return json.dumps(diff, indent=2)


def render(diff: Mapping[str, Any], fmt: str, base: str = "base", head: str = "head") -> str:
    if fmt == "json":
        return render_json(diff)
    if fmt == "markdown":
        return render_markdown(diff, base, head)
    return render_terminal(diff, base, head)


# --- the diagram of what changed ------------------------------------------------------------


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
            label = shapes[kind].format(name.replace('"', "#quot;"))
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
    """
    g = _Graph()
    ops, cons = diff["operations"], diff["consumers"]

    def op_edges(op: str, scopes: Sequence[str], callers: Sequence[str], how: str) -> None:
        target = g.node("o", op)
        if callers == [ANYONE]:
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
            for scope in _subtract(new, old):
                g.edge(node, g.node("s", scope), "added")
            for scope in _subtract(old, new):
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
            for scope in _subtract(new, old):
                g.edge(g.node("s", scope), g.node("o", o["operation"]), "added")
            for scope in _subtract(old, new):
                g.edge(g.node("s", scope), g.node("o", o["operation"]), "removed")
    # Context: connect a changed consumer to the operations it gained or lost through scopes
    # whose own edges did not change.
    op_scopes = {o["operation"]: o["scopes_now"] for o in ops["changed"]}
    for c in cons["changed"]:
        if "scopes" not in c:
            continue
        old, new = c["scopes"]["base"], c["scopes"]["head"]
        for key, via in (("gained", _subtract(new, old)), ("lost", _subtract(old, new))):
            for op in c.get(key, []):
                for scope in op_scopes.get(op, []):
                    if scope in via:
                        g.edge(g.node("s", scope), g.node("o", op), "kept")
    if not g.nodes:
        return ""
    return g.render()


# --- building the base from a git ref ------------------------------------------------------


def report_at_ref(ref: str, stack: str, repo: Path) -> dict[str, Any]:
    """The JSON report of `stack` at git `ref`, built in a temporary worktree.

    The report runs with this checkout's Python (its venv), but with the ref's own `policies/`
    first on PYTHONPATH, so the base is judged by the base's model and pack. The worktree is
    removed on every path. A stack file the ref does not have gives an empty report: every
    operation and consumer of the head is then new.
    """
    tmp = Path(tempfile.mkdtemp(prefix="report-diff-"))
    worktree = tmp / "base"
    try:
        added = subprocess.run(
            ["git", "-C", str(repo), "worktree", "add", "--detach", str(worktree), ref],
            capture_output=True,
            text=True,
            check=False,
        )
        if added.returncode != 0:
            raise DiffInputError(f"--base-ref {ref!r}: {_last_line(added.stderr)}")
        if not (worktree / f"Pulumi.{stack}.yaml").is_file():
            return {"stack": stack, "operations": [], "consumers": [], "verdicts": []}
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(worktree / "policies"), str(worktree), env.get("PYTHONPATH", "")]
        ).rstrip(os.pathsep)
        proc = subprocess.run(
            [sys.executable, "-m", "report", "--stack", stack, "--format", "json"],
            cwd=worktree,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode not in (0, 1):  # 1 is a report with a mandatory violation
            raise DiffInputError(f"report of {ref!r}: {_last_line(proc.stderr)}")
        return _parse(proc.stdout, f"report of {ref!r}")
    finally:
        subprocess.run(
            ["git", "-C", str(repo), "worktree", "remove", "--force", str(worktree)],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run(
            ["git", "-C", str(repo), "worktree", "prune"], capture_output=True, check=False
        )


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "failed without a message"


def _parse(text: str, source: str) -> dict[str, Any]:
    # A report printed by an older `make report` may start with make's echo of the command.
    start = text.find("{")
    try:
        data = json.loads(text[start:] if start >= 0 else text)
    except json.JSONDecodeError as err:
        raise DiffInputError(f"{source}: not a JSON report ({err})") from None
    if not isinstance(data, dict) or "operations" not in data:
        raise DiffInputError(f"{source}: not a JSON report (no 'operations')")
    return data


def load_report(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise DiffInputError(f"{path}: {err.strerror or err}") from None
    return _parse(text, str(path))


def main(argv: Sequence[str] | None = None, prog: str = "python -m report diff") -> int:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="What a change does to access: the difference between two JSON reports "
        "(or between a git ref and this checkout). Exit 1 when the head has a mandatory "
        "violation the base did not have.",
    )
    parser.add_argument("base", nargs="?", type=Path, help="base report (JSON)")
    parser.add_argument("head", nargs="?", type=Path, help="head report (JSON)")
    parser.add_argument("--base-ref", help="build the base report from this git ref instead")
    parser.add_argument("--stack", default="dev", help="stack for --base-ref (default: dev)")
    parser.add_argument("--format", choices=FORMATS, default="terminal", dest="fmt")
    args = parser.parse_args(argv)
    try:
        if args.base_ref:
            if args.base or args.head:
                parser.error("give either BASE.json HEAD.json or --base-ref, not both")
            base = report_at_ref(args.base_ref, args.stack, PROJECT_DIR)
            head = report_to_dict(build_report(args.stack))
            labels = (args.base_ref, "this checkout")
        elif args.base and args.head:
            base, head = load_report(args.base), load_report(args.head)
            labels = (args.base.name, args.head.name)
        else:
            parser.error("give BASE.json HEAD.json, or --base-ref REF")
    except (DiffInputError, InputError, StackConfigError, StackNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    diff = compare(base, head)
    try:
        print(render(diff, args.fmt, *labels))
    except BrokenPipeError:  # `... | head`: the reader left, which is not an error
        sys.stderr.close()
    return 0 if diff["passed"] else 1
