// render.js — pure rendering of Bitrix24 message content into DOM nodes: BB-code text, ATTACH cards,
// KEYBOARD buttons, MENU items and whole messages. No network, no global state: everything the user can
// trigger goes out through the callbacks in `ctx`:
//   onCommand(botId, command, params, messageId, dialogId)  a command button or menu item was pressed
//   onPut(text) / onSend(text) / onCopy(text)                 PUT / SEND / COPY actions and [put] / [send] codes
//   onDialog(dialogId)                                        open a dialog ("chat5" or a user id)
//   onBlock(messageId)                                        a BLOCK=Y button was pressed (remember it)
//   onLike(id) / onEdit(message, node) / onDelete(id)         message actions
//   userName(id), userColor(id), me (current user id), isKeyboardBlocked(messageId), canDeleteAny
//
// Security model: text from users and bots is only ever put into the DOM with textContent / text nodes,
// never parsed as HTML. Links and image sources are used only when they match ^(https?://|/) (tel: for
// calls only when the number is digits with an optional +); anything else is shown as plain text. The
// attach LINK block's HTML field is ignored. Colours are used only when they are #RGB / #RRGGBB and are
// set through CSSOM (el.style), which a strict CSP allows.
//
// How it fails: malformed input never throws; unknown or unclosed BB-codes are shown literally, unknown
// ATTACH blocks and invalid buttons are skipped, lists may be arrays or PHP-style objects keyed "0", "1", ….

const SAFE_URL = /^(https?:\/\/|\/)/i;
const HEX_COLOR = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;
const DIALOG_ID = /^(chat\d+|\d+)$/;
const TOKENS = ['primary', 'secondary', 'alert', 'base'];
const MAX_DEPTH = 24; // deeper BB-code nesting is shown literally
export const DELETED_TEXT = 'This message was deleted.';

// ---- Small value helpers (tolerant of form-encoded strings and PHP-shaped lists).

/** A list from a JSON array or a PHP-style object keyed "0", "1", … (JS orders integer keys first,
 * ascending, so Object.values keeps their order); other objects give their values; else []. */
export function listOf(v) {
  return Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : [];
}

/** A JSON string decoded (Bitrix accepts KEYBOARD/ATTACH/MENU as JSON strings); anything else as is. */
function parsed(v) {
  if (typeof v !== 'string') return v;
  try { return JSON.parse(v); } catch { return null; }
}

/** A plain object (a JSON string is decoded first), else {}. */
function obj(v) {
  v = parsed(v);
  return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

const str = (v) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Y/N flag: "Y", "y", "1", "true", true and non-zero numbers are set. */
export function flag(v) {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  const s = str(v).trim().toLowerCase();
  return s === 'y' || s === '1' || s === 'true';
}

/** A positive integer or null ("200" and 200 alike). */
export function posInt(v) {
  const s = str(v).trim();
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n > 0 && Number.isSafeInteger(n) ? n : null;
}

/** The trimmed URL if it may be used as href/src, else null. */
export function safeUrl(v) {
  const s = str(v).trim();
  if (!s || /[\u0000-\u001f\u007f]/.test(s)) return null;
  return SAFE_URL.test(s) ? s : null;
}

/** "tel:+123" for a phone number made of digits (spaces, dashes, dots, brackets ignored), else null. */
export function telHref(v) {
  const s = str(v).replace(/[\s().-]/g, '');
  return /^\+?\d{2,20}$/.test(s) ? 'tel:' + s : null;
}

const hexColor = (v) => (HEX_COLOR.test(str(v).trim()) ? str(v).trim() : null);
const token = (v) => (TOKENS.includes(str(v).trim().toLowerCase()) ? str(v).trim().toLowerCase() : null);
const upper = (v) => str(v).trim().toUpperCase();

/** createElement with attributes and children (strings become text nodes, never HTML). */
export function h(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of kids.flat()) if (c != null && c !== false) e.append(c);
  return e;
}

/** Sets the truthy ones of `styles` through CSSOM (allowed by a strict CSP, unlike style="…"). */
function css(el, styles) {
  for (const [k, v] of Object.entries(styles)) if (v) el.style[k] = v;
  return el;
}

/** Pixels for a positive size, capped. */
const px = (v, max = 2000) => (posInt(v) ? Math.min(posInt(v), max) + 'px' : null);

