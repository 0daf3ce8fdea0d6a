# scripts/lib.sh -- shared by scripts/demo and scripts/test: install what is missing,
# build and install condor, run a throwaway PostgreSQL cluster on a Unix socket.
# Sourced, not run.

set -euo pipefail

CONDOR_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGVER=${PGVER:-15}
PGBIN=/usr/lib/postgresql/$PGVER/bin
export CONDOR_REFDIR=${CONDOR_REFDIR:-$(cd "$CONDOR_ROOT/.." && pwd)/shared/reference}

log() { printf '== %s\n' "$*" >&2; }

# Debian packages the build and the tests need; installed only when missing.
condor_deps() {
	local need=()
	dpkg -s "postgresql-$PGVER" >/dev/null 2>&1 || need+=("postgresql-$PGVER")
	dpkg -s "postgresql-server-dev-$PGVER" >/dev/null 2>&1 || need+=("postgresql-server-dev-$PGVER")
	dpkg -s "postgresql-$PGVER-pgtap" >/dev/null 2>&1 || need+=("postgresql-$PGVER-pgtap")
	command -v make >/dev/null 2>&1 || need+=(make)
	command -v gcc >/dev/null 2>&1 || need+=(gcc)
	dpkg -s libc6-dev >/dev/null 2>&1 || need+=(libc6-dev)
	dpkg -s tzdata >/dev/null 2>&1 || need+=(tzdata)
	if [ ${#need[@]} -gt 0 ]; then
		log "installing ${need[*]}"
		local sudo=""
		[ "$(id -u)" -eq 0 ] || sudo=sudo
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
	fi
}

condor_build() {
	log "building and installing condor"
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	make -C "$CONDOR_ROOT" -s PG_CONFIG="$PGBIN/pg_config" >/dev/null
	$sudo make -C "$CONDOR_ROOT" -s PG_CONFIG="$PGBIN/pg_config" install >/dev/null
}

# Start a cluster in a fresh temporary directory, listening only on a socket there; it
# is stopped and removed on exit, whatever the exit.  Sets PGHOST, PGPORT, PGUSER.
condor_cluster_start() {
	CONDOR_TMP=$(mktemp -d /tmp/condor.XXXXXX)
	trap condor_cluster_stop EXIT
	local run=()
	if [ "$(id -u)" -eq 0 ]; then
		# initdb refuses to run as root: the server runs as the postgres user
		chown postgres: "$CONDOR_TMP"
		chmod 755 "$CONDOR_TMP"
		run=(runuser -u postgres --)
	fi
	CONDOR_RUN=("${run[@]}")
	"${run[@]}" "$PGBIN/initdb" -D "$CONDOR_TMP/data" -U postgres -A trust \
		--no-sync -E UTF8 --locale=C >"$CONDOR_TMP/initdb.log" 2>&1 ||
		{ cat "$CONDOR_TMP/initdb.log" >&2; return 1; }
	"${run[@]}" "$PGBIN/pg_ctl" -D "$CONDOR_TMP/data" -l "$CONDOR_TMP/server.log" -w \
		-o "-c listen_addresses='' -k $CONDOR_TMP -p 54329 -c fsync=off -c max_worker_processes=8 -c max_parallel_workers=4" \
		start >/dev/null ||
		{ cat "$CONDOR_TMP/server.log" >&2; return 1; }
	export PGHOST=$CONDOR_TMP PGPORT=54329 PGUSER=postgres PGDATABASE=postgres
	log "throwaway cluster on socket $CONDOR_TMP"
}

condor_cluster_stop() {
	local rc=$?
	if [ -n "${CONDOR_TMP:-}" ] && [ -d "$CONDOR_TMP" ]; then
		"${CONDOR_RUN[@]}" "$PGBIN/pg_ctl" -D "$CONDOR_TMP/data" -m immediate stop >/dev/null 2>&1 || true
		rm -rf "$CONDOR_TMP"
	fi
	return $rc
}
