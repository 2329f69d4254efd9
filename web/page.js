// page.js: what both pages show the same way: the status line (#status),
// the box of problems (#problems, dismissed by its close button), the
// progress of a job (#progress-box, #progress, #progress-text), following
// a job until it ends, the busy mark, and downloads.

import * as api from './api.js';
import { esc } from './model.js';

const $ = (id) => document.getElementById(id);

/** status says text in the status line; kind "error" marks a failure. */
export function status(text, kind = '') {
  const el = $('status');
  el.textContent = text;
  el.dataset.kind = kind;
}

/**
 * showProblem shows err in the problems box under what was being done:
 * a problem's field paths and reasons, or the error's message.
 */
export function showProblem(err, what) {
  const box = $('problems');
  if (!(err instanceof api.ApiError)) {
    box.innerHTML = `<p><strong>${esc(what)}:</strong> ${esc(err.message || String(err))}</p>`;
  } else {
    const items = err.errors.map((e) => `<li><code>${esc(e.path)}</code> ${esc(e.reason)}</li>`).join('');
    box.innerHTML = `<p><strong>${esc(what)}:</strong> ${esc(err.problem.title || '')}${err.errors.length ? '' : ` – ${esc(err.message)}`}</p>${items ? `<ul>${items}</ul>` : ''}`;
  }
  box.innerHTML += '<button type="button" class="close" aria-label="Dismiss">×</button>';
  box.hidden = false;
  status(`${what} failed`, 'error');
}

export function clearProblem() {
  $('problems').hidden = true;
}

$('problems').addEventListener('click', (e) => {
  if (e.target.closest('.close')) clearProblem();
});

/**
 * busySetter answers a function of what, the job the page is busy with
 * ('' for none): it keeps what in state.busy and the body's data-busy,
 * then calls controls.
 */
export function busySetter(state, controls) {
  return (what) => {
    state.busy = what;
    document.body.dataset.busy = what;
    controls();
  };
}

/**
 * download hands blob to the browser as a file named filename, and says
 * so: "<done> <filename>".
 */
export function download(blob, filename, done) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  status(`${done} ${filename}`);
  document.body.dataset.exported = filename;
}

/** progress shows a job's state ("running", "done"...), share done and text. */
export function progress(stateName, value, text) {
  $('progress-box').dataset.state = stateName;
  $('progress').value = value;
  $('progress-text').textContent = text;
}

/**
 * followJob asks after job every everyMs until it is done, failed or
 * cancelled, and answers it then. Meanwhile the progress shows
 * running(job), a [share, text] of a running job's progress, or null
 * for "Queued" or "Starting".
 */
export async function followJob(job, everyMs, running) {
  while (!['done', 'failed', 'cancelled'].includes(job.status)) {
    const shown = job.status === 'running' ? running(job) : null;
    if (shown) progress('running', ...shown);
    else progress('running', 0, job.status === 'queued' ? 'Queued' : 'Starting');
    await new Promise((r) => setTimeout(r, everyMs));
    job = await api.getJob(job.id);
  }
  return job;
}
