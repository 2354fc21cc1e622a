#!/usr/bin/env bash
# Installs what the build and tests need beyond JDK 17 and Maven (Debian/Ubuntu):
# - wrk, the HTTP load generator the benchmark (and its smoke test) drive the platform with;
# - iptables, with which the network-split test cuts member processes apart on loopback
#   addresses (it needs root; without root it is skipped).
set -euo pipefail
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  SUDO="sudo"
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}"
