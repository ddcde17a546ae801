// Sign-ins and API tokens: one's own live dashboard sign-ins and tokens,
// each with a button that ends it at once. HR opens anyone's
// (#access/{employee id}, linked from the person's form) to end access from
// a lost laptop or a leaver.

import { api, apiPage, session } from "./api.js";
import { $, busy, confirmAction, el, fill, say } from "./dom.js";
import { browserZone, day, shortDateTime } from "./format.js";
import { strings } from "./i18n.js";
import { field, showErrors } from "./fields.js";

const t = strings({
  en: {
    "access.title": "Sign-ins and tokens",
    "access.mine": "Your sign-ins and API tokens. Ending one stops it working at once.",
    "access.theirs": "Sign-ins and API tokens of {name} ({email}). Ending one stops it working at once.",
    "access.back": "Show my own",
    "access.sessions": "Dashboard sign-ins",
    "access.tokens": "API tokens",
    "access.signedIn": "Signed in",
    "access.idle": "Ends if unused by",
    "access.ends": "Ends at the latest",
    "access.this": "this browser",
    "access.end": "Sign out",
    "access.endOf": "Sign out the sign-in of {when}",
    "access.endTitle": "Sign this sign-in out?",
    "access.endText": "Whoever uses it must sign in again with a new link.",
    "access.endThisText": "This is the sign-in you are using now: you will be signed out here.",
    "access.ended": "Signed out.",
    "access.noSessions": "No live sign-ins.",
    "access.name": "Name",
    "access.created": "Created",
    "access.lastUsed": "Last used (day)",
    "access.expires": "Expires",
    "access.never": "never",
    "access.state": "State",
    "access.live": "works",
    "access.revoked": "revoked",
    "access.expired": "expired",
    "access.revoke": "Revoke",
    "access.revokeOf": "Revoke token {name}",
    "access.revokeTitle": "Revoke the token \u201c{name}\u201d?",
    "access.revokeText": "Scripts using it stop working at once. This cannot be undone; a new token can be made.",
    "access.revokedNote": "Token \u201c{name}\u201d revoked.",
    "access.noTokens": "No API tokens.",
    "access.more": "Show more",
    "access.caption": "Times in your time zone ({zone}).",
    "access.scrolls": "{title}, a table that scrolls sideways",
    "access.captionTheirs": "Another person's sign-ins show only the day of each time, so that when someone signed in cannot be lined up with a survey's answers.",
    "access.newToken": "New API token",
    "access.newTokenHelp": "For scripts that use the API as you, with your role. It works until it expires or is revoked.",
    "access.tokenName": "Token name",
    "access.tokenExpires": "Expires on (optional)",
    "access.create": "Create token",
    "access.secret": "Your new token",
    "access.secretHint": "Copy it now: it is shown only this once, and only its name is kept.",
  },
  ms: {
    "access.title": "Log masuk dan token",
    "access.mine": "Log masuk dan token API anda. Menamatkan satu menghentikannya serta-merta.",
    "access.theirs": "Log masuk dan token API {name} ({email}). Menamatkan satu menghentikannya serta-merta.",
    "access.back": "Tunjukkan milik saya",
    "access.sessions": "Log masuk papan pemuka",
    "access.tokens": "Token API",
    "access.signedIn": "Log masuk",
    "access.idle": "Tamat jika tidak digunakan sebelum",
    "access.ends": "Tamat paling lewat",
    "access.this": "pelayar ini",
    "access.end": "Log keluar",
    "access.endOf": "Log keluar log masuk pada {when}",
    "access.endTitle": "Log keluar log masuk ini?",
    "access.endText": "Sesiapa yang menggunakannya mesti log masuk semula dengan pautan baharu.",
    "access.endThisText": "Ini log masuk yang anda gunakan sekarang: anda akan dilog keluar di sini.",
    "access.ended": "Dilog keluar.",
    "access.noSessions": "Tiada log masuk yang aktif.",
    "access.name": "Nama",
    "access.created": "Dicipta",
    "access.lastUsed": "Kali terakhir digunakan (hari)",
    "access.expires": "Luput",
    "access.never": "tidak pernah",
    "access.state": "Keadaan",
    "access.live": "berfungsi",
    "access.revoked": "dibatalkan",
    "access.expired": "luput",
    "access.revoke": "Batalkan",
    "access.revokeOf": "Batalkan token {name}",
    "access.revokeTitle": "Batalkan token \u201c{name}\u201d?",
    "access.revokeText": "Skrip yang menggunakannya berhenti berfungsi serta-merta. Ini tidak boleh dibuat asal; token baharu boleh dicipta.",
    "access.revokedNote": "Token \u201c{name}\u201d dibatalkan.",
    "access.noTokens": "Tiada token API.",
    "access.more": "Tunjukkan lagi",
    "access.caption": "Masa dalam zon waktu anda ({zone}).",
    "access.scrolls": "{title}, jadual yang boleh ditatal ke tepi",
    "access.captionTheirs": "Log masuk orang lain hanya menunjukkan hari bagi setiap masa, supaya waktu seseorang log masuk tidak dapat dipadankan dengan jawapan tinjauan.",
    "access.newToken": "Token API baharu",
    "access.newTokenHelp": "Untuk skrip yang menggunakan API sebagai anda, dengan peranan anda. Ia berfungsi sehingga luput atau dibatalkan.",
    "access.tokenName": "Nama token",
    "access.tokenExpires": "Luput pada (pilihan)",
    "access.create": "Cipta token",
    "access.secret": "Token baharu anda",
    "access.secretHint": "Salin sekarang: ia ditunjukkan sekali ini sahaja, dan hanya namanya disimpan.",
  },
});

