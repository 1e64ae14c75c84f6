"""Hostile and unlucky input: each case generated in its test, run under resource limits."""
