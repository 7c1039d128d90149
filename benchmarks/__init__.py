"""Benchmarks of geo against baselines measured in the same run (see README)."""
