// The results view for HR and managers: pickers for survey, team, grouping
// and dates; the eNPS trend as a chart and a table; what the numbers mean;
// the other questions' summaries; and the comments.

import { api, apiAll, query } from "./api.js";
import { $, bar, el, fill, say } from "./dom.js";
import { addDays, margin, percent, period, plural, signed } from "./format.js";
import { trendChart } from "./chart.js";
import { showComments } from "./comments.js";
import { showActions } from "./actions.js";

const agreement = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"];

let ctx;
let latest; // the last results drawn, to redraw the chart when the width changes
let request = 0;

// initResults fills the pickers once; the view then follows them.
export async function initResults(context) {
  ctx = context;
  const [surveys, teams] = await Promise.all([ctx.surveys(), apiAll("/me/teams")]);
  fillSurveys($("f-survey"), surveys, ctx.surveyId);
  fillTeams($("f-team"), teams, ctx.me.role === "hr_admin");
  for (const id of ["f-survey", "f-team", "f-group", "f-from", "f-to"]) $(id).addEventListener("change", load);
  $("results-filters").addEventListener("submit", (ev) => ev.preventDefault());
  let resizing;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(redrawChart, 150);
  });
  if (!surveys.length) {
    fill($("results-body"), el("p", { class: "card muted" }, "There are no surveys yet."));
    return;
  }
  if (!$("f-team").options.length) {
    fill($("results-body"), el("p", { class: "card muted" },
      "You do not lead a team yet, so there are no team results to show. Results appear here once HR makes you a team's manager."));
    $("results-filters").hidden = true;
    return;
  }
  await load();
}

// showResults is called each time the view is shown again.
export function showResults() {
  if (ctx && $("f-survey").value && $("f-survey").value !== String(ctx.surveyId)) {
    $("f-survey").value = String(ctx.surveyId);
    load();
  }
}

// fillSurveys offers every survey; archived ones say so.
export function fillSurveys(select, surveys, selected) {
  fill(select, surveys.map((s) => el("option", { value: s.id, selected: s.id === selected },
    s.title + (s.archived ? " (archived)" : ""))));
}

// fillTeams offers the teams as an indented tree; HR also gets the whole organisation.
function fillTeams(select, teams, orgWide) {
  const ids = new Set(teams.map((t) => t.id));
  const children = new Map();
  for (const t of teams) {
    const parent = ids.has(t.parent_id) ? t.parent_id : 0;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(t);
  }
  const options = orgWide ? [el("option", { value: "" }, "Whole organisation")] : [];
  const walk = (parent, depth) => {
    for (const t of children.get(parent) || []) {
      options.push(el("option", { value: t.id },
        "\u00a0\u00a0\u00a0".repeat(depth + (orgWide ? 1 : 0)) + t.name + (t.active ? "" : " (inactive)")));
      walk(t.id, depth + 1);
    }
  };
  walk(0, 0);
  fill(select, options);
}

function filters() {
  const to = $("f-to").value;
  return {
    surveyId: Number($("f-survey").value),
    team_id: $("f-team").value,
    group_by: $("f-group").value,
    from: $("f-from").value,
    // The API's "to" is exclusive; people mean the day they picked to count.
    to: to ? addDays(to, 1) : "",
  };
}

async function load() {
  const f = filters();
  ctx.pickSurvey(f.surveyId);
  const mine = ++request;
  say($("results-error"), "");
  $("results-body").setAttribute("aria-busy", "true");
  try {
    const [results, thresholds] = await Promise.all([
      api(`/surveys/${f.surveyId}/results` + query({ group_by: f.group_by, team_id: f.team_id, from: f.from, to: f.to })),
      ctx.thresholds(),
    ]);
    if (mine !== request) return; // a newer choice is already on its way
    const survey = (await ctx.surveys()).find((s) => s.id === f.surveyId) || {};
    latest = { results, thresholds, survey, groupBy: f.group_by };
    render(latest);
    showActions($("actions-body"), { ...f, survey, me: ctx.me, onChange: load });
    showComments($("comments-body"), { ...f, thresholds });
  } catch (err) {
    if (mine !== request) return;
    fill($("results-body"));
    fill($("actions-body"));
    fill($("comments-body"));
    say($("results-error"), err.message);
  } finally {
    if (mine === request) $("results-body").removeAttribute("aria-busy");
  }
}

