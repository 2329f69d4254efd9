// figures.js: the plan's key figures, as the plan states them (kpis and
// period_kpis): served, travel share, paid time, lateness, continuity per
// client, and hours per carer against contract.

import { esc, fmtHM, clockS, roundDate, addDays } from './model.js';

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const hours = (s) => (s / 3600).toFixed(1);

/**
 * renderFigures fills el with the figures of plan. m holds index, plan and
 * dates (the dates shown: the hours are of their week).
 */
export function renderFigures(el, m) {
  const { index, plan } = m;
  const k = plan.kpis;
  const period = !!index.inst.period;
  const out = [];
  if (k) {
    const served = k.visits ? k.visits_served / k.visits : 0;
    out.push(`<h3>Key figures${period ? ' <span class="scope">whole period</span>' : ''}</h3><dl class="tiles">`);
    const tile = (id, label, value, note) =>
      out.push(`<div class="tile" data-testid="kpi-${id}"><dt>${label}</dt><dd>${value}${note ? `<small>${note}</small>` : ''}</dd></div>`);
    tile('served', 'Served', `${k.visits_served} / ${k.visits}`, pct(served));
    tile('travel-share', 'Travel share', pct(k.travel_share), `${fmtHM(k.travel_s)} travel`);
    tile('paid', 'Paid time', fmtHM(k.paid_s), `${k.carers_used} carers`);
    tile('lateness', 'Lateness', `${k.late_visits} late`, k.lateness_s ? `${fmtHM(k.lateness_s)} in all` : 'none');
    out.push('</dl>');
  } else {
    out.push('<h3>Key figures</h3><p class="muted">The plan states no figures.</p>');
  }
  out.push(`<div class="figure-tables"><div>${hoursPerCarer(m)}</div><div>${continuity(m)}</div></div>`);
  el.innerHTML = out.join('');
}

// bar draws paid hours against a contract's minimum, target and maximum.
function bar(paid, min, target, max) {
  const W = 120;
  const top = Math.max(paid, max || 0, target || 0, min || 0, 1) * 1.1;
  const x = (h) => ((h / top) * W).toFixed(1);
  const under = min && paid < min;
  const over = max && paid > max;
  let s = `<svg class="bar" width="${W}" height="12" viewBox="0 0 ${W} 12" aria-hidden="true"><rect class="track" width="${W}" height="12" rx="2"/>`;
  if (min || max) s += `<rect class="band" x="${x(min || 0)}" width="${x((max || top) - (min || 0))}" height="12"/>`;
  s += `<rect class="paid${under || over ? ' off' : ''}" y="3" width="${x(paid)}" height="6" rx="1"/>`;
  if (target) s += `<line class="target" x1="${x(target)}" x2="${x(target)}" y1="0" y2="12"/>`;
  return s + '</svg>';
}

// hoursPerCarer lists each carer's paid hours: in a period, the week of
// the dates shown against the contract; in a day, the day's against the
// carer's maximum working time.
function hoursPerCarer(m) {
  const { index, plan, dates } = m;
  const rows = [];
  if (plan.period_kpis && plan.period_kpis.carer_weeks) {
    const weeks = plan.period_kpis.carer_weeks;
    // The week holding the first date shown.
    const w = weeks.find((cw) => cw.start <= dates[0] && dates[0] < addDays(cw.start, cw.days)) || weeks[0];
    const wk = w ? w.week : 1;
    for (const cw of weeks.filter((c) => c.week === wk)) {
      const paid = cw.paid_s / 3600;
      const range = [cw.contract_min_h, cw.contract_max_h].some((v) => v != null)
        ? `${cw.contract_min_h != null ? cw.contract_min_h : '0'}–${cw.contract_max_h != null ? cw.contract_max_h : '…'} h`
        : cw.contract_target_h != null ? `target ${cw.contract_target_h} h` : 'no contract';
      rows.push(`<tr data-testid="hours" data-carer="${esc(cw.carer)}"><th scope="row">${esc(index.carerName(cw.carer))}</th><td class="num">${paid.toFixed(1)} h</td>` +
        `<td>${bar(paid, cw.contract_min_h, cw.contract_target_h, cw.contract_max_h)}</td><td class="muted">${range}</td></tr>`);
    }
    const title = w ? `Hours in week ${wk} (from ${esc(w.start)}) against contract` : 'Hours against contract';
    return `<h3>${title}</h3><div class="scroll"><table class="figures"><tbody>${rows.join('')}</tbody></table></div>`;
  }
  const paid = new Map();
  for (const r of plan.rounds) {
    if (!dates.includes(roundDate(index.inst, r))) continue;
    let s = clockS(r.return) - clockS(r.departure);
    if (r.break) s -= clockS(r.break.end) - clockS(r.break.start);
    paid.set(r.carer, (paid.get(r.carer) || 0) + s);
  }
  for (const [id, c] of index.carers) {
    if (!paid.has(id)) continue;
    const h = paid.get(id) / 3600;
    const max = c.carer.max_working_min ? c.carer.max_working_min / 60 : null;
    rows.push(`<tr data-testid="hours" data-carer="${esc(id)}"><th scope="row">${esc(index.carerName(id))}</th><td class="num">${hours(paid.get(id))} h</td>` +
      `<td>${bar(h, null, null, max)}</td><td class="muted">${max ? `max ${max.toFixed(1)} h` : ''}</td></tr>`);
  }
  return `<h3>Hours per carer</h3><div class="scroll"><table class="figures"><tbody>${rows.join('') || '<tr><td class="muted">No rounds.</td></tr>'}</tbody></table></div>`;
}

// continuity lists each client's carers: the period's continuity of care
// index and share seen by regulars, or the carers seen in a day.
function continuity(m) {
  const { index, plan } = m;
  if (plan.period_kpis && plan.period_kpis.clients) {
    const rows = plan.period_kpis.clients.map((c) =>
      `<tr data-testid="continuity" data-client="${esc(c.client)}"><th scope="row">${esc(index.clientName(c.client))}</th>` +
      `<td class="num">${c.distinct_carers}</td><td class="num">${c.coc != null ? c.coc.toFixed(2) : '–'}</td>` +
      `<td class="num">${c.regular_share != null ? pct(c.regular_share) : '–'}</td></tr>`);
    return '<h3>Continuity per client</h3><div class="scroll"><table class="figures"><thead><tr><th>Client</th><th class="num">Carers</th>' +
      '<th class="num" title="Bice-Boxerman continuity of care index: 1 when one carer makes every visit">COC</th>' +
      `<th class="num">By regulars</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
  }
  const seen = new Map();
  for (const r of plan.rounds) {
    for (const s of r.stops) {
      if (!seen.has(s.client)) seen.set(s.client, new Set());
      seen.get(s.client).add(r.carer);
    }
  }
  const rows = [...seen].map(([c, set]) =>
    `<tr data-testid="continuity" data-client="${esc(c)}"><th scope="row">${esc(index.clientName(c))}</th><td class="num">${set.size}</td></tr>`);
  return '<h3>Continuity per client</h3><div class="scroll"><table class="figures"><thead><tr><th>Client</th><th class="num">Carers today</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table></div>`;
}
