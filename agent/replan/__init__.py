"""Replanning: what changed between two versions of a client's plan, and the history of versions."""
