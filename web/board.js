// board.js: the coordinator's board. It holds the instance and the plan
// on screen, wires the controls to the service, and draws the timeline,
// the map and the figures from the same state.
//
// The plan on screen comes from a solve job, a re-plan job, a JSON file,
// or an evaluation of the coordinator's changes. Changes by hand edit the
// plan's skeleton (carers, dates, shifts and visits in order) and ask the
// service to time and check it (POST /v1/evaluate): no rule is coded here.

import * as api from './api.js';
import { Index, skeleton, evaluateRounds, unassign, place, stopAt, fmtClock, fmtHM, dayLabel, esc, roundDate, clockS } from './model.js';
import { Timeline } from './timeline.js';
import { MapView } from './map.js';
import { renderFigures } from './figures.js';
import { askKey } from './keydialog.js';
import { status, showProblem, clearProblem, progress, followJob, busySetter, download } from './page.js';

const $ = (id) => document.getElementById(id);

/** state is what the board shows; read by the browser test. */
const state = {
  instance: null,
  index: null,
  plan: null,
  violations: [], // of the plan on screen, from evaluate or check
  checked: false, // whether violations are known
  pins: new Set(), // visits that keep their carer when re-optimising
  starts: new Map(), // visit -> "HH:MM", the start the coordinator asked for
  view: 'day',
  date: null,
  selected: null, // {visit, carer}
  job: null,
  busy: '',
};
window.roundsBoard = state;

const emptyPlan = { rounds: [], unassigned: [] };

const timeline = new Timeline($('timeline'), $('timeline-axis'), {
  onSelect: (visit, carer) => select(visit, carer),
  onPin: (visit) => togglePin(visit),
  onUnassign: (visit) => change((skel) => unassign(skel, visit), () => {
    state.pins.delete(visit);
    state.starts.delete(visit);
  }),
  onDrop: (d) => moveVisit(d),
});
const map = new MapView($('map'), $('map-tip'), (visit, carer) => select(visit, carer));

// ---- busy ----

// setBusy marks what the page is busy with ('' for nothing).
const setBusy = busySetter(state, controls);

// controls enables what can be done now.
function controls() {
  const idle = !state.busy;
  $('solve').disabled = !state.instance || !idle;
  $('replan').disabled = !state.plan || !idle;
  for (const b of document.querySelectorAll('button.export')) b.disabled = !state.plan;
  $('date').disabled = !state.instance;
}

// ---- the API key ----

api.onUnauthorised(askKey);

// ---- opening ----

async function loadInstance(inst, plan) {
  clearProblem();
  try {
    const v = await api.validate(inst);
    status(`Opened: ${v.visits} visits, ${v.carers} carers, ${v.clients} clients`);
  } catch (err) {
    showProblem(err, 'The instance is not valid');
    return;
  }
  state.instance = inst;
  state.index = new Index(inst);
  state.plan = null;
  state.violations = [];
  state.checked = false;
  state.pins.clear();
  state.starts.clear();
  state.selected = null;
  state.date = state.index.dates[0];
  $('instance-name').textContent = inst.name || (inst.period ? `${inst.period.days} days from ${inst.period.start}` : inst.date);
  $('view-week').disabled = !inst.period;
  if (!inst.period) setView('day', false);
  fillDates();
  document.body.classList.add('has-instance');
  map.setInstance(state.index);
  progress('idle', 0, 'Not solved');
  if (plan) await setPlan(plan, { check: true });
  else render();
  controls();
}

function fillDates() {
  const dates = state.index.dates;
  $('date').innerHTML = dates.map((d) => `<option value="${d}">${esc(dayLabel(d))}</option>`).join('');
  $('date').value = state.date;
}

$('file-json').addEventListener('change', async (e) => {
  const f = e.target.files[0];
  e.target.value = '';
  if (!f) return;
  let doc;
  try {
    doc = JSON.parse(await f.text());
  } catch (err) {
    showProblem(err, `${f.name} is not JSON`);
    return;
  }
  // An instance, or a saved {instance, plan} (as /v1/check and /v1/export take).
  if (doc && doc.instance && doc.plan) await loadInstance(doc.instance, doc.plan);
  else if (doc && Array.isArray(doc.carers)) await loadInstance(doc);
  else showProblem(new Error('want an instance, or an object with "instance" and "plan"'), `${f.name} is not an instance`);
});

