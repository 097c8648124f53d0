#!/usr/bin/env bash
# Builds the seed inputs of every fuzz target in $1/<target>/ from the
# fixtures, the fuzz regressions and the hostile inputs of issue 12.
# Usage: fuzz/seed.sh DIR   (run from the repository root)
set -euo pipefail
out=${1:?usage: fuzz/seed.sh DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
fx="$root/fixtures"
for t in scan_text sql archive tar_walk bson_stream sevenz workbook columnar validators long_line json_stream; do
  mkdir -p "$out/$t"
done
n=0
# scan_text: the first byte picks the name (byte % 6: csv txt jsonl json sql dat)
# and the chunk size (1 + byte >> 3).
seed_text() { # FILE PICK
  n=$((n + 1))
  { printf "\\x$(printf %02x "$2")"; head -c 65536 "$1"; } >"$out/scan_text/f$n"
}
while IFS= read -r f; do
  case "$f" in
    *.csv|*.tsv) seed_text "$f" 0; seed_text "$f" 48 ;;
    *.txt) seed_text "$f" 1; seed_text "$f" 49 ;;
    *.jsonl) seed_text "$f" 2; seed_text "$f" 50 ;;
    *.json) seed_text "$f" 3; seed_text "$f" 51 ;;
    *.sql) seed_text "$f" 4; seed_text "$f" 52
           n=$((n + 1)); { printf '\x07'; head -c 65536 "$f"; } >"$out/sql/f$n" ;;
    *.tar|*.tar.gz|*.tgz) cp "$f" "$out/tar_walk/f$((n += 1))" ;;
    *.bson|*.bson.gz) cp "$f" "$out/bson_stream/f$((n += 1))" ;;
    *.7z) cp "$f" "$out/sevenz/f$((n += 1))" ;;
    *.zip|*.gz|*.zst|*.bz2|*.xz) cp "$f" "$out/archive/f$((n += 1))" ;;
    *.xlsx) cp "$f" "$out/workbook/f$((n += 1))" ;;
    *.parquet|*.arrow|*.feather) cp "$f" "$out/columnar/f$((n += 1))" ;;
  esac
done < <(find "$fx" -path '*/input/*' -type f -size -1024k | sort)
cp "$root"/tests/fuzz/columnar-* "$out/columnar/"
# the hostile inputs of issue 12 (items 1, 3, 8, 9, 12, 13)
h="$out/scan_text"
printf '\x03{"name":"张伟","phone":"13812345678"}\n}\n{"a":1}\n' >"$h/stray-brace"
printf '\x02{"name":"张伟","phone":"13812345678"}\r{"name":"王芳","phone":"13912345678"}\r' >"$h/cr-jsonl"
printf '\x00name,phone\r张伟,13812345678\n王芳,13912345678\r\n李娜,13712345678\r' >"$h/mixed-ends"
printf '\x03{"data":[{"name":"张伟","phone":"13812345678"},{"name":"王芳","phone":"13912345678"}]}' >"$h/wrapper"
{ printf '\x01'; for _ in $(seq 512); do printf 'a@a@'; done; } >"$h/at-line"
{ printf '\x00'; printf 'name,phone\n' | iconv -t UTF-16LE; printf '\xff'; printf '张伟,13812345678\n' | iconv -t UTF-16LE; } >"$h/utf16-misaligned"
# validators: bare values
v="$out/validators"
for s in 11010519491231002X 110105194912310021 13812345678 +8613812345678 zw88@qq.com \
         6222021234567890123 E12345678 H12345678 12345678 京A12345 110105491231002; do
  printf '%s' "$s" >"$v/$s"
done
# long_line: [pick, log2 length, chunk, piece]
l="$out/long_line"
printf '\x01\x0a\x40a@' >"$l/at"; printf '\x81\x0a\x40.' >"$l/dot"; printf '\x02\x0a\x10-1' >"$l/dash"
printf '\x00\x0a\x40110105194912310021,' >"$l/ids"; printf '\x81\x06\x20张伟,13812345678,' >"$l/row"
# json_stream: [flags, max record, chunk, token indexes]
j="$out/json_stream"
printf '\x00\x02\x05\x00\x09\x0f\x04\x0a\x10\x01\x01\x00\x01' >"$j/stray"
printf '\x01\x03\x03\x02\x00\x09\x0d\x04\x0a\x0f\x01\x04\x00\x09\x0e\x01\x03\x06' >"$j/array-lines"
printf '\x00\x00\x01\x00\x09\x13\x01' >"$j/cut"
