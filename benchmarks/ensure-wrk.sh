#!/usr/bin/env bash
# wrk drives the web figures of `make bench` (a bounded load from another process). Installs it from
# Debian's packages when we are root on Debian; otherwise says how.
set -euo pipefail
command -v wrk >/dev/null 2>&1 && exit 0
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing wrk from Debian's packages (the load generator of make bench)..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
else
  echo "make bench needs wrk: sudo apt-get install wrk" >&2
  exit 1
fi
