"""The one error the engines raise: a brief that cannot produce a plan."""

from __future__ import annotations


class PlanningError(ValueError):
    """The brief cannot produce a plan; str() is '<field>: <what>'."""
