"""The OpenAPI/security model shared by the Pulumi program and the policy pack.

Plain Python (no Pulumi imports) so that both sides agree, to the letter, on what an operation
is and what protects it: the program uses it to build a protected body, the pack to judge any
body it is shown, and the report to say who can call what. It lives inside the pack's folder
because `pulumi policy publish` uploads only that folder.
"""
