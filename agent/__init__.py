"""Socialplan: plans a social-media strategy from a brief and shows its working."""

__version__ = "0.1.0"
