// One message as the simulated user's phone shows it. The business's messages (outbound) are on the left, the user's
// own (inbound) on the right, as on a phone. Link media is shown as a link card and never fetched.
import { appendFormatted } from './format.js';

const tickMarks = {
  accepted: ['◷', 'Waiting to be sent'],
  sent: ['✓', 'Sent'],
  delivered: ['✓✓', 'Delivered'],
  read: ['✓✓', 'Read'],
  failed: ['!', 'Failed'],
};

export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'text') element.textContent = value;
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

/** A short text for a message: the quote of a reply, the reply bar, a chat list line. */
export function excerpt(message) {
  if (!message) return 'a message';
  const c = message.content ?? {};
  switch (message.type) {
    case 'text': return c.body ?? '';
    case 'template': return message.template?.body ?? `Template ${c.name ?? ''}`;
    case 'interactive':
      if (c.type === 'button_reply' || c.type === 'list_reply') return c[c.type]?.title ?? '';
      return c.body?.text ?? `Interactive ${c.type ?? ''}`;
    case 'button': return c.text ?? '';
    case 'location': return `Location ${c.name ?? ''}`.trim();
    case 'contacts': return `Contact ${(c ?? [])[0]?.name?.formatted_name ?? ''}`.trim();
    case 'reaction': return `Reaction ${c.emoji ?? ''}`;
    default: return c.caption ?? c.filename ?? message.type;
  }
}

/**
 * Builds the list item for `message`. `context` gives the chat's other messages (`byId`), reactions per message
 * (`reactions`), and the actions the page offers (`actions`).
 */
export function renderMessage(message, context) {
  const { byId, reactions, actions, readOnly } = context;
  if (message.type === 'system') {
    return el('li', { class: 'system', 'data-id': message.id, 'data-type': 'system' },
      message.content?.body ?? 'The user changed something.');
  }
  const item = el('li', {
    class: `message ${message.direction}`,
    'data-id': message.id,
    'data-type': message.type,
    'data-status': message.status,
  });
  const bubble = el('div', { class: 'bubble' });
  if (message.reply_to) {
    bubble.append(el('div', { class: 'quote', 'data-quote': message.reply_to }, excerpt(byId.get(message.reply_to))));
  }
  bubble.append(renderContent(message, actions));
  const time = new Date(message.timestamp);
  const meta = el('div', { class: 'meta' },
    el('time', { datetime: message.timestamp, text: time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) }));
  if (message.direction === 'outbound') {
    const [mark, label] = tickMarks[message.status] ?? tickMarks.accepted;
    meta.append(el('span', { class: 'ticks', 'data-status': message.status, role: 'img', 'aria-label': label, title: label, text: mark }));
  }
  bubble.append(meta);
  if (message.status === 'failed') {
    const error = message.error;
    bubble.append(el('p', { class: 'failure', 'data-error-code': error?.code },
      error ? `Not delivered: ${error.title} (${error.code})` : 'Not delivered'));
  }
  item.append(bubble);
  const mine = reactions.get(message.id);
  if (mine && mine.length > 0) {
    item.append(el('span', { class: 'reactions', 'aria-label': `Reactions: ${mine.join(' ')}` }, mine.join(' ')));
  }
  // A message WhatsApp did not deliver is not on the user's phone: nothing there to reply to or react to.
  if (readOnly || message.status === 'failed') {
    // A real user taps their own phone: nothing in a real chat acts as them.
    for (const button of bubble.querySelectorAll('button')) button.disabled = true;
    return item;
  }
  item.append(el('div', { class: 'message-tools' },
    el('button', { type: 'button', class: 'reply-to', 'aria-label': `Reply to: ${excerpt(message)}`, onclick: () => actions.replyTo(message) }, 'Reply'),
    el('button', { type: 'button', class: 'react', 'aria-label': `React to: ${excerpt(message)}`, onclick: (e) => actions.pickReaction(message, e.currentTarget) }, 'React')));
  return item;
}

