// app.js — the imbotd web chat: sign-in, dialog list, message view with history paging, composer with a
// slash-command picker, edit/delete/like, group chats, typing indicator, live updates (SSE /web/live) and
// the Bots page (bots, commands, handler health, delivery log with attempts and resend).
//
// Talks to the server only through the JSON contract: /web/session, /web/login, /web/logout, /rest/<method>
// (Bitrix envelope, CSRF header), /web/api/* helpers and the /web/live event stream. Message content is
// rendered by render.js (never as HTML).
//
// How it fails: every refused or failed request shows the server's error_description in the error banner
// (data-test="error") and leaves the view as it was; a 401 on a signed-in request returns to the sign-in
// form; a broken live stream reconnects (EventSource does it) and the open dialog and the dialog list are
// fetched again when it is back.
import { renderMessage, toPlainText, initials, formatDate, listOf, h as el, DELETED_TEXT } from './render.js';

const PAGE = 50;                      // im.dialog.messages.get maximum
const DIALOG_RE = /^(chat\d+|\d+)$/;
const $ = (id) => document.getElementById(id);
const button = (label, attrs, onClick) => {
  const b = el('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
};

const state = {
  me: null,              // the im user object of the signed-in user
  csrf: '',
  users: new Map(),      // id → user object (from sessions, people, messages, live events)
  dialogs: [],           // /web/api/dialogs
  people: [],            // /web/api/people
  current: null,         // the open dialog, see openDialog()
  commands: [],          // /web/api/commands of the open dialog
  blocked: new Set(),    // ids of messages whose keyboard a BLOCK=Y button disabled
  editing: null,         // id of the message being edited
  live: null,            // EventSource
};

// ---- Server access

class ApiError extends Error {
  constructor(code, description, status) {
    super(description || code);
    this.code = code;
    this.status = status;
  }
}

/** fetch + JSON; throws ApiError with the server's error_description. */
async function request(url, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && state.csrf) headers['X-Bitrix-Csrf-Token'] = state.csrf;
  let res;
  try {
    res = await fetch(url, init);
  } catch {
    throw new ApiError('NETWORK_ERROR', 'The server cannot be reached. Check your connection and try again.', 0);
  }
  const data = await res.json().catch(() => null);
  const failed = !res.ok || (data && typeof data === 'object' && !Array.isArray(data) && typeof data.error === 'string');
  if (failed) {
    if (res.status === 401 && state.me && !url.startsWith('/web/login')) sessionLost();
    throw new ApiError(data?.error || `HTTP_${res.status}`, data?.error_description || `${res.status} ${res.statusText}`, res.status);
  }
  return data;
}

/** A REST method with the session: its `result`. */
async function rest(method, params = {}) {
  return (await request('/rest/' + method, { method: 'POST', body: params })).result;
}

// ---- Feedback: error banner, toast, screen-reader announcements

let errorTimer, toastTimer;

function showError(err) {
  const text = err instanceof ApiError ? err.message : 'Something went wrong: ' + (err?.message || err);
  if (!(err instanceof ApiError)) console.error(err);
  $('error-text').textContent = text;
  $('error').hidden = false;
  const dlg = $('people-dialog');
  if (dlg.open) Object.assign($('people-error'), { textContent: text, hidden: false });
  clearTimeout(errorTimer);
  errorTimer = setTimeout(hideError, 15000);
}

function hideError() {
  $('error').hidden = true;
  $('people-error').hidden = true;
}

/** Runs an async action; a failure goes to the error banner and gives undefined. */
const attempt = (fn) => Promise.resolve().then(fn).catch((e) => { showError(e); });

function toast(text) {
  Object.assign($('toast'), { textContent: text, hidden: false });
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { $('toast').hidden = true; }, 3000);
}

const announce = (text) => { $('announcer').textContent = text; };

// ---- Session and views

function showView(name) { // 'login' | 'chat' | 'bots'
  $('login-view').hidden = name !== 'login';
  $('app-view').hidden = name === 'login';
  $('chat-view').hidden = name !== 'chat';
  $('bots-view').hidden = name !== 'bots';
  for (const [id, view] of [['nav-chats', 'chat'], ['nav-bots', 'bots']]) {
    if (name === view) $(id).setAttribute('aria-current', 'page');
    else $(id).removeAttribute('aria-current');
  }
}

function showLogin() {
  stopLive();
  closeDialog();
  Object.assign(state, { me: null, csrf: '', dialogs: [], people: [], commands: [] });
  state.users.clear();
  state.blocked.clear();
  showView('login');
  $('login-user').focus();
}

function sessionLost() {
  showLogin();
  showError(new ApiError('UNAUTHORIZED', 'Your session has ended. Please sign in again.'));
}

async function signedIn(session) {
  state.me = { ...session.user, id: Number(session.user.id) };
  state.csrf = session.csrf || '';
  remember(state.me);
  if (session.lang) document.documentElement.lang = session.lang;
  $('me-name').textContent = state.me.name || '';
  showView('chat');
  startLive();
  await Promise.all([loadDialogs(), loadPeople()]);
  route();
}

