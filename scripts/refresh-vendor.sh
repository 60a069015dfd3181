#!/usr/bin/env bash
# Refresh the vendored front-end files (NL Design System CSS, htmx) from the npm registry.
# Usage: scripts/refresh-vendor.sh   (needs node/npm; the site itself never needs them)
# Bump a version below, run this script, review the diff and commit it.
set -euo pipefail
UTRECHT_CSS=9.0.4          # @utrecht/component-library-css
VOORBEELD_TOKENS=7.4.1     # @nl-design-system-unstable/voorbeeld-design-tokens
HTMX=2.0.8                 # htmx.org

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/src/stagekans/core/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "@utrecht/component-library-css@$UTRECHT_CSS" \
  "@nl-design-system-unstable/voorbeeld-design-tokens@$VOORBEELD_TOKENS" "htmx.org@$HTMX" >/dev/null
mkdir -p utrecht tokens htmx "$dest/nlds" "$dest/htmx"
tar xzf utrecht-component-library-css-$UTRECHT_CSS.tgz -C utrecht
tar xzf nl-design-system-unstable-voorbeeld-design-tokens-$VOORBEELD_TOKENS.tgz -C tokens
tar xzf htmx.org-$HTMX.tgz -C htmx
cp utrecht/package/dist/index.css "$dest/nlds/utrecht-components.css"
cp tokens/package/dist/theme.css "$dest/nlds/voorbeeld-theme.css"
cp htmx/package/dist/htmx.min.js "$dest/htmx/htmx.min.js"
for pkg in utrecht tokens htmx; do
  cp "$pkg/package/LICENSE"* "$dest/$( [ $pkg = htmx ] && echo htmx || echo nlds )/LICENSE-$pkg" 2>/dev/null || true
done
cat > "$dest/VERSIONS.txt" <<TXT
@utrecht/component-library-css $UTRECHT_CSS
@nl-design-system-unstable/voorbeeld-design-tokens $VOORBEELD_TOKENS
htmx.org $HTMX
TXT
echo "Vendored files refreshed in $dest"
