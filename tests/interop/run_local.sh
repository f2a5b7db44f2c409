#!/usr/bin/env bash
# Developer driver: start a throw-away imbotd, create the fixture, run both SDK interop scripts, stop it.
#
#   tests/interop/run_local.sh [python|js|all]
#
# Env: IMBOTD_BIN   imbotd binary (default: <repo>/target/debug/imbotd; build it first). It is copied
#                   into the temp dir, so a concurrent `cargo build` cannot swap it mid-run.
#      KEEP=1       keep the temp data dir (its path is printed) for inspection.
# The Rust harness does the same steps itself; this script is the reference for them.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
what="${1:-all}"
src_bin="${IMBOTD_BIN:-$repo/target/debug/imbotd}"
[ -x "$src_bin" ] || { echo "run_local: no imbotd binary at $src_bin (cargo build -p imbotd)" >&2; exit 1; }

"$here/setup.sh" >/dev/null || exit 1

work="$(mktemp -d "${TMPDIR:-/tmp}/imbotd-interop.XXXXXX")"
data="$work/data"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
    if [ "${KEEP:-}" = 1 ]; then echo "run_local: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
cp "$src_bin" "$work/imbotd"
bin="$work/imbotd"

read -r http_port tls_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
public="https://127.0.0.1:$tls_port"

"$bin" serve --data-dir "$data" --listen "127.0.0.1:$http_port" --tls-listen "127.0.0.1:$tls_port" \
    --rate-limit off >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 || {
    echo "run_local: imbotd did not come up" >&2; cat "$work/serve.log" >&2; exit 1; }

cli() { "$bin" "$@" --data-dir "$data" --public-url "$public"; }
fail() { echo "run_local: $*" >&2; cat "$work/serve.log" >&2; exit 1; }

for i in $(seq 1 125); do cli user add --name "Interop User$i" >/dev/null || fail "user add failed"; done
hook="$(cli webhook add --user 1 --scope im,imbot,user)" || fail "webhook add failed"
app="$(cli app add --name "SDK interop" --scope im,imbot,user)" || fail "app add failed"
client_id="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["client_id"])' "$app")" || fail "app add output: $app"
token="$(cli app token --client-id "$client_id" --user 1 --expires-in 0)" || fail "app token failed"
valid="$(cli app token --client-id "$client_id" --user 1)" || fail "app token failed"

eval "$(python3 - "$app" "$token" "$valid" <<'EOF'
import json, shlex, sys
app, tok, valid = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
env = {
    "IMBOTD_PY_OAUTH_ACCESS_TOKEN": valid["access_token"],
    "IMBOTD_OAUTH_CLIENT_ID": app["client_id"],
    "IMBOTD_OAUTH_CLIENT_SECRET": app["client_secret"],
    "IMBOTD_OAUTH_APPLICATION_TOKEN": app.get("application_token", ""),
    "IMBOTD_OAUTH_ACCESS_TOKEN": tok["access_token"],
    "IMBOTD_OAUTH_REFRESH_TOKEN": tok["refresh_token"],
    "IMBOTD_OAUTH_CLIENT_ENDPOINT": tok["client_endpoint"],
    "IMBOTD_OAUTH_SERVER_ENDPOINT": tok["server_endpoint"],
    "IMBOTD_OAUTH_MEMBER_ID": tok["member_id"],
    "IMBOTD_OAUTH_DOMAIN": tok.get("domain") or "",
}
print("\n".join(f"export {k}={shlex.quote(str(v))}" for k, v in env.items()))
EOF
)" || fail "cannot parse app/token JSON"
[ -n "$IMBOTD_OAUTH_DOMAIN" ] || export IMBOTD_OAUTH_DOMAIN="127.0.0.1:$tls_port"
export IMBOTD_WEBHOOK_URL="${hook/#http:\/\/127.0.0.1:$http_port/$public}"
export IMBOTD_CA_CERT="$data/tls/ca.pem"
[ -f "$IMBOTD_CA_CERT" ] || export IMBOTD_CA_CERT="$data/tls/cert.pem"

"$here/run.sh" "$what"
