#!/usr/bin/env bash
# Generation time of builds of the generator against each other, on one spec: runs
# alternate between the builds, and each build's generator time (as `codegen --timings`
# prints it) is summed up as min, median and max. BENCHMARKS.md ("Memory first touched,
# and paths on every core") has numbers this printed.
#
#   scripts/codegen-ab.sh SPEC RUNS XTASK...
#
# XTASK: release builds of this repository's xtask, for example one built at an older commit
# in a worktree (`git worktree add /tmp/old COMMIT && cd /tmp/old && cargo build --release
# -p xtask`) and copied aside, and the current one. Runs alternate so that the machine's
# drift falls on every build alike; on a 2-core VM one run varies by ±20 %, so read the
# medians of five or more.
set -euo pipefail
if [ $# -lt 3 ]; then
    echo "usage: $0 SPEC RUNS XTASK..." >&2
    exit 2
fi
spec=$1
runs=$2
shift 2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
declare -A times
for _ in $(seq "$runs"); do
    for xtask in "$@"; do
        rm -rf "$out/crate"
        line=$("$xtask" codegen --spec "$spec" --out "$out/crate" --timings 2>&1 | grep '^generator ') || {
            echo "$xtask did not print its generator time for $spec" >&2
            exit 1
        }
        times[$xtask]="${times[$xtask]:-} $(echo "$line" | awk '{print $2}')"
    done
done
for xtask in "$@"; do
    echo "$xtask: $(echo ${times[$xtask]} | tr ' ' '\n' | sort -n |
        awk '{t[NR] = $1} END {printf "median %d ms (min %d, max %d; %d runs)", t[int((NR + 1) / 2)], t[1], t[NR], NR}')"
done