let ctx;
let others = false; // showing another person's: times only to the day

// initAccess shows the viewer's own, or (HR) the person sub names.
export async function initAccess(context, sub) {
  ctx = context;
  await showAccess(sub);
}

// showAccess follows #access/{id} links.
export async function showAccess(sub) {
  say($("access-status"), "");
  say($("access-error"), "");
  const id = Number(sub) || ctx.me.id;
  const person = id === ctx.me.id ? ctx.me : await api(`/employees/${id}`);
  const owner = id === ctx.me.id ? "" : "?employee_id=" + id;
  others = id !== ctx.me.id;
  const sessions = el("tbody");
  const tokens = el("tbody");
  fill($("access-body"),
    el("p", {}, id === ctx.me.id ? t("access.mine") : t("access.theirs", { name: person.name, email: person.email }),
      id === ctx.me.id ? null : [" ", el("a", { href: "#access" }, t("access.back"))]),
    el("p", { class: "hint" }, others ? t("access.captionTheirs") : t("access.caption", { zone: browserZone() })),
    table("access-sessions", t("access.sessions"), [t("access.signedIn"), t("access.idle"), t("access.ends"), ""], sessions),
    table("access-tokens", t("access.tokens"), [t("access.name"), t("access.created"), t("access.lastUsed"), t("access.expires"), t("access.state"), ""], tokens),
    others ? null : newTokenCard(tokens));
  await Promise.all([
    rows(sessions, "/sessions" + owner, null, sessionRow, t("access.noSessions"), 4),
    rows(tokens, "/tokens" + owner, null, tokenRow, t("access.noTokens"), 6),
  ]);
}

function table(id, title, heads, body) {
  return el("section", { class: "card", "aria-labelledby": id },
    el("h3", { id }, title),
    el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("access.scrolls", { title }) },
      el("table", { class: "access stack-narrow" },
        el("thead", {}, el("tr", {}, heads.map((h) => (h ? el("th", { scope: "col" }, h) : el("td"))))), body)));
}

async function rows(body, path, cursor, draw, empty, columns) {
  try {
    const page = await apiPage(path, cursor);
    if (!page.rows.length && !cursor) body.append(el("tr", {}, el("td", { colspan: columns, class: "muted" }, empty)));
    body.append(...page.rows.map(draw));
    if (page.next) {
      const more = el("tr", {}, el("td", { colspan: columns }, el("button", { type: "button", class: "link", onclick: () => {
        more.remove();
        rows(body, path, page.next, draw, empty, columns);
      } }, t("access.more"))));
      body.append(more);
    }
  } catch (err) {
    say($("access-error"), err.message);
  }
}

