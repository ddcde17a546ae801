// The dashboard's entry point: signs in with the token from the sign-in
// link (or a pasted one), then shows the views the person's role allows.
// The API decides what each person may see; the views only follow it.

import { api, apiAll, query, session, whenSignedOut } from "./api.js";
import { $, say } from "./dom.js";
import { roleName } from "./format.js";
import { locale, strings, translatePage, useLocale } from "./i18n.js";
import { initResults, showResults } from "./results.js";
import { initSurveys } from "./answer.js";
import { initRounds, initSettings, showRounds } from "./admin.js";
import { initPeople } from "./people.js";
import { initImports } from "./imports.js";
import { initAccess, showAccess } from "./access.js";
import { initSetup } from "./setup.js";
import { initOneOnOnes, showOneOnOnes } from "./oneonones.js";
import { hasSalesData, initMySales, initSales, showSales } from "./sales.js";

const t = strings({
  en: {
    "app.skip": "Skip to content",
    "app.nav": "Dashboard",
    "app.language": "Language",
    "app.languageFailed": "Your language could not be saved: {reason}",
    "app.signout": "Sign out",
    "app.loading": "Loading…",
    "app.filters": "What to show",
    "app.survey": "Survey",
    "app.team": "Team",
    "app.groupby": "Group by",
    "app.round": "Round",
    "app.week": "Week",
    "app.month": "Month",
    "app.quarter": "Quarter",
    "app.from": "From",
    "app.to": "To",
    "app.expired": "Your sign-in has expired or is not valid. Open a new sign-in link (type /pulse dashboard in Slack), or paste a token.",
    "nav.results": "Results",
    "nav.surveys": "My surveys",
    "nav.setup": "Survey setup",
    "nav.oneonones": "One-on-ones",
    "nav.sales": "Sales",
    "nav.mysales": "My sales",
    "nav.rounds": "Rounds",
    "nav.people": "People",
    "nav.settings": "Settings",
    "nav.imports": "Imports",
    "nav.access": "Sign-ins",
    "signin.title": "Sign in",
    "signin.intro1": "Open the sign-in link Pulse gave you (type",
    "signin.intro2": "in Slack for a new one), or paste an API token.",
    "signin.token": "API token",
    "signin.button": "Sign in",
  },
  ms: {
    "app.skip": "Langkau ke kandungan",
    "app.nav": "Papan pemuka",
    "app.language": "Bahasa",
    "app.languageFailed": "Bahasa anda tidak dapat disimpan: {reason}",
    "app.signout": "Log keluar",
    "app.loading": "Memuatkan…",
    "app.filters": "Apa yang hendak dipaparkan",
    "app.survey": "Tinjauan",
    "app.team": "Pasukan",
    "app.groupby": "Kumpulkan mengikut",
    "app.round": "Pusingan",
    "app.week": "Minggu",
    "app.month": "Bulan",
    "app.quarter": "Suku tahun",
    "app.from": "Dari",
    "app.to": "Hingga",
    "app.expired": "Log masuk anda telah tamat tempoh atau tidak sah. Buka pautan log masuk baharu (taip /pulse dashboard dalam Slack), atau tampal token.",
    "nav.results": "Keputusan",
    "nav.surveys": "Tinjauan saya",
    "nav.setup": "Tetapan tinjauan",
    "nav.oneonones": "Sesi 1:1",
    "nav.sales": "Jualan",
    "nav.mysales": "Jualan saya",
    "nav.rounds": "Pusingan",
    "nav.people": "Kakitangan",
    "nav.settings": "Tetapan",
    "nav.imports": "Import",
    "nav.access": "Log masuk",
    "signin.title": "Log masuk",
    "signin.intro1": "Buka pautan log masuk yang diberikan oleh Pulse (taip",
    "signin.intro2": "dalam Slack untuk pautan baharu), atau tampal token API.",
    "signin.token": "Token API",
    "signin.button": "Log masuk",
  },
});

const views = {
  results: { init: initResults, show: showResults },
  surveys: { init: initSurveys },
  setup: { init: initSetup },
  "one-on-ones": { init: initOneOnOnes, show: showOneOnOnes },
  sales: { init: initSales, show: showSales },
  "my-sales": { init: initMySales },
  rounds: { init: initRounds, show: showRounds },
  people: { init: initPeople },
  imports: { init: initImports },
  settings: { init: initSettings },
  access: { init: initAccess, show: showAccess },
};

const surveyKey = "pulse.survey";
let ctx = null;
let current = null;
const started = new Set();

// takeToken keeps the token from a sign-in link (#token=…) and takes it
// out of the address bar, so it is not left in history or bookmarks. A
// page to open may follow the token: #token=…&view=one-on-ones/12.
function takeToken() {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get("token");
  if (!token) return;
  session.signIn(token);
  const view = params.get("view");
  history.replaceState(null, "", location.pathname + location.search + (view ? "#" + view : ""));
}

function context(me) {
  let surveys = null;
  let thresholds = null;
  const c = {
    me,
    // What the person has beyond their role: "sales-data" when they own sales numbers.
    has: new Set(),
    ownSales: null,
    surveyId: null,
    // Every survey, fetched once. The one picked last time comes first,
    // else the newest not archived.
    surveys: () => {
      surveys ||= apiAll("/surveys").then((list) => {
        const remembered = list.find((s) => String(s.id) === localStorage.getItem(surveyKey));
        if (c.surveyId === null && list.length) c.surveyId = (remembered || list.find((s) => !s.archived) || list[0]).id;
        return list;
      }, (err) => {
        surveys = null;
        throw err;
      });
      return surveys;
    },
    thresholds: () => {
      thresholds ||= api("/settings/anonymity").catch((err) => {
        thresholds = null;
        throw err;
      });
      return thresholds;
    },
    pickSurvey: (id) => {
      c.surveyId = id;
      localStorage.setItem(surveyKey, String(id));
    },
    // forgetSurveys drops the list after a survey was created or changed.
    forgetSurveys: () => {
      surveys = null;
    },
    resetThresholds: () => {
      thresholds = null;
    },
  };
  return c;
}

