// localities.js: the commissioner's localities. It holds a district's
// demand and its boundary options (uploaded as GeoJSON, or proposed by the
// service for a few numbers of localities), sends them to the service to
// be sized (POST /v1/localities/evaluate and /propose, jobs with progress
// and cancel), and shows the answer: a map of the option chosen, its
// localities coloured by a figure, and every option side by side in one
// table. No figure is worked out here but the table's sums and means.

import * as api from './api.js';
import { esc } from './model.js';
import { askKey } from './keydialog.js';
import { status, showProblem, clearProblem, progress, followJob, busySetter, download } from './page.js';
import { DistrictMap, Scale, FIGURES, figureValue } from './districtmap.js';

const $ = (id) => document.getElementById(id);

// The most options one evaluation takes, and numbers of localities one
// proposal (as the service bounds them).
const MAX_OPTIONS = 6;
const MAX_KS = 8;

/** state is what the page shows; read by the browser test. */
const state = {
  district: null,
  // Each option: {name, label, kind: "uploaded"|"proposal", boundaries
  // (GeoJSON), evaluated, rows, max_over_min, cv, warnings, k, method,
  // balanced}, in the order they came.
  options: [],
  shown: null, // the name of the option on the map
  figure: 'weekly_hours',
  job: null,
  busy: '',
  answers: {}, // walkable_k and viable_k of the last proposal
};
window.roundsLocalities = state;

const map = new DistrictMap($('lmap'), $('lmap-tip'));

// ---- busy ----

// setBusy marks what the page is busy with ('' for nothing).
const setBusy = busySetter(state, controls);

// controls enables what can be done now.
function controls() {
  const idle = !state.busy;
  const uploaded = state.options.filter((o) => o.kind === 'uploaded');
  $('evaluate').disabled = !idle || !state.district || uploaded.length === 0;
  $('propose').disabled = !idle || !state.district;
  $('demand-btn').disabled = !idle;
  const shown = option(state.shown);
  $('download-geojson').disabled = !shown;
  $('download-csv').disabled = !state.options.some((o) => o.evaluated);
  $('option').disabled = state.options.length === 0;
}

api.onUnauthorised(askKey);

const option = (name) => state.options.find((o) => o.name === name) || null;

// ---- the district ----

async function setDistrict(d, source) {
  if (!d || !Array.isArray(d.clients) || d.clients.length === 0) {
    showProblem(new Error(`${source} holds no clients: want a district {name, clients: [...]}`), 'Open district');
    return;
  }
  clearProblem();
  state.district = d;
  // Figures were of the district before; uploaded boundaries still apply.
  state.options = state.options.filter((o) => o.kind === 'uploaded').map((o) => ({ ...o, evaluated: false, rows: null, warnings: [], boundaries: o.uploaded }));
  state.answers = {};
  if (!option(state.shown)) state.shown = state.options.length ? state.options[0].name : null;
  document.body.classList.add('has-district');
  const hours = d.clients.reduce((h, c) => h + (c.weekly_hours || 0), 0);
  $('district-name').textContent = `${d.name || 'District'} · ${d.clients.length.toLocaleString('en-GB')} clients · ${Math.round(hours).toLocaleString('en-GB')} h a week`;
  status(`Loaded ${d.clients.length} clients from ${source}`);
  await reframe();
  render();
}

// reframe fits the map to the district and every option.
async function reframe() {
  if (!state.district) return;
  await map.setBounds(state.district.clients, state.options.map((o) => o.boundaries));
}

$('demand-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData();
  const demand = $('demand-csv').files[0];
  if (!demand) {
    showProblem(new Error('choose the demand CSV file'), 'Load demand');
    return;
  }
  form.append('demand', demand, demand.name);
  const pc = $('demand-postcodes').files[0];
  if (pc) form.append('postcodes', pc, pc.name);
  if ($('demand-name').value.trim()) form.append('name', $('demand-name').value.trim());
  setBusy('demand');
  status('Reading the demand…');
  try {
    const d = await api.localitiesDemand(form);
    $('demand').open = false;
    await setDistrict(d, demand.name);
  } catch (err) {
    showProblem(err, 'Load demand');
  } finally {
    setBusy('');
  }
});

$('district-json').addEventListener('change', async (e) => {
  const f = e.target.files[0];
  e.target.value = '';
  if (!f) return;
  try {
    await setDistrict(JSON.parse(await f.text()), f.name);
  } catch (err) {
    showProblem(err, `Open ${f.name}`);
  }
});