async function onLogin(e) {
  e.preventDefault();
  hideError();
  const submit = $('login-form').querySelector('[type=submit]');
  submit.disabled = true;
  try {
    const body = { login: $('login-user').value.trim(), password: $('login-password').value };
    const session = await request('/web/login', { method: 'POST', body });
    $('login-password').value = '';
    await signedIn(session);
  } catch (err) {
    showError(err);
    $('login-password').focus();
  } finally {
    submit.disabled = false;
  }
}

async function onLogout() {
  await request('/web/logout', { method: 'POST', body: {} }).catch(() => {});
  showLogin();
  history.replaceState(null, '', '#/');
}

/** #/ (chats), #/dialog/<id>, #/bots */
function route() {
  if (!state.me) return;
  if (location.hash === '#/bots') {
    closeDialog();
    showView('bots');
    loadBots();
    return;
  }
  showView('chat');
  const m = /^#\/dialog\/(.+)$/.exec(location.hash);
  const id = m ? decodeURIComponent(m[1]) : '';
  if (!DIALOG_RE.test(id)) closeDialog();
  else if (state.current?.id !== id) openDialog(id);
}

function goDialog(id) {
  id = String(id).trim();
  if (DIALOG_RE.test(id)) location.hash = '#/dialog/' + encodeURIComponent(id);
}

// ---- Users and the dialog list

function remember(u) {
  const id = Number(u?.id);
  if (id) state.users.set(id, { ...state.users.get(id), ...u, id });
}
const userName = (id) => state.users.get(Number(id))?.name || '';
const userColor = (id) => state.users.get(Number(id))?.color;
const dialogEntry = (id) => state.dialogs.find((d) => String(d.dialog_id) === String(id));

async function loadPeople() {
  const list = await attempt(() => request('/web/api/people'));
  if (!Array.isArray(list)) return;
  state.people = list;
  list.forEach(remember);
}

async function loadDialogs() {
  const list = await attempt(() => request('/web/api/dialogs'));
  if (!Array.isArray(list)) return;
  state.dialogs = list;
  renderDialogs();
  if (state.current) renderHeader();
}

let dialogsTimer;
function scheduleDialogs() {
  clearTimeout(dialogsTimer);
  dialogsTimer = setTimeout(loadDialogs, 200);
}

function renderDialogs() {
  const ul = $('dialog-list');
  const focused = document.activeElement?.closest?.('[data-dialog-id]')?.dataset.dialogId;
  ul.replaceChildren(...state.dialogs.map(dialogItem));
  if (!state.dialogs.length) ul.append(el('li', { class: 'empty' }, 'No dialogs yet. Start one with “New chat”.'));
  if (focused) ul.querySelector(`[data-dialog-id="${CSS.escape(focused)}"]`)?.focus();
  const total = state.dialogs.reduce((n, d) => n + (Number(d.counter) || 0), 0);
  document.title = total ? `(${total}) imbotd` : 'imbotd';
}

function dialogItem(d) {
  const id = String(d.dialog_id);
  const counter = Number(d.counter) || 0;
  const last = d.last_message;
  const preview = last ? (Number(last.author_id) === state.me.id ? 'You: ' : '') + toPlainText(last.text) : '';
  const button = el('button', {
    type: 'button', class: 'dialog-item', 'data-test': 'dialog-item', 'data-dialog-id': id,
    'aria-current': state.current?.id === id ? 'true' : null,
  },
  initials(d.title, d.color),
  el('span', { class: 'dialog-main' },
    el('span', { class: 'dialog-title' }, d.title || id, d.bot ? el('span', { class: 'badge' }, 'bot') : null),
    el('span', { class: 'dialog-preview' }, preview || '\u00a0')),
  el('span', { class: 'dialog-side' },
    last ? el('time', { class: 'dialog-time', datetime: last.date }, formatDate(last.date)) : null,
    el('span', { class: 'counter', 'data-test': 'dialog-counter', title: `${counter} unread`, hidden: counter === 0 }, String(counter))));
  button.addEventListener('click', () => goDialog(id));
  return el('li', {}, button);
}

/** A new or changed message moves its dialog to the top with a fresh preview. */
function touchDialog(dialogId, m) {
  const i = state.dialogs.findIndex((d) => String(d.dialog_id) === String(dialogId));
  if (i < 0) return scheduleDialogs();
  const d = state.dialogs[i];
  const last = d.last_message;
  if (last && Number(last.id) > Number(m.id)) return;
  d.last_message = { id: m.id, author_id: m.author_id, text: m.text, date: m.date };
  state.dialogs.unshift(...state.dialogs.splice(i, 1));
  renderDialogs();
}

// ---- The open dialog

function openDialog(id) {
  closeDialog();
  const c = { id, chatId: null, title: '', members: null, messages: new Map(), versions: new Map(), nodes: new Map(), hasOlder: false, typing: new Map(), needsRead: true };
  state.current = c;
  document.body.classList.add('dialog-open');
  renderHeader();
  renderDialogs();
  loadLatest(c).then(() => markReadSoon());
  loadCommands(c);
  loadDialogInfo(c);
  $('composer-input').focus();
}

