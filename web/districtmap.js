// districtmap.js: a district's localities on a map, drawn on a <canvas>.
//
// The projection, the background (streets, or a plain grid without an
// extract or for too large an area) and the scale bar are basemap.js's.
// Each locality is its polygon (or polygons) filled by the colour of the
// chosen figure, outlined, and labelled with its name; the clients are small dots, and a
// client in no locality a red ring. Hovering a locality shows its figures.

import * as api from './api.js';
import { BaseMap, boundsAround } from './basemap.js';
import { esc } from './model.js';

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

export class DistrictMap extends BaseMap {
  /** canvas is the map, tip the hover box. */
  constructor(canvas, tip) {
    super(canvas, tip, { pad: 18, streetWidth: () => 0.8, streetJoin: 'miter', gridColour: '#e8ebef', scaleFill: 'rgba(255, 255, 255, .85)', minScale: 100 });
    this.shapes = []; // [{f, bbox}] of the features drawn, for hovering
  }

  /**
   * setBounds frames the district's clients and every option's polygons,
   * and asks the service for the streets in the frame.
   */
  async setBounds(clients, collections) {
    const pts = clients.map((c) => [c.location.lon, c.location.lat]);
    for (const fc of collections) {
      for (const f of fc.features || []) for (const rings of polygonsOf(f)) for (const p of rings[0]) pts.push(p);
    }
    const bounds = boundsAround(pts, 0.03);
    if (!Number.isFinite(bounds[0])) return;
    if (this.bounds && bounds.every((v, i) => Math.abs(v - this.bounds[i]) < 1e-9)) return;
    this.bounds = bounds;
    await this.loadStreets(api.streets(this.bounds));
  }

  /**
   * draw shows an option: m holds fc (its boundaries, each feature's
   * properties its figures, if evaluated), clients, figure and scale.
   */
  draw(m) {
    const g = this.begin(m);
    if (!g) return;
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

  hover(e) {
    if (!this.last || !this.lonLat) return;
    const b = this.canvas.getBoundingClientRect();
    const [lon, lat] = this.lonLat(e.clientX - b.left, e.clientY - b.top);
    const f = this.shapes.find((s) => contains(s, lon, lat));
    if (!f) return this.hideTip();
    const p = f.properties || {};
    const lines = [`<strong>${esc(p.name || '')}</strong>`];
    if (typeof p.clients === 'number') lines.push(`${p.clients} clients · ${Math.round(p.weekly_hours)} h a week`);
    if (typeof p.carers_needed === 'number') lines.push(`${p.carers_needed} carers · travel ${pct(p.travel_share || 0)}`);
    if (typeof p.walkable === 'boolean') lines.push(`${p.walkable ? 'walkable' : 'not walkable'} · ${p.viable ? 'viable' : 'not viable'}`);
    this.showTip(lines.map((l) => `<div>${l}</div>`).join(''), e.clientX - b.left, e.clientY - b.top);
  }
}
