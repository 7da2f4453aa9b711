#!/usr/bin/env bash
# Reproduce src/opora/web/static/vendor/ from the npm registry (the workplace runs offline: no CDN).
#
# Versions follow what Vega-Altair expects: altair.SCHEMA_VERSION is the Vega-Lite version,
# altair.vegalite.v6.display.VEGA_VERSION / VEGAEMBED_VERSION the major versions of Vega and
# Vega-Embed. htmx stays on 2.x (htmx 4 changed inheritance and error swapping, see
# ARCHITECTURE.md). Change a version here, run the script, and update vendor/README.md.
#
# Only the minified browser builds and the licences are copied. The trailing
# `//# sourceMappingURL=` comments are removed: the .map files are not vendored, and Django's
# ManifestStaticFilesStorage refuses a referenced source map that does not exist.
set -euo pipefail
cd "$(dirname "$0")/.."

HTMX=2.0.11
VEGA=6.4.0
VEGA_LITE=6.4.1
VEGA_EMBED=7.3.0

dest=src/opora/web/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch PACKAGE VERSION -> unpacked into $work/PACKAGE
  local package=$1 version=$2
  (cd "$work" && npm pack --silent "$package@$version" >/dev/null)
  mkdir -p "$work/$package"
  tar xzf "$work/$package-$version.tgz" -C "$work/$package"
}

copy() {  # copy PACKAGE PATH-IN-PACKAGE TARGET-NAME
  local package=$1 path=$2 target=$3
  sed '/^\/\/# sourceMappingURL=/d' "$work/$package/package/$path" >"$dest/$target"
  cp "$work/$package/package/LICENSE" "$dest/${target%.min.js}.LICENSE.txt"
}

mkdir -p "$dest"
fetch htmx.org "$HTMX"
fetch vega "$VEGA"
fetch vega-lite "$VEGA_LITE"
fetch vega-embed "$VEGA_EMBED"

copy htmx.org dist/htmx.min.js htmx.min.js
copy vega build/vega.min.js vega.min.js
copy vega-lite build/vega-lite.min.js vega-lite.min.js
copy vega-embed build/vega-embed.min.js vega-embed.min.js

(cd "$dest" && sha256sum ./*.js ./*.txt)
