"""Socialplan tests."""