/** An <a> for a URL already checked with safeUrl/telHref; anything but a same-site path opens a new tab. */
function anchor(url, kids, cls) {
  const a = h('a', { href: url, class: cls }, kids);
  if (!url.startsWith('tel:') && !/^\/(?![/\\])/.test(url)) Object.assign(a, { target: '_blank', rel: 'noopener noreferrer' });
  return a;
}

/** Plain text of a BB-code message, for previews and notifications. */
export function toPlainText(text) {
  return str(text).replace(/\[br\]/gi, ' ').replace(/\[\/?[a-z]+(?:[=\s][^[\]]*)?\]/gi, '').replace(/\s+/g, ' ').trim();
}

// ---- BB-code: block level (code blocks, >> quote lines, ---- full quotes), then inline tags.

const PAIRED = new Set(['b', 'i', 'u', 's', 'size', 'color', 'url', 'user', 'chat', 'context',
  'put', 'send', 'call', 'quote', 'img']);
const SINGLE = new Set(['br', 'icon', 'timestamp', 'disk']);
const TAG_RE = /\[(\/?)([a-z]+)(?:([=\s])([^[\]]*))?\]/gi;
const DASH_LINE = /^\s*-{10,}\s*$/;

/** BB-code text → DocumentFragment. */
export function renderText(text, ctx = {}) {
  const frag = document.createDocumentFragment();
  const src = str(text).replace(/\r\n?/g, '\n');
  const lower = src.toLowerCase();
  let last = 0;
  for (;;) { // [code]…[/code] blocks, found with indexOf so hostile input stays linear
    const open = lower.indexOf('[code]', last);
    const close = open < 0 ? -1 : lower.indexOf('[/code]', open + 6);
    if (close < 0) break;
    renderBlocks(src.slice(last, open), frag, ctx);
    frag.append(h('pre', { class: 'bb-code' }, h('code', {}, src.slice(open + 6, close).replace(/^\n|\n$/g, ''))));
    last = close + 7;
  }
  renderBlocks(src.slice(last), frag, ctx);
  return frag;
}

/** Lines: ">>" lines become a quote, a pair of dash lines a full quote, a lone dash line a rule. */
function renderBlocks(text, parent, ctx) {
  if (!text) return;
  const lines = text.split('\n');
  let plain = [];
  const flush = () => {
    if (plain.length) renderInline(plain.join('\n'), parent, ctx);
    plain = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('>>')) {
      flush();
      const quoted = [];
      while (i < lines.length && lines[i].startsWith('>>')) quoted.push(lines[i++].slice(2));
      i--;
      const q = h('blockquote', { class: 'bb-quote' });
      renderInline(quoted.join('\n'), q, ctx);
      parent.append(q);
    } else if (DASH_LINE.test(line)) {
      flush();
      let end = i + 1;
      while (end < lines.length && !DASH_LINE.test(lines[end])) end++;
      if (end === lines.length) {
        parent.append(h('hr', { class: 'bb-delimiter' }));
        continue;
      }
      const q = h('blockquote', { class: 'bb-quote bb-fullquote' });
      renderBlocks(lines.slice(i + 1, end).join('\n'), q, ctx);
      parent.append(q);
      i = end;
    } else {
      plain.push(line);
    }
  }
  flush();
}

const renderInline = (text, parent, ctx) => renderNodes(parseInline(text), parent, ctx);

/** Tags whose content is a value (a URL, a number, a command), not more BB-code. */
function isRawTag(name, arg) {
  return name === 'img' || (arg == null && ['url', 'call', 'put', 'send'].includes(name));
}

/**
 * Parses inline BB-code into a tree: strings and {name, arg, raw, children}. Unclosed tags and stray
 * closing tags become literal text; nesting deeper than MAX_DEPTH is literal too.
 */
