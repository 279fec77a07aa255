"""The few Pulumi CLI calls the preflight needs: the backend, its stacks, select or create.

Only documented machine-readable output is parsed: `pulumi whoami --json` (`url`) and
`pulumi stack ls --json` (`name`, a contract the CLI keeps: "we should not change" its shape,
pulumi/pulumi `pkg/cmd/pulumi/stack/stack_list.go`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path


class PulumiCliError(Exception):
    """The CLI is missing, failed, or answered something unreadable; one line."""


class PulumiCli:
    """Runs `pulumi` (or a stand-in) in the project directory."""

    def __init__(self, executable: str, project_dir: Path) -> None:
        self.executable = executable
        self.project_dir = project_dir

    def require(self) -> None:
        if shutil.which(self.executable) is None:
            raise PulumiCliError(
                f"the Pulumi CLI ('{self.executable}') is not installed or not on PATH; "
                "install it from https://www.pulumi.com/docs/install/"
            )

    def output(self, *args: str) -> str:
        """stdout of a command that must succeed; its stderr goes to the user as it is."""
        done = subprocess.run(
            [self.executable, *args],
            cwd=self.project_dir,
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise PulumiCliError(
                f"`{self.executable} {' '.join(args)}` failed with exit status {done.returncode}"
            )
        return done.stdout

    def run(self, args: Sequence[str]) -> int:
        """A command whose output is the user's (select, init); its exit status."""
        return subprocess.run(
            [self.executable, *args], cwd=self.project_dir, check=False
        ).returncode

    def backend_url(self, environ: Mapping[str, str]) -> str:
        """PULUMI_BACKEND_URL, else the backend `pulumi login` chose."""
        url = environ.get("PULUMI_BACKEND_URL", "")
        if url:
            return url
        answer = _json(self.output("whoami", "--json"), "pulumi whoami --json")
        if not isinstance(answer, dict) or not isinstance(answer.get("url"), str):
            raise PulumiCliError(f"`pulumi whoami --json` gave no backend url: {answer!r}")
        return str(answer["url"])

    def stack_names(self) -> list[str]:
        """The project's stacks in the current backend, as `pulumi stack ls` names them."""
        answer = _json(self.output("stack", "ls", "--json"), "pulumi stack ls --json")
        if not isinstance(answer, list):
            raise PulumiCliError(f"`pulumi stack ls --json` did not list stacks: {answer!r}")
        return [str(item["name"]) for item in answer if isinstance(item, dict) and "name" in item]


def names_stack(listed: str, stack: str) -> bool:
    """Whether a name from `stack ls` (`dev`, `org/dev`, `org/project/dev`) is `stack`."""
    if "/" in stack:
        return listed == stack or listed.endswith(f"/{stack}")
    return listed.rsplit("/", 1)[-1] == stack


def _json(text: str, command: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        raise PulumiCliError(f"`{command}` did not print JSON: {text[:200]!r}") from None
