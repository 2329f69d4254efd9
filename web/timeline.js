// timeline.js: the plan as a timeline, one row per carer and day.
//
// The day view has a row per carer working that day; the week view a group
// per carer with a lane per day. Each round is drawn as travel (a thin
// bar), waiting (hatched), its break (amber) and its visits (blocks in the
// carer's colour, outlined red when late). The partners of a double-handed
// visit are joined by a line; broken rules are red flags. The whole SVG is
// built as one string and set in one go, which keeps a 300-visit day well
// under a frame's work.
//
// Visits are dragged with pointer events: onto another carer's row (the
// row gives the carer and the drop point the start asked for), along
// their own row (a start), or onto the Unassigned row. The same moves are
// made from the keyboard: Alt+Up/Down to the row above or below,
// Alt+Left/Right a quarter of an hour earlier or later, Delete to
// un-assign, P to pin, Enter to show the visit.

import { clockS, fmtClock, esc, dayLabel, roundDate } from './model.js';

const LABEL_W = 200; // the label column: a name, its mode and two shifts
const RIGHT_PAD = 14;
const DAY_ROW = 38; // a carer's row in the day view
const GROUP_HEAD = 20; // a carer's name above their lanes in the week view
const LANE = 16; // one day's lane in the week view
const CHIP_H = 20;
const SNAP_S = 300; // drops snap to five minutes

const reasonText = (r) => String(r || '').replace(/_/g, ' ');

// clip shortens text to n characters, with an ellipsis.
const clip = (text, n) => (text.length > n ? text.slice(0, n - 1) + '…' : text);

export class Timeline {
  /**
   * svg is the rows' <svg>, axis the <svg> of the hour scale above it;
   * handlers are onSelect(visit, carer), onPin(visit), onUnassign(visit)
   * and onDrop({visit, from, carer, date, t}).
   */
  constructor(svg, axis, handlers) {
    this.svg = svg;
    this.axis = axis;
    this.h = handlers;
    this.rows = [];
    this.focusKey = null;
    this.listen();
  }

