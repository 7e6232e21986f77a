#!/usr/bin/env bash
# Export benchmark: seeds a letter with N signatories (default 1,000,000)
# into a temporary SQLite database, then times `undersigned export --format
# csv` against the sqlite3 shell writing the same rows as CSV, and reports
# the peak resident memory of each (GNU time's "Maximum resident set size").
#
#   bench/export.sh [N]          from the repository root
#   RUNS=5 bench/export.sh       more runs per command (default 3)
#   UNDERSIGNED_BIN=PATH         use this binary instead of building one
#   EXPORT_SUMMARY=1             print only "export_s sqlite3_s export_peak_kib"
#                                on standard output, for bench/run's table
#   PDF_SUMMARY=1                time only `export --format pdf` and print
#                                "pdf_s pdf_peak_kib", for bench/run's table
#
# Targets: the export within 2x the time of sqlite3, and at most 100 MiB of
# peak RSS. Needs sqlite3 and GNU time (/usr/bin/time); builds the release
# binary. Results go to bench/out/ (ignored by git); copy the summary into
# bench/RESULTS.md by hand with the date and the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-1000000}"
OUT=bench/out
mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
DB="$WORK/bench.db"
export UNDERSIGNED_DATABASE_URL="sqlite://$DB"
export UNDERSIGNED_DATA_DIR="$WORK/data"
export RUST_LOG=warn

for tool in sqlite3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench/export.sh needs $tool" >&2; exit 1; }
done

log() { printf '==> %s\n' "$*" >&2; }
# calc FORMAT EXPRESSION: arithmetic with decimals, by awk.
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

if [ -n "${UNDERSIGNED_BIN:-}" ]; then
    BIN="$UNDERSIGNED_BIN"
else
    log "building the release binary"
    cargo build --release --quiet
    BIN=target/release/undersigned
fi

log "creating the schema and the letter"
"$BIN" migrate >/dev/null
cat > "$WORK/letter.md" <<'EOF'
+++
slug = "banc-essai"
language = "fr"
title = "Lettre ouverte « banc d’essai »"
place = "Québec"
date = 2026-03-03
addressees = "À qui de droit"
preamble = "Nous soussignés :"

[[signatories]]
name = "Marie Tremblay,"
titles = ["Présidente (1998-2006)", "Officière de l’Ordre national du Québec"]
+++
Un million de noms.
EOF
"$BIN" letter publish "$WORK/letter.md" >/dev/null
LETTER_ID="$(sqlite3 "$DB" "SELECT id FROM letters WHERE slug = 'banc-essai'")"

log "seeding $N signatories in one transaction"
# One in ten is count-only, so the public export skips rows as it would in
# real life. Sort keys are the folded surname then the whole name, as the
# application would compute them for these ASCII-only names.
start=$(date +%s.%N)
sqlite3 "$DB" >/dev/null <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO signatures (id, letter_id, name, titles, email, city, is_public, tier, position,
    status, language, consent_version, wants_updates, confirmation_sends,
    created_at, updated_at, confirmed_at, withdrawn_at, sort_key)
SELECT printf('00000000-0000-7000-8000-%012d', i), '$LETTER_ID',
    'Prénom' || i || ' Nom' || (i * 7919 % 100000),
    '["Titre numéro ' || i || ', Fédération des coopératives d’habitation","Membre du conseil (' || (1990 + i % 30) || ')"]',
    'signataire' || i || '@example.org',
    CASE WHEN i % 3 = 0 THEN 'Trois-Rivières' ELSE NULL END,
    i % 10 <> 0, 'public', NULL, 'confirmed', 'fr', '2026-11-27', 0, 1,
    datetime('2026-01-01', '+' || i || ' seconds'), datetime('2026-01-01', '+' || i || ' seconds'),
    datetime('2026-01-01', '+' || i || ' seconds'), NULL,
    'nom' || (i * 7919 % 100000) || ' prenom' || i || ' nom' || (i * 7919 % 100000)
