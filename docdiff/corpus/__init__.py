"""Corpus analysis: scan, candidates, clusters, formulae, metadata filters."""