function renderContent(message, actions) {
  const c = message.content ?? {};
  const holder = el('div', { class: 'content' });
  switch (message.type) {
    case 'text':
      holder.append(appendFormatted(el('div', { class: 'text' }), c.body));
      break;
    case 'image': case 'video': case 'audio': case 'document': case 'sticker':
      holder.append(renderMedia(message.type, c, actions));
      break;
    case 'location':
      holder.append(el('div', { class: 'card location' },
        el('span', { class: 'kind' }, 'Location'),
        c.name ? el('strong', {}, c.name) : null,
        c.address ? el('span', {}, c.address) : null,
        el('span', { class: 'mono' }, `${c.latitude}, ${c.longitude}`)));
      break;
    case 'contacts':
      for (const contact of Array.isArray(c) ? c : []) {
        holder.append(el('div', { class: 'card contact' },
          el('span', { class: 'kind' }, 'Contact'),
          el('strong', {}, contact.name?.formatted_name ?? 'Contact'),
          ...(contact.phones ?? []).map((p) => el('span', {}, `${p.type ? p.type + ': ' : ''}${p.phone ?? p.wa_id ?? ''}`)),
          ...(contact.emails ?? []).map((e) => el('span', {}, e.email ?? ''))));
      }
      break;
    case 'interactive':
      holder.append(renderInteractive(message, c, actions));
      break;
    case 'template':
      holder.append(renderTemplate(message, c, actions));
      break;
    case 'button':
      holder.append(appendFormatted(el('div', { class: 'text' }), c.text));
      break;
    case 'reaction':
      holder.append(el('div', { class: 'text' }, `Reacted ${c.emoji || '(removed)'}`));
      break;
    default:
      holder.append(el('div', { class: 'text muted' }, `[${message.type}]`));
  }
  return holder;
}

function renderMedia(type, c, actions) {
  const box = el('div', { class: `media ${type}` });
  if (c.link) {
    // A link is recorded, never fetched: the card shows where the media would come from.
    let host = '';
    try { host = new URL(c.link).host; } catch { host = ''; }
    box.append(el('div', { class: 'card link-card' },
      el('span', { class: 'kind' }, `${type} · link`),
      c.filename ? el('strong', {}, c.filename) : null,
      el('span', { class: 'host' }, host),
      el('a', { class: 'url', href: c.link, rel: 'noopener noreferrer', target: '_blank' }, c.link)));
  } else if (c.id) {
    const label = c.filename ?? `${type} ${c.id}`;
    if (type === 'image' || type === 'sticker') {
      const image = el('img', { alt: c.caption ? `Image: ${c.caption}` : (type === 'sticker' ? 'Sticker' : 'Image') });
      box.append(image);
      actions.mediaUrl(c.id).then((url) => { image.src = url; }).catch(() => { image.alt = `${type} (not available)`; });
    } else if (type === 'video' || type === 'audio') {
      const player = el(type, { controls: true, 'aria-label': label });
      box.append(player);
      actions.mediaUrl(c.id).then((url) => { player.src = url; }).catch(() => {});
    } else {
      const link = el('a', { download: c.filename ?? 'document' }, 'Open');
      box.append(el('div', { class: 'card document' }, el('span', { class: 'kind' }, 'Document'), el('strong', {}, label), link));
      actions.mediaUrl(c.id).then((url) => { link.href = url; }).catch(() => {});
    }
  }
  if (c.caption) box.append(appendFormatted(el('div', { class: 'text caption' }), c.caption));
  return box;
}

function renderHeader(header, actions) {
  if (!header) return null;
  if (header.type === 'text') return el('div', { class: 'header-text' }, header.text ?? '');
  const media = header[header.type];
  return media ? renderMedia(header.type, media, actions) : el('div', { class: 'muted' }, `[${header.type}]`);
}

