"""The pack's policies, one per module; `..pack.POLICIES` lists them in reporting order."""
