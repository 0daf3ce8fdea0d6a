#!/usr/bin/env bash
# The Debian package: dpkg-buildpackage (with its installcheck) on a copy of the tree, dpkg -i, CREATE EXTENSION on the system server.
# needs: dpkg-dev debhelper postgresql-server-dev-all
source "$(dirname "$0")/lib.sh"

# Installing the package replaces the system-wide condor files; they are saved first and
# put back at the end (the package removed again if it was not installed before), and
# concurrent runs of this part on one machine take turns.
dir=$CONDOR_TMP/deb
pkg=postgresql-$PGVER-condor
mkdir -p "$dir/saved"
need_path debian/control "the packaging" || { part_end; exit 0; }

# A clean copy of the tree: dpkg-buildpackage builds in place and cleans up after itself.
mkdir -p "$dir/condor"
tar -C "$CONDOR_ROOT" --exclude=./.git -cf - . | tar -x -C "$dir/condor"
make -C "$dir/condor" -s clean PG_CONFIG="$SYS_PGBIN/pg_config" >/dev/null
rm -rf "$dir/condor/debian/$pkg" "$dir/condor/debian/.debhelper"

# The package's own installcheck runs in a pg_virtualenv cluster on a TCP port; a port
# of its own keeps concurrent builds apart.
log "dpkg-buildpackage -us -uc -b (its build runs the regression suite)"
start=$(date +%s)
(cd "$dir/condor" && PGPORT=$((20000 + RANDOM % 20000)) dpkg-buildpackage -us -uc -b) \
	>"$dir/build.log" 2>&1 && rc=0 || rc=$?
echo "package built in $(($(date +%s) - start)) s"
grep -E '^(test| ) .* \.\.\. |tests passed|FAILED' "$dir/build.log" | tail -20 || true
[ "$rc" -eq 0 ] || tail -40 "$dir/build.log"
check "dpkg-buildpackage -us -uc -b, with the package's installcheck" "$rc"
deb=$(ls "$dir"/"$pkg"_*.deb 2>/dev/null | head -1)
need_path "${deb:-$dir/${pkg}_*.deb}" "the package" || { part_end; exit 0; }
files=$(dpkg-deb -c "$deb")
for f in "lib/postgresql/$PGVER/lib/condor.so" "share/postgresql/$PGVER/extension/condor.control" \
	"extension/condor--$CONDOR_VERSION.sql" "extension/condor--0.1.0.sql" \
	"extension/condor--0.1.0--$CONDOR_VERSION.sql"; do
	expect "the package holds $f" grep -q "$f" <<<"$files"
done

exec 9>/tmp/condor-deb-part.lock
must "wait for another run of this part (lock /tmp/condor-deb-part.lock)" flock -w 900 9
sys_lib=$("$SYS_PGBIN/pg_config" --pkglibdir)
sys_ext=$("$SYS_PGBIN/pg_config" --sharedir)/extension
was_installed=$(dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -c 'ok installed' || true)
cp -a "$sys_lib"/condor.so "$sys_ext"/condor.control "$sys_ext"/condor--*.sql "$dir/saved/" 2>/dev/null || true
# If the package was installed before, the new one stays (its files are what dpkg
# records); otherwise it is removed and the files it replaced (a make install) come back.
# Files go back by rename, never rewritten in place: a running server may have the
# library mapped.
restore() {
	local f to
	[ "$was_installed" -eq 0 ] || return 0
	as_root dpkg -r "$pkg" >/dev/null 2>&1 || true
	for f in "$dir/saved"/*; do
		[ -e "$f" ] || continue
		case $f in *.so) to=$sys_lib ;; *) to=$sys_ext ;; esac
		as_root cp -a "$f" "$to/.$(basename "$f").restore" &&
			as_root mv -f "$to/.$(basename "$f").restore" "$to/$(basename "$f")" || true
	done
}
trap 'restore; condor_cleanup' EXIT

out=$(as_root dpkg -i "$deb" 2>&1) && rc=0 || rc=$?
[ "$rc" -eq 0 ] || printf '%s\n' "$out"
check "dpkg -i $(basename "$deb")" "$rc"

# A throwaway cluster of the system server tree (not the private copy the other parts
# use) loads the packaged condor.
main_host=$PGHOST
PGBIN=$SYS_PGBIN
must "a cluster of the system server" condor_cluster_init "$dir/db"
export PGHOST=$dir/db
query="SELECT round(bs_price('C', 5800, 5900, 30 / 365.0, 0.15, 0.045, 0.013)::numeric, 12),
              breakevens('-1 P 5400 \"2025-10-31 16:00\" @ 33.55; 1 P 5350 \"2025-10-31 16:00\" @ 29.05'::strategy)"
out=$(sql -c "CREATE EXTENSION condor" -c "SELECT extversion FROM pg_extension WHERE extname = 'condor'" 2>&1) || true
expect "CREATE EXTENSION condor from the package (got: $out)" [ "$out" = "$CONDOR_VERSION" ]
got=$(sql -c "$query" 2>&1) || true
want=$(sql -h "$main_host" -c "DROP DATABASE IF EXISTS condor_deb" -c "CREATE DATABASE condor_deb" &&
	sql -h "$main_host" -d condor_deb -c "CREATE EXTENSION condor" -c "$query" 2>&1) || true
echo "packaged condor: $got"
expect "the packaged condor computes what the tested build does ($got vs $want)" [ -n "$got" -a "$got" = "$want" ]
out=$(sql -c "CREATE DATABASE up" && sql -d up -c "CREATE EXTENSION condor VERSION '0.1.0'" \
	-c "ALTER EXTENSION condor UPDATE" -c "SELECT extversion FROM pg_extension WHERE extname = 'condor'" 2>&1) || true
expect "the package updates a 0.1.0 database (got: $out)" [ "$out" = "$CONDOR_VERSION" ]
part_end
