"""The Pulumi engine's part, played offline: run the program under mocks, then the policy pack.

`make report` and the tests use exactly this path, so what the report shows is what the tests
prove. `program.run_program` records every resource in the engine's wire format;
`policy_pack.PolicyPackProcess` starts the pack as the CLI does and calls its Analyzer service;
`wire` is the one place values are encoded and decoded (unknowns, secrets).
"""
