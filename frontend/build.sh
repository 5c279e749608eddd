#!/usr/bin/env bash
# Build the GOV.UK Frontend assets Coproduce serves into core/static/govuk/ (build output, not in git):
#   govuk-frontend.min.css  compiled from src/govuk-frontend.scss: system fonts, theme-neutral colours
#   govuk-frontend.min.js   GOV.UK Frontend's ES module, as published
#   NOTICE.txt              where these files come from and their licence (MIT)
# No fonts, crown, crest, GOV.UK icons or manifest are copied: Coproduce uses none of them.
# Also Leaflet's dist files into core/static/leaflet/ (build output, not in git), for the initiatives map,
# and brotli and gzip copies of every static file (build output, not in git; core/assets.py serves them).
# Idempotent and quick when nothing changed; run from anywhere: bash frontend/build.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
out="$repo/core/static/govuk"
stamp="$out/.build-stamp"

say() { echo "frontend: $*"; }
fail() { echo "frontend/build.sh: $*" >&2; exit 1; }

inputs_hash() {
  cat "$here/package.json" "$here/src/govuk-frontend.scss" "$here/build.sh" \
    "$here/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1
}

leaflet_out="$repo/core/static/leaflet"
compress_static() {
  # Brotli and gzip copies of core's and the plugins' static files, remade when a file changed (compress.js).
  if command -v node >/dev/null 2>&1; then
    node "$here/compress.js" "$repo/core/static" "$repo"/plugins/*/static
  else
    say "Node.js is not installed: static files are served uncompressed"
  fi
}
if [[ -f "$stamp" && -f "$out/govuk-frontend.min.css" && -f "$out/govuk-frontend.min.js" \
      && -f "$leaflet_out/leaflet.js" && "$(cat "$stamp")" == "$(inputs_hash)" ]]; then
  say "GOV.UK Frontend assets are up to date"
  compress_static
  exit 0
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  fail "Node.js 18+ and npm are needed to build the GOV.UK Frontend assets; install them (Debian or Ubuntu: apt-get install nodejs npm) and run it again"
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 18 )); then
  fail "Node.js 18 or newer is needed to build the GOV.UK Frontend assets (this is $(node --version))"
fi

cd "$here"
deps_stamp="node_modules/.coproduce-deps"
deps_hash() { cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1; }
if [[ ! -f "$deps_stamp" || "$(cat "$deps_stamp")" != "$(deps_hash)" ]]; then
  if [[ -f package-lock.json ]]; then
    say "installing GOV.UK Frontend and Sass (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null || fail "npm ci failed in $here (see npm's messages above)"
  else
    say "installing GOV.UK Frontend and Sass (npm install: no package-lock.json yet)"
    npm install --no-audit --no-fund --loglevel=error >/dev/null || fail "npm install failed in $here (see npm's messages above)"
  fi
  deps_hash >"$deps_stamp"
fi

package="node_modules/govuk-frontend/dist/govuk"
version="$(node -p 'require("./node_modules/govuk-frontend/package.json").version')"
[[ "$version" == "6.3.0" ]] || fail "govuk-frontend $version is installed but Coproduce needs exactly 6.3.0 (see frontend/package.json)"

mkdir -p "$(dirname "$out")"
work="$(mktemp -d "$(dirname "$out")/.govuk-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

say "compiling GOV.UK Frontend $version Sass with system fonts"
node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
  src/govuk-frontend.scss "$work/govuk-frontend.min.css" || fail "Sass could not compile src/govuk-frontend.scss"
if grep -q "GDS Transport" "$work/govuk-frontend.min.css"; then
  fail "the compiled CSS still names GDS Transport, a font only GOV.UK may use"
fi

# The published module ends with a sourceMappingURL to a map we do not serve: drop it.
sed -e 's|//# sourceMappingURL=[^ ]*$||' "$package/govuk-frontend.min.js" >"$work/govuk-frontend.min.js"
node -e '
  const p = require("./node_modules/govuk-frontend/package.json");
  console.log(`govuk-frontend.min.css and govuk-frontend.min.js are built from ${p.name} ${p.version}`);
  console.log(`(${p.repository.url.replace(/^git\+/, "")}), licence: ${p.license}.`);
  console.log("Built by frontend/build.sh in the Coproduce repository; do not edit.");
' >"$work/NOTICE.txt"

inputs_hash >"$work/.build-stamp"
chmod 755 "$work"
chmod 644 "$work"/*
rm -rf "$out"
mv "$work" "$out"
trap - EXIT

leaflet="node_modules/leaflet/dist"
leaflet_version="$(node -p 'require("./node_modules/leaflet/package.json").version')"
[[ "$leaflet_version" == "1.9.4" ]] || fail "leaflet $leaflet_version is installed but Coproduce needs exactly 1.9.4 (see frontend/package.json)"
rm -rf "$leaflet_out"
mkdir -p "$leaflet_out/images"
sed -e 's|//# sourceMappingURL=[^ ]*$||' "$leaflet/leaflet.js" >"$leaflet_out/leaflet.js"
cp "$leaflet/leaflet.css" "$leaflet_out/leaflet.css"
cp "$leaflet"/images/*.png "$leaflet_out/images/"
cp node_modules/leaflet/LICENSE "$leaflet_out/LICENSE.txt"
chmod 644 "$leaflet_out"/*.* "$leaflet_out"/images/*
say "copied Leaflet $leaflet_version to core/static/leaflet/"
say "built core/static/govuk/ ($(( $(wc -c <"$out/govuk-frontend.min.css") / 1024 )) KB of CSS)"
compress_static