export function parseInline(src) {
  const root = { name: '#root', children: [] };
  const stack = [root];
  const top = () => stack[stack.length - 1];
  const text = (s) => { if (s) top().children.push(s); };
  const unwind = () => { // the top node was never closed: show its tag literally
    const node = stack.pop();
    const siblings = top().children;
    siblings.pop();
    siblings.push(node.raw, ...node.children);
  };
  const noClose = new Set();
  let last = 0, m;
  TAG_RE.lastIndex = 0;
  while ((m = TAG_RE.exec(src))) {
    const [raw, slash, rawName, sep, attr] = m;
    const name = rawName.toLowerCase();
    if (!PAIRED.has(name) && !SINGLE.has(name)) continue;
    const arg = sep === '=' ? attr : sep ? ' ' + attr : null;
    text(src.slice(last, m.index));
    last = m.index + raw.length;
    if (slash) {
      const at = stack.findLastIndex((n) => n.name === name);
      if (at <= 0) { text(raw); continue; }
      while (stack.length - 1 > at) unwind();
      stack.pop();
    } else if (SINGLE.has(name)) {
      top().children.push({ name, arg, raw, children: [] });
    } else if (isRawTag(name, sep === '=' ? arg : null)) {
      const close = new RegExp('\\[/' + name + '\\]', 'gi');
      close.lastIndex = last;
      const c = noClose.has(name) ? null : close.exec(src);
      if (!c) { noClose.add(name); text(raw); continue; }
      top().children.push({ name, arg: sep === '=' ? arg : null, opts: attr || '', raw, children: [src.slice(last, c.index)] });
      last = TAG_RE.lastIndex = c.index + c[0].length;
    } else if (stack.length > MAX_DEPTH) {
      text(raw);
    } else {
      const node = { name, arg: sep === '=' ? arg : null, raw, children: [] };
      top().children.push(node);
      stack.push(node);
    }
  }
  text(src.slice(last));
  while (stack.length > 1) unwind();
  return root.children;
}

function renderNodes(nodes, parent, ctx) {
  for (const n of nodes) parent.append(typeof n === 'string' ? renderPlain(n, ctx) : renderTag(n, ctx));
}

const BARE_URL = /\bhttps?:\/\/[^\s<>"'[\]]+/gi;

/** Plain text: "\n" → <br>, bare http(s) URLs → links (unless already inside a link). */
function renderPlain(s, ctx) {
  const frag = document.createDocumentFragment();
  s.split('\n').forEach((line, i) => {
    if (i) frag.append(h('br'));
    let last = 0, m;
    BARE_URL.lastIndex = 0;
    while (!ctx.inLink && (m = BARE_URL.exec(line))) {
      const url = safeUrl(m[0].replace(/[.,;:!?)]+$/, ''));
      if (!url) continue;
      frag.append(line.slice(last, m.index), anchor(url, url));
      last = m.index + url.length;
      BARE_URL.lastIndex = last;
    }
    frag.append(line.slice(last));
  });
  return frag;
}

/** The first space-separated word of a tag argument. */
const firstWord = (arg) => str(arg).trim().split(/\s+/)[0] || '';

/** key=value options of a single tag ("[icon=URL size=20 title=A smile]"): title takes the rest. */
function tagOptions(arg) {
  const out = {};
  const s = str(arg);
  const title = /\btitle=(.*)$/i.exec(s);
  if (title) out.title = title[1].trim();
  for (const [, k, v] of s.replace(/\btitle=.*$/i, '').matchAll(/\b([a-z]+)=(\S+)/gi)) out[k.toLowerCase()] = v;
  return out;
}

function renderTag(n, ctx) {
  const kids = () => { const f = document.createDocumentFragment(); renderNodes(n.children, f, ctx); return f; };
  const inner = n.children.filter((c) => typeof c === 'string').join('');
  switch (n.name) {
    case 'b': case 'i': case 'u': case 's': return h(n.name, {}, kids());
    case 'br': return h('br');
    case 'quote': return h('blockquote', { class: 'bb-quote' }, kids());
    case 'size': { // 8–30 px
      const size = posInt(firstWord(n.arg));
      return css(h('span', {}, kids()), { fontSize: size && px(Math.max(8, size), 30) });
    }
    case 'color': return css(h('span', {}, kids()), { color: hexColor(n.arg) });
    case 'url': return renderUrl(n, ctx, inner);
    case 'user': return renderMention(n, ctx);
    case 'chat': {
      const id = str(n.arg).trim();
      const label = renderLinkKids(n, ctx);
      if (!label.textContent.trim()) label.append('Chat ' + id);
      return interactive(ctx, /^\d+$/.test(id) ? () => ctx.onDialog?.('chat' + id) : null, 'bb-mention', label);
    }
    case 'context': {
      const dialog = str(n.arg).trim().split('/')[0];
      return interactive(ctx, DIALOG_ID.test(dialog) ? () => ctx.onDialog?.(dialog) : null, 'bb-context', renderLinkKids(n, ctx));
    }
    case 'put': case 'send': {
      const value = n.arg != null ? n.arg : inner;
      const label = n.arg != null ? renderLinkKids(n, ctx) : inner;
      const run = n.name === 'put' ? () => ctx.onPut?.(value) : () => ctx.onSend?.(value);
      const el = interactive(ctx, value.trim() ? run : null, 'bb-' + n.name, label);
      if (el.tagName === 'BUTTON') el.title = value;
      return el;
    }
    case 'call': {
      const number = n.arg != null ? n.arg : inner;
      const tel = telHref(number);
      const label = n.arg != null ? renderLinkKids(n, ctx) : inner;
      return tel && !ctx.inLink ? anchor(tel, label, 'bb-call') : h('span', {}, label);
    }
    case 'img': {
      const src = safeUrl(inner);
      if (!src) return document.createTextNode(n.raw + inner + '[/img]');
      const size = (/size=(small|medium|large)/i.exec(n.opts) || [, 'medium'])[1].toLowerCase();
      return h('img', { class: 'bb-img bb-img-' + size, src, alt: 'Image', loading: 'lazy', referrerpolicy: 'no-referrer' });
    }
    case 'icon': {
      const src = safeUrl(firstWord(n.arg));
      if (!src) return document.createTextNode(n.raw);
      const o = tagOptions(str(n.arg).trim().slice(firstWord(n.arg).length));
      const size = Math.min(64, posInt(o.size) || posInt(o.width) || 20);
      const img = h('img', { class: 'bb-icon', src, alt: o.title || 'icon', width: size, height: Math.min(64, posInt(o.height) || size), referrerpolicy: 'no-referrer' });
      if (o.title) img.title = o.title;
      return img;
    }
    case 'timestamp': return renderTimestamp(n);
    case 'disk': {
      const id = posInt(firstWord(n.arg));
      return id ? h('span', { class: 'bb-disk' }, `File #${id}`) : document.createTextNode(n.raw);
    }
    default: return document.createTextNode(n.raw);
  }
}

