#!/usr/bin/env bash
# Debian libraries WeasyPrint needs for PDF exports (Pango, HarfBuzz) and fonts for every shipped
# language. Installs what is missing when we are root on Debian; otherwise says how.
set -euo pipefail
needed=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core)
missing=()
for package in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} from Debian's packages (PDF export and fonts)..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  echo "Installed: ${missing[*]}"
else
  echo "PDF export needs: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
fi