// ---- boundary options ----

$('boundary-files').addEventListener('change', async (e) => {
  const files = [...e.target.files];
  e.target.value = '';
  clearProblem();
  for (const f of files) {
    const name = f.name.replace(/\.(geo)?json$/i, '');
    let fc;
    try {
      fc = JSON.parse(await f.text());
    } catch (err) {
      showProblem(new Error(`${f.name}: not JSON (${err.message})`), 'Upload boundaries');
      return;
    }
    if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
      showProblem(new Error(`${f.name}: want a GeoJSON FeatureCollection of the localities' polygons`), 'Upload boundaries');
      return;
    }
    const o = { name, label: name, kind: 'uploaded', uploaded: fc, boundaries: fc, evaluated: false, rows: null, warnings: [] };
    const i = state.options.findIndex((x) => x.name === name);
    if (i >= 0) state.options[i] = o;
    else state.options.push(o);
    state.shown = name;
  }
  const n = state.options.filter((o) => o.kind === 'uploaded').length;
  status(`${n} boundary option${n === 1 ? '' : 's'} to evaluate`);
  await reframe();
  render();
});

function iterations() {
  const v = $('iterations').value.trim();
  return v ? Number(v) : undefined;
}

$('evaluate').addEventListener('click', async () => {
  const uploaded = state.options.filter((o) => o.kind === 'uploaded');
  if (uploaded.length > MAX_OPTIONS) {
    showProblem(new Error(`${uploaded.length} boundary options; the service evaluates at most ${MAX_OPTIONS} at once`), 'Evaluate');
    return;
  }
  const body = { district: state.district, options: uploaded.map((o) => ({ name: o.name, boundaries: o.uploaded })), iterations: iterations() };
  const res = await runJob('Evaluate', () => api.evaluateLocalities(body));
  if (!res) return;
  for (const r of res.options) {
    const o = option(r.name);
    if (!o) continue;
    Object.assign(o, { evaluated: true, rows: r.rows, max_over_min: r.max_over_min, cv: r.cv, warnings: r.warnings || [], boundaries: r.boundaries });
  }
  if (!option(state.shown) || !option(state.shown).evaluated) state.shown = res.options[0] && res.options[0].name;
  status(`Evaluated ${res.options.length} option${res.options.length === 1 ? '' : 's'}`);
  render();
});

// parseKs reads "6, 10, 35" as numbers of localities.
function parseKs(text) {
  const ks = text.split(/[\s,;]+/).filter(Boolean).map(Number);
  if (!ks.length || ks.some((k) => !Number.isInteger(k) || k < 1 || k > 200)) {
    throw new Error(`“${text}”: want whole numbers of localities from 1 to 200, separated by commas`);
  }
  if (ks.length > MAX_KS) throw new Error(`${ks.length} numbers of localities; at most ${MAX_KS} at once`);
  return [...new Set(ks)];
}

const methodLabel = { azp: 'region growing', kmeans: 'k-means' };

/** The most bands and proposals one job takes (api/localities.go). */
const MAX_BANDS = 4;
const MAX_PROPOSALS = 16;

/** parseBands reads "10, 30, 100" (percent) as shares of the mean. */
function parseBands(text) {
  const pcs = text.split(/[\s,;%±]+/).filter(Boolean).map(Number);
  if (!pcs.length || pcs.some((p) => !Number.isFinite(p) || p < 1 || p > 100)) {
    throw new Error(`“${text}”: want bands in percent from 1 to 100, separated by commas`);
  }
  if (new Set(pcs).size !== pcs.length) throw new Error(`“${text}”: a band is given twice`);
  if (pcs.length > MAX_BANDS) throw new Error(`${pcs.length} bands; at most ${MAX_BANDS} at once`);
  return pcs.map((p) => p / 100);
}

/** methodText names a proposal's method, with its band when it has one of several. */
function methodText(p, banded) {
  const m = methodLabel[p.method] || p.method;
  return banded && p.method === 'azp' ? `${m} ±${Math.round(1000 * p.tolerance) / 10}%` : m;
}