  /**
   * render draws the plan. m holds index (model.Index), plan, view ("day"
   * or "week"), dates (the dates shown), selected ({visit, carer} or
   * null), pins (a Set of visit ids) and flags (a Map from "i:k", round i
   * stop k of the plan, k -1 for the round, to the violations there).
   */
  render(m) {
    const { index, plan, dates } = m;
    const week = m.view === 'week';
    const W = Math.max(640, Math.floor(this.svg.parentElement.clientWidth));
    const shown = new Set(dates);

    // The rounds of each carer and date shown.
    const rounds = new Map();
    plan.rounds.forEach((r, i) => {
      const d = roundDate(index.inst, r);
      if (!shown.has(d)) return;
      const k = `${r.carer}|${d}`;
      if (!rounds.has(k)) rounds.set(k, []);
      rounds.get(k).push({ r, i });
    });

    // Rows: carers who work or have a round on a date shown.
    let t0 = Infinity;
    let t1 = -Infinity;
    const span = (a, b) => {
      t0 = Math.min(t0, a);
      t1 = Math.max(t1, b);
    };
    const groups = [];
    for (const c of index.inst.carers) {
      const lanes = [];
      for (const d of dates) {
        const shifts = index.shifts(c.id, d);
        const rs = rounds.get(`${c.id}|${d}`) || [];
        shifts.forEach((s) => span(s.start, s.end));
        rs.forEach(({ r }) => span(clockS(r.departure), clockS(r.return)));
        lanes.push({ date: d, shifts, rounds: rs });
      }
      if (week || lanes.some((l) => l.shifts.length || l.rounds.length)) groups.push({ carer: c, lanes });
    }
    if (!isFinite(t0)) {
      t0 = 7 * 3600;
      t1 = 21 * 3600;
    }
    t0 = Math.floor(t0 / 3600) * 3600;
    t1 = Math.max(Math.ceil(t1 / 3600) * 3600, t0 + 4 * 3600);
    const scale = (W - LABEL_W - RIGHT_PAD) / (t1 - t0);
    const x = (t) => LABEL_W + (t - t0) * scale;
    this.t0 = t0;
    this.scale = scale;

    const out = [];
    const rows = [];
    const ends = new Map(); // visit -> [{x, y}] for the partner links
    let y = 0;
    let nRounds = 0;
    let nVisits = 0;
    groups.forEach((g, gi) => {
      const id = g.carer.id;
      const info = index.carers.get(id);
      const name = esc(index.carerName(id));
      const gy = y;
      const height = week ? GROUP_HEAD + LANE * g.lanes.length + 4 : DAY_ROW;
      const nr = g.lanes.reduce((n, l) => n + l.rounds.length, 0);
      nRounds += nr;
      out.push(`<g class="carer" data-testid="carer" data-carer="${esc(id)}" data-rounds="${nr}">`);
      if (gi % 2) out.push(`<rect class="zebra" x="0" y="${gy}" width="${W}" height="${height}"/>`);
      out.push(`<rect class="swatch" x="8" y="${gy + (week ? 5 : 9)}" width="6" height="${week ? 10 : 20}" rx="2" fill="${info.colour}"/>`);
      out.push(`<text class="name" x="20" y="${gy + (week ? 14 : 18)}">${esc(clip(index.carerName(id), week ? 19 : 24))}<title>${name}</title></text>`);
      if (!week) {
        const sh = g.lanes[0].shifts.map((s) => `${fmtClock(s.start)}–${fmtClock(s.end)}`).join(', ');
        const sub = `${g.carer.mode}${sh ? ' · ' + sh : ''}`;
        out.push(`<text class="sub" x="20" y="${gy + 31}">${esc(clip(sub, 33))}<title>${esc(sub)}</title></text>`);
      } else {
        out.push(`<text class="sub" x="${LABEL_W - 8}" y="${gy + 14}" text-anchor="end">${esc(g.carer.mode)}</text>`);
      }
      g.lanes.forEach((lane, li) => {
        const ly = week ? gy + GROUP_HEAD + li * LANE : gy;
        const lh = week ? LANE : DAY_ROW;
        const top = week ? ly + 2 : ly + 8;
        const bh = week ? LANE - 4 : DAY_ROW - 16;
        rows.push({ y0: ly, y1: ly + lh, carer: id, date: lane.date });
        out.push(`<g class="row" data-testid="row" data-carer="${esc(id)}" data-date="${lane.date}" data-rounds="${lane.rounds.length}">`);
        if (week) out.push(`<text class="lane" x="${LABEL_W - 8}" y="${ly + 12}" text-anchor="end">${esc(dayLabel(lane.date))}</text>`);
        for (const s of lane.shifts) {
          out.push(`<rect class="shift" x="${x(s.start)}" y="${top - 2}" width="${(s.end - s.start) * scale}" height="${bh + 4}" rx="3"/>`);
        }
        for (const { r, i } of lane.rounds) {
          nVisits += r.stops.length;
          this.round(out, m, r, i, lane.date, info.colour, x, top, bh, week, ends);
        }
        const rf = lane.rounds.flatMap(({ i }) => m.flags.get(`${i}:-1`) || []);
        if (rf.length) out.push(flag(LABEL_W - 14, top + 2, rf, null, id));
        out.push('</g>');
      });
      out.push('</g>');
      y += height;
    });

    // Partners of a double-handed visit, joined where both are shown.
    for (const [visit, pts] of ends) {
      if (pts.length < 2) continue;
      const [a, b] = pts;
      out.push(`<g class="partner${week ? ' faint' : ''}" data-testid="partner" data-visit="${esc(visit)}"><line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}"/>` +
        `<circle cx="${a.x}" cy="${a.y}" r="2.5"/><circle cx="${b.x}" cy="${b.y}" r="2.5"/></g>`);
    }

    // The Unassigned row: each visit of the dates shown with its reason.
    const un = plan.unassigned.filter((u) => shown.has(index.visit(u.visit).date));
    const uy = y + 6;
    out.push(`<g class="unassigned" data-testid="unassigned-row" data-count="${un.length}">`);
    out.push(`<text class="name" x="20" y="${uy + 15}">Unassigned</text><text class="sub" x="20" y="${uy + 28}">${un.length} visit${un.length === 1 ? '' : 's'}</text>`);
    let cx = LABEL_W;
    let cy = uy + 4;
    for (const u of un) {
      const label = `${u.visit} · ${reasonText(u.reason)}`;
      const w = Math.ceil(label.length * 6.1) + 14;
      if (cx + w > W - RIGHT_PAD && cx > LABEL_W) {
        cx = LABEL_W;
        cy += CHIP_H + 4;
      }
      const v = index.visit(u.visit);
      const aria = `Unassigned visit ${u.visit} for ${index.clientName(v.client || '')}: ${reasonText(u.reason)}`;
      out.push(`<g class="chip${m.selected && m.selected.visit === u.visit ? ' selected' : ''}" data-testid="unassigned" data-visit="${esc(u.visit)}" data-date="${v.date}" data-reason="${esc(u.reason)}" data-x="${cx}" data-w="${w}" tabindex="0" role="button" aria-label="${esc(aria)}">` +
        `<title>${esc(u.detail || reasonText(u.reason))}</title><rect x="${cx}" y="${cy}" width="${w}" height="${CHIP_H}" rx="10"/>` +
        `<text x="${cx + 7}" y="${cy + 14}">${esc(label)}</text></g>`);
      cx += w + 6;
    }
    const uh = Math.max(40, cy + CHIP_H + 8 - uy);
    out.push(`<rect class="drop-band" x="0" y="${uy}" width="${W}" height="${uh}"/></g>`);
    this.unassignedBand = { y0: uy, y1: uy + uh };
    const H = uy + uh + 4;

    // Hour lines, put behind the rows below; their labels go on the axis
    // above the scrolling rows, so that they stay in sight.
    const step = scale * 3600 >= 48 ? 3600 : 7200;
    const grid = [];
    const tick = [];
    for (let t = t0; t <= t1; t += step) {
      grid.push(`<line class="hour" x1="${x(t)}" y1="0" x2="${x(t)}" y2="${y}"/>`);
      tick.push(`<line class="tick" x1="${x(t)}" y1="18" x2="${x(t)}" y2="24"/><text class="hour" x="${x(t)}" y="14" text-anchor="middle">${fmtClock(t)}</text>`);
    }

    this.rows = rows;
    this.svg.setAttribute('width', W);
    this.svg.setAttribute('height', H);
    this.svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    this.svg.dataset.rows = rows.length;
    this.svg.dataset.rounds = nRounds;
    this.svg.dataset.visits = nVisits;
    this.svg.dataset.view = m.view;
    // The time scale, for tests that drop a visit at a given time.
    this.svg.dataset.t0 = t0;
    this.svg.dataset.scale = scale;
    this.svg.dataset.labelW = LABEL_W;
    this.svg.innerHTML = `${defs}<g class="grid">${grid.join('')}</g>${out.join('')}<g class="overlay"></g>`;
    this.axis.setAttribute('width', W);
    this.axis.setAttribute('height', 26);
    this.axis.setAttribute('viewBox', `0 0 ${W} 26`);
    this.axis.innerHTML = `<line class="base" x1="${LABEL_W}" y1="24" x2="${W - RIGHT_PAD}" y2="24"/>${tick.join('')}`;

    if (this.focusKey) {
      const [v, c] = this.focusKey;
      const sel = `[data-visit="${CSS.escape(v)}"]${c ? `[data-carer="${CSS.escape(c)}"]` : ''}`;
      const el = this.svg.querySelector(sel);
      if (el) el.focus();
      this.focusKey = null;
    }
  }

