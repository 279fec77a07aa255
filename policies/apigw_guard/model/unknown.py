"""UNKNOWN: the model's stand-in for a value not known until the update (`pulumi preview`)."""

from __future__ import annotations


class Unknown:
    """Stands for a value that is not known yet (a pool ARN during `pulumi preview`).

    One instance, UNKNOWN, so that checks can compare with `is`.
    """

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN = Unknown()
