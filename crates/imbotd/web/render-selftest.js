// render-selftest.js — assertions over render.js, run by render-selftest.html in a browser.
// Renders BB-code, ATTACH, KEYBOARD, MENU and whole messages (normal and hostile input) into #sandbox,
// checks structure and callbacks, then audits the whole sandbox for anything executable (script elements,
// on* attributes, javascript:/data: URLs). Sets document.body.dataset.result to "pass" or "fail" and writes
// the failures into <pre id="failures">. A thrown exception inside a test is a failure of that test.
import * as R from './render.js';

const failures = [];
let checks = 0;
const sandbox = document.getElementById('sandbox');

function check(name, cond, detail = '') {
  checks++;
  if (!cond) failures.push(name + (detail ? ` — ${detail}` : ''));
}
function eq(name, actual, expected) {
  check(name, Object.is(actual, expected) || JSON.stringify(actual) === JSON.stringify(expected),
    `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
function test(name, fn) {
  try { fn(); } catch (e) { failures.push(`${name}: threw ${e && e.stack || e}`); }
}
const mount = (node) => { const d = document.createElement('div'); d.append(node); sandbox.append(d); return d; };
const $ = (root, sel) => root.querySelector(sel);
const $$ = (root, sel) => [...root.querySelectorAll(sel)];

/** Records callback calls: calls.onSend = [[args]…]. */
function recorder(extra = {}) {
  const calls = {};
  const ctx = { me: 1, dialogId: 'chat5', userName: (id) => ({ 5: 'Ann Lee', 7: 'Echo' })[id] || '', ...extra };
  for (const k of ['onCommand', 'onPut', 'onSend', 'onCopy', 'onDialog', 'onBlock', 'onLike', 'onEdit', 'onDelete']) {
    calls[k] = [];
    ctx[k] = (...args) => calls[k].push(args);
  }
  return { ctx, calls };
}
const text = (t, ctx = recorder().ctx) => mount(R.renderText(t, ctx));

// --- the auditor, and a check that it really detects things -------------------------------------------

const SAFE = /^(https?:\/\/|\/)/i;
const BAD_TAGS = ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'STYLE', 'LINK', 'META', 'BASE', 'FORM', 'SVG', 'MATH', 'FRAME'];
function audit(root) {
  const problems = [];
  for (const el of root.querySelectorAll('*')) {
    if (BAD_TAGS.includes(el.tagName.toUpperCase())) problems.push(`<${el.tagName}> element`);
    for (const a of el.attributes) {
      const v = a.value.trim();
      if (/^on/i.test(a.name)) problems.push(`${a.name} attribute on <${el.tagName}>`);
      if (['src', 'action', 'formaction', 'xlink:href', 'srcset', 'poster', 'background'].includes(a.name) && !SAFE.test(v)) problems.push(`${a.name}="${v}"`);
      if (a.name === 'href' && !SAFE.test(v) && !/^tel:\+?\d+$/.test(v)) problems.push(`href="${v}"`);
      if (a.name === 'style' && /url\(|expression|javascript|@import|behavior/i.test(v)) problems.push(`style="${v}"`);
    }
    if (el.tagName === 'A' && el.target === '_blank' && !/noopener/.test(el.rel)) problems.push(`target=_blank without noopener: ${el.href}`);
  }
  return problems;
}

test('auditor detects bad markup', () => {
  const d = document.createElement('div');
  const a = document.createElement('a'); a.setAttribute('href', 'javascript:alert(1)'); d.append(a);
  const i = document.createElement('img'); i.setAttribute('onerror', 'x'); i.setAttribute('src', 'data:x'); d.append(i);
  d.append(document.createElement('script'));
  eq('auditor finds 4 problems', audit(d).length, 4);
});

// --- BB-code ------------------------------------------------------------------------------------------

test('basic formatting', () => {
  const d = text('[b]bold[/b] [I]it[/I] [u]under[/u] [s]strike[/s]');
  eq('b, i (upper-case tag), u, s', ['b', 'i', 'u', 's'].map((t) => $(d, t)?.textContent), ['bold', 'it', 'under', 'strike']);
  eq('no tags left in text', d.textContent, 'bold it under strike');
});

test('line breaks', () => {
  eq('[br]', $$(text('a[br]b[BR]c'), 'br').length, 2);
  const d = text('a\nb\r\nc');
  eq('\\n → br', $$(d, 'br').length, 2);
  eq('text kept', d.textContent, 'abc');
});

test('nesting and broken nesting', () => {
  eq('b > i', $(text('[b][i]x[/i][/b]'), 'b > i')?.textContent, 'x');
  const d = text('[b][i]x[/b][/i]');
  eq('misnested: b holds literal [i]', $(d, 'b')?.textContent, '[i]x');
  eq('misnested: no <i>', $$(d, 'i').length, 0);
  eq('misnested: all text kept', d.textContent, '[i]x[/i]');
  const u = text('[b]abc');
  eq('unclosed: no <b>', $$(u, 'b').length, 0);
  eq('unclosed: literal', u.textContent, '[b]abc');
  eq('stray close literal', text('x[/b]y').textContent, 'x[/b]y');
  const f = text('[foo]x[/foo] [b=1]y[/b]');
  eq('unknown tag literal', f.textContent, '[foo]x[/foo] y');
});

test('deep nesting and huge input stay bounded', () => {
  const t0 = performance.now();
  const d = text('[b]'.repeat(5000) + 'deep' + '[/b]'.repeat(5000));
  let depth = 0;
  for (let el = $(d, 'b'); el; el = el.querySelector(':scope > b')) depth++;
  check('nesting depth capped', depth > 0 && depth <= 30, `depth ${depth}`);
  check('deep text kept', d.textContent.includes('deep'));
  text('[code]'.repeat(20000) + '[url]'.repeat(20000) + '[img]'.repeat(20000) + '[b]'.repeat(20000));
  const ms = performance.now() - t0;
  check('hostile volume renders under 3 s', ms < 3000, `${Math.round(ms)} ms`);
});

test('size and color', () => {
  eq('size 20, clamped to 8–30, bad ignored', ['20', '100', '2', 'abc'].map((n) => $(text(`[size=${n}]x[/size]`), 'span')?.style.fontSize), ['20px', '30px', '8px', '']);
  eq('color hex, short hex', ['#ff0000', '#0f0'].map((c) => $(text(`[color=${c}]r[/color]`), 'span')?.style.color), ['rgb(255, 0, 0)', 'rgb(0, 255, 0)']);
  const bad = $(text('[color=red;background:url(javascript:alert(1))]x[/color]'), 'span');
  eq('css injection ignored', bad?.getAttribute('style'), null);
});

test('links', () => {
  const a = $(text('[url]https://example.com[/url]'), 'a');
  eq('[url] href, target, rel', [a?.getAttribute('href'), a?.target, a?.rel], ['https://example.com', '_blank', 'noopener noreferrer']);
  eq('[url=] text', $(text('[url=https://example.com/x]site[/url]'), 'a')?.textContent, 'site');
  const rel = $(text('[url=/crm/deal/1/]deal[/url]'), 'a');
  eq('relative link, same tab', [rel?.getAttribute('href'), rel?.target], ['/crm/deal/1/', '']);
  eq('protocol-relative opens safely', $(text('[url=//evil.example]x[/url]'), 'a')?.rel, 'noopener noreferrer');
  eq('upper-case scheme ok', $(text('[URL=HTTPS://EXAMPLE.COM]x[/URL]'), 'a')?.getAttribute('href'), 'HTTPS://EXAMPLE.COM');
  for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=',
    'vbscript:msgbox(1)', 'java\tscript:alert(1)', 'ftp://example.com', 'mailto:a@b.c']) {
    const d = text(`[url=${bad}]click[/url] [url]${bad}[/url]`);
    eq(`no link for ${JSON.stringify(bad)}`, $$(d, 'a').length, 0);
    check(`text kept for ${JSON.stringify(bad)}`, d.textContent.includes('click'));
  }
  const bare = text('see https://example.com/a. and javascript:alert(1) or www.x.com');
  eq('bare URL linked', $$(bare, 'a').map((x) => x.getAttribute('href')), ['https://example.com/a']);
  eq('bare URL text kept', bare.textContent, 'see https://example.com/a. and javascript:alert(1) or www.x.com');
  const nested = text('[url=https://a.example][url=https://b.example]x[/url] [send=hi]y[/send][/url]');
  eq('no nested anchors', $$(nested, 'a a, a button').length, 0);
  eq('one anchor', $$(nested, 'a').length, 1);
});

test('mentions and navigation codes', () => {
  const { ctx, calls } = recorder();
  const d = text('[user=5]Ann[/user] [user=5][/user] [USER=503 REPLACE]Klaus[/USER] [user=all]Everyone[/user] [chat=12]Group[/chat] [context=chat3/45]msg[/context]', ctx);
  const m = $$(d, '[data-user-id]');
  eq('mention ids', m.map((x) => x.dataset.userId), ['5', '5', '503', 'all']);
  eq('empty mention uses userName', m[1].textContent, 'Ann Lee');
  eq('user=all not clickable', m[3].tagName, 'SPAN');
  m[0].click(); m[2].click();
  const chat = $$(d, 'button').find((b) => b.textContent === 'Group');
  chat?.click();
  $$(d, 'button').find((b) => b.textContent === 'msg')?.click();
  eq('onDialog calls', calls.onDialog, [['5'], ['503'], ['chat12'], ['chat3']]);
  eq('imol chat not clickable', $$(text('[chat=imol|9]Line[/chat]'), 'button').length, 0);
});

test('send, put, call', () => {
  const { ctx, calls } = recorder();
  const d = text('[send=/help]Help[/send] [put=/search ]Search[/put] [send]hello[/send] [call=+19991234567]Call[/call] [call]+1 (999) 123[/call] [call=javascript:alert(1)]bad[/call]', ctx);
  const buttons = $$(d, 'button');
  eq('button labels', buttons.map((b) => b.textContent), ['Help', 'Search', 'hello']);
  buttons.forEach((b) => b.click());
  eq('onSend', calls.onSend, [['/help'], ['hello']]);
  eq('onPut', calls.onPut, [['/search ']]);
  eq('tel links', $$(d, 'a').map((a) => a.getAttribute('href')), ['tel:+19991234567', 'tel:+1999123']);
  check('bad call is text', d.textContent.includes('bad'));
});

test('quotes, delimiters, code', () => {
  const q = text('before\n>>quote line\n>>second\nafter');
  const bq = $(q, 'blockquote');
  check('>> quote', bq && bq.textContent.includes('quote line') && bq.textContent.includes('second'));
  check('>> quote ends', !bq?.textContent.includes('after') && q.textContent.includes('after'));
  const dash = '-'.repeat(54);
  const f = text(`${dash}\nAnn Lee [03.03.2026]\nquoted text\n${dash}\nreply`);
  const fq = $(f, 'blockquote.bb-fullquote');
  check('full quote', fq && fq.textContent.includes('quoted text') && !fq.textContent.includes('reply'));
  check('reply outside', f.textContent.includes('reply'));
  eq('lone delimiter is a rule', $$(text(`a\n${dash}\nb`), 'hr').length, 1);
  eq('[quote]', $(text('[quote]q[/quote]'), 'blockquote')?.textContent, 'q');
  const c = text('[code][b]x[/b] <i>\n>>not a quote[/code]');
  eq('code is literal', $(c, 'pre code')?.textContent, '[b]x[/b] <i>\n>>not a quote');
  eq('no markup inside code', $$(c, 'pre b, pre i, pre blockquote').length, 0);
});

test('images, icons, timestamps, disk', () => {
  const img = $(text('[img size=small]https://example.com/a.png [/img]'), 'img');
  eq('img src', img?.getAttribute('src'), 'https://example.com/a.png');
  check('img size class', img?.classList.contains('bb-img-small'));
  eq('javascript img dropped', $$(text('[img size=small]javascript:alert(1)[/img][img]data:image/png;base64,AAAA[/img]'), 'img').length, 0);
  const icon = $(text('[icon=https://example.com/i.png size=30 title=A unicorn]'), 'img');
  eq('icon width, title', [icon?.getAttribute('width'), icon?.title], ['30', 'A unicorn']);
  eq('bad icon dropped', $$(text('[icon=javascript:alert(1) size=20][icon=data:image/svg+xml,x]'), 'img').length, 0);
  eq('timestamp', $(text('[timestamp=1645844720 format=SHORT_TIME_FORMAT]'), 'time')?.getAttribute('datetime'), '2022-02-26T03:05:20.000Z');
  eq('disk', text('[disk=12]').textContent, 'File #12');
});

test('HTML in text stays text', () => {
  const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script><a href="javascript:1">a</a>';
  const d = text(hostile);
  eq('no elements from HTML', $$(d, 'img, script, a').length, 0);
  eq('text is literal', d.textContent, hostile);
  eq('toPlainText', R.toPlainText('[b]Hi[/b] [user=1]Ann[/user][br]x'), 'Hi Ann x');
});

// --- ATTACH -------------------------------------------------------------------------------------------

const FULL_ATTACH = [{
  ID: 1, COLOR_TOKEN: 'primary', COLOR: '#ff0000',
  BLOCKS: [
    { MESSAGE: '[b]Title[/b]' },
    { LINK: [{ NAME: 'Open', LINK: 'https://example.com', DESC: 'desc', HTML: '<b id="html-field">HTMLFIELD</b>', PREVIEW: 'https://example.com/p.png' }] },
    { IMAGE: [{ LINK: 'https://example.com/i.png', NAME: 'pic', PREVIEW: 'https://example.com/t.png', WIDTH: '100', HEIGHT: '50' }] },
    { FILE: [{ LINK: 'https://example.com/f.pdf', NAME: 'doc.pdf', SIZE: '2048' }] },
    { DELIMITER: { SIZE: '150', COLOR: '#c6c6c6' } },
    { GRID: [{ DISPLAY: 'ROW', NAME: 'Status', VALUE: '[b]Open[/b]', WIDTH: '100' }, { DISPLAY: 'ROW', NAME: 'Owner', VALUE: 'Ann', COLOR: '#00ff00' }] },
    { GRID: [{ DISPLAY: 'LINE', NAME: 'a', VALUE: '1', WIDTH: '120' }, { DISPLAY: 'BLOCK', NAME: 'b', VALUE: '2' }, { DISPLAY: 'TABLE', NAME: 'c', VALUE: '3', COLOR_TOKEN: 'alert' }] },
    { USER: [{ NAME: 'Ann Lee', AVATAR: 'https://example.com/a.png', USER_ID: '5' }] },
    { RICH_UNKNOWN: { X: 1 } },
  ],
}];

test('attach: every block type', () => {
  const { ctx, calls } = recorder();
  const d = mount(R.renderAttach(FULL_ATTACH, ctx));
  const box = $$(d, '[data-test=attach]');
  eq('one attach', box.length, 1);
  check('colour token class', box[0]?.classList.contains('attach-primary'));
  eq('COLOR border', box[0]?.style.borderLeftColor, 'rgb(255, 0, 0)');
  eq('MESSAGE bb-code', $(d, '.attach-message b')?.textContent, 'Title');
  const link = $(d, '.attach-link a');
  eq('LINK href', link?.getAttribute('href'), 'https://example.com');
  eq('LINK name', link?.textContent, 'Open');
  check('LINK desc', $(d, '.attach-link-desc')?.textContent === 'desc');
  check('LINK HTML dropped', !$(d, '#html-field') && !d.textContent.includes('HTMLFIELD'));
  eq('LINK preview', $(d, '.attach-link img')?.getAttribute('src'), 'https://example.com/p.png');
  const im = $(d, 'a.attach-image');
  eq('IMAGE link, preview, width', [im?.getAttribute('href'), $(im || d, 'img')?.getAttribute('src'), $(im || d, 'img')?.getAttribute('width')],
    ['https://example.com/i.png', 'https://example.com/t.png', '100']);
  const file = $(d, 'a.attach-file');
  eq('FILE href', file?.getAttribute('href'), 'https://example.com/f.pdf');
  check('FILE name and size', file?.textContent.includes('doc.pdf') && file?.textContent.includes('2.0 KB'), file?.textContent);
  const hr = $(d, 'hr.attach-delimiter');
  eq('DELIMITER width, colour', [hr?.style.width, hr?.style.backgroundColor], ['150px', 'rgb(198, 198, 198)']);
  eq('GRID ROW items', $$(d, '.grid-row > .grid-item').length, 2);
  eq('GRID value bb-code', $(d, '.grid-row .grid-value b')?.textContent, 'Open');
  eq('GRID ROW name width', $(d, '.grid-row .grid-name')?.style.width, '100px');
  eq('GRID value colour', $$(d, '.grid-row .grid-value')[1]?.style.color, 'rgb(0, 255, 0)');
  eq('GRID LINE width', $(d, '.grid-line .grid-item')?.style.width, '120px');
  eq('GRID BLOCK', $(d, '.grid-block .grid-name')?.textContent, 'b');
  check('GRID TABLE token', $(d, '.grid-table .grid-value')?.classList.contains('text-alert'));
  eq('USER avatar', $(d, '.attach-user img')?.getAttribute('src'), 'https://example.com/a.png');
  $(d, '.attach-user button')?.click();
  eq('USER click opens dialog', calls.onDialog, [['5']]);
});

test('attach: input forms', () => {
  eq('short form', $$(mount(R.renderAttach([{ MESSAGE: 'hi' }])), '[data-test=attach]').length, 1);
  eq('full object', $$(mount(R.renderAttach({ BLOCKS: [{ MESSAGE: 'hi' }] })), '[data-test=attach]').length, 1);
  const php = mount(R.renderAttach({ 0: { BLOCKS: { 0: { MESSAGE: 'first' }, 1: { MESSAGE: 'second' } } } }));
  eq('PHP-keyed lists in order', $$(php, '.attach-message').map((x) => x.textContent), ['first', 'second']);
  eq('JSON string', $$(mount(R.renderAttach('[{"BLOCKS":[{"MESSAGE":"j"}]}]')), '.attach-message').length, 1);
  eq('two attachments', $$(mount(R.renderAttach([{ BLOCKS: [{ MESSAGE: 'a' }] }, { BLOCKS: [{ MESSAGE: 'b' }] }])), '[data-test=attach]').length, 2);
  eq('single LINK object', $$(mount(R.renderAttach([{ LINK: { LINK: '/x', NAME: 'x' } }])), '.attach-link a').length, 1);
  for (const junk of [null, undefined, 'not json', 42, [null, 1, 'x'], { BLOCKS: 'x' }]) R.renderAttach(junk);
});

test('attach: hostile values', () => {
  const d = mount(R.renderAttach([{
    COLOR: 'red;background:url(x)', COLOR_TOKEN: '"><script>',
    BLOCKS: [
      { LINK: [{ LINK: 'javascript:alert(1)', NAME: 'evil', HTML: '<img src=x onerror="window.__pwned=1">', PREVIEW: 'javascript:alert(1)' }] },
      { IMAGE: [{ LINK: 'javascript:alert(1)', PREVIEW: 'data:image/svg+xml,<svg onload=alert(1)>' }] },
      { FILE: [{ LINK: 'data:text/html,<script>alert(1)</script>', NAME: 'f' }] },
      { USER: [{ NAME: '<b>u</b>', AVATAR: 'javascript:alert(1)', LINK: 'javascript:alert(1)' }] },
      { DELIMITER: { SIZE: '-5', COLOR: 'red;x' } },
      { GRID: [{ DISPLAY: 'ROW', NAME: '<script>', VALUE: '<img src=x onerror="window.__pwned=1">', LINK: 'javascript:alert(1)', COLOR: 'expression(1)' }] },
      { MESSAGE: '[url=javascript:alert(1)]m[/url]' },
    ],
  }]));
  eq('no links or images', $$(d, 'a, img').length, 0);
  check('names shown as text', d.textContent.includes('evil') && d.textContent.includes('<b>u</b>') && d.textContent.includes('<script>'));
  eq('bad COLOR ignored', $(d, '[data-test=attach]')?.getAttribute('style'), null);
  eq('bad delimiter size → 200', $(d, 'hr')?.style.width, '200px');
});

// --- KEYBOARD -----------------------------------------------------------------------------------------

const KEYBOARD = [
  { TYPE: 'BUTTON', TEXT: 'A', COMMAND: 'echo', COMMAND_PARAMS: '1', BOT_ID: 7, BLOCK: 'Y', DISPLAY: 'LINE', BG_COLOR_TOKEN: 'primary', WIDTH: '120' },
  { TYPE: 'BUTTON', TEXT: 'B', COMMAND: 'echo', COMMAND_PARAMS: '2', BOT_ID: '7', BLOCK: 'N', DISPLAY: 'LINE', BG_COLOR: '#112233', TEXT_COLOR: '#ffffff' },
  { TYPE: 'NEWLINE' },
  { TEXT: 'Site', LINK: 'https://example.com', DISPLAY: 'BLOCK' },
  { TEXT: 'Put', ACTION: 'PUT', ACTION_VALUE: '/help' },
  { TEXT: 'Send', ACTION: 'SEND', ACTION_VALUE: 'Done' },
  { TEXT: 'Copy', ACTION: 'COPY', ACTION_VALUE: 'copied' },
  { TEXT: 'Call', ACTION: 'CALL', ACTION_VALUE: '+1 999 123' },
  { TEXT: 'BadCall', ACTION: 'CALL', ACTION_VALUE: 'javascript:alert(1)' },
  { TEXT: 'Dlg', ACTION: 'DIALOG', ACTION_VALUE: 'chat5' },
  { TEXT: 'Off', COMMAND: 'x', BOT_ID: 7, DISABLED: 'Y', OFF_BG_COLOR: '#cccccc' },
  { TEXT: 'Fn', FUNCTION: 'BX.doSomething' },
  { TEXT: 'Mobile', LINK: 'https://m.example', CONTEXT: 'MOBILE' },
  { TEXT: 'NoBot', COMMAND: 'x' },
];

test('keyboard: layout, styles, actions', () => {
  const { ctx, calls } = recorder({ messageId: 42 });
  const d = mount(R.renderKeyboard(KEYBOARD, ctx));
  const kb = $(d, '[data-test=keyboard]');
  check('keyboard hook', !!kb);
  eq('rows (NEWLINE)', $$(d, '.kb-row').length, 2);
  eq('first row', $$(d, '.kb-row:first-child [data-test=kb-button]').map((b) => b.textContent), ['A', 'B']);
  const btn = Object.fromEntries($$(d, '[data-test=kb-button]').map((b) => [b.textContent, b]));
  eq('MOBILE-only hidden', 'Mobile' in btn, false);
  eq('button count', Object.keys(btn).length, 12);
  eq('command hook', btn.A?.dataset.command, 'echo');
  check('LINE + token classes', btn.A?.classList.contains('kb-line') && btn.A?.classList.contains('kb-primary'));
  check('BLOCK display class', btn.Site?.classList.contains('kb-block'));
  eq('WIDTH', btn.A?.style.width, '120px');
  eq('BG_COLOR, TEXT_COLOR', [btn.B?.style.backgroundColor, btn.B?.style.color], ['rgb(17, 34, 51)', 'rgb(255, 255, 255)']);
  eq('link button', [btn.Site?.tagName, btn.Site?.getAttribute('href'), btn.Site?.rel], ['A', 'https://example.com', 'noopener noreferrer']);
  eq('CALL → tel link', btn.Call?.getAttribute('href'), 'tel:+1999123');
  eq('bad CALL disabled', [btn.BadCall?.tagName, btn.BadCall?.disabled], ['BUTTON', true]);
  eq('DISABLED', btn.Off?.disabled, true);
  eq('OFF_BG_COLOR', btn.Off?.style.backgroundColor, 'rgb(204, 204, 204)');
  eq('FUNCTION never runs', btn.Fn?.disabled, true);
  eq('COMMAND without bot disabled', btn.NoBot?.disabled, true);
  for (const k of ['Put', 'Send', 'Copy', 'Dlg', 'Off', 'Fn']) btn[k]?.click();
  eq('PUT, SEND, COPY, DIALOG', [calls.onPut, calls.onSend, calls.onCopy, calls.onDialog], [[['/help']], [['Done']], [['copied']], [['chat5']]]);
  btn.B?.click();
  eq('command without BLOCK', calls.onCommand, [[7, 'echo', '2', 42, 'chat5']]);
  eq('still enabled', btn.A?.disabled, false);
  btn.A?.click();
  eq('command with BLOCK', calls.onCommand[1], [7, 'echo', '1', 42, 'chat5']);
  eq('onBlock', calls.onBlock, [[42]]);
  check('BLOCK disables the keyboard', $$(kb, 'button').every((b) => b.disabled));
  btn.B?.click();
  eq('no command after block', calls.onCommand.length, 2);
});

test('keyboard: input forms and blocked state', () => {
  const obj = { BUTTONS: { 0: { TEXT: 'x', COMMAND: 'c', BOT_ID: '3' }, 1: { TYPE: 'newline' }, 2: { TEXT: 'y', LINK: '/p' } } };
  const d = mount(R.renderKeyboard(obj, recorder().ctx));
  eq('BUTTONS object, PHP-keyed', $$(d, '[data-test=kb-button]').length, 2);
  eq('lower-case newline', $$(d, '.kb-row').length, 2);
  eq('JSON string', $$(mount(R.renderKeyboard(JSON.stringify(KEYBOARD))), '[data-test=kb-button]').length, 12);
  const b = mount(R.renderKeyboard(KEYBOARD, { ...recorder().ctx, keyboardBlocked: true }));
  check('blocked keyboard', $$(b, 'button').every((x) => x.disabled));
  const h = mount(R.renderKeyboard([{ TEXT: '<img src=x onerror="window.__pwned=1">', LINK: 'javascript:alert(1)' }, { TEXT: 'd', LINK: 'data:text/html,x' }]));
  eq('hostile: no links', $$(h, 'a, img').length, 0);
  check('hostile: text literal', h.textContent.includes('<img src=x'));
  for (const junk of [null, 'x', 5, [null, 'x', 3], { BUTTONS: null }]) R.renderKeyboard(junk);
});

// --- MENU ---------------------------------------------------------------------------------------------

test('menu', () => {
  const { ctx, calls } = recorder({ messageId: 42 });
  const d = mount(R.renderMenu([
    { TEXT: 'Help', COMMAND: 'help', COMMAND_PARAMS: 'me', BOT_ID: 7 },
    { TEXT: 'Site', LINK: 'https://example.com' },
    { TEXT: 'Off', COMMAND: 'x', BOT_ID: 7, DISABLED: 'Y' },
    { TEXT: 'Bad', LINK: 'javascript:alert(1)' },
    { TEXT: 'Put', ACTION: 'PUT', ACTION_VALUE: 'text' },
  ], ctx));
  const button = $(d, '[data-test=menu-button]');
  const list = $(d, '[role=menu]');
  eq('closed at first', [button?.getAttribute('aria-expanded'), list?.hidden], ['false', true]);
  button?.click();
  eq('opens', [button?.getAttribute('aria-expanded'), list?.hidden], ['true', false]);
  const items = Object.fromEntries($$(d, '[data-test=menu-item]').map((i) => [i.textContent, i]));
  eq('items', Object.keys(items), ['Help', 'Site', 'Off', 'Bad', 'Put']);
  eq('link item', items.Site?.getAttribute('href'), 'https://example.com');
  eq('disabled item', items.Off?.disabled, true);
  eq('bad link item inert', [items.Bad?.tagName, items.Bad?.disabled], ['BUTTON', true]);
  items.Help?.click();
  eq('command item', calls.onCommand, [[7, 'help', 'me', 42, 'chat5']]);
  eq('closes after choice', list?.hidden, true);
  button?.click();
  list?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
  eq('Escape closes', list?.hidden, true);
  items.Put?.click();
  eq('PUT item', calls.onPut, [['text']]);
  eq('ITEMS object form', $$(mount(R.renderMenu({ ITEMS: [{ TEXT: 'a', LINK: '/a' }] })), '[data-test=menu-item]').length, 1);
});

// --- whole messages -----------------------------------------------------------------------------------

const BOT_MESSAGE = {
  id: 42, chat_id: 5, author_id: 7, date: '2026-03-04T09:43:26+03:00', text: 'Hello [b]there[/b]', unread: false,
  params: { ATTACH: FULL_ATTACH, KEYBOARD: KEYBOARD, MENU: [{ TEXT: 'Help', COMMAND: 'help', BOT_ID: 7 }], LIKE: [1, 2] },
};

test('message from a bot', () => {
  const { ctx, calls } = recorder();
  const d = mount(R.renderMessage(BOT_MESSAGE, ctx));
  const art = $(d, '[data-test=message]');
  eq('ids', [art?.dataset.messageId, art?.dataset.authorId], ['42', '7']);
  eq('text, author', [$(d, '[data-test=message-text] b')?.textContent, $(d, '.msg-author')?.textContent], ['there', 'Echo']);
  eq('attach, keyboard, menu', ['attach', 'keyboard', 'menu-button'].map((t) => $$(d, `[data-test=${t}]`).length), [1, 1, 1]);
  const like = $(d, '[data-test=like]');
  eq('liked by me', like?.getAttribute('aria-pressed'), 'true');
  check('like count', like?.textContent.includes('2'));
  eq('not own: no edit/delete', $$(d, '[data-test=edit], [data-test=delete]').length, 0);
  like?.click();
  eq('onLike', calls.onLike, [[42]]);
  $(d, '[data-test=kb-button][data-command=echo]')?.click();
  eq('keyboard gets message and dialog id', calls.onCommand[0], [7, 'echo', '1', 42, 'chat5']);
});

test('own, deleted, system and blocked messages', () => {
  const { ctx, calls } = recorder();
  const own = { id: 43, author_id: 1, date: '2026-03-04T09:43:26+03:00', text: 'mine', params: [] };
  const d = mount(R.renderMessage(own, ctx));
  $(d, '[data-test=edit]')?.click();
  $(d, '[data-test=delete]')?.click();
  eq('onEdit gets the message', calls.onEdit[0]?.[0], own);
  eq('onDelete', calls.onDelete, [[43]]);
  eq('own: not liked', $(d, '[data-test=like]')?.getAttribute('aria-pressed'), 'false');
  const del = mount(R.renderMessage({ id: 44, author_id: 1, text: R.DELETED_TEXT, params: { IS_DELETED: 'Y', KEYBOARD: KEYBOARD } }, ctx));
  eq('deleted text', $(del, '[data-test=message-text]')?.textContent, R.DELETED_TEXT);
  eq('deleted: no keyboard or actions', $$(del, '[data-test=keyboard], [data-test=edit], [data-test=like]').length, 0);
  const sys = mount(R.renderMessage({ id: 45, author_id: 0, text: '[USER=5 REPLACE]Ann[/USER] joined', params: { CODE: ['CHAT_JOIN'] } }, ctx));
  check('system message', $(sys, '.msg-system') && !$(sys, '[data-test=like]'));
  const blocked = mount(R.renderMessage(BOT_MESSAGE, { ...ctx, isKeyboardBlocked: (id) => id === 42 }));
  check('blocked keyboard stays blocked', $$(blocked, '[data-test=keyboard] button').every((b) => b.disabled));
  const managed = mount(R.renderMessage({ id: 47, author_id: 5, text: 'x', params: {} }, { ...ctx, canDeleteAny: true }));
  eq('manager: delete but no edit on others', [$$(managed, '[data-test=delete]').length, $$(managed, '[data-test=edit]').length], [1, 0]);
  const edited = mount(R.renderMessage({ id: 46, author_id: 5, text: 'x', params: { IS_EDITED: 'Y' } }, ctx));
  check('edited mark', $(edited, '.msg-edited'));
  for (const junk of [null, {}, { id: 'x', params: 'junk' }, { text: { a: 1 } }]) R.renderMessage(junk, ctx);
});

// --- final audit --------------------------------------------------------------------------------------

test('final audit of everything rendered', () => {
  mount(R.renderMessage({ id: 99, author_id: 5, text: '<svg onload="window.__pwned=1"></svg>[url=javascript:window.__pwned=1]x[/url]', params: { KEYBOARD: [{ TEXT: 'k', LINK: 'javascript:window.__pwned=1' }], MENU: [{ TEXT: 'm', LINK: 'data:text/html,x' }], ATTACH: [{ IMAGE: { LINK: 'javascript:1' } }] } }, recorder().ctx));
  const problems = audit(sandbox);
  check('nothing executable in the sandbox', problems.length === 0, problems.slice(0, 10).join('; '));
  eq('no inline style attributes with markup', $$(sandbox, '[style]').filter((e) => /[<>"]/.test(e.getAttribute('style'))).length, 0);
});

// Give hostile images a moment to (not) fire their handlers, then report.
setTimeout(() => {
  check('no injected code ran', !window.__pwned);
  const pass = failures.length === 0;
  document.getElementById('failures').textContent = failures.join('\n');
  document.getElementById('summary').textContent = `${checks} checks, ${failures.length} failed`;
  document.body.dataset.result = pass ? 'pass' : 'fail';
}, 300);