  // round draws one round's blocks into out.
  round(out, m, r, i, date, fill, x, top, bh, week, ends) {
    const { index } = m;
    const mid = top + bh / 2;
    const travel = (a, b) => {
      if (b > a) out.push(`<rect class="travel" x="${x(a)}" y="${mid - 2}" width="${(b - a) * this.scale}" height="4"/>`);
    };
    r.stops.forEach((s) => {
      const arr = clockS(s.arrival);
      travel(arr - s.travel_s, arr);
      if (s.waiting_s > 0) out.push(`<rect class="wait" x="${x(arr)}" y="${top + 3}" width="${s.waiting_s * this.scale}" height="${bh - 6}"/>`);
    });
    travel(clockS(r.return) - r.return_travel_s, clockS(r.return));
    if (r.break) {
      const a = clockS(r.break.start);
      const b = clockS(r.break.end);
      out.push(`<rect class="break" x="${x(a)}" y="${top}" width="${(b - a) * this.scale}" height="${bh}" rx="2"><title>Break ${fmtClock(a)}–${fmtClock(b)}</title></rect>`);
    }
    r.stops.forEach((s, k) => {
      const a = clockS(s.start);
      const b = clockS(s.end);
      const x0 = x(a);
      const w = Math.max(3, (b - a) * this.scale);
      const v = index.visit(s.visit);
      const pinned = m.pins.has(s.visit);
      const sel = m.selected && m.selected.visit === s.visit && (!m.selected.carer || m.selected.carer === r.carer);
      const late = s.lateness_s > 0;
      const client = index.clientName(s.client);
      const cls = `visit${late ? ' late' : ''}${pinned ? ' pinned' : ''}${sel ? ' selected' : ''}`;
      const win = v.windows.map((wd) => `${fmtClock(wd.start)}–${fmtClock(wd.end)}`).join(', ');
      const lines = [
        `${client} · visit ${s.visit}`,
        `${fmtClock(a)}–${fmtClock(b)}${win ? ` (window ${win})` : ''}`,
        `${index.carerName(r.carer)}${s.partner ? ` with ${index.carerName(s.partner)}` : ''}`,
      ];
      if (late) lines.push(`late by ${Math.round(s.lateness_s / 60)} min`);
      if (s.waiting_s > 0) lines.push(`waits ${Math.round(s.waiting_s / 60)} min`);
      if (pinned) lines.push('pinned');
      const aria = `${client}, ${fmtClock(a)} to ${fmtClock(b)}, ${index.carerName(r.carer)}${pinned ? ', pinned' : ''}${late ? ', late' : ''}`;
      out.push(`<g class="${cls}" data-testid="visit" data-visit="${esc(s.visit)}" data-carer="${esc(r.carer)}" data-date="${date}" data-round="${i}" data-stop="${k}" ` +
        `data-start="${a}" data-x="${x0}" data-w="${w}" tabindex="0" role="button" aria-label="${esc(aria)}">` +
        `<title>${esc(lines.join('\n'))}</title><rect x="${x0}" y="${top}" width="${w}" height="${bh}" rx="3" fill="${fill}"/>`);
      const pinShown = !week && (w >= 18 || pinned);
      if (!week) {
        // The pin shows over the label's end only when pinned (or pointed at).
        const room = Math.floor((w - 8 - (pinned ? 12 : 0)) / 6.2);
        if (room >= 3) out.push(`<text class="vlabel" x="${x0 + 5}" y="${top + bh / 2 + 4}">${esc(clip(client, room))}</text>`);
      }
      if (pinShown) {
        const px = x0 + w - 8;
        out.push(`<g class="pin" data-testid="pin" data-pin="1" role="button" aria-pressed="${pinned}" aria-label="Pin ${esc(s.visit)}">` +
          `<title>${pinned ? 'Pinned: re-optimising keeps this carer. Click to unpin.' : 'Pin to this carer'}</title>` +
          `<circle cx="${px}" cy="${top + 7}" r="4.5"/></g>`);
      } else if (pinned) {
        out.push(`<circle class="pin-dot" cx="${x0 + w - 3}" cy="${top + 3}" r="2.5"/>`);
      }
      out.push('</g>');
      const fl = m.flags.get(`${i}:${k}`);
      if (fl) out.push(flag(x0 + w + 1, top, fl, s.visit, r.carer));
      if (s.partner) {
        if (!ends.has(s.visit + '|' + date)) ends.set(s.visit + '|' + date, []);
        ends.get(s.visit + '|' + date).push({ x: x0 + 2, y: mid });
      }
    });
  }