function closeDialog() {
  const c = state.current;
  if (c) for (const t of c.typing.values()) clearTimeout(t.timer);
  Object.assign(state, { current: null, editing: null, commands: [] });
  closePicker();
  document.body.classList.remove('dialog-open');
  $('message-list').replaceChildren();
  $('typing').textContent = '';
  $('dialog-title').textContent = 'Choose a dialog';
  $('composer-input').disabled = $('send').disabled = true;
  $('composer-input').placeholder = 'Write a message… (/ for commands)';
  for (const id of ['load-older', 'empty-dialog', 'members', 'add-people']) $(id).hidden = true;
}

const isChat = (id) => String(id).startsWith('chat');

function renderHeader() {
  const c = state.current;
  if (!c) return;
  const person = state.people.find((p) => String(p.id) === c.id);
  $('dialog-title').textContent = dialogEntry(c.id)?.title || person?.name || c.title || userName(c.id) || c.id;
  const restrictions = c.info?.restrictions || {};
  $('add-people').hidden = !isChat(c.id) || restrictions.extend === false;
  const muted = restrictions.send === false;
  // A bot may switch the input field off (imbot.v2.Chat.TextField.enabled): answers go through its buttons.
  const buttonsOnly = dialogEntry(c.id)?.text_field === false;
  $('composer-input').disabled = $('send').disabled = muted || buttonsOnly;
  $('composer-input').placeholder = muted
    ? 'You cannot write in this chat.'
    : buttonsOnly ? 'Answer with the buttons: the bot switched the input field off.' : 'Write a message… (/ for commands)';
  $('members').hidden = !c.members;
  if (c.members) {
    $('members-summary').textContent = `${c.members.length} member${c.members.length === 1 ? '' : 's'}`;
    $('members-list').replaceChildren(...c.members.map((u) => el('li', {}, initials(u.name, u.color), u.name || `User ${u.id}`, u.bot ? el('span', { class: 'badge' }, 'bot') : null)));
  }
}

/** Title (when the list doesn't know it), role and restrictions (im.dialog.get), members (chats). */
async function loadDialogInfo(c) {
  if (isChat(c.id) || (!dialogEntry(c.id) && !state.people.some((p) => String(p.id) === c.id))) {
    const info = await rest('im.dialog.get', { DIALOG_ID: c.id }).catch(() => null);
    if (info && c === state.current) {
      c.info = info;
      c.title = info.name || '';
      renderHeader();
      if (['owner', 'manager'].includes(info.role)) { // may delete others' messages: render again with it
        for (const node of c.nodes.values()) node.key = '';
        renderMessages();
      }
    }
  }
  if (isChat(c.id)) {
    const users = await rest('im.dialog.users.list', { DIALOG_ID: c.id }).catch(() => null);
    if (users && c === state.current) {
      c.members = listOf(users);
      c.members.forEach(remember);
      renderHeader();
    }
  }
}

async function loadCommands(c) {
  const list = await request('/web/api/commands?dialog_id=' + encodeURIComponent(c.id)).catch(() => []);
  if (c !== state.current) return;
  state.commands = Array.isArray(list) ? list : [];
  // "/" may have been typed before the list arrived: offer what is there now.
  if ($('composer-input').value.startsWith('/')) updatePicker();
}

let version = 0; // orders message updates: an answer never overwrites what a later event or answer set

/** Stores message `m` in dialog `c` unless something newer than `v` already did. */
function putMessage(c, m, v = ++version) {
  const id = Number(m?.id);
  if (!id || (c.versions.get(id) || 0) > v) return;
  c.versions.set(id, v);
  c.messages.set(id, m);
}

/** im.dialog.messages.get merged into dialog `c`: how many messages came, or null (failed, or `c` closed). */
async function fetchMessages(c, params, quiet = false) {
  const v = ++version;
  const call = () => rest('im.dialog.messages.get', { DIALOG_ID: c.id, LIMIT: PAGE, ...params });
  const r = await (quiet ? call().catch(() => null) : attempt(call));
  if (!r || c !== state.current) return null;
  if (r.chat_id) c.chatId = Number(r.chat_id);
  listOf(r.users).forEach(remember);
  const list = listOf(r.messages);
  for (const m of list) putMessage(c, m, v);
  return list.length;
}

/** The latest page (on open and after a reconnect). */
async function loadLatest(c) {
  const first = c.messages.size === 0;
  const n = await fetchMessages(c, {});
  if (n == null) return;
  if (first) c.hasOlder = n >= PAGE;
  renderMessages({ toBottom: first });
}

async function loadOlder() {
  const c = state.current;
  if (!c?.messages.size) return;
  $('load-older').disabled = true;
  const n = await fetchMessages(c, { LAST_ID: Math.min(...c.messages.keys()) });
  $('load-older').disabled = false;
  if (n == null) return;
  c.hasOlder = n >= PAGE;
  renderMessages({ keepOffset: true });
}

/** Messages after `firstId` (after sending; the live event may also bring them). */
async function loadNewer(firstId, limit = PAGE) {
  const c = state.current;
  if (c && (await fetchMessages(c, firstId ? { FIRST_ID: firstId, LIMIT: limit } : {}, true)) != null) renderMessages();
}

