// map.js: the rounds on a map, drawn on a <canvas>.
//
// The projection (around the instance's places), the background (the
// streets of the service's OSM extract, or a plain grid) and the scale
// bar are basemap.js's. Rounds are polylines in their carer's colour
// from the carer's start through the stops to their end: solid for
// drivers, dashed for walkers. Stops are dots; hovering one shows its
// visits, clicking selects them.
//
// A plan made on the service's road network has its rounds drawn along
// the streets: once the plan is on screen, the map asks for its GeoJSON
// export (POST /v1/export), whose round lines follow the streets the
// search took, and draws those in place of the straight lines. The answer
// is kept per plan, and per round (by carer, travel and clients in order)
// so that a change by hand redraws the rounds it left alone along the
// streets at once. Until the answer comes, and if it fails, the lines are
// straight.

import * as api from './api.js';
import { BaseMap, boundsAround } from './basemap.js';
import { esc, fmtClock, clockS, roundDate } from './model.js';

const HIT_PX = 9;
// The rounds' lines kept from earlier plans, at most.
const MAX_KEPT_LINES = 4000;

// dashes by mode: walkers dashed, cyclists dash-dot, public transport
// dotted, drivers solid.
const dashes = { walk: [7, 5], cycle: [9, 4, 2, 4], public: [2, 4], drive: [] };

const highwayWidth = (f) => {
  const h = (f.properties && f.properties.highway) || '';
  if (/^(motorway|trunk|primary)/.test(h)) return 2.4;
  if (/^(secondary|tertiary)/.test(h)) return 1.8;
  if (/^(footway|path|cycleway|steps|pedestrian|track|bridleway)/.test(h)) return 0.7;
  return 1.1;
};

export class MapView extends BaseMap {
  /** canvas is the map, tip the hover box; onSelect(visit) on a click. */
  constructor(canvas, tip, onSelect) {
    super(canvas, tip, { pad: 22, streetWidth: highwayWidth, streetJoin: 'round', gridColour: '#e6e9ed', scaleFill: 'rgba(255, 255, 255, .8)', minScale: 50 });
    this.onSelect = onSelect;
    this.hits = [];
    // Whether the service has a road network: a promise, answered with
    // the streets.
    this.network = Promise.resolve(false);
    // plan -> {state: "loading"|"done"|"failed"|"none", lines: Map(round
    // index -> [[lon, lat], ...])}, the rounds that follow the streets.
    this.ways = new WeakMap();
    // round key -> its line along the streets, from earlier plans.
    this.kept = new Map();
    canvas.addEventListener('click', (e) => {
      const h = this.hit(e);
      if (h) this.onSelect(h.stops[0].visit, h.stops[0].carer);
    });
  }

  /**
   * setInstance frames the instance's places and asks the service for the
   * streets around them.
   */
  async setInstance(index) {
    const pts = [];
    for (const c of index.inst.clients) pts.push([c.location.lon, c.location.lat]);
    for (const c of index.inst.carers) {
      pts.push([c.start.lon, c.start.lat]);
      if (c.end) pts.push([c.end.lon, c.end.lat]);
    }
    // A margin of a twentieth, and at least some 100 m, around the places.
    this.bounds = boundsAround(pts, 0.05);
    this.kept.clear();
    const asked = api.streets(this.bounds);
    // A refusal (too large an area) still means a network to route on.
    this.network = asked.then((a) => a.network, () => true);
    await this.loadStreets(asked);
  }

