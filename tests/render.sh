#!/usr/bin/env bash
# render.sh IN.html OUT_PREFIX
#   -> OUT_PREFIX.pdf  (A4 if the page's CSS says @page { size: A4 }, no header/footer)
#      OUT_PREFIX.png  (screenshot, window RENDER_WINDOW_SIZE, default 1240,1754)
#      OUT_PREFIX.dom.html (DOM after load, --dump-dom)
#      OUT_PREFIX.txt  (pdftotext -layout OUT_PREFIX.pdf)
# Headless Chromium (Debian package `chromium`), run as root in CI.
# Every chromium call gets a fresh profile + XDG dirs (mktemp -d, removed after)
# and `timeout 120`. Exits non-zero if any step fails.
# Note: chromium's own exit code is 0 even when the page fails to load or the
# output cannot be written, so every output is checked explicitly.
set -uo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 IN.html OUT_PREFIX" >&2
  exit 2
fi
IN=$1
PREFIX=$2

CHROME=${CHROMIUM:-}
if [ -z "$CHROME" ]; then
  for c in chromium chromium-browser; do
    if command -v "$c" >/dev/null 2>&1; then CHROME=$(command -v "$c"); break; fi
  done
fi
[ -n "$CHROME" ] || { echo "render.sh: chromium not found (apt-get install chromium)" >&2; exit 3; }
command -v pdftotext >/dev/null 2>&1 || { echo "render.sh: pdftotext not found (apt-get install poppler-utils)" >&2; exit 3; }
command -v pdfinfo >/dev/null 2>&1 || { echo "render.sh: pdfinfo not found (apt-get install poppler-utils)" >&2; exit 3; }
[ -f "$IN" ] && [ -r "$IN" ] || { echo "render.sh: input not readable: $IN" >&2; exit 2; }

WINDOW_SIZE=${RENDER_WINDOW_SIZE:-1240,1754}
TIMEOUT=${RENDER_TIMEOUT:-120}

IN_ABS=$(realpath -e -- "$IN") || exit 2
OUT_DIR=$(dirname -- "$PREFIX")
mkdir -p -- "$OUT_DIR" || exit 2
PREFIX_ABS=$(realpath -m -- "$PREFIX")

# file:// URL with percent-encoding of everything outside [A-Za-z0-9/._~-]
urlencode_path() {
  local LC_ALL=C s=$1 out="" c i
  for (( i = 0; i < ${#s}; i++ )); do
    c=${s:i:1}
    case "$c" in
      [A-Za-z0-9/._~-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}
URL="file://$(urlencode_path "$IN_ABS")"

COMMON_FLAGS=(
  --headless
  --no-sandbox
  --disable-gpu
  --disable-quic
  --no-first-run
  --disable-background-networking
  --disable-component-update
  --disable-sync
)

TMPDIRS=()
cleanup() { local d; for d in "${TMPDIRS[@]+"${TMPDIRS[@]}"}"; do rm -rf -- "$d"; done; }
trap cleanup EXIT

# Lines on chromium's stderr that are harmless noise on a headless root box
# (no D-Bus, Debian wrapper's /dev/shm test when /dev/shm is listed twice).
filter_noise() {
  grep -v -e 'dbus/bus.cc' -e 'dbus/object_proxy.cc' -e 'unexpected operator' \
          -e 'bytes written to file' || true
}

# run_chrome NAME STDOUT_FILE ARGS...  (fresh profile + XDG dirs; timeout)
run_chrome() {
  local name=$1 stdout_file=$2; shift 2
  local t rc start end
  t=$(mktemp -d "${TMPDIR:-/tmp}/render-chromium.XXXXXX") || return 1
  TMPDIRS+=("$t")
  mkdir -p "$t/profile" "$t/config" "$t/cache"
  start=$(date +%s%N)
  env HOME="$t" TMPDIR="$t" XDG_CONFIG_HOME="$t/config" XDG_CACHE_HOME="$t/cache" \
    timeout --kill-after=10 "$TIMEOUT" "$CHROME" "${COMMON_FLAGS[@]}" \
      --user-data-dir="$t/profile" "$@" "$URL" \
      >"$stdout_file" 2>"$t/stderr" </dev/null
  rc=$?
  end=$(date +%s%N)
  printf 'render.sh: %-4s rc=%d %d ms\n' "$name" "$rc" $(( (end - start) / 1000000 )) >&2
  if [ "$rc" -ne 0 ]; then
    [ "$rc" -eq 124 ] && echo "render.sh: $name: timed out after ${TIMEOUT}s" >&2
    filter_noise <"$t/stderr" >&2
    return 1
  fi
  # chromium exits 0 on load/write failures; it only says so on stderr.
  if grep -q -e 'Page load failed' -e 'Failed to write file' "$t/stderr"; then
    echo "render.sh: $name: chromium reported an error:" >&2
    filter_noise <"$t/stderr" >&2
    return 1
  fi
  rm -rf -- "$t"
  return 0
}

fail() { echo "render.sh: FAILED: $*" >&2; exit 1; }

PDF=$PREFIX_ABS.pdf PNG=$PREFIX_ABS.png DOM=$PREFIX_ABS.dom.html TXT=$PREFIX_ABS.txt
rm -f -- "$PDF" "$PNG" "$DOM" "$TXT"

# 1. PDF (page size comes from the page's @page CSS; header/footer off)
run_chrome pdf /dev/null --no-pdf-header-footer --print-to-pdf="$PDF" || fail "pdf step"
[ -s "$PDF" ] || fail "no PDF written: $PDF"
pdfinfo "$PDF" >/dev/null 2>&1 || fail "pdfinfo cannot read $PDF"

# 2. PNG screenshot
run_chrome png /dev/null --hide-scrollbars --window-size="$WINDOW_SIZE" --screenshot="$PNG" || fail "png step"
[ -s "$PNG" ] || fail "no PNG written: $PNG"
[ "$(head -c 8 -- "$PNG" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "not a PNG: $PNG"

# 3. DOM after load
run_chrome dom "$DOM" --dump-dom || fail "dom step"
[ -s "$DOM" ] || fail "empty DOM dump: $DOM"
grep -qi '<html' -- "$DOM" || fail "DOM dump has no <html>: $DOM"

# 4. text of the PDF
pdftotext -layout -enc UTF-8 -- "$PDF" "$TXT" || fail "pdftotext"
[ -f "$TXT" ] || fail "no text file: $TXT"

echo "render.sh: ok: $PDF $PNG $DOM $TXT" >&2
exit 0
