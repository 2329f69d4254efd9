// keydialog.js: asking for the API key, as both pages do at the first 401
// (api.onUnauthorised). The page holds a <dialog id="key-dialog"> with the
// form key-form, the text key-reason, the field key-input and the button
// key-cancel.

const $ = (id) => document.getElementById(id);

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