$('import-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData();
  for (const [id, field] of [['csv-carers', 'carers'], ['csv-clients', 'clients'], ['csv-care', 'care'], ['csv-postcodes', 'postcodes']]) {
    const f = $(id).files[0];
    if (f) form.append(field, f, f.name);
  }
  if ($('import-start').value) form.append('start', $('import-start').value);
  if ($('import-days').value) form.append('days', $('import-days').value);
  setBusy('import');
  status('Importing…');
  try {
    const inst = await api.importCSV(form);
    $('import').open = false;
    await loadInstance(inst);
  } catch (err) {
    showProblem(err, 'Import');
  } finally {
    setBusy('');
  }
});

$('job-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const id = $('job-id').value.trim();
  if (!id) return;
  if (!state.instance) {
    showProblem(new Error('open the instance the job solved first: a job holds the plan, not the instance'), 'Open job');
    return;
  }
  await runJob(() => api.getJob(id), Number($('time-limit').value) || 20, false);
});

// ---- solving ----

let cancelled = false;

// runJob submits (or opens) a job and follows it to its plan.
async function runJob(start, limitS, fresh) {
  clearProblem();
  setBusy('solve');
  cancelled = false;
  progress('running', 0, 'Queued');
  let job;
  try {
    job = await start();
    state.job = job.id;
    $('job-id').value = job.id;
    document.body.dataset.job = job.id;
    $('cancel').hidden = false;
    job = await followJob(job, 400, ({ progress: p }) => p && [Math.min(0.99, p.elapsed_s / limitS), `${Math.round(p.elapsed_s)} s of ${limitS} s · ${p.served} served, ${p.unserved} not`]);
  } catch (err) {
    progress('failed', 0, 'Failed');
    showProblem(err, 'Solve');
    setBusy('');
    $('cancel').hidden = true;
    return;
  }
  const received = performance.now();
  $('cancel').hidden = true;
  setBusy('');
  if (job.status !== 'done' || !job.plan) {
    progress(job.status, 0, job.status === 'cancelled' ? 'Stopped' : 'Failed');
    if (job.status === 'failed') showProblem(new Error(job.error || 'the job failed'), 'Solve');
    else status(cancelled ? 'Stopped' : `Job ${job.status}`);
    return;
  }
  const took = job.plan.solver ? ` in ${job.plan.solver.elapsed_s.toFixed(1)} s` : '';
  progress('done', 1, `Done${took}`);
  if (fresh) {
    state.starts.clear();
  }
  await setPlan(job.plan, { check: true, received });
  status(`Plan ready: ${job.plan.kpis ? `${job.plan.kpis.visits_served} of ${job.plan.kpis.visits} visits served` : 'no figures'}`);
}

$('solve').addEventListener('click', () => {
  const limit = Math.max(1, Math.min(600, Number($('time-limit').value) || 20));
  state.pins.clear();
  runJob(() => api.submitJob(state.instance, limit), limit, true);
});

$('cancel').addEventListener('click', async () => {
  if (!state.job) return;
  cancelled = true;
  try {
    await api.cancelJob(state.job);
  } catch (err) {
    showProblem(err, 'Stop');
  }
});

$('replan').addEventListener('click', () => {
  const limit = Math.max(1, Math.min(600, Number($('time-limit').value) || 20));
  const served = new Set(state.plan.rounds.flatMap((r) => r.stops.map((s) => s.visit)));
  const pins = [...state.pins].filter((v) => served.has(v));
  runJob(() => api.replan(state.instance, state.plan, pins, limit), limit, true);
});

// ---- the plan on screen ----

/**
 * setPlan shows a plan. The time from receiving it to the next animation
 * frame is kept in body's data-render-ms. With check, the service's
 * checker lists its broken rules.
 */
