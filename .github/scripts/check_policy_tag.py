#!/usr/bin/env python3
"""Refuse to publish the policy pack unless the tag is a release of main.

policy-publish.yml runs this before anything that holds a secret, and again in the job that
publishes. It checks, in a checkout made with `fetch-depth: 0` (actions/checkout then fetches
`+refs/heads/*:refs/remotes/origin/*`, so `origin/main` is there):

1. the tag is `policy-v<version>` (`1.2.3`, optionally `-rc.1`);
2. the tag, the pushed commit (GITHUB_SHA) and the checked-out HEAD are one commit, and
   policies/ has no local change: what gets published is exactly what was tagged;
3. that commit is on main: `git merge-base --is-ancestor <commit> origin/main`;
4. policies/PulumiPolicy.yaml at that commit declares a version, exactly one, equal to the
   tag's; and policies/pyproject.toml's `[project] version` agrees.

Stdlib only: it runs before the virtualenv exists. Exit 0 with one `ok:` line, or 1 with one
`error:` line (also as a GitHub `::error::` annotation when GITHUB_ACTIONS is set).
Usage: check_policy_tag.py [--tag policy-v1.2.3] [--sha <commit>] [--main origin/main]
(defaults: GITHUB_REF_NAME, GITHUB_SHA, origin/main), run in the repository's root.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Sequence

TAG = re.compile(r"policy-v(?P<version>\d+\.\d+\.\d+(?:-[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?)")
PACK_FILE = "policies/PulumiPolicy.yaml"
PROJECT_FILE = "policies/pyproject.toml"
# A top-level `version:` line of PulumiPolicy.yaml (no indentation), with an optional quote
# pair and comment; anything else on the line is a version we refuse to guess at.
VERSION_LINE = re.compile(r"^version\s*:(?P<value>.*)$")
VALUE = re.compile(r"""\s*(?P<q>["']?)(?P<v>[^"'#\s]+)(?P=q)\s*(?:#.*)?""")


class Refused(Exception):
    """The tag must not be published; the message says why and what would be right."""


def git(*args: str) -> str:
    proc = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise Refused(f"git {' '.join(args)}: {proc.stderr.strip() or 'failed'}")
    return proc.stdout.strip()


def declared_version(text: str) -> str:
    """The version PulumiPolicy.yaml declares, read without a YAML library (see VERSION_LINE)."""
    values = []
    for line in text.splitlines():
        if match := VERSION_LINE.match(line):
            value = VALUE.fullmatch(match.group("value"))
            if not value:
                raise Refused(f"{PACK_FILE}: cannot read the version line {line.strip()!r}")
            values.append(value.group("v"))
    if not values:
        raise Refused(
            f"{PACK_FILE} declares no version: add `version: <x.y.z>` (the version the tag "
            "names), or the publish would take whatever version Pulumi Cloud assigns"
        )
    if len(values) > 1:
        raise Refused(f"{PACK_FILE} declares version {len(values)} times: {', '.join(values)}")
    return values[0]


def check(tag: str, sha: str, main: str) -> str:
    match = TAG.fullmatch(tag)
    if not match:
        raise Refused(f"tag {tag!r} is not policy-v<major>.<minor>.<patch>[-<pre>]")
    version = match.group("version")
    try:
        tagged = git("rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}")
    except Refused:
        raise Refused(f"tag {tag} is not in this checkout (fetch-depth: 0 fetches tags)") from None
    head = git("rev-parse", "--verify", "HEAD^{commit}")
    if sha and git("rev-parse", "--verify", f"{sha}^{{commit}}") != tagged:
        raise Refused(f"tag {tag} points at {tagged[:12]}, the pushed commit is {sha[:12]}")
    if head != tagged:
        raise Refused(f"the checkout is {head[:12]}, tag {tag} is {tagged[:12]}")
    if git("status", "--porcelain", "--", "policies"):
        raise Refused("policies/ has local changes: publish only what the tag holds")
    git("rev-parse", "--verify", f"{main}^{{commit}}")
    ancestor = subprocess.run(
        ["git", "merge-base", "--is-ancestor", tagged, main], capture_output=True, check=False
    )
    if ancestor.returncode == 1:
        raise Refused(
            f"tag {tag} is on {tagged[:12]}, which is not on {main}: merge the release to main "
            "first, then tag the merged commit"
        )
    if ancestor.returncode != 0:
        raise Refused(f"git merge-base --is-ancestor {tagged[:12]} {main} failed")
    pack_version = declared_version(git("show", f"{tagged}:{PACK_FILE}"))
    if pack_version != version:
        raise Refused(
            f"tag {tag} says {version}, {PACK_FILE} says {pack_version}: tag "
            f"policy-v{pack_version}, or bump the file and tag again"
        )
    project = tomllib.loads(git("show", f"{tagged}:{PROJECT_FILE}"))
    project_version = project.get("project", {}).get("version")
    if project_version != version:
        raise Refused(f"{PROJECT_FILE} says version {project_version!r}, the tag {version}")
    return f"ok: {tag} is {tagged[:12]} on {main}, and the pack declares version {version}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", default=os.environ.get("GITHUB_REF_NAME", ""))
    parser.add_argument("--sha", default=os.environ.get("GITHUB_SHA", ""))
    parser.add_argument("--main", default="origin/main")
    args = parser.parse_args(argv)
    try:
        print(check(args.tag, args.sha, args.main))
    except Refused as err:
        if os.environ.get("GITHUB_ACTIONS") == "true":
            print(f"::error title=policy-publish refused::{err}")
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
