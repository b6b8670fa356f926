#!/usr/bin/env bash
# Production smoke check, the way the image runs (no Docker engine needed): builds dist/, installs
# the production dependencies only into a scratch directory (npm ci --omit=dev, as the image's
# runtime stage does), creates a fresh database with a non-superuser owner, an app role and a
# queue role (as docker/postgres/init-roles.sql and docker-compose.yml do), runs the compiled
# migrate step as the owner, boots the compiled API and the compiled worker (no owner
# credentials) from the scratch directory with NODE_ENV=production, and checks /health, a
# sign-up and a login, and one report rendered by the worker and downloaded as a PDF.
#
#   npm run smoke:production              (run by .ci/run after npm test)
#
# SMOKE_SERVER_URL   the PostgreSQL server, as a superuser (default postgres://postgres@127.0.0.1:5432/postgres)
# CHROMIUM_PATH      the browser the worker renders with (default: Debian's chromium-headless-shell binary)
# SMOKE_KEEP=1       keeps the scratch directory and the database for a post-mortem
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

server_url="${SMOKE_SERVER_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
# The binary itself, not /usr/bin/chromium-headless-shell: that wrapper does not exec it (see
# libs/reporting/src/renderer/chromium-executable.ts). The image sets the same path.
chromium="${CHROMIUM_PATH:-/usr/lib/chromium/chromium-headless-shell}"
report_timeout=120
boot_timeout=90

run_id="$(date +%s)_$$"
database="pilotage_smoke_${run_id}"
owner_role="pilotage_smoke_owner_${run_id}"
app_role="pilotage_smoke_app_${run_id}"
queue_role="pilotage_smoke_jobs_${run_id}"
owner_password="smoke-owner-$RANDOM$RANDOM"
app_password="smoke-app-$RANDOM$RANDOM"
queue_password="smoke-jobs-$RANDOM$RANDOM"
scratch=""
api_pid=""
smtp_pid=""
worker_pid=""
database_created=0
started_all=$(date +%s%N)

log() { printf '[smoke] %s\n' "$*" >&2; }
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
seconds_since() { local ms; ms=$(ms_since "$1"); printf '%d.%01d s' $((ms / 1000)) $((ms % 1000 / 100)); }

fail() {
  log "FAILED: $*"
  for name in api worker; do
    if [ -n "$scratch" ] && [ -s "$scratch/$name.log" ]; then
      log "--- last lines of the $name log ($scratch/$name.log) ---"
      tail -n 30 "$scratch/$name.log" >&2
    fi
  done
  exit 1
}

# Each step prints how long it took.
step_started=0
step_name=""
step() { step_name="$1"; step_started=$(date +%s%N); log "$step_name…"; }
step_done() { log "$step_name: ok in $(seconds_since "$step_started")${1:+ ($1)}"; }

psql_as() { psql "$1" -v ON_ERROR_STOP=1 -qAtX "${@:2}"; }

