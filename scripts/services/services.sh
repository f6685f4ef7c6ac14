#!/usr/bin/env bash
# Local backing services for NarrativeML: a MongoDB-compatible server (FerretDB), Redis and an
# S3-protocol server (s3rver). Each one is taken from the environment when configured
# (MONGODB_URI, REDIS_URL, S3_ENDPOINT), reused when something already answers on its local
# port, and otherwise started here with its data under .data/.
#
# Usage: scripts/services/services.sh up|down|status|env
#   up      start (or reuse) every service, wait until each answers, write .data/services.env
#   down    stop what this script started (pid files in .data/run/); leave the rest alone
#   status  show each service and whether it answers (exit 1 when one does not)
#   env     print `export` lines: eval "$(scripts/services/services.sh env)"
#
# See docs/runbooks/local-services.md.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
DATA_DIR="$ROOT/.data"
RUN_DIR="$DATA_DIR/run"
LOG_DIR="$DATA_DIR/logs"
BIN_DIR="$DATA_DIR/bin"
ENV_FILE="$DATA_DIR/services.env"
FERRETDB_SRC="$ROOT/tools/ferretdb"
FERRETDB_BIN="$BIN_DIR/ferretdb"

FERRETDB_PORT="${FERRETDB_PORT:-27017}"
REDIS_PORT="${REDIS_PORT:-6379}"
S3_PORT="${S3_PORT:-4568}"
# auto: PostgreSQL when it answers, else SQLite. postgresql or sqlite force one.
FERRETDB_HANDLER="${FERRETDB_HANDLER:-auto}"
FERRETDB_START_TIMEOUT="${FERRETDB_START_TIMEOUT:-60}"
FERRETDB_PG_HOST="${PGHOST:-127.0.0.1}"
FERRETDB_PG_PORT="${PGPORT:-5432}"
FERRETDB_PG_USER="${FERRETDB_PG_USER:-postgres}"
FERRETDB_PG_DATABASE="${FERRETDB_PG_DATABASE:-ferretdb}"
LOCAL_S3_BUCKET="${S3_BUCKET:-narrativeml}"
LOCAL_MONGODB_URI="mongodb://127.0.0.1:${FERRETDB_PORT}/narrativeml?directConnection=true&retryWrites=false"
LOCAL_REDIS_URL="redis://127.0.0.1:${REDIS_PORT}"
LOCAL_S3_ENDPOINT="http://127.0.0.1:${S3_PORT}"

# After `eval "$(services.sh env)"` the variables point at the local services; they still count as
# local (not configured), so that down/up/status keep managing them.
[[ ${MONGODB_URI:-} == "$LOCAL_MONGODB_URI" ]] && MONGODB_URI=
[[ ${REDIS_URL:-} == "$LOCAL_REDIS_URL" ]] && REDIS_URL=
[[ ${S3_ENDPOINT:-} == "$LOCAL_S3_ENDPOINT" ]] && S3_ENDPOINT=

say() { printf '[services] %s\n' "$*" >&2; }
warn() { printf '[services] warning: %s\n' "$*" >&2; }
die() {
  printf '[services] error: %s\n' "$*" >&2
  exit 1
}

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

