#!/usr/bin/env bash
# Headless Chromium from Debian's packages, and fonts for every shipped language, for the browser tests.
# Installs what is missing when we are root on Debian; otherwise says how (the browser tests then fail with that reason).
set -euo pipefail
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium fonts-dejavu-core)
fc-list 2>/dev/null | grep -q "Noto Naskh Arabic" || missing+=(fonts-noto-core)
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} from Debian's packages for the browser tests (a minute or two)..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  echo "Installed: ${missing[*]}"
else
  echo "Missing for the browser tests: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
fi
