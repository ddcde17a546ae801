// The heatmap: every team the person may see × periods, eNPS by colour
// and by number, from one call to the API. A cell below the anonymity
// threshold says "not enough answers" (and is hatched), never a number.
// The same figures are in a plain table for screen readers and phones, and
// a team's row opens its trend below the grid. A cell whose period saw one
// of the group's action plans published (▲) or done (✓) says so, so a
// change can be read beside what was done about it.

import { api, query } from "./api.js";
import { $, el, fill, say } from "./dom.js";
import { addDays, margin, period, signed } from "./format.js";
import { actionMarks, trendChart } from "./chart.js";
import { strings } from "./i18n.js";
import { fillSurveys } from "./results.js";

const t = strings({
  en: {
    "heatmap.title": "Heatmap",
    "heatmap.intro": "eNPS of every team you may see, period by period. Each cell is the team with its sub-teams, exactly as Results shows it.",
    "heatmap.none": "No survey has a closed round in this range yet.",
    "heatmap.noTeams": "You do not lead a team yet, so there is no heatmap to show.",
    "heatmap.legend": "Colour scale",
    "heatmap.band1": "below −20",
    "heatmap.band2": "−20 to 0",
    "heatmap.band3": "0 to +20",
    "heatmap.band4": "+20 to +40",
    "heatmap.band5": "+40 and above",
    "heatmap.suppressed": "not enough answers",
    "heatmap.suppressedHint": "fewer than {k} answers: hidden to protect anonymity",
    "heatmap.team": "Team",
    "heatmap.period": "Period",
    "heatmap.enps": "eNPS",
    "heatmap.margin": "Margin",
    "heatmap.n": "Answers (n)",
    "heatmap.cell": "{team}, {period}: eNPS {enps} {margin}, n = {n}",
    "heatmap.cellHidden": "{team}, {period}: not enough answers",
    "heatmap.tableView": "Table view",
    "heatmap.caption": "eNPS by team and period",
    "heatmap.drillHint": "Choose a team's name to see its trend.",
    "heatmap.trendOf": "Trend of {team}",
    "heatmap.openResults": "Open in Results",
    "heatmap.scroll": "Heatmap, scrolls sideways",
    "heatmap.markPublished": "Action published: {title}",
    "heatmap.markDone": "Action done: {title}",
    "heatmap.legendPublished": "an action plan was published",
    "heatmap.legendDone": "an action plan was done",
    "heatmap.actions": "Actions",
  },
  ms: {
    "heatmap.title": "Peta haba",
    "heatmap.intro": "eNPS setiap pasukan yang boleh anda lihat, tempoh demi tempoh. Setiap sel ialah pasukan itu bersama sub-pasukannya, sama seperti dalam Keputusan.",
    "heatmap.none": "Belum ada tinjauan yang mempunyai pusingan tertutup dalam julat ini.",
    "heatmap.noTeams": "Anda belum mengetuai pasukan, jadi tiada peta haba untuk dipaparkan.",
    "heatmap.legend": "Skala warna",
    "heatmap.band1": "bawah −20",
    "heatmap.band2": "−20 hingga 0",
    "heatmap.band3": "0 hingga +20",
    "heatmap.band4": "+20 hingga +40",
    "heatmap.band5": "+40 dan ke atas",
    "heatmap.suppressed": "jawapan tidak mencukupi",
    "heatmap.suppressedHint": "kurang daripada {k} jawapan: disembunyikan untuk melindungi kerahsiaan",
    "heatmap.team": "Pasukan",
    "heatmap.period": "Tempoh",
    "heatmap.enps": "eNPS",
    "heatmap.margin": "Margin",
    "heatmap.n": "Jawapan (n)",
    "heatmap.cell": "{team}, {period}: eNPS {enps} {margin}, n = {n}",
    "heatmap.cellHidden": "{team}, {period}: jawapan tidak mencukupi",
    "heatmap.tableView": "Paparan jadual",
    "heatmap.caption": "eNPS mengikut pasukan dan tempoh",
    "heatmap.drillHint": "Pilih nama pasukan untuk melihat trendnya.",
    "heatmap.trendOf": "Trend {team}",
    "heatmap.openResults": "Buka dalam Keputusan",
    "heatmap.scroll": "Peta haba, boleh ditatal ke sisi",
    "heatmap.markPublished": "Tindakan diterbitkan: {title}",
    "heatmap.markDone": "Tindakan selesai: {title}",
    "heatmap.legendPublished": "pelan tindakan diterbitkan",
    "heatmap.legendDone": "pelan tindakan selesai",
    "heatmap.actions": "Tindakan",
  },
});

// band puts an eNPS in one of five steps of a purple–orange scale, which
// people with the common colour-vision deficiencies tell apart; the number
// is always written in the cell as well.
export function band(enps) {
  if (enps < -20) return 1;
  if (enps < 0) return 2;
  if (enps < 20) return 3;
  if (enps < 40) return 4;
  return 5;
}

