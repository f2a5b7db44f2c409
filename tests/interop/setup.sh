#!/usr/bin/env bash
# Install the official Bitrix24 SDKs used by the interop tests, project-locally:
#   tests/interop/python/.venv          <- python/requirements.txt (b24pysdk, pinned)
#   tests/interop/js/node_modules       <- js/package-lock.json    (@bitrix24/b24jssdk, pinned; npm ci)
#
# Idempotent: each side keeps a stamp (hash of its pin file + interpreter version)
# and is only (re)installed when the stamp differs. Safe to run concurrently
# (serialised with flock). On success prints exactly one line on stdout; on
# failure prints the installer log on stderr and exits non-zero.
#
# Env: PYTHON (default: python3), NPM (default: npm).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py_dir="$here/python"
js_dir="$here/js"
python_bin="${PYTHON:-python3}"
npm_bin="${NPM:-npm}"

log="$(mktemp "${TMPDIR:-/tmp}/imbotd-interop-setup.XXXXXX")"
trap 'rm -f "$log"' EXIT

fail() {
    echo "interop setup: FAILED: $*" >&2
    if [ -s "$log" ]; then
        echo "---- installer output ----" >&2
        tail -n 60 "$log" >&2
    fi
    exit 1
}

# Serialise concurrent runs (e.g. several cargo tests calling setup at once).
if command -v flock >/dev/null 2>&1; then
    exec 9>"$here/.setup.lock"
    flock 9
fi

hash_of() { # file + extra string -> sha256
    { cat "$1"; printf '%s' "$2"; } | sha256sum | cut -d' ' -f1
}

# ---------------------------------------------------------------- python ----
command -v "$python_bin" >/dev/null 2>&1 || fail "python interpreter '$python_bin' not found"
py_ver="$("$python_bin" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')" \
    || fail "cannot run $python_bin"
"$python_bin" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' \
    || fail "b24pysdk needs Python >= 3.9 (found $py_ver)"

venv="$py_dir/.venv"
py_stamp_file="$venv/.imbotd-interop-stamp"
py_want="$(hash_of "$py_dir/requirements.txt" "python-$py_ver")"
py_have="$(cat "$py_stamp_file" 2>/dev/null || true)"
if [ "$py_want" != "$py_have" ] || [ ! -x "$venv/bin/python" ]; then
    rm -rf "$venv"
    "$python_bin" -m venv "$venv" >>"$log" 2>&1 || fail "python -m venv failed"
    "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q \
        -r "$py_dir/requirements.txt" >>"$log" 2>&1 || fail "pip install failed"
    "$venv/bin/python" -c 'import b24pysdk' >>"$log" 2>&1 || fail "b24pysdk does not import"
    echo "$py_want" >"$py_stamp_file"
fi
py_sdk="$("$venv/bin/python" -c 'import b24pysdk; print(b24pysdk.__version__)' 2>>"$log")" \
    || fail "b24pysdk does not import"

# -------------------------------------------------------------------- js ----
command -v node >/dev/null 2>&1 || fail "node not found"
command -v "$npm_bin" >/dev/null 2>&1 || fail "npm not found"
node_ver="$(node --version)"
node_major="${node_ver#v}"; node_major="${node_major%%.*}"
[ "$node_major" -ge 20 ] || fail "@bitrix24/b24jssdk needs node >= 20 (found $node_ver)"

nm="$js_dir/node_modules"
js_stamp_file="$nm/.imbotd-interop-stamp"
js_want="$(hash_of "$js_dir/package-lock.json" "node-$node_ver")"
js_have="$(cat "$js_stamp_file" 2>/dev/null || true)"
if [ "$js_want" != "$js_have" ]; then
    (cd "$js_dir" && "$npm_bin" ci --no-audit --no-fund --loglevel=error) >>"$log" 2>&1 \
        || fail "npm ci failed"
    echo "$js_want" >"$js_stamp_file"
fi
js_sdk="$(node -e 'console.log(require(process.argv[1]).version)' \
    "$nm/@bitrix24/b24jssdk/package.json" 2>>"$log")" || fail "@bitrix24/b24jssdk not installed"

echo "interop setup ok: b24pysdk $py_sdk (python $py_ver), @bitrix24/b24jssdk $js_sdk (node $node_ver)"
