"""The execution-log group: the program's own, with the stack's retention, before any logging;
and the one-time import of the group AWS made for a stack deployed before that.

With loggingLevel ERROR, API Gateway writes to `API-Gateway-Execution-Logs_<api-id>/<stage>`
and creates it itself (no retention, outside the stack) unless it exists already.
"""

from __future__ import annotations

from typing import Any

import pytest

from offline_engine import CapturedStack, RecordingMonitor, inputs_of, outputs_of, run_program
from offline_engine.mocks import AwsMocks
from secured_m2m_api.execution_logs import ExecutionLogImportError

EXECUTION_LOGS = "m2m-execution-logs"
STAGE = "aws:apigateway/stage:Stage"
METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings"


class ImportRecordingMonitor(RecordingMonitor):
    """Also keeps the `import` resource option (the engine's importId) of each resource."""

    def __init__(self, region: str = "eu-west-1") -> None:
        super().__init__(AwsMocks(region), preview=False)
        self.import_ids: dict[str, str] = {}

    def RegisterResource(self, request: Any) -> Any:
        if request.importId:
            self.import_ids[request.name] = request.importId
        return super().RegisterResource(request)


def _group_name(stack: CapturedStack) -> str:
    return f"API-Gateway-Execution-Logs_{stack.outputs['rest_api_id'].value}/v1"


def test_the_program_creates_the_execution_log_group_with_the_stack_retention(
    dev: CapturedStack,
) -> None:
    group = dev.by_name(EXECUTION_LOGS)
    assert inputs_of(group)["name"] == _group_name(dev)
    assert inputs_of(group)["retentionInDays"] == 30  # Pulumi.dev.yaml's logRetentionDays
    assert dev.outputs["execution_log_group"].value == _group_name(dev)
    # Named after this API's id: the group follows the RestApi, not a guess.
    assert dev.one("aws:apigateway/restApi:RestApi").urn in group.property_dependencies["name"]


def test_the_stage_and_the_method_settings_wait_for_the_group(dev: CapturedStack) -> None:
    group = dev.by_name(EXECUTION_LOGS).urn
    assert group in dev.one(STAGE).dependencies
    # MethodSettings turns logging on (loggingLevel ERROR): the group must exist by then.
    settings = dev.one(METHOD_SETTINGS)
    assert group in settings.dependencies
    assert inputs_of(settings)["settings"]["loggingLevel"] == "ERROR"
    order = [r.urn for r in dev.resources]
    assert order.index(group) < order.index(dev.one(STAGE).urn)
    assert order.index(group) < order.index(settings.urn)


def test_by_default_nothing_is_imported(dev: CapturedStack) -> None:
    monitor = ImportRecordingMonitor()
    run_program("dev", monitor=monitor)
    assert monitor.import_ids == {}


def test_an_already_deployed_stack_imports_the_group_once_and_keeps_its_retention(
    dev: CapturedStack,
) -> None:
    name = _group_name(dev)  # mocks give the same API id on every run
    monitor = ImportRecordingMonitor()
    stack = run_program("dev", config_overrides={"executionLogGroupImport": name}, monitor=monitor)
    assert monitor.import_ids == {EXECUTION_LOGS: name}
    group = stack.by_name(EXECUTION_LOGS)
    assert group.id == name
    assert outputs_of(group)["name"] == name
    # The retention is in the inputs, so the engine imports, then sets it in the same update.
    assert inputs_of(group)["retentionInDays"] == 30
    assert group.urn in stack.one(STAGE).dependencies


def test_importing_another_apis_group_stops_the_program(dev: CapturedStack) -> None:
    other = "API-Gateway-Execution-Logs_zz99zz99zz/v1"
    monitor = ImportRecordingMonitor()
    with pytest.raises(
        ExecutionLogImportError,
        match=(
            r"^executionLogGroupImport: 'API-Gateway-Execution-Logs_zz99zz99zz/v1' is not this "
            r"stack's execution-log group; this stack's REST API '[a-z0-9]+' logs to "
            r"'API-Gateway-Execution-Logs_[a-z0-9]+/v1'"
        ),
    ):
        run_program("dev", config_overrides={"executionLogGroupImport": other}, monitor=monitor)
    assert EXECUTION_LOGS not in {r.name for r in monitor.records}


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (
            "API-Gateway-Execution-Logs_a1b2c3d4e5/prod",
            r"^executionLogGroupImport: '.*' is the group of stage 'prod', but this stack's "
            r"stageName is 'v1'",
        ),
        (
            "/aws/apigateway/a1b2c3d4e5",
            r"^executionLogGroupImport: '/aws/apigateway/a1b2c3d4e5' is not an API Gateway "
            r"execution-log group name; expected 'API-Gateway-Execution-Logs_<rest-api-id>/v1'",
        ),
    ],
)
def test_a_malformed_import_name_is_refused_before_any_resource(value: str, match: str) -> None:
    monitor = ImportRecordingMonitor()
    with pytest.raises(ExecutionLogImportError, match=match):
        run_program("dev", config_overrides={"executionLogGroupImport": value}, monitor=monitor)
    assert monitor.records == []


def test_the_log_groups_are_deleted_with_the_stack(dev: CapturedStack) -> None:
    # The point of owning them: `pulumi destroy` removes them (only the account role is kept).
    for name in (EXECUTION_LOGS, "m2m-access-logs"):
        assert not dev.by_name(name).retain_on_delete, name
