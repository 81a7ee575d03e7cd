#!/usr/bin/env bash
# Runs replay, features, backtest and trade on bad inputs and prints the exit code of each
# (0 ok, 1 not usable / failure, 2 bad usage or a snapshot only --symbol can attribute).
#   bash testdata/corpus/try_bad_inputs.sh [WORKDIR]
set -u
cd "$(dirname "$0")/../.."
W=${1:-$(mktemp -d)}
python3 - "$W" <<'PY'
import gzip, random, sys
w = sys.argv[1]
random.seed(1)
src = open('testdata/binance-spot/btcusdt_20240808.gz', 'rb').read()
text = gzip.decompress(src)
lines = text.decode().split("\n")[:4000]
rnd = lambda n: bytes(random.randrange(256) for _ in range(n))
open(f'{w}/random.gz', 'wb').write(rnd(4000))
open(f'{w}/random.txt', 'wb').write(rnd(4000))
open(f'{w}/plain_named.gz', 'w').write("\n".join(lines[:400]) + "\n")
open(f'{w}/empty.gz', 'wb').write(b'')
open(f'{w}/empty.txt', 'wb').write(b'')
open(f'{w}/truncated.gz', 'wb').write(src[:len(src) // 2])
open(f'{w}/garbage_after.gz', 'wb').write(gzip.compress(("\n".join(lines) + "\n").encode()) + rnd(300))
open(f'{w}/out_of_order.txt', 'w').write("\n".join([lines[0], lines[2], lines[1]] + lines[3:]) + "\n")
open(f'{w}/json_garbage.txt', 'w').write("1723161253937085768 {not json\n" * 50)
PY
C=testdata/corpus
inputs=("/nonexistent/x.gz" "$W/random.gz" "$W/random.txt" "$W/plain_named.gz" "$W/empty.gz" "$W/empty.txt"
  "$W/truncated.gz" "$W/garbage_after.gz" "$W/out_of_order.txt" "$W/json_garbage.txt"
  "$C/gap_no_resync.txt" "$C/ambiguous_snapshot.txt" "$C/snapshot_only.txt" "$C/ethusdt_div16.gz"
  "$C/two_streams.gz")
printf "%-28s %7s %7s %9s %9s %6s\n" input replay r_json features backtest trade
for f in "${inputs[@]}"; do
  deno run -A edge/main.ts replay "$f" >/dev/null 2>&1; a=$?
  deno run -A edge/main.ts replay --json "$f" >/dev/null 2>&1; b=$?
  deno run -A edge/features_main.ts "$f" >/dev/null 2>&1; c=$?
  deno run -A trainer/backtest/main.ts --data "$f" --strategy momentum --html none >/dev/null 2>&1; d=$?
  deno run -A edge/main.ts trade --replay "$f" >/dev/null 2>&1; e=$?
  printf "%-28s %7s %7s %9s %9s %6s\n" "$(basename "$f")" $a $b $c $d $e
done