  /**
   * followStreets asks the service for the plan's rounds along the
   * streets, once per plan, and redraws when they come if the plan is
   * still on screen. Call it after the plan is drawn: the straight lines
   * show meanwhile.
   */
  async followStreets(instance, plan) {
    if (this.ways.has(plan)) return;
    const ways = { state: 'loading', lines: new Map() };
    this.ways.set(plan, ways);
    const shown = () => this.last && this.last.plan === plan;
    if (shown()) this.canvas.dataset.streetState = ways.state;
    if (!plan.rounds.length || !(await this.network)) {
      ways.state = 'none'; // straight-line travel: nothing to ask
      if (shown()) this.canvas.dataset.streetState = ways.state;
      return;
    }
    try {
      const fc = await api.roundLines(instance, plan);
      for (const f of fc.features || []) {
        const p = f.properties || {};
        if (p.kind !== 'round' || p.path !== 'streets' || !f.geometry || f.geometry.type !== 'LineString') continue;
        const r = plan.rounds[p.round];
        if (!r) continue;
        ways.lines.set(p.round, f.geometry.coordinates);
        this.keep(roundKey(plan, r), f.geometry.coordinates);
      }
      ways.state = 'done';
    } catch {
      ways.state = 'failed'; // the straight lines stay
    }
    if (shown()) this.draw(this.last);
  }

  // keep remembers a round's line along the streets for later plans.
  keep(key, line) {
    if (this.kept.size >= MAX_KEPT_LINES) this.kept.clear();
    this.kept.set(key, line);
  }

  // wayOf is round i's line along the streets, if known: the plan's own,
  // or that of the same round in an earlier plan on the same travel.
  wayOf(plan, r, i) {
    const ways = this.ways.get(plan);
    if (ways && ways.lines.has(i)) return ways.lines.get(i);
    if (ways && (ways.state === 'done' || ways.state === 'none')) return null;
    return this.kept.get(roundKey(plan, r)) || null;
  }

  /**
   * draw shows the plan's rounds on the dates shown. m holds index, plan,
   * dates, selected, flags (as the timeline's) and colours by carer id.
   */
  draw(m) {
    const g = this.begin(m);
    if (!g) return;
    const { index, plan } = m;
    const shown = new Set(m.dates);
    const byPoint = new Map(); // "x,y" -> hit target
    let paths = 0;
    let streetPaths = 0;
    let flags = 0;
    const flagAt = [];

    // Clients of unassigned visits: grey rings.
    for (const u of plan.unassigned) {
      const v = index.visit(u.visit);
      const loc = index.clientLocation(v.client);
      if (!loc || !shown.has(v.date)) continue;
      const [x, y] = this.xy(loc.lon, loc.lat);
      g.beginPath();
      g.arc(x, y, 5, 0, 2 * Math.PI);
      g.lineWidth = 2;
      g.strokeStyle = '#7b8794';
      g.stroke();
      this.addHit(byPoint, x, y, { visit: u.visit, carer: null, client: v.client, text: `unassigned: ${u.reason.replace(/_/g, ' ')}` });
    }

    g.lineJoin = 'round';
    g.lineCap = 'round';
    const drawnRounds = plan.rounds.map((r, i) => [r, i]).filter(([r]) => shown.has(roundDate(index.inst, r)) && r.stops.length > 0);
    // Many rounds at once are drawn thinner, and a selected carer's last,
    // on top of the others.
    const thin = drawnRounds.length > 12;
    const sel = m.selected && m.selected.carer;
    drawnRounds.sort(([a], [b]) => (a.carer === sel) - (b.carer === sel));
    drawnRounds.forEach(([r, i]) => {
      const c = index.carers.get(r.carer);
      if (!c) return;
      const end = c.carer.end || c.carer.start;
      const pts = [this.xy(c.carer.start.lon, c.carer.start.lat)];
      for (const s of r.stops) {
        const loc = index.clientLocation(s.client);
        if (loc) pts.push(this.xy(loc.lon, loc.lat));
      }
      pts.push(this.xy(end.lon, end.lat));
      // The line: along the streets where known, else straight between
      // the places.
      const way = this.wayOf(plan, r, i);
      const line = way ? way.map(([lon, lat]) => this.xy(lon, lat)) : pts;
      if (way) streetPaths++;
      g.setLineDash(dashes[c.carer.mode] || []);
      g.strokeStyle = c.colour;
      g.lineWidth = r.carer === sel ? 3 : thin ? 1.5 : 2.4;
      g.globalAlpha = sel && sel !== r.carer ? 0.3 : thin ? 0.75 : 0.9;
      g.beginPath();
      line.forEach(([x, y], j) => (j ? g.lineTo(x, y) : g.moveTo(x, y)));
      g.stroke();
      g.globalAlpha = 1;
      g.setLineDash([]);
      paths++;
      // The carer's start: a small square.
      g.fillStyle = c.colour;
      g.fillRect(pts[0][0] - 3.5, pts[0][1] - 3.5, 7, 7);
      r.stops.forEach((s, k) => {
        const [x, y] = pts[k + 1];
        const sel = m.selected && m.selected.visit === s.visit;
        g.beginPath();
        g.arc(x, y, sel ? 7 : 4.5, 0, 2 * Math.PI);
        g.fillStyle = c.colour;
        g.fill();
        g.lineWidth = sel ? 2.5 : 1.5;
        g.strokeStyle = sel ? '#111' : '#fff';
        g.stroke();
        const text = `${fmtClock(clockS(s.start))}–${fmtClock(clockS(s.end))}, ${index.carerName(r.carer)}${s.lateness_s > 0 ? ', late' : ''}`;
        this.addHit(byPoint, x, y, { visit: s.visit, carer: r.carer, client: s.client, text });
        const fl = m.flags.get(`${i}:${k}`);
        if (fl) flagAt.push([x, y, fl]);
      });
    });

    // Flags last, above every round.
    for (const [x, y] of flagAt) {
      g.strokeStyle = '#8c1d18';
      g.lineWidth = 1.5;
      g.beginPath();
      g.moveTo(x + 4, y);
      g.lineTo(x + 4, y - 16);
      g.stroke();
      g.fillStyle = '#d7263d';
      g.beginPath();
      g.moveTo(x + 4.5, y - 16);
      g.lineTo(x + 15, y - 12);
      g.lineTo(x + 4.5, y - 8);
      g.closePath();
      g.fill();
      flags++;
    }
    this.scaleBar(g);
    this.flagAt = flagAt;
    this.hits = [...byPoint.values()];
    this.canvas.dataset.paths = paths;
    // How many of them follow the streets, and whether the service has
    // answered for this plan (loading, done, failed, or none to ask).
    this.canvas.dataset.streetPaths = streetPaths;
    const ways = this.ways.get(plan);
    this.canvas.dataset.streetState = ways ? ways.state : 'pending';
    this.canvas.dataset.stops = this.hits.reduce((n, h) => n + h.stops.filter((s) => s.carer).length, 0);
    this.canvas.dataset.flags = flags;
  }

