// Sales: each sales team's eNPS next to its sales KPIs per period, with
// Spearman's rho between them (managers and HR), and "My sales", a rep's
// own numbers. eNPS is only ever a team's: no rep's numbers sit next to one.

import { api, query } from "./api.js";
import { $, el, fill, say, sentence } from "./dom.js";
import { count, margin, money, number, percent, period, signed } from "./format.js";
import { fillSurveys } from "./results.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "sales.title": "Sales alongside eNPS",
    "kpi.revenue": "Revenue",
    "kpi.sales_growth": "Growth",
    "kpi.conversion_rate": "Lead conversion",
    "kpi.average_deal_size": "Average deal",
    "kpi.win_rate": "Win rate",
    "kpi.sales_cycle_days": "Cycle",
    "kpi.pipeline_velocity": "Pipeline velocity",
    "kpi.quota_attainment": "Quota attainment",
    "kpi.reps_at_or_above_quota": "Reps at quota",
    "kpi.calls": "Calls",
    "kpi.meetings": "Meetings",
    "kpi.lead_response_minutes": "Lead response",
    "kpi.follow_up_rate": "Follow-up rate",
    "kpi.cac": "CAC",
    "kpi.clv": "CLV",
    "sales.days": "{v} days",
    "sales.perDay": "{v}/day",
    "sales.minutes": "{v} min",
    "sales.noData": "no data",
    "sales.notAvailable": "not available: {reason}",
    "sales.notClosed": "No round of this period has closed yet",
    "sales.noAnswers": "No answers from this team in this period",
    "sales.tooFew": "Too few answers to show without risking anyone's anonymity",
    "sales.notEnough": "not enough answers",
    "sales.partial": "This period is not over: its figures so far are partial",
    "sales.inProgress": "in progress",
    "sales.noSurveys": "There are no surveys yet, so there is no eNPS to put next to the sales numbers.",
    "sales.noRows": "No team you can see has sales data yet. Once HR imports the CRM data, each sales team's numbers appear here next to its eNPS.",
    "sales.month": "Month",
    "sales.quarter": "Quarter",
    "sales.enps": "eNPS",
    "sales.tableLabel": "Sales and eNPS of {team}, a table that scrolls sideways",
    "sales.teamHint": "eNPS is the team's, from the survey; KPIs count the team and its sub-teams. A period in progress counts only what has happened so far. Hover over \u201c\u2014\u201d to see why a number is missing.",
    "sales.corrTitle": "Does eNPS move with the numbers?",
    "sales.corrHintMonth": "Spearman's rank correlation (rho, from \u22121 to +1) between team eNPS and each KPI, over every team and month where both are known; a period still in progress is left out. Correlation is not causation: a link here does not say that one drives the other. Only team-level eNPS is used, never a person's.",
    "sales.corrHintQuarter": "Spearman's rank correlation (rho, from \u22121 to +1) between team eNPS and each KPI, over every team and quarter where both are known; a period still in progress is left out. Correlation is not causation: a link here does not say that one drives the other. Only team-level eNPS is used, never a person's.",
    "sales.kpi": "KPI",
    "sales.rho": "rho",
    "sales.teamPeriods": "Team-periods",
    "sales.corrLabel": "Correlations, a table that scrolls sideways",
    "sales.notEnoughData": "Not enough data",
    "sales.needed": "{note} ({n} of the 8 team-periods needed)",
    "sales.none": "(none)",
    "sales.weak": "(weak)",
    "sales.moderate": "(moderate)",
    "sales.strong": "(strong)",
    "sales.mineNone": "There are no sales numbers of yours yet.",
    "sales.mineHint": "Your own deals, by month (UTC), newest first; the month in progress counts only what has happened so far. Hover over \u201c\u2014\u201d to see why a number is missing. Only you, your managers and HR see these.",
    "sales.mineLabel": "My sales by month, a table that scrolls sideways",
    "sales.wonLost": "Deals won / lost",
  },
  ms: {
    "sales.title": "Jualan di samping eNPS",
    "kpi.revenue": "Hasil",
    "kpi.sales_growth": "Pertumbuhan",
    "kpi.conversion_rate": "Penukaran prospek",
    "kpi.average_deal_size": "Purata urus niaga",
    "kpi.win_rate": "Kadar kejayaan",
    "kpi.sales_cycle_days": "Kitaran",
    "kpi.pipeline_velocity": "Halaju saluran jualan",
    "kpi.quota_attainment": "Pencapaian kuota",
    "kpi.reps_at_or_above_quota": "Wakil mencapai kuota",
    "kpi.calls": "Panggilan",
    "kpi.meetings": "Mesyuarat",
    "kpi.lead_response_minutes": "Respons prospek",
    "kpi.follow_up_rate": "Kadar susulan",
    "kpi.cac": "CAC",
    "kpi.clv": "CLV",
    "sales.days": "{v} hari",
    "sales.perDay": "{v}/hari",
    "sales.minutes": "{v} min",
    "sales.noData": "tiada data",
    "sales.notAvailable": "tidak tersedia: {reason}",
    "sales.notClosed": "Belum ada pusingan dalam tempoh ini yang ditutup",
    "sales.noAnswers": "Tiada jawapan daripada pasukan ini dalam tempoh ini",
    "sales.tooFew": "Terlalu sedikit jawapan untuk dipaparkan tanpa menjejaskan kerahsiaan identiti sesiapa",
    "sales.notEnough": "jawapan tidak mencukupi",
    "sales.partial": "Tempoh ini belum tamat: angkanya setakat ini belum lengkap",
    "sales.inProgress": "sedang berjalan",
    "sales.noSurveys": "Belum ada tinjauan, jadi tiada eNPS untuk diletakkan di sebelah angka jualan.",
    "sales.noRows": "Belum ada pasukan yang boleh anda lihat mempunyai data jualan. Sebaik sahaja HR mengimport data CRM, angka setiap pasukan jualan dipaparkan di sini di sebelah eNPSnya.",
    "sales.month": "Bulan",
    "sales.quarter": "Suku tahun",
    "sales.enps": "eNPS",
    "sales.tableLabel": "Jualan dan eNPS {team}, jadual yang boleh ditatal ke sisi",
    "sales.teamHint": "eNPS ialah milik pasukan, daripada tinjauan; KPI mengira pasukan dan sub-pasukannya. Tempoh yang sedang berjalan hanya mengira apa yang telah berlaku setakat ini. Letakkan tetikus pada \u201c\u2014\u201d untuk melihat sebab sesuatu angka tiada.",
    "sales.corrTitle": "Adakah eNPS bergerak seiring dengan angka?",
    "sales.corrHintMonth": "Korelasi pangkat Spearman (rho, dari \u22121 hingga +1) antara eNPS pasukan dan setiap KPI, bagi setiap pasukan dan bulan yang kedua-duanya diketahui; tempoh yang masih berjalan tidak diambil kira. Korelasi bukan sebab-akibat: kaitan di sini tidak bermakna satu mendorong yang lain. Hanya eNPS peringkat pasukan digunakan, bukan milik seseorang individu.",
    "sales.corrHintQuarter": "Korelasi pangkat Spearman (rho, dari \u22121 hingga +1) antara eNPS pasukan dan setiap KPI, bagi setiap pasukan dan suku tahun yang kedua-duanya diketahui; tempoh yang masih berjalan tidak diambil kira. Korelasi bukan sebab-akibat: kaitan di sini tidak bermakna satu mendorong yang lain. Hanya eNPS peringkat pasukan digunakan, bukan milik seseorang individu.",
    "sales.kpi": "KPI",
    "sales.rho": "rho",
    "sales.teamPeriods": "Tempoh pasukan",
    "sales.corrLabel": "Korelasi, jadual yang boleh ditatal ke sisi",
    "sales.notEnoughData": "Data tidak mencukupi",
    "sales.needed": "{note} ({n} daripada 8 tempoh pasukan yang diperlukan)",
    "sales.none": "(tiada)",
    "sales.weak": "(lemah)",
    "sales.moderate": "(sederhana)",
    "sales.strong": "(kuat)",
    "sales.mineNone": "Belum ada angka jualan anda.",
    "sales.mineHint": "Urus niaga anda sendiri, mengikut bulan (UTC), terbaharu dahulu; bulan yang sedang berjalan hanya mengira apa yang telah berlaku setakat ini. Letakkan tetikus pada \u201c\u2014\u201d untuk melihat sebab sesuatu angka tiada. Hanya anda, pengurus anda dan HR melihat angka ini.",
    "sales.mineLabel": "Jualan saya mengikut bulan, jadual yang boleh ditatal ke sisi",
    "sales.wonLost": "Urus niaga berjaya / gagal",
  },
});

