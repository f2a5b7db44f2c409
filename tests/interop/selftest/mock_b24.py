#!/usr/bin/env python3
"""Minimal Bitrix24-like HTTPS test double, used ONLY to self-test the interop scripts
(tests/interop/*/test_*) while imbotd itself is not available. It is not a spec of imbotd;
docs/interop.md is. Stdlib only.

Usage: mock_b24.py CERT.pem KEY.pem PORT USERS   -> prints one JSON line with the env for the tests, then serves.
"""

import json
import secrets
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit
import re
import ssl

CERT, KEY, PORT, USERS = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
HOST = f"127.0.0.1:{PORT}"
BASE = f"https://{HOST}"
WEBHOOK = ("1", secrets.token_hex(8))
APP = {"client_id": "local." + secrets.token_hex(6), "client_secret": secrets.token_hex(16)}
MEMBER_ID = secrets.token_hex(16)
lock = threading.Lock()
# access_token -> expires (unix); refresh tokens -> user
ACCESS = {}
REFRESH = {}
EXPIRED_ACCESS = secrets.token_hex(16)
ACCESS[EXPIRED_ACCESS] = int(time.time()) - 10
FIRST_REFRESH = secrets.token_hex(16)
REFRESH[FIRST_REFRESH] = 1
USERS_DB = [{"ID": str(i), "ACTIVE": True, "NAME": f"User{i}", "LAST_NAME": "Test", "EMAIL": f"u{i}@example.test",
             "PERSONAL_GENDER": "", "TIME_ZONE": "", "UF_DEPARTMENT": [1]} for i in range(1, USERS + 1)]


def tnow():
    return time.time()


def time_obj(start):
    fin = tnow()
    iso = lambda t: datetime.fromtimestamp(t, timezone.utc).astimezone().isoformat(timespec="seconds")
    return {"start": start, "finish": fin, "duration": fin - start, "processing": fin - start,
            "date_start": iso(start), "date_finish": iso(fin), "operating_reset_at": int(fin) + 600, "operating": 0.0}


def set_path(d, keys, value):
    for k in keys[:-1]:
        d = d.setdefault(k, {})
    if keys[-1] == "":
        return
    d[keys[-1]] = value


def parse_form(qs):
    out = {}
    for k, v in parse_qsl(qs, keep_blank_values=True):
        m = re.match(r"^([^\[]+)((?:\[[^\]]*\])*)$", k)
        if not m:
            out[k] = v
            continue
        keys = [m.group(1)] + re.findall(r"\[([^\]]*)\]", m.group(2))
        set_path(out, keys, v)
    return out


class ApiError(Exception):
    def __init__(self, status, error, desc):
        super().__init__(error)
        self.status, self.error, self.desc = status, error, desc


def ci(params, name):
    for k, v in params.items():
        if k.lower() == name:
            return v
    return None


