"""Benchmark floor pack (a package only so that type checkers name its __main__ uniquely)."""
