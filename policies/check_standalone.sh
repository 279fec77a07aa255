#!/usr/bin/env bash
# Proves the pack is self-contained, as `pulumi policy publish` ships it: copy this folder
# alone to a temp dir, build a fresh venv from its own requirements.txt, start it the way the
# CLI does, and assert that an open API Gateway method is blocked with a mandatory violation by
# Analyze alone (before the method would exist), with no AnalyzeStack.
# Usage: policies/check_standalone.sh  (PYTHON=python3.11 to pick the interpreter). Works on a
# fresh clone: the check's client side (the repository's offline_engine) runs with that same
# fresh venv, which has everything it needs; CLIENT_PYTHON=<python> picks another.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "error: '$python' not found; set PYTHON to a Python 3.11 or later" >&2
  exit 2
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "error: $("$python" --version 2>&1) is too old; the pack needs Python 3.11 or later (set PYTHON)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir "$work/pack"
tar -C "$here" --exclude='__pycache__' --exclude='.venv' --exclude='*.pyc' --exclude='*.egg-info' -cf - . | tar -C "$work/pack" -xf -
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$work/pack/requirements.txt"
client="${CLIENT_PYTHON:-$work/venv/bin/python}"

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
    diags = pack.analyze(open_method)  # resource level only: what runs before the method exists
blocked = [d for d in diags if d.mandatory and d.policy_name == "apigateway-method-cognito-authorization"]
if not blocked:
    sys.exit(f"standalone pack did not block an open method: {diags}")
print(f"ok: standalone pack in {pack_dir} blocked GET with authorization NONE before it exists")
PY