function render({ results, thresholds, survey, groupBy }) {
  const k = results.min_respondents;
  const team = $("f-team").selectedOptions[0];
  fill($("results-body"),
    el("h3", { class: "group-title" }, (team ? team.textContent.trim() : "") + " \u00b7 " + (survey.title || "")),
    summary(results.points, groupBy),
    el("section", { class: "card", "aria-labelledby": "trend-title" },
      el("h3", { id: "trend-title" }, "eNPS trend"),
      results.points.length
        ? el("div", { id: "chart-box", class: "chart-box" })
        : el("p", { class: "muted" }, "No rounds in this range yet."),
      results.points.length ? trendTable(results.points, groupBy, k) : null),
    explainer(survey.scale_min ?? 1, thresholds),
    questions(results.questions, k));
  redrawChart();
}

function redrawChart() {
  const box = $("chart-box");
  if (!box || !latest) return;
  const { results, groupBy } = latest;
  fill(box, trendChart(results.points, { groupBy, width: box.clientWidth, k: results.min_respondents, markers: results.actions }));
}

// summary shows the latest score, its change and participation as cards.
function summary(points, groupBy) {
  const shown = points.filter((p) => !p.suppressed);
  const last = points[points.length - 1];
  const current = shown[shown.length - 1];
  const previous = shown[shown.length - 2];
  const card = (label, value, note, cls) => el("div", { class: "stat" + (cls ? " " + cls : "") },
    el("span", { class: "stat-label" }, label), el("span", { class: "stat-value" }, value), el("span", { class: "stat-note" }, note));
  if (!last) return null;
  if (!current) {
    return el("div", { class: "stats" }, card("Latest eNPS", "Not enough answers", "No period in this range has enough answers to show."));
  }
  const cards = [];
  if (last.suppressed) {
    cards.push(card("Latest period", "Not enough answers", period(last, groupBy) + " is hidden to protect anonymity."));
  }
  cards.push(card(last.suppressed ? "Last shown eNPS" : "Latest eNPS", signed(current.enps),
    margin(current) + " \u00b7 " + plural(current.n, "answer") + " \u00b7 " + period(current, groupBy),
    current.enps >= 0 ? "good" : "bad"));
  if (previous) {
    const delta = current.enps - previous.enps;
    cards.push(card("Change", signed(delta),
      current.significant_change ? "Significant: bigger than the margins of error" : "Within the margins of error; may be noise",
      current.significant_change ? (delta >= 0 ? "good" : "bad") : "flat"));
  }
  if (current.participation !== undefined) {
    cards.push(card("Participation", percent(current.participation), "of the people asked answered"));
  }
  return el("div", { class: "stats" }, cards);
}

function share(count, n) {
  return count + " (" + percent(n ? count / n : 0) + ")";
}

// trendTable lists every point, newest first; suppressed ones carry no numbers.
function trendTable(points, groupBy, k) {
  const rows = [];
  let previous;
  const shownBefore = points.map((p) => {
    const before = previous;
    if (!p.suppressed) previous = p;
    return before;
  });
  points.forEach((p, i) => {
    const name = el("th", { scope: "row" }, period(p, groupBy));
    if (p.suppressed) {
      rows.push(el("tr", { class: "suppressed" }, name,
        el("td", { colspan: 6 }, "Not enough answers to show (fewer than " + k + ")")));
      return;
    }
    const before = shownBefore[i];
    const up = before && p.enps >= before.enps;
    rows.push(el("tr", {}, name,
      el("td", { class: "num" }, p.n),
      el("td", { class: "num" }, share(p.promoters, p.n)),
      el("td", { class: "num" }, share(p.passives, p.n)),
      el("td", { class: "num" }, share(p.detractors, p.n)),
      el("td", { class: "num" }, signed(p.enps) + " " + margin(p),
        p.significant_change ? el("span", { class: "badge sig" }, (up ? "\u25b2" : "\u25bc") + " significant") : null),
      el("td", { class: "num" }, p.participation !== undefined ? percent(p.participation) : "—")));
  });
  rows.reverse();
  const head = ["Period", "Answers (n)", "Promoters", "Passives", "Detractors", "eNPS \u00b1 margin", "Participation"];
  return el("div", { class: "table-wrap" },
    el("table", { class: "trend" },
      el("caption", { class: "sr-only" }, "eNPS by period, newest first"),
      el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows)));
}

