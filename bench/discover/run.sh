#!/usr/bin/env bash
# Discover benchmarks, recorded in docs/benchmarks.md under "## discover".
# Each scenario starts `apigw2tf emulator` in its own process and runs the
# real binary against it, so times and peak RSS are the CLI's own.
#
#   bench/discover/run.sh [quota|latency|memory|all]   (default all)
#
# Environment: APIGW2TF (binary; default ./apigw2tf, built if missing),
# CLI_SUBSET (APIs the AWS CLI loop visits before extrapolating; default 20).
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=${APIGW2TF:-./apigw2tf}
CLI_SUBSET=${CLI_SUBSET:-20}
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
go build -o "$work/seqwalk" ./bench/discover/seqwalk

# Dummy credentials and no developer configuration: the emulator takes the
# region from the signature and ignores the keys.
export AWS_ACCESS_KEY_ID=AKIDBENCH AWS_SECRET_ACCESS_KEY=bench AWS_SESSION_TOKEN= \
	AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_APIGATEWAYV2 AWS_ENDPOINT_URL_STS AWS_MAX_ATTEMPTS

# start_emulator ARGS… starts the emulator on a free port and sets URL.
start_emulator() {
	"$BIN" emulator --listen 127.0.0.1:0 --log-level warn "$@" >"$work/emu.out" 2>"$work/emu.err" &
	EMU_PID=$!
	for _ in $(seq 600); do
		if URL=$(grep -o 'http://[0-9.:]*' "$work/emu.out" 2>/dev/null); then
			return 0
		fi
		if ! kill -0 "$EMU_PID" 2>/dev/null; then
			echo "emulator failed to start:" >&2
			cat "$work/emu.err" >&2
			exit 1
		fi
		sleep 0.1
	done
	echo "emulator did not report its address within 60 s" >&2
	exit 1
}

stop_emulator() {
	kill "$EMU_PID" 2>/dev/null || true
	wait "$EMU_PID" 2>/dev/null || true
	EMU_PID=
}

stats() { curl -fsS "$URL/_emulator/stats"; }
reset() { curl -fsS -X POST "$URL/_emulator/reset"; }

# measure LABEL CMD… runs CMD under GNU time and prints wall seconds and
# peak RSS; the command's own output goes to $work/LABEL.log.
measure() {
	local label=$1
	shift
	/usr/bin/time -f '%e %M' -o "$work/$label.time" "$@" >"$work/$label.log" 2>&1 || {
		echo "$label failed:" >&2
		cat "$work/$label.log" >&2
		exit 1
	}
	read -r WALL RSS_KB <"$work/$label.time"
	printf '%-28s wall %7.2f s   peak RSS %6.1f MB\n' "$label" "$WALL" "$(echo "$RSS_KB / 1024" | bc -l)"
}

calls_of() { # the emulator's list calls: GetApis, one list per type and API, one per WebSocket route or integration, the account-level lists
	stats | python3 -c 'import json,sys; s=json.load(sys.stdin); o=s["operations"]; print(sum(o.get(k,0) for k in ("GetApis","GetStages","GetAuthorizers","GetIntegrations","GetRoutes","GetModels","GetRouteResponses","GetIntegrationResponses","GetVpcLinks","GetDomainNames","GetApiMappings")), s["throttled"])'
}

quota() {
	echo "== quota-bound: emulator rate 10/s burst 40, 300 APIs x 3 stages, apigw2tf defaults (every type), then --types api,stage"
	start_emulator --rate 10 --burst 40 --synthetic apis=300,stages=3,seed=1
	for types in all api,stage; do
		reset
		# The bucket refills while the previous run's results are read.
		sleep 4
		flags=()
		if [[ $types != all ]]; then flags=(--types "$types"); fi
		measure "quota-$types" "$BIN" discover --endpoint-url "$URL" --region us-east-1 "${flags[@]}" -o "$work/quota.json" --quiet
		read -r calls throttled < <(calls_of)
		bound=$(echo "($calls - 40) / 10" | bc -l)
		printf 'types %s: calls %d, server 429s %d, bound (calls-burst)/rate = %.2f s, ratio %.3f\n' \
			"$types" "$calls" "$throttled" "$bound" "$(echo "$WALL / $bound" | bc -l)"
		python3 -c 'import json,sys; i=json.load(open(sys.argv[1])); a=i["apis"]; print("apis", len(a), "calls per API %.2f" % (int(sys.argv[2]) / len(a)), "stages", sum(len(x["stages"]) for x in a), "routes", sum(len(x.get("routes", [])) for x in a), "domain names", len(i.get("domain_names", [])), "mappings", sum(len(d.get("api_mappings", [])) for d in i.get("domain_names", [])), "vpc links", len(i.get("vpc_links", [])), "errors", len(i["errors"]))' "$work/quota.json" "$calls"
	done
	stop_emulator
}

