"""`make bench`: every bench/bench_*.py module contributes rows; results go to bench/results.json."""
