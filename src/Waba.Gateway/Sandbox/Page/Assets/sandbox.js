// The sandbox page: the simulated users' phones, answering as them, and the number's delivery log.
// Everything goes through /sandbox/v1 (documented in the OpenAPI document); the admin token, when one is needed,
// is kept in this tab's sessionStorage and sent as a header, never in a URL.
import { el, excerpt, renderMessage } from './bubbles.js';

const $ = (id) => document.getElementById(id);
const tokenKey = 'waba-sandbox-admin-token';
const state = {
  token: sessionStorage.getItem(tokenKey),
  numbers: [],
  number: null,
  user: null,
  chat: null,
  replyTo: null,
  media: new Map(),
  stream: null,
  readOnly: false,
};

// ---- API -------------------------------------------------------------------------------------------------------

async function api(path, options = {}) {
  const headers = new Headers(options.headers ?? {});
  if (state.token) headers.set('Authorization', `Bearer ${state.token}`);
  let body = options.body;
  if (options.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(options.json);
  }
  const response = await fetch(path, { method: options.method ?? 'GET', headers, body, signal: options.signal });
  if (response.status === 401 && path.startsWith('/sandbox/v1/numbers')) {
    await askForToken(state.token ? 'That token was refused.' : '');
    return api(path, options);
  }
  return response;
}

async function json(path, options) {
  const response = await api(path, options);
  if (!response.ok) throw new Error(await describeError(response));
  return response.status === 204 ? null : response.json();
}

/** WhatsApp's error shapes (Cloud, On-Premise, 360dialog) and RFC 7807, as one line. */
async function describeError(response) {
  try {
    const body = await response.json();
    const cloud = body.error;
    if (cloud) return `${cloud.message ?? 'Error'}${cloud.error_data?.details ? ': ' + cloud.error_data.details : ''} (${cloud.code})`;
    const onPremise = body.errors?.[0];
    if (onPremise) return `${onPremise.title}${onPremise.details ? ': ' + onPremise.details : ''} (${onPremise.code})`;
    if (body.meta?.developer_message) return body.meta.developer_message;
    if (body.detail) return body.detail;
  } catch { /* not JSON */ }
  return `HTTP ${response.status}`;
}

function askForToken(message) {
  const dialog = $('token-dialog');
  $('token-error').textContent = message;
  return new Promise((resolve) => {
    const form = $('token-form');
    form.onsubmit = (event) => {
      event.preventDefault();
      state.token = $('token-input').value.trim();
      sessionStorage.setItem(tokenKey, state.token);
      $('token-input').value = '';
      dialog.close();
      resolve();
    };
    if (!dialog.open) dialog.showModal();
    $('token-input').focus();
  });
}

let noticeTimer;

/** A line under the top bar: news fades after a few seconds, an error stays until dismissed or replaced. */
function notify(text, isError = false) {
  const notice = $('notice');
  clearTimeout(noticeTimer);
  $('notice-text').textContent = text;
  notice.classList.toggle('error', isError);
  notice.hidden = !text;
  if (text && !isError) noticeTimer = setTimeout(() => { notice.hidden = true; }, 8000);
}

