#!/usr/bin/env bash
# Register scale (issue 17): N proposals in all (default 100,000) routed across the five partnership rule sets with
# route-batch, the public command a council runs over its register. Each partnership gets N/5 proposals, copies of its
# own samples (samples/proposals/<partnership>-*.json) with ids of their own, and is routed with
# rules/partnerships/<partnership> on the CPUs given (default 0,1). Reports, per partnership and in all:
#   - proposals per CPU-second (user + system time of the process, start-up and rule loading included): proposals/s
#     per core, which a shared, loaded machine changes far less than wall time;
#   - proposals per wall-second of the routing phase, divided by the cores used.
#   bash benchmarks/register-scale.sh [proposals] [cpus]
#   CLI=/path/to/decision-routing.dll   use a CLI already built (otherwise it is built in Release into a temp folder)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
total=${1:-100000}
cpus=${2:-0,1}
cores=$(awk -F, '{print NF}' <<<"$cpus")
work=$(mktemp -d /tmp/dr-register-scale.XXXXXX)
trap 'rm -rf "$work"' EXIT
partnerships=(barking-dagenham croydon darlington doncaster durham)
each=$((total / ${#partnerships[@]}))

if [[ -z "${CLI:-}" ]]; then
  dotnet build "$repo/src/DecisionRouting.Cli" -c Release -v q -nologo -o "$work/cli" >/dev/null
  CLI=$work/cli/decision-routing.dll
fi

all_cpu=0; all_routing=0; all_routed=0
printf '%-18s %9s %9s %10s %12s %16s\n' partnership proposals cpu_s routing_s "per CPU-s" "per wall-s/core"
for p in "${partnerships[@]}"; do
  python3 - "$repo/samples/proposals" "$p" "$work/$p" "$each" <<'PY'
import glob, json, os, sys
source, partnership, target, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
os.makedirs(target)
samples = [(json.load(open(f))["id"], open(f).read()) for f in sorted(glob.glob(f"{source}/{partnership}-*.json"))]
for n in range(count):
    sample_id, text = samples[n % len(samples)]
    new_id = f"{sample_id}-{n:06d}"
    with open(f"{target}/{new_id}.json", "w") as out:
        out.write(text.replace(f'"id": "{sample_id}"', f'"id": "{new_id}"', 1))
PY
  /usr/bin/time -f '%U %S' -o "$work/time" taskset -c "$cpus" dotnet "$CLI" route-batch "$work/$p" --rules "$repo/rules/partnerships/$p" --output "$work/plans-$p" >"$work/stdout" 2>"$work/stderr" || [[ $? == 5 ]] || { cat "$work/stdout" "$work/stderr"; exit 1; }
  routed=$(sed -n 's/^Routed \([0-9]*\) of .*/\1/p' "$work/stdout")
  [[ "$routed" == "$each" ]] || { echo "$p: routed $routed of $each"; cat "$work/stdout" "$work/stderr" | head -20; exit 1; }
  routing=$(sed -n 's/.* in \([0-9]*\) ms\.$/\1/p' "$work/stdout" | head -1)
  cpu=$(tail -1 "$work/time" | awk '{ print $1 + $2 }')
  printf '%-18s %9d %9.1f %10.1f %12.0f %16.0f\n' "$p" "$routed" "$cpu" "$(awk -v r="$routing" 'BEGIN { print r / 1000 }')" \
    "$(awk -v n="$routed" -v c="$cpu" 'BEGIN { print n / c }')" "$(awk -v n="$routed" -v r="$routing" -v k="$cores" 'BEGIN { print n / (r / 1000) / k }')"
  all_cpu=$(awk -v a="$all_cpu" -v b="$cpu" 'BEGIN { print a + b }'); all_routing=$((all_routing + routing)); all_routed=$((all_routed + routed))
  rm -rf "$work/$p" "$work/plans-$p"
done
printf '%-18s %9d %9.1f %10.1f %12.0f %16.0f\n' "all" "$all_routed" "$all_cpu" "$(awk -v r="$all_routing" 'BEGIN { print r / 1000 }')" \
  "$(awk -v n="$all_routed" -v c="$all_cpu" 'BEGIN { print n / c }')" "$(awk -v n="$all_routed" -v r="$all_routing" -v k="$cores" 'BEGIN { print n / (r / 1000) / k }')"
echo "cores: $cores (taskset -c $cpus); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
