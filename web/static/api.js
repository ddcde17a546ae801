// The API client. The signed-in person's token lives in sessionStorage only
// (gone when the tab closes), and every request carries it, so the dashboard
// sees exactly what the API lets that person see.

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

const statusWords = {
  401: "Please sign in again.",
  403: "You do not have access to this.",
  404: "This could not be found. It may have been removed.",
  413: "That is too large to send.",
  429: "Too many requests. Wait a moment and try again.",
};

let onSignedOut = () => {};

// whenSignedOut registers what to do when the API no longer accepts the
// token (revoked, expired, or the person was deactivated).
export function whenSignedOut(fn) {
  onSignedOut = fn;
}

// api calls /api/v1 + path and returns the reply's "data", or throws an
// ApiError whose message can be shown as it is.
export async function api(path, { method = "GET", body } = {}) {
  const headers = { Authorization: "Bearer " + session.token(), Accept: "application/json" };
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch("/api/v1" + path, init);
  } catch {
    throw new ApiError(0, "network", "Pulse could not be reached. Check your connection and try again.");
  }
  let parsed = null;
  try {
    parsed = await res.json();
  } catch {
    // Not JSON (a proxy's error page, say); the status decides the message.
  }
  if (res.ok) return parsed ? parsed.data : null;
  const e = (parsed && parsed.error) || {};
  const message = e.message || statusWords[res.status] || "Something went wrong (" + res.status + "). Try again.";
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
