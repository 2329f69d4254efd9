// api.js: the service's /v1 endpoints, as the board uses them.
//
// Every request carries the API key the coordinator gave, if any. A 401
// asks for the key once (a small dialog, see askKey) and sends the request
// again; the key is kept in sessionStorage, so it is forgotten when the tab
// is closed.

const keyName = 'rounds.apiKey';

/** ApiError is a refused request: the problem+json the service answered. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    // Each {path, reason} (or {path, message}) the service listed.
    this.errors = (problem.errors || []).map((e) => ({ path: e.path || '', reason: e.reason || e.message || '' }));
  }
}

// askKey is set by the page: it shows the key dialog and resolves with the
// key entered, or null when the coordinator cancels.
let askKey = async () => null;

/** onUnauthorised sets how the page asks for an API key. */
export function onUnauthorised(ask) {
  askKey = ask;
}

/** hasKey reports whether a key is held for this tab. */
export function hasKey() {
  return !!sessionStorage.getItem(keyName);
}

/**
 * request sends one request and answers the Response of a 2xx; anything
 * else is thrown as an ApiError. body is a plain object (sent as JSON) or
 * a FormData (multipart).
 */
export async function request(method, path, body) {
  for (let attempt = 0; ; attempt++) {
    const headers = {};
    const key = sessionStorage.getItem(keyName);
    if (key) headers['X-API-Key'] = key;
    let payload;
    if (body instanceof FormData) {
      payload = body; // the browser sets the multipart boundary
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
    if (res.ok) return res;
    if (res.status === 401 && attempt === 0) {
      sessionStorage.removeItem(keyName);
      const entered = await askKey(key ? 'The service did not accept that key.' : 'This service needs an API key.');
      if (entered) {
        sessionStorage.setItem(keyName, entered);
        continue;
      }
    }
    let problem;
    try {
      problem = await res.json();
    } catch {
      problem = { title: `HTTP ${res.status}`, detail: res.statusText };
    }
    throw new ApiError(res.status, problem);
  }
}

async function json(method, path, body) {
  return (await request(method, path, body)).json();
}

/** validate answers {valid, visits, carers, clients} or throws. */
export const validate = (instance) => json('POST', '/v1/validate', instance);

/** importCSV sends the CSV set and answers the instance it makes. */
export const importCSV = (form) => json('POST', '/v1/import', form);

/** submitJob queues a solve of the instance; answers the job. */
export const submitJob = (instance, timeLimitS) =>
  json('POST', `/v1/jobs?time_limit=${timeLimitS}s`, instance);

/** getJob answers a job: status, progress and, when done, its plan. */
export const getJob = (id) => json('GET', `/v1/jobs/${encodeURIComponent(id)}`);

/** cancelJob stops a job that has not finished. */
export const cancelJob = (id) => json('DELETE', `/v1/jobs/${encodeURIComponent(id)}`);

/** check answers {ok, violations, violations_total} for a plan. */
export const check = (instance, plan) => json('POST', '/v1/check', { instance, plan });

/**
 * evaluate times rounds as the coordinator ordered them and answers
 * {plan, violations}; the answer's rounds are in the order of rounds.
 */
export const evaluate = (instance, rounds) => json('POST', '/v1/evaluate', { instance, rounds });

/** replan queues a re-plan keeping the pinned visits with their carers. */
export const replan = (instance, plan, pins, timeLimitS) =>
  json('POST', `/v1/replan?time_limit=${timeLimitS}s`, {
    instance,
    plan,
    changes: { pins: pins.map((visit) => ({ visit, keep_time: false })) },
  });

/** localitiesDemand reads a demand CSV form into the district it makes. */
export const localitiesDemand = (form) => json('POST', '/v1/localities/demand', form);

/** evaluateLocalities queues an evaluation of boundary options; answers the job. */
export const evaluateLocalities = (body) => json('POST', '/v1/localities/evaluate', body);

/** proposeLocalities queues proposals of localities; answers the job. */
export const proposeLocalities = (body) => json('POST', '/v1/localities/propose', body);

/**
 * streets answers the street network in bbox as GeoJSON and whether the
 * service has a road network at all ({fc, network}).
 */
export async function streets(bbox) {
  const res = await request('GET', `/v1/streets?bbox=${bbox.map((v) => v.toFixed(5)).join(',')}`);
  return { fc: await res.json(), network: res.headers.get('X-Rounds-Streets') !== 'none' };
}

/**
 * roundLines answers the plan as GeoJSON (POST /v1/export): each round a
 * line, along the streets where the plan was made on the service's road
 * network (its "path" property says "streets" or "straight").
 */
export const roundLines = (instance, plan) => json('POST', '/v1/export?format=geojson', { instance, plan });

/**
 * exportPlan asks for the plan in format (csv, geojson, runsheets-csv,
 * runsheets-html) and answers {blob, filename}.
 */
export async function exportPlan(instance, plan, format, date) {
  let path = `/v1/export?format=${encodeURIComponent(format)}`;
  if (date) path += `&date=${encodeURIComponent(date)}`;
  const res = await request('POST', path, { instance, plan });
  const cd = res.headers.get('Content-Disposition') || '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd);
  const filename = m ? decodeURIComponent(m[1]) : `rounds-${format}`;
  return { blob: await res.blob(), filename };
}
