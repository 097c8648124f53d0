#!/usr/bin/env bash
# snapshot.sh BIN OUT CORPUS
# Every output of BIN on every fixture and on CORPUS (a gen_corpus file), for
# checking that a refactoring changes no byte (issue 13 item 11):
#   benches/snapshot.sh before/tiaoshu /tmp/snap.before /tmp/c100m.csv
#   benches/snapshot.sh target/release/tiaoshu /tmp/snap.after /tmp/c100m.csv
#   diff -r /tmp/snap.before /tmp/snap.after && echo identical
# Run from the repository root. The summary on standard error is kept too.
set -u
bin=$(realpath "$1"); out=$2; corpus=$3
rm -rf "$out"; mkdir -p "$out"
run() { # name, then scan arguments
  local name=$1; shift
  local d="$out/$name"; mkdir -p "$d"
  "$bin" scan "$@" --json "$d/report.json" --evidence "$d/evidence.csv" \
    --report "$d/report.html" >"$d/stdout" 2>"$d/stderr"
  echo $? >"$d/rc"
  "$bin" scan "$@" --report "$d/report.zh.md" --lang zh --quiet >/dev/null 2>&1
  "$bin" scan "$@" --report "$d/report.md" --quiet >/dev/null 2>&1
}
for f in fixtures/*/; do
  f=${f%/}; n=$(basename "$f")
  [ -d "$f/input" ] || continue
  extra=()
  if [ -f "$f/args.json" ]; then
    mapfile -t extra < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["args"]))' "$f/args.json")
  fi
  run "$n" "$f/input" "${extra[@]}"
done
run corpus "$corpus"
run corpus_spill "$corpus" --max-memory 4M
