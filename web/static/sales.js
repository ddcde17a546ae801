// Sales: each sales team's eNPS next to its sales KPIs per period, with
// Spearman's rho between them (managers and HR), and "My sales", a rep's
// own numbers. eNPS is only ever a team's: no rep's numbers sit next to one.

import { api, query } from "./api.js";
import { $, el, fill, say, sentence } from "./dom.js";
import { margin, number, percent, period, signed } from "./format.js";
import { fillSurveys } from "./results.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "sales.title": "Sales alongside eNPS",
  },
  ms: {
    "sales.title": "Jualan di samping eNPS",
  },
});

const count = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

function money(value, currency) {
  if (currency) {
    try {
      return new Intl.NumberFormat(undefined, { style: "currency", currency, maximumFractionDigits: 0 }).format(value);
    } catch {
      // not an ISO code: fall through to a plain number
    }
  }
  return count.format(value);
}

// kpiInfo names each KPI and says how its value reads.
const kpiInfo = {
  revenue: { label: "Revenue", show: (v, c) => money(v, c) },
  sales_growth: { label: "Growth", show: (v) => signed(v, 1) + "%" },
  conversion_rate: { label: "Lead conversion", show: (v) => percent(v, 1) },
  average_deal_size: { label: "Average deal", show: (v, c) => money(v, c) },
  win_rate: { label: "Win rate", show: (v) => percent(v, 0) },
  sales_cycle_days: { label: "Cycle", show: (v) => number(v, 1) + " days" },
  pipeline_velocity: { label: "Pipeline velocity", show: (v, c) => money(v, c) + "/day" },
  quota_attainment: { label: "Quota attainment", show: (v) => percent(v, 0) },
  reps_at_or_above_quota: { label: "Reps at quota", show: (v) => percent(v, 0) },
  calls: { label: "Calls", show: (v) => count.format(v) },
  meetings: { label: "Meetings", show: (v) => count.format(v) },
  lead_response_minutes: { label: "Lead response", show: (v) => count.format(v) + " min" },
  follow_up_rate: { label: "Follow-up rate", show: (v) => percent(v, 0) },
  cac: { label: "CAC", show: (v, c) => money(v, c) },
  clv: { label: "CLV", show: (v, c) => money(v, c) },
};

const mainKpis = ["revenue", "win_rate", "average_deal_size", "sales_cycle_days", "quota_attainment", "reps_at_or_above_quota", "pipeline_velocity"];
const ownKpis = ["revenue", "win_rate", "average_deal_size", "sales_cycle_days", "quota_attainment", "calls", "meetings", "lead_response_minutes", "follow_up_rate"];

// kpiCell shows a KPI, or "—" with the reason it is missing as its title.
function kpiCell(name, kpi, currency) {
  if (!kpi || kpi.value === null || kpi.value === undefined) {
    const reason = (kpi && kpi.reason) || "no data";
    return el("td", { class: "num missing", title: reason, "data-label": kpiInfo[name].label },
      el("span", { "aria-hidden": "true" }, "\u2014"), el("span", { class: "sr-only" }, "not available: " + reason));
  }
  return el("td", { class: "num", "data-label": kpiInfo[name].label }, kpiInfo[name].show(kpi.value, currency));
}

function enpsCell(e, inProgress) {
  if (!e || e.status === "no_data") {
    const why = inProgress ? "No round of this period has closed yet" : "No answers from this team in this period";
    return el("td", { class: "num missing", title: why, "data-label": "eNPS" },
      el("span", { "aria-hidden": "true" }, "\u2014"), el("span", { class: "sr-only" }, why.toLowerCase()));
  }
  if (e.status === "suppressed") {
    return el("td", { class: "suppressed-cell", title: "Too few answers to show without risking anyone's anonymity", "data-label": "eNPS" },
      "not enough answers");
  }
  return el("td", { class: "num", "data-label": "eNPS" },
    el("strong", {}, signed(e.enps, 1)),
    " " + margin(e),
    el("span", { class: "meta block" }, "n = " + e.n));
}

// periodHead names a row's period and marks one still running, whose
// figures are partial: a month begun yesterday is not a bad month.
function periodHead(label, inProgress) {
  return el("th", { scope: "row" }, label, inProgress
    ? el("span", { class: "badge running", title: "This period is not over: its figures so far are partial" }, "in progress")
    : null);
}

let ctx;
let request = 0;

// initSales fills the pickers once; the view then follows them.
export async function initSales(context) {
  ctx = context;
  const surveys = await ctx.surveys();
  fillSurveys($("s-survey"), surveys, ctx.surveyId);
  for (const id of ["s-survey", "s-group"]) $(id).addEventListener("change", load);
  $("sales-filters").addEventListener("submit", (ev) => ev.preventDefault());
  if (!surveys.length) {
    fill($("sales-body"), el("p", { class: "card muted" }, "There are no surveys yet, so there is no eNPS to put next to the sales numbers."));
    return;
  }
  await load();
}

// showSales follows a survey picked on the Results page meanwhile.
export function showSales() {
  if (ctx && $("s-survey").value && $("s-survey").value !== String(ctx.surveyId)) {
    $("s-survey").value = String(ctx.surveyId);
    load();
  }
}

async function load() {
  const surveyId = Number($("s-survey").value);
  const groupBy = $("s-group").value;
  ctx.pickSurvey(surveyId);
  const mine = ++request;
  say($("sales-error"), "");
  $("sales-body").setAttribute("aria-busy", "true");
  try {
    const data = await api("/sales/alongside" + query({ survey_id: surveyId, group_by: groupBy }));
    if (mine !== request) return;
    render(data, groupBy);
  } catch (err) {
    if (mine !== request) return;
    fill($("sales-body"));
    say($("sales-error"), err.message);
  } finally {
    if (mine === request) $("sales-body").removeAttribute("aria-busy");
  }
}

