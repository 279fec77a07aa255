#!/usr/bin/env bash
# Proves the pack is self-contained, as `pulumi policy publish` ships it: copy this folder
# alone to a temp dir, build a fresh venv from its own requirements.txt, start it the way the
# CLI does, and assert that an open API Gateway method is blocked with a mandatory violation.
# Usage: policies/check_standalone.sh  (PYTHON=python3.11 to pick the interpreter; the check's
# client side runs with the repo venv, .venv, and its offline_engine/policy_pack.py).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
python="${PYTHON:-python3}"
client="${CLIENT_PYTHON:-$repo/.venv/bin/python}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir "$work/pack"
tar -C "$here" --exclude='__pycache__' --exclude='.venv' --exclude='*.pyc' --exclude='*.egg-info' -cf - . | tar -C "$work/pack" -xf -
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$work/pack/requirements.txt"

cd "$repo"
PYTHONPATH="$repo" "$client" - "$work/pack" "$work/venv/bin/python" <<'PY'
import sys

from offline_engine import PolicyPackProcess
from offline_engine import resource

pack_dir, pack_python = sys.argv[1], sys.argv[2]
open_method = resource(
    "aws:apigateway/method:Method",
    "open",
    {"restApi": "api", "resourceId": "res", "httpMethod": "GET", "authorization": "NONE"},
)
with PolicyPackProcess(pack_dir, python=pack_python, start_timeout=60) as pack:
    pack.configure(default_level=None)  # the pack's own defaults: the guarantee is mandatory
    diags = pack.analyze_all([open_method])  # a Method is judged at stack level, by path
blocked = [d for d in diags if d.mandatory and d.policy_name == "apigateway-method-cognito-authorization"]
if not blocked:
    sys.exit(f"standalone pack did not block an open method: {diags}")
print(f"ok: standalone pack in {pack_dir} blocked GET with authorization NONE")
PY
