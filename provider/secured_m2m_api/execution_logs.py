"""The stage's execution-log group: its name, and the one-time import of one AWS already made.

With a method logging level other than OFF, API Gateway writes execution logs to
`API-Gateway-Execution-Logs_<rest-api-id>/<stage>` and, if that group does not exist, creates
it itself: outside the stack, with no retention (logs kept for ever), surviving `destroy`.
The program creates the group first, with the stack's retention, and makes the stage and its
method settings wait for it.
https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html

A stack deployed before the program did so already has the group (AWS made it), and creating
it again fails ("ResourceAlreadyExistsException"). `executionLogGroupImport` names that group
once, and the program adopts it with Pulumi's `import` resource option: the engine reads the
existing group, then applies the stack's retention in the same update (Pulumi 3.174 and later
import and update in one deployment).
"""

from __future__ import annotations

import re
from typing import Any

from apigw_guard.model.errors import InputError

PREFIX = "API-Gateway-Execution-Logs_"
CONFIG_KEY = "executionLogGroupImport"
# REST API ids are short lower-case alphanumerics (10 in practice, not a documented length).
_NAME = re.compile(rf"^{PREFIX}(?P<api>[a-z0-9]{{1,64}})/(?P<stage>[A-Za-z0-9_-]{{1,128}})$")


class ExecutionLogImportError(InputError):
    """`executionLogGroupImport` does not name this stack's execution-log group."""


def execution_log_group_name(rest_api_id: str, stage_name: str) -> str:
    """`API-Gateway-Execution-Logs_<rest-api-id>/<stage>`, the group API Gateway writes to."""
    return f"{PREFIX}{rest_api_id}/{stage_name}"


def parse_import_name(key: str, value: Any, stage_name: str) -> str | None:
    """The group to import, or None (the default, empty: create it).

    It must be an execution-log group name for the configured stage; the REST API id in it is
    checked against the stack's own once that id is known (`check_import_name`).
    """
    if value == "" or value is None:
        return None
    if not isinstance(value, str):
        raise ExecutionLogImportError(
            f"{key}: expected the log group name as text, e.g. "
            f"'{execution_log_group_name('a1b2c3d4e5', stage_name)}', got {value!r}"
        )
    match = _NAME.match(value.strip())
    if match is None:
        raise ExecutionLogImportError(
            f"{key}: {value!r} is not an API Gateway execution-log group name; expected "
            f"'{PREFIX}<rest-api-id>/{stage_name}' (the stack output rest_api_id, then the "
            "stage), or leave it empty to create the group"
        )
    if match["stage"] != stage_name:
        raise ExecutionLogImportError(
            f"{key}: {value!r} is the group of stage {match['stage']!r}, but this stack's "
            f"stageName is {stage_name!r}; expected "
            f"'{PREFIX}<rest-api-id>/{stage_name}'"
        )
    return value.strip()


def check_import_name(import_name: str, rest_api_id: str, stage_name: str) -> str:
    """The group name for `rest_api_id`, which must be the one being imported.

    Importing another API's group would adopt (and on destroy delete) logs this stack does not
    own, so a mismatch stops the program before the import.
    """
    expected = execution_log_group_name(rest_api_id, stage_name)
    if import_name != expected:
        raise ExecutionLogImportError(
            f"{CONFIG_KEY}: {import_name!r} is not this stack's execution-log group; this "
            f"stack's REST API {rest_api_id!r} logs to {expected!r}. Set it to that name "
            "(see `pulumi stack output rest_api_id`), or leave it empty to create the group"
        )
    return expected
