#!/usr/bin/env bash
# Install the Debian packages fable-selfplay builds with, only those missing.
# Idempotent; needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  g++ cmake ninja-build
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libgtest-dev librapidcheck-dev libbenchmark-dev
  clang clang-format clang-tidy
  libclang-rt-14-dev  # libFuzzer and the sanitizer runtimes of clang 14 (tools/fuzz.sh)
  pybind11-dev python3-dev python3-pytest  # the Python module (FABLE_PYTHON, docs/python.md)
  libsqlite3-dev sqlite3  # the run store (--store, docs/store-format.md); sqlite3 for its tests
  libopenmpi-dev openmpi-bin  # FABLE_MPI: tournament and run across mpirun ranks
  libjs-chart.js chromium  # the HTML report: Chart.js to embed; its browser test (docs/report.md)
  libjemalloc-dev  # the allocator of the fable-selfplay executable (FABLE_JEMALLOC, on by default)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
