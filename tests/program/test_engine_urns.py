"""The engine's URN and alias rules as `offline_engine.urns` ports them (no process needed)."""

from __future__ import annotations

from offline_engine.urns import AliasResolver, AliasSpec, Registration, create_urn, new_urn

STACK_URN = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev"


def test_the_root_stack_type_never_appears_in_a_child_urn() -> None:
    comp = new_urn("dev", "proj", STACK_URN, "pkg:index:C", "c")
    assert comp == "urn:pulumi:dev::proj::pkg:index:C::c"
    inner = new_urn("dev", "proj", comp, "pkg:index:Inner", "i")
    leaf = new_urn("dev", "proj", inner, "aws:s3/bucket:Bucket", "b")
    # The whole qualified type chain of the parent is kept.
    assert leaf == "urn:pulumi:dev::proj::pkg:index:C$pkg:index:Inner$aws:s3/bucket:Bucket::b"


def test_create_urn_takes_the_parent_urn_up_to_its_name() -> None:
    parent = "urn:pulumi:dev::proj::pkg:index:C::c"
    assert create_urn("b", "aws:s3/bucket:Bucket", parent, "proj", "dev") == (
        "urn:pulumi:dev::proj::pkg:index:C$aws:s3/bucket:Bucket::b"
    )
    assert create_urn("b", "t:m:T", "", "other", "prod") == "urn:pulumi:prod::other::t:m:T::b"


def test_a_renamed_parent_renames_the_prefix_of_its_childrens_aliases() -> None:
    """The example in step_generator.go's inheritedChildAlias comment."""
    olds = {
        "urn:pulumi:dev::proj::awsx:ec2:Vpc::app",
        "urn:pulumi:dev::proj::awsx:ec2:Vpc$aws:ec2/vpc:Vpc::app-function",
    }
    resolver = AliasResolver(stack="dev", project="proj", olds=frozenset(olds))
    vpc_urn, vpc_old = resolver.register(
        Registration("awsx:ec2:Vpc", "newapp", STACK_URN, (AliasSpec(name="app"),))
    )
    assert vpc_old == "urn:pulumi:dev::proj::awsx:ec2:Vpc::app"
    child = Registration("aws:ec2/vpc:Vpc", "newapp-function", vpc_urn)
    _, child_old = resolver.register(child)
    assert child_old == "urn:pulumi:dev::proj::awsx:ec2:Vpc$aws:ec2/vpc:Vpc::app-function"


def test_no_parent_alias_and_explicit_parent() -> None:
    resolver = AliasResolver(stack="dev", project="proj")
    reg = Registration(
        "t:m:T",
        "x",
        "urn:pulumi:dev::proj::pkg:index:C::c",
        (AliasSpec(no_parent=True), AliasSpec(parent_urn="urn:pulumi:dev::proj::pkg:index:D::d")),
    )
    assert resolver.generate_aliases(reg) == [
        "urn:pulumi:dev::proj::t:m:T::x",
        "urn:pulumi:dev::proj::pkg:index:D$t:m:T::x",
    ]


def test_a_parent_that_matched_an_alias_is_the_old_parent_of_its_childs_alias() -> None:
    # A child that moves to another parent names the new parent; if that parent took over an
    # old URN through an alias, the child's alias is under that old URN (collapseAliasToUrn).
    old_parent = "urn:pulumi:dev::proj::old:m:Identity::m2m"
    old_child = "urn:pulumi:dev::proj::old:m:Identity$aws:cognito/x:X::m2m-x"
    resolver = AliasResolver(stack="dev", project="proj", olds=frozenset({old_parent, old_child}))
    parent, _ = resolver.register(
        Registration("new:index:Whole", "m2m", STACK_URN, (AliasSpec(type="old:m:Identity"),))
    )
    nested, _ = resolver.register(Registration("new:index:Api", "m2m", parent))
    _, taken = resolver.register(
        Registration("aws:cognito/x:X", "m2m-x", nested, (AliasSpec(parent_urn=parent),))
    )
    assert taken == old_child