// kpiInfo names each KPI and says how its value reads.
// Labels are looked up when drawn ("kpi." + name), in the language in use.
const kpiInfo = {
  revenue: { show: (v, c) => money(v, c) },
  sales_growth: { show: (v) => signed(v, 1) + "%" },
  conversion_rate: { show: (v) => percent(v, 1) },
  average_deal_size: { show: (v, c) => money(v, c) },
  win_rate: { show: (v) => percent(v, 0) },
  sales_cycle_days: { show: (v) => t("sales.days", { v: number(v, 1) }) },
  pipeline_velocity: { show: (v, c) => t("sales.perDay", { v: money(v, c) }) },
  quota_attainment: { show: (v) => percent(v, 0) },
  reps_at_or_above_quota: { show: (v) => percent(v, 0) },
  calls: { show: (v) => count(v) },
  meetings: { show: (v) => count(v) },
  lead_response_minutes: { show: (v) => t("sales.minutes", { v: count(v) }) },
  follow_up_rate: { show: (v) => percent(v, 0) },
  cac: { show: (v, c) => money(v, c) },
  clv: { show: (v, c) => money(v, c) },
};

function kpiLabel(name) {
  return t("kpi." + name);
}

const mainKpis = ["revenue", "win_rate", "average_deal_size", "sales_cycle_days", "quota_attainment", "reps_at_or_above_quota", "pipeline_velocity"];
const ownKpis = ["revenue", "win_rate", "average_deal_size", "sales_cycle_days", "quota_attainment", "calls", "meetings", "lead_response_minutes", "follow_up_rate"];

