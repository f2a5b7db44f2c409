#!/usr/bin/env bash
# Self-test of the interop scripts themselves: run them against selftest/mock_b24.py, a tiny
# Bitrix24-like HTTPS test double (stdlib Python + openssl). Not a test of imbotd.
#   tests/interop/selftest/run_against_mock.sh [PORT]
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port="${1:-18443}"
work="$(mktemp -d "${TMPDIR:-/tmp}/imbotd-interop-mock.XXXXXX")"
mock_pid=""
cleanup() { [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 1 \
    -subj "/CN=localhost" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" >/dev/null 2>&1 || exit 1
python3 "$here/mock_b24.py" "$work/cert.pem" "$work/key.pem" "$port" 123 >"$work/env.json" 2>"$work/mock.log" &
mock_pid=$!
for _ in $(seq 50); do [ -s "$work/env.json" ] && break; sleep 0.1; done
[ -s "$work/env.json" ] || { cat "$work/mock.log" >&2; exit 1; }
eval "$(python3 -c 'import json,shlex,sys; d=json.load(open(sys.argv[1])); print("\n".join(f"export {k}={shlex.quote(v)}" for k, v in d.items()))' "$work/env.json")"
export IMBOTD_CA_CERT="$work/cert.pem"
"$here/../run.sh" all
