#!/usr/bin/env bash
# Install the Debian packages the tests need (LibreOffice for redline verification, Chromium for
# the pane's end-to-end test, nginx for the config check, openssl for the dev certificate).
# Idempotent: does nothing when everything is already there. Needs root (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."

want=(openssl)
for list in tests/lo/apt-packages.txt tests/pane/apt-packages.txt deploy/apt-packages.txt; do
  [ -f "$list" ] && while read -r pkg; do [ -n "${pkg%%#*}" ] && want+=("${pkg%%#*}"); done < "$list"
done
missing=()
for pkg in "${want[@]}"; do
  pkg=$(echo "$pkg" | xargs)
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present (${want[*]})"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
