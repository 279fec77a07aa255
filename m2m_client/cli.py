"""``python -m m2m_client call``: call one operation of the deployed API as a named consumer.

Exit status: 0 when the API answered 2xx, 1 when it answered anything else (the status and
body are still printed), 2 for a usage or stack-output problem, 3 when no token could be
obtained or the API could not be reached. Errors are one line on stderr, no traceback,
because the person running this needs the bad value, not our call stack; argument errors
too (a missing `--consumer`, `--timeout 0`), with the command to ask for help.

`--help` and those errors name the command as it was typed (`.venv/bin/python -m
m2m_client call`). A wrapper passes its own as the first two arguments, `--prog NAME`: the
Makefile's `call` target passes `--prog 'make call'`.

Both URLs are checked before the first request (``https://``, or ``http://`` to a loopback
host), and the API call carries the token through an explicit auth object, so a netrc entry
for the API host cannot replace it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import requests

from cli_support import EXIT_USAGE, OneLineErrorParser, split_wrapper, typed_command, wrapper_help
from m2m_client.auth import BearerAuth, ClientConfigError, require_secure_url
from m2m_client.redact import Redactor
from m2m_client.stack import StackConfigError, StackOutputs, load_outputs
from m2m_client.token import AUTH_METHODS, TokenClient
from m2m_client.token_response import TokenError

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

EXIT_OK = 0
EXIT_HTTP_ERROR = 1
EXIT_TOKEN = 3


DEFAULT_PROG = "python -m m2m_client"
# `--timeout`: seconds, more than 0 and at most an hour. Zero, negative and NaN are refused by
# requests, infinity and values past the platform's time_t by the socket layer, each with a
# traceback; a wait longer than an hour is a mistake (milliseconds for seconds) either way.
MAX_TIMEOUT_SECONDS = 3600.0


class UsageError(Exception):
    """A command-line value is wrong; the message names it and what is accepted."""


class ApiRequestError(Exception):
    """The API call could not be sent or answered (connection, TLS, timeout).

    Carries one redacted line and nothing else: the ``requests`` exception behind it holds the
    prepared request, bearer token included, so it is neither chained nor kept.
    """


def timeout_seconds(value: str) -> float:
    """`--timeout`: a finite number of seconds, more than 0 and at most an hour."""
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number of seconds, e.g. 30, got {value!r}"
        ) from None
    if not 0 < seconds <= MAX_TIMEOUT_SECONDS:  # also false for NaN
        raise argparse.ArgumentTypeError(
            f"{value!r} is out of range; expected seconds more than 0 and at most "
            f"{MAX_TIMEOUT_SECONDS:g}, e.g. 30"
        )
    return seconds


def build_parser(prog: str = DEFAULT_PROG, call_prog: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; separate so tests and docs can inspect it.

    `prog` is the command that started this module; `call_prog`, when given, the whole
    command for `call` (a wrapper's, e.g. `make call`), else `<prog> call`.
    """
    help_command = wrapper_help(call_prog) if call_prog else None
    parser = OneLineErrorParser(
        prog=prog,
        description="Call the secured M2M API with a client-credentials token.",
        help_command=help_command,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    call = sub.add_parser(
        "call",
        prog=call_prog or f"{prog} call",
        help="call one operation as a named consumer",
        help_command=help_command,
    )
    call.add_argument("method", help=f"HTTP method ({', '.join(METHODS)})")
    call.add_argument("path", help="path under the stage, starting with '/', e.g. /pets")
    call.add_argument("--consumer", required=True, help="consumer name, e.g. orders")
    call.add_argument("--stack", default="dev", help="Pulumi stack to read outputs from")
    call.add_argument("--data", help="JSON request body")
    call.add_argument(
        "--scope",
        action="append",
        default=[],
        help="scope to request (name like 'read' or full string); repeatable; "
        "default: all of the consumer's scopes",
    )
    call.add_argument(
        "--auth",
        choices=AUTH_METHODS,
        default="basic",
        help="client authentication at the token endpoint (default: basic)",
    )
    call.add_argument(
        "--outputs-file",
        type=Path,
        help="JSON from `pulumi stack output --json --show-secrets` instead of running pulumi",
    )
    call.add_argument(
        "--cwd",
        type=Path,
        default=Path.cwd(),
        help="Pulumi project directory (default: current directory)",
    )
    call.add_argument(
        "--no-bearer-prefix",
        action="store_true",
        help="send the raw token in Authorization instead of 'Bearer <token>'",
    )
    call.add_argument(
        "--timeout",
        type=timeout_seconds,
        default=30.0,
        help=f"HTTP timeout in seconds, more than 0 and at most {MAX_TIMEOUT_SECONDS:g} "
        "(default: 30)",
    )
    return parser


def parse_method(value: str) -> str:
    """Upper-cased HTTP method, or :class:`UsageError` naming the accepted ones."""
    method = value.upper()
    if method not in METHODS:
        raise UsageError(
            f"method: {value!r} is not an HTTP method (expected one of: {', '.join(METHODS)})"
        )
    return method


def parse_data(value: str | None) -> object | None:
    """The ``--data`` JSON value, or :class:`UsageError` saying where it stops being JSON."""
    if value is None:
        return None
    try:
        data: object = json.loads(value)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"--data: not valid JSON ({exc.msg} at column {exc.colno}): {value!r}"
        ) from exc
    return data


