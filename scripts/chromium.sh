#!/usr/bin/env bash
# The headless browser the web page tests drive: Debian's `chromium` package, never a browser Playwright downloads.
# Prints the executable's path on stdout. Installs the package with apt when it is missing and this runs as root.
#
#   scripts/chromium.sh          install if needed (root), print the executable path
#
# DR_CHROMIUM=/path/to/chromium   use that executable instead (nothing is installed)
#
# Exit codes: 0 the path is printed; 3 this machine cannot provide Chromium (one line on stderr says why and how to
# provide it; the tests skip on it unless CI is set); anything else is a fault in this script or the machine.
# Only bash builtins decide availability, so the tests can run this with PATH emptied, as another user.
set -euo pipefail

unavailable() { echo "chromium.sh: $*" >&2; exit 3; }

if [[ -n "${DR_CHROMIUM:-}" ]]; then
  [[ -x "$DR_CHROMIUM" && ! -d "$DR_CHROMIUM" ]] || unavailable "DR_CHROMIUM=$DR_CHROMIUM is not an executable file"
  echo "$DR_CHROMIUM"; exit 0
fi

if found="$(command -v chromium)"; then echo "$found"; exit 0; fi

if (( EUID != 0 )); then
  unavailable "chromium is not installed (not on PATH) and installing it needs root; install Debian's chromium package, or set DR_CHROMIUM to a Chromium executable"
fi

echo "chromium.sh: installing chromium from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; } >&2; then
  unavailable "apt-get install chromium failed (see the apt output above); install it by hand or set DR_CHROMIUM"
fi
found="$(command -v chromium)" || unavailable "apt-get installed chromium but no chromium is on PATH"
echo "$found"
