"""Which config keys the engine passed to this program, whichever way it passed them.

`pulumi.Config.get` answers for one key at a time, so a misspelled key is never asked for and
goes unnoticed. The SDK holds the whole set in two places (pulumi/runtime/config.py): the
`PULUMI_CONFIG` environment variable (JSON), which the language host sets under `pulumi up`
and `pulumi preview`, and the runtime's own map, filled by `set_all_config` (the Automation
API's inline programs, and our offline engine, which sets both). Reading both covers every
way the program runs.
"""

from __future__ import annotations

from pulumi.runtime import config as runtime_config


def engine_config_keys() -> set[str]:
    """Every namespaced key (`project:key`) the engine handed to this program."""
    return set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env())
