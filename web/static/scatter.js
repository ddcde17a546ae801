// Sales beside eNPS as a picture: one dot per team and period, the team's
// eNPS up the side and the chosen KPI along the bottom, with Spearman's rho
// and n from the API. A period still running is drawn hollow and marked
// "in progress"; it is left out of rho. The same pairs are in a table.

import { el, fill, svg, uid } from "./dom.js";
import { period, signed } from "./format.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "scatter.title": "eNPS against a KPI",
    "scatter.kpi": "KPI",
    "scatter.rho": "Spearman's rho {rho} over {n} team-periods",
    "scatter.noRho": "No rho: {note} ({n} of the {min} team-periods needed)",
    "scatter.noRhoWhy": "No rho: {note}",
    "scatter.notEnoughData": "not enough data",
    "scatter.inProgress": "in progress",
    "scatter.inProgressKey": "hollow dot: period in progress, left out of rho",
    "scatter.left": "{n} team-periods have no eNPS to show (too few answers, or no round) or no value for this KPI, so they are not drawn.",
    "scatter.none": "No team-period has both an eNPS and this KPI yet.",
    "scatter.dot": "{team}, {period}: eNPS {enps}, {kpi} {value}",
    "scatter.tableView": "Table view",
    "scatter.team": "Team",
    "scatter.period": "Period",
    "scatter.enps": "eNPS",
    "scatter.svgTitle": "Team eNPS against {kpi}, one dot per team and period; the table view lists them.",
    "scatter.scroll": "Scatter table, scrolls sideways",
    "scatter.allTeams": "All teams",
  },
  ms: {
    "scatter.title": "eNPS berbanding KPI",
    "scatter.kpi": "KPI",
    "scatter.rho": "rho Spearman {rho} merentas {n} tempoh pasukan",
    "scatter.noRho": "Tiada rho: {note} ({n} daripada {min} tempoh pasukan yang diperlukan)",
    "scatter.noRhoWhy": "Tiada rho: {note}",
    "scatter.notEnoughData": "data tidak mencukupi",
    "scatter.inProgress": "sedang berjalan",
    "scatter.inProgressKey": "titik berongga: tempoh sedang berjalan, tidak dikira dalam rho",
    "scatter.left": "{n} tempoh pasukan tiada eNPS untuk dipaparkan (jawapan terlalu sedikit, atau tiada pusingan) atau tiada nilai bagi KPI ini, jadi ia tidak dilukis.",
    "scatter.none": "Belum ada tempoh pasukan yang mempunyai eNPS dan KPI ini.",
    "scatter.dot": "{team}, {period}: eNPS {enps}, {kpi} {value}",
    "scatter.tableView": "Paparan jadual",
    "scatter.team": "Pasukan",
    "scatter.period": "Tempoh",
    "scatter.enps": "eNPS",
    "scatter.svgTitle": "eNPS pasukan berbanding {kpi}, satu titik bagi setiap pasukan dan tempoh; paparan jadual menyenaraikannya.",
    "scatter.scroll": "Jadual serakan, boleh ditatal ke sisi",
    "scatter.allTeams": "Semua pasukan",
  },
});

const minPairs = 8; // as sales.MinPairs: fewer pairs get no rho

// scatterCard draws the picture for data (GET /sales/alongside), offering
// the KPIs in kpis ({key, label, show(value)}), starting with the first.
export function scatterCard(data, groupBy, kpis) {
  const selectId = uid("scatter-kpi");
  const select = el("select", { id: selectId }, kpis.map((k) => el("option", { value: k.key }, k.label)));
  const body = el("div", { class: "scatter-body" });
  // Drawn at the width the card has, so its text stays at reading size;
  // before the card is on the page that width is not known yet.
  const draw = () => fill(body, picture(data, groupBy, kpis.find((k) => k.key === select.value), body.clientWidth || 600));
  select.addEventListener("change", draw);
  draw();
  requestAnimationFrame(() => {
    if (body.isConnected && body.clientWidth) draw();
  });
  return el("section", { class: "card scatter-card" },
    el("h3", {}, t("scatter.title")),
    el("div", { class: "field" }, el("label", { for: selectId }, t("scatter.kpi")), select),
    body);
}

function pairsOf(data, kpi) {
  const pairs = [];
  let left = 0;
  for (const r of data.rows) {
    const v = r.kpis[kpi.key];
    if (r.enps.status !== "shown" || !v || v.value === null || v.value === undefined) {
      left++;
      continue;
    }
    pairs.push({ row: r, x: v.value, y: r.enps.enps });
  }
  return { pairs, left };
}

function picture(data, groupBy, kpi, width) {
  const { pairs, left } = pairsOf(data, kpi);
  const c = (data.correlations || []).find((x) => x.kpi === kpi.key);
  const rhoLine = el("p", { class: "scatter-rho" }, rhoText(c));
  if (!pairs.length) return [rhoLine, el("p", { class: "muted" }, t("scatter.none"))];
  return [rhoLine, plot(pairs, groupBy, kpi, width),
    el("p", { class: "hint" }, t("scatter.inProgressKey")),
    left ? el("p", { class: "hint" }, t("scatter.left", { n: left })) : null,
    table(pairs, groupBy, kpi)];
}

