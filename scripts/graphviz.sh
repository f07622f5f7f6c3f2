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
script=graphviz.sh
source "${BASH_SOURCE[0]%/*}/debian-tool.sh"

find_or_install dot graphviz \
  "Graphviz's dot is not installed (not on PATH) and installing it needs root; install Debian's graphviz package (or put a dot on PATH)"
