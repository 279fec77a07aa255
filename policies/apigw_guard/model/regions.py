"""AWS partitions and regions: which partition a region belongs to, and its DNS suffix.

A user pool ARN names its partition (`arn:<partition>:...`) and region; an issuer names a
region and the partition's DNS suffix (`cognito-idp.<region>.<suffix>`). Both must agree with
this table. A region is recognised by its partition's pattern, so a region AWS opens after this
table was written is accepted (a new region must not be a false alarm in an org-wide pack); the
known regions are listed so a test can compare them with the pinned provider's `Region` enum.

Partition ids, region patterns and DNS suffixes as the AWS SDKs' partition data gives them
(aws-sdk-js-v3 `packages/util-endpoints/src/lib/aws/partitions.json`); the region list is
pulumi-aws 7.51.1's `pulumi_aws.Region` (compared in tests/model/test_regions.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Partition:
    """An AWS partition: its id (the ARN's second field), region pattern and DNS suffix."""

    id: str
    dns_suffix: str
    region_pattern: re.Pattern[str]


PARTITIONS: tuple[Partition, ...] = (
    Partition("aws", "amazonaws.com", re.compile(r"(?:us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+")),
    Partition("aws-cn", "amazonaws.com.cn", re.compile(r"cn-[a-z]+-\d+")),
    Partition("aws-us-gov", "amazonaws.com", re.compile(r"us-gov-[a-z]+-\d+")),
    Partition("aws-iso", "c2s.ic.gov", re.compile(r"us-iso-[a-z]+-\d+")),
    Partition("aws-iso-b", "sc2s.sgov.gov", re.compile(r"us-isob-[a-z]+-\d+")),
    Partition("aws-iso-e", "cloud.adc-e.uk", re.compile(r"eu-isoe-[a-z]+-\d+")),
    Partition("aws-iso-f", "csp.hci.ic.gov", re.compile(r"us-isof-[a-z]+-\d+")),
    Partition("aws-eusc", "amazonaws.eu", re.compile(r"eusc-de-[a-z]+-\d+")),
)
PARTITION_BY_ID: dict[str, Partition] = {p.id: p for p in PARTITIONS}

# The regions pulumi-aws 7.51.1 knows (its `Region` enum), by partition. Informational: any
# region matching a partition's pattern is accepted.
KNOWN_REGIONS: dict[str, tuple[str, ...]] = {
    "aws": (
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ca-central-1",
        "ca-west-1",
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    ),
    "aws-cn": ("cn-north-1", "cn-northwest-1"),
    "aws-eusc": ("eusc-de-east-1",),
    "aws-us-gov": ("us-gov-east-1", "us-gov-west-1"),
    "aws-iso": ("us-iso-east-1", "us-iso-west-1"),
    "aws-iso-b": ("us-isob-east-1", "us-isob-west-1"),
    "aws-iso-e": ("eu-isoe-west-1",),
    "aws-iso-f": ("us-isof-east-1", "us-isof-south-1"),
}


def partition_of(region: str) -> Partition | None:
    """The partition whose region pattern `region` matches exactly; None if none does."""
    for partition in PARTITIONS:
        if partition.region_pattern.fullmatch(region):
            return partition
    return None


def is_region_of(region: str, partition: Partition) -> bool:
    """Whether `region` is a well-formed region of `partition`."""
    return partition.region_pattern.fullmatch(region) is not None


# One region per partition: enough to try every partition when a value is left open.
SAMPLE_REGIONS: tuple[str, ...] = tuple(KNOWN_REGIONS[p.id][0] for p in PARTITIONS)