function render(data, groupBy) {
  if (!data.rows.length) {
    fill($("sales-body"), el("p", { class: "card muted" },
      "No team you can see has sales data yet. Once HR imports the CRM data, each sales team's numbers appear here next to its eNPS."));
    return;
  }
  const teams = new Map();
  for (const r of data.rows) {
    if (!teams.has(r.team_id)) teams.set(r.team_id, { name: r.team_name, rows: [] });
    teams.get(r.team_id).rows.push(r);
  }
  const periodOf = (r) => period({ period_start: r.period_start }, groupBy);
  fill($("sales-body"),
    [...teams.values()].map((t) => el("div", { class: "card" },
      el("h3", {}, t.name),
      el("div", { class: "table-wrap" },
        el("table", { class: "sales stack-narrow" },
          el("thead", {}, el("tr", {},
            el("th", { scope: "col" }, groupBy === "quarter" ? "Quarter" : "Month"),
            el("th", { scope: "col" }, "eNPS"),
            mainKpis.map((k) => el("th", { scope: "col" }, kpiInfo[k].label)))),
          el("tbody", {}, t.rows.map((r) => el("tr", { class: r.in_progress ? "in-progress" : null },
            periodHead(periodOf(r), r.in_progress),
            enpsCell(r.enps, r.in_progress),
            mainKpis.map((k) => kpiCell(k, r.kpis[k], ""))))))),
      el("p", { class: "hint" }, "eNPS is the team's, from the survey; KPIs count the team and its sub-teams. A period in progress counts only what has happened so far. Hover over \u201c\u2014\u201d to see why a number is missing."))),
    correlations(data.correlations, groupBy));
}

function correlations(list, groupBy) {
  const known = (list || []).filter((c) => kpiInfo[c.kpi]);
  return el("div", { class: "card" },
    el("h3", {}, "Does eNPS move with the numbers?"),
    el("p", { class: "hint" },
      "Spearman's rank correlation (rho, from \u22121 to +1) between team eNPS and each KPI, over every team and ",
      groupBy === "quarter" ? "quarter" : "month",
      " where both are known; a period still in progress is left out. Correlation is not causation: a link here does not say that one drives the other. Only team-level eNPS is used, never a person's."),
    el("div", { class: "table-wrap" },
      el("table", { class: "correlations stack-narrow" },
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, "KPI"), el("th", { scope: "col" }, "rho"), el("th", { scope: "col" }, "Team-periods"))),
        el("tbody", {}, known.map((c) => el("tr", {},
          el("th", { scope: "row" }, kpiInfo[c.kpi].label),
          c.rho === null || c.rho === undefined
            ? el("td", { class: "muted", colspan: 2 }, noRho(c))
            : [el("td", { class: "num", "data-label": "rho" }, signed(c.rho, 2), " ", el("span", { class: "muted" }, strength(c.rho))),
              el("td", { class: "num", "data-label": "Team-periods" }, "n = " + c.n)]))))));
}

// noRho says why a KPI has no correlation, in the API's words: too few
// team-periods, or a reason no team-period will ever have it (CAC, CLV).
function noRho(c) {
  const note = sentence(c.note || "not enough data");
  if (c.note && c.note !== "not enough data") return note;
  return note + " (" + c.n + " of the 8 team-periods needed)";
}

function strength(rho) {
  const a = Math.abs(rho);
  if (a < 0.1) return "(none)";
  if (a < 0.3) return "(weak)";
  if (a < 0.5) return "(moderate)";
  return "(strong)";
}

// hasSalesData says whether a KPI report holds anything of the person's own.
export function hasSalesData(report) {
  return Boolean(report && report.rows.some((r) => r.kpis.deals_won || r.kpis.deals_lost || r.kpis.open_deals ||
    r.kpis.calls.value || r.kpis.meetings.value || r.kpis.revenue.value !== null));
}

// initMySales shows the person's own numbers by month.
export async function initMySales(context) {
  const report = context.ownSales || await api("/sales/kpis" + query({ rep_id: context.me.id, group_by: "month" }));
  context.ownSales = null; // fetched afresh next time
  if (!hasSalesData(report)) {
    fill($("my-sales-body"), el("p", { class: "card muted" }, "There are no sales numbers of yours yet."));
    return;
  }
  const rows = [...report.rows].reverse();
  fill($("my-sales-body"), el("div", { class: "card" },
    el("p", { class: "hint" }, "Your own deals, by month (UTC), newest first; the month in progress counts only what has happened so far. Hover over \u201c\u2014\u201d to see why a number is missing. Only you, your managers and HR see these."),
    el("div", { class: "table-wrap" },
      el("table", { class: "sales stack-narrow" },
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, "Month"),
          el("th", { scope: "col" }, "Deals won / lost"),
          ownKpis.map((k) => el("th", { scope: "col" }, kpiInfo[k].label)))),
        el("tbody", {}, rows.map((r) => el("tr", { class: r.in_progress ? "in-progress" : null },
          periodHead(period({ period_start: r.period_start }, "month"), r.in_progress),
          el("td", { class: "num", "data-label": "Deals won / lost" }, r.kpis.deals_won + " / " + r.kpis.deals_lost),
          ownKpis.map((k) => kpiCell(k, r.kpis[k], report.currency)))))))));
}
