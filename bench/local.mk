# bench/: benchmarks that print figures (not tests).