// kpiCell shows a KPI, or "—" with the reason it is missing as its title.
function kpiCell(name, kpi, currency) {
  if (!kpi || kpi.value === null || kpi.value === undefined) {
    const reason = (kpi && kpi.reason) || t("sales.noData");
    return el("td", { class: "num missing", title: reason, "data-label": kpiLabel(name) },
      el("span", { "aria-hidden": "true" }, "\u2014"), el("span", { class: "sr-only" }, t("sales.notAvailable", { reason })));
  }
  return el("td", { class: "num", "data-label": kpiLabel(name) }, kpiInfo[name].show(kpi.value, currency));
}

function enpsCell(e, inProgress) {
  if (!e || e.status === "no_data") {
    const why = inProgress ? t("sales.notClosed") : t("sales.noAnswers");
    return el("td", { class: "num missing", title: why, "data-label": t("sales.enps") },
      el("span", { "aria-hidden": "true" }, "\u2014"), el("span", { class: "sr-only" }, why.toLowerCase()));
  }
  if (e.status === "suppressed") {
    return el("td", { class: "suppressed-cell", title: t("sales.tooFew"), "data-label": t("sales.enps") },
      t("sales.notEnough"));
  }
  return el("td", { class: "num", "data-label": t("sales.enps") },
    el("strong", {}, signed(e.enps, 1)),
    " " + margin(e),
    el("span", { class: "meta block" }, "n = " + e.n));
}

