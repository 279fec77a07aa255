#!/usr/bin/env bash
# Proves the component provider is self-contained, as `pulumi package add <git URL>/provider@<tag>`
# uses it: copy this folder alone to a temp dir, build its venv as the Python language host does
# (`pip install <folder>`, its pyproject.toml being buildable, then `pip install -r
# requirements.txt`), start it from another folder as the engine does (`<venv python> <folder>
# <engine address>`), and call GetSchema (it must equal the golden provider/schema.json) and
# Construct (a SecuredM2MApi with the example spec: its children, its secret clientSecrets).
#
# The one dependency outside the package index is the policy pack's model, which
# requirements.txt names as `apigw-cognito-guard @ git+<this repository>@policy-v<version>
# #subdirectory=policies`. This machine has no route to your git host, so the check installs
# that line from a local git repository holding this checkout's policies/ tagged as the line
# says: the URL's host is the only thing it does not prove.
#
# Usage: provider/check_standalone.sh  (PYTHON=python3.11 picks the plugin's interpreter;
# CLIENT_PYTHON the one that plays the engine, by default .venv/bin/python: run `make venv`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
python="${PYTHON:-python3}"
client="${CLIENT_PYTHON:-$repo/.venv/bin/python}"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "error: '$python' not found; set PYTHON to a Python 3.11 or later" >&2
  exit 2
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "error: $("$python" --version 2>&1) is too old; the provider needs Python 3.11 or later (set PYTHON)" >&2
  exit 2
fi
if [ ! -x "$client" ]; then
  echo "error: no $client to play the engine; run \`make venv\` or set CLIENT_PYTHON" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# What `pulumi package add` fetches: this folder, nothing beside it.
mkdir "$work/plugin"
tar -C "$here" --exclude='__pycache__' --exclude='venv' --exclude='*.pyc' --exclude='*.egg-info' \
  --exclude='build' -cf - . | tar -C "$work/plugin" -xf -

# The pack at the tag requirements.txt names, in a git repository of its own.
line="$(grep -E '^apigw-cognito-guard @ git\+' "$work/plugin/requirements.txt")"
tag="$(sed -E 's/^.*@(policy-v[^#]+)#subdirectory=policies$/\1/' <<<"$line")"
url="$(sed -E 's/^apigw-cognito-guard @ git\+(.*)@policy-v.*$/\1/' <<<"$line")"
if [ "$tag" = "$line" ] || [ "$url" = "$line" ]; then
  echo "error: requirements.txt: expected 'apigw-cognito-guard @ git+<url>@policy-v<version>#subdirectory=policies', got: $line" >&2
  exit 1
fi
mkdir "$work/origin"
tar -C "$repo" --exclude='__pycache__' --exclude='.venv' --exclude='*.pyc' --exclude='*.egg-info' \
  -cf - policies | tar -C "$work/origin" -xf -
git -C "$work/origin" init --quiet
git -C "$work/origin" add -A
git -C "$work/origin" -c user.name=check -c user.email=check@localhost commit --quiet -m "policies/"
git -C "$work/origin" tag "$tag"
# `file://localhost/...`: the pip a fresh venv has (23.2) refuses a file URL without a host.
sed -i "s#git+$url@#git+file://localhost$work/origin@#" "$work/plugin/requirements.txt"

# The language host also upgrades pip, setuptools and wheel first; the check keeps the venv's
# own, so what it installs does not change with the index.
"$python" -m venv "$work/plugin/venv"
pip=("$work/plugin/venv/bin/python" -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" "$work/plugin"
"${pip[@]}" -r "$work/plugin/requirements.txt"

mkdir "$work/consumer"
cd "$repo"
PYTHONPATH="$repo" "$client" - "$work/plugin" "$work/plugin/venv/bin/python" "$work/consumer" <<'PY'
import json
import sys
from pathlib import Path

from offline_engine.component_provider import ProviderProcess
from offline_engine.resource_monitor import ResourceMonitor
from offline_engine.wire import Secret

plugin, python, consumer = sys.argv[1:4]
golden = json.loads(Path("provider/schema.json").read_text(encoding="utf-8"))
spec = Path("api/petstore.yaml").read_text(encoding="utf-8")
inputs = {
    "domainPrefix": "standalone-check",
    "spec": spec,
    "consumers": [{"name": "web", "scopes": ["read"]}],
}
with ProviderProcess(plugin, python=python, cwd=consumer) as provider:
    schema = provider.get_schema()
    if schema != golden:
        sys.exit("standalone provider: GetSchema differs from provider/schema.json")
    provider.configure()
    with ResourceMonitor(project="consumer") as monitor:
        result = provider.construct(
            monitor, "secured-m2m-api:index:SecuredM2MApi", "check", inputs,
            config={"aws:region": "eu-west-1"},
        )
        children = sorted(r.name for r in monitor.registrations)
if not isinstance(result.state.get("clientSecrets"), Secret):
    sys.exit(f"standalone provider: clientSecrets is not secret: {result.state}")
expected = {"check-pool", "check-domain", "check-rest-api", "check-resource-server", "check-body",
            "check-client-web", "check-stage"}
if not expected <= set(children):
    sys.exit(f"standalone provider: children {children}")
print(f"ok: standalone provider in {plugin} (started in {consumer}) served the golden schema "
      f"and built a SecuredM2MApi of {len(children)} resources")
PY
