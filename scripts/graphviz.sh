#!/usr/bin/env bash
# Graphviz's `dot`, which draws the SVG diagrams (`route --format svg`, `proposal graph --format svg`, the service's
# diagrams, the rendered examples in docs/diagrams): Debian's `graphviz` package. Prints the executable's path on
# stdout. Installs the package with apt when it is missing and this runs as root.
#
#   scripts/graphviz.sh          install if needed (root), print the path of dot
#
# There is no override: the CLI and the service find `dot` on PATH, so the tests must find the same one.
#
# Exit codes: 0 the path is printed; 3 this machine cannot provide Graphviz (one line on stderr says why and how to
# provide it; the tests skip on it unless CI is set); anything else is a fault in this script or the machine.
set -euo pipefail

unavailable() { echo "graphviz.sh: $*" >&2; exit 3; }

if found="$(command -v dot)"; then echo "$found"; exit 0; fi

if (( EUID != 0 )); then
  unavailable "Graphviz's dot is not installed (not on PATH) and installing it needs root; install Debian's graphviz package (or put a dot on PATH)"
fi

echo "graphviz.sh: installing graphviz from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends graphviz; } >&2; then
  unavailable "apt-get install graphviz failed (see the apt output above); install it by hand"
fi
found="$(command -v dot)" || unavailable "apt-get installed graphviz but no dot is on PATH"
echo "$found"
