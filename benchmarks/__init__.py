"""Performance benchmarks (`make bench`): each prints figures as ratios to the bare stack, measured
side by side in the same run. Not run in CI."""
