#!/usr/bin/env bash
# Peak memory of big uploads and downloads through a generated client. BENCHMARKS.md
# ("Files that do not sit in memory") has the numbers this printed and how to read them.
#
#   scripts/files-memory.sh [MEGABYTES]      (default: 100)
#
# Environment: WORK (scratch folder, default $TMPDIR/files-memory; its target/ is kept
# between runs), MODES (default: all five, see below).
#
# Method: the crate of tests/fixtures/files.yaml (a multipart upload shaped as Auth0's users
# import, a binary answer) is generated into WORK, in a workspace of its own with this
# repository's Cargo.lock, and scripts/files-memory/memory.rs is copied in as its example
# `memory` and built in release. Each mode runs in a process of its own, the client and a
# loopback server (127.0.0.1, a thread that counts the body's bytes in 64 KiB chunks and
# keeps none) together, under `/usr/bin/time -v`; the program prints the bytes on the wire
# and its own VmHWM (peak resident memory), and the script the maximum resident set size
# `time` saw (the same number, from outside). The baselines (`upload-bytes`,
# `download-whole`) hold the file in memory, as before streaming existed.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
megabytes=${1:-100}
modes=${MODES:-upload-path upload-stream upload-bytes download-stream download-whole}
work=${WORK:-${TMPDIR:-/tmp}/files-memory}
name=generated-files

mkdir -p "$work"
work=$(cd "$work" && pwd)
(cd "$root" && cargo run --quiet -p xtask -- codegen --spec tests/fixtures/files.yaml --out "$work/$name" \
    --crate-name "$name" >"$work/codegen.log" 2>&1) || { cat "$work/codegen.log"; exit 1; }
printf '[workspace]\nresolver = "2"\nmembers = ["%s"]\n' "$name" >"$work/Cargo.toml"
cp "$root/Cargo.lock" "$work/Cargo.lock"
mkdir -p "$work/$name/examples"
cp "$root/scripts/files-memory/memory.rs" "$work/$name/examples/memory.rs"
(cd "$work" && CARGO_TARGET_DIR="$work/target" cargo build --quiet --release --example memory)

for mode in $modes; do
    /usr/bin/time -v "$work/target/release/examples/memory" "$mode" "$megabytes" 2>"$work/time.log"
    grep -E "Maximum resident set size" "$work/time.log" | sed 's/^\s*/    time -v: /'
done
