#!/usr/bin/env bash
# Convert time and peak RSS of `gzcm convert` for every shared .cool, every .mcool resolution
# and every .hic resolution (issue 10's benchmark). Prints a Markdown table; with Python's
# `cooler` installed, also times `cooler dump` writing the same pixels of the largest .cool.
#
#   gzcm-bench/scripts/hic-convert.sh [DATA_DIR]     (default: $GZCM_TEST_DATA or ../shared/data)
#
# Builds the release binary first (or uses $GZCM_BIN). Resolutions of multi-resolution files are taken from gzcm's
# own error message when none is given ("resolutions in the file: …").
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
data="${1:-${GZCM_TEST_DATA:-$root/../shared/data}}"
if [[ ! -d "$data" ]]; then
    echo "no shared data at $data (pass a directory or set GZCM_TEST_DATA)" >&2
    exit 1
fi
if [[ ! -x /usr/bin/time ]]; then
    echo "/usr/bin/time is needed for peak RSS (Debian: apt-get install time)" >&2
    exit 1
fi
if [[ -n "${GZCM_BIN:-}" ]]; then
    gzcm="$GZCM_BIN"
else
    cargo build --release -p gzcm-cli --manifest-path "$root/Cargo.toml" >&2
    gzcm="$root/target/release/gzcm"
fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# Prints one table row: input label, resolution, seconds, peak RSS, output size.
measure() {
    local label="$1" resolution="$2"
    shift 2
    if /usr/bin/time -v -o "$scratch/time" "$gzcm" convert "$@" "$scratch/out.gzcm" --overwrite \
        >/dev/null 2>"$scratch/err"; then
        local seconds rss bytes
        seconds="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$scratch/time")"
        rss="$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$scratch/time")"
        bytes="$(stat -c %s "$scratch/out.gzcm")"
        echo "| $label | $resolution | $seconds | $rss | $bytes |"
    else
        echo "| $label | $resolution | failed: $(head -c 200 "$scratch/err" | tr '\n' ' ') | | |"
    fi
}

# The resolutions a multi-resolution file holds, from gzcm's error message.
resolutions() {
    "$gzcm" convert "$1" "$scratch/probe.gzcm" 2>&1 >/dev/null \
        | sed -n 's/.*resolutions in the file: //p' | tr -d ',' || true
}

echo "| input | resolution (bp) | wall time (m:ss) | peak RSS (MiB) | .gzcm bytes |"
echo "|---|---|---|---|---|"
for cool in "$data"/*.cool; do
    measure "$(basename "$cool")" "-" "$cool"
done
for multi in "$data"/*.mcool "$data"/*.hic; do
    [[ -e "$multi" ]] || continue
    found="$(resolutions "$multi")"
    if [[ -z "$found" ]]; then
        measure "$(basename "$multi")" "-" "$multi"
        continue
    fi
    for r in $found; do
        measure "$(basename "$multi")" "$r" "$multi" --resolution "$r"
    done
done

cooler="${COOLER:-$(command -v cooler || true)}"
if [[ -z "$cooler" && -x "$root/target/py-venv/bin/cooler" ]]; then
    cooler="$root/target/py-venv/bin/cooler"
fi
if [[ -n "$cooler" ]]; then
    largest="$(ls -S "$data"/*.cool | head -n 1)"
    echo
    echo "The largest .cool, $(basename "$largest"): cooler dump writing its pixels as text, gzcm convert"
    echo "reading them into a .gzcm, gzcm export writing them back as a .cool:"
    # /usr/bin/time reports on stderr; -o keeps each figure in order on stdout.
    /usr/bin/time -o "$scratch/t" -f "  cooler dump -t pixels: %e s, peak RSS %M KiB" "$cooler" dump \
        -t pixels -o "$scratch/pixels.tsv" "$largest"
    cat "$scratch/t"
    /usr/bin/time -o "$scratch/t" -f "  gzcm convert: %e s, peak RSS %M KiB" "$gzcm" convert "$largest" \
        "$scratch/big.gzcm" --weights all >/dev/null
    cat "$scratch/t"
    /usr/bin/time -o "$scratch/t" -f "  gzcm export: %e s, peak RSS %M KiB" "$gzcm" export \
        "$scratch/big.gzcm" "$scratch/big.cool" >/dev/null
    cat "$scratch/t"
    echo "  ($(wc -l <"$scratch/pixels.tsv") pixel lines from cooler dump)"
else
    echo
    echo "(Python's cooler is not installed: no cooler dump comparison)"
fi
