# scripts/lib.sh -- shared by scripts/demo, scripts/test and scripts/bench: install what
# is missing, build condor, install it (system-wide, or into a private copy of the
# PostgreSQL tree for the tests), run a throwaway PostgreSQL cluster on a Unix socket.
# Sourced, not run.

set -euo pipefail

CONDOR_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGVER=${PGVER:-15}
SYS_PGBIN=/usr/lib/postgresql/$PGVER/bin
PGBIN=${PGBIN:-$SYS_PGBIN}

log() { printf '== %s\n' "$*" >&2; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages the build and the tests need; installed only when missing.
# Extra package names may be passed (e.g. sqlsmith for the tests).
condor_deps() {
	local need=()
	local p
	for p in "postgresql-$PGVER" "postgresql-server-dev-$PGVER" "postgresql-$PGVER-pgtap" \
		make gcc libc6-dev tzdata "$@"; do
		dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
	done
	if [ ${#need[@]} -gt 0 ]; then
		log "installing ${need[*]}"
		as_root apt-get update -qq
		DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
			"${need[@]}" >/dev/null
	fi
}

# Build condor against the system server's headers.
condor_build() {
	log "building condor"
	make -C "$CONDOR_ROOT" -s PG_CONFIG="$SYS_PGBIN/pg_config" >/dev/null
}

# Install into the system server (what a user does: the demo and the benchmarks).
condor_install_system() {
	log "installing condor into $(dirname "$SYS_PGBIN")"
	as_root make -C "$CONDOR_ROOT" -s PG_CONFIG="$SYS_PGBIN/pg_config" install >/dev/null
	PGBIN=$SYS_PGBIN
}

# A private, relocated copy of the server (binaries and share copied, libraries linked)
# in directory $1, with condor installed into it from the tree built in $2 (default the
# checkout).  PostgreSQL finds share/ and lib/ relative to its binaries, so a cluster
# run from $1 loads this condor and nothing installed system-wide is touched: test runs
# in parallel checkouts, and sanitizer builds, cannot disturb each other.  Sets PGBIN.
condor_install_private() {
	local root=$1 src=${2:-$CONDOR_ROOT}
	local sys_lib sys_share
	sys_lib=$("$SYS_PGBIN/pg_config" --pkglibdir)
	sys_share=$("$SYS_PGBIN/pg_config" --sharedir)
	mkdir -p "$root$SYS_PGBIN" "$root$sys_lib" "$(dirname "$root$sys_share")"
	cp -a "$SYS_PGBIN/." "$root$SYS_PGBIN/"
	cp -a "$sys_share" "$(dirname "$root$sys_share")/"
	local f
	for f in "$sys_lib"/*; do
		ln -sfn "$f" "$root$sys_lib/$(basename "$f")"
	done
	rm -f "$root$sys_lib/condor.so"
	make -C "$src" -s PG_CONFIG="$SYS_PGBIN/pg_config" DESTDIR="$root" install >/dev/null
	chmod -R a+rX "$root"
	PGBIN=$root$SYS_PGBIN
}

# Start a cluster in a fresh temporary directory, listening only on a socket there; it
# is stopped and removed on exit, whatever the exit.  Sets PGHOST, PGPORT, PGUSER.
# Extra arguments are server settings ("-c name=value ...").
condor_tmpdir() {
	if [ -z "${CONDOR_TMP:-}" ]; then
		CONDOR_TMP=$(mktemp -d /tmp/condor.XXXXXX)
		CONDOR_TMP_OWNER=$$
		chmod 755 "$CONDOR_TMP"
	fi
}

# The command prefix that runs a server program: initdb refuses to run as root, so as
# root the server runs as the postgres user.
condor_runner() {
	CONDOR_RUN=()
	if [ "$(id -u)" -eq 0 ]; then
		CONDOR_RUN=(runuser -u postgres --)
	fi
}

# condor_cluster_init DIR [settings...]: a new cluster in DIR, started, on socket DIR.
condor_cluster_init() {
	local dir=$1
	shift
	condor_runner
	mkdir -p "$dir"
	[ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
	"${CONDOR_RUN[@]}" "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust \
		--no-sync -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; return 1; }
	CONDOR_CLUSTERS+=("$dir")
	condor_cluster_up "$dir" "$@"
}

# condor_cluster_up DIR [settings...]: start the cluster in DIR (made by
# condor_cluster_init) with the server programs of $PGBIN, on socket DIR; a cluster
# stopped with pg_ctl can be started again this way, e.g. under another server tree.
# The server runs with the environment assignments in the array CONDOR_SERVER_ENV
# (empty by default; the sanitizer part preloads libasan with it).
CONDOR_SERVER_ENV=()
condor_cluster_up() {
	local dir=$1
	shift
	condor_runner
	"${CONDOR_RUN[@]}" env "${CONDOR_SERVER_ENV[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		-o "-c listen_addresses='' -k $dir -p 54329 -c fsync=off -c max_worker_processes=16 -c max_parallel_workers=4 $*" \
		start >/dev/null ||
		{ cat "$dir/server.log" >&2; return 1; }
}

condor_cluster_start() {
	condor_tmpdir
	condor_cluster_init "$CONDOR_TMP/main" "$@"
	export PGHOST=$CONDOR_TMP/main PGPORT=54329 PGUSER=postgres PGDATABASE=postgres
	log "throwaway cluster on socket $PGHOST"
}

# Every process that sources this file stops the clusters it started, and removes the
# temporary directory it made, when it exits.
CONDOR_CLUSTERS=()
trap condor_cleanup EXIT
condor_cleanup() {
	local rc=$?
	local d
	condor_runner
	for d in "${CONDOR_CLUSTERS[@]}"; do
		"${CONDOR_RUN[@]}" "$PGBIN/pg_ctl" -D "$d/data" -m immediate stop >/dev/null 2>&1 || true
	done
	if [ "${CONDOR_TMP_OWNER:-}" = "$$" ] && [ -d "$CONDOR_TMP" ] && [ -z "${CONDOR_KEEP:-}" ]; then
		rm -rf "$CONDOR_TMP"
	fi
	return $rc
}
