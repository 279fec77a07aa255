"""Text from a report shown to people: nothing in it can act as markup, control or mention.

A pull request's run builds the report its access diff shows, so every string in it (operation
paths, consumer and scope names, policy messages) is the pull request author's. Shown on a
terminal it must not move the cursor or recolour the log; shown in a GitHub comment it must not
become a link, an image, HTML, an @mention, a heading or a fake verdict, and characters that
draw nothing or reorder the line (bidi controls, zero-width characters) must be seen.

`visible` makes every such character visible as `\\uXXXX`; `md_code` puts the result in an
inline code span, the one markdown construct GitHub renders literally (no links, mentions,
emoji or HTML inside it); `mermaid_label` encodes everything but a few safe characters as
Mermaid entity codes.
"""

from __future__ import annotations

import re
import unicodedata

# Control (Cc), format (Cf: bidi controls, zero-width space/joiners, soft hyphen, BOM), surrogate
# (Cs), private-use (Co) and unassigned (Cn) characters, and line/paragraph separators.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Letters and symbols that draw nothing (Hangul fillers, the braille blank) and every space but
# the ASCII one: `read` and `read` followed by U+2003 must not look alike.
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_BACKTICKS = re.compile("`+")
# Characters a Mermaid label may hold as they are; everything else becomes `#<decimal>;`.
_MERMAID_SAFE = re.compile(r"[A-Za-z0-9 _./{}\-]")


def _hidden(char: str) -> bool:
    category = unicodedata.category(char)
    return category in _HIDDEN_CATEGORIES or char in _BLANK or (category == "Zs" and char != " ")


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def visible(text: object) -> str:
    """`text` with every control, format, invisible or non-ASCII space character as `\\uXXXX`.

    Newlines and tabs are escaped too: one value is always one line.
    """
    return "".join(_escape(c) if _hidden(c) else c for c in str(text))


def md_code(text: object, *, in_table: bool = True) -> str:
    """`text` as a GitHub-markdown inline code span that shows it literally.

    The fence is one backtick longer than the longest run inside, with a space on each side when
    the value starts or ends with a backtick or a space, so the value cannot close it early.
    In a table cell (`in_table`) a `|` is written `\\|`, which GitHub's table parser turns back
    into `|` even inside a code span (GFM spec, "Tables"). An empty value shows as *(empty)*.
    """
    value = visible(text)
    if not value:
        return "*(empty)*"
    if in_table:
        value = value.replace("|", "\\|")
    longest = max((len(run) for run in _BACKTICKS.findall(value)), default=0)
    fence = "`" * (longest + 1)
    # CommonMark strips one space from each end of a code span whose content starts and ends
    # with one (unless it is only spaces): the pad is what gets stripped.
    edge = value[0] in "` " or value[-1] in "` "
    pad = " " if edge and value.strip(" ") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def md_code_lines(text: object, *, in_table: bool = True) -> str:
    """A multi-line value (a policy message) as one code span per line, joined by `<br>`."""
    return "<br>".join(md_code(line, in_table=in_table) for line in str(text).split("\n"))


def mermaid_label(text: object) -> str:
    """`text` for a Mermaid node label in double quotes: letters, digits, space and `_./{}-`
    as they are, every other character as a `#<decimal>;` entity code, so no label can close
    its quotes, its node, its line or the code fence, or carry markup."""
    value = visible(text)
    return "".join(c if _MERMAID_SAFE.fullmatch(c) else f"#{ord(c)};" for c in value)