def call(method, params, user):
    method = method.lower()
    if method == "server.time":
        return {"result": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")}
    if method == "profile":
        u = USERS_DB[user - 1]
        return {"result": {"ID": u["ID"], "ADMIN": True, "NAME": u["NAME"], "LAST_NAME": u["LAST_NAME"],
                           "PERSONAL_GENDER": "", "TIME_ZONE": ""}}
    if method == "user.current":
        return {"result": USERS_DB[user - 1]}
    if method == "user.get":
        flt = ci(params, "filter") or {}
        rows = USERS_DB
        if isinstance(flt, dict):
            for k, v in flt.items():
                if k.upper() == ">ID":
                    rows = [r for r in rows if int(r["ID"]) > int(v)]
        start = int(ci(params, "start") or 0)
        if start == -1:
            return {"result": rows[:50]}
        page = rows[start:start + 50]
        out = {"result": page, "total": len(rows)}
        if start + 50 < len(rows):
            out["next"] = start + 50
        return out
    raise ApiError(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")


def as_php(d):
    if not d:
        return []
    keys = list(d.keys())
    if keys == [str(i) for i in range(len(keys))]:
        return list(d.values())
    return d


def batch(params, user):
    cmd = ci(params, "cmd") or {}
    halt = ci(params, "halt")
    halt = halt not in (None, False, 0, "0", "", "false", "N")
    items = list(enumerate(cmd)) if isinstance(cmd, list) else list(cmd.items())
    res, err, tot, nxt, tim = {}, {}, {}, {}, {}
    for key, line in items:
        key = str(key)
        m, _, q = line.partition("?")
        start = tnow()
        try:
            out = call(m, parse_form(q), user)
        except ApiError as e:
            err[key] = {"error": e.error, "error_description": e.desc}
            if halt:
                break
            continue
        res[key] = out["result"]
        if "total" in out:
            tot[key] = out["total"]
        if "next" in out:
            nxt[key] = out["next"]
        tim[key] = time_obj(start)
    return {"result": {"result": as_php(res), "result_error": as_php(err), "result_total": as_php(tot),
                       "result_next": as_php(nxt), "result_time": as_php(tim)}}


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        if "-v" in sys.argv:
            sys.stderr.write("mock: " + fmt % args + "\n")

    def send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def params(self):
        u = urlsplit(self.path)
        p = parse_form(u.query)
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        ctype = self.headers.get("Content-Type", "")
        if "-v" in sys.argv:
            sys.stderr.write(f"mock: > {self.command} {self.path} [{ctype}] {raw[:600]!r}\n")
        if raw:
            if "json" in ctype:
                p.update(json.loads(raw))
            else:
                p.update(parse_form(raw.decode()))
        return u.path, p

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def handle_any(self):
        start = tnow()
        path, p = self.params()
        try:
            if path.rstrip("/") == "/oauth/token":
                return self.oauth(p)
            m = re.match(r"^/rest/+(\d+)/([^/]+)/([^/]+?)(\.json)?/?$", path)
            if m:
                if (m.group(1), m.group(2)) != WEBHOOK:
                    raise ApiError(401, "INVALID_CREDENTIALS", "Invalid request credentials")
                user, method = int(m.group(1)), m.group(3)
            else:
                m = re.match(r"^/rest/+([^/]+?)(\.json)?/?$", path)
                if not m:
                    raise ApiError(404, "NOT_FOUND", "not found")
                method = m.group(1)
                tok = p.pop("auth", None)
                with lock:
                    exp = ACCESS.get(tok)
                if exp is None:
                    raise ApiError(401, "invalid_token", "Unable to authorize user")
                if exp <= tnow():
                    raise ApiError(401, "expired_token", "The access token provided has expired.")
                user = 1
            out = batch(p, user) if method.lower() == "batch" else call(method, p, user)
            out["time"] = time_obj(start)
            self.send(200, out)
        except ApiError as e:
            self.send(e.status, {"error": e.error, "error_description": e.desc})

    def oauth(self, p):
        if p.get("grant_type") != "refresh_token" or p.get("client_id") != APP["client_id"] \
                or p.get("client_secret") != APP["client_secret"]:
            raise ApiError(400, "invalid_client", "bad client")
        with lock:
            user = REFRESH.pop(p.get("refresh_token"), None)
            if user is None:
                raise ApiError(400, "invalid_grant", "bad refresh token")
            acc, ref = secrets.token_hex(16), secrets.token_hex(16)
            ACCESS[acc] = int(tnow()) + 3600
            REFRESH[ref] = user
        self.send(200, {"access_token": acc, "refresh_token": ref, "expires": int(tnow()) + 3600, "expires_in": 3600,
                        "scope": "im,imbot,user", "domain": HOST, "client_endpoint": f"{BASE}/rest/",
                        "server_endpoint": f"{BASE}/rest/", "status": "L", "member_id": MEMBER_ID, "user_id": user})


srv = ThreadingHTTPServer(("127.0.0.1", PORT), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(CERT, KEY)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print(json.dumps({
    "IMBOTD_WEBHOOK_URL": f"{BASE}/rest/{WEBHOOK[0]}/{WEBHOOK[1]}/",
    "IMBOTD_OAUTH_CLIENT_ID": APP["client_id"], "IMBOTD_OAUTH_CLIENT_SECRET": APP["client_secret"],
    "IMBOTD_OAUTH_ACCESS_TOKEN": EXPIRED_ACCESS, "IMBOTD_OAUTH_REFRESH_TOKEN": FIRST_REFRESH,
    "IMBOTD_OAUTH_CLIENT_ENDPOINT": f"{BASE}/rest/", "IMBOTD_OAUTH_SERVER_ENDPOINT": f"{BASE}/rest/",
    "IMBOTD_OAUTH_MEMBER_ID": MEMBER_ID, "IMBOTD_OAUTH_DOMAIN": HOST,
}), flush=True)
srv.serve_forever()