/** Children of a link-like tag, rendered with nested links suppressed. */
function renderLinkKids(n, ctx) {
  const f = document.createDocumentFragment();
  renderNodes(n.children, f, { ...ctx, inLink: true });
  return f;
}

/** A <button> running `run`, or a plain span when there is nothing to run or we are inside a link. */
function interactive(ctx, run, cls, label) {
  if (!run || ctx.inLink) return h('span', { class: cls }, label);
  const b = h('button', { type: 'button', class: 'bb-action ' + cls }, label);
  b.addEventListener('click', run);
  return b;
}

function renderUrl(n, ctx, inner) {
  const url = safeUrl(n.arg != null ? n.arg : inner);
  const label = n.arg != null ? renderLinkKids(n, ctx) : inner;
  if (!url || ctx.inLink) return h('span', { class: 'bb-badlink' }, label);
  return anchor(url, label);
}

function renderMention(n, ctx) {
  const id = firstWord(n.arg);
  const label = renderLinkKids(n, ctx);
  if (!label.textContent.trim()) label.append(/^\d+$/.test(id) ? (ctx.userName?.(Number(id)) || `User ${id}`) : id);
  const el = interactive(ctx, /^\d+$/.test(id) && id !== '0' ? () => ctx.onDialog?.(id) : null, 'bb-mention', label);
  el.dataset.userId = id;
  return el;
}

function renderTimestamp(n) {
  const secs = posInt(firstWord(n.arg));
  if (!secs) return document.createTextNode(n.raw);
  const d = new Date(secs * 1000);
  const format = upper(tagOptions(n.arg).format);
  const opts = /TIME/.test(format) && !/DATE/.test(format) ? { timeStyle: 'short' }
    : /DATE/.test(format) && !/TIME/.test(format) ? { dateStyle: 'medium' }
      : { dateStyle: 'medium', timeStyle: 'short' };
  return h('time', { datetime: d.toISOString() }, d.toLocaleString(undefined, opts));
}

// ---- ATTACH

/** The attach objects of a message: accepts the stored array, one full object or a bare block list. */
function attachments(v) {
  v = parsed(v);
  if (v && !Array.isArray(v) && typeof v === 'object' && 'BLOCKS' in v) return [v];
  const list = listOf(v);
  if (list.length && list.every((x) => x && typeof x === 'object' && 'BLOCKS' in x)) return list;
  return list.length ? [{ BLOCKS: list }] : [];
}

/** ATTACH (stored array of attach objects, a full object or a block list) → a node. */
export function renderAttach(attach, ctx = {}) {
  const wrap = h('div', { class: 'attachments' });
  for (const a of attachments(attach)) {
    const tok = token(a.COLOR_TOKEN);
    const box = css(h('div', { class: 'attach' + (tok ? ' attach-' + tok : ''), 'data-test': 'attach' }), { borderLeftColor: hexColor(a.COLOR) });
    for (const block of listOf(a.BLOCKS)) {
      for (const [key, value] of Object.entries(obj(block))) box.append(renderBlock(key, value, ctx) || '');
    }
    wrap.append(box);
  }
  return wrap;
}

