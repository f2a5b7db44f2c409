#!/usr/bin/env python3
"""Interop test: drive imbotd with the official, unmodified Bitrix24 Python SDK (b24pysdk).

Environment:
  IMBOTD_WEBHOOK_URL   https webhook base URL, e.g. https://127.0.0.1:8443/rest/1/CODE/   (required)
  REQUESTS_CA_BUNDLE   PEM file that signs the server certificate (read by `requests`)     (required for a self-signed cert)
  IMBOTD_MIN_USERS     minimum number of users expected in user.get paging                 (default 120)
  IMBOTD_INTEROP_EXTRA =1 also runs checks of optional features (call_list_fast: batch $result[] references)
  IMBOTD_PY_OAUTH_ACCESS_TOKEN  optional: a VALID (not expired) OAuth access token; with IMBOTD_OAUTH_CLIENT_ID,
                       IMBOTD_OAUTH_CLIENT_SECRET and IMBOTD_OAUTH_DOMAIN (host:port) enables check e1 (OAuth calls).
                       b24pysdk can not refresh against imbotd (its token URL is hard-coded to
                       oauth.bitrix24.tech), so auto-refresh is switched off and no expired token is used.

Prints one line per check ("ok - ..." / "FAIL - ...") and a final line "N passed, M failed".
Exit status 0 only when every check passed.
"""

import base64
import datetime as dt
import math
import os
import sys
import traceback
from urllib.parse import urlsplit

import requests
from b24pysdk import BitrixApp, BitrixToken, BitrixWebhook, Client
from b24pysdk.api.requests import BitrixAPIRequest
from b24pysdk.api.responses import BitrixTimeResponse
from b24pysdk.errors import BitrixAPIError, BitrixAPIExpiredToken, BitrixAPIInvalidToken

PAGE = 50
UNKNOWN_METHOD = "imbotd.interop.no_such_method"

_passed = 0
_failed = 0


def check(name):
    """Decorator: run the function now as one named check; any exception is a failure."""

    def run(fn):
        global _passed, _failed
        try:
            detail = fn()
        except Exception as error:  # noqa: BLE001 - every failure is reported, never raised
            _failed += 1
            reason = f"{type(error).__name__}: {error}"
            if os.environ.get("IMBOTD_INTEROP_VERBOSE"):
                traceback.print_exc()
            print(f"FAIL - {name}: {reason}", flush=True)
        else:
            _passed += 1
            print(f"ok - {name}" + (f" ({detail})" if detail else ""), flush=True)
        return fn

    return run


def expect(cond, message):
    if not cond:
        raise AssertionError(message)


def is_float(value):
    return isinstance(value, float) and math.isfinite(value)


def as_dict(section):
    """Batch sections come back as a JSON object, or as a JSON array when keys are 0..n-1."""
    if isinstance(section, list):
        return {str(i): v for i, v in enumerate(section)}
    return dict(section or {})


def check_time(time_obj, where):
    """Validate a parsed BitrixTimeResponse."""
    expect(isinstance(time_obj, BitrixTimeResponse), f"{where}: time is {type(time_obj).__name__}")
    expect(is_float(time_obj.duration) and time_obj.duration >= 0,
           f"{where}: time.duration={time_obj.duration!r} is not a float >= 0")
    expect(is_float(time_obj.processing) and time_obj.processing >= 0,
           f"{where}: time.processing={time_obj.processing!r} is not a float >= 0")
    expect(isinstance(time_obj.start, (int, float)) and isinstance(time_obj.finish, (int, float)),
           f"{where}: time.start/finish not numbers")
    expect(time_obj.start <= time_obj.finish, f"{where}: time.start > time.finish")
    expect(isinstance(time_obj.date_start, dt.datetime) and time_obj.date_start.tzinfo is not None,
           f"{where}: time.date_start not a tz-aware datetime")
    expect(isinstance(time_obj.date_finish, dt.datetime), f"{where}: time.date_finish not a datetime")


