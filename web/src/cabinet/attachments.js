// attachments.js - the files of a message and of its answers in the card:
// photos as thumbnails (GET /api/v1/attachments/{id}/thumbnail, made once by
// the server) that link to the full file, documents as links with their type
// and size. A photo the server could make no thumbnail of is a plain link.
import { useState } from 'preact/hooks';
import { html } from '../shared/html.js';
import { t } from '../shared/i18n.js';

const TYPES = { 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'application/pdf': 'PDF' };

function Attachment({ file }) {
  const [preview, setPreview] = useState(file.content_type.startsWith('image/'));
  const name = `${t(`attachment.${file.purpose === 'answer' ? 'answer' : 'message'}`)} № ${file.id}`;
  const size = t('attachment.size', { type: TYPES[file.content_type] ?? file.content_type, kb: Math.ceil(file.size / 1024) });
  const href = `/api/v1/attachments/${file.id}`;
  if (preview)
    return html`<li class="attachment attachment--photo"><a href=${href} download>
      <img src=${`${href}/thumbnail`} alt=${t('attachment.photo_alt', { name, size })} loading="lazy"
        onError=${() => setPreview(false)} /></a></li>`;
  return html`<li class="attachment"><a href=${href} download>${name}</a>
    <span class="hint"> (${size})</span></li>`;
}

export function Attachments({ files }) {
  if (!files?.length) return null;
  return html`<h3>${t('card.attachments')}</h3>
    <ul class="attachments">${files.map((f) => html`<${Attachment} key=${f.id} file=${f} />`)}</ul>`;
}
