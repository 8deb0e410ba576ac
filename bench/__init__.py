"""Benchmarks: ``make bench`` (load, side by side with nginx), ``make
bench-render`` (in-process render times) and the big-site generator."""
