#!/usr/bin/env bash
# route-batch on one core against two (issue 17): a generated register of N proposals (copies of samples/proposals,
# each with its own id), routed with rules/england by the Release CLI pinned with taskset to CPU 0, then to CPUs 0 and
# 1, alternating, R rounds. Prints every run and the medians: the wall time of the whole process, the routing phase
# route-batch reports ("in N ms"), and the CPU time (user + system) the process used, which a loaded machine
# inflates far less than wall time.
#   bash benchmarks/route-batch-scaling.sh [proposals] [rounds]      default 10000 proposals, 5 rounds
#   CLI=/path/to/decision-routing.dll   use a CLI already built (otherwise it is built in Release into a temp folder)
#   RULES=rules/partnerships/croydon    route with another rule set (default rules/england)
#   FRESH=1                             write each run's plans into a new folder (default: over the previous run's plans)
#   STRACE=1                            also count system calls per proposal (strace -c -f, one run on both cores)
#   VARIANTS="default DOTNET_gcServer=1 DOTNET_gcConcurrent=0"
#                                       compare runtime settings in the same run: each round runs every variant (the
#                                       environment variables it names, comma-separated; "default" sets none) on one
#                                       core and on two, so the variants share the machine's load; each variant gets its
#                                       medians and the median of its rounds' speed-ups (default: "default" only).
#                                       CLI=/path/to/decision-routing.dll in a variant runs that build instead, so an
#                                       earlier commit's CLI can be compared in the same rounds:
#                                       VARIANTS="default CLI=/tmp/old/decision-routing.dll"
#   STATS=1                             print each run's DECISION_ROUTING_BATCH_STATS lines (load, GC, JIT)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
proposals=${1:-10000}
rounds=${2:-5}
rules=$repo/${RULES:-rules/england}
work=$(mktemp -d /tmp/dr-batch-scaling.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [[ -z "${CLI:-}" ]]; then
  dotnet build "$repo/src/DecisionRouting.Cli" -c Release -v q -nologo -o "$work/cli" >/dev/null
  CLI=$work/cli/decision-routing.dll
fi

python3 - "$repo/samples/proposals" "$work/register" "$proposals" <<'PY'
import glob, json, os, sys
source, target, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(target)
samples = [(json.load(open(f))["id"], open(f).read()) for f in sorted(glob.glob(f"{source}/*.json"))]
for n in range(count):
    sample_id, text = samples[n % len(samples)]
    new_id = f"{sample_id}-{n:06d}"
    with open(f"{target}/{new_id}.json", "w") as out:
        out.write(text.replace(f'"id": "{sample_id}"', f'"id": "{new_id}"', 1))
PY

run=0
# One run: prints "wall_ms routing_ms cpu_s". $2 is the variant: "default", or VAR=value[,VAR=value...].
route() {
  local cpus=$1 variant=${2:-default} out=$work/plans start end routing cpu cli=$CLI
  local -a given=() environment=()
  [[ "$variant" != default ]] && IFS=, read -ra given <<<"$variant"
  for setting in "${given[@]}"; do
    if [[ $setting == CLI=* ]]; then cli=${setting#CLI=}; else environment+=("$setting"); fi
  done
  [[ -n "${STATS:-}" ]] && environment+=(DECISION_ROUTING_BATCH_STATS=1)
  run=$((run + 1))
  [[ -n "${FRESH:-}" ]] && out=$work/plans-$run
  start=$(date +%s%N)
  /usr/bin/time -f '%U %S' -o "$work/time" env "${environment[@]}" taskset -c "$cpus" dotnet "$cli" route-batch "$work/register" --rules "$rules" --output "$out" >"$work/stdout" 2>"$work/stderr" || [[ $? == 5 ]]
  end=$(date +%s%N)
  routing=$(sed -n 's/.* in \([0-9]*\) ms\.$/\1/p' "$work/stdout" | head -1)
  grep -q "^Routed $proposals of $proposals " "$work/stdout" || { echo "route-batch did not route every proposal:"; cat "$work/stdout" "$work/stderr"; exit 1; }
  cpu=$(tail -1 "$work/time" | awk '{ printf "%.2f", $1 + $2 }')
  [[ -n "${FRESH:-}" ]] && rm -rf "$out"
  [[ -n "${STATS:-}" ]] && awk -v p="    [$cpus $variant] " '/^stats:/ { print p $0 }' "$work/stderr" >&2
  echo "$(( (end - start) / 1000000 )) $routing $cpu"
}

route 0,1 >/dev/null   # warm the file cache, and write the plans the timed runs write over
read -ra variants <<<"${VARIANTS:-default}"
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
column() { printf '%s\n' "${@:2}" | awk -v c="$1" '{print $c}' | median; }
declare -A one two
for i in $(seq "$rounds"); do
  # Rotate the variants' order each round, and alternate which core count goes first.
  for k in "${!variants[@]}"; do
    v=${variants[$(( (k + i - 1) % ${#variants[@]} ))]}
    if (( (i + k) % 2 )); then a=$(route 0 "$v"); b=$(route 0,1 "$v"); else b=$(route 0,1 "$v"); a=$(route 0 "$v"); fi
    one[$v]+="$a;"; two[$v]+="$b;"
    echo "round $i, $v: 1 core: $a; 2 cores: $b   (wall ms, routing ms, CPU s; load $(cut -d' ' -f1 /proc/loadavg))"
  done
done

for v in "${variants[@]}"; do
  IFS=';' read -ra o <<<"${one[$v]}"; IFS=';' read -ra t <<<"${two[$v]}"
  echo "$v:"
  for c in 1 2 3; do
    name=$(echo "wall_ms routing_ms cpu_s" | cut -d' ' -f"$c")
    m1=$(column "$c" "${o[@]}"); m2=$(column "$c" "${t[@]}")
    if (( c < 3 )); then
      per_round=$(for r in "${!o[@]}"; do awk -v a="$(echo "${o[$r]}" | cut -d' ' -f"$c")" -v b="$(echo "${t[$r]}" | cut -d' ' -f"$c")" 'BEGIN { printf "%.3f\n", a / b }'; done | median)
      echo "  median $name: 1 core $m1, 2 cores $m2, speed-up $(awk -v a="$m1" -v b="$m2" 'BEGIN { printf "%.2f", a / b }')x; median of the rounds' speed-ups $(printf '%.2f' "$per_round")x"
    else
      echo "  median $name: 1 core $m1, 2 cores $m2 (CPU per proposal, 2 cores: $(awk -v a="$m2" -v n="$proposals" 'BEGIN { printf "%.0f", a / n * 1e6 }') us)"
    fi
  done
done
echo "load average during the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ -n "${STRACE:-}" ]]; then
  strace -c -f -o "$work/strace" taskset -c 0,1 dotnet "$CLI" route-batch "$work/register" --rules "$rules" --output "$work/plans" >/dev/null 2>&1 || true
  echo "system calls per proposal (strace -c -f, 2 cores, over the previous plans):"
  awk -v n="$proposals" '$NF ~ /^[a-z_0-9]+$/ && $NF != "total" && $4 ~ /^[0-9]+$/ { printf "  %-16s %8.2f\n", $NF, $4 / n; total += $4 } END { printf "  %-16s %8.2f\n", "total", total / n }' "$work/strace" | sort -k2 -rn | head -16
fi
