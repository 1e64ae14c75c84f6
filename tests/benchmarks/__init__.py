"""Benchmark scripts: run ``python -m tests.benchmarks.bench_NAME`` (pytest skips them)."""