$('propose').addEventListener('click', async () => {
  let k;
  let bands;
  try {
    k = parseKs($('propose-k').value);
    bands = parseBands($('propose-bands').value);
    const n = k.length * (bands.length + 1);
    if (n > MAX_PROPOSALS) {
      throw new Error(`${k.length} numbers of localities, each proposed ${bands.length + 1} ways, make ${n} proposals; at most ${MAX_PROPOSALS} at once`);
    }
  } catch (err) {
    showProblem(err, 'Propose');
    return;
  }
  const body = { district: state.district, k, method: 'both', tolerance: bands.length > 1 ? bands : bands[0], iterations: iterations() };
  const res = await runJob('Propose', () => api.proposeLocalities(body));
  if (!res) return;
  let first = null;
  for (const p of res.proposals) {
    const name = p.name || `k${String(p.k).padStart(2, '0')}-${p.method}`;
    const method = methodText(p, bands.length > 1);
    const o = {
      name, label: `${p.k} localities, ${method}`, kind: 'proposal', k: p.k, method: p.method, methodText: method,
      boundaries: p.boundaries, evaluated: !!p.rows, rows: p.rows || null, max_over_min: p.max_over_min, cv: p.cv,
      warnings: p.warnings || [], balanced: p.balanced,
    };
    const i = state.options.findIndex((x) => x.name === name);
    if (i >= 0) state.options[i] = o;
    else state.options.push(o);
    first = first || name;
  }
  state.answers = { walkable_k: res.walkable_k, viable_k: res.viable_k };
  if (first) state.shown = first;
  const walk = res.walkable_k ? `; every locality walkable from k = ${res.walkable_k}` : '';
  status(`${res.proposals.length} proposals${walk}`);
  await reframe();
  render();
});

// ---- jobs ----

// runJob submits a localities job and follows it; it answers the job's
// result, or null when it failed or was cancelled.
async function runJob(what, start) {
  clearProblem();
  setBusy(what);
  progress('running', 0, 'Queued');
  let job;
  try {
    job = await start();
    state.job = job.id;
    document.body.dataset.job = job.id;
    $('cancel').hidden = false;
    job = await followJob(job, 300, (j) => {
      const p = j.progress && j.progress.localities;
      if (!p || !p.total) return null;
      const of = p.option ? ` · ${p.option}` : '';
      return [Math.min(0.99, p.done / p.total), `${p.done} of ${p.total} localities · ${p.solves} solves${of}`];
    });
  } catch (err) {
    progress('failed', 0, 'Failed');
    showProblem(err, what);
    return null;
  } finally {
    $('cancel').hidden = true;
    setBusy('');
  }
  if (job.status !== 'done' || !job.result) {
    progress(job.status, 0, job.status === 'cancelled' ? 'Cancelled' : 'Failed');
    if (job.status === 'failed') showProblem(new Error(job.error || 'the job failed'), what);
    else status(`${what}: cancelled`);
    return null;
  }
  const p = job.progress && job.progress.localities;
  progress('done', 1, p ? `Done: ${p.total} localities, ${p.solves} solves` : 'Done');
  return job.result;
}

$('cancel').addEventListener('click', async () => {
  if (!state.job) return;
  try {
    await api.cancelJob(state.job);
    status('Cancelling…');
  } catch (err) {
    showProblem(err, 'Cancel');
  }
});

// ---- showing ----

$('option').addEventListener('change', () => {
  state.shown = $('option').value;
  render();
});

$('figure').addEventListener('change', () => {
  state.figure = $('figure').value;
  render();
});

// localityRows are an option's rows but the unallocated one.
const localityRows = (o) => (o.rows || []).filter((r) => !r.unallocated);

// scale colours the figure up to the largest of the option shown: the
// legend gives its range, and the table compares the options.
function scale(o) {
  return new Scale(state.figure, o ? localityRows(o).map((r) => figureValue(r, state.figure)) : []);
}

function render() {
  const sel = $('option');
  sel.replaceChildren(...state.options.map((o) => {
    const el = document.createElement('option');
    el.value = o.name;
    el.textContent = o.evaluated ? o.label : `${o.label} (not evaluated)`;
    el.selected = o.name === state.shown;
    return el;
  }));
  const o = option(state.shown);
  const sc = scale(o);
  sc.legend($('legend'), !o || !o.evaluated || localityRows(o).some((r) => figureValue(r, state.figure) === null));
  if (state.district) {
    map.draw({ fc: o ? o.boundaries : null, option: o ? o.name : '', clients: state.district.clients, figure: state.figure, scale: sc });
  }
  renderSummary();
  renderCompare();
  renderWarnings();
  controls();
}

// ---- the tables ----