check_port() {
  local name=$1 value=$2
  if ! [[ $value =~ ^[0-9]{1,5}$ ]] || ((10#$value < 1 || 10#$value > 65535)); then
    die "$name must be a port number, got '$value'"
  fi
}

require_node() {
  command -v node >/dev/null 2>&1 || die "node is required (the health checks and the S3 server are Node scripts)"
}

# Runs a command with a time limit when coreutils' timeout is available.
with_timeout() {
  local seconds=$1
  shift
  if command -v timeout >/dev/null 2>&1; then
    timeout "$seconds" "$@"
  else
    "$@"
  fi
}

# --- health checks -----------------------------------------------------------------------------

mongo_ping() { # uri [timeout-ms]
  node "$SCRIPT_DIR/mongo-ping.mjs" --timeout-ms "${2:-2000}" "$1" 2>/dev/null
}

redis_ping() { # url
  local url=$1 out
  if command -v redis-cli >/dev/null 2>&1; then
    local tls=()
    [[ $url == rediss://* ]] && tls=(--tls)
    # ${tls[@]+...}: an empty array is "unbound" under set -u in bash 3.2 (macOS).
    out="$(with_timeout 3 redis-cli ${tls[@]+"${tls[@]}"} -u "$url" --no-auth-warning ping 2>/dev/null)" || return 1
    [[ $out == PONG ]]
  else
    node "$SCRIPT_DIR/redis-ping.mjs" --timeout-ms 2000 "$url" 2>/dev/null
  fi
}

# Prints the HTTP status and body of a request (curl when present, else Node's fetch).
http_request() { # method url
  if command -v curl >/dev/null 2>&1; then
    if [[ $1 == HEAD ]]; then # `curl -X HEAD` would wait for a body
      curl -sS -m 3 -I -o /dev/null -w '\n%{http_code}' "$2" 2>/dev/null
    else
      curl -sS -m 3 -X "$1" -w '\n%{http_code}' "$2" 2>/dev/null
    fi
  else
    # shellcheck disable=SC2016 # JavaScript, not shell
    node -e '
      fetch(process.argv[2], { method: process.argv[1], signal: AbortSignal.timeout(3000) })
        .then(async (r) => process.stdout.write(`${await r.text()}\n${r.status}`))
        .catch(() => process.exit(1));' "$1" "$2"
  fi
}

# An S3 server answers GET / with a bucket list, or an XML error when it wants credentials.
s3_ping() { # endpoint
  local out
  out="$(http_request GET "${1%/}/")" || return 1
  [[ $out == *ListAllMyBucketsResult* || $out == *"<Error>"* ]]
}

postgres_answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$FERRETDB_PG_HOST" -p "$FERRETDB_PG_PORT" -t 3
  else
    port_open "$FERRETDB_PG_HOST" "$FERRETDB_PG_PORT"
  fi
}

port_open() { # host port
  # shellcheck disable=SC2016 # expanded by the inner bash
  with_timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# --- processes started by this script -----------------------------------------------------------

pid_file() { printf '%s/%s.pid' "$RUN_DIR" "$1"; }

process_args() { # pid
  if [[ -r /proc/$1/cmdline ]]; then
    tr '\0' ' ' <"/proc/$1/cmdline"
  else
    ps -p "$1" -o args= 2>/dev/null
  fi
}

# Prints the pid of the service this script started, if it still runs; removes a stale pid file.
# The command line must contain `pattern`, so a recycled pid is never mistaken for ours.
owned_pid() { # name pattern
  local file pid args
  file="$(pid_file "$1")"
  [[ -s $file ]] || return 1
  pid="$(tr -dc '0-9' <"$file")"
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    args="$(process_args "$pid" || true)"
    if [[ $args == *"$2"* ]]; then
      printf '%s' "$pid"
      return 0
    fi
  fi
  rm -f "$file"
  return 1
}

# One instance of each service per checkout: refuse to start a second one on another port.
check_owned_port() { # name pid port variable
  local recorded
  recorded="$(cat "$RUN_DIR/$1.port" 2>/dev/null || true)"
  if [[ -n $recorded && $recorded != "$3" ]]; then
    die "$1 started by this script (pid $2) listens on port $recorded, not $3; run 'services.sh down' first or set $4=$recorded"
  fi
}

# Starts a command in the background, detached from this shell's session, logging to a file.
spawn() { # log-file command...
  local log=$1
  shift
  # 9>&-: the child must not inherit (and so hold) the lock taken by `lock`.
  if command -v setsid >/dev/null 2>&1; then
    setsid "$@" >>"$log" 2>&1 </dev/null 9>&- &
  else
    nohup "$@" >>"$log" 2>&1 </dev/null 9>&- &
  fi
  SPAWNED_PID=$!
}

stop_pid() { # name pid
  local name=$1 pid=$2 waited=0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= 300)); then
      warn "$name (pid $pid) ignored SIGTERM for 30 s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# Prints the log of the latest start (from the last "===" marker this script writes).
log_tail() { # name
  local log="$LOG_DIR/$1.log"
  [[ -s $log ]] || return 0
  printf '[services] %s since the last start:\n' "${log#"$ROOT"/}" >&2
  awk '/^=== / { n = 0 } { lines[n++] = $0 } END { for (i = (n > 40 ? n - 40 : 0); i < n; i++) print "    " lines[i] }' "$log" >&2
}

# Polls `check...` until it succeeds; fails early when the process exits.
wait_ready() { # name pid-or-pidfile timeout-seconds check...
  local name=$1 pid=$2 timeout=$3
  shift 3
  local deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    if "$@"; then
      return 0
    fi
    local watched=$pid
    if [[ $pid == /* ]]; then # a daemon's pid file, written once it has forked
      watched="$(cat "$pid" 2>/dev/null || true)"
      # Before the file exists there is nothing to watch; the timeout still applies.
    fi
    if [[ -n $watched ]] && ! kill -0 "$watched" 2>/dev/null; then
      warn "$name exited during start-up"
      log_tail "$name"
      return 1
    fi
    sleep 0.5
  done
  warn "$name did not answer within $timeout s"
  log_tail "$name"
  return 1
}

# --- MongoDB (FerretDB) -------------------------------------------------------------------------

go_command() {
  if command -v go >/dev/null 2>&1; then
    command -v go
  elif [[ -x /usr/local/go/bin/go ]]; then
    printf '/usr/local/go/bin/go'
  else
    return 1
  fi
}

ferretdb_binary_is_current() {
  [[ -x $FERRETDB_BIN ]] || return 1
  [[ -z "$(find "$FERRETDB_SRC" -maxdepth 1 \( -name '*.go' -o -name go.mod -o -name go.sum \) -newer "$FERRETDB_BIN" 2>/dev/null)" ]]
}

build_ferretdb() {
  local go build_log="$LOG_DIR/ferretdb-build.log" tmp="$FERRETDB_BIN.tmp.$$" started=$SECONDS
  go="$(go_command)" || die "FerretDB is not built (.data/bin/ferretdb) and Go is not installed. Install Go >= 1.24 (https://go.dev/dl/) so it can be built from tools/ferretdb, or set MONGODB_URI to an existing MongoDB."
  say "building FerretDB from tools/ferretdb ($("$go" env GOVERSION)); the first build takes several minutes, later ones seconds"
  mkdir -p "$BIN_DIR"
  : >"$build_log"
  # Fallbacks from docs: a newer Go may refuse a dependency's go:linkname, or need the
  # toolchain FerretDB v1.24.2 was released with.
  local attempt
  for attempt in plain checklinkname toolchain; do
    local vars=(CGO_ENABLED=0) flags=(-trimpath)
    case $attempt in
      checklinkname) flags+=(-ldflags=-checklinkname=0) ;;
      toolchain) vars+=(GOTOOLCHAIN=go1.24.3) ;;
    esac
    printf '== %s: %s go build %s\n' "$attempt" "${vars[*]}" "${flags[*]}" >>"$build_log"
    if (cd "$FERRETDB_SRC" && env "${vars[@]}" "$go" build "${flags[@]}" -o "$tmp" .) >>"$build_log" 2>&1; then
      mv -f "$tmp" "$FERRETDB_BIN"
      say "built .data/bin/ferretdb in $((SECONDS - started)) s ($attempt)"
      return 0
    fi
    rm -f "$tmp"
    warn "FerretDB build ($attempt) failed; see ${build_log#"$ROOT"/}"
  done
  tail -n 30 "$build_log" >&2
  die "could not build FerretDB; set MONGODB_URI to an existing MongoDB to skip it"
}

# Creates the FerretDB database (UTF8, C collation, as FerretDB requires) when missing.
ensure_postgres_database() {
  local exists
  if ! command -v psql >/dev/null 2>&1 || ! command -v createdb >/dev/null 2>&1; then
    warn "psql/createdb not found; cannot check or create the '$FERRETDB_PG_DATABASE' database"
    return 1
  fi
  exists="$(psql -h "$FERRETDB_PG_HOST" -p "$FERRETDB_PG_PORT" -U "$FERRETDB_PG_USER" -d postgres -XAtq \
    -c "SELECT 1 FROM pg_database WHERE datname = '$FERRETDB_PG_DATABASE'" 2>&1)" || {
    warn "cannot query PostgreSQL as '$FERRETDB_PG_USER': $exists"
    return 1
  }
  [[ $exists == 1 ]] && return 0
  say "creating PostgreSQL database '$FERRETDB_PG_DATABASE'"
  createdb -h "$FERRETDB_PG_HOST" -p "$FERRETDB_PG_PORT" -U "$FERRETDB_PG_USER" \
    -T template0 -E UTF8 --lc-collate=C --lc-ctype=C "$FERRETDB_PG_DATABASE" || {
    warn "createdb failed"
    return 1
  }
}

# Sets FERRETDB_ARGS for the backend to use.
choose_ferretdb_backend() {
  local pg_url="postgres://${FERRETDB_PG_USER}@${FERRETDB_PG_HOST}:${FERRETDB_PG_PORT}/${FERRETDB_PG_DATABASE}"
  local sqlite_dir="$DATA_DIR/ferretdb-sqlite"
  case $FERRETDB_HANDLER in
    auto | postgresql)
      if postgres_answers && ensure_postgres_database; then
        FERRETDB_ARGS=(-handler postgresql -postgresql-url "$pg_url")
        FERRETDB_BACKEND="postgresql ($pg_url)"
        return 0
      fi
      [[ $FERRETDB_HANDLER == postgresql ]] &&
        die "FERRETDB_HANDLER=postgresql but PostgreSQL at $FERRETDB_PG_HOST:$FERRETDB_PG_PORT is not usable"
      say "PostgreSQL is not usable at $FERRETDB_PG_HOST:$FERRETDB_PG_PORT; using the SQLite backend"
      ;;
    sqlite) ;;
    *) die "FERRETDB_HANDLER must be auto, postgresql or sqlite, got '$FERRETDB_HANDLER'" ;;
  esac
  mkdir -p "$sqlite_dir"
  # A URI: a space in the checkout's path must be escaped.
  FERRETDB_ARGS=(-handler sqlite -sqlite-url "file:${sqlite_dir// /%20}/")
  FERRETDB_BACKEND="sqlite (${sqlite_dir#"$ROOT"/}/)"
}

up_mongodb() {
  if [[ -n ${MONGODB_URI:-} ]]; then
    mongo_ping "$MONGODB_URI" 5000 || {
      warn "MONGODB_URI is set but does not answer a ping"
      return 1
    }
    say "mongodb: using MONGODB_URI (answers)"
    return 0
  fi
  local addr="127.0.0.1:$FERRETDB_PORT" pid
  if pid="$(owned_pid ferretdb "$FERRETDB_BIN")"; then
    check_owned_port ferretdb "$pid" "$FERRETDB_PORT" FERRETDB_PORT
    wait_ready ferretdb "$pid" "$FERRETDB_START_TIMEOUT" mongo_ping "$addr" 1000 || return 1
    say "mongodb: reusing FerretDB on $addr (started by this script, pid $pid, $(cat "$RUN_DIR/ferretdb.backend" 2>/dev/null || echo '?'))"
    return 0
  fi
  if mongo_ping "$addr" 1000; then
    say "mongodb: reusing the MongoDB-compatible server already answering on $addr"
    return 0
  fi
  port_open 127.0.0.1 "$FERRETDB_PORT" &&
    die "port $FERRETDB_PORT is taken by something that does not answer a MongoDB ping; set FERRETDB_PORT"

  ferretdb_binary_is_current || build_ferretdb
  choose_ferretdb_backend
  local previous
  previous="$(cat "$RUN_DIR/ferretdb.backend" 2>/dev/null || true)"
  if [[ -n $previous && $previous != "$FERRETDB_BACKEND" ]]; then
    warn "FerretDB backend changed from $previous to $FERRETDB_BACKEND: data written to the other backend is not visible"
  fi
  printf '=== %s starting FerretDB on %s, %s\n' "$(date -u +%FT%TZ)" "$addr" "$FERRETDB_BACKEND" >>"$LOG_DIR/ferretdb.log"
  spawn "$LOG_DIR/ferretdb.log" "$FERRETDB_BIN" -listen-addr "$addr" "${FERRETDB_ARGS[@]}"
  printf '%s\n' "$SPAWNED_PID" >"$(pid_file ferretdb)"
  printf '%s\n' "$FERRETDB_PORT" >"$RUN_DIR/ferretdb.port"
  printf '%s\n' "$FERRETDB_BACKEND" >"$RUN_DIR/ferretdb.backend"
  say "mongodb: starting FerretDB on $addr, backend $FERRETDB_BACKEND (pid $SPAWNED_PID)"
  if ! wait_ready ferretdb "$SPAWNED_PID" "$FERRETDB_START_TIMEOUT" mongo_ping "$addr" 1000; then
    stop_pid ferretdb "$SPAWNED_PID"
    rm -f "$(pid_file ferretdb)" "$RUN_DIR/ferretdb.port"
    return 1
  fi
  say "mongodb: FerretDB ready"
}

# --- Redis --------------------------------------------------------------------------------------

up_redis() {
  if [[ -n ${REDIS_URL:-} ]]; then
    redis_ping "$REDIS_URL" || {
      warn "REDIS_URL is set but does not answer PING"
      return 1
    }
    say "redis: using REDIS_URL (answers)"
    return 0
  fi
  local url=$LOCAL_REDIS_URL pid
  if pid="$(owned_pid redis redis-server)"; then
    check_owned_port redis "$pid" "$REDIS_PORT" REDIS_PORT
    wait_ready redis "$pid" 20 redis_ping "$url" || return 1
    say "redis: reusing redis-server on 127.0.0.1:$REDIS_PORT (started by this script, pid $pid)"
    return 0
  fi
  if redis_ping "$url"; then
    say "redis: reusing the Redis already answering on 127.0.0.1:$REDIS_PORT"
    warn_redis_policy "$url"
    return 0
  fi
  port_open 127.0.0.1 "$REDIS_PORT" &&
    die "port $REDIS_PORT is taken by something that does not answer Redis PING; set REDIS_PORT"
  command -v redis-server >/dev/null 2>&1 ||
    die "redis-server is not installed; install Redis (apt-get install redis-server, brew install redis) or set REDIS_URL"
  mkdir -p "$DATA_DIR/redis"
  printf '%s\n' "$REDIS_PORT" >"$RUN_DIR/redis.port"
  printf '=== %s starting redis-server on 127.0.0.1:%s\n' "$(date -u +%FT%TZ)" "$REDIS_PORT" >>"$LOG_DIR/redis.log"
  # BullMQ needs noeviction: an evicted job key is a lost job.
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes \
    --pidfile "$(pid_file redis)" --logfile "$LOG_DIR/redis.log" \
    --dir "$DATA_DIR/redis" --appendonly yes --maxmemory-policy noeviction 9>&- ||
    die "redis-server failed to start; see .data/logs/redis.log"
  say "redis: starting redis-server on 127.0.0.1:$REDIS_PORT (data in .data/redis/)"
  wait_ready redis "$(pid_file redis)" 20 redis_ping "$url" || return 1
  say "redis: ready (pid $(cat "$(pid_file redis)" 2>/dev/null || echo '?'))"
}

warn_redis_policy() { # url
  command -v redis-cli >/dev/null 2>&1 || return 0
  local policy
  policy="$(with_timeout 3 redis-cli -u "$1" --no-auth-warning config get maxmemory-policy 2>/dev/null | sed -n 2p)" || return 0
  if [[ -n $policy && $policy != noeviction ]]; then
    warn "that Redis has maxmemory-policy $policy; BullMQ needs noeviction (redis-cli config set maxmemory-policy noeviction)"
  fi
}

# --- S3 (s3rver) --------------------------------------------------------------------------------

# Creates the bucket on a local S3 server we did not start (s3rver allows anonymous requests).
ensure_local_bucket() {
  local out
  out="$(http_request HEAD "$LOCAL_S3_ENDPOINT/$LOCAL_S3_BUCKET")" || return 0
  [[ ${out##*$'\n'} == 200 ]] && return 0
  say "s3: creating bucket $LOCAL_S3_BUCKET"
  out="$(http_request PUT "$LOCAL_S3_ENDPOINT/$LOCAL_S3_BUCKET")" || true
  [[ ${out##*$'\n'} == 200 ]] || warn "could not create bucket $LOCAL_S3_BUCKET: ${out//$'\n'/ }"
}

up_s3() {
  if [[ -n ${S3_ENDPOINT:-} ]]; then
    s3_ping "$S3_ENDPOINT" || {
      warn "S3_ENDPOINT is set but does not answer like an S3 server"
      return 1
    }
    say "s3: using S3_ENDPOINT (answers)"
    return 0
  fi
  local pid
  if pid="$(owned_pid s3 s3-server.mjs)"; then
    check_owned_port s3 "$pid" "$S3_PORT" S3_PORT
    wait_ready s3 "$pid" 20 s3_ping "$LOCAL_S3_ENDPOINT" || return 1
    say "s3: reusing s3rver on 127.0.0.1:$S3_PORT (started by this script, pid $pid)"
    return 0
  fi
  if s3_ping "$LOCAL_S3_ENDPOINT"; then
    say "s3: reusing the S3 server already answering on 127.0.0.1:$S3_PORT"
    ensure_local_bucket
    return 0
  fi
  port_open 127.0.0.1 "$S3_PORT" &&
    die "port $S3_PORT is taken by something that does not answer like an S3 server; set S3_PORT"
  (cd "$ROOT" && node -e 'require.resolve("s3rver")' 2>/dev/null) ||
    die "the s3rver package is not installed; run 'npm install' in $ROOT (it is a devDependency) or set S3_ENDPOINT"
  mkdir -p "$DATA_DIR/s3"
  printf '=== %s starting s3rver on 127.0.0.1:%s\n' "$(date -u +%FT%TZ)" "$S3_PORT" >>"$LOG_DIR/s3.log"
  S3_PORT="$S3_PORT" S3_ADDRESS=127.0.0.1 S3_DIRECTORY="$DATA_DIR/s3" S3_BUCKET="$LOCAL_S3_BUCKET" \
    spawn "$LOG_DIR/s3.log" node "$SCRIPT_DIR/s3-server.mjs"
  printf '%s\n' "$SPAWNED_PID" >"$(pid_file s3)"
  printf '%s\n' "$S3_PORT" >"$RUN_DIR/s3.port"
  say "s3: starting s3rver on 127.0.0.1:$S3_PORT, bucket $LOCAL_S3_BUCKET (pid $SPAWNED_PID, data in .data/s3/)"
  if ! wait_ready s3 "$SPAWNED_PID" 20 s3_ping "$LOCAL_S3_ENDPOINT"; then
    stop_pid s3 "$SPAWNED_PID"
    rm -f "$(pid_file s3)" "$RUN_DIR/s3.port"
    return 1
  fi
  say "s3: ready"
}

# --- environment --------------------------------------------------------------------------------

shell_quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

export_line() { printf 'export %s=%s\n' "$1" "$(shell_quote "$2")"; }

env_lines() {
  export_line MONGODB_URI "${MONGODB_URI:-$LOCAL_MONGODB_URI}"
  export_line REDIS_URL "${REDIS_URL:-$LOCAL_REDIS_URL}"
  if [[ -n ${S3_ENDPOINT:-} ]]; then
    export_line S3_ENDPOINT "$S3_ENDPOINT"
    local name
    for name in S3_ACCESS_KEY_ID S3_SECRET_ACCESS_KEY; do
      if [[ -n ${!name:-} ]]; then
        export_line "$name" "${!name}"
      else
        warn "S3_ENDPOINT is set but $name is not; not printing one"
      fi
    done
    export_line S3_BUCKET "$LOCAL_S3_BUCKET"
    export_line S3_REGION "${S3_REGION:-us-east-1}"
    export_line S3_FORCE_PATH_STYLE "${S3_FORCE_PATH_STYLE:-true}"
  else
    export_line S3_ENDPOINT "$LOCAL_S3_ENDPOINT"
    export_line S3_ACCESS_KEY_ID S3RVER
    export_line S3_SECRET_ACCESS_KEY S3RVER
    export_line S3_BUCKET "$LOCAL_S3_BUCKET"
    export_line S3_REGION us-east-1
    export_line S3_FORCE_PATH_STYLE true
  fi
}

write_env_file() { # lines
  mkdir -p "$DATA_DIR"
  local tmp="$ENV_FILE.tmp.$$"
  (
    umask 077
    {
      printf '# Written by scripts/services/services.sh on %s; do not edit.\n' "$(date -u +%FT%TZ)"
      printf '%s\n' "$1"
    } >"$tmp"
  )
  mv -f "$tmp" "$ENV_FILE"
}

# --- commands -----------------------------------------------------------------------------------

lock() {
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$RUN_DIR/services.lock"
  flock -w 900 9 || die "another services.sh up/down has held the lock for 15 minutes"
}

cmd_up() {
  lock
  local failed=()
  up_mongodb || failed+=(mongodb)
  up_redis || failed+=(redis)
  up_s3 || failed+=(s3)
  local lines
  lines="$(env_lines)"
  write_env_file "$lines"
  say "environment written to .data/services.env; load it with: eval \"\$(scripts/services/services.sh env)\""
  printf '%s\n' "$lines" >&2
  if ((${#failed[@]})); then
    die "not ready: ${failed[*]}"
  fi
  say "all services ready"
}

cmd_down() {
  lock
  local name pattern pid stopped=0
  for name in s3 ferretdb redis; do
    case $name in
      ferretdb) pattern=$FERRETDB_BIN ;;
      redis) pattern=redis-server ;;
      s3) pattern=s3-server.mjs ;;
    esac
    if pid="$(owned_pid "$name" "$pattern")"; then
      say "stopping $name (pid $pid)"
      stop_pid "$name" "$pid"
      rm -f "$(pid_file "$name")" "$RUN_DIR/$name.port"
      stopped=$((stopped + 1))
    fi
  done
  ((stopped)) || say "nothing started by this script is running"
  say "configured or external services, if any, were left alone"
}

status_line() { # service origin endpoint check...
  local service=$1 origin=$2 endpoint=$3 state
  shift 3
  if "$@"; then state=up; else state=DOWN; fi
  printf '%-8s %-5s %-46s %s\n' "$service" "$state" "$endpoint" "$origin"
  [[ $state == up ]]
}

origin_of() { # name pattern port
  local pid recorded
  if pid="$(owned_pid "$1" "$2")"; then
    recorded="$(cat "$RUN_DIR/$1.port" 2>/dev/null || true)"
    if [[ -z $recorded || $recorded == "$3" ]]; then
      printf 'started by services.sh (pid %s)' "$pid"
      return 0
    fi
    printf 'not started by services.sh (its %s, pid %s, is on port %s)' "$1" "$pid" "$recorded"
    return 0
  fi
  printf 'not started by services.sh'
}

redact() { sed -E 's#//[^/@]*@#//***@#' <<<"$1"; }

cmd_status() {
  local ok=0 origin
  if [[ -n ${MONGODB_URI:-} ]]; then
    status_line mongodb "MONGODB_URI" "$(redact "$MONGODB_URI")" mongo_ping "$MONGODB_URI" 5000 || ok=1
  else
    origin="$(origin_of ferretdb "$FERRETDB_BIN" "$FERRETDB_PORT")"
    [[ $origin == started* && -s $RUN_DIR/ferretdb.backend ]] && origin+=", $(cat "$RUN_DIR/ferretdb.backend")"
    status_line mongodb "$origin" "127.0.0.1:$FERRETDB_PORT" mongo_ping "127.0.0.1:$FERRETDB_PORT" 2000 || ok=1
  fi
  if [[ -n ${REDIS_URL:-} ]]; then
    status_line redis "REDIS_URL" "$(redact "$REDIS_URL")" redis_ping "$REDIS_URL" || ok=1
  else
    status_line redis "$(origin_of redis redis-server "$REDIS_PORT")" "127.0.0.1:$REDIS_PORT" redis_ping "$LOCAL_REDIS_URL" || ok=1
  fi
  if [[ -n ${S3_ENDPOINT:-} ]]; then
    status_line s3 "S3_ENDPOINT" "$S3_ENDPOINT" s3_ping "$S3_ENDPOINT" || ok=1
  else
    status_line s3 "$(origin_of s3 s3-server.mjs "$S3_PORT")" "127.0.0.1:$S3_PORT" s3_ping "$LOCAL_S3_ENDPOINT" || ok=1
  fi
  return "$ok"
}

cmd_env() {
  local lines
  lines="$(env_lines)"
  write_env_file "$lines"
  printf '%s\n' "$lines"
  # Only the local ones: a remote check could be slow, and `up` checks those.
  [[ -n ${MONGODB_URI:-} ]] || mongo_ping "127.0.0.1:$FERRETDB_PORT" 1000 ||
    warn "nothing answers on 127.0.0.1:$FERRETDB_PORT yet; run scripts/services/services.sh up"
  [[ -n ${REDIS_URL:-} ]] || redis_ping "$LOCAL_REDIS_URL" ||
    warn "nothing answers on 127.0.0.1:$REDIS_PORT yet; run scripts/services/services.sh up"
  [[ -n ${S3_ENDPOINT:-} ]] || s3_ping "$LOCAL_S3_ENDPOINT" ||
    warn "nothing answers on 127.0.0.1:$S3_PORT yet; run scripts/services/services.sh up"
  return 0
}

main() {
  [[ $# -eq 1 ]] || usage
  check_port FERRETDB_PORT "$FERRETDB_PORT"
  check_port REDIS_PORT "$REDIS_PORT"
  check_port S3_PORT "$S3_PORT"
  require_node
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  case $1 in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    env) cmd_env ;;
    -h | --help | help) usage ;;
    *) usage ;;
  esac
}

main "$@"