// explainer says in plain words what eNPS, the margin and the threshold mean.
function explainer(scaleMin, t) {
  return el("aside", { class: "card explainer", "aria-labelledby": "explainer-title" },
    el("h3", { id: "explainer-title" }, "How to read this"),
    el("p", {}, el("strong", {}, "eNPS "), "(employee Net Promoter Score) comes from one question: how likely people are to " +
      `recommend working here, from ${scaleMin} to 10. Those who answer 9 or 10 are promoters, 7 or 8 passives, ` +
      `${scaleMin} to 6 detractors. eNPS is the percentage of promoters minus the percentage of detractors, so it runs ` +
      "from \u2212100 to +100; above 0 means more promoters than detractors."),
    el("p", {}, el("strong", {}, "The \u00b1 margin "), "is the 95% margin of error, and the range in brackets the 95% interval (adjusted Wald, " +
      "so it is never \u00b10 for a sample). Given how many people answered out of the group, the true score is very " +
      "likely within that range; few answers make it wide. When everyone in the group answered, the score is the " +
      "group\u2019s own and has no margin. A change is marked significant only when it is bigger than the two margins " +
      "together allow. Smaller moves may just be noise."),
    el("p", {}, el("strong", {}, "Anonymity. "), `A group with fewer than ${t.min_respondents} answers is never shown: ` +
      `it appears as \u201cnot enough answers\u201d. Comments appear only when at least ${t.min_comment_respondents} ` +
      "people in the group wrote one in that round. Nobody, HR included, can see a single person\u2019s answers."));
}

// questions summarises the other questions: scale as a mean and a spread,
// yes/no and choice as shares.
function questions(list, k) {
  if (!list || !list.length) return null;
  return el("section", { class: "questions", "aria-labelledby": "questions-title" },
    el("h3", { id: "questions-title" }, "Questions"),
    el("div", { class: "grid" }, list.map((q) => question(q, k))));
}

function question(q, k) {
  const card = el("article", { class: "card question" }, el("h4", {}, q.prompt));
  if (q.suppressed) {
    card.append(el("p", { class: "muted" }, "Not enough answers to show (fewer than " + k + ")."));
    return card;
  }
  if (q.scale) {
    const s = q.scale;
    if (!s.n) return card.append(el("p", { class: "muted" }, "No answers yet.")), card;
    const agree = (s.distribution[4] || 0) + (s.distribution[5] || 0);
    card.append(el("p", { class: "q-head" },
      el("span", { class: "q-big" }, s.mean.toFixed(1)), " out of 5 \u00b7 ",
      percent(agree / s.n) + " agree \u00b7 " + plural(s.n, "answer")));
    for (let v = 5; v >= 1; v--) {
      const count = s.distribution[v] || 0;
      card.append(bar(v + " " + agreement[v - 1], count / s.n, share(count, s.n), v >= 4 ? "pos" : v === 3 ? "mid" : "neg"));
    }
    return card;
  }
  if (q.shares) {
    const s = q.shares;
    if (!s.n) return card.append(el("p", { class: "muted" }, "No answers yet.")), card;
    card.append(el("p", { class: "q-head" }, plural(s.n, "answer")));
    let keys = Object.keys(s.counts);
    if (q.kind === "yes_no") keys = ["yes", "no"].filter((key) => key in s.counts);
    else keys.sort((a, b) => s.counts[b] - s.counts[a]);
    for (const key of keys) {
      const label = q.kind === "yes_no" ? (key === "yes" ? "Yes" : "No") : key;
      const kind = q.kind === "yes_no" ? (key === "yes" ? "pos" : "neg") : "";
      card.append(bar(label, s.shares[key] || 0, share(s.counts[key], s.n), kind));
    }
  }
  return card;
}