// periodHead names a row's period and marks one still running, whose
// figures are partial: a month begun yesterday is not a bad month.
function periodHead(label, inProgress) {
  return el("th", { scope: "row" }, label, inProgress
    ? el("span", { class: "badge running", title: t("sales.partial") }, t("sales.inProgress"))
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
    fill($("sales-body"), el("p", { class: "card muted" }, t("sales.noSurveys")));
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
    fill($("sales-body"), el("p", { class: "card muted" }, t("sales.noRows")));
    return;
  }
  const teams = new Map();
  for (const r of data.rows) {
    if (!teams.has(r.team_id)) teams.set(r.team_id, { name: r.team_name, rows: [] });
    teams.get(r.team_id).rows.push(r);
  }
  const periodOf = (r) => period({ period_start: r.period_start }, groupBy);
  fill($("sales-body"),
    [...teams.values()].map((team) => el("div", { class: "card" },
      el("h3", {}, team.name),
      el("div", { class: "table-wrap", tabindex: 0, role: "region", "aria-label": t("sales.tableLabel", { team: team.name }) },
        el("table", { class: "sales stack-narrow" },
          el("thead", {}, el("tr", {},
            el("th", { scope: "col" }, groupBy === "quarter" ? t("sales.quarter") : t("sales.month")),
            el("th", { scope: "col" }, t("sales.enps")),
            mainKpis.map((k) => el("th", { scope: "col" }, kpiLabel(k))))),
          el("tbody", {}, team.rows.map((r) => el("tr", { class: r.in_progress ? "in-progress" : null },
            periodHead(periodOf(r), r.in_progress),
            enpsCell(r.enps, r.in_progress),
            mainKpis.map((k) => kpiCell(k, r.kpis[k], ""))))))),
      el("p", { class: "hint" }, t("sales.teamHint")))),
    correlations(data.correlations, groupBy));
}

function correlations(list, groupBy) {
  const known = (list || []).filter((c) => kpiInfo[c.kpi]);
  return el("div", { class: "card" },
    el("h3", {}, t("sales.corrTitle")),
    el("p", { class: "hint" }, groupBy === "quarter" ? t("sales.corrHintQuarter") : t("sales.corrHintMonth")),
    el("div", { class: "table-wrap", tabindex: 0, role: "region", "aria-label": t("sales.corrLabel") },
      el("table", { class: "correlations stack-narrow" },
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, t("sales.kpi")), el("th", { scope: "col" }, t("sales.rho")), el("th", { scope: "col" }, t("sales.teamPeriods")))),
        el("tbody", {}, known.map((c) => el("tr", {},
          el("th", { scope: "row" }, kpiLabel(c.kpi)),
          c.rho === null || c.rho === undefined
            ? el("td", { class: "muted", colspan: 2 }, noRho(c))
            : [el("td", { class: "num", "data-label": t("sales.rho") }, signed(c.rho, 2), " ", el("span", { class: "muted" }, strength(c.rho))),
              el("td", { class: "num", "data-label": t("sales.teamPeriods") }, "n = " + c.n)]))))));
}

// noRho says why a KPI has no correlation, in the API's words: too few
// team-periods, or a reason no team-period will ever have it (CAC, CLV).
function noRho(c) {
  if (c.note && c.note !== "not enough data") return sentence(c.note);
  return t("sales.needed", { note: t("sales.notEnoughData"), n: c.n });
}

function strength(rho) {
  const a = Math.abs(rho);
  if (a < 0.1) return t("sales.none");
  if (a < 0.3) return t("sales.weak");
  if (a < 0.5) return t("sales.moderate");
  return t("sales.strong");
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
    fill($("my-sales-body"), el("p", { class: "card muted" }, t("sales.mineNone")));
    return;
  }
  const rows = [...report.rows].reverse();
  fill($("my-sales-body"), el("div", { class: "card" },
    el("p", { class: "hint" }, t("sales.mineHint")),
    el("div", { class: "table-wrap", tabindex: 0, role: "region", "aria-label": t("sales.mineLabel") },
      el("table", { class: "sales stack-narrow" },
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, t("sales.month")),
          el("th", { scope: "col" }, t("sales.wonLost")),
          ownKpis.map((k) => el("th", { scope: "col" }, kpiLabel(k))))),
        el("tbody", {}, rows.map((r) => el("tr", { class: r.in_progress ? "in-progress" : null },
          periodHead(period({ period_start: r.period_start }, "month"), r.in_progress),
          el("td", { class: "num", "data-label": t("sales.wonLost") }, r.kpis.deals_won + " / " + r.kpis.deals_lost),
          ownKpis.map((k) => kpiCell(k, r.kpis[k], report.currency)))))))));
}
