// loader.js - what an agency page loads with one tag:
//   <script src="https://platform/widget/otklik.js" data-widget-key="KEY" async></script>
// It adds a button in a shadow root (host styles cannot reach in, ours
// cannot leak out) and, on click, a dialog framing the form from the platform's
// origin. The only global it defines is window.Otklik. Messages from the frame
// are accepted only from the platform's origin and that very frame.
(() => {
  const script = document.currentScript;
  if (!script || window.Otklik) return;
  const key = script.dataset.widgetKey;
  const lang = script.dataset.lang === 'en' ? 'en' : 'ru';
  const platform = new URL(script.src, location.href).origin;
  const text = {
    ru: { open: 'Сообщить о проблеме', dialog: 'Обратная связь', frame: 'Форма обратной связи' },
    en: { open: 'Report a problem', dialog: 'Feedback', frame: 'Feedback form' },
  }[lang];

  const css = `
:host{all:initial!important;position:fixed!important;right:16px!important;bottom:16px!important;
 z-index:2147483000!important;display:block!important;font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif!important}
button{all:initial;box-sizing:border-box;display:inline-block;cursor:pointer;padding:12px 20px;border-radius:24px;
 background:#0d4cd3;color:#fff;font:600 16px/1.25 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
 box-shadow:0 4px 14px rgba(0,0,0,.25)}
button:hover{background:#0b3fae}
button:focus-visible{outline:3px solid #ffb300;outline-offset:3px}
.overlay{position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:flex-end;justify-content:flex-end}
.overlay[hidden]{display:none}
.dialog{width:min(440px,100vw);height:min(720px,100vh);background:#fff;border-radius:12px 12px 0 0;overflow:hidden;
 box-shadow:0 8px 32px rgba(0,0,0,.35)}
@media(min-width:520px){.overlay{padding:16px}.dialog{border-radius:12px;height:min(720px,calc(100vh - 32px))}}
iframe{border:0;width:100%;height:100%;display:block;background:#fff}`;

  let host, root, button, overlay, frame, clickedAt = 0;
  const metrics = {};

  function mount() {
    host = document.createElement('otklik-widget');
    root = host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = css;
    button = document.createElement('button');
    button.type = 'button';
    button.textContent = text.open;
    button.setAttribute('aria-haspopup', 'dialog');
    button.addEventListener('click', open);
    overlay = document.createElement('div');
    overlay.className = 'overlay';
    overlay.hidden = true;
    overlay.addEventListener('click', (event) => { if (event.target === overlay) close(); });
    const dialog = document.createElement('div');
    dialog.className = 'dialog';
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.setAttribute('aria-label', text.dialog);
    frame = document.createElement('iframe');
    frame.title = text.frame;
    frame.setAttribute('allow', 'geolocation');
    dialog.append(frame);
    overlay.append(dialog);
    root.append(style, button, overlay);
    document.body.append(host);
  }

  function open() {
    clickedAt = performance.now();
    overlay.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    if (!frame.src) {
      const hash = new URLSearchParams({ lang, parent: location.origin });
      frame.src = `${platform}/widget/frame/${encodeURIComponent(key)}#${hash}`;
    } else {
      frame.contentWindow.postMessage({ type: 'otklik:focus' }, platform);
    }
    frame.focus();
  }

  function close() {
    if (!overlay || overlay.hidden) return;
    overlay.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  }

  window.addEventListener('message', (event) => {
    if (!frame || event.origin !== platform || event.source !== frame.contentWindow) return;
    const type = event.data && event.data.type;
    if (type === 'otklik:close') close();
    if (type === 'otklik:ready' && clickedAt) metrics.openMs = Math.round(performance.now() - clickedAt);
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close();
  });

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
  window.Otklik = Object.freeze({ open: () => open(), close: () => close(), metrics });
})();
