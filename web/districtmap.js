// districtmap.js: a district's localities on a map, drawn on a <canvas>.
//
// The projection is map.js's: equirectangular around the district's
// bounds (x is longitude times the cosine of the middle latitude), true
// enough for a district of a few tens of kilometres. The background is the
// streets of the service's OSM extract (GET /v1/streets) when it has one
// and the area is not too large, else a plain grid. Each locality is its
// polygon (or polygons) filled by the colour of the chosen figure,
// outlined, and labelled with its name; the clients are small dots, and a
// client in no locality a red ring. Hovering a locality shows its figures.

import * as api from './api.js';
import { esc } from './model.js';

const PAD = 18;

// A sequential scale, light to dark (ColorBrewer's YlGnBu, 7 classes).
const RAMP = ['#ffffcc', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#0c2c84'];
// Yes and no of a yes/no figure, and a figure that is missing.
const YES = '#41ab5d';
const NO = '#fdae6b';
const MISSING = '#dfe3e8';

const pct = (v) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;

/**
 * FIGURES are the figures a map can be coloured by: their label, whether
 * yes/no, and how a value reads.
 */
export const FIGURES = {
  weekly_hours: { label: 'Weekly hours', fmt: (v) => `${Math.round(v).toLocaleString('en-GB')} h` },
  carers_needed: { label: 'Carers needed', fmt: (v) => String(Math.round(v)) },
  travel_share: { label: 'Travel share', fmt: pct },
  co2_kg_a_week: { label: 'CO₂ a week', fmt: (v) => `${Math.round(v).toLocaleString('en-GB')} kg` },
  walkable: { label: 'Walkable', yesNo: true },
  viable: { label: 'Viable', yesNo: true },
  compactness: { label: 'Compactness', fmt: (v) => v.toFixed(2) },
};

/** figureValue is a row's (or feature's properties') value of figure, or null. */
export function figureValue(props, figure) {
  if (!props) return null;
  const v = props[figure];
  if (FIGURES[figure].yesNo) return typeof v === 'boolean' ? v : null;
  // Compactness 0 means not measured.
  if (typeof v !== 'number' || !Number.isFinite(v) || (figure === 'compactness' && v === 0)) return null;
  return v;
}

// mix blends two #rrggbb colours.
function mix(a, b, t) {
  const pa = [1, 3, 5].map((i) => parseInt(a.slice(i, i + 2), 16));
  const pb = [1, 3, 5].map((i) => parseInt(b.slice(i, i + 2), 16));
  return `#${pa.map((x, i) => Math.round(x + (pb[i] - x) * t).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Scale colours a figure's values: a continuous ramp from nought to the
 * largest of values, or yes and no. Every figure is a quantity or a share
 * that starts at nought, and a ramp from the smallest value would make
 * localities of 980 and 1,076 hours look worlds apart.
 */
export class Scale {
  constructor(figure, values) {
    this.figure = figure;
    this.spec = FIGURES[figure];
    const nums = values.filter((v) => typeof v === 'number');
    this.lo = 0;
    this.hi = nums.length ? Math.max(0, ...nums) : 0;
    if (figure === 'compactness') this.hi = 1; // a circle
  }

  colour(v) {
    if (v === null || v === undefined) return MISSING;
    if (this.spec.yesNo) return v ? YES : NO;
    const t = this.hi > this.lo ? (v - this.lo) / (this.hi - this.lo) : 0.5;
    const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
    const i = Math.min(RAMP.length - 2, Math.floor(x));
    return mix(RAMP[i], RAMP[i + 1], x - i);
  }

  fmt(v) {
    if (v === null || v === undefined) return '–';
    return this.spec.yesNo ? (v ? 'yes' : 'no') : this.spec.fmt(v);
  }

  /**
   * legend fills el with the legend: the figure, then yes and no, or the
   * ramp between its ends, and the colour of a locality without the
   * figure when missing. (Colours are set through the CSSOM: the CSP
   * refuses style attributes.)
   */
  legend(el, missing) {
    el.replaceChildren();
    const span = (cls, text) => {
      const s = document.createElement('span');
      if (cls) s.className = cls;
      if (text) s.textContent = text;
      el.append(s);
      return s;
    };
    const swatch = (colour, text) => {
      const s = span('', '');
      const k = document.createElement('span');
      k.className = 'swatch';
      k.style.background = colour;
      s.append(k, text);
    };
    span('title', this.spec.label);
    if (this.spec.yesNo) {
      swatch(YES, 'yes');
      swatch(NO, 'no');
    } else {
      span('lo', this.fmt(this.lo));
      const stops = RAMP.map((c, i) => `${c} ${((i / (RAMP.length - 1)) * 100).toFixed(0)}%`).join(', ');
      span('ramp', '').style.background = `linear-gradient(90deg, ${stops})`;
      span('hi', this.fmt(this.hi));
    }
    if (missing) swatch(MISSING, 'no figure');
    el.dataset.figure = this.figure;
    el.dataset.lo = String(this.lo);
    el.dataset.hi = String(this.hi);
  }
}

/** polygonsOf answers a feature's polygons, each a list of rings of [lon, lat]. */
export function polygonsOf(f) {
  const g = f && f.geometry;
  if (!g) return [];
  if (g.type === 'Polygon') return [g.coordinates];
  if (g.type === 'MultiPolygon') return g.coordinates;
  return [];
}

// inRings says whether (x, y) is inside a polygon's rings, holes counting
// out (even-odd).
function inRings(rings, x, y) {
  let inside = false;
  for (const r of rings) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i];
      const [xj, yj] = r[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** contains says whether a feature's polygons hold the point. */
export function contains(f, lon, lat) {
  return polygonsOf(f).some((rings) => inRings(rings, lon, lat));
}

// ringArea is a ring's area, in squared degrees.
function ringArea(r) {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] + r[i][0]) * (r[j][1] - r[i][1]);
  return Math.abs(a / 2);
}

// labelPoint is a point inside the feature's largest polygon to write its
// name at: the middle of the widest span inside it along the line of the
// polygon's middle latitude (a centroid can fall outside a crescent).
function labelPoint(f) {
  let best = null;
  let bestArea = -1;
  for (const rings of polygonsOf(f)) {
    const a = ringArea(rings[0]);
    if (a > bestArea) {
      bestArea = a;
      best = rings;
    }
  }
  if (!best) return null;
  let [s, n] = [Infinity, -Infinity];
  for (const [, lat] of best[0]) {
    s = Math.min(s, lat);
    n = Math.max(n, lat);
  }
  // A few latitudes near the middle; the widest span wins.
  let pick = null;
  for (const t of [0.5, 0.4, 0.6, 0.3, 0.7]) {
    const y = s + (n - s) * t + 1e-9;
    const xs = [];
    for (const r of best) {
      for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
        const [xi, yi] = r[i];
        const [xj, yj] = r[j];
        if (yi > y !== yj > y) xs.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
      }
    }
    xs.sort((a, b) => a - b);
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const w = xs[i + 1] - xs[i];
      if (!pick || w > pick.w) pick = { w, lon: (xs[i] + xs[i + 1]) / 2, lat: y };
    }
  }
  return pick;
}

export class DistrictMap {
  /** canvas is the map, tip the hover box. */
  constructor(canvas, tip) {
    this.canvas = canvas;
    this.tip = tip;
    this.streets = null;
    this.background = null;
    this.last = null;
    this.shapes = []; // [{f, bbox}] of the features drawn, for hovering
    new ResizeObserver(() => this.resize()).observe(canvas.parentElement);
    canvas.addEventListener('pointermove', (e) => this.hover(e));
    canvas.addEventListener('pointerleave', () => (this.tip.hidden = true));
  }

  /**
   * setBounds frames the district's clients and every option's polygons,
   * and asks the service for the streets in the frame.
   */
  async setBounds(clients, collections) {
    let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
    const add = (lon, lat) => {
      w = Math.min(w, lon);
      e = Math.max(e, lon);
      s = Math.min(s, lat);
      n = Math.max(n, lat);
    };
    for (const c of clients) add(c.location.lon, c.location.lat);
    for (const fc of collections) {
      for (const f of fc.features || []) for (const rings of polygonsOf(f)) for (const [lon, lat] of rings[0]) add(lon, lat);
    }
    if (!Number.isFinite(w)) return;
    const mx = Math.max((e - w) * 0.03, 0.0015);
    const my = Math.max((n - s) * 0.03, 0.001);
    const bounds = [w - mx, s - my, e + mx, n + my];
    if (this.bounds && bounds.every((v, i) => Math.abs(v - this.bounds[i]) < 1e-9)) return;
    this.bounds = bounds;
    this.streets = null;
    this.background = null;
    this.canvas.dataset.streets = 'loading';
    try {
      const { fc } = await api.streets(this.bounds);
      this.streets = (fc.features || []).filter((f) => f.geometry && f.geometry.type === 'LineString');
    } catch {
      this.streets = []; // no extract, or too large an area: the grid
    }
    this.canvas.dataset.streets = String(this.streets.length);
    this.background = null;
    if (this.last) this.draw(this.last);
  }

  resize() {
    const box = this.canvas.parentElement.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(200, Math.floor(box.width));
    const h = Math.max(200, Math.floor(box.height));
    if (this.canvas.width === w * dpr && this.canvas.height === h * dpr) return;
    this.canvas.width = w * dpr;
    this.canvas.height = h * dpr;
    this.cssW = w;
    this.cssH = h;
    this.background = null;
    if (this.last) this.draw(this.last);
  }

  project() {
    const [w, s, e, n] = this.bounds;
    const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
    const sc = Math.min((this.cssW - 2 * PAD) / ((e - w) * k), (this.cssH - 2 * PAD) / (n - s));
    const ox = (this.cssW - (e - w) * k * sc) / 2;
    const oy = (this.cssH - (n - s) * sc) / 2;
    this.xy = (lon, lat) => [ox + (lon - w) * k * sc, this.cssH - oy - (lat - s) * sc];
    this.lonLat = (x, y) => [w + (x - ox) / (k * sc), s + (this.cssH - oy - y) / sc];
  }

  paintBackground() {
    const dpr = window.devicePixelRatio || 1;
    const bg = document.createElement('canvas');
    bg.width = this.canvas.width;
    bg.height = this.canvas.height;
    const g = bg.getContext('2d');
    g.scale(dpr, dpr);
    g.fillStyle = '#f7f8f6';
    g.fillRect(0, 0, this.cssW, this.cssH);
    if (this.streets && this.streets.length) {
      g.strokeStyle = '#d5dae0';
      g.lineWidth = 0.8;
      g.lineCap = 'round';
      for (const f of this.streets) {
        g.beginPath();
        f.geometry.coordinates.forEach(([lon, lat], i) => {
          const [x, y] = this.xy(lon, lat);
          if (i) g.lineTo(x, y);
          else g.moveTo(x, y);
        });
        g.stroke();
      }
    } else {
      g.strokeStyle = '#e8ebef';
      g.lineWidth = 1;
      for (let x = 0.5; x < this.cssW; x += 40) {
        g.beginPath();
        g.moveTo(x, 0);
        g.lineTo(x, this.cssH);
        g.stroke();
      }
      for (let y = 0.5; y < this.cssH; y += 40) {
        g.beginPath();
        g.moveTo(0, y);
        g.lineTo(this.cssW, y);
        g.stroke();
      }
    }
    this.background = bg;
  }

  /**
   * draw shows an option: m holds fc (its boundaries, each feature's
   * properties its figures, if evaluated), clients, figure and scale.
   */
  draw(m) {
    this.last = m;
    if (!this.bounds || !this.cssW) return;
    this.project();
    if (!this.background) this.paintBackground();
    const dpr = window.devicePixelRatio || 1;
    const g = this.canvas.getContext('2d');
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.drawImage(this.background, 0, 0);
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    const features = (m.fc && m.fc.features) || [];
    this.shapes = [];
    const drawn = [];
    const path = (rings) => {
      g.beginPath();
      for (const r of rings) {
        r.forEach(([lon, lat], i) => {
          const [x, y] = this.xy(lon, lat);
          if (i) g.lineTo(x, y);
          else g.moveTo(x, y);
        });
        g.closePath();
      }
    };
    // Fills first, then outlines over them, so that shared borders read
    // as one line.
    g.lineJoin = 'round';
    for (const f of features) {
      const polys = polygonsOf(f);
      if (!polys.length) continue;
      g.fillStyle = m.scale.colour(figureValue(f.properties, m.figure));
      g.globalAlpha = 0.5;
      for (const rings of polys) {
        path(rings);
        g.fill('evenodd');
      }
      g.globalAlpha = 1;
      drawn.push(f);
      this.shapes.push(f);
    }
    g.strokeStyle = '#24364a';
    g.lineWidth = 1.4;
    for (const f of drawn) {
      for (const rings of polygonsOf(f)) {
        path(rings);
        g.stroke();
      }
    }

    // Clients: small dots, a red ring for one in no locality.
    let outside = 0;
    const out = [];
    g.fillStyle = 'rgba(27, 39, 51, .7)';
    for (const c of m.clients) {
      const { lon, lat } = c.location;
      const [x, y] = this.xy(lon, lat);
      if (features.length && !features.some((f) => contains(f, lon, lat))) {
        outside++;
        out.push([x, y]);
        continue;
      }
      g.fillRect(x - 1.2, y - 1.2, 2.4, 2.4);
    }
    g.strokeStyle = '#d7263d';
    g.lineWidth = 2;
    for (const [x, y] of out) {
      g.beginPath();
      g.arc(x, y, 5, 0, 2 * Math.PI);
      g.stroke();
    }

    // Labels: the name, and the figure where there is room.
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.lineJoin = 'round';
    for (const f of drawn) {
      const p = labelPoint(f);
      if (!p) continue;
      const [x, y] = this.xy(p.lon, p.lat);
      const [x0] = this.xy(p.lon - p.w / 2, p.lat);
      const [x1] = this.xy(p.lon + p.w / 2, p.lat);
      const name = (f.properties && f.properties.name) || '';
      const v = figureValue(f.properties, m.figure);
      const roomy = x1 - x0 > 56 && v !== null;
      this.label(g, name, x, roomy ? y - 7 : y, '600 12px system-ui, sans-serif', '#111c27');
      if (roomy) this.label(g, m.scale.fmt(v), x, y + 8, '11px system-ui, sans-serif', '#2c3b4b');
    }
    this.scaleBar(g);

    const c = this.canvas.dataset;
    c.option = m.option || '';
    c.figure = m.figure;
    c.features = features.length;
    c.drawn = drawn.length;
    c.drawnNames = JSON.stringify(drawn.map((f) => (f.properties && f.properties.name) || ''));
    c.clients = m.clients.length;
    c.outside = outside;
  }

  label(g, text, x, y, font, colour) {
    g.font = font;
    g.strokeStyle = 'rgba(255, 255, 255, .9)';
    g.lineWidth = 3.5;
    g.strokeText(text, x, y);
    g.fillStyle = colour;
    g.fillText(text, x, y);
  }

  // scaleBar is map.js's: a round length of about a fifth of the width.
  scaleBar(g) {
    const [w, s, e, n] = this.bounds;
    const lat = (s + n) / 2;
    const [x0] = this.xy(w, lat);
    const [x1] = this.xy(e, lat);
    const mPerPx = ((e - w) * 111320 * Math.cos((lat * Math.PI) / 180)) / (x1 - x0);
    const want = (this.cssW / 5) * mPerPx;
    const steps = [100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000];
    const len = steps.reduce((best, v) => (v <= want ? v : best), steps[0]);
    const px = len / mPerPx;
    const x = 12;
    const y = this.cssH - 14;
    g.textAlign = 'left';
    g.textBaseline = 'alphabetic';
    g.fillStyle = 'rgba(255, 255, 255, .85)';
    g.fillRect(x - 6, y - 16, px + 12, 24);
    g.strokeStyle = '#3a4654';
    g.lineWidth = 1.5;
    g.beginPath();
    g.moveTo(x, y - 4);
    g.lineTo(x, y);
    g.lineTo(x + px, y);
    g.lineTo(x + px, y - 4);
    g.stroke();
    g.fillStyle = '#3a4654';
    g.font = '11px system-ui, sans-serif';
    g.fillText(len >= 1000 ? `${len / 1000} km` : `${len} m`, x + 3, y - 5);
  }

  hover(e) {
    if (!this.last || !this.lonLat) return;
    const b = this.canvas.getBoundingClientRect();
    const [lon, lat] = this.lonLat(e.clientX - b.left, e.clientY - b.top);
    const f = this.shapes.find((s) => contains(s, lon, lat));
    if (!f) {
      this.tip.hidden = true;
      return;
    }
    const p = f.properties || {};
    const lines = [`<strong>${esc(p.name || '')}</strong>`];
    if (typeof p.clients === 'number') lines.push(`${p.clients} clients · ${Math.round(p.weekly_hours)} h a week`);
    if (typeof p.carers_needed === 'number') lines.push(`${p.carers_needed} carers · travel ${pct(p.travel_share || 0)}`);
    if (typeof p.walkable === 'boolean') lines.push(`${p.walkable ? 'walkable' : 'not walkable'} · ${p.viable ? 'viable' : 'not viable'}`);
    this.tip.innerHTML = lines.map((l) => `<div>${l}</div>`).join('');
    this.tip.hidden = false;
    const x = e.clientX - b.left;
    const y = e.clientY - b.top;
    this.tip.style.left = `${Math.max(4, Math.min(x + 14, b.width - this.tip.offsetWidth - 4))}px`;
    this.tip.style.top = `${Math.max(4, y - this.tip.offsetHeight - 10)}px`;
  }
}
