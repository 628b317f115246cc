#!/bin/sh
# Install the Debian packages given as arguments, only those missing.
# Quiet when everything is already there; `apt-get update` only when needed.
missing=""
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q $missing >/dev/null 2>&1 || {
  $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q $missing >/dev/null
} || { echo "deps: apt-get install failed for:$missing" >&2; exit 1; }