latency() {
	echo "== latency-bound: no quota, 20 ms per request, 2,000 APIs x 4 stages"
	start_emulator --latency 20ms --synthetic apis=2000,stages=4,seed=1
	# --rate 0: the default 10/s models AWS's quota and would make this a
	# quota benchmark (about 200 s); the emulator here has no quota.
	measure latency-apigw2tf "$BIN" discover --endpoint-url "$URL" --region us-east-1 --rate 0 -o "$work/latency.json" --quiet --log-level info
	t_fast=$WALL
	# The walk alone, without process start and the fsync'ed write.
	t_walk=$(grep -o 'msg="discovery done".*elapsed=[0-9.]*[a-z]*' "$work/latency-apigw2tf.log" | sed 's/.*elapsed=//')
	read -r calls _ < <(calls_of)
	ideal=$(echo "$calls * 0.020 / 32" | bc -l)
	printf 'calls %d, calls x latency / concurrency(32) = %.2f s, ratio %.2f (walk alone %s)\n' "$calls" "$ideal" "$(echo "$t_fast / $ideal" | bc -l)" "$t_walk"
	reset
	measure latency-sequential-sdk "$work/seqwalk" --endpoint-url "$URL" --region us-east-1
	t_seq=$WALL
	cat "$work/latency-sequential-sdk.log"
	printf 'apigw2tf is %.1fx faster than the sequential SDK walk\n' "$(echo "$t_seq / $t_fast" | bc -l)"

	if command -v aws >/dev/null; then
		reset
		measure aws-cli-get-apis aws apigatewayv2 get-apis --endpoint-url "$URL" --region us-east-1 \
			--query 'Items[].ApiId' --output text
		t_list=$WALL
		tr '\t' '\n' <"$work/aws-cli-get-apis.log" | head -n "$CLI_SUBSET" >"$work/ids"
		cat >"$work/loop.sh" <<-EOF
			while read -r id; do
				aws apigatewayv2 get-stages --endpoint-url "$URL" --region us-east-1 --api-id "\$id" >/dev/null
			done <"$work/ids"
		EOF
		measure "aws-cli-get-stages-x$CLI_SUBSET" bash "$work/loop.sh"
		per=$(echo "$WALL / $CLI_SUBSET" | bc -l)
		printf 'AWS CLI loop: get-apis %.2f s + %.3f s per get-stages; extrapolated to 2000 APIs: %.0f s (%.0fx apigw2tf)\n' \
			"$t_list" "$per" "$(echo "$t_list + 2000 * $per" | bc -l)" "$(echo "($t_list + 2000 * $per) / $t_fast" | bc -l)"
	fi
	stop_emulator
}

memory() {
	echo "== memory: 20,000 APIs x 5 stages, no quota, no latency"
	start_emulator --synthetic apis=20000,stages=5,seed=1
	measure memory "$BIN" discover --endpoint-url "$URL" --region us-east-1 --rate 0 -o "$work/memory.json" --quiet
	printf 'inventory %.1f MB\n' "$(echo "$(stat -c %s "$work/memory.json") / 1048576" | bc -l)"
	stop_emulator
}

# The machine's load bounds every number here: on a shared 2-core machine a
# CPU-starved run waits for a core, not for the emulator.
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"

case ${1:-all} in
quota) quota ;;
latency) latency ;;
memory) memory ;;
all) quota && latency && memory ;;
*)
	echo "usage: $0 [quota|latency|memory|all]" >&2
	exit 2
	;;
esac
