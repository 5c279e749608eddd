#!/usr/bin/env bash
# Debian packages the site and its tests need: the libraries WeasyPrint needs for PDF exports (Pango,
# HarfBuzz), fonts for every shipped language, and PgBouncer (tests/test_pgbouncer.py runs the site through
# it). Installs what is missing when we are root on Debian; otherwise says how.
set -euo pipefail
needed=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core pgbouncer)
missing=()
for package in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} from Debian's packages (PDF export, fonts, PgBouncer for the tests)..."
  apt-get update -qq >/dev/null
  # Installed for its program only: the tests start their own PgBouncer, never the system's service.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  if [[ " ${missing[*]} " == *" pgbouncer "* ]] && command -v service >/dev/null 2>&1; then
    service pgbouncer stop >/dev/null 2>&1 || true
  fi
  echo "Installed: ${missing[*]}"
else
  echo "Missing Debian packages: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
fi