function later(fn, ms) {
  let timer;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

const numberPath = () => `/sandbox/v1/numbers/${encodeURIComponent(state.number)}`;
const chatPath = () => `${numberPath()}/chats/${encodeURIComponent(state.user)}`;

/** Keeps `list`'s children in step with `items`: unchanged entries stay (with focus and scroll), changed ones are replaced. */
function reconcile(list, items, keyOf, render) {
  const existing = new Map([...list.children].map((child) => [child.dataset.key, child]));
  let previous = null;
  for (const item of items) {
    const key = keyOf(item);
    let node = existing.get(key);
    if (node) {
      existing.delete(key);
    } else {
      node = render(item);
      node.dataset.key = key;
    }
    const expected = previous ? previous.nextSibling : list.firstChild;
    if (node !== expected) list.insertBefore(node, expected);
    previous = node;
  }
  for (const stale of existing.values()) stale.remove();
}

// ---- numbers and chats -------------------------------------------------------------------------------------------

async function loadNumbers() {
  const { data, hidden_real_numbers: hidden } = await json('/sandbox/v1/numbers');
  state.numbers = data;
  const select = $('number');
  select.replaceChildren(...data.map((n) => el('option', { value: n.id },
    `+${n.phone_number} · ${n.hosting_type === 'cloud' ? 'Cloud' : 'On-Premise'} · ${n.waba_name}${n.upstream === 'sandbox' ? '' : ' · real (Meta)'}`)));
  // Real numbers' chats are real people's: listed only for the admin token, even where the page itself is open.
  const reveal = $('show-real-numbers');
  reveal.hidden = !hidden;
  reveal.textContent = `Show ${hidden} real number${hidden === 1 ? '' : 's'} (admin token)`;
  if (data.length === 0) {
    notify('No sandbox numbers yet: create one with the admin API (POST /admin/v1/wabas/{id}/phone_numbers).');
    return;
  }
  const wanted = new URLSearchParams(location.hash.slice(1));
  const number = data.find((n) => n.id === wanted.get('number')) ?? data[0];
  select.value = number.id;
  await selectNumber(number.id, wanted.get('chat'));
}

async function selectNumber(id, chat) {
  state.number = id;
  state.user = null;
  state.chat = null;
  state.readOnly = state.numbers.find((n) => n.id === id)?.upstream !== 'sandbox';
  document.body.dataset.readOnly = String(state.readOnly);
  $('messages').replaceChildren();
  $('health-checks').replaceChildren();
  connectStream();
  await Promise.all([loadChats(), loadWebhook(), loadDeliveries(), loadHealth()]);
  const first = chat ?? $('chat-list').querySelector('button')?.dataset.waId;
  if (first) await openChat(first, false);
  else renderChat();
  document.body.dataset.ready = 'true';
}

async function loadChats() {
  if (!state.number) return;
  const { data } = await json(`${numberPath()}/chats`);
  reconcile($('chat-list'), data, (c) => `${c.wa_id}:${c.last_at}:${c.messages}:${c.username ?? ''}:${c.wa_id === state.user}`, (chat) =>
    el('li', {}, el('button', {
      type: 'button', 'data-wa-id': chat.wa_id, 'aria-current': chat.wa_id === state.user ? 'true' : null,
      onclick: () => openChat(chat.wa_id, true),
    },
    el('span', { class: 'who' }, chat.username ? `${chat.username}` : `+${chat.wa_id}`),
    el('span', { class: 'when' }, new Date(chat.last_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })),
    el('span', { class: 'sub' }, `${chat.username ? '+' + chat.wa_id + ' · ' : ''}${chat.messages} message${chat.messages === 1 ? '' : 's'}`))));
}

async function openChat(waId, showChat) {
  state.user = waId;
  state.replyTo = null;
  $('reply-bar').hidden = true;
  history.replaceState(null, '', `#number=${encodeURIComponent(state.number)}&chat=${encodeURIComponent(waId)}`);
  $('messages').replaceChildren();
  if (showChat) show('chat');
  await Promise.all([loadChat(), loadChats()]);
}

async function loadChat() {
  if (!state.user) return;
  const user = state.user;
  try {
    const chat = await json(chatPath());
    if (user !== state.user) return;
    state.chat = chat;
    renderChat();
  } catch (error) {
    notify(error.message, true);
  }
}

