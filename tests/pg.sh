#!/usr/bin/env bash
# pg.sh - a throwaway PostgreSQL server for the tests.
#
#   tests/pg.sh start DIR   initialise a cluster under DIR, start it on a free
#                           loopback port, create database dianpu_test and print
#                           its libpq URL (the only thing written to stdout)
#   tests/pg.sh stop DIR    stop that server and remove DIR
#
# The server listens on 127.0.0.1 only, with trust authentication: fine for a
# test server nobody else can reach, never for anything real. Durability is off
# (fsync, full_page_writes) because the data is thrown away.
#
# initdb and postgres refuse to run as root; as root (CI) they run as the
# `postgres` user, which is created when it does not exist. A DIR that user
# cannot reach (say under /root) is handled by keeping the cluster and its log
# in a directory under /tmp and recording that directory's path in DIR/home.
#
# PG_BIN overrides the directory holding initdb/pg_ctl/postgres/createdb.
set -euo pipefail

PORT_TRIES=20

die() {
	echo "pg.sh: $*" >&2
	exit 1
}

find_bin() {
	if [[ -n "${PG_BIN:-}" ]]; then
		echo "$PG_BIN"
		return
	fi
	if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
		echo /usr/lib/postgresql/15/bin
		return
	fi
	# Any other installed major version, newest first.
	local d
	for d in $(printf "%s\n" /usr/lib/postgresql/*/bin | sort -t/ -k5 -rn); do
		if [[ -x "$d/initdb" ]]; then
			echo "$d"
			return
		fi
	done
	local initdb
	initdb=$(command -v initdb || true)
	[[ -n "$initdb" ]] || die "PostgreSQL server binaries not found (install postgresql or set PG_BIN)"
	dirname "$initdb"
}

# The account the server runs as: ourselves, unless we are root.
server_user() {
	if [[ $(id -u) -ne 0 ]]; then
		id -un
		return
	fi
	if ! id postgres >/dev/null 2>&1; then
		useradd --system --user-group --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin postgres >&2 ||
			die "cannot create the postgres user"
	fi
	echo postgres
}

# as_server CMD...: run CMD as the server account, from a directory it can read.
as_server() {
	if [[ $(id -u) -ne 0 ]]; then
		(cd / && "$@")
	elif command -v runuser >/dev/null 2>&1; then
		(cd / && runuser -u postgres -- "$@")
	else
		local q
		printf -v q '%q ' "$@"
		(cd / && su -s /bin/sh postgres -c "$q")
	fi
}

# The directory holding the cluster (data/) and its log for DIR: DIR itself,
# unless the server account cannot reach it.
server_home() {
	if [[ -f "$1/home" ]]; then
		cat "$1/home"
	else
		echo "$1"
	fi
}

# Whether pid is a running postgres (a zombie is not: it would never exit).
live_postgres() {
	local stat
	[[ "$1" =~ ^[0-9]+$ ]] || return 1
	[[ "$(cat "/proc/$1/comm" 2>/dev/null || true)" == postgres ]] || return 1
	stat=$(cat "/proc/$1/stat" 2>/dev/null || true)
	stat=${stat##*) }
	[[ -n "$stat" && "${stat:0:1}" != Z ]]
}

port_in_use() {
	(: </dev/tcp/127.0.0.1/"$1") 2>/dev/null
}

do_stop() {
	local dir=$1 home pid
	[[ -d "$dir" ]] || return 0
	dir=$(cd "$dir" && pwd -P) # as_server runs from /
	home=$(server_home "$dir")
	pid=$(head -n 1 "$home/data/postmaster.pid" 2>/dev/null || true)
	# A pid file whose process is gone (or is some other program by now) is
	# left over from a crash: there is nothing to stop.
	if live_postgres "$pid"; then
		if ! as_server "$BIN/pg_ctl" -D "$home/data" -m fast -w -t 60 stop >&2; then
			kill -QUIT "$pid" 2>/dev/null || true
			sleep 1
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	if [[ "$home" != "$dir" && "$home" == /tmp/dianpu-pg.* ]]; then
		rm -rf -- "$home"
	fi
	rm -rf -- "$dir"
}

do_start() {
	local dir=$1 user home data sockdir port log started=0 i

	user=$(server_user)
	# A previous run may have left a server or files behind.
	do_stop "$dir"
	mkdir -p -- "$dir"
	dir=$(cd "$dir" && pwd -P)
	home="$dir"
	if [[ $(id -u) -eq 0 ]]; then
		chown "$user": "$dir"
		if ! as_server test -w "$dir"; then
			home=$(mktemp -d /tmp/dianpu-pg.XXXXXX)
			chown "$user": "$home"
			echo "$home" >"$dir/home"
		fi
	fi
	data="$home/data"
	# The socket lives in the data directory. Unix socket paths are limited to
	# about 100 bytes; without one TCP still works, and it is all we use.
	sockdir="$data"
	if [[ ${#sockdir} -gt 80 ]]; then
		sockdir=""
	fi

	as_server "$BIN/initdb" -D "$data" -U postgres -E UTF8 --locale=C \
		--auth=trust --no-instructions >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; die "initdb failed"; }
	# Overwriting (not replacing) the files keeps their owner.
	cat >"$data/pg_hba.conf" <<-'EOF'
		local all all trust
		host  all all 127.0.0.1/32 trust
	EOF
	cat >>"$data/postgresql.conf" <<-EOF
		# pg.sh: a throwaway test server.
		listen_addresses = '127.0.0.1'
		unix_socket_directories = '$sockdir'
		max_connections = 100
		shared_buffers = 16MB
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		log_min_messages = warning
	EOF

	log="$home/server.log"
	for ((i = 0; i < PORT_TRIES; i++)); do
		port=$((20000 + RANDOM % 40000))
		port_in_use "$port" && continue
		if as_server "$BIN/pg_ctl" -D "$data" -l "$log" -w -t 60 \
			-o "-p $port" start >&2; then
			started=1
			break
		fi
		# Someone else took the port between our check and the bind: try another.
		grep -q -e "could not bind" -e "could not create any TCP/IP sockets" "$log" ||
			{ cat "$log" >&2; die "the server did not start"; }
		: >"$log"
	done
	[[ $started -eq 1 ]] || { cat "$log" >&2; die "no free port found"; }

	"$BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres dianpu_test >&2 ||
		die "createdb failed"
	echo "postgres://postgres@127.0.0.1:$port/dianpu_test"
}

[[ $# -eq 2 ]] || die "usage: pg.sh start|stop DIR"
[[ -n "$2" && "$2" != "/" ]] || die "DIR must be a directory of its own"
BIN=$(find_bin)
case "$1" in
start) do_start "$2" ;;
stop) do_stop "$2" ;;
*) die "usage: pg.sh start|stop DIR" ;;
esac
