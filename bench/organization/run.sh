#!/usr/bin/env bash
# Organization benchmark, recorded in docs/benchmarks.md under
# "## organization". It starts `apigw2tf emulator` with a synthetic
# organization in its own process, quota 10/s burst 40 per account and
# region (API Gateway's documented control-plane quota), and runs the real
# binary against it:
#   - apigw2tf over the whole organization (--member-role-name);
#   - a loop of today's one-account runs (LOOP_SUBSET accounts, then
#     extrapolated to all of them);
#   - the bound: the slowest account and region's own quota bound,
#     (calls - burst) / rate, computed from what the run discovered.
#
#   bench/organization/run.sh [ACCOUNTS]   (default 50; the scaling run uses 200)
#
# Environment: APIGW2TF (binary; default ./apigw2tf, built if missing),
# LOOP_SUBSET (one-account runs actually timed; default 5), ORG_ARGS (extra
# flags for the organization run, e.g. "--concurrency 8"), TYPES (--types of
# every run; default api,stage, the benchmark of issue 15; "all" adds one
# list per API for each of authorizers, integrations and routes).
set -euo pipefail
cd "$(dirname "$0")/../.."

ACCOUNTS=${1:-50}
BIN=${APIGW2TF:-./apigw2tf}
TYPES=${TYPES:-api,stage}
LOOP_SUBSET=${LOOP_SUBSET:-5}
BASE=100000000000
work=$(mktemp -d)
EMU_PID=
cleanup() {
	if [[ -n $EMU_PID ]]; then kill "$EMU_PID" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

if [[ ! -x $BIN ]]; then
	go build -trimpath -o "$BIN" ./cmd/apigw2tf
fi

export AWS_ACCESS_KEY_ID=AKIDBENCH AWS_SECRET_ACCESS_KEY=bench AWS_SESSION_TOKEN= \
	AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_APIGATEWAYV2 AWS_ENDPOINT_URL_STS AWS_MAX_ATTEMPTS

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo "== $ACCOUNTS accounts x 2 regions x 100 APIs x 3 stages, --types $TYPES, emulator rate 10/s burst 40 per account and region"
# apis=200 over two regions: 100 APIs in each.
"$BIN" emulator --listen 127.0.0.1:0 --log-level warn --rate 10 --burst 40 \
	--synthetic "apis=200,stages=3,seed=1,accounts=$ACCOUNTS,account=$BASE,regions=us-east-1+eu-west-1" \
	>"$work/emu.out" 2>"$work/emu.err" &
EMU_PID=$!
for _ in $(seq 600); do
	URL=$(grep -o 'http://[0-9.:]*' "$work/emu.out" 2>/dev/null) && break
	sleep 0.1
done
[[ -n ${URL:-} ]] || { echo "emulator did not start" >&2; cat "$work/emu.err" >&2; exit 1; }

stats() { curl -fsS "$URL/_emulator/stats"; }
reset() { curl -fsS -X POST "$URL/_emulator/reset"; }

# measure LABEL CMD… prints wall seconds, CPU seconds and peak RSS.
measure() {
	local label=$1
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$work/$label.time" "$@" >"$work/$label.log" 2>&1 || {
		local rc=$?
		# exit 3 (partial) is a result, anything else a failure
		if [[ $rc -ne 3 ]]; then echo "$label failed ($rc):" >&2; cat "$work/$label.log" >&2; exit 1; fi
	}
	read -r WALL USR SYS RSS_KB < <(tail -n1 "$work/$label.time")
	CPU=$(echo "$USR + $SYS" | bc -l)
	printf '%-24s wall %7.2f s   cpu %6.2f s   peak RSS %6.1f MB\n' "$label" "$WALL" "$CPU" "$(echo "$RSS_KB / 1024" | bc -l)"
}

# CPU seconds the emulator process has used so far (utime + stime).
emu_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$EMU_PID/stat"; }