# Stops a process started with setsid, with its children (Chromium): SIGTERM to its process
# group, then SIGKILL if it has not exited after 20 s.
stop_group() {
  local pid="$1"
  kill -0 -- "-$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 -- "-$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [ -n "$worker_pid" ] && stop_group "$worker_pid"
  [ -n "$api_pid" ] && stop_group "$api_pid"
  [ -n "$smtp_pid" ] && { kill "$smtp_pid" 2>/dev/null || true; wait "$smtp_pid" 2>/dev/null || true; }
  if [ "${SMOKE_KEEP:-}" = "1" ]; then
    log "kept $scratch and database $database (SMOKE_KEEP=1)"
  else
    if [ "$database_created" = "1" ]; then
      psql_as "$server_url" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" || log "could not drop database $database"
      psql_as "$server_url" -c "DROP ROLE IF EXISTS $app_role" -c "DROP ROLE IF EXISTS $queue_role" -c "DROP ROLE IF EXISTS $owner_role" ||
        log "could not drop roles $app_role, $queue_role, $owner_role"
    fi
    [ -n "$scratch" ] && rm -rf "$scratch"
  fi
  if [ "$status" -eq 0 ]; then log "production smoke check passed in $(seconds_since "$started_all")"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

command -v psql >/dev/null || fail "psql is required (Debian package postgresql-client)"
command -v curl >/dev/null || fail "curl is required"
[ -x "$chromium" ] || fail "no Chromium at $chromium: install Debian's chromium-headless-shell or set CHROMIUM_PATH"
pg_isready -d "$server_url" -q 2>/dev/null || fail "PostgreSQL does not answer at $server_url"

# 1. Build, as the image's build stage does.
step "build (npm run build)"
npm run --silent build >/dev/null || fail "npm run build failed"
[ -f dist/apps/api/src/main.js ] && [ -f dist/apps/worker/src/main.js ] || fail "the build did not produce dist/apps/{api,worker}/src/main.js"
step_done "$(find dist -name '*.js' | wc -l) JavaScript files"

# 2. What the runtime stage holds: manifests, dist/, templates/, production dependencies only.
step "production install (npm ci --omit=dev) in a scratch directory"
scratch="$(mktemp -d -t pilotage-smoke.XXXXXX)"
cp package.json package-lock.json "$scratch/"
cp -R dist templates "$scratch/"
(cd "$scratch" && npm ci --omit=dev --no-audit --no-fund --prefer-offline --loglevel=error) >"$scratch/npm-ci.log" 2>&1 ||
  { tail -n 30 "$scratch/npm-ci.log" >&2; fail "npm ci --omit=dev failed"; }
node="$scratch/node_modules/.bin/node"
[ -x "$node" ] || fail "the production install has no node_modules/.bin/node (the 'node' package must stay a production dependency)"
# (typescript and ts-node still come in: optional peers of @nestjs/graphql and typeorm.)
for dev_only in jest ts-jest tsconfig-paths @nestjs/cli eslint; do
  [ ! -e "$scratch/node_modules/$dev_only" ] || fail "dev dependency $dev_only was installed by npm ci --omit=dev"
done
step_done "$("$node" --version), $(du -sh "$scratch/node_modules" | cut -f1) of node_modules"

# 3. The database, shaped like docker-compose's: the owner (no superuser, no CREATEROLE) runs the
# migrations; the app role logs in with no superuser, no BYPASSRLS, owning nothing, allowed only
# to SET ROLE pilotage_tenant; the queue role reaches pg-boss's tables only.
# The roles are per run (roles are cluster-wide and other databases live on this server).
step "database $database (owner $owner_role, app $app_role, queue $queue_role)"
psql_as "$server_url" \
  -c "CREATE ROLE $owner_role LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD '$owner_password'" \
  -c "CREATE DATABASE $database OWNER $owner_role" || fail "could not create the database"
database_created=1
database_url() {
  "$node" -e 'const url = new URL(process.argv[1]); url.username = process.argv[3]; url.password = process.argv[4]; url.pathname = "/" + process.argv[2]; console.log(url.href)' \
    "$server_url" "$database" "$1" "$2"
}
owner_url="$(database_url "$owner_role" "$owner_password")"
app_url="$(database_url "$app_role" "$app_password")"
queue_url="$(database_url "$queue_role" "$queue_password")"
# docker/postgres/init-roles.sql, with this run's names (it runs as the server's superuser).
psql_as "$("$node" -e 'const url = new URL(process.argv[1]); url.pathname = "/" + process.argv[2]; console.log(url.href)' "$server_url" "$database")" <<SQL || fail "could not create the roles"
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pilotage_tenant') THEN
    CREATE ROLE pilotage_tenant NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pilotage_queue') THEN
    CREATE ROLE pilotage_queue NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
\$\$;
CREATE ROLE $app_role LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD '$app_password';
CREATE ROLE $queue_role LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD '$queue_password';
GRANT pilotage_tenant TO $owner_role WITH ADMIN OPTION;
GRANT pilotage_tenant TO $app_role;
GRANT pilotage_queue TO $queue_role;
GRANT CONNECT ON DATABASE $database TO $app_role, $queue_role;
GRANT USAGE ON SCHEMA public TO $app_role;
SQL
[ "$(psql_as "$app_url" -c 'SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user')" = "f" ] ||
  fail "the app role must be neither superuser nor BYPASSRLS"
step_done

port="$("$node" -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")"
api_url="http://127.0.0.1:$port"
mkdir -p "$scratch/reports"
# A local SMTP peer (the repository's dev dependencies smtp-server and mailparser) that appends
# each message's text to a file: the owner confirms the address from the e-mail, as a user would.
smtp_port="$("$node" -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")"
mail_file="$scratch/mail.txt"
: >"$mail_file"
"$node" -e '
  const { SMTPServer } = require("smtp-server");
  const { simpleParser } = require("mailparser");
  const { appendFileSync } = require("node:fs");
  new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => { appendFileSync(process.argv[2], `${mail.text ?? ""}\n`); callback(); }, callback);
    },
  }).listen(Number(process.argv[1]), "127.0.0.1");