def format_response(response: requests.Response) -> str:
    """Status line, then the body (pretty-printed when it is JSON)."""
    lines = [f"HTTP {response.status_code} {response.reason or ''}".rstrip()]
    text = response.text
    if text:
        try:
            lines.append(json.dumps(json.loads(text), indent=2, sort_keys=True))
        except ValueError:
            lines.append(text)
    return "\n".join(lines)


def call_api(
    outputs: StackOutputs,
    *,
    consumer: str,
    method: str,
    path: str,
    body: object | None = None,
    scopes: Sequence[str] = (),
    auth_method: str = "basic",
    bearer_prefix: bool = True,
    timeout: float = 30.0,
    session: requests.Session | None = None,
) -> requests.Response:
    """Get a token for ``consumer`` and send one request.

    Raises :class:`~m2m_client.token.TokenError` when no token could be obtained and
    :class:`ApiRequestError` when the request could not be sent or answered; any HTTP answer
    is returned. Redirects are returned, not followed: following one would re-send the token.
    """
    creds = outputs.consumer(consumer)
    # Checked before the token request, so a bad invoke URL costs no token and leaks none.
    url = require_secure_url(outputs.url(path), "invoke_url")
    http = session or requests.Session()
    client = TokenClient(
        outputs.token_endpoint_url,
        creds.client_id,
        creds.client_secret,
        scopes=[outputs.scope(s) for s in scopes],
        auth_method="body" if auth_method == "body" else "basic",
        timeout=timeout,
        session=http,
    )
    token = client.get_token()
    auth = BearerAuth(token, scheme="Bearer" if bearer_prefix else None)
    problem = ""
    try:
        # json=None sends no body at all, which is what a GET without --data should do.
        return http.request(
            method, url, auth=auth, json=body, timeout=timeout, allow_redirects=False
        )
    except requests.RequestException as exc:
        problem = Redactor([token]).shown(f"{type(exc).__name__}: {exc}", 200)
    # Raised outside the handler, so the requests exception (and the token in its request)
    # is not this one's __context__.
    raise ApiRequestError(f"{method} {path} could not be sent: {problem}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status documented in the module docstring.

    `argv` defaults to the command line, whose typed command then names `--help`'s usage.
    """
    prog = DEFAULT_PROG
    if argv is None:
        argv, prog = sys.argv[1:], typed_command(DEFAULT_PROG)
    call_prog, argv = split_wrapper(argv)
    args = build_parser(call_prog or prog, call_prog).parse_args(argv)
    try:
        method = parse_method(args.method)
        body = parse_data(args.data)
        outputs = load_outputs(stack=args.stack, cwd=args.cwd, outputs_file=args.outputs_file)
        response = call_api(
            outputs,
            consumer=args.consumer,
            method=method,
            path=args.path,
            body=body,
            scopes=args.scope,
            auth_method=args.auth,
            bearer_prefix=not args.no_bearer_prefix,
            timeout=args.timeout,
        )
    except (UsageError, StackConfigError, ClientConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except TokenError as exc:
        print(f"error: no access token: {exc}", file=sys.stderr)
        return EXIT_TOKEN
    except ApiRequestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_TOKEN
    print(format_response(response))
    return EXIT_OK if 200 <= response.status_code < 300 else EXIT_HTTP_ERROR