async function setPlan(plan, { violations = null, check = false, received = performance.now() } = {}) {
  state.plan = plan;
  state.violations = violations || [];
  state.checked = !!violations;
  // Keep the selection if the visit is still on screen.
  if (state.selected && !planHas(state.selected.visit)) state.selected = null;
  render();
  document.body.dataset.renderScriptMs = (performance.now() - received).toFixed(1);
  requestAnimationFrame(() => {
    document.body.dataset.renderMs = (performance.now() - received).toFixed(1);
    document.body.dataset.rendered = String(Number(document.body.dataset.rendered || 0) + 1);
  });
  controls();
  // Once the plan is drawn (the coordinator sees it first), ask for its
  // rounds along the streets, and with check for its broken rules.
  await new Promise((r) => requestAnimationFrame(r));
  if (state.plan === plan) map.followStreets(state.instance, plan);
  if (check) {
    try {
      const res = await api.check(state.instance, plan);
      if (state.plan !== plan) return;
      state.violations = res.violations;
      state.checked = true;
      render();
    } catch (err) {
      showProblem(err, 'Checking the plan');
    }
  }
}

function planHas(visit) {
  return state.plan.unassigned.some((u) => u.visit === visit) || state.plan.rounds.some((r) => r.stops.some((s) => s.visit === visit));
}

function shownDates() {
  const dates = state.index.dates;
  if (state.view === 'day') return [state.date];
  // The week (of the period's weeks) holding the date.
  const i = Math.max(0, dates.indexOf(state.date));
  const w = Math.floor(i / 7) * 7;
  return dates.slice(w, w + 7);
}

// flags maps "i:k" (round i, stop k; k -1 for the round) to its violations.
function flags() {
  const m = new Map();
  for (const v of state.violations) {
    const at = stopAt(v.path);
    if (!at) continue;
    const k = `${at.round}:${at.stop}`;
    if (!m.has(k)) m.set(k, []);
    m.get(k).push(v);
  }
  return m;
}

function render() {
  if (!state.index) return;
  const m = {
    index: state.index,
    plan: state.plan || emptyPlan,
    view: state.view,
    dates: shownDates(),
    selected: state.selected,
    pins: state.pins,
    flags: flags(),
  };
  $('empty').hidden = !!state.plan;
  timeline.render(m);
  map.draw(m);
  if (state.plan) renderFigures($('figures'), m);
  else $('figures').innerHTML = '';
  renderViolations();
  renderDetails();
}

function renderViolations() {
  const ul = $('violations');
  const vs = state.violations;
  ul.dataset.count = vs.length;
  ul.dataset.checked = String(state.checked);
  $('violation-count').textContent = state.checked ? String(vs.length) : '';
  if (!state.plan) {
    ul.innerHTML = '<li class="muted">No plan yet.</li>';
    return;
  }
  if (!state.checked) {
    ul.innerHTML = '<li class="muted">Checking…</li>';
    return;
  }
  if (vs.length === 0) {
    ul.innerHTML = '<li class="ok" data-testid="no-violations">None: the plan keeps every rule.</li>';
    return;
  }
  ul.innerHTML = vs.map((v, j) => {
    const at = stopAt(v.path);
    const r = at && state.plan.rounds[at.round];
    const who = r ? `${esc(state.index.carerName(r.carer))}${r.date ? `, ${esc(dayLabel(r.date))}` : ''}` : '';
    return `<li data-testid="violation" data-path="${esc(v.path)}"><button type="button" class="link" data-j="${j}">${esc(v.code.replace(/_/g, ' '))}</button>` +
      `${who ? ` <span class="who">${who}</span>` : ''}<div>${esc(v.message)}</div></li>`;
  }).join('');
}

$('violations').addEventListener('click', (e) => {
  const b = e.target.closest('button[data-j]');
  if (!b) return;
  const at = stopAt(state.violations[Number(b.dataset.j)].path);
  const r = at && state.plan.rounds[at.round];
  if (!r) return;
  state.date = roundDate(state.instance, r);
  $('date').value = state.date;
  const s = r.stops[at.stop >= 0 ? at.stop : 0];
  if (s) select(s.visit, r.carer);
  else render();
});

