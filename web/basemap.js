// basemap.js: what the board's map (map.js) and the localities' map
// (districtmap.js) share: a <canvas> sized to its box, an equirectangular
// projection around the bounds (x is longitude times the cosine of the
// middle latitude, true enough for a town or a district), a background of
// the streets of the service's OSM extract (GET /v1/streets) or, without
// one, a plain grid, drawn once into an offscreen canvas, a scale bar, and
// a hover box.

const SCALE_STEPS = [50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000];

/**
 * boundsAround answers [w, s, e, n] around the points ([lon, lat] each)
 * with a margin of share of each side, and at least some 100 m. Without
 * points the bounds are not finite.
 */
export function boundsAround(points, share) {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of points) {
    w = Math.min(w, lon);
    e = Math.max(e, lon);
    s = Math.min(s, lat);
    n = Math.max(n, lat);
  }
  const mx = Math.max((e - w) * share, 0.0015);
  const my = Math.max((n - s) * share, 0.001);
  return [w - mx, s - my, e + mx, n + my];
}

export class BaseMap {
  /**
   * canvas is the map, tip the hover box. style holds pad (pixels around
   * the bounds), streetWidth(feature), streetJoin, gridColour, scaleFill
   * and minScale (the shortest scale bar, in metres).
   */
  constructor(canvas, tip, style) {
    this.canvas = canvas;
    this.tip = tip;
    this.style = style;
    this.streets = null; // GeoJSON features, [] for none
    this.background = null; // the offscreen canvas of streets or grid
    this.last = null;
    new ResizeObserver(() => this.resize()).observe(canvas.parentElement);
    canvas.addEventListener('pointermove', (e) => this.hover(e));
    canvas.addEventListener('pointerleave', () => this.hideTip());
  }

  /**
   * loadStreets takes the service's answer for the streets in the bounds
   * (the promise of api.streets) and redraws with them; a refusal (no
   * extract, or too large an area) leaves the grid.
   */
  async loadStreets(asked) {
    this.streets = null;
    this.background = null;
    this.canvas.dataset.streets = 'loading';
    try {
      const { fc } = await asked;
      this.streets = (fc.features || []).filter((f) => f.geometry && f.geometry.type === 'LineString');
    } catch {
      this.streets = [];
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

  // project sets up the projection for the canvas size and bounds: xy
  // from longitude and latitude to pixels, and lonLat back.
  project() {
    const pad = this.style.pad;
    const [w, s, e, n] = this.bounds;
    const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
    const sc = Math.min((this.cssW - 2 * pad) / ((e - w) * k), (this.cssH - 2 * pad) / (n - s));
    const ox = (this.cssW - (e - w) * k * sc) / 2;
    const oy = (this.cssH - (n - s) * sc) / 2;
    this.xy = (lon, lat) => [ox + (lon - w) * k * sc, this.cssH - oy - (lat - s) * sc];
    this.lonLat = (x, y) => [w + (x - ox) / (k * sc), s + (this.cssH - oy - y) / sc];
  }

  /**
   * begin starts drawing m: it projects, lays the background down and
   * answers the context, scaled to CSS pixels, or null when there is
   * nothing to draw on yet.
   */
  begin(m) {
    this.last = m;
    if (!this.bounds || !this.cssW) return null;
    this.project();
    if (!this.background) this.paintBackground();
    const dpr = window.devicePixelRatio || 1;
    const g = this.canvas.getContext('2d');
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.drawImage(this.background, 0, 0);
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    return g;
  }

  // paintBackground draws the streets, or a grid, into an offscreen canvas.
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
      g.lineCap = 'round';
      g.lineJoin = this.style.streetJoin;
      for (const f of this.streets) {
        g.lineWidth = this.style.streetWidth(f);
        g.beginPath();
        f.geometry.coordinates.forEach(([lon, lat], i) => {
          const [x, y] = this.xy(lon, lat);
          if (i) g.lineTo(x, y);
          else g.moveTo(x, y);
        });
        g.stroke();
      }
    } else {
      g.strokeStyle = this.style.gridColour;
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

  // scaleBar draws a bar of a round length (100 m, 200 m, 500 m, 1 km...)
  // of about a fifth of the map's width, at the bottom left.
  scaleBar(g) {
    const [w, s, e, n] = this.bounds;
    const lat = (s + n) / 2;
    const [x0] = this.xy(w, lat);
    const [x1] = this.xy(e, lat);
    // Metres per pixel along the middle latitude.
    const mPerPx = ((e - w) * 111320 * Math.cos((lat * Math.PI) / 180)) / (x1 - x0);
    const want = (this.cssW / 5) * mPerPx;
    const steps = SCALE_STEPS.filter((v) => v >= this.style.minScale);
    const len = steps.reduce((best, v) => (v <= want ? v : best), steps[0]);
    const px = len / mPerPx;
    const x = 12;
    const y = this.cssH - 14;
    g.textAlign = 'left';
    g.textBaseline = 'alphabetic';
    g.fillStyle = this.style.scaleFill;
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

  // showTip shows html in the hover box near (x, y) on the canvas, kept
  // inside it.
  showTip(html, x, y) {
    this.tip.innerHTML = html;
    this.tip.hidden = false;
    const b = this.canvas.getBoundingClientRect();
    this.tip.style.left = `${Math.max(4, Math.min(x + 14, b.width - this.tip.offsetWidth - 4))}px`;
    this.tip.style.top = `${Math.max(4, y - this.tip.offsetHeight - 10)}px`;
  }

  hideTip() {
    this.tip.hidden = true;
    this.canvas.style.cursor = '';
  }
}