EMU_CPU0=$(emu_cpu)
measure org "$BIN" discover --endpoint-url "$URL" --region us-east-1,eu-west-1 \
	--member-role-name OrganizationAccountAccessRole --types "$TYPES" -o "$work/org.json" --quiet ${ORG_ARGS:-}
ORG_WALL=$WALL
ORG_CPU=$CPU
EMU_CPU=$(echo "$(emu_cpu) - $EMU_CPU0" | bc -l)
echo "load average after the org run: $(cut -d' ' -f1-3 /proc/loadavg)"
stats >"$work/stats.json"
python3 - "$work/org.json" "$work/stats.json" "$ORG_WALL" "$ORG_CPU" "$TYPES" >"$work/bound" <<'PY'
import json, math, sys
inv = json.load(open(sys.argv[1])); st = json.load(open(sys.argv[2]))
wall, cpu = float(sys.argv[3]), float(sys.argv[4])
types = sys.argv[5]
lists = 4 if types == "all" else len(types.split(",")) - 1   # one list per API and type besides api
ops = st["operations"]
worst, total, failed = 0, 0, 0
for a in inv["accounts"]:
    if a.get("error"):
        failed += 1
        continue
    i = a["inventory"]
    for r in i["regions"]:
        kept = sum(1 for x in i["apis"] if x["region"] == r)
        managed = sum(1 for s in i["skipped"] if s["region"] == r and not s.get("stage"))
        calls = math.ceil(max(kept + managed, 1) / 100) + lists * kept   # GetApis pages + one list per kept API and type
        total += calls
        worst = max(worst, calls)
bound = (worst - 40) / 10
served = sum(ops.get(k, 0) for k in ("GetApis", "GetStages", "GetAuthorizers", "GetIntegrations", "GetRoutes"))
print(f"{bound:.2f} {worst} {total} {served} {ops.get('AssumeRole', 0)} {st['throttled']} {failed} {len(inv['accounts'])} {len(inv['skipped_accounts'])}")
PY
read -r BOUND WORST TOTAL SERVED STS THROTTLED FAILED NACC NSKIP <"$work/bound"
printf 'accounts %d (failed %d, skipped %d); calls %d (expected %d); slowest account+region %d calls, bound (calls-40)/10 = %.2f s\n' \
	"$NACC" "$FAILED" "$NSKIP" "$SERVED" "$TOTAL" "$WORST" "$BOUND"
printf 'org run %.2f s = %.2fx the bound; STS AssumeRole calls %d (members: %d); server 429s %d\n' \
	"$ORG_WALL" "$(echo "$ORG_WALL / $BOUND" | bc -l)" "$STS" "$((ACCOUNTS - 1))" "$THROTTLED"
printf 'throughput %.0f calls/s; CPU per call (user+sys): apigw2tf %.0f us, emulator %.0f us\n' \
	"$(echo "$SERVED / $ORG_WALL" | bc -l)" "$(echo "$ORG_CPU * 1000000 / $SERVED" | bc -l)" "$(echo "$EMU_CPU * 1000000 / $SERVED" | bc -l)"

# The loop people script today: one run per account, one after another,
# each with the account's own credentials (a 12-digit key selects the
# account in the emulator). Fresh buckets, as for the org run.
reset
start=$(date +%s.%N)
for i in $(seq 1 "$LOOP_SUBSET"); do
	id=$(printf '%012d' $((BASE + i)))
	AWS_ACCESS_KEY_ID=$id "$BIN" discover --endpoint-url "$URL" --region us-east-1,eu-west-1 --types "$TYPES" -o "$work/one-$id.json" --quiet
done
end=$(date +%s.%N)
per=$(echo "($end - $start) / $LOOP_SUBSET" | bc -l)
loop=$(echo "$per * $ACCOUNTS" | bc -l)
printf 'loop of one-account runs: %.2f s per account (timed on %d), extrapolated to %d accounts: %.0f s = %.1fx the org run\n' \
	"$per" "$LOOP_SUBSET" "$ACCOUNTS" "$loop" "$(echo "$loop / $ORG_WALL" | bc -l)"
