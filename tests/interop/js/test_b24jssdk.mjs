#!/usr/bin/env node
// Interop test: drive imbotd with the official, unmodified Bitrix24 JS SDK (@bitrix24/b24jssdk).
//
// Environment (webhook part, checks a-d):
//   IMBOTD_WEBHOOK_URL            https webhook base URL, e.g. https://127.0.0.1:8443/rest/1/CODE/
//   NODE_EXTRA_CA_CERTS           PEM file that signs the server certificate (read by node at startup)
//   IMBOTD_MIN_USERS              minimum number of users expected in user.get paging (default 120)
// Environment (OAuth part, check e; skipped -> counted as FAILED unless IMBOTD_SKIP_OAUTH=1):
//   IMBOTD_OAUTH_CLIENT_ID, IMBOTD_OAUTH_CLIENT_SECRET
//   IMBOTD_OAUTH_ACCESS_TOKEN     an access token the SERVER considers expired
//   IMBOTD_OAUTH_REFRESH_TOKEN    its (valid) refresh token
//   IMBOTD_OAUTH_CLIENT_ENDPOINT  e.g. https://127.0.0.1:8443/rest/
//   IMBOTD_OAUTH_SERVER_ENDPOINT  e.g. https://127.0.0.1:8443/rest/  (the SDK refreshes at <this minus "/rest/">/oauth/token/)
//   IMBOTD_OAUTH_MEMBER_ID, IMBOTD_OAUTH_DOMAIN (e.g. 127.0.0.1:8443)
//   IMBOTD_OAUTH_USER_ID (default 1), IMBOTD_OAUTH_SCOPE (default im,imbot,user), IMBOTD_OAUTH_APPLICATION_TOKEN
//
// Prints one line per check ("ok - ..." / "FAIL - ...") and a final line "N passed, M failed".
// Exit status 0 only when every check passed.

import https from 'node:https'
import { B24Hook, B24OAuth, AjaxResult, AjaxError, ApiVersion } from '@bitrix24/b24jssdk'

const PAGE = 50
const UNKNOWN_METHOD = 'imbotd.interop.no_such_method'
const env = process.env
const verbose = !!env.IMBOTD_INTEROP_VERBOSE

let passed = 0
let failed = 0

async function check(name, fn) {
  try {
    const detail = await fn()
    passed++
    console.log(`ok - ${name}${detail ? ` (${detail})` : ''}`)
  } catch (error) {
    failed++
    const code = error?.code ? ` [code=${error.code} status=${error?.status}]` : ''
    console.log(`FAIL - ${name}: ${error?.name ?? 'Error'}: ${error?.message ?? error}${code}`)
    if (verbose) console.error(error)
  }
}

function expect(cond, message) {
  if (!cond) throw new Error(message)
}

const isNum = (v) => typeof v === 'number' && Number.isFinite(v)

function checkTime(time, where) {
  expect(time && typeof time === 'object', `${where}: no time object`)
  for (const k of ['start', 'finish', 'duration', 'processing']) {
    expect(isNum(time[k]), `${where}: time.${k}=${JSON.stringify(time[k])} is not a number`)
  }
  expect(time.duration >= 0 && time.processing >= 0, `${where}: negative duration/processing`)
  expect(time.start <= time.finish, `${where}: time.start > time.finish`)
  for (const k of ['date_start', 'date_finish']) {
    expect(typeof time[k] === 'string' && !Number.isNaN(Date.parse(time[k])), `${where}: time.${k}=${JSON.stringify(time[k])}`)
  }
}

