#!/usr/bin/env bash
# Build times of a generated crate under its feature sets: one group alone, all groups (the
# default features), and the command-line tool. BENCHMARKS.md ("Picking what you compile")
# has the numbers this printed and how to read them.
#
#   scripts/build-times.sh [SPEC]      (default: spec/auth0/management-api.json)
#
# The default spec is read with the overlay beside it, as `cargo xtask codegen` reads it, so the
# crate measured is generated-client/ under another name.
#
# Environment: GROUP (the feature built alone, default `users`), JOBS (cargo -j, default 2),
# WORK (scratch folder, default $TMPDIR/build-times; its target/ is kept between runs),
# BUILDS (which builds to measure, default `group all cli`; `unused` adds the feature
# `unused-schemas` to all groups), XTASK (the generator to run, default
# this repository's `cargo run --release -p xtask --`; e.g. an older build of it, to compare).
#
# Method: the crate is generated into WORK, in a workspace of its own with this repository's
# Cargo.lock (the same dependency versions). For each feature set, a first `cargo build`
# compiles the dependencies (with that set's dependency features) and the crate; `cargo clean -p`
# removes the crate's own artifacts (incremental cache included) and a second, measured
# build compiles the crate alone, as a user's first build of it after its dependencies. The
# measured build runs under `/usr/bin/time -v`: its wall time, its CPU time (user and system,
# all processes; less sensitive than wall time to other work on the machine), and its peak
# resident memory, which is the largest process of the build, rustc compiling the crate
# (cargo itself stays under 100 MB). Debug profile, as `cargo build` without `--release`.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
spec=${1:-$root/spec/auth0/management-api.json}
builds=${BUILDS:-group all cli}
group=${GROUP:-users}
jobs=${JOBS:-2}
work=${WORK:-${TMPDIR:-/tmp}/build-times}
name=auth0-full

mkdir -p "$work"
work=$(cd "$work" && pwd)
xtask=${XTASK:-cargo run --quiet --release -p xtask --}
(cd "$root" && $xtask codegen --spec "$spec" --out "$work/$name" --crate-name "$name" >"$work/codegen.log" 2>&1) ||
    { cat "$work/codegen.log"; exit 1; }
printf '[workspace]\nresolver = "2"\nmembers = ["%s"]\n' "$name" >"$work/Cargo.toml"
cp "$root/Cargo.lock" "$work/Cargo.lock"
export CARGO_TARGET_DIR=$work/target

echo "spec: $spec ($(grep -c '' "$work/$name/src/types.rs") lines in types.rs)"
echo "rustc: $(rustc --version); cargo -j $jobs; $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| build | command | wall | CPU (user + system) | peak memory (rustc) |"
echo "|---|---|---|---|---|"

# measure LABEL ARGS...: the crate alone, built with `cargo build ARGS...`.
measure() {
    local label=$1
    shift
    (cd "$work" && cargo build --quiet -j "$jobs" -p "$name" "$@")
    (cd "$work" && cargo clean --quiet -p "$name")
    (cd "$work" && /usr/bin/time -v -o "$work/time.txt" cargo build --quiet -j "$jobs" -p "$name" "$@")
    local wall rss
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt" |
        awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.1f s", s }')
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt" | awk '{ printf "%.2f GB", $1 / 1e6 }')
    cpu=$(sed -n 's/.*\(User\|System\) time (seconds): //p' "$work/time.txt" | awk '{ s += $1 } END { printf "%.1f s", s }')
    echo "| $label | \`cargo build $*\` | $wall | $cpu | $rss |"
}

for build in $builds; do
    case $build in
    group) measure "one group (\`$group\`)" --no-default-features --features "rustls,$group" ;;
    all) measure "all groups (default features)" ;;
    unused) measure "all groups and \`unused-schemas\`" --features unused-schemas ;;
    cli) measure "the command-line tool" --features cli --bins ;;
    *) echo "unknown build: $build (group, all, unused or cli)" >&2; exit 2 ;;
    esac
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