def main():
    url = os.environ.get("IMBOTD_WEBHOOK_URL", "")
    min_users = int(os.environ.get("IMBOTD_MIN_USERS", "120"))
    extra = os.environ.get("IMBOTD_INTEROP_EXTRA") == "1"

    parts = urlsplit(url)
    segs = [s for s in parts.path.split("/") if s]
    if parts.scheme != "https" or len(segs) != 3 or segs[0] != "rest" or not segs[1].isdigit():
        print(f"FAIL - config: IMBOTD_WEBHOOK_URL must look like https://HOST:PORT/rest/USER_ID/CODE/ (got {url!r})")
        print("0 passed, 1 failed")
        return 1
    host = parts.hostname or ""
    if host in ("127.0.0.1", "localhost", "::1"):
        # Never send loopback traffic through a proxy that may be set in the environment.
        for var in ("NO_PROXY", "no_proxy"):
            os.environ[var] = ",".join(filter(None, [os.environ.get(var), "127.0.0.1", "localhost", "::1"]))

    # Preflight: is the server reachable and its certificate trusted? (any HTTP status is fine)
    try:
        requests.get(f"https://{parts.netloc}/", timeout=10, allow_redirects=False)
    except requests.exceptions.SSLError as error:
        print(f"FAIL - preflight TLS to {parts.netloc}: certificate not trusted "
              f"(REQUESTS_CA_BUNDLE={os.environ.get('REQUESTS_CA_BUNDLE')!r}): {error}")
        print("0 passed, 1 failed")
        return 1
    except requests.exceptions.RequestException as error:
        print(f"FAIL - preflight connect to {parts.netloc}: {error}")
        print("0 passed, 1 failed")
        return 1

    user_id = int(segs[1])
    # The SDK takes the portal domain (host[:port], no scheme: it always uses https) and
    # the webhook token "user_id/code"; it builds https://{domain}/rest/{user_id}/{code}/{method}.json
    token = BitrixWebhook(domain=parts.netloc, webhook_token=f"{segs[1]}/{segs[2]}")
    client = Client(token)

    # ---------------------------------------------------------------- (a) plain calls
    @check("a1 plain call: server.time (raw JSON via BitrixWebhook.call_method)")
    def _():
        raw = token.call_method("server.time")
        expect(isinstance(raw, dict) and "result" in raw and "time" in raw, f"response lacks result/time: {raw!r}")
        expect(isinstance(raw["result"], str), f"result is not a string: {raw['result']!r}")
        parsed = dt.datetime.fromisoformat(raw["result"])
        expect(parsed.tzinfo is not None, f"server.time {raw['result']!r} has no UTC offset")
        return raw["result"]

    @check("a2 plain call: profile")
    def _():
        raw = token.call_method("profile")
        res = raw["result"]
        expect(isinstance(res, dict), f"result is not an object: {res!r}")
        expect(int(res["ID"]) == user_id, f"profile ID {res.get('ID')!r} != webhook user {user_id}")
        return f"ID={res['ID']} NAME={res.get('NAME')!r}"

    @check("a3 plain call: unknown method raises a BitrixAPIError")
    def _():
        try:
            token.call_method(UNKNOWN_METHOD)
        except BitrixAPIError as error:
            code = getattr(error, "error", None) or type(error).__name__
            status = getattr(error, "status_code", None)
            expect(status is None or 400 <= int(status) < 500, f"status {status} is not 4xx")
            return f"{type(error).__name__} status={status} error={code!r}"
        raise AssertionError("no exception raised")

    # ---------------------------------------------------------------- (m) messenger exchange
    @check("m1 im.message.add to another user, then im.dialog.messages.get returns it")
    def _():
        other = 2 if user_id != 2 else 3
        text = "Hello from b24pysdk [b]bold[/b] <script>x</script> & \u00e9\u4e2d"
        added = token.call_method("im.message.add", {"DIALOG_ID": str(other), "MESSAGE": text})
        mid = added["result"]
        expect(isinstance(mid, int) and mid > 0, f"im.message.add result {mid!r} is not a positive int")
        page = token.call_method("im.dialog.messages.get", {"DIALOG_ID": str(other), "LIMIT": 5})["result"]
        expect(isinstance(page.get("chat_id"), int) and page["chat_id"] > 0, f"chat_id {page.get('chat_id')!r}")
        first = page["messages"][0]
        expect(first["id"] == mid and first["text"] == text, f"newest message {first!r} is not the one sent")
        expect(any(u["id"] == user_id for u in page["users"]), "the author is not in users")
        return f"message {mid} in chat {page['chat_id']}"

    # ---------------------------------------------------------------- (i) a bot through the SDK
    @check("i1 imbot.register + imbot.command.register + imbot.message.add (webhook with CLIENT_ID)")
    def _():
        client_id = "b24pysdk-interop"
        hook = "http://127.0.0.1:9/b24pysdk-handler"
        bot = token.call_method("imbot.register", {
            "CLIENT_ID": client_id, "CODE": "pysdk_echo", "TYPE": "B", "EVENT_HANDLER": hook,
            "PROPERTIES": {"NAME": "PySDK", "LAST_NAME": "Bot", "COLOR": "AQUA"},
        })["result"]
        expect(isinstance(bot, int) and bot > 0, f"imbot.register result {bot!r}")
        again = token.call_method("imbot.register", {
            "CLIENT_ID": client_id, "CODE": "pysdk_echo", "EVENT_HANDLER": hook, "PROPERTIES": {"NAME": "PySDK"},
        })["result"]
        expect(again == bot, f"CODE is not idempotent: {again} != {bot}")
        cmd = token.call_method("imbot.command.register", {
            "CLIENT_ID": client_id, "BOT_ID": bot, "COMMAND": "/echo", "EVENT_COMMAND_ADD": hook,
            "LANG": [{"LANGUAGE_ID": "en", "TITLE": "Echo", "PARAMS": "text"}],
        })["result"]
        expect(isinstance(cmd, int) and cmd > 0, f"imbot.command.register result {cmd!r}")
        other = 2 if user_id != 2 else 3
        mid = token.call_method("imbot.message.add", {
            "CLIENT_ID": client_id, "DIALOG_ID": str(other), "MESSAGE": "Hello from a b24pysdk bot",
            "KEYBOARD": [{"TEXT": "Echo", "COMMAND": "echo", "COMMAND_PARAMS": "hi"}],
        })["result"]
        expect(isinstance(mid, int) and mid > 0, f"imbot.message.add result {mid!r}")
        listed = token.call_method("imbot.bot.list", {"CLIENT_ID": client_id})["result"]
        expect(str(bot) in listed and listed[str(bot)]["CODE"] == "pysdk_echo", f"imbot.bot.list {listed!r}")
        return f"bot {bot}, command {cmd}, message {mid}"

    # ---------------------------------------------------------------- (v) the typed imbot v2 API
    @check("v1 typed imbot.v2: Bot.register (botToken) + Command.register + Event.get + Command.answer")
    def _():
        v2 = client.imbot.v2
        bot_token = "b24pysdk-v2-token"
        reg = v2.bot.register(fields={
            "code": "pysdk_v2", "botToken": bot_token, "type": "bot", "eventMode": "fetch",
            "properties": {"name": "PySDK v2", "workPosition": "Interop"},
        }).result
        bot = reg["bot"]["id"]
        expect(isinstance(bot, int) and reg["bot"]["eventMode"] == "fetch", f"Bot.register {reg!r}")
        expect(reg["users"][0]["bot"] is True, f"Bot.register users {reg['users']!r}")
        again = v2.bot.register(fields={"code": "pysdk_v2", "botToken": bot_token, "properties": {"name": "X"}}).result
        expect(again["bot"]["id"] == bot, f"Bot.register is not idempotent: {again!r}")
        cmd = v2.command.register(bot_id=bot, bot_token=bot_token, fields={
            "command": "echo", "title": {"en": "Echo"}, "params": {"en": "text"},
        }).result["command"]
        expect(cmd["command"] == "/echo" and cmd["botId"] == bot, f"Command.register {cmd!r}")
        listed = v2.bot.list(bot_token=bot_token).result
        expect([b["id"] for b in listed["bots"]] == [bot] and listed["hasNextPage"] is False, f"Bot.list {listed!r}")
        # A person writes the command to the bot; the bot polls.
        mid = token.call_method("im.message.add", {"DIALOG_ID": str(bot), "MESSAGE": "/echo from python"})["result"]
        events = []
        offset = None
        for _attempt in range(50):
            kwargs = {"bot_token": bot_token, "limit": 100}
            if offset is not None:
                kwargs["offset"] = offset
            got = v2.event.get(bot, **kwargs).result
            events += got["events"]
            offset = got["nextOffset"]
            if any(e["type"] == "ONIMBOTV2COMMANDADD" for e in events):
                break
        command = next(e for e in events if e["type"] == "ONIMBOTV2COMMANDADD")["data"]
        expect(command["command"]["command"] == "/echo" and command["command"]["params"] == "from python",
               f"ONIMBOTV2COMMANDADD {command['command']!r}")
        expect(command["message"]["id"] == mid, f"command message {command['message']!r}")
        answered = v2.command.answer(bot, cmd["id"], mid, command["chat"]["dialogId"],
                                     {"message": "echo: from python"}, bot_token=bot_token).result
        expect(answered == {"result": True}, f"Command.answer {answered!r}")
        sent = v2.chat.message.send(bot, command["chat"]["dialogId"], {"message": "and [b]more[/b]"},
                                    bot_token=bot_token).result
        expect(isinstance(sent["id"], int), f"Chat.Message.send {sent!r}")
        rev = v2.revision.get().result
        expect(rev["rest"] >= 36, f"Revision.get {rev!r}")
        done = v2.bot.unregister(bot, bot_token=bot_token).result
        expect(done == {"result": True}, f"Bot.unregister {done!r}")
        return f"bot {bot}, command {cmd['id']}, {len(events)} events, next offset {offset}"

    @check("v2 typed imbot.v2 chats: Chat.add/get/update, User.add/list/delete, Manager, TextField, "
           "InputAction, Message.read/get/getContext, Reaction, setOwner, leave; im.v2.Event; File.upload/download")
    def _():
        v2 = client.imbot.v2
        bot_token = "b24pysdk-v2-chats"
        bot = v2.bot.register(fields={
            "code": "pysdk_v2_chats", "botToken": bot_token, "type": "supervisor", "eventMode": "fetch",
            "properties": {"name": "PySDK chats"},
        }).result["bot"]["id"]
        a, b = [u for u in (2, 3, 4) if u != user_id][:2]
        added = v2.chat.add(bot, {"title": "PySDK room", "color": "mint", "userIds": [user_id, a]},
                            bot_token=bot_token).result
        chat = added["chat"]
        dialog = chat["dialogId"]
        expect(chat["owner"] == bot and chat["color"] == "#4ba984" and chat["isNew"] is True, f"Chat.add {chat!r}")
        expect(sorted(u["id"] for u in added["users"]) == sorted([bot, user_id, a]), f"Chat.add users {added!r}")
        got = v2.chat.get(bot, dialog, bot_token=bot_token).result["chat"]
        expect(got["id"] == chat["id"] and got["role"] == "owner", f"Chat.get {got!r}")
        expect(v2.chat.update(bot, dialog, {"title": "PySDK room 2"}, bot_token=bot_token).result == {"result": True},
               "Chat.update")
        expect(v2.chat.user.add(bot, dialog, [b], bot_token=bot_token).result == {"result": True}, "Chat.User.add")
        members = v2.chat.user.list(bot, dialog, bot_token=bot_token, order={"userId": "ASC"}).result
        expect([u["id"] for u in members] == sorted([bot, user_id, a, b]), f"Chat.User.list {members!r}")
        expect(v2.chat.manager.add(bot, dialog, [a], bot_token=bot_token).result == {"result": True},
               "Chat.Manager.add")
        managers = v2.chat.get(bot, dialog, bot_token=bot_token).result["chat"]["managerList"]
        expect(managers == [a], f"managerList {managers!r}")
        expect(v2.chat.manager.delete(bot, dialog, [a], bot_token=bot_token).result == {"result": True},
               "Chat.Manager.delete")
        expect(v2.chat.user.delete(bot, dialog, b, bot_token=bot_token).result == {"result": True},
               "Chat.User.delete")
        expect(v2.chat.text_field.enabled(bot, dialog, bot_token=bot_token, enabled=False).result == {"result": True},
               "Chat.TextField.enabled")
        field = v2.chat.get(bot, dialog, bot_token=bot_token).result["chat"]["textFieldEnabled"]
        expect(field == "N", f"textFieldEnabled {field!r}")
        expect(v2.chat.input_action.notify(bot, dialog, bot_token=bot_token,
                                           status_message_code="IMBOT_AGENT_ACTION_THINKING").result
               == {"result": True}, "Chat.InputAction.notify")
        # The user subscribes to their own events, then writes; the supervisor bot reads the history.
        expect(client.im.v2.event.subscribe().result is True, "im.v2.Event.subscribe")
        mids = [token.call_method("im.message.add", {"DIALOG_ID": dialog, "MESSAGE": f"line {i}"})["result"]
                for i in range(3)]
        read = v2.chat.message.read(bot, dialog, mids[1], bot_token=bot_token).result
        expect(read["lastId"] == mids[1] and read["counter"] == 1, f"Chat.Message.read {read!r}")
        msg = v2.chat.message.get(bot, mids[0], bot_token=bot_token).result
        expect(msg["message"]["text"] == "line 0" and msg["user"]["id"] == user_id, f"Chat.Message.get {msg!r}")
        ctx = v2.chat.message.get_context(bot, mids[1], bot_token=bot_token, range=1).result
        expect([m["id"] for m in ctx["messages"]] == mids, f"Chat.Message.getContext {ctx!r}")
        expect(v2.chat.message.reaction.add(bot, mids[2], "like", bot_token=bot_token).result == {"result": True},
               "Reaction.add")
        expect(v2.chat.message.reaction.delete(bot, mids[2], "like", bot_token=bot_token).result == {"result": True},
               "Reaction.delete")
        events, offset = [], 0
        for _attempt in range(50):
            page = client.im.v2.event.get(offset, limit=100).result
            events += page["events"]
            offset = page["nextOffset"]
            if sum(e["type"] == "ONIMV2REACTIONCHANGE" for e in events) >= 2:
                break
        kinds = [e["type"] for e in events]
        expect(kinds.count("ONIMV2MESSAGEADD") >= 3 and kinds.count("ONIMV2REACTIONCHANGE") == 2,
               f"im.v2.Event.get {kinds!r}")
        expect(client.im.v2.event.unsubscribe().result is True, "im.v2.Event.unsubscribe")
        # Files: the bot uploads, the user uploads, each downloads through a one-time link.
        content = "hello from b24pysdk \u00e9".encode()
        up = v2.file.upload(bot, dialog, {"name": "hello.txt", "content": base64.b64encode(content).decode(),
                                          "message": "a file"}, bot_token=bot_token).result
        expect(up["file"]["name"] == "hello.txt" and up["file"]["size"] == len(content) and up["dialogId"] == dialog,
               f"imbot.v2.File.upload {up!r}")
        link = v2.file.download(bot, up["file"]["id"], bot_token=bot_token).result["downloadUrl"]
        got = requests.get(link, timeout=10)
        expect(got.status_code == 200 and got.content == content, f"download {got.status_code} {got.content!r}")
        expect(requests.get(link, timeout=10).status_code == 404, "a download link works once")
        mine = client.im.v2.file.upload(dialog, {"name": "n.csv", "content": base64.b64encode(b"a,b\n1,2\n").decode()}
                                        ).result
        expect(mine["file"]["extension"] == "csv" and mine["file"]["authorId"] == user_id, f"im.v2.File.upload {mine!r}")
        link = client.im.v2.file.download(dialog, mine["file"]["id"]).result["downloadUrl"]
        expect(requests.get(link, timeout=10).content == b"a,b\n1,2\n", "im.v2.File.download")
        expect(v2.chat.set_owner(bot, dialog, user_id, bot_token=bot_token).result == {"result": True},
               "Chat.setOwner")
        expect(v2.chat.leave(bot, dialog, bot_token=bot_token).result == {"result": True}, "Chat.leave")
        v2.bot.unregister(bot, bot_token=bot_token)
        return f"chat {chat['id']}, {len(members)} members, {len(events)} user events"

    # ---------------------------------------------------------------- (b) typed calls
    @check("b1 typed call: client.server.time() -> datetime + parsed time")
    def _():
        request = client.server.time()
        value = request.value  # datetime parsed by the SDK from result
        expect(isinstance(value, dt.datetime) and value.tzinfo is not None, f"value {value!r} not tz-aware datetime")
        check_time(request.time, "server.time")
        return f"duration={request.time.duration}"

    @check("b2 typed call: client.profile() -> Profile schema + parsed time")
    def _():
        request = client.profile()
        profile = request.value
        expect(profile.bitrix_id == user_id, f"bitrix_id {profile.bitrix_id} != {user_id}")
        expect(isinstance(profile.admin, bool), f"admin {profile.admin!r}")
        expect(isinstance(profile.name, str) and isinstance(profile.last_name, str), "name/last_name not str")
        check_time(request.time, "profile")
        return f"admin={profile.admin} name={profile.name!r} last_name={profile.last_name!r}"

    # ---------------------------------------------------------------- (c) batch
    @check("c1 batch (typed, named cmds, halt=False): good results + error of failing cmd")
    def _():
        request = client.call_batch(
            {
                "time": client.server.time(),
                "me": client.profile(),
                "bad": BitrixAPIRequest(bitrix_token=token, api_method=UNKNOWN_METHOD),
            },
            halt=False,
        )
        batch = request.response  # BitrixAPIBatchResponse: parses result_time entries and time
        check_time(batch.time, "batch")
        res = as_dict(batch.result.result)
        err = as_dict(batch.result.result_error)
        times = as_dict(batch.result.result_time)
        expect(isinstance(res.get("time"), str), f"result[time]={res.get('time')!r}")
        expect(isinstance(res.get("me"), dict) and int(res["me"]["ID"]) == user_id, f"result[me]={res.get('me')!r}")
        expect("bad" not in res, f"failing cmd has a result: {res.get('bad')!r}")
        expect("bad" in err, f"result_error lacks 'bad': {err!r}")
        bad = err["bad"]
        code = bad.get("error") if isinstance(bad, dict) else bad
        expect(isinstance(code, str) and code, f"result_error[bad] has no error code: {bad!r}")
        expect("time" not in err and "me" not in err, f"good cmds reported as errors: {err!r}")
        for key in ("time", "me"):
            expect(key in times, f"result_time lacks {key!r}")
            check_time(times[key], f"result_time[{key}]")
        return f"result_error[bad]={bad!r}"

    @check("c2 batch (raw, list of cmds, halt=False): index 0 ok, index 1 error")
    def _():
        raw = token.call_batch([("server.time", {}), (UNKNOWN_METHOD, {"x": 1})], halt=False)
        section = raw["result"]
        for key in ("result", "result_error", "result_total", "result_next", "result_time"):
            expect(key in section, f"batch result lacks {key!r} (b24pysdk requires all five)")
        res = as_dict(section["result"])
        err = as_dict(section["result_error"])
        expect(isinstance(res.get("0"), str), f"result[0]={res.get('0')!r}")
        expect("1" in err and "1" not in res, f"result={res!r} result_error={err!r}")
        return None

    # ---------------------------------------------------------------- (d) paging
    pages_state = {}

    @check(f"d1 paging: user.get following 'next' page by page (>= {min_users} users)")
    def _():
        ids, start, pages, total = [], 0, 0, None
        while True:
            response = client.user.get(start=start).response
            pages += 1
            expect(pages <= 1000, "more than 1000 pages, 'next' never ends")
            rows = response.result
            expect(isinstance(rows, list), f"result is not a list: {type(rows).__name__}")
            if total is None:
                total = response.total
                expect(isinstance(total, int), f"total={total!r} is not an int")
            else:
                expect(response.total == total, f"total changed between pages: {total} -> {response.total}")
            ids.extend(int(row["ID"]) for row in rows)
            nxt = response.next
            if nxt is None:
                break
            expect(isinstance(nxt, int) and nxt == start + PAGE, f"next={nxt!r} after start={start}")
            expect(len(rows) == PAGE, f"page at start={start} has {len(rows)} rows but next={nxt}")
            start = nxt
        expect(total >= min_users, f"total={total} < {min_users}")
        expect(len(ids) == total, f"fetched {len(ids)} ids, total={total}")
        expect(len(set(ids)) == len(ids), f"{len(ids) - len(set(ids))} duplicate ids")
        expect(pages == math.ceil(total / PAGE), f"{pages} pages for total={total}")
        expect(user_id in ids, f"webhook user {user_id} not listed")
        pages_state["ids"] = set(ids)
        return f"total={total} pages={pages}"

    @check("d2 paging: SDK list helper user.get().as_list() (first page + batched start=N)")
    def _():
        request = client.user.get().as_list()
        rows = request.result
        ids = [int(row["ID"]) for row in rows]
        expect(len(set(ids)) == len(ids), f"{len(ids) - len(set(ids))} duplicate ids")
        expect(len(ids) >= min_users, f"only {len(ids)} users")
        if "ids" in pages_state:
            expect(set(ids) == pages_state["ids"], "as_list() returned a different id set than d1")
        users = request.values  # SDK user objects built from the rows
        expect(len(users) == len(ids), f"{len(users)} user objects for {len(ids)} rows")
        check_time(request.time, "as_list")
        return f"{len(ids)} users"

    if extra:
        @check("x1 paging (optional): user.get().as_list_fast() (start=-1, >ID window, batch $result refs)")
        def _():
            rows = list(client.user.get().as_list_fast().result)
            ids = [int(row["ID"]) for row in rows]
            expect(len(set(ids)) == len(ids), "duplicate ids")
            expect(ids == sorted(ids), "ids not ascending")
            if "ids" in pages_state:
                expect(set(ids) == pages_state["ids"], f"{len(ids)} ids, differs from d1")
            return f"{len(ids)} users"

    # ---------------------------------------------------------------- (e) OAuth, optional
    oauth_token = os.environ.get("IMBOTD_PY_OAUTH_ACCESS_TOKEN")
    if oauth_token:
        @check("e1 OAuth (BitrixApp + BitrixToken, valid token): /rest/{method}.json with auth in body; bad token -> 401")
        def _():
            class NoRefreshToken(BitrixToken):
                # Never let the SDK try its hard-coded external OAuth server.
                _AUTO_REFRESH_EXPIRED_TOKEN = False

            app = BitrixApp(client_id=os.environ["IMBOTD_OAUTH_CLIENT_ID"],
                            client_secret=os.environ["IMBOTD_OAUTH_CLIENT_SECRET"])
            domain = os.environ.get("IMBOTD_OAUTH_DOMAIN") or parts.netloc
            token_ok = NoRefreshToken(domain=domain, auth_token=oauth_token, bitrix_app=app)
            expect(not token_ok.is_webhook, "token is treated as a webhook")
            oclient = Client(token_ok)
            profile = oclient.profile()
            expect(profile.value.bitrix_id > 0, f"profile {profile.value!r}")
            check_time(profile.time, "oauth profile")
            batch = oclient.call_batch({"t": oclient.server.time(), "me": oclient.profile()}, halt=False).response
            expect(set(as_dict(batch.result.result)) == {"t", "me"}, f"oauth batch result {batch.result.result!r}")
            token_bad = NoRefreshToken(domain=domain, auth_token="imbotd-interop-invalid-token", bitrix_app=app)
            try:
                Client(token_bad).profile().value
            except (BitrixAPIInvalidToken, BitrixAPIExpiredToken) as error:
                expect(error.status_code == 401, f"bad token answered {error.status_code}")
                return f"user {profile.value.bitrix_id}; bad token -> {error.status_code} {error.error}"
            raise AssertionError("a made-up token was accepted")

    print(f"{_passed} passed, {_failed} failed", flush=True)
    return 0 if _failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
