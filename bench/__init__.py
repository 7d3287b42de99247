"""Benchmarks: run with `python3 dev.py bench` (or `python -m bench`); they print medians."""
