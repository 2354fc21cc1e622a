#!/usr/bin/env bash
# Builds the platform and runs it on this machine, on 127.0.0.1: a grid member, an API
# node and a demo sale. Ctrl-C stops it. API settings can be overridden as usual with
# FLASHSALE_* variables (for example FLASHSALE_HTTP_PORT=9090 ./demo.sh).
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -B install -DskipTests
exec mvn -q -B -pl demo exec:exec