/** One/many objects: `{…}` or `[{…}, …]` (or PHP-keyed). */
function items(v) {
  if (v && typeof v === 'object' && !Array.isArray(v) && !('0' in v)) return [v];
  return listOf(v).filter((x) => x && typeof x === 'object');
}

function renderBlock(key, value, ctx) {
  switch (key) {
    case 'MESSAGE': return h('div', { class: 'attach-message' }, renderText(str(value), ctx));
    case 'LINK': return group('attach-links', items(value).map((l) => renderLinkBlock(l, ctx)));
    case 'USER': return group('attach-users', items(value).map((u) => renderUserBlock(u, ctx)));
    case 'GRID': return renderGrid(items(value), ctx);
    case 'IMAGE': return group('attach-images', items(value).map(renderImage));
    case 'FILE': return group('attach-files', items(value).map(renderFile));
    case 'DELIMITER': return css(h('hr', { class: 'attach-delimiter' }), { width: px(obj(value).SIZE) || '200px', backgroundColor: hexColor(obj(value).COLOR) });
    default: return null; // unknown block types are skipped
  }
}

const group = (cls, nodes) => h('div', { class: cls }, nodes.filter(Boolean));

/** Navigation for USER_ID / CHAT_ID / BOT_ID fields; null when none. */
function internalTarget(o) {
  const user = posInt(o.USER_ID) || posInt(o.BOT_ID);
  if (user) return String(user);
  const chat = posInt(o.CHAT_ID);
  return chat ? 'chat' + chat : null;
}

/** A link to `o.LINK`, or a button to an internal dialog, or plain text. */
function target(o, label, ctx, cls) {
  const url = safeUrl(o.LINK);
  if (url) return anchor(url, label, cls);
  const dialog = internalTarget(o);
  return interactive(ctx, dialog ? () => ctx.onDialog?.(dialog) : null, cls, label);
}

function renderLinkBlock(l, ctx) {
  // HTML is deliberately ignored: only NAME, DESC, LINK (and a safe PREVIEW) are shown.
  const name = str(l.NAME).trim() || str(l.LINK).trim() || 'Link';
  const box = h('div', { class: 'attach-link' });
  const preview = safeUrl(l.PREVIEW);
  if (preview) box.append(sizedImg(preview, name, l));
  const body = h('div', { class: 'attach-link-body' }, target(l, name, ctx, 'attach-link-name'));
  if (str(l.DESC).trim()) body.append(h('div', { class: 'attach-link-desc' }, renderText(str(l.DESC), ctx)));
  box.append(body);
  return box;
}

function renderUserBlock(u, ctx) {
  const name = str(u.NAME).trim();
  if (!name) return null;
  const avatar = safeUrl(u.AVATAR);
  const pic = avatar ? h('img', { class: 'avatar', src: avatar, alt: '', referrerpolicy: 'no-referrer' }) : initials(name);
  return h('div', { class: 'attach-user' }, pic, target(u, name, ctx, 'attach-user-name'));
}

/** A round avatar with initials. */
export function initials(name, color) {
  const letters = str(name).split(/\s+/).map((w) => (/[\p{L}\p{N}]/u.exec(w) || [''])[0]).filter(Boolean).slice(0, 2).join('').toUpperCase();
  return css(h('span', { class: 'avatar avatar-letters', 'aria-hidden': 'true' }, letters || '?'), { backgroundColor: hexColor(color) });
}

function sizedImg(src, alt, o) {
  const w = posInt(o.WIDTH), ht = posInt(o.HEIGHT);
  return h('img', { src, alt: alt || '', loading: 'lazy', referrerpolicy: 'no-referrer', width: w && Math.min(w, 4000), height: ht && Math.min(ht, 4000) });
}

function renderImage(i) {
  const link = safeUrl(i.LINK);
  const src = safeUrl(i.PREVIEW) || link;
  if (!src) return null;
  const img = sizedImg(src, str(i.NAME) || 'Image', i);
  return link ? anchor(link, img, 'attach-image') : h('span', { class: 'attach-image' }, img);
}

export function formatSize(bytes) {
  const n = posInt(bytes);
  if (!n) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n, u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return (u ? v.toFixed(v < 10 ? 1 : 0) : String(v)) + ' ' + units[u];
}

