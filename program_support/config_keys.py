"""Which stack-config keys exist: the project's own, the aws provider's, and the region.

The Pulumi CLI passes every key of every namespace to the program and the provider, and
neither complains about one it does not read, so a misspelled key, a namespace one letter off
the project's or an `aws:` key the pinned provider does not know would each silently leave a
setting at its default. Refused here, before any resource, with the closest known key.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from program_support.aws_provider import (
    AWS_CONFIG_KEYS,
    AWS_NAMESPACE,
    AWS_REGIONS,
    PULUMI_AWS_VERSION,
    provider_namespaces,
)
from secured_m2m_api.config_values import ConfigError

PROJECT = "secured-m2m-api"

# Keys whose stack-config value is an object or list (the CLI hands them over as JSON text).
STRUCTURED_KEYS: frozenset[str] = frozenset(
    {"scopes", "operationScopes", "consumers", "withholdTokenFromHosts"}
)
KNOWN_KEYS: tuple[str, ...] = (
    "domainPrefix",
    "specPath",
    "stageName",
    "scopes",
    "operationScopes",
    "consumers",
    "accessTokenValidityMinutes",
    "resourceServerIdentifier",
    "deletionProtection",
    "manageApiGatewayAccount",
    "logRetentionDays",
    "throttlingRateLimit",
    "throttlingBurstLimit",
    "securityPolicy",
    "endpointAccessMode",
    "withholdTokenFromHosts",
    "executionLogGroupImport",
)


def project_keys(full_keys: Iterable[str], project: str = PROJECT) -> list[str]:
    """The keys of `project`'s namespace among namespaced keys (`secured-m2m-api:stageName`)."""
    prefix = f"{project}:"
    return sorted(k[len(prefix) :] for k in full_keys if k.startswith(prefix))


def check_known_keys(keys: Iterable[str]) -> None:
    """Refuse a key of the project's namespace that the program does not read.

    The Pulumi CLI hands such keys to the program without a word, so a misspelled
    `deletionProtecton: true` would silently leave deletion protection off. The message names
    the key and the closest known one (case differences count as close).
    """
    for key in sorted(keys):
        if key in KNOWN_KEYS:
            continue
        by_lower = {k.lower(): k for k in KNOWN_KEYS}
        close = difflib.get_close_matches(key.lower(), list(by_lower), n=1, cutoff=0.6)
        hint = f"did you mean '{by_lower[close[0]]}'? " if close else ""
        raise ConfigError(
            f"{PROJECT}:{key}: unknown config key; {hint}"
            f"Known keys: {', '.join(KNOWN_KEYS)} (declared in Pulumi.yaml)"
        )


# A namespace this many edits (or fewer) from the project's name is taken for a typo of it.
NAMESPACE_TYPO_EDITS = 2
# The variables the provider reads when `aws:region` is unset, in its order (pulumi-aws's
# `config.region`: `__config__.get('region') or get_env('AWS_REGION', 'AWS_DEFAULT_REGION')`).
REGION_VARIABLES = ("AWS_REGION", "AWS_DEFAULT_REGION")
REGION_SUGGESTIONS = 3


def check_config_keys(full_keys: Iterable[str], project: str = PROJECT) -> None:
    """Refuse stack-config keys that would be ignored without a word.

    The Pulumi CLI passes every key of every namespace to the program and the provider, and
    neither complains about one it does not read. So a namespace one or two letters off the
    project's (`secured-m2m-apii:deletionProtection`), a misspelled provider key
    (`aws:regoin`) or a misspelled project key would each silently leave a setting at its
    default. Checked in that order; `full_keys` are namespaced (`aws:region`).
    """
    keys = sorted(full_keys)
    check_namespaces(keys, project)
    check_aws_keys(keys)
    check_known_keys(project_keys(keys, project))


def check_namespaces(full_keys: Iterable[str], project: str = PROJECT) -> None:
    """A namespace within two edits of the project's name, and not a provider's, is a typo.

    Case differences count as edits of their own only when the rest matches
    (`Secured-M2M-Api:` is one typo, not fifteen). Provider namespaces (`aws`, `pulumi`, any
    installed provider SDK's) are never taken for one, whatever the project is called.
    """
    known = provider_namespaces()
    for key in sorted(full_keys):
        namespace, _, name = key.partition(":")
        if not name or namespace == project or namespace in known:
            continue
        edits = edit_distance(namespace.lower(), project.lower())
        if edits <= NAMESPACE_TYPO_EDITS:
            raise ConfigError(
                f"{key}: unknown namespace {namespace!r}; did you mean '{project}:{name}'? "
                f"The program reads only its project's namespace, '{project}:', and the "
                "Pulumi CLI passes any other without a word"
            )


def check_aws_keys(full_keys: Iterable[str]) -> None:
    """Every `aws:` key must be one the pinned aws provider reads (`aws:region`, ...)."""
    for key in sorted(full_keys):
        namespace, _, name = key.partition(":")
        if namespace != AWS_NAMESPACE or name in AWS_CONFIG_KEYS:
            continue
        by_lower = {k.lower(): k for k in AWS_CONFIG_KEYS}
        close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
        hint = (
            f"did you mean '{AWS_NAMESPACE}:{by_lower[close[0]]}'?"
            if close
            else f"known keys: {', '.join(sorted(AWS_CONFIG_KEYS))}"
        )
        raise ConfigError(
            f"{key}: not a config key of the aws provider (pulumi-aws {PULUMI_AWS_VERSION}), "
            f"which would ignore it; {hint}"
        )


def resolve_region(configured: str | None, environ: Mapping[str, str]) -> str:
    """The stack's AWS region: `aws:region`, else AWS_REGION, else AWS_DEFAULT_REGION.

    That is the provider's own order. A region from an AWS profile's config file is not
    taken: the stack file (or the deploying job's environment) must say where the user pool,
    its token endpoint and the API live, not whichever machine runs `pulumi up`. The region
    must be one the pinned pulumi-aws knows (its `Region` enum); the provider itself does not
    check (its `skipRegionValidation` defaults to true), so a typo would only fail at deploy.
    """
    source, region = "aws:region", configured
    for variable in REGION_VARIABLES:
        if region:
            break
        source, region = f"{variable} (environment)", environ.get(variable)
    if not region:
        raise ConfigError(
            "aws:region: not set; set the stack's region (`pulumi config set aws:region "
            f"eu-west-1`) or export {' or '.join(REGION_VARIABLES)}: it decides where the "
            "user pool, its token endpoint and the API are created"
        )
    if region not in AWS_REGIONS:
        closest = sorted(
            AWS_REGIONS,
            key=lambda known: -difflib.SequenceMatcher(None, region.lower(), known).ratio(),
        )[:REGION_SUGGESTIONS]
        raise ConfigError(
            f"{source}: {region!r} is not an AWS region (pulumi-aws {PULUMI_AWS_VERSION}); "
            f"closest: {', '.join(closest)} (a region launched since needs a newer pulumi-aws)"
        )
    return region


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions of one character."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]
