"""On-demand performance measurements, each against a baseline measured in the same run.

    python -m tests.benchmarks [--quick] [--only NAME ...] [--markdown]

Not collected by pytest: ``tests/benchmarks`` is in ``norecursedirs`` and the files are
named ``bench_*.py``. Each ``bench_*.py`` also runs on its own (``python -m
tests.benchmarks.bench_mask``) and exposes ``rows(quick=False) -> list[Row]``.
"""