function renderChat() {
  const chat = state.chat;
  const enabled = Boolean(chat) && !state.readOnly;
  for (const id of ['composer-text', 'composer-file', 'composer-location', 'composer-send']) $(id).disabled = !enabled;
  $('composer-text').placeholder = state.readOnly ? 'A real user writes from their own phone' : 'Write as the user…';
  $('behaviour').disabled = !enabled;
  if (!chat) {
    $('chat-title').textContent = state.number ? 'Pick a chat, or start one' : 'No chat open';
    $('chat-business').textContent = '';
    $('chat-window').textContent = '';
    return;
  }
  const who = chat.name ?? chat.username ?? `+${chat.wa_id}`;
  $('chat-title').textContent = chat.name && chat.username ? `${who} (${chat.username})` : who;
  const who2 = chat.wa_id.includes('.') ? chat.wa_id : `+${chat.wa_id}`;
  const bsuid = chat.user_id && chat.user_id !== chat.wa_id ? chat.user_id : null;
  $('chat-business').replaceChildren(who2, ...(bsuid ? [' · ', el('abbr', {
    class: 'bsuid',
    title: 'Business-scoped user id: how WhatsApp names this user to your business. It stays when the user hides their number; answer them there with "recipient".',
  }, 'BSUID'), ' ', el('span', { class: 'mono' }, bsuid)] : []), ` · chatting with ${chat.business.name}`);
  const windowText = $('chat-window');
  windowText.dataset.open = String(chat.window_open);
  windowText.textContent = chat.window_open
    ? '24-hour window open: free-form messages are delivered.'
    : '24-hour window closed: only templates are delivered until the user writes.';
  $('not-on-whatsapp').checked = chat.not_on_whatsapp;
  $('never-reads').checked = chat.never_reads;

  const list = $('messages');
  list.dataset.user = chat.wa_id;
  const byId = new Map(chat.messages.map((m) => [m.id, m]));
  // One reaction per person per message: the latest wins, an empty emoji removes it.
  const latest = new Map();
  for (const m of chat.messages.filter((m) => m.type === 'reaction')) {
    latest.set(`${m.content?.message_id}:${m.direction}`, m);
  }
  const reactions = new Map();
  for (const m of latest.values()) {
    if (!m.content?.emoji) continue;
    const target = m.content.message_id;
    reactions.set(target, [...(reactions.get(target) ?? []), m.content.emoji]);
  }
  const shown = chat.messages.filter((m) => m.type !== 'reaction' || !byId.has(m.content?.message_id));
  // As on a phone: a day's first message gets the day above it ("Today", "Yesterday", the weekday, the date).
  const items = [];
  let day = null;
  for (const m of shown) {
    const label = dayLabel(new Date(m.timestamp));
    if (label !== day) items.push({ day: label, first: m.id });
    day = label;
    items.push(m);
  }
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const count = list.childElementCount;
  reconcile(list, items,
    (m) => m.day ? `day:${m.day}:${m.first}`
      : `${m.id}:${m.timestamp}:${m.status ?? ''}:${(reactions.get(m.id) ?? []).join('')}:${m.reply_to ? byId.has(m.reply_to) : ''}`,
    (m) => m.day ? el('li', { class: 'day', 'data-day': m.day, role: 'separator' }, m.day)
      : renderMessage(m, { byId, reactions, actions, readOnly: state.readOnly }));
  if (nearBottom || list.childElementCount !== count) list.scrollTop = list.scrollHeight;
}

