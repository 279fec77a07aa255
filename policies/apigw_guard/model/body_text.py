"""Reading a body's JSON or YAML text strictly: what parsers may read differently is refused.

A duplicate key (Python keeps the last value, API Gateway's importer may keep the first) and a
YAML alias or merge key that supplies security (`yaml_aliases`) could show this pack a protected
operation and API Gateway an open one, so both fail closed. The program (and the component
package) reads its own spec with this reader too (`provider/secured_m2m_api/spec_reader.py`),
with YAML aliases allowed: it sends API Gateway canonical JSON, in which they are already
expanded.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from .document import SpecError, first_line
from .yaml_aliases import ALIAS_FIX, alias_faults


class _DuplicateKeyError(ValueError):
    def __init__(self, key: Any) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key = key


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Cheapest duplicate check json offers: one dict build and a length comparison per object.
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return obj


# libyaml's parser where PyYAML was built with it (about three times faster on a 4 MB spec:
# bench/program_build.py), else the pure-Python one. The strictness below is the constructor's
# and the node walk's, which both parsers feed alike (tests/components/test_spec_reader.py runs
# every strict case on both).
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that refuses a mapping with the same key twice (merge keys `<<` excepted)."""


def _construct_unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # merged keys may be overridden explicitly; that is what merge is for
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool):
            continue
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_unique_mapping,
)


def parse_body_text(text: str, source: str = "<body>", *, allow_aliases: bool = False) -> Any:
    """Parse JSON or YAML text the way a policy must: refusing what parsers may read differently.

    It returns the raw value without validating it (`document.validate_document` does), drops
    a leading byte-order mark, and rejects a mapping with a duplicate key: Python keeps the
    last value, but another parser (API Gateway's importer) may keep the first, so a body
    could show this pack a protected operation and API Gateway an open one. `allow_aliases` is
    for a caller that never hands the YAML on (the program sends API Gateway canonical JSON, in
    which aliases and merge keys are already expanded); a body is always read without it.
    """
    text = text.removeprefix("\ufeff")
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs)
    except _DuplicateKeyError as err:
        raise SpecError(f"{source}: {err}; {_DUPLICATE_FIX}") from None
    except ValueError:
        pass
    try:
        return _load_yaml_strictly(text, source, allow_aliases=allow_aliases)
    except yaml.constructor.ConstructorError as err:
        if "duplicate key" in str(err.problem):
            raise SpecError(f"{source}: {err.problem}; {_DUPLICATE_FIX}") from None
        raise SpecError(f"{source}: not valid YAML ({first_line(err)})") from None
    except yaml.YAMLError as err:
        raise SpecError(
            f"{source}: not valid JSON or YAML ({first_line(err)}); "
            "expected an OpenAPI 2.0 or 3.x document"
        ) from None


def _load_yaml_strictly(text: str, source: str, *, allow_aliases: bool = False) -> Any:
    """Load YAML with `_UniqueKeyLoader`, refusing aliases or merge keys that carry security.

    The node graph is checked before it is constructed (construction flattens merge keys and
    shares aliased nodes, after which neither can be seen). The check runs only when the text
    could hold an anchor or a merge key, so plain YAML pays nothing for it.
    """
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if not allow_aliases and ("&" in text or "<<" in text or "merge" in text):
            faults = alias_faults(node)
            if faults:
                more = f"; and {len(faults) - 5} more" if len(faults) > 5 else ""
                raise SpecError(f"{source}: {'; '.join(faults[:5])}{more}; {ALIAS_FIX}")
        return loader.construct_document(node)
    finally:
        loader.dispose()


_DUPLICATE_FIX = (
    "parsers disagree on which value wins (Python keeps the last, others the first), so the "
    "pack cannot tell which security API Gateway applies; remove the duplicate"
)
