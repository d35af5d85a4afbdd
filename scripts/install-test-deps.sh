#!/usr/bin/env bash
# Installs what the differential tests need from Debian's packages, only when something is missing.
# Run as root (CI is); elsewhere it says what is missing and the tests that need it skip.
set -euo pipefail
need=()
command -v gcc >/dev/null || need+=(gcc)
command -v objcopy >/dev/null || need+=(binutils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing test prerequisites: ${need[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
  else
    echo "warning: missing ${need[*]}; tests that need them will be skipped" >&2
  fi
fi