function dayLabel(date) {
  const startOf = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((startOf(new Date()) - startOf(date)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days > 1 && days < 7) return date.toLocaleDateString([], { weekday: 'long' });
  return date.toLocaleDateString([], { day: 'numeric', month: 'long', year: 'numeric' });
}

// ---- answering as the user -----------------------------------------------------------------------------------

async function sendAsUser(body) {
  if (state.replyTo && !body.context) body.context = { message_id: state.replyTo.id };
  try {
    await json(`${chatPath()}/messages`, { method: 'POST', json: body });
    state.replyTo = null;
    $('reply-bar').hidden = true;
    notify('');
    await Promise.all([loadChat(), loadChats()]);
  } catch (error) {
    notify(`The user's message was refused: ${error.message}`, true);
  }
}

const actions = {
  replyTo(message) {
    state.replyTo = message;
    $('reply-excerpt').textContent = excerpt(message);
    $('reply-bar').hidden = false;
    $('composer-text').focus();
  },
  pickReaction(message, button) {
    const tools = button.parentElement;
    tools.querySelector('.emoji-picker')?.remove();
    const picker = el('div', { class: 'emoji-picker', role: 'group', 'aria-label': 'Pick a reaction' },
      ...['👍', '❤️', '😂', '😮', '🙏'].map((emoji) => el('button', {
        type: 'button', 'aria-label': `React ${emoji}`,
        onclick: () => { picker.remove(); sendAsUser({ type: 'reaction', reaction: { message_id: message.id, emoji } }); },
      }, emoji)));
    tools.append(picker);
    picker.querySelector('button').focus();
  },
  tapReplyButton(message, reply) {
    return sendAsUser({
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: reply.id, title: reply.title } },
      context: { message_id: message.id },
    });
  },
  tapTemplateButton(message, text, payload) {
    return sendAsUser({ type: 'button', button: { text, payload }, context: { message_id: message.id } });
  },
  openList(message) {
    const action = message.content?.action ?? {};
    const dialog = $('list-dialog');
    $('list-title').textContent = action.button ?? 'Choose';
    $('list-sections').replaceChildren(...(action.sections ?? []).map((section) => el('div', { class: 'list-section' },
      section.title ? el('h3', {}, section.title) : null,
      ...(section.rows ?? []).map((row) => el('button', {
        type: 'button', class: 'list-row', 'data-row-id': row.id,
        onclick: () => {
          dialog.close();
          const reply = { id: row.id, title: row.title };
          if (row.description) reply.description = row.description;
          sendAsUser({ type: 'interactive', interactive: { type: 'list_reply', list_reply: reply }, context: { message_id: message.id } });
        },
      }, el('span', {}, row.title), row.description ? el('span', { class: 'description' }, row.description) : null)))));
    dialog.showModal();
  },
  sendLocation(message) {
    const dialog = $('location-dialog');
    dialog.dataset.context = message?.id ?? '';
    dialog.showModal();
  },
  mediaUrl(id) {
    if (!state.media.has(id)) {
      state.media.set(id, api(`${numberPath()}/media/${encodeURIComponent(id)}`).then(async (response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return URL.createObjectURL(await response.blob());
      }));
    }
    return state.media.get(id);
  },
};

function readAsBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

// ---- a real number's health ------------------------------------------------------------------------------------

async function loadHealth() {
  $('health').hidden = !state.readOnly;
  if (!state.readOnly) return;
  const health = await json(`${numberPath()}/health`);
  const facts = { ...(health.waba ?? {}), ...(health.number ?? {}) };
  const rows = [
    ['Quality', facts.quality_rating ?? facts.quality_event],
    ['Messaging limit', facts.messaging_limit_tier],
    ['Display name', facts.name_status],
    ['Restrictions', Array.isArray(facts.restrictions) && facts.restrictions.length > 0
      ? facts.restrictions.map((r) => `${r.restriction_type}${r.expiration ? ' until ' + r.expiration : ''}`).join(', ') : null],
    ['Ban', facts.ban_state],
    ['Reported', facts.updated_at ? new Date(facts.updated_at).toLocaleString() : null],
  ].filter(([, value]) => value);
  $('health-facts').replaceChildren(...(rows.length === 0 ? [el('dd', { class: 'muted' }, 'Nothing reported by Meta yet.')]
    : rows.flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, String(value))])));
}

async function checkHealth() {
  const button = $('health-check');
  button.disabled = true;
  try {
    const { checks } = await json(`${numberPath()}/health?check=true`);
    const marks = { ok: '✓', warning: '!', error: '✗', skipped: '–' };
    $('health-checks').replaceChildren(...checks.map((c) => el('li', { class: 'check', 'data-status': c.status, 'data-check': c.name },
      el('span', { class: 'mark', 'aria-label': c.status }, marks[c.status] ?? '?'),
      el('span', { class: 'name' }, c.name),
      el('span', { class: 'summary' }, c.summary),
      c.fix ? el('span', { class: 'fix' }, c.fix) : null)));
  } catch (error) {
    notify(error.message, true);
  } finally {
    button.disabled = false;
  }
}

// ---- deliveries ----------------------------------------------------------------------------------------------

async function loadWebhook() {
  const response = await api(`${numberPath()}/webhook`);
  $('webhook').textContent = response.status === 200
    ? await response.json().then((w) => `Events go to ${w.url} (${w.scope === 'waba' ? 'the WABA webhook' : "the number's own webhook"}).`
      + `${w.secret_hint ? ` Signed with the secret ${w.secret_hint}` : ''}`)
    : 'No webhook configured: set one with POST /waba_webhook (Cloud) or POST /v1/configs/webhook.';
}

