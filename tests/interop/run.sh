#!/usr/bin/env bash
# Run the SDK interop tests against an already running imbotd (see docs/interop.md, "Running").
#
#   tests/interop/run.sh [python|js|all]      (default: all)
#
# Needs the env documented in docs/interop.md (IMBOTD_WEBHOOK_URL, IMBOTD_CA_CERT or
# REQUESTS_CA_BUNDLE/NODE_EXTRA_CA_CERTS, IMBOTD_OAUTH_* for js). Runs setup.sh first (no-op when
# up to date). Output: the test lines of each script; for "all" a combined last line
# "N passed, M failed". Exit 0 only if everything passed.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
what="${1:-all}"

"$here/setup.sh" >/dev/null || exit 1

# One CA file for both SDKs. It overrides REQUESTS_CA_BUNDLE / NODE_EXTRA_CA_CERTS, which many
# machines preset to the system bundle (which does not contain imbotd's self-signed cert).
if [ -n "${IMBOTD_CA_CERT:-}" ]; then
    export REQUESTS_CA_BUNDLE="$IMBOTD_CA_CERT"
    export NODE_EXTRA_CA_CERTS="$IMBOTD_CA_CERT"
fi

total_pass=0
total_fail=0
rc=0
run_one() { # label, command...
    local label="$1"; shift
    local out
    out="$("$@" 2>&1)"
    local st=$?
    printf '%s\n' "$out" | sed "s/^/[$label] /"
    local last
    last="$(printf '%s\n' "$out" | tail -n 1)"
    if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        total_pass=$((total_pass + BASH_REMATCH[1]))
        total_fail=$((total_fail + BASH_REMATCH[2]))
    else
        total_fail=$((total_fail + 1))   # crashed before its summary line
    fi
    [ "$st" -eq 0 ] || rc=1
}

case "$what" in
    python|py) "$here/python/.venv/bin/python" "$here/python/test_b24pysdk.py"; exit $? ;;
    js|node) node "$here/js/test_b24jssdk.mjs"; exit $? ;;
    all)
        run_one b24pysdk "$here/python/.venv/bin/python" "$here/python/test_b24pysdk.py"
        run_one b24jssdk node "$here/js/test_b24jssdk.mjs"
        echo "$total_pass passed, $total_fail failed"
        [ "$total_fail" -eq 0 ] || rc=1
        exit $rc ;;
    *) echo "usage: $0 [python|js|all]" >&2; exit 2 ;;
esac
