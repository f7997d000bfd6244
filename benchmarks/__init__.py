"""What a nurse feels, as ratios to this machine's own limits measured in the same run (issue 15).

Run with ``tools/run-benchmarks [--patients N]``; see :mod:`benchmarks.run`.
"""