async function loadDeliveries() {
  if (!state.number) return;
  const filter = $('delivery-state').value;
  const { data } = await json(`${numberPath()}/deliveries?order=newest&limit=50${filter ? `&state=${filter}` : ''}`);
  reconcile($('delivery-list'), data, (d) => `${d.event_id}:${d.state}:${d.attempts.length}`, renderDelivery);
}

function renderDelivery(d) {
  const attempts = d.attempts.length === 0 ? el('p', { class: 'muted' }, d.next_attempt_at ? `Due ${new Date(d.next_attempt_at).toLocaleTimeString()}` : 'No attempts yet')
    : el('table', { class: 'attempts' },
      el('caption', { class: 'visually-hidden' }, `Attempts for ${d.kind}`),
      el('thead', {}, el('tr', {}, ...['#', 'Time', 'Status', 'Latency', 'Error / answer'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...d.attempts.map((a) => el('tr', {},
        el('td', {}, String(a.number)),
        el('td', {}, new Date(a.started_at).toLocaleTimeString()),
        el('td', {}, a.status_code ? String(a.status_code) : '—'),
        el('td', {}, `${a.latency_ms} ms`, a.slow ? el('span', { class: 'slow' }, ' slow') : null),
        el('td', {}, a.error ?? '', a.response_excerpt ? el('span', { class: 'excerpt mono', title: a.response_excerpt }, ` ${a.response_excerpt}`) : null)))));
  return el('li', { class: 'delivery', 'data-event-id': d.event_id, 'data-state': d.state },
    el('header', {},
      el('span', { class: 'kind' }, d.kind),
      el('span', { class: 'state', 'data-state': d.state }, d.state),
      el('time', { datetime: d.occurred_at }, new Date(d.occurred_at).toLocaleTimeString()),
      el('button', { type: 'button', class: 'replay', 'aria-label': `Replay ${d.kind} ${d.event_id}`, onclick: () => replay(d.event_id) }, 'Replay')),
    d.message_id ? el('div', { class: 'muted mono' }, d.message_id) : null,
    attempts);
}

async function replay(eventId) {
  try {
    await json(`${numberPath()}/deliveries/${encodeURIComponent(eventId)}/replay`, { method: 'POST' });
    notify('Replayed: the event is due now.');
    setTimeout(loadDeliveries, 300);
  } catch (error) {
    notify(error.message, true);
  }
}

// ---- the stream of changes -----------------------------------------------------------------------------------

const reloadChat = later(loadChat, 80);
const reloadChats = later(loadChats, 200);
const reloadDeliveries = later(loadDeliveries, 400);

async function connectStream() {
  state.stream?.abort();
  const controller = new AbortController();
  state.stream = controller;
  try {
    const response = await api(`${numberPath()}/changes`, { signal: controller.signal });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === 'chat' && data) {
          if (JSON.parse(data).wa_id === state.user) reloadChat();
          reloadChats();
          reloadDeliveries();
        }
      }
    }
  } catch (error) {
    if (controller.signal.aborted) return;
  }
  if (!controller.signal.aborted) setTimeout(() => { if (state.stream === controller) connectStream(); }, 2000);
}

// ---- wiring --------------------------------------------------------------------------------------------------

function show(view) {
  document.body.dataset.view = view;
  for (const button of document.querySelectorAll('.views button')) {
    button.setAttribute('aria-pressed', String(button.dataset.show === view));
  }
}

