"""The Pulumi engine's part, played offline: run the program under mocks, then the policy pack.

`make report` and the tests use exactly this path, so what the report shows is what the tests
prove. `program.run_program` records every resource in the engine's wire format, with the
config `stack_files` assembles from the project and stack files as the CLI does;
`policy_pack.PolicyPackProcess` starts the pack as the CLI does and calls its Analyzer service;
`wire` is the one place values are encoded and decoded (unknowns, secrets). For the component
package: `component_provider.ProviderProcess` starts its provider as the engine does and calls
`GetSchema` and `Construct`, `resource_monitor.ResourceMonitor` is the monitor its components
register with, and `urns` computes URNs and aliases as the engine does.
"""

from .mocks import RecordingMonitor
from .policy_pack import Diagnostic, PackStartError, PolicyPackProcess
from .program import CapturedStack, StackOutput, new_monitor, run_program
from .records import RecordedResource
from .stack_files import (
    MissingStackConfigError,
    StackConfigError,
    StackConfigTypeError,
    StackFileError,
    load_stack_config,
    read_settings_file,
)
from .wire import (
    COMPUTED,
    Computed,
    Secret,
    contains_secret,
    decode,
    inputs_of,
    make_urn,
    outputs_of,
    plain_occurrences,
    resource,
    to_struct,
)

__all__ = [
    "COMPUTED",
    "CapturedStack",
    "Computed",
    "Diagnostic",
    "MissingStackConfigError",
    "PackStartError",
    "PolicyPackProcess",
    "RecordedResource",
    "RecordingMonitor",
    "Secret",
    "StackConfigError",
    "StackConfigTypeError",
    "StackFileError",
    "StackOutput",
    "contains_secret",
    "decode",
    "inputs_of",
    "load_stack_config",
    "make_urn",
    "new_monitor",
    "outputs_of",
    "plain_occurrences",
    "read_settings_file",
    "resource",
    "run_program",
    "to_struct",
]