// rhoText says why there is no rho in the API's words, except the API's
// "not enough data", a code worded here with the count.
function rhoText(c) {
  if (!c) return t("scatter.noRhoWhy", { note: t("scatter.notEnoughData") });
  if (c.rho === null || c.rho === undefined) {
    return c.note && c.note !== "not enough data"
      ? t("scatter.noRhoWhy", { note: c.note })
      : t("scatter.noRho", { note: t("scatter.notEnoughData"), n: c.n, min: minPairs });
  }
  return t("scatter.rho", { rho: signed(c.rho, 2), n: c.n });
}

// niceRange widens lo..hi to round steps, with a little room at the ends.
function niceRange(lo, hi) {
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    return [lo - pad, hi + pad];
  }
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

function plot(pairs, groupBy, kpi, width) {
  const w = Math.max(300, Math.min(900, Math.round(width)));
  const h = 320;
  const m = { top: 16, right: 16, bottom: 40, left: 48 };
  const [x0, x1] = niceRange(Math.min(...pairs.map((p) => p.x)), Math.max(...pairs.map((p) => p.x)));
  const ys = pairs.map((p) => p.y);
  const y0 = Math.max(-100, Math.floor(Math.min(0, ...ys) / 20) * 20);
  const y1 = Math.min(100, Math.max(y0 + 20, Math.ceil(Math.max(0, ...ys) / 20) * 20));
  const x = (v) => m.left + ((v - x0) / (x1 - x0)) * (w - m.left - m.right);
  const y = (v) => m.top + ((y1 - v) / (y1 - y0)) * (h - m.top - m.bottom);
  const titleId = uid("scatter-title");
  const chart = svg("svg", { class: "chart scatter", width: w, height: h, viewBox: `0 0 ${w} ${h}`, role: "img", "aria-labelledby": titleId },
    svg("title", { id: titleId }, t("scatter.svgTitle", { kpi: kpi.label })));
  for (let v = y0; v <= y1; v += 20) {
    chart.append(svg("line", { x1: m.left, x2: w - m.right, y1: y(v), y2: y(v), class: v === 0 ? "zero" : "gridline" }),
      svg("text", { x: m.left - 6, y: y(v) + 4, class: "tick", "text-anchor": "end" }, v === 0 ? "0" : signed(v, 0)));
  }
  for (const v of [x0 + (x1 - x0) * 0.08, (x0 + x1) / 2, x1 - (x1 - x0) * 0.08]) {
    chart.append(svg("text", { x: x(v), y: h - m.bottom + 16, class: "tick", "text-anchor": "middle" }, kpi.show(v)));
  }
  chart.append(svg("text", { x: 4, y: 12, class: "axis-title" }, "eNPS"),
    svg("text", { x: w - m.right, y: h - 6, class: "axis-title", "text-anchor": "end" }, kpi.label));
  for (const p of pairs) {
    const label = dotLabel(p, groupBy, kpi);
    chart.append(svg("circle", { cx: x(p.x), cy: y(p.y), r: 6, class: p.row.in_progress ? "dot running" : "dot" },
      svg("title", {}, label)));
  }
  return el("div", { class: "scatter-box" }, chart);
}

function dotLabel(p, groupBy, kpi) {
  const s = t("scatter.dot", {
    team: p.row.team_name, period: period({ period_start: p.row.period_start }, groupBy),
    enps: signed(p.y), kpi: kpi.label, value: kpi.show(p.x),
  });
  return p.row.in_progress ? s + " (" + t("scatter.inProgress") + ")" : s;
}

function table(pairs, groupBy, kpi) {
  const sorted = [...pairs].sort((a, b) => b.row.period_start.localeCompare(a.row.period_start) || a.row.team_name.localeCompare(b.row.team_name));
  return el("details", { class: "scatter-table" },
    el("summary", {}, t("scatter.tableView")),
    el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("scatter.scroll") },
      el("table", { class: "stack-narrow" },
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("scatter.team")), el("th", { scope: "col" }, t("scatter.period")),
          el("th", { scope: "col" }, t("scatter.enps")), el("th", { scope: "col" }, kpi.label))),
        el("tbody", {}, sorted.map((p) => el("tr", {},
          el("th", { scope: "row" }, p.row.team_name),
          el("td", { "data-label": t("scatter.period") }, period({ period_start: p.row.period_start }, groupBy),
            p.row.in_progress ? el("span", { class: "badge running" }, t("scatter.inProgress")) : null),
          el("td", { class: "num", "data-label": t("scatter.enps") }, signed(p.y)),
          el("td", { class: "num", "data-label": kpi.label }, kpi.show(p.x))))))));
}
