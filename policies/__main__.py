"""Entry point the Pulumi CLI runs (`python -m pulumi.policy <engine> .` in this folder).

It only constructs the pack; the constructor serves gRPC, writes the port as the first stdout
line and blocks, so nothing else may print to stdout.
"""

from apigw_guard.pack import DEFAULT_ENFORCEMENT_LEVEL, PACK_NAME, POLICIES
from pulumi_policy import PolicyPack

PolicyPack(
    name=PACK_NAME,
    policies=POLICIES,
    enforcement_level=DEFAULT_ENFORCEMENT_LEVEL,
)
