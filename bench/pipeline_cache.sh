#!/usr/bin/env bash
# What a declared pipeline's cache costs over a 1 GB input (issue 23: a no-change re-run under 2 s): a two-step
# pipeline (a checksum of the input, then a summary of it) run four times with `tend pipeline run --json`:
# the first run (hashes 1 GB and runs both steps), a re-run with nothing changed (every step a hit: the input's
# hash comes from the (path, size, time) memo), a re-run after the input changed (one byte appended: hashed again,
# both steps run), and a re-run with --no-cache for scale. Prints each run's wall time and what each step did.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$tend init "$work/p" --task binary --label type --data "$root/samples/spam/spam.csv" --name spam >/dev/null
head -c 1073741824 /dev/urandom > "$work/p/big.bin"
touch -d '1 minute ago' "$work/p/big.bin" # settled: a file changed within 2 s is hashed again every time
cat >> "$work/p/tend.yaml" <<'YAML'

pipelines:
  - name: bench
    steps:
      - name: checksum
        command: mkdir -p build && cksum big.bin > build/cksum.txt
        inputs: [big.bin]
        outputs: [build/cksum.txt]
      - name: summary
        needs: [checksum]
        command: cut -d' ' -f2 build/cksum.txt > build/bytes.txt
        inputs: [build/cksum.txt]
        outputs: [build/bytes.txt]
YAML
run() {
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  local json
  json=$($tend pipeline run bench --workspace "$work/p" --json "$@")
  end=$(date +%s.%N)
  python3 - "$label" "$start" "$end" "$json" <<'PY'
import json, sys
label, start, end, doc = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), json.loads(sys.argv[4])
steps = ", ".join(f"{s['name']} {'hit' if s['cached'] else 'ran'} {s['seconds']:.2f} s" for s in doc["steps"])
print(f"{label:<22} {end - start:6.2f} s wall   ({steps})")
PY
}
run "first run"
run "nothing changed"
run "nothing changed again"
printf 'x' >> "$work/p/big.bin" && touch -d '1 minute ago' "$work/p/big.bin"
run "input changed"
run "--no-cache" --no-cache
