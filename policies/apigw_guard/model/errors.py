"""The one base of every error a user's input causes, so callers tell them from bugs.

The program, the report and the tests catch `InputError` to print one line (exit 2) instead of
a traceback; anything else is a fault of this code and keeps its traceback.
"""

from __future__ import annotations


class InputError(ValueError):
    """A value the user supplied (stack config, OpenAPI document, scope mapping) cannot work.

    The message names the value, the rule and what would be right.
    """