FROM n;
COMMIT;
ANALYZE;
SQL
seed_s=$(calc "%.1f" "$(date +%s.%N) - $start")
log "seeded in ${seed_s}s"

# Runs a command under GNU time RUNS times (default 3) and prints the
# fastest wall-clock seconds, the CPU seconds (user + system) of that run and
# the highest peak RSS in KiB. The fastest run is the one least disturbed by
# whatever else the machine is doing.
RUNS="${RUNS:-3}"
measure() {
    local name="$1"; shift
    local best="" best_cpu="" peak=0
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -v -o "$OUT/$name.time" "$@" > "$OUT/$name.out"
        local wall cpu rss
        # m:ss.ss or h:mm:ss to seconds
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$OUT/$name.time" \
            | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
        cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$OUT/$name.time")
        rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/$name.time")
        if [ -z "$best" ] || awk "BEGIN { exit !($wall < $best) }"; then
            best=$wall
            best_cpu=$cpu
        fi
        [ "$rss" -gt "$peak" ] && peak=$rss
    done
    echo "$best $best_cpu $peak"
}

# The same rows in the same order as the public list: the initial
# signatory, then listed public signers by confirmation time.
SQLITE_QUERY="SELECT name, titles, city, tier, confirmed_at FROM signatures
 WHERE letter_id = '$LETTER_ID' AND status = 'confirmed' AND is_public = 1
 ORDER BY tier = 'public', position, confirmed_at, id"

if [ "${PDF_SUMMARY:-0}" = 1 ]; then
    log "undersigned export --format pdf"
    read -r pdf_s _ pdf_kib < <(measure export-pdf "$BIN" export banc-essai --format pdf)
    echo "$pdf_s $pdf_kib"
    exit 0
fi

log "sqlite3 -csv"
read -r sqlite_s sqlite_cpu sqlite_kib < <(measure sqlite3 sqlite3 -csv "$DB" "$SQLITE_QUERY")
log "undersigned export --format csv"
read -r csv_s csv_cpu csv_kib < <(measure export-csv "$BIN" export banc-essai --format csv)
log "undersigned export --format csv --order surname"
read -r surname_s surname_cpu surname_kib < <(measure export-csv-surname "$BIN" export banc-essai --format csv --order surname)
log "undersigned export --format json"
read -r json_s json_cpu json_kib < <(measure export-json "$BIN" export banc-essai --format json)

rows=$(($(wc -l < "$OUT/sqlite3.out")))
exported=$(grep -c '^[0-9]' "$OUT/export-csv.out" || true)
# A ratio, or a dash when the baseline rounds to nothing (tiny N).
ratio_of() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
ratio=$(ratio_of "$csv_s" "$sqlite_s")
cpu_ratio=$(ratio_of "$csv_cpu" "$sqlite_cpu")
mib() { calc "%.1f" "$1 / 1024"; }

if [ "${EXPORT_SUMMARY:-0}" = 1 ]; then
    echo "$csv_s $sqlite_s $csv_kib"
    exit 0
fi

cat <<EOF

signatories seeded:      $N ($rows listed publicly, $exported rows in the CSV export)
seeding:                 ${seed_s}s
best of $RUNS runs:          wall, CPU (user + system), peak RSS
sqlite3 -csv:            ${sqlite_s}s, ${sqlite_cpu}s CPU, $(mib "$sqlite_kib") MiB
export csv (list order): ${csv_s}s, ${csv_cpu}s CPU, $(mib "$csv_kib") MiB  (${ratio}x sqlite3 wall, ${cpu_ratio}x CPU)
export csv (surname):    ${surname_s}s, ${surname_cpu}s CPU, $(mib "$surname_kib") MiB
export json:             ${json_s}s, ${json_cpu}s CPU, $(mib "$json_kib") MiB
targets:                 <= 2x sqlite3, <= 100 MiB
load average after:      $(cut -d' ' -f1-3 /proc/loadavg)
EOF
