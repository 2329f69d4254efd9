// model.js: reading instances and plans (roster's JSON) for the board, and
// the skeleton of rounds the evaluate endpoint takes.

/** clockS reads "HH:MM" or "HH:MM:SS" (past 24:00 allowed) as seconds. */
export function clockS(s) {
  if (typeof s === 'number') return s;
  if (!s) return 0;
  const neg = s.startsWith('-');
  const [h, m, sec] = s.replace('-', '').split(':').map(Number);
  const v = h * 3600 + m * 60 + (sec || 0);
  return neg ? -v : v;
}

const pad = (n) => String(n).padStart(2, '0');

/** fmtClock writes seconds as "HH:MM" (rounded down to the minute). */
export function fmtClock(s) {
  const m = Math.floor(s / 60);
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** fmtHM writes a length of time in seconds as "3 h 05 m" or "25 m". */
export function fmtHM(s) {
  const m = Math.round(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)} h ${pad(m % 60)} m` : `${m} m`;
}

/** esc escapes text for HTML and SVG markup. */
export function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** addDays adds n days to a YYYY-MM-DD date. */
export function addDays(date, n) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** weekday answers "mon" ... "sun", the pattern key of a date. */
export function weekday(date) {
  return weekdays[new Date(`${date}T00:00:00Z`).getUTCDay()];
}

/** dayLabel writes a date as "Tue 24 Nov". */
export function dayLabel(date) {
  const d = new Date(`${date}T00:00:00Z`);
  return d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** isPeriod reports whether the instance is a planning period. */
export const isPeriod = (inst) => !!inst.period;

/** instanceDates lists the instance's dates, first to last. */
export function instanceDates(inst) {
  if (!inst.period) return [inst.date];
  const out = [];
  for (let i = 0; i < inst.period.days; i++) out.push(addDays(inst.period.start, i));
  return out;
}

/** roundDate is the date a plan's round is on. */
export function roundDate(inst, round) {
  return round.date || inst.date || inst.period.start;
}

// palette holds distinct colours, dark enough for white labels and clear
// of red, which marks broken rules.
const palette = ['#2f6eb5', '#d9730d', '#2e8b57', '#7e57c2', '#00897b', '#8d6e63',
  '#3949ab', '#7c8f1f', '#c2548f', '#546e7a', '#b7950b', '#0277bd'];

/**
 * colour gives carer number i of the instance a colour of its own, the
 * same on the timeline and the map: the palette's, then hues stepped by
 * the golden angle (so that neighbours differ), clear of red.
 */
export function colour(i) {
  if (i < palette.length) return palette[i];
  const hue = 25 + ((i * 137.508) % 300);
  const light = i % 2 ? 34 : 42;
  return `hsl(${hue.toFixed(1)} 55% ${light}%)`;
}

/**
 * Index is the instance looked up by id: carers (with their number and
 * colour), clients, care entries and dated visits.
 */
export class Index {
  constructor(inst) {
    this.inst = inst;
    this.carers = new Map(inst.carers.map((c, i) => [c.id, { carer: c, i, colour: colour(i) }]));
    this.clients = new Map(inst.clients.map((c) => [c.id, c]));
    this.care = new Map((inst.care || []).map((c) => [c.id, c]));
    this.visits = new Map((inst.visits || []).map((v) => [v.id, v]));
    this.dates = instanceDates(inst);
  }

  /** carerName is a carer's name for people's eyes, or the id. */
  carerName(id) {
    const c = this.carers.get(id);
    return (c && c.carer.name) || id;
  }

  /** clientName is a client's name for people's eyes, or the id. */
  clientName(id) {
    const c = this.clients.get(id);
    return (c && c.name) || id;
  }

  /**
   * visit describes a visit of the plan by id: a dated visit, or a care
   * entry's visit on a date ("care@2026-11-24"). Windows are in seconds.
   */
  visit(id) {
    let v = this.visits.get(id);
    let date = v && v.date;
    if (!v) {
      const at = id.lastIndexOf('@');
      if (at > 0) {
        v = this.care.get(id.slice(0, at));
        date = id.slice(at + 1);
      }
    }
    if (!v) return { id, date: date || this.dates[0], windows: [], hard: true, carers: 1, skills: [] };
    let windows = (v.windows || []).map((w) => ({ start: clockS(w.start), end: clockS(w.end) }));
    if (v.time) {
      const t = clockS(v.time);
      const tol = (v.tolerance_min || 0) * 60;
      windows = [{ start: t - tol, end: t + tol }];
    }
    return {
      id,
      client: v.client,
      date: date || this.dates[0],
      durationMin: v.duration_min,
      windows,
      hard: v.window_type !== 'soft',
      carers: v.carers || 1,
      skills: v.required_skills || [],
    };
  }

  /**
   * shifts are a carer's shifts on a date, in seconds: a period's
   * availability, days off and weekly pattern are read as roster does.
   */
  shifts(carerId, date) {
    const c = this.carers.get(carerId);
    if (!c) return [];
    const k = c.carer;
    let list = k.shifts || [];
    if (this.inst.period) {
      if ((k.days_off || []).includes(date)) return [];
      const avail = (k.availability || []).find((a) => a.date === date);
      if (avail) list = avail.shifts || [];
      else if (k.pattern) list = k.pattern[weekday(date)] || [];
    }
    return list.map((s) => ({ start: clockS(s.start), end: clockS(s.end) }));
  }

  /** location is where a client lives, or undefined. */
  clientLocation(id) {
    const c = this.clients.get(id);
    return c && c.location;
  }
}

/**
 * skeleton reads a plan as the rounds evaluate takes: each round's carer,
 * date (in a period), shift and visits in order, each visit with the start
 * the plan gives it (t, used to order a visit dropped in) and the start
 * the coordinator asked for, if any.
 */
export function skeleton(inst, plan, starts) {
  return plan.rounds.map((r) => ({
    carer: r.carer,
    date: roundDate(inst, r),
    shift: r.shift,
    visits: r.stops.map((s) => ({ visit: s.visit, t: clockS(s.start), start: starts.get(s.visit) })),
  }));
}

/**
 * evaluateRounds writes a skeleton as the request's rounds: empty rounds
 * are left out, dates are given in a period only, and a visit's start only
 * when the coordinator asked for one.
 */
export function evaluateRounds(inst, skel) {
  return skel
    .filter((r) => r.visits.length > 0)
    .map((r) => {
      const out = { carer: r.carer, shift: r.shift, visits: r.visits.map((v) => (v.start ? { visit: v.visit, start: v.start } : { visit: v.visit })) };
      if (inst.period) out.date = r.date;
      return out;
    });
}

/** unassign takes every part of a visit out of the skeleton's rounds. */
export function unassign(skel, visit) {
  for (const r of skel) r.visits = r.visits.filter((v) => v.visit !== visit);
}

/**
 * place puts a visit on a carer's round on a date, at start t (seconds):
 * into the round of the shift that holds t (or the nearest shift), made if
 * the carer has no round there, in order of the rounds' starts. from names
 * the carer the visit is taken from (null when it was unassigned); a
 * double-handed visit keeps its other carer. It answers an error sentence
 * when the move cannot be made, or null.
 */
export function place(index, skel, { visit, from, carer, date, t, start }) {
  const on = index.visit(visit).date;
  if (on !== date) return `Visit ${visit} is on ${dayLabel(on)}, not ${dayLabel(date)}.`;
  const shifts = index.shifts(carer, date);
  if (shifts.length === 0) return `${index.carerName(carer)} does not work on ${dayLabel(date)}.`;
  if (from !== carer && skel.some((r) => r.carer === carer && r.visits.some((v) => v.visit === visit))) {
    return `${index.carerName(carer)} already has visit ${visit}.`;
  }
  let shift = shifts.findIndex((s) => t >= s.start && t < s.end);
  if (shift < 0) {
    const gap = (s) => Math.min(Math.abs(t - s.start), Math.abs(t - s.end));
    shift = shifts.reduce((best, s, i) => (gap(s) < gap(shifts[best]) ? i : best), 0);
  }
  // Take out the part that moves: all of it when it was unassigned.
  for (const r of skel) {
    if (from === null || r.carer === from) r.visits = r.visits.filter((v) => v.visit !== visit);
  }
  let round = skel.find((r) => r.carer === carer && r.date === date && r.shift === shift);
  if (!round) {
    round = { carer, date, shift, visits: [] };
    skel.push(round);
  }
  const at = round.visits.findIndex((v) => v.t > t);
  const entry = { visit, t, start };
  if (at < 0) round.visits.push(entry);
  else round.visits.splice(at, 0, entry);
  return null;
}

/**
 * stopAt reads a violation's path, "rounds[i].stops[k]..." or
 * "rounds[i]...", into {round, stop} (stop -1 for the round as a whole),
 * or null for a path elsewhere.
 */
export function stopAt(path) {
  const m = /^rounds\[(\d+)\](?:\.stops\[(\d+)\])?/.exec(path || '');
  if (!m) return null;
  return { round: Number(m[1]), stop: m[2] === undefined ? -1 : Number(m[2]) };
}