// ---- selection and details ----

function select(visit, carer) {
  state.selected = { visit, carer };
  render();
}

function renderDetails() {
  const box = $('details');
  const sel = state.selected;
  if (!sel || !state.plan) {
    box.hidden = true;
    return;
  }
  const ix = state.index;
  const v = ix.visit(sel.visit);
  const parts = [];
  state.plan.rounds.forEach((r) => r.stops.forEach((s) => s.visit === sel.visit && parts.push({ r, s })));
  const un = state.plan.unassigned.find((u) => u.visit === sel.visit);
  const win = v.windows.map((w) => `${fmtClock(w.start)}–${fmtClock(w.end)}`).join(', ') || '–';
  const rows = [
    ['Client', esc(ix.clientName(v.client || ''))],
    ['Date', esc(dayLabel(v.date))],
    ['Window', `${win}${v.hard ? '' : ' (soft)'}`],
    ['Length', v.durationMin ? `${v.durationMin} min` : '–'],
  ];
  for (const { r, s } of parts) {
    rows.push([esc(ix.carerName(r.carer)), `${fmtClock(clockS(s.start))}–${fmtClock(clockS(s.end))}` +
      `${s.lateness_s ? `, late ${fmtHM(s.lateness_s)}` : ''}${s.waiting_s ? `, waits ${fmtHM(s.waiting_s)}` : ''}`]);
  }
  if (un) rows.push(['Unassigned', esc(un.detail || un.reason)]);
  const pinned = state.pins.has(sel.visit);
  const carers = state.instance.carers.filter((c) => ix.shifts(c.id, v.date).length)
    .map((c) => `<option value="${esc(c.id)}"${c.id === sel.carer ? ' selected' : ''}>${esc(ix.carerName(c.id))}</option>`).join('');
  const startNow = parts.length ? fmtClock(clockS(parts[0].s.start)) : (v.windows[0] ? fmtClock(v.windows[0].start) : '09:00');
  box.innerHTML = `<h3>Visit <code>${esc(sel.visit)}</code>${pinned ? ' <span class="tag">pinned</span>' : ''}</h3>` +
    `<dl class="kv">${rows.map(([k, val]) => `<dt>${k}</dt><dd>${val}</dd>`).join('')}</dl>` +
    '<form id="move-form" class="move">' +
    `<label for="move-carer">Carer</label><select id="move-carer">${carers}</select>` +
    // A text field, not type="time": that follows the browser's locale,
    // which may well be American, and rotas read the 24-hour clock.
    `<label for="move-start">Start</label><input id="move-start" value="${startNow}" inputmode="numeric" size="5" maxlength="5" ` +
    'pattern="([01]?[0-9]|2[0-3]):?[0-5][0-9]" placeholder="HH:MM" title="24-hour clock, HH:MM; ↑/↓ five minutes" autocomplete="off" required>' +
    '<button type="submit" id="move">Move</button></form>' +
    '<div class="actions">' +
    (parts.length ? `<button type="button" id="detail-pin" aria-pressed="${pinned}">${pinned ? 'Unpin' : 'Pin to carer'}</button>` +
      '<button type="button" id="detail-unassign">Un-assign</button>' : '') +
    '<button type="button" id="detail-close">Close</button></div>';
  box.hidden = false;
}

$('details').addEventListener('click', (e) => {
  const sel = state.selected;
  if (!sel) return;
  if (e.target.id === 'detail-pin') togglePin(sel.visit);
  else if (e.target.id === 'detail-unassign') timeline.h.onUnassign(sel.visit);
  else if (e.target.id === 'detail-close') {
    state.selected = null;
    render();
  }
});

// startField reads the Start field ("09:30", "9:30" or "0930") as
// seconds, or null.
function startField() {
  const m = /^([01]?\d|2[0-3]):?([0-5]\d)$/.exec($('move-start').value.trim());
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 : null;
}

