"""`make bench`: each bench/bench_*.py module adds rows; results go to bench/results.json."""
