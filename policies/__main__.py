"""Entry point the Pulumi CLI runs (`python -m pulumi.policy <engine> .` in this folder).

`serve()` constructs the pack, which serves gRPC, writes the port as the first stdout line and
blocks, so nothing else may print to stdout.
"""

from apigw_guard.pack import serve

serve()