' "$smtp_port" "$mail_file" &
smtp_pid=$!
# The variables production requires (libs/config/src/app-config.ts), as docker-compose sets them:
# no owner credentials (the migrate step below is their only holder).
production_env=(
  NODE_ENV=production
  "DATABASE_URL=$app_url"
  "JWT_SECRET=smoke-jwt-secret-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  "DOWNLOAD_URL_SECRET=smoke-download-secret-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  "CONNECTOR_TOKEN_KEYS=smoke:$(head -c 32 /dev/urandom | base64)"
  "PUBLIC_URL=$api_url"
  "STORAGE_DIR=$scratch/reports"
  "CHROMIUM_PATH=$chromium"
  "PORT=$port"
  SMTP_HOST=127.0.0.1
  "SMTP_PORT=$smtp_port"
  SMTP_SECURE=false
  LOG_LEVEL=info
)

# 4. The migrate step, as compose's one-shot `migrate` service runs it.
step "migrate (node dist/libs/database/src/migrate.cli.js, as $owner_role)"
(cd "$scratch" && env -i PATH="$PATH" HOME="${HOME:-/tmp}" NODE_ENV=production "DATABASE_OWNER_URL=$owner_url" "$node" dist/libs/database/src/migrate.cli.js >"$scratch/migrate.log" 2>&1) ||
  { tail -n 30 "$scratch/migrate.log" >&2; fail "the migrate step failed"; }
step_done

# 5. The compiled API, from the scratch directory, with plain node.
step "boot the compiled API (node dist/apps/api/src/main.js, port $port)"
(cd "$scratch" && exec env -i PATH="$PATH" HOME="${HOME:-/tmp}" "${production_env[@]}" setsid "$node" dist/apps/api/src/main.js >"$scratch/api.log" 2>&1) &
api_pid=$!
deadline=$((SECONDS + boot_timeout))
until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$api_url/health" || true)" = "200" ]; do
  kill -0 "$api_pid" 2>/dev/null || fail "the API exited during its start"
  [ $SECONDS -lt $deadline ] || fail "GET /health did not answer 200 within ${boot_timeout} s"
  sleep 0.5
done
step_done "GET /health: $(curl -s --max-time 5 "$api_url/health")"

# 6. The compiled worker, its job queue as the queue role.
step "boot the compiled worker (node dist/apps/worker/src/main.js)"
(cd "$scratch" && exec env -i PATH="$PATH" HOME="${HOME:-/tmp}" "${production_env[@]}" "DATABASE_QUEUE_URL=$queue_url" setsid "$node" dist/apps/worker/src/main.js >"$scratch/worker.log" 2>&1) &
worker_pid=$!
deadline=$((SECONDS + boot_timeout))
until grep -q '"msg":"Pilotage worker ready"' "$scratch/worker.log" 2>/dev/null; do
  kill -0 "$worker_pid" 2>/dev/null || fail "the worker exited during its start"
  [ $SECONDS -lt $deadline ] || fail "the worker did not log 'Pilotage worker ready' within ${boot_timeout} s"
  sleep 0.5
done
step_done

# POSTs a GraphQL operation; prints the JSON answer. gql QUERY VARIABLES_JSON [TOKEN]
gql() {
  local body
  body="$("$node" -e 'process.stdout.write(JSON.stringify({ query: process.argv[1], variables: JSON.parse(process.argv[2]) }))' "$1" "$2")"
  curl -sS --max-time 30 -H 'content-type: application/json' ${3:+-H "authorization: Bearer $3"} --data "$body" "$api_url/graphql"
}
# Prints a field of a GraphQL answer (a dotted path under `data`); fails on errors or a missing field.
field() {
  "$node" -e '
    const answer = JSON.parse(process.argv[1]);
    const value = process.argv[2].split(".").reduce((node, key) => (node == null ? undefined : node[key]), answer.data);
    if (answer.errors || value === undefined || value === null) process.exit(1);
    process.stdout.write(String(value));
  ' "$1" "$2"
}

# 7. Sign up, confirm the address from the e-mail, then log in with the same credentials.
step "GraphQL signUp, verifyEmail (token from the e-mail) and login"
email="owner-$run_id@smoke.example.com"
password="smoke password $run_id"
answer="$(gql 'mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }' \
  "{\"input\":{\"agencyName\":\"Smoke Agency\",\"agencySlug\":\"smoke-${run_id//_/-}\",\"email\":\"$email\",\"password\":\"$password\",\"displayName\":\"Smoke Owner\"}}")" ||
  fail "signUp: no answer"
