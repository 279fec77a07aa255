"""report.untrusted: a value is shown literally, whatever characters it holds."""

from __future__ import annotations

import pytest

from report.untrusted import md_code, md_code_lines, mermaid_label, visible


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain /pets/{petId}", "plain /pets/{petId}"),
        ("tab\there", "tab\\u0009here"),
        ("new\nline", "new\\u000aline"),
        ("\x1b[2J", "\\u001b[2J"),
        ("\u202eabc", "\\u202eabc"),  # right-to-left override
        ("a\u200bb\u200dc\u2060d\ufeff", "a\\u200bb\\u200dc\\u2060d\\ufeff"),  # zero-width
        ("nbsp\u00a0em\u2003", "nbsp\\u00a0em\\u2003"),  # spaces that look like ' '
        ("\u3164", "\\u3164"),  # Hangul filler, a letter that draws nothing
        ("\U000e0041", "\\U000e0041"),  # a tag character
        ("\ud800", "\\ud800"),  # a lone surrogate (JSON can carry one)
        ("é ü 漢字 🙂", "é ü 漢字 🙂"),  # visible non-ASCII stays as it is
    ],
)
def test_visible(text: str, shown: str) -> None:
    assert visible(text) == shown


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("read", "`read`"),
        ("", "*(empty)*"),
        (" ", "` `"),
        (" lead", "`  lead `"),
        ("trail ", "` trail  `"),
        ("a`b", "``a`b``"),
        ("`", "`` ` ``"),
        ("x``y```z", "````x``y```z````"),
        ("a|b", "`a\\|b`"),
        ("a\\|b", "`a\\\\|b`"),
        ("@team", "`@team`"),
        ("<b>", "`<b>`"),
    ],
)
def test_md_code_in_a_table(text: str, code: str) -> None:
    assert md_code(text) == code


def test_md_code_outside_a_table_keeps_pipes() -> None:
    assert md_code("a|b", in_table=False) == "`a|b`"


def test_md_code_lines_one_span_per_line() -> None:
    assert md_code_lines("one\ntwo `x`") == "`one`<br>`` two `x` ``"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("GET /pets/{petId}", "GET /pets/{petId}"),
        ('a"]; click a href', "a#34;#93;#59; click a href"),
        ("```", "#96;#96;#96;"),
        ("x\ny", "x#92;u000ay"),
        ("<b>#1@x", "#60;b#62;#35;1#64;x"),
    ],
)
def test_mermaid_label(text: str, label: str) -> None:
    assert mermaid_label(text) == label