function renderFile(f) {
  const link = safeUrl(f.LINK);
  const name = str(f.NAME).trim() || (link ? link.split(/[?#]/)[0].split('/').pop() : '') || 'File';
  const size = formatSize(f.SIZE);
  const label = [h('span', { class: 'file-name' }, name), size ? h('span', { class: 'file-size' }, size) : null];
  return link ? anchor(link, label, 'attach-file') : h('span', { class: 'attach-file' }, label);
}


const GRID_DISPLAYS = ['BLOCK', 'LINE', 'ROW', 'TABLE'];

/** GRID: consecutive items with the same DISPLAY share one container. */
function renderGrid(list, ctx) {
  const grid = h('div', { class: 'attach-grid' });
  let run = null, runDisplay = '';
  for (const item of list) {
    const display = GRID_DISPLAYS.includes(upper(item.DISPLAY)) ? upper(item.DISPLAY) : 'BLOCK';
    if (!run || display !== runDisplay) {
      run = h('div', { class: 'grid grid-' + display.toLowerCase() });
      runDisplay = display;
      grid.append(run);
    }
    run.append(renderGridItem(item, display, ctx));
  }
  return grid;
}

function renderGridItem(item, display, ctx) {
  const name = str(item.NAME), value = str(item.VALUE);
  const columns = display === 'ROW' || display === 'TABLE'; // WIDTH is the name column's, else the card's
  const cell = css(h('div', { class: 'grid-item' + (!name || !value ? ' grid-wide' : '') }),
    { width: !columns && px(item.WIDTH), minHeight: px(item.HEIGHT) });
  if (name) cell.append(css(h('div', { class: 'grid-name' }, name), { width: columns && px(item.WIDTH) }));
  if (value || !name) {
    const linked = !!(safeUrl(item.LINK) || internalTarget(item));
    const content = renderText(value, { ...ctx, inLink: linked });
    const tok = token(item.COLOR_TOKEN);
    cell.append(css(h('div', { class: 'grid-value' + (tok ? ' text-' + tok : '') },
      linked ? target(item, content, ctx, 'grid-link') : content), { color: hexColor(item.COLOR) }));
  }
  return cell;
}

// ---- KEYBOARD and MENU

/** What pressing a button / menu item does, by Bitrix's priority LINK > FUNCTION > APP_ID > ACTION > COMMAND. */
export function itemAction(item) {
  const link = safeUrl(item.LINK);
  if (link) return { kind: 'link', url: link };
  if (str(item.FUNCTION).trim()) return { kind: 'none' }; // Bitrix-internal client function: never executed
  if (posInt(item.APP_ID)) return { kind: 'none' };       // chat applications are not supported here
  const action = upper(item.ACTION), value = str(item.ACTION_VALUE);
  if (['PUT', 'SEND', 'COPY', 'CALL', 'DIALOG'].includes(action) && value.trim()) return { kind: 'action', action, value };
  const command = str(item.COMMAND).replace(/^[\s/]+/, '').trim();
  const botId = posInt(item.BOT_ID);
  if (command && botId) return { kind: 'command', command, params: str(item.COMMAND_PARAMS), botId };
  return { kind: 'none' };
}

/** A control for a button/menu item: <a> for links and valid calls, else <button>. */
function actionControl(item, ctx, cls, testId, afterRun) {
  const act = itemAction(item);
  const text = str(item.TEXT).trim();
  const tel = act.kind === 'action' && act.action === 'CALL' ? telHref(act.value) : null;
  if (act.kind === 'link' || tel) {
    const a = anchor(act.url || tel, text, cls);
    a.dataset.test = testId;
    if (tel) a.title = act.value;
    return a;
  }
  const b = h('button', { type: 'button', class: cls, 'data-test': testId }, text);
  if (act.kind === 'command') b.dataset.command = act.command;
  // Nothing we can safely do: FUNCTION, APP_ID, a CALL value that is not a number, a DIALOG that is no dialog id.
  if (act.kind === 'none' || act.action === 'CALL' || (act.action === 'DIALOG' && !DIALOG_ID.test(act.value.trim()))) {
    b.disabled = true;
    return b;
  }
  b.addEventListener('click', () => {
    if (b.disabled) return;
    runAction(act, ctx);
    afterRun?.(act);
  });
  return b;
}

function runAction(act, ctx) {
  const v = act.value;
  if (act.kind === 'command') ctx.onCommand?.(act.botId, act.command, act.params, ctx.messageId, ctx.dialogId);
  else if (act.action === 'PUT') ctx.onPut?.(v);
  else if (act.action === 'SEND') ctx.onSend?.(v);
  else if (act.action === 'COPY') (ctx.onCopy || ((t) => navigator.clipboard?.writeText(t).catch(() => {})))(v);
  else if (act.action === 'DIALOG') ctx.onDialog?.(v.trim());
}

/** The buttons of a KEYBOARD value: the stored array, {BUTTONS: […]} or a PHP-keyed object. */
function keyboardButtons(v) {
  const p = parsed(v), o = obj(p);
  return listOf('BUTTONS' in o ? o.BUTTONS : p).filter((b) => b && typeof b === 'object');
}

/** KEYBOARD → <div data-test="keyboard"> of rows; NEWLINE starts a row, DISPLAY BLOCK takes a whole line. */
export function renderKeyboard(buttons, ctx = {}) {
  const kb = h('div', { class: 'keyboard', 'data-test': 'keyboard', role: 'group', 'aria-label': 'Message buttons' });
  const block = () => {
    kb.classList.add('kb-blocked');
    for (const b of kb.querySelectorAll('button')) b.disabled = true;
  };
  let row = null;
  const newRow = () => { row = h('div', { class: 'kb-row' }); kb.append(row); };
  newRow();
  for (const b of keyboardButtons(buttons)) {
    if (upper(b.TYPE) === 'NEWLINE') { newRow(); continue; }
    if (upper(b.CONTEXT) === 'MOBILE' || !str(b.TEXT).trim()) continue;
    const control = actionControl(b, ctx, 'kb-button', 'kb-button', (act) => {
      if (act.kind === 'command' && (flag(b.BLOCK) || flag(b.VOTE))) {
        block();
        ctx.onBlock?.(ctx.messageId);
      }
    });
    styleButton(control, b);
    row.append(control);
  }
  for (const r of [...kb.children]) if (!r.children.length) r.remove();
  if (ctx.keyboardBlocked) block();
  return kb;
}

/** DISPLAY, colour token, WIDTH, DISABLED and the (OFF_)BG_COLOR / (OFF_)TEXT_COLOR of a button. */
function styleButton(el, b) {
  const off = flag(b.DISABLED);
  el.classList.add(upper(b.DISPLAY) === 'LINE' ? 'kb-line' : 'kb-block', 'kb-' + (token(b.BG_COLOR_TOKEN) || 'base'));
  if (off) { disable(el); el.classList.add('kb-disabled'); }
  const bg = hexColor(off && b.OFF_BG_COLOR ? b.OFF_BG_COLOR : b.BG_COLOR);
  css(el, { width: px(b.WIDTH), backgroundColor: bg, borderColor: bg, color: hexColor(off && b.OFF_TEXT_COLOR ? b.OFF_TEXT_COLOR : b.TEXT_COLOR) });
}

/** Makes a control inert: a disabled button, or a link without href. */
function disable(el) {
  if (el.tagName !== 'A') return void (el.disabled = true);
  el.removeAttribute('href');
  el.setAttribute('aria-disabled', 'true');
  if (!el.getAttribute('role')) el.setAttribute('role', 'link');
}

let menuSeq = 0;

function menuItems(v) {
  const p = parsed(v), o = obj(p);
  return listOf('ITEMS' in o ? o.ITEMS : p).filter((i) => i && typeof i === 'object');
}

/** MENU → a "…" button opening a list of items (Escape closes, arrows move). */
export function renderMenu(items, ctx = {}) {
  const list = menuItems(items);
  const id = 'msg-menu-' + ++menuSeq;
  const wrap = h('div', { class: 'msg-menu' });
  const button = h('button', { type: 'button', class: 'icon-button', 'data-test': 'menu-button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': id, 'aria-label': 'More actions', title: 'More actions' }, '…');
  const menu = h('div', { class: 'menu-list', role: 'menu', id, hidden: true });
  const entries = () => [...menu.querySelectorAll('[role=menuitem]:not([disabled])')];
  const outside = (e) => { if (!wrap.contains(e.target)) close(false); };
  const open = () => {
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    menu.scrollIntoView?.({ block: 'nearest' });
    entries()[0]?.focus({ preventScroll: true });
    document.addEventListener('click', outside, true);
  };
  const close = (focusButton) => {
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('click', outside, true);
    if (focusButton) button.focus();
  };
  for (const item of list) {
    if (upper(item.CONTEXT) === 'MOBILE' || !str(item.TEXT).trim()) continue;
    const c = actionControl(item, ctx, 'menu-item', 'menu-item');
    c.setAttribute('role', 'menuitem');
    if (flag(item.DISABLED)) disable(c);
    c.addEventListener('click', () => close(true));
    menu.append(c);
  }
  button.addEventListener('click', () => (menu.hidden ? open() : close(true)));
  menu.addEventListener('keydown', (e) => {
    const all = entries();
    const i = all.indexOf(document.activeElement);
    if (e.key === 'Escape') { e.preventDefault(); close(true); }
    else if (e.key === 'ArrowDown') { e.preventDefault(); all[(i + 1) % all.length]?.focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); all[(i - 1 + all.length) % all.length]?.focus(); }
    else if (e.key === 'Tab') close(false);
  });
  wrap.append(button, menu);
  return wrap;
}

// ---- Whole message

/** "14:05", or "3 Mar 14:05" when not today; the raw string when it is not a date. */
export function formatDate(iso) {
  const d = new Date(str(iso));
  if (isNaN(d)) return str(iso);
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (d.toDateString() === new Date().toDateString()) return time;
  return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' }) + ' ' + time;
}

/** A message object of im.dialog.messages.get → <article data-test="message">. */
export function renderMessage(message, ctx = {}) {
  const m = obj(message);
  const params = obj(m.params);
  const id = posInt(m.id) || 0;
  const author = posInt(m.author_id) || 0;
  const deleted = flag(params.IS_DELETED);
  const mctx = { ...ctx, messageId: id };
  const own = author !== 0 && author === ctx.me;
  const art = h('article', { class: 'msg', 'data-test': 'message', 'data-message-id': id, 'data-author-id': author });
  if (author === 0) art.classList.add('msg-system');
  if (own) art.classList.add('msg-own');
  if (deleted) art.classList.add('msg-deleted');

  const name = author ? (ctx.userName?.(author) || `User ${author}`) : 'System';
  const head = h('header', { class: 'msg-head' });
  if (author) head.append(initials(name, ctx.userColor?.(author)));
  head.append(h('span', { class: 'msg-author' }, name), h('time', { class: 'msg-time', datetime: str(m.date) }, formatDate(m.date)));
  if (flag(params.IS_EDITED) && !deleted) head.append(h('span', { class: 'msg-edited' }, '(edited)'));
  art.append(head);

  const body = h('div', { class: 'msg-text', 'data-test': 'message-text' });
  body.append(deleted ? h('em', {}, str(m.text) || DELETED_TEXT) : renderText(m.text, mctx));
  art.append(body);

  if (!deleted) {
    if (params.ATTACH) art.append(renderAttach(params.ATTACH, mctx));
    if (params.KEYBOARD && keyboardButtons(params.KEYBOARD).length) {
      art.append(renderKeyboard(params.KEYBOARD, { ...mctx, keyboardBlocked: !!ctx.isKeyboardBlocked?.(id) }));
    }
  }
  if (author !== 0 && !deleted) art.append(renderActions(m, params, own, mctx, art));
  return art;
}

function renderActions(m, params, own, ctx, art) {
  const bar = h('div', { class: 'msg-actions' });
  const likes = listOf(params.LIKE).map(Number).filter(Boolean);
  const mine = likes.includes(ctx.me);
  const like = h('button', { type: 'button', class: 'icon-button like', 'data-test': 'like', 'aria-pressed': String(mine), 'aria-label': `Like (${likes.length})` },
    h('span', { 'aria-hidden': 'true' }, mine ? '♥' : '♡'), likes.length ? ' ' + likes.length : '');
  if (likes.length) like.title = likes.map((u) => ctx.userName?.(u) || `User ${u}`).join(', ');
  like.addEventListener('click', () => ctx.onLike?.(ctx.messageId));
  bar.append(like);
  if (own) {
    const edit = h('button', { type: 'button', class: 'icon-button', 'data-test': 'edit' }, 'Edit');
    edit.addEventListener('click', () => ctx.onEdit?.(m, art));
    bar.append(edit);
  }
  if (own || ctx.canDeleteAny) { // chat managers may delete anyone's message
    const del = h('button', { type: 'button', class: 'icon-button', 'data-test': 'delete' }, 'Delete');
    del.addEventListener('click', () => ctx.onDelete?.(ctx.messageId));
    bar.append(del);
  }
  if (menuItems(params.MENU).length) bar.append(renderMenu(params.MENU, ctx));
  return bar;
}