const fmtN = (v, dp = 0) => (typeof v === 'number' && Number.isFinite(v) ? v.toLocaleString('en-GB', { minimumFractionDigits: dp, maximumFractionDigits: dp }) : '–');
const fmtPct = (v) => (typeof v === 'number' && Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–');
const yesNo = (v, extra = '') => (v ? `<span class="yes">yes${extra}</span>` : '<span class="no">no</span>');

/** summaryOf is an option's figures for the side-by-side table. */
export function summaryOf(o) {
  const rows = localityRows(o);
  const served = rows.filter((r) => r.clients > 0);
  const un = (o.rows || []).find((r) => r.unallocated);
  return {
    localities: o.evaluated ? rows.length : (o.boundaries.features || []).length,
    maxOverMin: o.max_over_min,
    cv: o.cv,
    carers: rows.reduce((n, r) => n + (r.carers_needed || 0), 0),
    travel: served.length ? served.reduce((s, r) => s + (r.travel_share || 0), 0) / served.length : null,
    walkable: rows.filter((r) => r.walkable).length,
    viable: rows.filter((r) => r.viable).length,
    unallocated: un ? un.clients : 0,
  };
}

function renderSummary() {
  const opts = state.options;
  const table = $('summary');
  if (!opts.length) {
    table.innerHTML = '';
    return;
  }
  const head = opts.map((o) => `<th scope="col" class="num${o.name === state.shown ? ' shown' : ''}">${esc(o.name)}<small>${esc(o.kind === 'proposal' ? o.methodText || methodLabel[o.method] || o.method : 'uploaded')}</small></th>`).join('');
  const sums = opts.map((o) => (o.evaluated ? summaryOf(o) : null));
  const line = (label, title, cell) => `<tr><th scope="row" title="${esc(title)}">${esc(label)}</th>${sums.map((s, i) => `<td class="num">${s ? cell(s, opts[i]) : '–'}</td>`).join('')}</tr>`;
  table.innerHTML = `<thead><tr><th scope="col">Option</th>${head}</tr></thead><tbody>` +
    line('Localities', 'localities with a polygon', (s) => fmtN(s.localities)) +
    line('Balance, max / min', 'the largest locality’s weekly hours over the smallest’s', (s) => (s.maxOverMin === null || s.maxOverMin === undefined ? '∞' : fmtN(s.maxOverMin, 2))) +
    line('Balance, CV', 'the coefficient of variation of the localities’ weekly hours', (s) => fmtN(s.cv, 2)) +
    line('Carers needed', 'the carers every locality’s representative day needs, together', (s) => fmtN(s.carers)) +
    line('Mean travel share', 'travel as a share of paid time, the mean over localities with clients', (s) => fmtPct(s.travel)) +
    line('Walkable', 'localities that walkers alone can serve', (s) => `${s.walkable} of ${s.localities}`) +
    line('Viable', 'localities whose weekly hours a provider can run', (s) => `${s.viable} of ${s.localities}`) +
    line('Clients in no locality', 'clients outside every polygon', (s) => (s.unallocated ? `<strong class="bad">${s.unallocated}</strong>` : '0')) +
    '</tbody>';
  table.dataset.options = opts.length;
}

// COLUMNS are the table's figures of a locality, as the CSV writes them
// too: [header, row field, format for the page].
const COLUMNS = [
  ['Clients', 'clients', (r) => fmtN(r.clients)],
  ['Weekly hours', 'weekly_hours', (r) => fmtN(r.weekly_hours)],
  ['Visits a day', 'visits_a_day', (r) => fmtN(r.visits_a_day)],
  ['Double-handed', 'double_share', (r) => fmtPct(r.double_share)],
  ['Carers needed', 'carers_needed', (r) => fmtN(r.carers_needed)],
  // The check of carers needed: one carer fewer leaves these unserved.
  ['One fewer leaves unserved', 'one_fewer_unserved', (r) => (r.one_fewer_unserved ? fmtN(r.one_fewer_unserved) : '–')],
  ['Headcount', 'headcount', (r) => fmtN(r.headcount)],
  ['Travel share', 'travel_share', (r) => fmtPct(r.travel_share)],
  ['km a week', 'km_a_week', (r) => fmtN(r.km_a_week)],
  ['CO₂ kg a week', 'co2_kg_a_week', (r) => fmtN(r.co2_kg_a_week)],
  ['Walkable', 'walkable', (r) => (r.unallocated ? '–' : yesNo(r.walkable, r.walkers_needed ? ` (${r.walkers_needed})` : ''))],
  ['Viable', 'viable', (r) => (r.unallocated ? '–' : yesNo(r.viable))],
  ['Compact\u00adness', 'compactness', (r) => (r.compactness ? r.compactness.toFixed(2) : '–')],
];

function renderCompare() {
  const table = $('compare');
  const opts = state.options;
  if (!opts.length) {
    table.innerHTML = '';
    return;
  }
  const head = `<thead><tr><th scope="col">Locality</th>${COLUMNS.map(([h]) => `<th scope="col" class="num">${esc(h)}</th>`).join('')}</tr></thead>`;
  const bodies = opts.map((o) => {
    const s = o.evaluated ? summaryOf(o) : null;
    const sub = s
      ? `balance ${s.maxOverMin === null || s.maxOverMin === undefined ? '∞' : s.maxOverMin.toFixed(2)} max/min, CV ${o.cv.toFixed(2)} · ${s.carers} carers · ${s.walkable} walkable, ${s.viable} viable of ${s.localities}`
      : 'not evaluated yet';
    const top = `<tr class="option-head"><th colspan="${COLUMNS.length + 1}" scope="rowgroup">${o.label !== o.name ? `<span class="name">${esc(o.name)}</span>` : ''}${esc(o.label)}<span class="sub">${esc(sub)}</span></th></tr>`;
    const rows = (o.rows || []).map((r) => {
      const cls = r.unallocated ? ' class="unallocated" data-testid="unallocated"' : ' data-testid="locality"';
      const name = r.unallocated ? 'In no locality' : r.name;
      const note = r.note ? ` title="${esc(r.note)}"` : '';
      return `<tr${cls} data-option="${esc(o.name)}" data-locality="${esc(r.name)}"><th scope="row"${note}>${esc(name)}</th>` +
        COLUMNS.map(([, , f]) => `<td class="num">${f(r)}</td>`).join('') + '</tr>';
    }).join('');
    return `<tbody data-option="${esc(o.name)}"${o.name === state.shown ? ' class="shown"' : ''}>${top}${rows}</tbody>`;
  }).join('');
  table.innerHTML = head + bodies;
}

function renderWarnings() {
  const el = $('warnings');
  const items = state.options.flatMap((o) => (o.warnings || []).map((w) => `<li><strong>${esc(o.name)}:</strong> ${esc(w)}</li>`));
  const a = state.answers;
  const notes = [];
  if (a.walkable_k) notes.push(`<li>Every locality is walkable from ${a.walkable_k} localities.</li>`);
  if (a.viable_k) notes.push(`<li>Every locality is viable at k = ${a.viable_k.join(', ')}.</li>`);
  el.innerHTML = items.length || notes.length ? `<h3>Warnings and answers</h3><ul>${notes.join('')}${items.join('')}</ul>` : '';
  el.dataset.count = items.length;
}

// ---- downloads ----

const save = (blob, filename) => download(blob, filename, 'Saved');

$('download-geojson').addEventListener('click', () => {
  const o = option(state.shown);
  if (!o) return;
  save(new Blob([JSON.stringify(o.boundaries)], { type: 'application/geo+json' }), `${o.name}.geojson`);
});

// csvCell quotes a CSV field where it needs to be.
const csvCell = (v) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** tableCSV is every evaluated option's rows, one line a locality. */
export function tableCSV() {
  const fields = ['clients', 'weekly_hours', 'visits_a_day', 'double_share', 'carers_needed', 'one_fewer_unserved', 'headcount', 'paid_hours_a_week',
    'travel_share', 'km_a_week', 'co2_kg_a_week', 'walkable', 'walkers_needed', 'viable', 'compactness'];
  const lines = [['option', 'locality', 'unallocated', ...fields, 'option_max_over_min', 'option_cv', 'note'].join(',')];
  for (const o of state.options.filter((x) => x.evaluated)) {
    for (const r of o.rows) {
      lines.push([o.name, r.name, !!r.unallocated, ...fields.map((f) => r[f] ?? ''), o.max_over_min ?? '', o.cv, r.note || ''].map(csvCell).join(','));
    }
  }
  return lines.join('\r\n') + '\r\n';
}

$('download-csv').addEventListener('click', () => {
  save(new Blob([tableCSV()], { type: 'text/csv' }), `${(state.district && state.district.name) || 'district'}-localities.csv`);
});

for (const [value, spec] of Object.entries(FIGURES)) {
  const o = [...$('figure').options].find((x) => x.value === value);
  if (o) o.textContent = spec.label;
}
render();
document.body.dataset.ready = '1';