$('details').addEventListener('submit', (e) => {
  e.preventDefault();
  const sel = state.selected;
  const t = startField();
  if (t === null) return; // the field's pattern says what it wants
  const v = state.index.visit(sel.visit);
  const served = state.plan.rounds.some((r) => r.stops.some((s) => s.visit === sel.visit));
  moveVisit({ visit: sel.visit, from: served ? sel.carer : null, carer: $('move-carer').value, date: v.date, t });
});

// Up and down in the Start field step five minutes, as a time input would.
$('details').addEventListener('keydown', (e) => {
  if (e.target.id !== 'move-start' || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
  const t = startField();
  if (t === null) return;
  e.preventDefault();
  const day = 24 * 3600;
  const next = (Math.round(t / 300) * 300 + (e.key === 'ArrowUp' ? 300 : -300) + day) % day;
  e.target.value = fmtClock(next);
});

function togglePin(visit) {
  if (state.pins.has(visit)) state.pins.delete(visit);
  else state.pins.add(visit);
  status(state.pins.has(visit) ? `Pinned ${visit}: re-optimising keeps its carer` : `Unpinned ${visit}`);
  render();
}

// ---- changes by hand ----

function moveVisit({ visit, from, carer, date, t }) {
  const start = fmtClock(t);
  change((skel) => place(state.index, skel, { visit, from, carer, date, t, start }), () => {
    state.starts.set(visit, start);
    state.selected = { visit, carer };
  });
}

/**
 * change edits the plan's skeleton and has the service time and check it.
 * edit answers an error sentence when the change cannot be made; after
 * runs once the change is accepted.
 */
async function change(edit, after) {
  if (!state.plan) return;
  if (state.busy) {
    status(`Wait: ${state.busy} is running`);
    return;
  }
  const skel = skeleton(state.instance, state.plan, state.starts);
  const err = edit(skel);
  if (err) {
    status(err, 'error');
    return;
  }
  const keep = new Map(state.starts);
  if (after) after();
  clearProblem();
  setBusy('evaluate');
  status('Timing the change…');
  try {
    // The starts asked for, including this change's.
    for (const r of skel) for (const v of r.visits) v.start = state.starts.get(v.visit);
    const res = await api.evaluate(state.instance, evaluateRounds(state.instance, skel));
    setBusy('');
    await setPlan(res.plan, { violations: res.violations || [] });
    const n = state.violations.length;
    status(n ? `${n} rule${n === 1 ? '' : 's'} broken` : 'The change keeps every rule', n ? 'warn' : '');
  } catch (err) {
    state.starts = keep;
    setBusy('');
    showProblem(err, 'The change');
    render();
  }
}

// ---- view ----

function setView(view, draw = true) {
  state.view = view;
  $('view-day').setAttribute('aria-pressed', String(view === 'day'));
  $('view-week').setAttribute('aria-pressed', String(view === 'week'));
  document.body.dataset.view = view;
  // The rows are laid out anew: their old scroll offset means nothing.
  document.querySelector('.timeline-scroll').scrollTop = 0;
  if (draw) render();
}

$('view-day').addEventListener('click', () => setView('day'));
$('view-week').addEventListener('click', () => setView('week'));
$('date').addEventListener('change', (e) => {
  state.date = e.target.value;
  render();
});

// The timeline follows the width of its panel.
let resizeTimer = 0;
new ResizeObserver(() => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(render, 80);
}).observe(document.querySelector('.timeline-scroll'));

// ---- export ----

for (const b of document.querySelectorAll('button.export')) {
  b.addEventListener('click', async () => {
    const format = b.dataset.format;
    // Run sheets are of one day: the one shown.
    const date = format.startsWith('runsheets') && state.instance.period ? state.date : '';
    $('export').open = false;
    status(`Exporting ${b.textContent}…`);
    try {
      const { blob, filename } = await api.exportPlan(state.instance, state.plan, format, date);
      download(blob, filename, 'Exported');
    } catch (err) {
      showProblem(err, 'Export');
    }
  });
}

controls();
setView('day', false);
document.body.dataset.ready = '1';