  // addHit records what is drawn at (x, y), several visits at one client
  // together.
  addHit(byPoint, x, y, stop) {
    const key = `${Math.round(x)},${Math.round(y)}`;
    if (!byPoint.has(key)) byPoint.set(key, { x, y, stops: [] });
    byPoint.get(key).stops.push(stop);
  }

  hit(e) {
    const b = this.canvas.getBoundingClientRect();
    const x = e.clientX - b.left;
    const y = e.clientY - b.top;
    let best = null;
    let bd = HIT_PX;
    for (const h of this.hits) {
      const d = Math.hypot(h.x - x, h.y - y);
      if (d < bd) {
        bd = d;
        best = h;
      }
    }
    return best;
  }

  hover(e) {
    const h = this.hit(e);
    if (!h) return this.hideTip();
    const { index } = this.last;
    const lines = h.stops.map((s) => `<div><strong>${esc(index.clientName(s.client))}</strong> · ${esc(s.visit)}<br>${esc(s.text)}</div>`);
    // The broken rules at this stop, if any.
    for (const [x, y, fl] of this.flagAt) {
      if (Math.abs(x - h.x) < 1 && Math.abs(y - h.y) < 1) lines.push(...fl.map((v) => `<div class="tip-flag">${esc(v.message)}</div>`));
    }
    this.showTip(lines.join(''), h.x, h.y);
    this.canvas.style.cursor = 'pointer';
  }
}

// roundKey names a round by what its line depends on: the plan's travel,
// the carer (their places and mode) and the clients in order.
function roundKey(plan, r) {
  const t = plan.travel || {};
  return `${t.provider}|${t.version}|${r.carer}|${r.mode}|${r.stops.map((s) => s.client).join(',')}`;
}