// newTokenCard makes a token for the viewer and shows its secret once.
function newTokenCard(tokens) {
  const name = el("input", { type: "text", autocomplete: "off", maxlength: 100 });
  const expires = el("input", { type: "date" });
  const fields = [field("name", t("access.tokenName"), name), field("expires_at", t("access.tokenExpires"), expires)];
  const error = el("p", { class: "error", role: "alert" });
  const secret = el("div");
  const create = el("button", {}, t("access.create"));
  const form = el("form", { class: "new-token", novalidate: true }, el("div", { class: "filters" }, fields.map((f) => f.node)),
    el("div", { class: "row" }, create), error, secret);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    fill(secret);
    const body = { name: name.value };
    // The end of the chosen day on the viewer's clock.
    if (expires.value) body.expires_at = new Date(expires.value + "T23:59:59").toISOString();
    await busy(create, async () => {
      try {
        const made = await api("/tokens", { method: "POST", body });
        const shown = el("input", { type: "text", readonly: true, id: "new-token-secret", class: "secret" });
        shown.value = made.token;
        fill(secret, el("div", { class: "field" }, el("label", { for: "new-token-secret" }, t("access.secret")), shown,
          el("p", { class: "hint" }, t("access.secretHint"))));
        shown.select();
        name.value = "";
        expires.value = "";
        const empty = tokens.querySelector("td.muted");
        if (empty) empty.closest("tr").remove();
        tokens.prepend(tokenRow(made));
      } catch (err) {
        showErrors(err, fields, error);
      }
    });
  });
  return el("section", { class: "card", "aria-labelledby": "access-new-token" },
    el("h3", { id: "access-new-token" }, t("access.newToken")), el("p", { class: "hint" }, t("access.newTokenHelp")), form);
}

// when shows a sign-in time: exact for one's own, the day for another's.
function when(iso) {
  return others ? day(iso.slice(0, 10)) : shortDateTime(iso);
}

function sessionRow(s) {
  const signedIn = when(s.created_at);
  const end = el("button", { type: "button", class: "quiet", "aria-label": t("access.endOf", { when: signedIn }) }, t("access.end"));
  end.addEventListener("click", async () => {
    if (!await confirmAction(t("access.endTitle"), s.current ? t("access.endThisText") : t("access.endText"), t("access.end"), true)) return;
    await busy(end, async () => {
      try {
        await api(`/sessions/${s.id}`, { method: "DELETE" });
        if (s.current) {
          session.signOut();
          location.replace(location.pathname);
          return;
        }
        say($("access-status"), t("access.ended"));
        end.closest("tr").remove();
      } catch (err) {
        say($("access-error"), err.message);
      }
    });
  });
  return el("tr", {},
    el("th", { scope: "row" }, signedIn, s.current ? el("span", { class: "badge open" }, t("access.this")) : null),
    el("td", { "data-label": t("access.idle") }, when(s.idle_until)),
    el("td", { "data-label": t("access.ends") }, when(s.expires_at)),
    el("td", {}, end));
}

function tokenState(tok) {
  if (tok.revoked_at) return t("access.revoked");
  if (tok.expires_at && new Date(tok.expires_at) <= new Date()) return t("access.expired");
  return t("access.live");
}

function tokenRow(tok) {
  const state = el("span", { class: "badge " + (tok.revoked_at ? "" : "done") }, tokenState(tok));
  const revoke = tok.revoked_at ? null : el("button", { type: "button", class: "quiet", "aria-label": t("access.revokeOf", { name: tok.name }) }, t("access.revoke"));
  if (revoke) {
    revoke.addEventListener("click", async () => {
      if (!await confirmAction(t("access.revokeTitle", { name: tok.name }), t("access.revokeText"), t("access.revoke"), true)) return;
      await busy(revoke, async () => {
        try {
          const done = await api(`/tokens/${tok.id}`, { method: "DELETE" });
          state.textContent = tokenState(done);
          state.className = "badge";
          revoke.remove();
          say($("access-status"), t("access.revokedNote", { name: tok.name }));
        } catch (err) {
          say($("access-error"), err.message);
        }
      });
    });
  }
  return el("tr", {},
    el("th", { scope: "row" }, tok.name),
    el("td", { "data-label": t("access.created") }, shortDateTime(tok.created_at)),
    el("td", { "data-label": t("access.lastUsed") }, tok.last_used_on ? day(tok.last_used_on) : "\u2014"),
    el("td", { "data-label": t("access.expires") }, tok.expires_at ? shortDateTime(tok.expires_at) : t("access.never")),
    el("td", { "data-label": t("access.state") }, state),
    el("td", {}, revoke));
}
