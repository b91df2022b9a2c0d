#!/usr/bin/env bash
# The baseline `kfp-db copy` is compared with in bench/RESULTS.md: a plain dump and load of the same
# tables with the databases' own clients, MariaDB/MySQL -> PostgreSQL, one pipe per table:
#   mariadb --batch --quick -e "SELECT <stored columns> ..." | psql -c "\copy <table> (<columns>) FROM STDIN"
# into a PostgreSQL schema already migrated to the current version and empty (e.g. by
# `kfp-db copy --dry-run` or by starting the server once on it). Parents before children (foreign
# keys); the stored columns are the target's, without generated ones; flyway_schema_history and
# run_counts are not copied (the target's run_details triggers keep run_counts).
#
#   bench/copy-baseline.sh <mysql database> <postgresql database> [<postgresql schema>]
# Connection: MARIADB_ARGS (default "-h127.0.0.1 -ukfp -pkfp") and libpq's PG* variables.
# A NULL is written as the text NULL, so a stored string 'NULL' would arrive as NULL: the data
# sets of kfp.bench.RunsBench hold none, and `kfp-db verify` afterwards checks the result.
set -euo pipefail
source_db=$1
target_db=$2
target_schema=${3:-public}
read -r -a maria <<<"${MARIADB_ARGS:--h127.0.0.1 -ukfp -pkfp}"

pg() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$target_db" "$@"; }

# tables in foreign-key order: each "parent child" pair, plus "t t" so lone tables appear
order=$(pg -F ' ' -c "
  SELECT c.relname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = '$target_schema' AND c.relkind = 'r'
     AND c.relname NOT IN ('flyway_schema_history', 'run_counts')
  UNION ALL
  SELECT p.relname, ch.relname FROM pg_constraint k
    JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
    JOIN pg_namespace n ON n.oid = ch.relnamespace
   WHERE k.contype = 'f' AND n.nspname = '$target_schema' AND p.relname <> ch.relname" | tsort)

start=$(date +%s.%N)
for table in $order; do
  columns=$(pg -c "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns
                    WHERE table_schema = '$target_schema' AND table_name = '$table' AND is_generated = 'NEVER'")
  quoted_pg=$(sed 's/\([^,]*\)/"\1"/g' <<<"$columns")
  quoted_my=$(sed 's/\([^,]*\)/`\1`/g' <<<"$columns")
  t0=$(date +%s.%N)
  mariadb "${maria[@]}" --batch --quick --skip-column-names --default-character-set=utf8mb4 "$source_db" \
      -e "SELECT $quoted_my FROM \`$table\`" \
    | pg -c "\\copy \"$target_schema\".\"$table\" ($quoted_pg) FROM STDIN WITH (FORMAT text, NULL 'NULL')"
  printf '%-28s %8.1f s  %s rows\n' "$table" "$(echo "$(date +%s.%N) - $t0" | bc)" \
    "$(pg -c "SELECT COUNT(*) FROM \"$target_schema\".\"$table\"")"
done
printf 'total %.1f s\n' "$(echo "$(date +%s.%N) - $start" | bc)"
