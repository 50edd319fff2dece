#!/usr/bin/env bash
# Set-up of the web parts: the widget's front-end libraries from the npm registry (served locally by
# bot/web, never from a CDN) and, unless --no-browser, the browser tests' npm packages (third-party
# Rasa widgets, axe-core; tests/web/thirdparty), Debian's Chromium and a CJK font.
# Idempotent: when everything is in place it changes and prints nothing.
#   scripts/setup_web.sh               npm packages + Chromium (make test)
#   scripts/setup_web.sh --no-browser  npm packages only (make run)
set -euo pipefail
cd "$(dirname "$0")/.."

browser=1
[ "${1:-}" = "--no-browser" ] && browser=0

# npm_ci FOLDER WHAT: `npm ci` in FOLDER unless its package-lock.json is installed already.
npm_ci() {
  local stamp="$1/node_modules/.installed" want
  want=$(sha256sum "$1/package-lock.json" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    command -v npm >/dev/null || { echo "setup_web: npm is missing (install Node.js 18+)" >&2; exit 1; }
    echo "setup_web: installing $2 ($1/package-lock.json)"
    (cd "$1" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$want" > "$stamp"
  fi
}

npm_ci bot/web "the widget's npm packages"
[ "$browser" = 1 ] || exit 0
npm_ci tests/web/thirdparty "the browser tests' npm packages"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
# Chinese text in the screenshots needs a CJK font; without one it renders as boxes.
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup_web: installing ${missing[*]} from Debian"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
