#!/usr/bin/env bash
# Prepares a machine for `python -m benchmarks`: nginx for the transport and paging
# suites (they fall back to a slower raw Python server without it) and the "bench"
# extra (the official client, requests, httpx, urllib3, aiohttp).
#
#   bash benchmarks/setup.sh            # as root (or with sudo available)
#
# nginx is only installed, never started as a service: each suite runs it as its own
# child process on a free 127.0.0.1 port and stops it when done.
set -euo pipefail

cd "$(dirname "$0")/.."

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    SUDO=""
    if [ "$(id -u)" != "0" ]; then
        SUDO="sudo"
    fi
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y nginx
fi
# The Debian package may start a system-wide nginx; the benchmarks do not need it.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
    echo "note: a system nginx service is running; the benchmarks start their own"
fi

PYTHON="${PYTHON:-python}"
"$PYTHON" -m pip install -e ".[bench]"