field "$answer" signUp.user.id >/dev/null || fail "signUp failed: $answer"
deadline=$((SECONDS + 30))
until grep -q '^Code: ' "$mail_file"; do
  [ $SECONDS -lt $deadline ] || fail "no confirmation e-mail within 30 s (API log: $scratch/api.log)"
  sleep 0.2
done
verification="$(sed -n 's/^Code: //p' "$mail_file" | head -n 1)"
answer="$(gql 'mutation ($input: AccountTokenInput!) { verifyEmail(input: $input) { token } }' "{\"input\":{\"token\":\"$verification\"}}")" ||
  fail "verifyEmail: no answer"
field "$answer" verifyEmail.token >/dev/null || fail "verifyEmail failed: $answer"
answer="$(gql 'mutation ($input: LoginInput!) { login(input: $input) { token } }' "{\"input\":{\"email\":\"$email\",\"password\":\"$password\"}}")" ||
  fail "login: no answer"
token="$(field "$answer" login.token)" || fail "login failed: $answer"
step_done

# 8. A client and one monthly report (no metric data: the report says so), rendered by the worker.
step "createClient and generateReport, rendered by the worker"
answer="$(gql 'mutation ($input: CreateClientInput!) { createClient(input: $input) { id } }' \
  '{"input":{"name":"Smoke Client","businessModel":"ECOMMERCE","timeZone":"Europe/Paris","locale":"fr"}}' "$token")"
client_id="$(field "$answer" createClient.id)" || fail "createClient failed: $answer"
period_start="$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m-%d)"
answer="$(gql 'mutation ($input: GenerateReportInput!) { generateReport(input: $input) { id status } }' \
  "{\"input\":{\"clientId\":\"$client_id\",\"kind\":\"MONTHLY\",\"periodStart\":\"$period_start\"}}" "$token")"
report_id="$(field "$answer" generateReport.id)" || fail "generateReport failed: $answer"
deadline=$((SECONDS + report_timeout))
while :; do
  answer="$(gql 'query ($id: ID!) { report(id: $id) { status error pageCount byteSize } }' "{\"id\":\"$report_id\"}" "$token")"
  status="$(field "$answer" report.status)" || fail "report query failed: $answer"
  [ "$status" = "READY" ] && break
  [ "$status" = "FAILED" ] && fail "the report FAILED: $answer"
  [ $SECONDS -lt $deadline ] || fail "the report is still $status after ${report_timeout} s"
  kill -0 "$worker_pid" 2>/dev/null || fail "the worker exited"
  sleep 0.5
done
step_done "report of $period_start READY, $(field "$answer" report.pageCount) pages, $(field "$answer" report.byteSize) bytes"

# 9. The signed download link serves the PDF.
step "reportDownloadUrl and download"
answer="$(gql 'query ($id: ID!) { reportDownloadUrl(id: $id) { url } }' "{\"id\":\"$report_id\"}" "$token")"
url="$(field "$answer" reportDownloadUrl.url)" || fail "reportDownloadUrl failed: $answer"
http_code="$(curl -sS --max-time 30 -o "$scratch/report.pdf" -w '%{http_code}' "$url")" || fail "downloading $url failed"
[ "$http_code" = "200" ] || fail "downloading $url answered HTTP $http_code"
[ "$(head -c 5 "$scratch/report.pdf")" = "%PDF-" ] || fail "the download is not a PDF (no %PDF- header)"
step_done "$(wc -c <"$scratch/report.pdf") bytes, starts with %PDF-"

# 10. Both processes stop on SIGTERM (what `docker stop` sends) and leave no process behind
# (the worker closes its Chromium).
step "stop the worker and the API (SIGTERM)"
for name in worker api; do
  pid_var="${name}_pid"
  pid="${!pid_var}"
  kill -TERM "$pid"
  stop_deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -lt $stop_deadline ] || fail "the $name did not stop within 30 s of SIGTERM"
    sleep 0.2
  done
  wait "$pid" 2>/dev/null || true
  stop_deadline=$((SECONDS + 5))
  while kill -0 -- "-$pid" 2>/dev/null; do
    [ $SECONDS -lt $stop_deadline ] || fail "the $name exited but left processes behind: $(pgrep -g "$pid" -a | head -3)"
    sleep 0.2
  done
  printf -v "$pid_var" '%s' ""
done
step_done
