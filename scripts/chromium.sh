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
script=chromium.sh
source "${BASH_SOURCE[0]%/*}/debian-tool.sh"

if [[ -n "${DR_CHROMIUM:-}" ]]; then
  [[ -x "$DR_CHROMIUM" && ! -d "$DR_CHROMIUM" ]] || unavailable "DR_CHROMIUM=$DR_CHROMIUM is not an executable file"
  echo "$DR_CHROMIUM"; exit 0
fi

find_or_install chromium chromium \
  "chromium is not installed (not on PATH) and installing it needs root; install Debian's chromium package, or set DR_CHROMIUM to a Chromium executable" \
  "set DR_CHROMIUM"
