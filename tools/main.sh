#!/usr/bin/env bash
# The main job: build in release mode, validate the bundled kernels, run the
# default tournament (the seed's five matchups x seeds 0..7, 60 turns,
# treasury 1000) on kernel v0.1, and check the shipped records against v0.3.
# Artifacts go to a new folder, runs/tournament-<UTC time>/ unless named:
#   tools/main.sh [OUT_DIR]      (OUT_DIR must not exist or be empty)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/runs/tournament-$(date -u +%Y%m%dT%H%M%SZ)}"
"$root/tools/install-deps.sh"
cmake -S "$root" -B "$root/build-release" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DFABLE_BUILD_TESTS=OFF >/dev/null
cmake --build "$root/build-release" --target fable-selfplay
bin="$root/build-release/fable-selfplay"
cd "$root"
"$bin" kernel validate kernels/kernel-v0.1.yaml kernels/kernel-v0.2.yaml kernels/kernel-v0.3.yaml
"$bin" tournament --kernel kernels/kernel-v0.1.yaml --out "$out" --threads "$(nproc)"
"$bin" verify --kernel kernels/kernel-v0.3.yaml exploits
echo "artifacts: $out (summary.md, exploits/, episodes/)" >&2
