// WhatsApp's text formatting, rendered into DOM nodes (never through innerHTML, so no message can inject markup):
// *bold*, _italic_, ~strike~, ```monospace```, `inline code`, and links.

const inline = [
  { marker: '*', tag: 'strong' },
  { marker: '_', tag: 'em' },
  { marker: '~', tag: 's' },
  { marker: '`', tag: 'code' },
];

const linkPattern = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'"]/g;

/** Appends the formatted text to `parent`. */
export function appendFormatted(parent, text) {
  // Monospace blocks first: nothing inside them is formatted.
  const parts = String(text ?? '').split('```');
  parts.forEach((part, index) => {
    if (index % 2 === 1 && index < parts.length - 1) {
      const code = document.createElement('code');
      code.className = 'mono';
      code.textContent = part;
      parent.append(code);
    } else {
      appendInline(parent, index % 2 === 1 ? '```' + part : part);
    }
  });
  return parent;
}

function appendInline(parent, text) {
  let rest = text;
  while (rest.length > 0) {
    const next = findNext(rest);
    if (!next) {
      appendLinks(parent, rest);
      return;
    }
    appendLinks(parent, rest.slice(0, next.start));
    const element = document.createElement(next.tag);
    if (next.tag === 'code') {
      element.textContent = next.inner;
    } else {
      appendInline(element, next.inner);
    }
    parent.append(element);
    rest = rest.slice(next.end);
  }
}

/** The earliest marker pair that WhatsApp formats: it hugs non-space text and sits at word edges. */
function findNext(text) {
  let best = null;
  for (const { marker, tag } of inline) {
    let from = 0;
    while (from < text.length) {
      const start = text.indexOf(marker, from);
      if (start < 0) break;
      const before = start === 0 ? ' ' : text[start - 1];
      const end = text.indexOf(marker, start + 1);
      if (end < 0) break;
      const inner = text.slice(start + 1, end);
      const after = end + 1 >= text.length ? ' ' : text[end + 1];
      const edges = /[\s(*_~`]/.test(before) && /[\s).,!?;:*_~`]/.test(after);
      if (inner.length > 0 && !/^\s|\s$/.test(inner) && !inner.includes('\n') && edges) {
        if (!best || start < best.start) best = { start, end: end + 1, inner, tag };
        break;
      }
      from = start + 1;
    }
  }
  return best;
}

function appendLinks(parent, text) {
  let last = 0;
  for (const match of text.matchAll(linkPattern)) {
    parent.append(text.slice(last, match.index));
    const link = document.createElement('a');
    link.href = match[0];
    link.textContent = match[0];
    link.rel = 'noopener noreferrer';
    link.target = '_blank';
    parent.append(link);
    last = match.index + match[0].length;
  }
  parent.append(text.slice(last));
}