function wire() {
  for (const button of document.querySelectorAll('.views button')) button.addEventListener('click', () => show(button.dataset.show));
  show(document.body.dataset.view);
  $('number').addEventListener('change', (e) => selectNumber(e.target.value));
  $('health-check').addEventListener('click', checkHealth);
  $('notice-dismiss').addEventListener('click', () => notify(''));
  $('show-real-numbers').addEventListener('click', async () => {
    await askForToken('');
    try { await loadNumbers(); } catch (error) { notify(error.message, true); }
  });
  $('new-chat').addEventListener('submit', (e) => {
    e.preventDefault();
    const digits = $('new-chat-number').value.replace(/[^0-9]/g, '');
    $('new-chat-number').value = '';
    openChat(digits, true);
  });
  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('composer-text').value;
    if (!text.trim()) return;
    $('composer-text').value = '';
    sendAsUser({ type: 'text', text: { body: text } });
  });
  $('composer-file').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (!file) return;
    const mime = file.type || 'application/octet-stream';
    const type = ['image', 'video', 'audio'].find((kind) => mime.startsWith(`${kind}/`)) ?? 'document';
    const media = { data: await readAsBase64(file), mime_type: mime };
    if (type === 'document') media.filename = file.name;
    sendAsUser({ type, [type]: media });
  });
  $('composer-location').addEventListener('click', () => actions.sendLocation(null));
  $('location-dialog').addEventListener('close', () => {
    const dialog = $('location-dialog');
    if (dialog.returnValue !== 'send') return;
    const location = {
      latitude: Number($('location-latitude').value),
      longitude: Number($('location-longitude').value),
    };
    if ($('location-name').value) location.name = $('location-name').value;
    if ($('location-address').value) location.address = $('location-address').value;
    const body = { type: 'location', location };
    if (dialog.dataset.context) body.context = { message_id: dialog.dataset.context };
    sendAsUser(body);
  });
  $('reply-cancel').addEventListener('click', () => { state.replyTo = null; $('reply-bar').hidden = true; });
  const behaviour = async () => {
    try {
      await json(chatPath(), { method: 'PATCH', json: { not_on_whatsapp: $('not-on-whatsapp').checked, never_reads: $('never-reads').checked } });
      await loadChat();
    } catch (error) { notify(error.message, true); }
  };
  $('not-on-whatsapp').addEventListener('change', behaviour);
  $('never-reads').addEventListener('change', behaviour);
  $('rewind').addEventListener('click', async () => {
    try {
      const result = await json(`${chatPath()}/rewind`, { method: 'POST', json: { hours: 25 } });
      notify(`Moved ${result.moved} message${result.moved === 1 ? '' : 's'} back 25 hours: the 24-hour window is ${result.window_open ? 'still open' : 'closed'}.`);
      await loadChat();
    } catch (error) { notify(error.message, true); }
  });
  $('end-review').addEventListener('click', async () => {
    try {
      const result = await json(`${numberPath()}/templates/end_review`, { method: 'POST' });
      notify(result.ended === 0 ? 'No template is under review.' : `Review ended for ${result.ended} template${result.ended === 1 ? '' : 's'}.`);
    } catch (error) { notify(error.message, true); }
  });
  $('delivery-state').addEventListener('change', () => { $('delivery-list').replaceChildren(); loadDeliveries(); });
  $('refresh-deliveries').addEventListener('click', () => { loadWebhook(); loadDeliveries(); });
  $('test-event').addEventListener('click', async () => {
    const response = await api(`${numberPath()}/webhook/test`, { method: 'POST' });
    if (!response.ok) { $('test-result').textContent = await describeError(response); return; }
    const r = await response.json();
    $('test-result').textContent = r.succeeded
      ? `Test event delivered: ${r.status_code} in ${r.latency_ms} ms${r.slow ? ' (slow)' : ''}.`
      : `Test event not delivered: ${r.status_code ?? r.error ?? 'no answer'}${r.response_excerpt ? ' — ' + r.response_excerpt : ''}.`;
  });
  // Attempts happen on the delivery worker's schedule: keep the log current while it is on screen.
  setInterval(() => {
    const visible = getComputedStyle($('deliveries')).display !== 'none';
    if (state.number && visible && document.visibilityState === 'visible') {
      loadDeliveries().catch(() => {});
      loadWebhook().catch(() => {});
    }
  }, 2000);
}

async function start() {
  wire();
  const access = await fetch('/sandbox/v1/access').then((r) => r.json());
  if (access.token_required && !state.token) {
    await askForToken(access.token_configured ? '' : 'Admin:Token is not configured on this gateway; set it to use this page here.');
  }
  try {
    await loadNumbers();
  } catch (error) {
    notify(error.message, true);
  }
}

start();