function allowedViews() {
  return [...document.querySelectorAll("#nav a")]
    .filter((a) => !a.dataset.roles || a.dataset.roles.split(" ").includes(ctx.me.role))
    .filter((a) => !a.dataset.needs || ctx.has.has(a.dataset.needs))
    .map((a) => a.dataset.view);
}

// route shows the view the address names. What follows the view's name
// ("#one-on-ones/12") is the view's own page, passed on to it.
function route(fromNav) {
  const allowed = allowedViews();
  const [wanted, ...rest] = location.hash.slice(1).split("/");
  const sub = rest.join("/");
  if (current && !allowed.includes(wanted)) return; // an in-page link such as "skip to content"
  const name = allowed.includes(wanted) ? wanted : allowed[0];
  const same = name === current;
  current = name;
  for (const link of document.querySelectorAll("#nav a")) {
    if (link.dataset.view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  for (const view of Object.keys(views)) $("view-" + view).hidden = view !== name;
  document.title = document.querySelector(`#nav a[data-view="${name}"]`).textContent + " \u00b7 Pulse";
  if (fromNav && !same && !sub) $("view-" + name).querySelector("h2").focus();
  if (!started.has(name)) {
    started.add(name);
    views[name].init(ctx, sub, fromNav).catch((err) => {
      started.delete(name);
      const alert = $("view-" + name).querySelector(".error[role=alert]") || $("sign-in-error");
      say(alert, err.message);
    });
  } else if (views[name].show) {
    views[name].show(sub, fromNav);
  }
}

function showSignIn(message) {
  $("loading").hidden = true;
  $("nav").hidden = true;
  $("sign-out").hidden = true;
  $("who").textContent = "";
  for (const view of Object.keys(views)) $("view-" + view).hidden = true;
  $("sign-in").hidden = false;
  say($("sign-in-error"), message || "");
}

async function start() {
  translatePage();
  $("language").value = locale();
  takeToken();
  if (!session.token()) {
    showSignIn();
    return;
  }
  let me;
  try {
    me = await api("/me");
  } catch (err) {
    if (err.status !== 401) showSignIn(err.message);
    return;
  }
  if (useLocale(me.locale)) translatePage();
  $("language").value = locale();
  ctx = context(me);
  $("loading").hidden = true;
  $("sign-in").hidden = true;
  $("who").textContent = me.name + " \u00b7 " + roleName(me.role);
  $("sign-out").hidden = false;
  showLinks();
  $("nav").hidden = false;
  for (const view of Object.keys(views)) $("view-" + view).querySelector("h2").setAttribute("tabindex", "-1");
  const wanted = location.hash.slice(1).split("/")[0];
  // Drawn first; whether to offer "My sales" is asked afterwards, so no
  // sign-in waits on a sales query. An address naming it waits for the answer.
  if (wanted !== "my-sales") route(false);
  await offerOwnSales(me);
  if (wanted === "my-sales" && ctx && !current) route(false);
}

function showLinks() {
  const allowed = allowedViews();
  for (const link of document.querySelectorAll("#nav a")) link.hidden = !allowed.includes(link.dataset.view);
}

// offerOwnSales shows "My sales" to whoever owns sales numbers, whatever their role.
async function offerOwnSales(me) {
  try {
    const own = await api("/sales/kpis" + query({ rep_id: me.id, group_by: "month" }));
    if (ctx && hasSalesData(own)) {
      ctx.has.add("sales-data");
      ctx.ownSales = own;
      showLinks();
    }
  } catch {
    // Without it the rest of the dashboard still works; the link stays hidden.
  }
}

whenSignedOut(() => {
  session.signOut();
  ctx = null;
  current = null;
  started.clear();
  showSignIn(t("app.expired"));
});

$("token-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  session.signIn($("token").value.trim());
  location.reload(); // start afresh, with no view left over from an earlier sign-in
});

// Signing out ends the dashboard session on the server too, so the secret
// is worthless even if it was copied; a pasted API token is left working
// (revoke that with DELETE /api/v1/tokens/{id}).
$("sign-out").addEventListener("click", async () => {
  try {
    await api("/session", { method: "DELETE" });
  } catch {
    // Already ended or unreachable: the browser forgets it either way.
  }
  session.signOut();
  location.replace(location.pathname);
});

// The language switch saves the choice on the person (Slack follows it too)
// and starts afresh, so every view is drawn in the new language.
$("language").addEventListener("change", async () => {
  const wanted = $("language").value;
  if (ctx) {
    try {
      await api("/me/preferences", { method: "PATCH", body: { locale: wanted } });
    } catch (err) {
      $("language").value = locale();
      const alert = current ? $("view-" + current).querySelector(".error[role=alert]") : null;
      say(alert || $("sign-in-error"), t("app.languageFailed", { reason: err.message }));
      return;
    }
  }
  useLocale(wanted);
  location.reload();
});

window.addEventListener("hashchange", () => {
  // A sign-in link opened in this tab changes only the fragment: start afresh.
  if (new URLSearchParams(location.hash.slice(1)).has("token")) location.reload();
  else if (ctx) route(true);
});

start();