let ctx;
let request = 0;
let latest;

export async function initHeatmap(context) {
  ctx = context;
  const surveys = await ctx.surveys();
  const body = $("heatmap-body");
  const form = el("form", { class: "filters card", "aria-label": t("app.filters") },
    field("h-survey", t("app.survey"), el("select", { id: "h-survey" })),
    field("h-group", t("app.groupby"), el("select", { id: "h-group" },
      el("option", { value: "week" }, t("app.week")),
      el("option", { value: "month", selected: true }, t("app.month")),
      el("option", { value: "quarter" }, t("app.quarter")))),
    field("h-from", t("app.from"), el("input", { id: "h-from", type: "date" })),
    field("h-to", t("app.to"), el("input", { id: "h-to", type: "date" })));
  form.addEventListener("submit", (ev) => ev.preventDefault());
  fill(body, el("p", { class: "muted" }, t("heatmap.intro")), form,
    el("div", { id: "heatmap-grid", "aria-live": "polite" }),
    el("div", { id: "heatmap-drill" }));
  if (!surveys.length) {
    fill($("heatmap-grid"), el("p", { class: "card muted" }, t("heatmap.none")));
    return;
  }
  fillSurveys($("h-survey"), surveys, ctx.surveyId);
  for (const id of ["h-survey", "h-group", "h-from", "h-to"]) $(id).addEventListener("change", load);
  await load();
}

function field(id, label, control) {
  return el("div", { class: "field" }, el("label", { for: id }, label), control);
}

export function showHeatmap() {
  if (ctx && $("h-survey") && $("h-survey").value && $("h-survey").value !== String(ctx.surveyId)) {
    $("h-survey").value = String(ctx.surveyId);
    load();
  }
}

function filters() {
  const to = $("h-to").value;
  return {
    surveyId: Number($("h-survey").value),
    group_by: $("h-group").value,
    from: $("h-from").value,
    to: to ? addDays(to, 1) : "",
  };
}

async function load() {
  const f = filters();
  ctx.pickSurvey(f.surveyId);
  const mine = ++request;
  say($("heatmap-error"), "");
  $("heatmap-grid").setAttribute("aria-busy", "true");
  try {
    const h = await api(`/surveys/${f.surveyId}/heatmap` + query({ group_by: f.group_by, from: f.from, to: f.to }));
    if (mine !== request) return;
    latest = { h, f };
    render(h, f.group_by);
    fill($("heatmap-drill"));
  } catch (err) {
    if (mine !== request) return;
    fill($("heatmap-grid"));
    say($("heatmap-error"), err.message);
  } finally {
    if (mine === request) $("heatmap-grid").removeAttribute("aria-busy");
  }
}

function render(h, groupBy) {
  if (!h.rows.length) {
    fill($("heatmap-grid"), el("p", { class: "card muted" }, t("heatmap.noTeams")));
    return;
  }
  if (!h.periods.length) {
    fill($("heatmap-grid"), el("p", { class: "card muted" }, t("heatmap.none")));
    return;
  }
  const names = h.periods.map((start) => period({ period_start: start }, groupBy, true));
  const marks = marksByCell(h);
  fill($("heatmap-grid"), el("section", { class: "card" },
    legend(h.min_respondents, marks.size > 0),
    el("p", { class: "hint" }, t("heatmap.drillHint")),
    el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("heatmap.scroll") },
      el("table", { class: "heatmap" },
        el("caption", { class: "sr-only" }, t("heatmap.caption")),
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("heatmap.team")),
          names.map((n) => el("th", { scope: "col" }, n)))),
        el("tbody", {}, h.rows.map((row) => el("tr", {},
          el("th", { scope: "row" }, el("button", { type: "button", class: "link", "data-team": row.team_id ?? "",
            onclick: () => drill(row) }, row.name)),
          row.cells.map((c, i) => cell(row.name, c, period({ period_start: h.periods[i] }, groupBy),
            marks.get(markKey(row.team_id, i)) || []))))))),
    tableView(h, groupBy, marks)));
}

// marksByCell files the plans' marks (placed on periods as the trend chart
// places them) under their group's row: a Map from markKey to [{kind, title}].
function marksByCell(h) {
  const marks = new Map();
  for (const m of actionMarks(h.periods, h.actions || [])) {
    const key = markKey(m.teamId, m.index);
    if (!marks.has(key)) marks.set(key, []);
    marks.get(key).push(m);
  }
  return marks;
}

// markKey names a row (a team, or null for the organisation) and a period.
function markKey(teamId, index) {
  return (teamId ?? "org") + ":" + index;
}

function markText(m) {
  return t(m.kind === "done" ? "heatmap.markDone" : "heatmap.markPublished", { title: m.title });
}

