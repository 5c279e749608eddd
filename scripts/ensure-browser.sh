#!/usr/bin/env bash
# Headless Chromium from Debian's packages for the browser tests (Playwright drives it).
# Installs it when missing and we are root; otherwise says how, and the browser tests fail with that reason.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium from Debian's packages for the browser tests (about a minute)..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  echo "Chromium installed: $(/usr/bin/chromium --version 2>/dev/null | tail -n 1)"
else
  echo "Chromium is missing: install it with 'sudo apt-get install chromium' to run the browser tests." >&2
fi
