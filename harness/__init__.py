"""Offline harness: run the program under mocks and talk to the policy pack as the engine does.

Used by the tests and by `make report`, so that both exercise exactly the same path.
"""
