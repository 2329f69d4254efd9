// keydialog.js: asking for the API key, as both pages do at the first 401
// (api.onUnauthorised). It adds the <dialog id="key-dialog"> to the page:
// the form key-form, the text key-reason, the field key-input and the
// buttons key-cancel and key-submit.

const $ = (id) => document.getElementById(id);

// build adds the dialog, written once here rather than in both pages.
function build() {
  const el = (tag, props = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v);
    }
    e.append(...children);
    return e;
  };
  const dlg = el(
    'dialog',
    { id: 'key-dialog', 'aria-labelledby': 'key-title' },
    el(
      'form',
      { id: 'key-form' },
      el('h2', { id: 'key-title', text: 'API key' }),
      el('p', { id: 'key-reason' }),
      el('label', { for: 'key-input', text: 'Key' }),
      el('input', { id: 'key-input', type: 'password', autocomplete: 'off', required: '' }),
      el('p', { class: 'muted', text: 'Kept in this tab only, until it is closed.' }),
      el(
        'div',
        { class: 'actions' },
        el('button', { type: 'button', id: 'key-cancel', text: 'Cancel' }),
        el('button', { type: 'submit', id: 'key-submit', class: 'primary', text: 'Use key' }),
      ),
    ),
  );
  document.body.append(dlg);
}

build();

let asking = null;

/**
 * askKey shows the key dialog with reason and resolves with the key
 * entered, or null when cancelled. Requests refused together share one
 * question.
 */
export function askKey(reason) {
  if (asking) return asking;
  const dlg = $('key-dialog');
  $('key-reason').textContent = reason;
  $('key-input').value = '';
  asking = new Promise((resolve) => {
    const done = (value) => {
      $('key-form').onsubmit = null;
      $('key-cancel').onclick = null;
      dlg.onclose = null;
      dlg.close();
      asking = null;
      resolve(value);
    };
    $('key-form').onsubmit = (e) => {
      e.preventDefault();
      done($('key-input').value.trim() || null);
    };
    $('key-cancel').onclick = () => done(null);
    dlg.onclose = () => asking && done(null);
  });
  dlg.showModal();
  $('key-input').focus();
  return asking;
}
