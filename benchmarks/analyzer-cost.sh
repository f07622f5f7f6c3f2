#!/usr/bin/env bash
# What the analyzer adds to a partner's build: a partner project with 1,000 generated rules, built with its rule files
# passed to the analyzer and without (DecisionRoutingRuleFiles=none: the analyzer loads but has nothing to check),
# alternating, in the same run. Prints each build's time and the ratio of the medians.
#   bash benchmarks/analyzer-cost.sh [rounds]          warm: the compiler server keeps the analyzer's cache
#   COLD=1 bash benchmarks/analyzer-cost.sh [rounds]   cold: every build starts a fresh compiler
#   TREE=1 bash benchmarks/analyzer-cost.sh [rounds]   the repository's whole rules tree (england and the five
#                                                       partnerships) instead of the 1,000 generated rules
# Every build passes -p:ReportAnalyzer=true; the DecisionRouting analyzers' own reported time (the compiler's analyzer
# report, their assembly's line) is printed per build with rule files, next to the builds' wall times.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-5}
work=$(mktemp -d /tmp/dr-analyzer-cost.XXXXXX)
trap 'rm -rf "$work"' EXIT
version="0.1.0-cost.$(date +%s)"
dotnet pack "$repo/src/DecisionRouting" -c Release -o "$work/feed" -p:Version="$version" >/dev/null

mkdir -p "$work/partner/rules/generated"
cat > "$work/partner/nuget.config" <<XML
<configuration><packageSources><add key="local" value="$work/feed" /></packageSources></configuration>
XML
cat > "$work/partner/Partner.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageReference Include="DecisionRouting" Version="$version" /></ItemGroup>
</Project>
XML
step=s1
[[ -n "${TREE:-}" ]] && step=public-involvement
cat > "$work/partner/Uses.cs" <<CS
public static class Uses { public static bool Check(DecisionRouting.Routing.RoutingPlan plan) => plan.Requires("$step"); }
CS
if [[ -n "${TREE:-}" ]]; then
  rm -rf "$work/partner/rules" && cp -r "$repo/rules" "$work/partner/rules"
else
python3 - "$work/partner/rules/generated" <<'PY'
import json, random, sys
out = sys.argv[1]; random.seed(1000)
fields = ["proposal.FinancialCommitment >= {n}", "proposal.Savings < {n}", "proposal.WardsAffected >= {k}", "proposal.StaffAffected > {k}",
          "proposal.Has(ProposalKind.S75Agreement)", "proposal.DecisionMaker == DecisionMaker.Cabinet", "proposal.Urgent", "!proposal.AllWards",
          "proposal.IntendedDecisionDate >= LocalDate(2015, 4, 1)", "proposal.Attributes.Flag(\"f{k}\")"]
json.dump({"name": "generated"}, open(f"{out}/ruleset.json", "w"))
json.dump({"roles": [{"id": "officer", "name": "Officer"}], "steps": [{"id": f"s{i}", "name": f"Step {i}", "kind": "SignOff", "role": "officer"} for i in range(20)]}, open(f"{out}/catalogue.json", "w"))
for w in range(20):
    rules = []
    for r in range(50):
        parts = [random.choice(fields).format(n=random.randint(0, 10**6), k=random.randint(0, 9)) for _ in range(random.randint(1, 3))]
        rules.append({"RuleName": f"R{w}_{r}", "Expression": random.choice([" && ", " || "]).join(parts), "Properties": {"steps": [f"s{random.randint(0, 19)}"], "source": "generated"}})
    json.dump({"WorkflowName": f"w{w}", "Rules": rules}, open(f"{out}/w{w}.rules.json", "w"), indent=1)
PY
fi

cd "$work/partner"
dotnet restore >/dev/null
dotnet build --no-restore >/dev/null 2>&1 || true   # warm the SDK and build server caches
build() { local start end; start=$(date +%s%N); dotnet build --no-restore --no-incremental -nologo -v:d -p:ReportAnalyzer=true ${COLD:+--disable-build-servers} "$@" >"$work/build.log"; end=$(date +%s%N); echo $(( (end - start) / 1000000 )); }
# The seconds the compiler's analyzer report gives the DecisionRouting analyzers (their assembly's line).
analyzers() { grep -E '^ *[0-9.<]+ +[0-9<]+ +DecisionRouting\.Analyzers, ' "$work/build.log" | awk '{ s += ($1 == "<0.001" ? 0 : $1) } END { printf "%.3f", s }'; }
with=(); without=(); reported=()
for i in $(seq "$rounds"); do
  without+=("$(build -p:DecisionRoutingRuleFiles=none)")
  with+=("$(build)")
  reported+=("$(analyzers)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
mw=$(median "${with[@]}"); mo=$(median "${without[@]}")
echo "builds without rule files (ms): ${without[*]}"
echo "builds with rule files    (ms): ${with[*]}"
echo "DecisionRouting analyzers' reported time in those builds (s): ${reported[*]}"
echo "median without: $mo ms; median with: $mw ms; ratio: $(awk -v a="$mw" -v b="$mo" 'BEGIN { printf "%.3f", a / b }') (added: $(awk -v a="$mw" -v b="$mo" 'BEGIN { printf "%.1f", (a / b - 1) * 100 }')%)"
echo "the last build's analyzer report, DecisionRouting lines:"
grep -E 'DecisionRouting\.Analyzers' "$work/build.log" | grep -E '^ *[0-9.<]' | sed 's/^ */  /' | head -8
