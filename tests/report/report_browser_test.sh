#!/usr/bin/env bash
# The HTML report in a real browser (docs/report.md, "The browser test").
# Usage: report_browser_test.sh BINARY SOURCE_DIR ARTIFACT_DIR
#
# Plays the default tournament on kernels/kernel-v0.1.yaml (seeds 0..7, with
# --coverage), makes the report twice (the bytes must match), opens it in
# headless Chromium and fails on any console message, any error, any blocked
# or failed request and any chart that drew no marks: the page checks itself
# and writes its verdict into <body data-check="ok ...">, read here from
# --dump-dom; Chromium's own log (stderr) must hold no CONSOLE line. Saves a
# screenshot to ARTIFACT_DIR/report.png and prints its path. Then three
# broken copies of the page (an image from the network, a script error, a
# chart that is never drawn) must each be caught. Exit 77 (skipped) only when
# /usr/bin/chromium is absent; tools/install-deps.sh installs it.
# The tournament also writes a run store (--store); its report (report
# --store FILE.db --run 1) gets the same checks (twice the same bytes, the
# page's verdict ok with every chart drawn, no console line, no failed
# request) and a screenshot, ARTIFACT_DIR/store-report.png.
set -uo pipefail
bin=$1
src=$2
artifacts=$3
chromium=${FABLE_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "SKIPPED: $chromium is absent (Debian package chromium; tools/install-deps.sh installs it)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"
fail() {
  echo "FAIL: $*"
  exit 1
}

"$bin" tournament --kernel "$src/kernels/kernel-v0.1.yaml" --seeds 0..7 --threads 2 \
  --out "$work/t" --coverage "$work/cov.json" --store "$work/s.db" >"$work/tournament.log" 2>&1 ||
  fail "tournament: $(cat "$work/tournament.log")"
"$bin" report --from "$work/t" --coverage "$work/cov.json" --kernels-dir "$src/kernels" \
  -o "$work/report.html" >/dev/null || fail "report exited $?"
"$bin" report --from "$work/t" --coverage "$work/cov.json" --kernels-dir "$src/kernels" \
  -o "$work/again.html" >/dev/null || fail "second report exited $?"
cmp -s "$work/report.html" "$work/again.html" || fail "the same folder gave two different reports"
cp "$work/report.html" "$artifacts/report.html"

# Opens $1 in headless Chromium: the DOM into $2, Chromium's log into $3.
open_page() {
  local profile
  profile=$(mktemp -d "$work/profile.XXXXXX")
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --enable-logging=stderr --v=0 --virtual-time-budget=5000 \
    --dump-dom "file://$1" >"$2" 2>"$3"
}
# The page's verdict: the value of <body data-check="...">.
verdict() { grep -o '<body[^>]*data-check="[^"]*"' "$1" | sed 's/.*data-check="//; s/"$//'; }

# The checks of one page $1 (named $2 in messages and files); a screenshot to
# ARTIFACT_DIR/$2.png.
check_page() {
  local page=$1 name=$2 check log
  open_page "$page" "$work/$name.dom.html" "$work/$name.chromium.log" ||
    fail "$name: chromium exited $? (log: $(tail -5 "$work/$name.chromium.log"))"
  check=$(verdict "$work/$name.dom.html")
  echo "page check ($name): $check"
  case "$check" in
    ok\ *errors=0\ blocked=0) ;;
    *)
      log=$(grep -o 'data-check-log="[^"]*"' "$work/$name.dom.html")
      fail "$name: the page reports '$check' $log"
      ;;
  esac
  if grep -q ':CONSOLE' "$work/$name.chromium.log"; then
    grep ':CONSOLE' "$work/$name.chromium.log"
    fail "$name: the browser logged console messages"
  fi
  if grep -Eq 'net::ERR_|Failed to load resource' "$work/$name.chromium.log"; then
    grep -E 'net::ERR_|Failed to load resource' "$work/$name.chromium.log"
    fail "$name: a request failed"
  fi
  local profile
  profile=$(mktemp -d "$work/profile.XXXXXX")
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars --virtual-time-budget=5000 \
    --screenshot="$artifacts/$name.png" --window-size=1280,4000 "file://$page" \
    >/dev/null 2>&1 || fail "$name: screenshot: chromium exited $?"
  [ -s "$artifacts/$name.png" ] || fail "$name: no screenshot written"
  echo "screenshot: $artifacts/$name.png"
}
check_page "$work/report.html" report

# The same run from the store: 10 charts (no per-turn charts: the store keeps
# final figures only), the same capture and final-figure data as the folder's.
"$bin" report --store "$work/s.db" --run 1 --kernels-dir "$src/kernels" \
  -o "$work/store-report.html" >/dev/null || fail "store report exited $?"
"$bin" report --store "$work/s.db" --run 1 --kernels-dir "$src/kernels" \
  -o "$work/store-again.html" >/dev/null || fail "second store report exited $?"
cmp -s "$work/store-report.html" "$work/store-again.html" ||
  fail "the same stored run gave two different reports"
cp "$work/store-report.html" "$artifacts/store-report.html"
check_page "$work/store-report.html" store-report
case "$(verdict "$work/store-report.dom.html")" in
  ok\ charts=10/10\ *) ;;
  *) fail "store report: expected 10 charts, got '$(verdict "$work/store-report.dom.html")'" ;;
esac

# Negative cases: each broken copy must be caught by the page's check.
broken() {
  local name=$1 inject=$2 expect=$3
  sed "s|<main>|<main>$inject|" "$work/report.html" >"$work/$name.html"
  open_page "$work/$name.html" "$work/$name.dom" "$work/$name.log" || fail "$name: chromium"
  local got
  got=$(verdict "$work/$name.dom")
  case "$got" in
    fail\ *"$expect"*) echo "broken page caught ($name): $got" ;;
    *) fail "broken page ($name) not caught: '$got'" ;;
  esac
}
broken network '<img src="http://example.com/x.png">' 'blocked=1'
broken script-error '<script>undefined_function();</script>' 'errors=1'
broken empty-chart '<canvas id="never-drawn"></canvas>' 'charts=12/13'
grep -q ':CONSOLE' "$work/network.log" || fail "the blocked request left no console line"
echo "PASS"
