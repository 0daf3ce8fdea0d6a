#!/usr/bin/env bash
# Adversarial stored values (extremes, subnormals, -0, 64 legs, odd expiries, produced values) through pg_dump and binary COPY under other settings.
#
# test/dump/extremes.sql stores each kind of value in its own table (s_* strategies,
# g_* greeks, a_* float8[] states), entered in New York time; a table whose values are
# refused where they are made is a failed check, unless the README allows that refusal
# (the SQLSTATE is named beside the table).  Each table is then carried
#   - by pg_dump and psql into a fresh database, three times, each under another
#     TimeZone, DateStyle and extra_float_digits (dump and restore alike):
#       Asia/Tokyo 'SQL, DMY' -15;  America/St_Johns German 0;  Pacific/Kiritimati
#       'Postgres, MDY' 3;
#   - by COPY ... TO/FROM (FORMAT binary) into a fresh database (schema restored by
#     pg_dump --schema-only), under the last settings;
# and must come back identical: the same bytes (strategy_send, record_send,
# array_send), the same text, and equal with = to the original when copied back in
# binary.  One check per table per carrier; a table that cannot even be created (its
# values cannot be entered) is a failed check too.  Run alone:
#   bash scripts/test extremes
source "$(dirname "$0")/lib.sh"

dir=$CONDOR_TMP/extremes
rm -rf "$dir"
mkdir -p "$dir"
chmod 777 "$dir"
src=condor_xsrc
P=(psql -X -q -v ON_ERROR_STOP=1)

"${P[@]}" -c "DROP DATABASE IF EXISTS $src" -c "CREATE DATABASE $src" >/dev/null 2>&1
"${P[@]}" -d "$src" -c "CREATE EXTENSION condor" >/dev/null
psql -X -q -At -d "$src" -f test/dump/extremes.sql >"$dir/create.log" 2>&1 || true
mapfile -t tables < <(sed -n -E "s/^CALL pg_temp.mk\('([a-z_0-9]+)'.*/\1/p" test/dump/extremes.sql)
present=" $(psql -X -At -d "$src" -c "SELECT string_agg(relname, ' ') FROM pg_class
	WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace") "
grep -vE '^refused\|' "$dir/create.log" | grep -E 'ERROR' | sed 's/^/  /' || true
have=()
for t in "${tables[@]}"; do
	if [[ "$present" == *" $t "* ]]; then
		have+=("$t")
		continue
	fi
	IFS='|' read -r _ _ refusal state msg < <(grep -E "^refused\|$t\|" "$dir/create.log" || echo "refused|$t|||not created")
	if [ -n "$refusal" ] && [ "$state" = "$refusal" ]; then
		echo "$t: refused where made, as documented ($state: $msg)"
		count 1 0
	else
		echo "FAIL $t: its values cannot even be entered: ${state:+$state: }$msg"
		count 0 1
	fi
done

# The identity of each table's values, one line per row: table, id, md5 of the binary
# form, the text under fixed settings.
fingerprints() {
	local db=$1 t send q=""
	for t in "${have[@]}"; do
		case $t in
		s_*) send=strategy_send ;;
		g_*) send=record_send ;;
		*) send=array_send ;;
		esac
		q+="${q:+ UNION ALL }SELECT '$t', id, md5($send(v)), v::text FROM $t"
	done
	PGOPTIONS="-c extra_float_digits=1 -c TimeZone=UTC -c DateStyle=ISO,YMD" \
		psql -X -At -d "$db" -c "$q ORDER BY 1, 2" 2>&1
}

# Per table, how many rows of db are not = to the original once copied back in binary.
unequal_back() {
	local db=$1 t out=$dir/back
	rm -rf "$out"
	mkdir -p "$out"
	for t in "${have[@]}"; do
		printf '\\copy %s TO %s (FORMAT binary)\n' "$t" "$out/$t.bin"
	done | psql -X -q -d "$db" >/dev/null 2>&1 || true
	for t in "${have[@]}"; do
		printf 'CREATE TEMP TABLE back_%s (LIKE %s);\n' "$t" "$t"
		printf '\\copy back_%s FROM %s (FORMAT binary)\n' "$t" "$out/$t.bin"
		printf "SELECT '%s', count(*) FROM %s o FULL JOIN back_%s b USING (id) WHERE o.v IS DISTINCT FROM b.v;\n" "$t" "$t" "$t"
	done | psql -X -q -At -d "$src" 2>&1 | grep -v '^COPY [0-9]*$' || true
}

compare() {
	local how=$1 db=$2 t a b q
	a=$(fingerprints "$src")
	b=$(fingerprints "$db")
	q=$(unequal_back "$db")
	for t in "${have[@]}"; do
		if [ "$(grep "^$t|" <<<"$a")" = "$(grep "^$t|" <<<"$b")" ] && grep -qx "$t|0" <<<"$q"; then
			count 1 0
		else
			echo "FAIL $t through $how:"
			diff <(grep "^$t|" <<<"$a") <(grep "^$t|" <<<"$b") | grep '^[<>]' | cut -c1-300 | head -6 | sed 's/^/    /' || true
			grep -qx "$t|0" <<<"$q" ||
				echo "    copied back in binary, rows not = to the original: $(grep -E "^$t\||ERROR" <<<"$q" | head -2 | tr '\n' ' ' | cut -c1-300)"
			count 0 1
		fi
	done
}

settings=("-c TimeZone=Asia/Tokyo -c DateStyle=SQL,DMY -c extra_float_digits=-15"
	"-c TimeZone=America/St_Johns -c DateStyle=German -c extra_float_digits=0"
	"-c TimeZone=Pacific/Kiritimati -c DateStyle=Postgres,MDY -c extra_float_digits=3")
i=0
for s in "${settings[@]}"; do
	i=$((i + 1))
	db=condor_xdump$i
	"${P[@]}" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
	PGOPTIONS="$s" "$PGBIN/pg_dump" -d "$src" -f "$dir/dump$i.sql"
	PGOPTIONS="$s" psql -X -q -d "$db" -f "$dir/dump$i.sql" >"$dir/restore$i.log" 2>&1 || true
	if grep -q ERROR "$dir/restore$i.log"; then
		echo "restore $i ($s) reported:"
		grep -E 'ERROR|CONTEXT' "$dir/restore$i.log" | cut -c1-250 | sed 's/^/    /' | head -20
	fi
	compare "pg_dump/restore ($s)" "$db"
done

db=condor_xbinary
"${P[@]}" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
"$PGBIN/pg_dump" --schema-only -d "$src" | psql -X -q -d "$db" >/dev/null 2>&1
for t in "${have[@]}"; do
	rm -f "$dir/$t.bin"
	PGOPTIONS="${settings[0]}" psql -X -q -d "$src" -c "\\copy $t TO '$dir/$t.bin' (FORMAT binary)" 2>&1 | head -3 || true
	PGOPTIONS="${settings[2]}" psql -X -q -d "$db" -c "\\copy $t FROM '$dir/$t.bin' (FORMAT binary)" 2>&1 | head -3 | sed "s/^/  $t: /" || true
done
compare "COPY (FORMAT binary)" "$db"
part_end