function renderInteractive(message, c, actions) {
  const box = el('div', { class: `interactive kind-${c.type ?? 'unknown'}` });
  if (c.type === 'button_reply' || c.type === 'list_reply') {
    const reply = c[c.type] ?? {};
    box.append(el('div', { class: 'text' }, reply.title ?? ''));
    if (reply.description) box.append(el('div', { class: 'footer-text' }, reply.description));
    return box;
  }
  box.append(renderHeader(c.header, actions) ?? '');
  if (c.body?.text) box.append(appendFormatted(el('div', { class: 'text' }), c.body.text));
  if (c.footer?.text) box.append(el('div', { class: 'footer-text' }, c.footer.text));
  const action = c.action ?? {};
  const row = el('div', { class: 'actions-row' });
  const inbound = message.direction === 'inbound';
  switch (c.type) {
    case 'button':
      for (const button of action.buttons ?? []) {
        const reply = button.reply ?? {};
        row.append(el('button', {
          type: 'button', class: 'reply-button', 'data-button-id': reply.id, disabled: inbound,
          onclick: () => actions.tapReplyButton(message, reply),
        }, reply.title ?? ''));
      }
      break;
    case 'list':
      row.append(el('button', { type: 'button', class: 'list-open', disabled: inbound, onclick: () => actions.openList(message) }, `☰ ${action.button ?? 'Choose'}`));
      break;
    case 'cta_url': {
      const p = action.parameters ?? {};
      row.append(el('a', { class: 'cta', href: p.url, rel: 'noopener noreferrer', target: '_blank' }, `↗ ${p.display_text ?? p.url}`));
      break;
    }
    case 'flow': {
      const p = action.parameters ?? {};
      row.append(el('button', { type: 'button', class: 'reply-button', disabled: true, title: 'Flows open on the phone; the sandbox does not run them' }, p.flow_cta ?? 'Open'));
      break;
    }
    case 'location_request_message':
      row.append(el('button', { type: 'button', class: 'reply-button', disabled: inbound, onclick: () => actions.sendLocation(message) }, '📍 Send location'));
      break;
    case 'product':
      box.append(el('div', { class: 'card product' }, el('span', { class: 'kind' }, 'Product'), el('span', {}, action.product_retailer_id ?? ''),
        el('span', { class: 'muted' }, `Catalog ${action.catalog_id ?? ''}`)));
      break;
    case 'product_list':
      for (const section of action.sections ?? []) {
        box.append(el('div', { class: 'card product' }, el('span', { class: 'kind' }, section.title ?? 'Products'),
          ...(section.product_items ?? []).map((item) => el('span', {}, item.product_retailer_id ?? ''))));
      }
      break;
    case 'catalog_message':
      row.append(el('button', { type: 'button', class: 'reply-button', disabled: true }, 'View catalog'));
      break;
    case 'carousel': {
      const cards = el('div', { class: 'carousel' });
      for (const card of action.cards ?? []) {
        const buttons = (card.action?.buttons ?? []).map((b) => b.quick_reply ?? {});
        const url = card.action?.parameters;
        cards.append(el('div', { class: 'card' },
          renderHeader(card.header, actions),
          card.body?.text ? appendFormatted(el('div', { class: 'text' }), card.body.text) : null,
          ...buttons.map((reply) => el('button', {
            type: 'button', class: 'reply-button', 'data-button-id': reply.id, disabled: inbound,
            onclick: () => actions.tapReplyButton(message, reply),
          }, reply.title ?? '')),
          url ? el('a', { class: 'cta', href: url.url, rel: 'noopener noreferrer', target: '_blank' }, `↗ ${url.display_text ?? url.url}`) : null));
      }
      box.append(cards);
      break;
    }
    case 'voice_call':
      row.append(el('button', { type: 'button', class: 'reply-button', disabled: true }, `📞 ${action.parameters?.display_text ?? 'Call Now'}`));
      break;
    case 'call_permission_request':
      row.append(el('button', { type: 'button', class: 'reply-button', disabled: true }, 'Allow calls'),
        el('button', { type: 'button', class: 'reply-button', disabled: true }, "Don't allow"));
      break;
    default:
      break;
  }
  if (row.childElementCount > 0) box.append(row);
  return box;
}

function renderTemplate(message, c, actions) {
  const box = el('div', { class: 'template' });
  const rendered = message.template;
  if (!rendered) {
    box.append(el('div', { class: 'text muted' }, `Template ${c.name ?? ''} (${c.language?.code ?? ''}) — not found`));
    return box;
  }
  // A media header takes its file from the send's header parameter.
  const header = (c.components ?? []).find((component) => component.type === 'header');
  const mediaParameter = header?.parameters?.find((p) => ['image', 'video', 'document'].includes(p.type));
  if (mediaParameter) box.append(renderMedia(mediaParameter.type, mediaParameter[mediaParameter.type] ?? {}, actions));
  if (rendered.header) box.append(el('div', { class: 'header-text' }, rendered.header));
  box.append(appendFormatted(el('div', { class: 'text' }), rendered.body));
  if (rendered.footer) box.append(el('div', { class: 'footer-text' }, rendered.footer));
  if (rendered.buttons?.length) {
    const row = el('div', { class: 'actions-row' });
    rendered.buttons.forEach((button, index) => {
      if (button.type === 'QUICK_REPLY') {
        const parameter = (c.components ?? []).find((component) => component.type === 'button' && Number(component.index) === index);
        const payload = parameter?.parameters?.[0]?.payload ?? button.text;
        row.append(el('button', {
          type: 'button', class: 'reply-button', 'data-button-text': button.text, disabled: message.direction === 'inbound',
          onclick: () => actions.tapTemplateButton(message, button.text, payload),
        }, button.text));
      } else {
        row.append(el('button', { type: 'button', class: 'reply-button', disabled: true, title: `${button.type} button` }, button.text));
      }
    });
    box.append(row);
  }
  return box;
}
