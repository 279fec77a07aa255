"""A deferred output that is resolved on every path out of a block, failures included.

`pulumi.deferred_output()` breaks a cycle between resources at the value level, but one that is
never resolved keeps every resource waiting on it, so the program hangs and the error that
skipped the resolution is never shown (https://github.com/pulumi/pulumi/issues/18559). Wrapping
everything from its creation to its resolution in one block makes that impossible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import pulumi

T = TypeVar("T")


class UnresolvedDeferredOutputError(RuntimeError):
    """The block ended normally without resolving its deferred output (a bug in the caller)."""


def failed_output(err: BaseException) -> pulumi.Output[T]:
    """An output whose value is the exception `err`, so whatever waits on it fails with `err`."""

    def fail(_: object) -> T:
        raise err

    return pulumi.Output.from_input(None).apply(fail)


@contextmanager
def deferred_output_block(
    value_type: type[T],
) -> Iterator[tuple[pulumi.Output[T], Callable[[pulumi.Input[T]], None]]]:
    """Yield `(output, resolve)`; on leaving the block the output is resolved, come what may.

    `value_type` only tells the type checker what the output carries. An exception inside the
    block resolves the output with that exception and propagates it; a block that ends without
    calling `resolve` resolves it with, and raises, `UnresolvedDeferredOutputError`.
    """
    output: pulumi.Output[T]
    resolve_deferred: Callable[[pulumi.Output[T]], None]
    output, resolve_deferred = pulumi.deferred_output()
    resolved = False

    def resolve(value: pulumi.Input[T]) -> None:
        nonlocal resolved
        resolve_deferred(pulumi.Output.from_input(value))
        resolved = True

    try:
        yield output, resolve
    except BaseException as err:
        if not resolved:
            resolve_deferred(failed_output(err))
        raise
    if not resolved:
        unresolved = UnresolvedDeferredOutputError("the deferred output was never resolved")
        resolve_deferred(failed_output(unresolved))
        raise unresolved
