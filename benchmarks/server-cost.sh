#!/usr/bin/env bash
# What the reference service (src/DecisionRouting.Server) costs against a bare minimal-API app, in the same run:
# start-up (process start to the first healthy /health, alternating service and bare app) and requests/s for
# POST /api/route and a sign-off fire on SQLite against a bare GET returning a constant. Prints the ratios.
#   bash benchmarks/server-cost.sh [rounds] [requests] [concurrency]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dotnet build "$repo/benchmarks/DecisionRouting.ServerCost" -c Release -v q >/dev/null
exec dotnet "$repo/benchmarks/DecisionRouting.ServerCost/bin/Release/net10.0/DecisionRouting.ServerCost.dll" measure \
  "$repo/src/DecisionRouting.Server/bin/Release/net10.0/DecisionRouting.Server.dll" \
  "$repo/samples/proposals/croydon-2013-integrated-commissioning-unit.json" \
  "$repo/rules/partnerships/croydon" "${1:-5}" "${2:-1000}" "${3:-4}"
