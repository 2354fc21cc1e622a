#!/usr/bin/env bash
# The randomized fault test on its own, for as long as you like: three grid members in JVMs of
# their own are killed with SIGKILL and restarted while a crowd buys, then every invariant is
# checked. ./nemesis.sh [minutes] [seed]: 20 minutes by default, a new seed each run (it prints
# it; pass it again to replay the same kills). The suite runs the same test for 60 s.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh
minutes="${1:-20}"
seed_arg=()
if [ -n "${2:-}" ]; then
  seed_arg=("-Dnemesis.seed=$2")
fi
mvn -q -B install -DskipTests
exec mvn -B -ntp -pl pipelines test -Dtest=NemesisTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dnemesis.seconds=$((minutes * 60)) "${seed_arg[@]}"
