"""The reporting half: bench/RESULTS.md from the figures the measuring half returned (or results.json)."""
