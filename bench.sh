#!/usr/bin/env bash
# The hot-sale benchmark: builds, starts the platform on 127.0.0.1 as the demo does, drives it
# with wrk and prints throughput, latency and correctness per scenario, with the ratio to the
# API node's trivial endpoint measured in the same run. Results: bench/target/bench/results.{md,json}.
# ./bench.sh --smoke runs each scenario for a second or so.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh
mvn -q -B install -DskipTests
exec mvn -q -B -pl bench exec:exec -Dbench.args="$*"
