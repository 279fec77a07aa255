"""The docs stay true: every layout table names exactly the modules there are, and every link
between the docs lands on a file and a heading that exist.

README.md's layout has one row per folder; a row lists its folder's modules as `name.py`, or
links to the layout that does: the pack's folders link to policies/README.md's layout table,
which the pack's own test holds to the pack (tests/policies/test_layout_table.py), so each table
has one test. docs/ has no layout table.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [
    ROOT / "README.md",
    ROOT / "policies" / "README.md",
    ROOT / "provider" / "README.md",
    ROOT / "examples" / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
]
MODULE = re.compile(r"`([A-Za-z0-9_/]+\.py)`")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def _section(text: str, heading: str) -> str:
    """The text under `heading` up to the next heading of the same or a higher level."""
    level = heading.split(" ", 1)[0]
    start = text.index(f"\n{heading}\n") + len(heading) + 2
    rest = text[start:]
    ends = [m.start() for m in re.finditer(rf"^#{{1,{len(level)}}} ", rest, re.MULTILINE)]
    return rest[: ends[0]] if ends else rest


def _modules(folder: Path) -> set[str]:
    """A folder's modules as a layout names them: not `__init__.py`, not tests."""
    return {
        p.name
        for p in folder.glob("*.py")
        if p.name != "__init__.py" and not p.name.startswith("test_") and p.name != "conftest.py"
    }


def _readme_rows() -> list[tuple[str, str]]:
    section = _section((ROOT / "README.md").read_text(encoding="utf-8"), "## Layout")
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0] not in ("Path", "---"):
            rows.append((cells[0], cells[1]))
    return rows


def _folder_rows() -> list[tuple[Path, str]]:
    out = []
    for path_cell, text in _readme_rows():
        paths = re.findall(r"`([^`]+)`", path_cell)
        if len(paths) == 1 and paths[0].endswith("/"):
            out.append((ROOT / paths[0], text))
    return out


def test_the_readme_layout_has_a_row_for_every_folder_with_modules() -> None:
    covered = {folder for folder, _ in _folder_rows()}
    for folder in sorted(p for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if _modules(folder) and folder.name not in ("tests",):
            assert folder in covered, f"README.md's layout has no row for {folder.name}/"


@pytest.mark.parametrize(
    ("folder", "text"), _folder_rows(), ids=[str(f.relative_to(ROOT)) for f, _ in _folder_rows()]
)
def test_a_readme_layout_row_names_exactly_its_folders_modules(folder: Path, text: str) -> None:
    assert folder.is_dir(), f"README.md's layout names {folder.relative_to(ROOT)}/, which is gone"
    named = {m for m in MODULE.findall(text) if not m.startswith("test_")}
    if not named:
        # A row that lists no module defers to a layout that does.
        links = [t for t in LINK.findall(text) if t.split("#")[0].endswith(".md")]
        assert links or not _modules(folder), (
            f"{folder.relative_to(ROOT)}/: the row names no module and links to no layout"
        )
        return
    actual = _modules(folder)
    assert sorted(named - actual) == [], f"{folder.relative_to(ROOT)}/: named but not there"
    assert sorted(actual - named) == [], f"{folder.relative_to(ROOT)}/: there but not named"


def _anchors(path: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as `-`, duplicates -n."""
    seen: dict[str, int] = {}
    out = set()
    in_code = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.startswith("#"):
            continue
        title = line.lstrip("#").strip()
        slug = re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        out.add(slug if count == 0 else f"{slug}-{count}")
    return out


def _links(path: Path) -> list[str]:
    text = re.sub(r"^(`{3,}).*?^\1", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)
    return [t for t in LINK.findall(text) if not re.match(r"[a-z]+:", t)]


@pytest.mark.parametrize("doc", DOCS, ids=[str(d.relative_to(ROOT)) for d in DOCS])
def test_every_link_between_the_docs_lands(doc: Path) -> None:
    for target in _links(doc):
        file_part, _, anchor = target.partition("#")
        landing = (doc.parent / file_part).resolve() if file_part else doc
        assert landing.exists(), f"{doc.relative_to(ROOT)}: {target}: no such file"
        if anchor and landing.suffix == ".md":
            assert anchor in _anchors(landing), f"{doc.relative_to(ROOT)}: {target}: no heading"
