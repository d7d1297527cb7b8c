#!/usr/bin/env bash
# Replaces the section between "<!-- NAME begin -->" and "<!-- NAME end -->" of a Markdown file with stdin,
# adding the markers (after the title) if the file has none, so each benchmark script keeps the others' figures.
# Usage: some-command | bench/replace-section.sh NAME FILE
set -euo pipefail
name=$1 doc=$2
begin="<!-- $name begin -->" end="<!-- $name end -->"
section=$(mktemp); cat > "$section"
[ -f "$doc" ] || printf '# Benchmarks\n' > "$doc"
if ! grep -qF "$begin" "$doc"; then
  { head -1 "$doc"; echo; echo "$begin"; echo "$end"; tail -n +2 "$doc"; } > "$doc.new" && mv "$doc.new" "$doc"
fi
awk -v begin="$begin" -v end="$end" -v section="$section" '
  $0 == begin {print; while ((getline line < section) > 0) print line; skip = 1; next}
  $0 == end {skip = 0}
  !skip {print}' "$doc" > "$doc.new" && mv "$doc.new" "$doc"
rm -f "$section"