/** One message again (after like/edit/delete), whatever the live stream does. */
const refreshMessage = (id) => loadNewer(id - 1, 1);

/** Keyed render: only changed messages are rebuilt; keeps the scroll position (or follows the bottom). */
function renderMessages({ toBottom = false, keepOffset = false } = {}) {
  const c = state.current;
  if (!c) return;
  const scroller = $('message-scroll');
  const list = $('message-list');
  const nearBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  const fromBottom = scroller.scrollHeight - scroller.scrollTop;
  const ctx = messageCtx(c);
  let prev = null;
  for (const id of [...c.messages.keys()].sort((a, b) => a - b)) {
    const m = c.messages.get(id);
    const key = JSON.stringify(m) + state.blocked.has(id);
    let node = c.nodes.get(id);
    if (!node || (node.key !== key && state.editing !== id)) {
      const fresh = renderMessage(m, ctx);
      const focused = node?.el.contains(document.activeElement) ? document.activeElement.dataset.test : null;
      node?.el.replaceWith(fresh);
      node = { key, el: fresh };
      c.nodes.set(id, node);
      if (focused) fresh.querySelector(`[data-test="${CSS.escape(focused)}"]`)?.focus();
    }
    const want = prev ? prev.nextSibling : list.firstChild;
    if (want !== node.el) list.insertBefore(node.el, want);
    prev = node.el;
  }
  $('load-older').hidden = !c.hasOlder;
  $('empty-dialog').hidden = c.messages.size > 0;
  if (toBottom || nearBottom) scroller.scrollTop = scroller.scrollHeight;
  else if (keepOffset) scroller.scrollTop = scroller.scrollHeight - fromBottom;
}

function messageCtx(c) {
  return {
    me: state.me.id, dialogId: c.id, userName, userColor,
    canDeleteAny: isChat(c.id) && ['owner', 'manager'].includes(c.info?.role),
    isKeyboardBlocked: (id) => state.blocked.has(id),
    onBlock: (id) => state.blocked.add(id),
    onCommand: async (botId, command, params, messageId) => {
      try {
        await rest('im.message.command', { MESSAGE_ID: messageId, BOT_ID: botId, COMMAND: command, COMMAND_PARAMS: params });
      } catch (e) {
        showError(e);
        if (state.blocked.delete(messageId)) renderMessages();
      }
    },
    onPut: putInComposer, onSend: sendText, onCopy: copyText, onDialog: goDialog,
    onLike: (id) => attempt(async () => { await rest('im.message.like', { MESSAGE_ID: id, ACTION: 'auto' }); await refreshMessage(id); }),
    onDelete: (id) => attempt(async () => { await rest('im.message.delete', { MESSAGE_ID: id }); await refreshMessage(id); }),
    onEdit: startEdit,
  };
}

/** Inline editor replacing the message text; the server's refusal is shown and the editor stays. */
function startEdit(m, article) {
  const c = state.current;
  const id = Number(m.id);
  if (state.editing && state.editing !== id) stopEdit();
  state.editing = id;
  const textarea = el('textarea', { class: 'edit-input', 'data-test': 'edit-input', 'aria-label': 'Edit message', rows: 3 });
  textarea.value = m.text || '';
  const save = el('button', { type: 'submit', class: 'primary', 'data-test': 'edit-save' }, 'Save');
  const cancel = el('button', { type: 'button', 'data-test': 'edit-cancel' }, 'Cancel');
  const form = el('form', { class: 'edit-form' }, textarea, el('div', { class: 'edit-buttons' }, save, cancel));
  article.querySelector('[data-test=message-text]')?.replaceWith(form);
  textarea.focus();
  cancel.addEventListener('click', stopEdit);
  textarea.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') stopEdit();
    else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (textarea.value === m.text) return stopEdit();
    save.disabled = true;
    try {
      await rest('im.message.update', { MESSAGE_ID: id, MESSAGE: textarea.value });
      stopEdit();
      if (c === state.current) await refreshMessage(id);
    } catch (err) {
      showError(err);
      save.disabled = false;
    }
  });
}

function stopEdit() {
  const c = state.current;
  const id = state.editing;
  state.editing = null;
  if (!c || !id) return;
  const node = c.nodes.get(id);
  if (node) node.key = ''; // force a re-render
  renderMessages();
  node && c.nodes.get(id)?.el.querySelector('[data-test=edit]')?.focus();
}

// ---- Composer, command picker, typing

let lastWriting = 0;
const picker = { options: [], active: 0, query: null, dismissed: null };

async function sendText(text) {
  const c = state.current;
  if (!c || !String(text).trim()) return false;
  if ((await attempt(() => rest('im.message.add', { DIALOG_ID: c.id, MESSAGE: text }))) === undefined) return false;
  lastWriting = 0;
  loadNewer(c.messages.size ? Math.max(...c.messages.keys()) : 0);
  return true;
}

