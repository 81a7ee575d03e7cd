# Sourced by .ci/run (set -euo pipefail): starts a throwaway PostgreSQL cluster on a loopback
# port for the store tests and exports TICKERML_TEST_PG_URL (and TICKERML_TEST_PG_BIN, the server
# binaries the fault test uses for its own private cluster). Idempotent: a cluster already running
# in the data directory is reused. postgres refuses to run as root, so as root the cluster belongs
# to the "postgres" user created by Debian's package.
tickerml_pg_start() {
  local bin port dir run owner
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "postgres.sh: no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
    return 1
  fi
  port=${TICKERML_PG_PORT:-55432}
  dir=${TICKERML_PG_DIR:-/tmp/tickerml-ci-pg}
  if [ "$(id -u)" = 0 ]; then
    owner=postgres
    run() { su postgres -s /bin/sh -c "$*"; }
  else
    owner=$(id -un)
    run() { sh -c "$*"; }
  fi
  if [ ! -s "$dir/PG_VERSION" ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    chown "$owner" "$dir"
    chmod 700 "$dir"
    run "'$bin/initdb' -D '$dir' -U postgres -A trust --no-sync -E UTF8 >'$dir.initdb.log' 2>&1"
  fi
  if ! run "'$bin/pg_ctl' -D '$dir' status" >/dev/null 2>&1; then
    run "'$bin/pg_ctl' -D '$dir' -l '$dir/server.log' -w -t 30 start -o \"-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$dir' -c max_connections=200\"" >/dev/null
  fi
  if ! run "'$bin/psql' -h 127.0.0.1 -p $port -U postgres -d postgres -tAc \"SELECT 1 FROM pg_database WHERE datname = 'tickerml_test'\"" | grep -q 1; then
    run "'$bin/createdb' -h 127.0.0.1 -p $port -U postgres tickerml_test"
  fi
  export TICKERML_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/tickerml_test"
  export TICKERML_TEST_PG_BIN="$bin"
  echo "postgres.sh: $($bin/postgres --version) on 127.0.0.1:$port, TICKERML_TEST_PG_URL=$TICKERML_TEST_PG_URL"
}
tickerml_pg_start
unset -f tickerml_pg_start run
