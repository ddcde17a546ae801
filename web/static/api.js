// The API client. The signed-in person's token lives in sessionStorage only
// (gone when the tab closes), and every request carries it, so the dashboard
// sees exactly what the API lets that person see.

import { locale, strings } from "./i18n.js";

const t = strings({
  en: {
    "api.401": "Please sign in again.",
    "api.403": "You do not have access to this.",
    "api.404": "This could not be found. It may have been removed.",
    "api.413": "That is too large to send.",
    "api.429": "Too many requests. Wait a moment and try again.",
    "api.other": "Something went wrong ({status}). Try again.",
    "api.network": "Pulse could not be reached. Check your connection and try again.",
  },
  ms: {
    "api.401": "Sila log masuk semula.",
    "api.403": "Anda tiada akses kepada ini.",
    "api.404": "Ini tidak dijumpai. Ia mungkin telah dibuang.",
    "api.413": "Itu terlalu besar untuk dihantar.",
    "api.429": "Terlalu banyak permintaan. Tunggu sebentar dan cuba lagi.",
    "api.other": "Berlaku ralat ({status}). Cuba lagi.",
    "api.network": "Pulse tidak dapat dihubungi. Semak sambungan anda dan cuba lagi.",
  },
});

const tokenKey = "pulse.token";

export const session = {
  token: () => sessionStorage.getItem(tokenKey),
  signIn: (token) => sessionStorage.setItem(tokenKey, token),
  signOut: () => sessionStorage.removeItem(tokenKey),
};

// ApiError carries the API's error: a plain message for people, the code
// for the program, and details (field, line, reason) for forms.
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || [];
  }
}

const statusWords = [401, 403, 404, 413, 429];

let onSignedOut = () => {};

// whenSignedOut registers what to do when the API no longer accepts the
// token (revoked, expired, or the person was deactivated).
export function whenSignedOut(fn) {
  onSignedOut = fn;
}

// api calls /api/v1 + path and returns the reply's "data", or throws an
// ApiError whose message can be shown as it is. On a list that pages, that
// is the first page only: see apiPage and apiAll.
export async function api(path, options) {
  const parsed = await request(path, options);
  return parsed ? parsed.data : null;
}

// apiPage reads one page of a list: its rows, and next, the cursor of the
// page after (null on the last).
export async function apiPage(path, cursor) {
  const sep = path.includes("?") ? "&" : "?";
  const parsed = await request(path + (cursor ? sep + "cursor=" + encodeURIComponent(cursor) : ""));
  return { rows: parsed.data, next: parsed.next_cursor };
}

// apiAll reads every page of a list, for views that need the whole of a
// list that stays small (teams, surveys, rounds, one's own 1:1s).
export async function apiAll(path) {
  const sep = path.includes("?") ? "&" : "?";
  const rows = [];
  let cursor = null;
  do {
    const page = await apiPage(path + sep + "limit=500", cursor);
    rows.push(...page.rows);
    cursor = page.next;
  } while (cursor);
  return rows;
}

// apiUpload sends a file (a CSV export) as it is, and returns the reply's
// "data"; a refused file throws an ApiError whose details name each bad line.
export async function apiUpload(path, file) {
  const parsed = await request(path, { method: "POST", file });
  return parsed ? parsed.data : null;
}

async function request(path, { method = "GET", body, file } = {}) {
  const headers = { Authorization: "Bearer " + session.token(), Accept: "application/json" };
  const init = { method, headers };
  if (file !== undefined) {
    headers["Content-Type"] = "text/csv";
    init.body = file;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch("/api/v1" + path, init);
  } catch {
    throw new ApiError(0, "network", t("api.network"));
  }
  let parsed = null;
  try {
    parsed = await res.json();
  } catch {
    // Not JSON (a proxy's error page, say); the status decides the message.
  }
  if (res.ok) return parsed;
  const e = (parsed && parsed.error) || {};
  // The API's own messages are English; the language in use replaces them
  // when it is not English and the status says enough.
  const known = statusWords.includes(res.status);
  let message = e.message;
  if (!message || (known && locale() !== "en")) message = known ? t("api." + res.status) : t("api.other", { status: res.status });
  const err = new ApiError(res.status, e.code || "http_" + res.status, message, e.details);
  if (res.status === 401) onSignedOut(err);
  throw err;
}

// query builds "?a=1&b=2" from the set values of params.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") q.set(k, v);
  }
  const s = q.toString();
  return s ? "?" + s : "";
}
