"""`make report`: who can call which operation, and what the policy pack says, with no cloud."""