  // point is a pointer event's position in the SVG.
  point(e) {
    const b = this.svg.getBoundingClientRect();
    return { x: e.clientX - b.left, y: e.clientY - b.top };
  }

  // rowAt is the row, or the Unassigned band, at height y.
  rowAt(y) {
    const u = this.unassignedBand;
    if (u && y >= u.y0 && y < u.y1) return { unassigned: true, y0: u.y0, y1: u.y1 };
    return this.rows.find((r) => y >= r.y0 && y < r.y1) || null;
  }

  timeAt(px) {
    const t = this.t0 + (px - LABEL_W) / this.scale;
    return Math.round(t / SNAP_S) * SNAP_S;
  }

  listen() {
    const svg = this.svg;
    let drag = null;
    const overlay = () => svg.querySelector('.overlay');
    const end = () => {
      if (!drag) return;
      if (drag.ghost) {
        drag.ghost.remove();
        drag.target.remove();
        drag.g.classList.remove('dragging');
      }
      drag = null;
    };
    svg.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || e.target.closest('[data-pin]')) return;
      const g = e.target.closest('[data-visit]');
      if (!g) return;
      const p = this.point(e);
      drag = { g, x0: p.x, y0: p.y, grab: p.x - Number(g.dataset.x), w: Number(g.dataset.w), pointer: e.pointerId };
      svg.setPointerCapture(e.pointerId);
      e.preventDefault();
      g.focus({ preventScroll: true });
    });
    svg.addEventListener('pointermove', (e) => {
      if (!drag || e.pointerId !== drag.pointer) return;
      const p = this.point(e);
      if (!drag.ghost) {
        if (Math.hypot(p.x - drag.x0, p.y - drag.y0) < 4) return;
        const ns = 'http://www.w3.org/2000/svg';
        drag.target = document.createElementNS(ns, 'rect');
        drag.target.setAttribute('class', 'drop-target');
        drag.ghost = document.createElementNS(ns, 'rect');
        drag.ghost.setAttribute('class', 'ghost');
        drag.ghost.setAttribute('width', drag.w);
        drag.ghost.setAttribute('height', 18);
        drag.ghost.setAttribute('rx', 3);
        overlay().append(drag.target, drag.ghost);
        drag.g.classList.add('dragging');
      }
      drag.ghost.setAttribute('x', p.x - drag.grab);
      drag.ghost.setAttribute('y', p.y - 9);
      const row = this.rowAt(p.y);
      drag.target.setAttribute('visibility', row ? 'visible' : 'hidden');
      if (row) {
        drag.target.setAttribute('x', 0);
        drag.target.setAttribute('y', row.y0);
        drag.target.setAttribute('width', svg.getAttribute('width'));
        drag.target.setAttribute('height', row.y1 - row.y0);
      }
    });
    svg.addEventListener('pointerup', (e) => {
      if (!drag || e.pointerId !== drag.pointer) return;
      const d = drag;
      const moved = !!d.ghost;
      end();
      const visit = d.g.dataset.visit;
      const from = d.g.dataset.carer || null;
      if (!moved) {
        this.h.onSelect(visit, from);
        return;
      }
      const p = this.point(e);
      const row = this.rowAt(p.y);
      if (!row) return;
      if (row.unassigned) {
        if (from !== null) this.h.onUnassign(visit);
        return;
      }
      this.h.onDrop({ visit, from, carer: row.carer, date: row.date, t: this.timeAt(p.x - d.grab) });
    });
    svg.addEventListener('pointercancel', end);
    svg.addEventListener('click', (e) => {
      const pin = e.target.closest('[data-pin]');
      if (pin) this.h.onPin(pin.closest('[data-visit]').dataset.visit);
    });
    svg.addEventListener('keydown', (e) => {
      const g = e.target.closest('[data-visit]');
      if (!g) return;
      const visit = g.dataset.visit;
      const from = g.dataset.carer || null;
      const start = Number(g.dataset.start || 0);
      const here = this.rows.findIndex((r) => r.carer === from && r.date === g.dataset.date);
      const step = (dir) => {
        // The next row on the same date, above or below.
        for (let j = (here < 0 ? (dir < 0 ? this.rows.length : -1) : here) + dir; j >= 0 && j < this.rows.length; j += dir) {
          if (this.rows[j].date === g.dataset.date) return this.rows[j];
        }
        return null;
      };
      let done = true;
      if (e.key === 'Enter' || e.key === ' ') this.h.onSelect(visit, from);
      else if ((e.key === 'p' || e.key === 'P') && from) this.h.onPin(visit);
      else if ((e.key === 'Delete' || e.key === 'Backspace') && from) this.h.onUnassign(visit);
      else if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
        const row = step(e.key === 'ArrowUp' ? -1 : 1);
        if (row) {
          this.focusKey = [visit, row.carer];
          this.h.onDrop({ visit, from, carer: row.carer, date: row.date, t: from ? start : this.timeAt(LABEL_W + 1) });
        }
      } else if (e.altKey && from && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
        this.focusKey = [visit, from];
        this.h.onDrop({ visit, from, carer: from, date: g.dataset.date, t: start + (e.key === 'ArrowLeft' ? -900 : 900) });
      } else done = false;
      if (done) {
        if (!this.focusKey) this.focusKey = [visit, from];
        e.preventDefault();
      }
    });
  }
}

// flag draws a red flag at (x, y) for the violations vs, with their
// messages on hover.
function flag(x, y, vs, visit, carer) {
  const msg = vs.map((v) => v.message).join('\n');
  return `<g class="flag" data-testid="flag" data-path="${esc(vs[0].path)}"${visit ? ` data-visit="${esc(visit)}"` : ''} data-carer="${esc(carer)}">` +
    `<title>${esc(msg)}</title><line x1="${x + 1}" y1="${y + 14}" x2="${x + 1}" y2="${y - 4}"/>` +
    `<path d="M${x + 1.5} ${y - 4} L${x + 10} ${y} L${x + 1.5} ${y + 4} Z"/></g>`;
}

// defs are the hatchings of waiting and breaks.
const defs = `<defs>
<pattern id="hatch-wait" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eef2f7"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c3cdd8" stroke-width="2"/></pattern>
<pattern id="hatch-break" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="6" height="6" fill="#fdf0c8"/><line x1="0" y1="0" x2="0" y2="6" stroke="#e2b33c" stroke-width="2"/></pattern>
</defs>`;
