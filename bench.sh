#!/usr/bin/env bash
# The hot-sale benchmark: builds, starts the platform on 127.0.0.1 as the demo does, drives it
# with wrk and prints throughput, latency and correctness per scenario, with the ratio to the
# API node's trivial endpoint measured in the same run. Results: bench/target/bench/results.{md,json}.
# ./bench.sh --smoke runs each scenario for a second or so; ./bench.sh --only crowd keeps the
# baseline and the scenarios named so. ./bench.sh --grid-scaling [seconds] measures the grid
# step alone (ReserveStock from one client) on 1, 2 and 3 members. ./bench.sh --micro [jmh
# options] runs the JMH microbenchmarks (entry processor, serialization; about 4 minutes),
# results in bench/target/bench/micro.json.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh
mvn -q -B install -DskipTests
if [ "${1:-}" = "--grid-scaling" ]; then
  exec mvn -q -B -pl bench exec:exec -Dbench.main=dev.flashsale.bench.GridStepScaling -Dbench.args="${2:-10}"
fi
if [ "${1:-}" = "--micro" ]; then
  shift
  exec mvn -q -B -pl bench exec:exec -Dbench.main=dev.flashsale.bench.micro.Micro -Dbench.args="$*"
fi
exec mvn -q -B -pl bench exec:exec -Dbench.args="$*"
