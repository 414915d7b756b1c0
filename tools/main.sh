#!/usr/bin/env bash
# The main job: build in release mode, validate the bundled kernels and play
# the six canonical holes on both, writing the report to runs/main/.
# Usage: tools/main.sh [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/runs/main}"
"$root/tools/install-deps.sh"
cmake -S "$root" -B "$root/build-release" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFABLE_BUILD_TESTS=OFF >/dev/null
cmake --build "$root/build-release" --target fable-selfplay
bin="$root/build-release/fable-selfplay"
mkdir -p "$out"
cd "$root"
"$bin" kernel validate kernels/kernel-v0.1.yaml kernels/kernel-v0.2.yaml | tee "$out/kernels.txt"
"$bin" kernel diff kernels/kernel-v0.1.yaml kernels/kernel-v0.2.yaml | tee "$out/diff.txt"
"$bin" holes --kernel kernels/kernel-v0.1.yaml kernels/kernel-v0.2.yaml | tee "$out/holes.txt"
echo "artifacts written to $out" >&2
