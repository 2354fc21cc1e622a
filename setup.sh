#!/usr/bin/env bash
# Installs what the build and tests need beyond JDK 17 and Maven: wrk, the HTTP load
# generator the benchmark (and its smoke test) drive the platform with. Debian/Ubuntu.
set -euo pipefail
if command -v wrk >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  SUDO="sudo"
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq wrk