function loopbackNoProxy(host) {
  // axios honours HTTP(S)_PROXY; never send loopback traffic through a proxy.
  if (['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
    for (const v of ['NO_PROXY', 'no_proxy']) {
      env[v] = [env[v], '127.0.0.1', 'localhost', '::1'].filter(Boolean).join(',')
    }
  }
}

// Preflight: is the server reachable and its certificate trusted? Any HTTP status is fine.
// (NODE_EXTRA_CA_CERTS is only read when node starts, so a wrong value cannot be fixed in-process.)
function preflight(origin) {
  return new Promise((resolve) => {
    const req = https.get(origin + '/', { timeout: 10000 }, (res) => { res.resume(); resolve(null) })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', (e) => resolve(`${e.code ?? ''} ${e.message} (NODE_EXTRA_CA_CERTS=${env.NODE_EXTRA_CA_CERTS})`))
  })
}

async function webhookChecks() {
  const url = env.IMBOTD_WEBHOOK_URL ?? ''
  const minUsers = Number.parseInt(env.IMBOTD_MIN_USERS ?? '120', 10)
  let b24
  let userId
  await check('config: B24Hook.fromWebhookUrl(IMBOTD_WEBHOOK_URL)', async () => {
    const u = new URL(url)
    loopbackNoProxy(u.hostname)
    // fromWebhookUrl insists on https:, exactly /rest/<digits>/<secret>[/], keeps host:port (strips only :80/:443)
    b24 = B24Hook.fromWebhookUrl(url)
    userId = Number.parseInt(u.pathname.split('/').filter(Boolean)[1], 10)
    return b24.getTargetOriginWithPath().get(ApiVersion.v2).replace(/\/[^/]+$/, '/***')
  })
  if (!b24) return
  const pre = await preflight(new URL(url).origin)
  if (pre) {
    await check(`preflight TLS/connect to ${new URL(url).host}`, async () => { throw new Error(pre) })
    return 'abort'
  }

  const v2 = b24.actions.v2

  // ------------------------------------------------------------ (a) plain calls
  await check('a1 plain call: server.time', async () => {
    const r = await v2.call.make({ method: 'server.time' })
    expect(r instanceof AjaxResult && r.isSuccess, `not a successful AjaxResult: ${r?.getErrorMessages?.()}`)
    const { result } = r.getData()
    expect(typeof result === 'string' && !Number.isNaN(Date.parse(result)), `result=${JSON.stringify(result)}`)
    return result
  })

  await check('a2 plain call: profile', async () => {
    const r = await v2.call.make({ method: 'profile' })
    expect(r.isSuccess, r.getErrorMessages().join('; '))
    const { result } = r.getData()
    expect(Number.parseInt(result?.ID, 10) === userId, `profile.ID=${result?.ID} != ${userId}`)
    return `ID=${result.ID} NAME=${JSON.stringify(result.NAME)}`
  })

  await check('a3 plain call: unknown method -> AjaxError with 4xx status and error code', async () => {
    try {
      const r = await v2.call.make({ method: UNKNOWN_METHOD })
      // Soft error codes come back as a failed AjaxResult instead of a throw.
      expect(!r.isSuccess, 'unknown method succeeded')
      const e = [...r.getErrors()][0]
      return `soft error ${e?.code}`
    } catch (error) {
      expect(error instanceof AjaxError, `threw ${error?.name}: ${error?.message}`)
      expect(error.status >= 400 && error.status < 500, `status ${error.status} (5xx makes the SDK retry with backoff)`)
      expect(typeof error.code === 'string' && error.code && !error.code.startsWith('JSSDK_') && !error.code.startsWith('ERR_'),
        `code ${error.code}: the JSON {error, error_description} body was not parsed`)
      return `status=${error.status} code=${error.code}`
    }
  })

  // ------------------------------------------------------------ (b) time object
  await check('b1 response time object (SDK feeds it to its operating limiter)', async () => {
    const r = await v2.call.make({ method: 'profile' })
    expect(r.isSuccess, r.getErrorMessages().join('; '))
    const { time } = r.getData()
    checkTime(time, 'profile')
    const stats = b24.getHttpClient(ApiVersion.v2).getStats()
    expect(stats.successfulRequests >= 1, `SDK stats: ${JSON.stringify(stats.successfulRequests)}`)
    return `duration=${time.duration}`
  })

  // ------------------------------------------------------------ (c) batch
  await check('c1 batch (named cmds, isHaltOnError=false): good results + error of failing cmd', async () => {
    const res = await v2.batch.make({
      calls: {
        time: { method: 'server.time' },
        me: { method: 'profile' },
        bad: { method: UNKNOWN_METHOD, params: { x: 1 } },
      },
      options: { isHaltOnError: false, returnAjaxResult: true },
    })
    const data = res.getData()
    expect(data.time instanceof AjaxResult && data.time.isSuccess, 'cmd time failed')
    expect(typeof data.time.getData().result === 'string', `time result ${JSON.stringify(data.time.getData().result)}`)
    checkTime(data.time.getData().time, 'result_time[time]')
    expect(data.me?.isSuccess && Number.parseInt(data.me.getData().result.ID, 10) === userId, 'cmd me failed')
    expect(data.bad instanceof AjaxResult && !data.bad.isSuccess, 'cmd bad did not fail')
    expect(!res.isSuccess, 'overall result has no errors')
    const errs = [...res.errors.entries()]
    expect(errs.length === 1 && errs[0][0] === 'bad', `errors keyed ${JSON.stringify(errs.map((e) => e[0]))}`)
    const err = errs[0][1]
    expect(typeof err.code === 'string' && err.code && !err.code.startsWith('JSSDK_'), `error code ${err.code}`)
    return `bad -> ${err.code}: ${err.message}`
  })

  await check('c2 batch (array cmds, isHaltOnError=false, plain data): [ok] + error at index 1', async () => {
    const res = await v2.batch.make({
      calls: [['server.time', {}], [UNKNOWN_METHOD, {}]],
      options: { isHaltOnError: false, returnAjaxResult: false },
    })
    const data = res.getData()
    expect(Array.isArray(data) && data.length === 1 && typeof data[0] === 'string', `data=${JSON.stringify(data)}`)
    const keys = [...res.errors.keys()]
    expect(keys.length === 1 && String(keys[0]) === '1', `error keys ${JSON.stringify(keys)}`)
  })

  // ------------------------------------------------------------ (d) paging
  let pagedIds = null
  await check(`d1 paging: user.get following 'next' with AjaxResult.getNext() (>= ${minUsers} users)`, async () => {
    const http = b24.getHttpClient(ApiVersion.v2)
    let r = await v2.call.make({ method: 'user.get', params: {} })
    const total = r.getTotal()
    const ids = []
    let pages = 0
    while (r !== false) {
      expect(r.isSuccess, r.getErrorMessages().join('; '))
      pages++
      expect(pages <= 1000, "more than 1000 pages, 'next' never ends")
      const rows = r.getData().result
      expect(Array.isArray(rows), 'result is not an array')
      ids.push(...rows.map((u) => Number.parseInt(u.ID, 10)))
      if (r.isMore()) expect(rows.length === PAGE, `page ${pages} has ${rows.length} rows but next is set`)
      r = await r.getNext(http) // sends the same params + start=<next>; false when no numeric `next`
    }
    expect(total >= minUsers, `total=${total} < ${minUsers}`)
    expect(ids.length === total, `fetched ${ids.length}, total=${total}`)
    expect(new Set(ids).size === ids.length, 'duplicate ids')
    expect(pages === Math.ceil(total / PAGE), `${pages} pages for total=${total}`)
    expect(ids.includes(userId), `webhook user ${userId} not listed`)
    pagedIds = new Set(ids)
    return `total=${total} pages=${pages}`
  })

  await check('d2 paging: actions.v2.callList (start=-1, order {ID:ASC}, filter {">ID": last})', async () => {
    const res = await v2.callList.make({ method: 'user.get', params: {}, idKey: 'ID' })
    expect(res.isSuccess, res.getErrorMessages().join('; '))
    const ids = res.getData().map((u) => Number.parseInt(u.ID, 10))
    expect(new Set(ids).size === ids.length, `duplicate ids (${ids.length - new Set(ids).size}); is filter ">ID" honoured?`)
    expect(ids.every((v, i) => i === 0 || ids[i - 1] < v), 'ids not ascending')
    expect(ids.length >= minUsers, `only ${ids.length} users`)
    if (pagedIds) expect(ids.length === pagedIds.size && ids.every((i) => pagedIds.has(i)), 'differs from d1')
    return `${ids.length} users`
  })

  await check('m1 im.message.add to another user, then im.dialog.messages.get returns it', async () => {
    const other = userId === 2 ? 3 : 2
    const text = 'Hello from b24jssdk [i]italic[/i] <b>&amp;</b> \u00e9\u4e2d'
    const added = await v2.call.make({ method: 'im.message.add', params: { DIALOG_ID: String(other), MESSAGE: text } })
    expect(added.isSuccess, added.getErrorMessages().join('; '))
    const mid = added.getData().result
    expect(Number.isInteger(mid) && mid > 0, `im.message.add result ${JSON.stringify(mid)}`)
    const page = await v2.call.make({ method: 'im.dialog.messages.get', params: { DIALOG_ID: String(other), LIMIT: 5 } })
    expect(page.isSuccess, page.getErrorMessages().join('; '))
    const res = page.getData().result
    expect(Number.isInteger(res.chat_id) && res.chat_id > 0, `chat_id ${JSON.stringify(res.chat_id)}`)
    expect(res.messages[0].id === mid && res.messages[0].text === text, `newest message ${JSON.stringify(res.messages[0])}`)
    expect(res.users.some((u) => u.id === userId), 'the author is not in users')
    return `message ${mid} in chat ${res.chat_id}`
  })

  await check('i1 imbot.register + imbot.command.register + imbot.message.add (webhook with CLIENT_ID)', async () => {
    const CLIENT_ID = 'b24jssdk-interop'
    const hook = 'http://127.0.0.1:9/b24jssdk-handler'
    const call = async (method, params) => {
      const r = await v2.call.make({ method, params: { CLIENT_ID, ...params } })
      expect(r.isSuccess, `${method}: ${r.getErrorMessages().join('; ')}`)
      return r.getData().result
    }
    const bot = await call('imbot.register', {
      CODE: 'jssdk_echo', TYPE: 'B', EVENT_HANDLER: hook, PROPERTIES: { NAME: 'JsSDK', LAST_NAME: 'Bot' },
    })
    expect(Number.isInteger(bot) && bot > 0, `imbot.register result ${JSON.stringify(bot)}`)
    const cmd = await call('imbot.command.register', {
      BOT_ID: bot, COMMAND: 'echo', EVENT_COMMAND_ADD: hook, LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Echo', PARAMS: 'text' }],
    })
    expect(Number.isInteger(cmd) && cmd > 0, `imbot.command.register result ${JSON.stringify(cmd)}`)
    const other = userId === 2 ? 3 : 2
    const mid = await call('imbot.message.add', {
      DIALOG_ID: String(other), MESSAGE: 'Hello from a b24jssdk bot',
      ATTACH: [{ MESSAGE: 'attached' }], KEYBOARD: [{ TEXT: 'Echo', COMMAND: 'echo', COMMAND_PARAMS: 'hi' }],
    })
    expect(Number.isInteger(mid) && mid > 0, `imbot.message.add result ${JSON.stringify(mid)}`)
    const listed = await call('imbot.bot.list', {})
    expect(listed[String(bot)]?.CODE === 'jssdk_echo', `imbot.bot.list ${JSON.stringify(listed)}`)
    return `bot ${bot}, command ${cmd}, message ${mid}`
  })
}

async function oauthChecks() {
  const need = [
    'IMBOTD_OAUTH_CLIENT_ID', 'IMBOTD_OAUTH_CLIENT_SECRET', 'IMBOTD_OAUTH_ACCESS_TOKEN',
    'IMBOTD_OAUTH_REFRESH_TOKEN', 'IMBOTD_OAUTH_CLIENT_ENDPOINT', 'IMBOTD_OAUTH_SERVER_ENDPOINT',
    'IMBOTD_OAUTH_MEMBER_ID', 'IMBOTD_OAUTH_DOMAIN',
  ]
  const missing = need.filter((k) => !env[k])
  if (missing.length) {
    if (env.IMBOTD_SKIP_OAUTH === '1') {
      console.log('# skipping OAuth checks (IMBOTD_SKIP_OAUTH=1)')
      return
    }
    await check('e OAuth config', async () => { throw new Error(`missing env: ${missing.join(', ')}`) })
    return
  }
  loopbackNoProxy(new URL(env.IMBOTD_OAUTH_CLIENT_ENDPOINT).hostname)
  loopbackNoProxy(new URL(env.IMBOTD_OAUTH_SERVER_ENDPOINT).hostname)

  const nowSec = Math.floor(Date.now() / 1000)
  const params = (accessToken, refreshToken, expires) => ({
    applicationToken: env.IMBOTD_OAUTH_APPLICATION_TOKEN ?? '',
    userId: Number.parseInt(env.IMBOTD_OAUTH_USER_ID ?? '1', 10),
    memberId: env.IMBOTD_OAUTH_MEMBER_ID,
    accessToken,
    refreshToken,
    expires,
    expiresIn: 3600,
    scope: env.IMBOTD_OAUTH_SCOPE ?? 'im,imbot,user',
    domain: env.IMBOTD_OAUTH_DOMAIN,
    clientEndpoint: env.IMBOTD_OAUTH_CLIENT_ENDPOINT,
    serverEndpoint: env.IMBOTD_OAUTH_SERVER_ENDPOINT,
    status: 'L',
  })
  const secret = { clientId: env.IMBOTD_OAUTH_CLIENT_ID, clientSecret: env.IMBOTD_OAUTH_CLIENT_SECRET }

  // Observe (never alter) the SDK's REST traffic: record the HTTP status of every call.
  const observe = (b24) => {
    const seen = []
    b24.getHttpClient(ApiVersion.v2).ajaxClient.interceptors.response.use(
      (resp) => { seen.push({ status: resp.status, url: resp.config.url }); return resp },
      (err) => { seen.push({ status: err?.response?.status ?? 0, url: err?.config?.url, error: err?.response?.data?.error }); return Promise.reject(err) },
    )
    return seen
  }

  let refreshed = null
  await check('e1 OAuth: profile with server-expired token -> 401 expired_token -> refresh via /oauth/token/ -> retry ok', async () => {
    const oldAccess = env.IMBOTD_OAUTH_ACCESS_TOKEN
    // The SDK must believe the token is still valid (expires in the future), otherwise it refreshes
    // up-front without ever sending it; the server, however, has it as expired.
    const b24 = new B24OAuth(params(oldAccess, env.IMBOTD_OAUTH_REFRESH_TOKEN, nowSec + 3600), secret)
    const seen = observe(b24)
    let cb = null
    b24.setCallbackRefreshAuth(async ({ authData, b24OAuthParams }) => { cb = { authData, b24OAuthParams: { ...b24OAuthParams } } })
    const r = await b24.actions.v2.call.make({ method: 'profile' })
    expect(r.isSuccess, r.getErrorMessages().join('; '))
    const profile = r.getData().result
    expect(profile && profile.ID !== undefined, `profile result ${JSON.stringify(profile)}`)
    expect(seen.length >= 2, `expected 2 REST requests (401 then 200), saw ${JSON.stringify(seen)}`)
    expect(seen[0].status === 401 && seen[0].error === 'expired_token', `first response was ${JSON.stringify(seen[0])}, want 401 expired_token`)
    expect(seen.at(-1).status === 200, `last response ${JSON.stringify(seen.at(-1))}`)
    expect(cb !== null, 'refresh callback not called: SDK did not refresh')
    const newAccess = cb.b24OAuthParams.accessToken
    expect(typeof newAccess === 'string' && newAccess.length > 0, 'no access_token in refresh response')
    expect(newAccess !== oldAccess, 'refreshed access token equals the old one')
    expect(cb.authData && cb.authData.access_token === newAccess,
      `SDK considers the refreshed token already expired (refresh response 'expires'=${cb.b24OAuthParams.expires} must be a future unix time)`)
    expect(cb.b24OAuthParams.refreshToken, 'no refresh_token in refresh response')
    // A further call must use the new token without another refresh.
    const before = seen.length
    const r2 = await b24.actions.v2.call.make({ method: 'user.current' })
    expect(r2.isSuccess, `user.current after refresh: ${r2.getErrorMessages().join('; ')}`)
    expect(seen.length === before + 1 && seen.at(-1).status === 200, `unexpected traffic after refresh: ${JSON.stringify(seen.slice(before))}`)
    refreshed = cb.b24OAuthParams
    return `user ${profile.ID}, expires=${cb.b24OAuthParams.expires}, scope=${cb.b24OAuthParams.scope}`
  })

  await check('e2 OAuth: SDK-side expired token -> up-front refresh with rotated refresh_token -> call ok', async () => {
    expect(refreshed, 'e1 did not produce a refreshed token')
    // expires in the past: the SDK refreshes before sending anything.
    const b24 = new B24OAuth(params(refreshed.accessToken, refreshed.refreshToken, nowSec - 60), secret)
    const seen = observe(b24)
    let cb = null
    b24.setCallbackRefreshAuth(async ({ b24OAuthParams }) => { cb = { ...b24OAuthParams } })
    const r = await b24.actions.v2.call.make({ method: 'profile' })
    expect(r.isSuccess, r.getErrorMessages().join('; '))
    expect(cb && cb.accessToken && cb.accessToken !== refreshed.accessToken, 'no new access token')
    expect(seen.length === 1 && seen[0].status === 200, `traffic ${JSON.stringify(seen)}`)
    return null
  })
}

try {
  if ((await webhookChecks()) !== 'abort') await oauthChecks()
} catch (error) {
  failed++
  console.log(`FAIL - harness: ${error?.stack ?? error}`)
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