function markSigns(marks) {
  if (!marks.length) return null;
  return el("span", { class: "heat-marks", "aria-hidden": "true" },
    marks.map((m) => el("span", { class: "heat-mark " + m.kind }, m.kind === "done" ? "\u2713" : "\u25B2")));
}

function legend(k, withMarks) {
  const bands = [1, 2, 3, 4, 5];
  const markKeys = withMarks ? [
    el("span", { class: "heat-key" }, el("span", { class: "heat-mark published", "aria-hidden": "true" }, "\u25B2"), " " + t("heatmap.legendPublished")),
    el("span", { class: "heat-key" }, el("span", { class: "heat-mark done", "aria-hidden": "true" }, "\u2713"), " " + t("heatmap.legendDone")),
  ] : [];
  return el("div", { class: "heat-legend", role: "group", "aria-label": t("heatmap.legend") },
    el("span", { class: "heat-legend-title" }, t("heatmap.legend")),
    bands.map((b) => el("span", { class: "heat-key" }, el("span", { class: "heat-swatch heat-" + b, "aria-hidden": "true" }),
      t("heatmap.band" + b))),
    el("span", { class: "heat-key" }, el("span", { class: "heat-swatch heat-none", "aria-hidden": "true" }),
      t("heatmap.suppressed") + " (" + t("heatmap.suppressedHint", { k }) + ")"),
    markKeys);
}

function cell(team, c, name, marks) {
  const said = marks.map(markText);
  if (c.suppressed) {
    const text = [t("heatmap.cellHidden", { team, period: name }), ...said].join(". ");
    return el("td", { class: "heat heat-none", title: text },
      t("heatmap.suppressed"), markSigns(marks), said.length ? el("span", { class: "sr-only" }, ". " + said.join(". ")) : null);
  }
  const text = [t("heatmap.cell", { team, period: name, enps: signed(c.enps), margin: margin(c), n: c.n }), ...said].join(". ");
  return el("td", { class: "heat heat-" + band(c.enps), title: text },
    el("span", { "aria-hidden": "true" }, signed(c.enps, 0)),
    markSigns(marks),
    el("span", { class: "sr-only" }, text));
}

// tableView lists every cell as a row: team, period, eNPS, margin, n and
// the action plans published or done in it.
function tableView(h, groupBy, marks) {
  const rows = [];
  for (const row of h.rows) {
    row.cells.forEach((c, i) => {
      const name = period({ period_start: h.periods[i] }, groupBy);
      const said = (marks.get(markKey(row.team_id, i)) || []).map(markText).join("; ");
      rows.push(el("tr", { class: c.suppressed ? "suppressed" : null },
        el("th", { scope: "row" }, row.name), el("td", {}, name),
        c.suppressed
          ? el("td", { colspan: 3 }, t("heatmap.suppressed"))
          : [el("td", { class: "num" }, signed(c.enps)), el("td", { class: "num" }, margin(c)), el("td", { class: "num" }, c.n)],
        el("td", { class: "heat-actions" }, said || "\u2014")));
    });
  }
  return el("details", { class: "heat-table" },
    el("summary", {}, t("heatmap.tableView")),
    el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("heatmap.tableView") },
      el("table", { class: "stack-narrow" },
        el("thead", {}, el("tr", {}, ["heatmap.team", "heatmap.period", "heatmap.enps", "heatmap.margin", "heatmap.n", "heatmap.actions"]
          .map((key) => el("th", { scope: "col" }, t(key))))),
        el("tbody", {}, rows))));
}

// drill shows a team's trend (the organisation's for its row) below the
// grid, over the same range and grouping.
async function drill(row) {
  const { f } = latest;
  const box = $("heatmap-drill");
  say($("heatmap-error"), "");
  try {
    const res = await api(`/surveys/${f.surveyId}/results` + query({ group_by: f.group_by, team_id: row.team_id ?? "", from: f.from, to: f.to }));
    const heading = el("h3", { id: "heatmap-drill-title", tabindex: "-1" }, t("heatmap.trendOf", { team: row.name }));
    const chartBox = el("div", { class: "chart-box" });
    fill(box, el("section", { class: "card", "aria-labelledby": "heatmap-drill-title" }, heading, chartBox,
      el("p", {}, el("a", { href: "#results", onclick: () => pickTeam(row) }, t("heatmap.openResults")))));
    fill(chartBox, trendChart(res.points, { groupBy: f.group_by, width: chartBox.clientWidth || 320, k: res.min_respondents, markers: res.actions || [] }));
    heading.focus();
  } catch (err) {
    say($("heatmap-error"), err.message);
  }
}

// pickTeam sets the Results page's pickers to the row's team, if it was
// drawn already; otherwise Results opens on its own default.
function pickTeam(row) {
  const team = $("f-team");
  const group = $("f-group");
  if (team && team.options.length) {
    team.value = row.team_id === null ? "" : String(row.team_id);
    if (group) group.value = latest.f.group_by;
    team.dispatchEvent(new Event("change"));
  }
}