async function onSubmit(e) {
  e.preventDefault();
  const input = $('composer-input');
  const text = input.value;
  if (!text.trim()) return;
  input.value = '';
  closePicker();
  if (!(await sendText(text)) && !input.value) input.value = text; // keep the text when refused
}

function putInComposer(text) {
  const input = $('composer-input');
  if (input.disabled) return;
  input.value = text;
  input.focus();
  input.setSelectionRange(text.length, text.length);
  updatePicker();
}

/** COPY buttons. The clipboard API needs a secure context (imbotd serves https; localhost counts). */
function copyText(text) {
  (navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject()).then(() => toast('Copied to the clipboard'),
    () => showError(new ApiError('CLIPBOARD', 'The browser did not allow copying to the clipboard.')));
}

function onComposerInput() {
  updatePicker();
  const c = state.current;
  if (!c || !$('composer-input').value.trim() || Date.now() - lastWriting < 3000) return;
  lastWriting = Date.now();
  rest('im.dialog.writing', { DIALOG_ID: c.id }).catch(() => {}); // best effort
}

/** Picker open: arrows move, Enter/Tab choose, Escape closes. Otherwise Enter sends, Shift+Enter breaks the line. */
function onComposerKey(e) {
  const n = picker.options.length, enter = e.key === 'Enter' && !e.shiftKey && !e.isComposing;
  if (n && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
    picker.active = (picker.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
    renderPicker();
  } else if (n && (enter || e.key === 'Tab')) choose(picker.active);
  else if (n && e.key === 'Escape') closePicker(true);
  else if (enter) $('composer-form').requestSubmit();
  else return;
  e.preventDefault();
}

/** The picker is open while the text is "/" plus a partial command name. */
function updatePicker() {
  const value = $('composer-input').value;
  const m = /^\/(\S*)$/.exec(value);
  if (!m || picker.dismissed === value) return closePicker();
  const q = m[1].toLowerCase();
  const starts = state.commands.filter((c) => String(c.command).toLowerCase().startsWith(q));
  const others = state.commands.filter((c) => !starts.includes(c) &&
    (String(c.command).toLowerCase().includes(q) || String(c.title || '').toLowerCase().includes(q)));
  picker.options = [...starts, ...others].slice(0, 50);
  if (!picker.options.length) return closePicker();
  if (picker.query !== q) picker.active = 0;
  picker.query = q;
  renderPicker();
}

function renderPicker() {
  const ul = $('command-picker');
  ul.replaceChildren(...picker.options.map((c, i) => {
    const li = el('li', {
      id: 'command-option-' + i, role: 'option', class: 'command-option', 'data-test': 'command-option',
      'data-command': c.command, 'aria-selected': String(i === picker.active),
    },
    el('span', { class: 'cmd-name' }, '/' + c.command),
    c.params ? el('span', { class: 'cmd-params' }, c.params) : null,
    c.title ? el('span', { class: 'cmd-title' }, c.title) : null,
    el('span', { class: 'cmd-bot' }, c.bot_name || ''));
    li.addEventListener('mousedown', (e) => { e.preventDefault(); choose(i); });
    return li;
  }));
  ul.hidden = false;
  const input = $('composer-input');
  input.setAttribute('aria-expanded', 'true');
  input.setAttribute('aria-activedescendant', 'command-option-' + picker.active);
  ul.children[picker.active]?.scrollIntoView({ block: 'nearest' });
}

function choose(i) {
  if (picker.options[i]) putInComposer('/' + picker.options[i].command + ' ');
}

function closePicker(dismiss = false) {
  const input = $('composer-input');
  if (dismiss) picker.dismissed = input.value;
  Object.assign(picker, { options: [], active: 0, query: null });
  $('command-picker').hidden = true;
  $('command-picker').replaceChildren();
  input.setAttribute('aria-expanded', 'false');
  input.removeAttribute('aria-activedescendant');
}

function showTyping(d) {
  const c = state.current;
  const uid = Number(d.user_id);
  if (!c || !sameDialog(c, d) || uid === state.me.id) return;
  clearTimeout(c.typing.get(uid)?.timer);
  const timer = setTimeout(() => { c.typing.delete(uid); renderTyping(c); }, 5000);
  c.typing.set(uid, { name: d.user_name || userName(uid) || 'Someone', timer });
  renderTyping(c);
}

function stopTyping(c, uid) {
  clearTimeout(c.typing.get(uid)?.timer);
  if (c.typing.delete(uid)) renderTyping(c);
}

function renderTyping(c) {
  if (c !== state.current) return;
  const names = [...c.typing.values()].map((t) => t.name);
  $('typing').textContent = !names.length ? ''
    : names.length === 1 ? `${names[0]} is typing…`
      : names.length === 2 ? `${names[0]} and ${names[1]} are typing…`
        : `${names.length} people are typing…`;
}

// ---- Reading

let readTimer;

/** im.dialog.read for the open dialog when it has unread messages and the page is visible. */
function markReadSoon() {
  clearTimeout(readTimer);
  readTimer = setTimeout(async () => {
    const c = state.current;
    if (!c || document.visibilityState !== 'visible' || $('chat-view').hidden) return;
    const entry = dialogEntry(c.id);
    if (!c.needsRead && !(Number(entry?.counter) > 0)) return;
    c.needsRead = false;
    const r = await rest('im.dialog.read', { DIALOG_ID: c.id }).catch(() => null);
    if (r && typeof r === 'object' && entry) {
      entry.counter = Number(r.counter) || 0;
      renderDialogs();
    }
  }, 300);
}

// ---- Live updates

const sameDialog = (c, d) => String(d.dialog_id) === c.id || (!!c.chatId && Number(d.chat_id) === c.chatId);
const paramsOf = (m) => (m.params && typeof m.params === 'object' && !Array.isArray(m.params) ? m.params : {});

const LIVE = {
  message(d) {
    const m = d.message;
    if (!m) return;
    remember(d.user);
    const c = state.current;
    const author = Number(m.author_id);
    if (c && sameDialog(c, d)) {
      putMessage(c, m);
      stopTyping(c, author);
      renderMessages();
      if (author !== state.me.id) {
        announce(`${userName(author) || 'New message'}: ${toPlainText(m.text).slice(0, 200)}`);
        c.needsRead = true;
        markReadSoon();
      }
    }
    touchDialog(d.dialog_id, m);
  },
  message_update(d) {
    if (!d.message) return;
    state.blocked.delete(Number(d.message.id)); // a new keyboard from the bot starts enabled
    patchMessage(d, d.message.id, () => d.message);
    patchPreview(d, d.message.id, d.message.text);
  },
  message_delete(d) {
    patchMessage(d, d.message_id, (m) => ({ ...m, text: DELETED_TEXT, params: { IS_DELETED: 'Y' } }));
    patchPreview(d, d.message_id, DELETED_TEXT);
  },
  like: (d) => patchMessage(d, d.message_id, (m) => ({ ...m, params: { ...paramsOf(m), LIKE: listOf(d.likes) } })),
  typing: showTyping,
  counter(d) {
    const entry = dialogEntry(d.dialog_id);
    if (!entry) return scheduleDialogs();
    entry.counter = Number(d.counter) || 0;
    renderDialogs();
    if (state.current?.id === String(d.dialog_id) && entry.counter > 0) markReadSoon();
  },
  dialog(d) { // a dialog appeared or changed (title, members, bots → commands)
    scheduleDialogs();
    const c = state.current;
    if (c && String(d.dialog_id) === c.id) { loadDialogInfo(c); loadCommands(c); }
  },
};

/** Replaces a loaded message of the open dialog (when the event is about that dialog). */
function patchMessage(d, id, change) {
  const c = state.current;
  const m = c?.messages.get(Number(id));
  if (!m || !sameDialog(c, d)) return;
  putMessage(c, change(m));
  renderMessages();
}

/** New text for the dialog list's preview when `id` is the dialog's last message. */
function patchPreview(d, id, text) {
  const last = dialogEntry(d.dialog_id)?.last_message;
  if (!last || Number(last.id) !== Number(id)) return;
  last.text = text;
  renderDialogs();
}

function startLive() {
  stopLive();
  const es = new EventSource('/web/live');
  let opened = false;
  es.addEventListener('open', () => {
    $('live-status').classList.add('online');
    $('live-status').title = 'Live updates: connected';
    if (opened) resync(); // a reconnect: catch up on what we missed
    opened = true;
  });
  es.addEventListener('error', () => {
    $('live-status').classList.remove('online');
    $('live-status').title = 'Live updates: reconnecting…';
    // A refused stream (401, 5xx) is not retried by the browser: check the session, then start again.
    if (es.readyState === EventSource.CLOSED) setTimeout(() => { if (state.live === es) recheckSession(); }, 3000);
  });
  for (const [name, handler] of Object.entries(LIVE)) {
    es.addEventListener(name, (ev) => {
      let data;
      try { data = JSON.parse(ev.data); } catch { return; }
      if (!data || typeof data !== 'object') return;
      try { handler(data); } catch (err) { console.error('live event', name, err); }
    });
  }
  state.live = es;
}

function stopLive() {
  state.live?.close();
  state.live = null;
}

async function recheckSession() {
  try {
    const s = await request('/web/session');
    state.csrf = s.csrf || state.csrf;
    startLive();
    resync();
  } catch (e) {
    if (e.status !== 401) setTimeout(recheckSession, 10000); // server down: keep trying
  }
}

function resync() {
  loadDialogs();
  if (state.current) loadLatest(state.current);
}

// ---- New chat / add people

let peopleMode = 'create';

function openPeopleDialog(mode) {
  peopleMode = mode;
  hideError();
  const create = mode === 'create';
  $('people-title').textContent = create ? 'New group chat' : 'Add people to this chat';
  $('chat-title-row').hidden = !create;
  $('people-submit').textContent = create ? 'Create chat' : 'Add';
  $('new-chat-title').value = '';
  $('people-filter').value = '';
  const members = new Set((state.current?.members || []).map((u) => Number(u.id)));
  $('people-list').replaceChildren(...state.people.filter((p) => create || !members.has(Number(p.id))).map(personRow));
  if (!$('people-list').children.length) $('people-list').append(el('li', { class: 'empty' }, 'Nobody to add.'));
  $('people-dialog').showModal();
  (create ? $('new-chat-title') : $('people-filter')).focus();
}

function personRow(p) {
  const id = 'person-' + p.id;
  const message = button('Message', { class: 'link-button', 'data-test': 'open-private', 'aria-label': `Message ${p.name}` },
    () => { $('people-dialog').close(); goDialog(String(p.id)); });
  return el('li', { 'data-name': String(p.name || '').toLowerCase() },
    el('input', { type: 'checkbox', id, 'data-test': 'new-chat-people', 'data-user-id': p.id }),
    el('label', { for: id }, initials(p.name, p.color), p.name || `User ${p.id}`, p.bot ? el('span', { class: 'badge' }, 'bot') : null),
    message);
}

function filterPeople() {
  const q = $('people-filter').value.trim().toLowerCase();
  for (const li of $('people-list').children) li.hidden = !!q && !(li.dataset.name || '').includes(q);
}

async function onPeopleSubmit(e) {
  e.preventDefault();
  const users = [...$('people-list').querySelectorAll('input:checked')].map((i) => Number(i.dataset.userId));
  const submit = $('people-submit');
  submit.disabled = true;
  try {
    if (peopleMode === 'create') {
      const title = $('new-chat-title').value.trim();
      const chatId = await attempt(() => rest('im.chat.add', { TYPE: 'CHAT', TITLE: title, USERS: users }));
      if (!chatId) return;
      $('people-dialog').close();
      await loadDialogs();
      goDialog('chat' + chatId);
    } else {
      const c = state.current;
      if (!c || !users.length) return $('people-dialog').close();
      const chatId = c.chatId || Number(c.id.slice(4));
      const ok = await attempt(() => rest('im.chat.user.add', { CHAT_ID: chatId, USERS: users }));
      if (ok === undefined) return;
      $('people-dialog').close();
      toast(`Added ${users.length} member${users.length === 1 ? '' : 's'}`);
      loadDialogInfo(c);
    }
  } finally {
    submit.disabled = false;
  }
}

// ---- Bots page

const when = (iso) => (iso ? formatDate(iso) : '—');

async function loadBots() {
  const bots = await attempt(() => request('/web/api/bots'));
  if (!Array.isArray(bots) || $('bots-view').hidden) return;
  $('bots-empty').hidden = bots.length > 0;
  const cards = bots.map(botCard);
  $('bot-list').replaceChildren(...cards);
  bots.slice(0, 10).forEach((b, i) => loadDeliveries(b, cards[i])); // more: on demand
}

function botCard(b) {
  return el('article', { class: 'card bot-card', 'data-test': 'bot-card', 'data-bot-id': b.id },
    el('header', { class: 'bot-card-head' }, el('h3', {}, b.name || b.code),
      el('span', { class: 'muted' }, `code ${b.code} · id ${b.id} · type ${b.type}`),
      button('Open chat', { class: 'link-button' }, () => goDialog(String(b.id)))),
    commandsTable(listOf(b.commands)), handlersList(listOf(b.handlers)), deliveriesSection(b));
}

function table(headers, rows, cls) {
  return el('table', { class: 'data ' + (cls || '') },
    el('thead', {}, el('tr', {}, headers.map((t) => el('th', { scope: 'col' }, t)))),
    el('tbody', {}, rows));
}

function commandsTable(commands) {
  if (!commands.length) return el('p', { class: 'muted' }, 'No commands.');
  return el('section', {}, el('h4', {}, 'Commands'),
    table(['Command', 'Title', 'Parameters', 'Scope'], commands.map((c) => el('tr', {},
      el('td', {}, el('code', {}, '/' + c.command)), el('td', {}, c.title || ''), el('td', {}, c.params || ''),
      el('td', {}, [c.common ? 'everywhere' : 'bot chats', c.hidden ? 'hidden' : ''].filter(Boolean).join(', '))))));
}

function handlersList(handlers) {
  if (!handlers.length) return el('p', { class: 'muted' }, 'No event handler URL.');
  return el('section', {}, el('h4', {}, 'Event handlers'), el('ul', { class: 'handlers' }, handlers.map((hd) => {
    const status = hd.disabled ? ['disabled', 'Disabled'] : hd.failing_since ? ['failed', `Failing since ${when(hd.failing_since)}`] : ['delivered', 'Healthy'];
    return el('li', {},
      el('code', { class: 'handler-url' }, hd.url),
      el('span', { class: 'status status-' + status[0] }, status[1]),
      el('span', { class: 'muted' }, ` ${Number(hd.pending) || 0} pending · last success ${when(hd.last_success)}`),
      hd.last_error ? el('div', { class: 'handler-error' }, 'Last error: ', hd.last_error) : null);
  })));
}

function deliveriesSection(b) {
  const refresh = button('Load', {}, () => loadDeliveries(b, refresh.closest('.bot-card')));
  const body = el('div', { class: 'deliveries' }, el('p', { class: 'muted' }, 'Not loaded yet.'));
  const detail = el('div', { class: 'delivery-detail', 'data-test': 'delivery-detail', 'aria-live': 'polite', hidden: true });
  return el('section', {}, el('div', { class: 'section-head' }, el('h4', {}, 'Delivery log'), refresh), body, detail);
}

async function loadDeliveries(b, card) {
  const body = card.querySelector('.deliveries');
  card.querySelector('.section-head button').textContent = 'Refresh';
  const list = await attempt(() => request(`/web/api/deliveries?bot_id=${encodeURIComponent(b.id)}&limit=50`));
  if (!Array.isArray(list)) return;
  if (!list.length) return body.replaceChildren(el('p', { class: 'muted' }, 'No deliveries yet.'));
  body.replaceChildren(table(['Created', 'Event', 'Status', 'Attempts', 'HTTP', 'Next attempt', ''],
    list.map((d) => deliveryRow(d, b, card)), 'delivery-table'));
}

function deliveryRow(d, b, card) {
  const details = button('Details', { 'data-test': 'delivery-details' }, () => showDelivery(d.id, card));
  const resend = button('Resend', { 'data-test': 'resend' }, async () => {
    resend.disabled = true;
    const r = await attempt(() => request(`/web/api/deliveries/${encodeURIComponent(d.id)}/resend`, { method: 'POST', body: {} }));
    resend.disabled = false;
    if (!r) return;
    toast('Queued for delivery again');
    await loadDeliveries(b, card);
    const box = card.querySelector('.delivery-detail');
    if (!box.hidden && box.dataset.deliveryId === String(d.id)) showDelivery(d.id, card);
  });
  return el('tr', { 'data-test': 'delivery-row', 'data-delivery-id': d.id },
    el('td', {}, when(d.created)), el('td', {}, el('code', {}, d.event)),
    el('td', {}, el('span', { class: 'status status-' + d.status }, d.status), d.last_error ? el('div', { class: 'handler-error' }, d.last_error) : null),
    el('td', {}, String(d.attempts ?? '')), el('td', {}, d.last_status == null ? '—' : String(d.last_status)),
    el('td', {}, when(d.next_attempt)), el('td', { class: 'row-actions' }, details, resend));
}

async function showDelivery(id, card) {
  const box = card.querySelector('.delivery-detail');
  const d = await attempt(() => request('/web/api/deliveries/' + encodeURIComponent(id)));
  if (!d) return;
  const close = button('×', { class: 'icon-button', 'aria-label': 'Close details' }, () => { box.hidden = true; });
  const attempts = listOf(d.attempts_log);
  box.replaceChildren(
    el('div', { class: 'section-head' }, el('h5', {}, `${d.event} → `, el('code', {}, d.url)), close),
    el('p', {}, el('span', { class: 'status status-' + d.status }, d.status),
      ` · ${d.attempts} attempt(s) · created ${when(d.created)} · next ${when(d.next_attempt)}`),
    d.last_error ? el('p', { class: 'handler-error' }, 'Last error: ', d.last_error) : null,
    el('details', {}, el('summary', {}, 'Event data'), el('pre', {}, d.data == null ? '' : JSON.stringify(d.data, null, 2))),
    attempts.length ? table(['At', 'HTTP', 'Latency', 'Error', 'Response'], attempts.map((a) => el('tr', {},
      el('td', {}, when(a.at)), el('td', {}, a.status == null ? '—' : String(a.status)),
      el('td', {}, a.latency_ms == null ? '—' : `${a.latency_ms} ms`), el('td', {}, a.error || ''),
      el('td', {}, a.response ? el('details', {}, el('summary', {}, 'Show'), el('pre', {}, String(a.response))) : '')))) : el('p', { class: 'muted' }, 'No attempts yet.'));
  box.dataset.deliveryId = String(id);
  box.hidden = false;
  box.scrollIntoView({ block: 'nearest' });
}

// ---- Wiring

function bindUi() {
  $('login-form').addEventListener('submit', onLogin);
  $('logout').addEventListener('click', onLogout);
  $('error-close').addEventListener('click', hideError);
  $('composer-form').addEventListener('submit', onSubmit);
  $('composer-input').addEventListener('input', onComposerInput);
  $('composer-input').addEventListener('keydown', onComposerKey);
  $('composer-input').addEventListener('blur', () => setTimeout(() => closePicker(), 150));
  $('load-older').addEventListener('click', loadOlder);
  $('back').addEventListener('click', () => { location.hash = '#/'; });
  $('new-chat').addEventListener('click', () => openPeopleDialog('create'));
  $('add-people').addEventListener('click', () => openPeopleDialog('add'));
  $('people-form').addEventListener('submit', onPeopleSubmit);
  $('people-cancel').addEventListener('click', () => $('people-dialog').close());
  $('people-filter').addEventListener('input', filterPeople);
  $('bots-refresh').addEventListener('click', loadBots);
  window.addEventListener('hashchange', route);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') markReadSoon(); });
  window.addEventListener('focus', markReadSoon);
}

async function boot() {
  bindUi();
  try {
    await signedIn(await request('/web/session'));
  } catch (e) {
    showLogin();
    if (e.status !== 401) showError(e);
  }
}

boot();
