"""The partition table against the pinned provider's region list, and what it accepts."""

from __future__ import annotations

import pulumi_aws
import pytest

from apigw_guard.model.regions import KNOWN_REGIONS, PARTITION_BY_ID, partition_of


def test_known_regions_are_exactly_the_pinned_providers_region_enum():
    # pulumi-aws (requirements.txt) names every region it knows in `Region`; the pack's table
    # must know the same ones (a new provider release adding one makes this fail: add it).
    table = {region for regions in KNOWN_REGIONS.values() for region in regions}
    assert table == {r.value for r in pulumi_aws.Region}


@pytest.mark.parametrize(
    ("partition", "regions"), sorted(KNOWN_REGIONS.items()), ids=sorted(KNOWN_REGIONS)
)
def test_every_known_region_falls_in_its_partition(partition, regions):
    for region in regions:
        found = partition_of(region)
        assert found is not None, region
        assert found.id == partition, region


@pytest.mark.parametrize(
    ("region", "partition", "suffix"),
    [
        ("eusc-de-east-1", "aws-eusc", "amazonaws.eu"),
        ("cn-northwest-1", "aws-cn", "amazonaws.com.cn"),
        ("us-gov-east-1", "aws-us-gov", "amazonaws.com"),
        ("us-isof-south-1", "aws-iso-f", "csp.hci.ic.gov"),
        ("eu-isoe-west-1", "aws-iso-e", "cloud.adc-e.uk"),
        # Well formed but unknown to this table: a region AWS opens later is not a false alarm.
        ("eu-south-3", "aws", "amazonaws.com"),
        ("ap-northwest-9", "aws", "amazonaws.com"),
    ],
)
def test_partition_and_dns_suffix_of_a_region(region, partition, suffix):
    found = partition_of(region)
    assert found is not None
    assert (found.id, found.dns_suffix) == (partition, suffix)
    assert PARTITION_BY_ID[partition] is found


@pytest.mark.parametrize("region", ["s3", "xx-east-1", "us-east", "us-east-1a", "US-EAST-1", ""])
def test_what_is_not_a_region(region):
    assert partition_of(region) is None
