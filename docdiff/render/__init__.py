"""Renderers: every output format is a pure function of a Report."""
