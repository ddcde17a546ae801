// The results view for HR and managers: pickers for survey, team, grouping
// and dates; the eNPS trend as a chart and a table; what the numbers mean;
// the other questions' summaries; and the comments.

import { api, apiAll, query } from "./api.js";
import { $, bar, el, fill, say } from "./dom.js";
import { addDays, margin, percent, period, signed } from "./format.js";
import { trendChart } from "./chart.js";
import { showComments } from "./comments.js";
import { showActions } from "./actions.js";
import { questionPeriods } from "./questionperiods.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "results.title": "Results",
    "results.noSurveys": "There are no surveys yet.",
    "results.noTeam": "You do not lead a team yet, so there are no team results to show. Results appear here once HR makes you a team's manager.",
    "results.archived": "{title} (archived)",
    "results.org": "Whole organisation",
    "results.inactive": "{name} (inactive)",
    "results.trend": "eNPS trend",
    "results.noRounds": "No rounds in this range yet.",
    "results.latest": "Latest eNPS",
    "results.notEnough": "Not enough answers",
    "results.noneShown": "No period in this range has enough answers to show.",
    "results.latestPeriod": "Latest period",
    "results.hidden": "{period} is hidden to protect anonymity.",
    "results.lastShown": "Last shown eNPS",
    "results.answers": { one: "{n} answer", other: "{n} answers" },
    "results.change": "Change",
    "results.significant": "Significant: bigger than the margins of error",
    "results.noise": "Within the margins of error; may be noise",
    "results.participation": "Participation",
    "results.ofAsked": "of the people asked answered",
    "results.suppressedRow": "Not enough answers to show (fewer than {k})",
    "results.sigBadge": "significant",
    "results.period": "Period",
    "results.n": "Answers (n)",
    "results.promoters": "Promoters",
    "results.passives": "Passives",
    "results.detractors": "Detractors",
    "results.enpsMargin": "eNPS \u00b1 margin",
    "results.caption": "eNPS by period, newest first",
    "results.tableLabel": "eNPS by period, a table that scrolls sideways",
    "results.howTo": "How to read this",
    "results.enpsTerm": "eNPS ",
    "results.enpsText": "(employee Net Promoter Score) comes from one question: how likely people are to recommend working here, from {min} to 10. Those who answer 9 or 10 are promoters, 7 or 8 passives, {min} to 6 detractors. eNPS is the percentage of promoters minus the percentage of detractors, so it runs from \u2212100 to +100; above 0 means more promoters than detractors.",
    "results.marginTerm": "The \u00b1 margin ",
    "results.marginText": "is the 95% margin of error, and the range in brackets the 95% interval (adjusted Wald, so it is never \u00b10 for a sample). Given how many people answered out of the group, the true score is very likely within that range; few answers make it wide. When everyone in the group answered, the score is the group\u2019s own and has no margin. A change is marked significant only when it is bigger than the two margins together allow. Smaller moves may just be noise.",
    "results.anonTerm": "Anonymity. ",
    "results.anonText": "A group with fewer than {k} answers is never shown: it appears as \u201cnot enough answers\u201d. Comments appear only when at least {kc} people in the group wrote one in that round. Nobody, HR included, can see a single person\u2019s answers.",
    "results.questions": "Questions",
    "results.qSuppressed": "Not enough answers to show (fewer than {k}).",
    "results.noAnswers": "No answers yet.",
    "results.outOf5": " out of 5 \u00b7 ",
    "results.agree": "{share} agree \u00b7 {answers}",
    "results.yes": "Yes",
    "results.no": "No",
    "scale.1": "Strongly disagree",
    "scale.2": "Disagree",
    "scale.3": "Neutral",
    "scale.4": "Agree",
    "scale.5": "Strongly agree",
  },
  ms: {
    "results.title": "Keputusan",
    "results.noSurveys": "Belum ada tinjauan.",
    "results.noTeam": "Anda belum mengetuai mana-mana pasukan, jadi tiada keputusan pasukan untuk dipaparkan. Keputusan dipaparkan di sini sebaik sahaja HR menjadikan anda pengurus sesebuah pasukan.",
    "results.archived": "{title} (diarkibkan)",
    "results.org": "Seluruh organisasi",
    "results.inactive": "{name} (tidak aktif)",
    "results.trend": "Trend eNPS",
    "results.noRounds": "Belum ada pusingan dalam julat ini.",
    "results.latest": "eNPS terkini",
    "results.notEnough": "Jawapan tidak mencukupi",
    "results.noneShown": "Tiada tempoh dalam julat ini yang mempunyai jawapan yang mencukupi untuk dipaparkan.",
    "results.latestPeriod": "Tempoh terkini",
    "results.hidden": "{period} disembunyikan untuk melindungi kerahsiaan identiti.",
    "results.lastShown": "eNPS terakhir dipaparkan",
    "results.answers": "{n} jawapan",
    "results.change": "Perubahan",
    "results.significant": "Ketara: lebih besar daripada margin ralat",
    "results.noise": "Dalam lingkungan margin ralat; mungkin hanya hingar",
    "results.participation": "Penyertaan",
    "results.ofAsked": "daripada mereka yang ditanya telah menjawab",
    "results.suppressedRow": "Jawapan tidak mencukupi untuk dipaparkan (kurang daripada {k})",
    "results.sigBadge": "ketara",
    "results.period": "Tempoh",
    "results.n": "Jawapan (n)",
    "results.promoters": "Promoter",
    "results.passives": "Pasif",
    "results.detractors": "Pengkritik",
    "results.enpsMargin": "eNPS \u00b1 margin",
    "results.caption": "eNPS mengikut tempoh, terbaharu dahulu",
    "results.tableLabel": "eNPS mengikut tempoh, jadual yang boleh ditatal ke sisi",
    "results.howTo": "Cara membaca ini",
    "results.enpsTerm": "eNPS ",
    "results.enpsText": "(employee Net Promoter Score) datang daripada satu soalan: sejauh mana orang mungkin mengesyorkan tempat ini sebagai tempat bekerja, dari {min} hingga 10. Yang menjawab 9 atau 10 ialah promoter, 7 atau 8 pasif, {min} hingga 6 pengkritik. eNPS ialah peratusan promoter tolak peratusan pengkritik, jadi julatnya dari \u2212100 hingga +100; melebihi 0 bermakna lebih ramai promoter daripada pengkritik.",
    "results.marginTerm": "Margin \u00b1 ",
    "results.marginText": "ialah margin ralat 95%, dan julat dalam kurungan ialah selang 95% (Wald terlaras, jadi ia tidak pernah \u00b10 bagi sampel). Berdasarkan bilangan yang menjawab dalam kumpulan, skor sebenar berkemungkinan besar berada dalam julat itu; jawapan yang sedikit menjadikannya lebar. Apabila semua ahli kumpulan menjawab, skor itu ialah skor kumpulan itu sendiri dan tiada margin. Perubahan ditanda ketara hanya apabila ia lebih besar daripada yang dibenarkan oleh kedua-dua margin. Perubahan yang lebih kecil mungkin hanya hingar.",
    "results.anonTerm": "Kerahsiaan identiti. ",
    "results.anonText": "Kumpulan dengan kurang daripada {k} jawapan tidak pernah dipaparkan: ia ditunjukkan sebagai \u201cjawapan tidak mencukupi\u201d. Komen dipaparkan hanya apabila sekurang-kurangnya {kc} orang dalam kumpulan menulis komen dalam pusingan itu. Tiada sesiapa, termasuk HR, boleh melihat jawapan seseorang individu.",
    "results.questions": "Soalan",
    "results.qSuppressed": "Jawapan tidak mencukupi untuk dipaparkan (kurang daripada {k}).",
    "results.noAnswers": "Belum ada jawapan.",
    "results.outOf5": " daripada 5 \u00b7 ",
    "results.agree": "{share} bersetuju \u00b7 {answers}",
    "results.yes": "Ya",
    "results.no": "Tidak",
    "scale.1": "Sangat tidak setuju",
    "scale.2": "Tidak setuju",
    "scale.3": "Neutral",
    "scale.4": "Setuju",
    "scale.5": "Sangat setuju",
  },
});

// agreement names a 1..5 scale answer, as Slack does.
export function agreement(v) {
  return t("scale." + v);
}

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
    fill($("results-body"), el("p", { class: "card muted" }, t("results.noSurveys")));
    return;
  }
  if (!$("f-team").options.length) {
    fill($("results-body"), el("p", { class: "card muted" }, t("results.noTeam")));
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
    s.archived ? t("results.archived", { title: s.title }) : s.title)));
}

// fillTeams offers the teams as an indented tree; HR also gets the whole organisation.
export function fillTeams(select, teams, orgWide) {
  const ids = new Set(teams.map((t) => t.id));
  const children = new Map();
  for (const team of teams) {
    const parent = ids.has(team.parent_id) ? team.parent_id : 0;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(team);
  }
  const options = orgWide ? [el("option", { value: "" }, t("results.org"))] : [];
  const walk = (parent, depth) => {
    for (const team of children.get(parent) || []) {
      options.push(el("option", { value: team.id },
        "\u00a0\u00a0\u00a0".repeat(depth + (orgWide ? 1 : 0)) + (team.active ? team.name : t("results.inactive", { name: team.name }))));
      walk(team.id, depth + 1);
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
      el("h3", { id: "trend-title" }, t("results.trend")),
      results.points.length
        ? el("div", { id: "chart-box", class: "chart-box" })
        : el("p", { class: "muted" }, t("results.noRounds")),
      results.points.length ? trendTable(results.points, groupBy, k) : null),
    explainer(survey.scale_min ?? 1, thresholds),
    questions(results.questions, k, groupBy));
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
    return el("div", { class: "stats" }, card(t("results.latest"), t("results.notEnough"), t("results.noneShown")));
  }
  const cards = [];
  if (last.suppressed) {
    cards.push(card(t("results.latestPeriod"), t("results.notEnough"), t("results.hidden", { period: period(last, groupBy) })));
  }
  cards.push(card(last.suppressed ? t("results.lastShown") : t("results.latest"), signed(current.enps),
    margin(current) + " \u00b7 " + t("results.answers", { n: current.n }) + " \u00b7 " + period(current, groupBy),
    current.enps >= 0 ? "good" : "bad"));
  if (previous) {
    const delta = current.enps - previous.enps;
    cards.push(card(t("results.change"), signed(delta),
      current.significant_change ? t("results.significant") : t("results.noise"),
      current.significant_change ? (delta >= 0 ? "good" : "bad") : "flat"));
  }
  if (current.participation !== undefined) {
    cards.push(card(t("results.participation"), percent(current.participation), t("results.ofAsked")));
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
        el("td", { colspan: 6 }, t("results.suppressedRow", { k }))));
      return;
    }
    const before = shownBefore[i];
    const up = before && p.enps >= before.enps;
    rows.push(el("tr", {}, name,
      el("td", { class: "num" }, signed(p.enps) + " " + margin(p),
        p.significant_change ? el("span", { class: "badge sig" }, (up ? "\u25b2 " : "\u25bc ") + t("results.sigBadge")) : null),
      el("td", { class: "num" }, p.n),
      el("td", { class: "num" }, share(p.promoters, p.n)),
      el("td", { class: "num" }, share(p.passives, p.n)),
      el("td", { class: "num" }, share(p.detractors, p.n)),
      el("td", { class: "num" }, p.participation !== undefined ? percent(p.participation) : "—")));
  });
  rows.reverse();
  // eNPS comes right after the period, so a phone shows it without scrolling.
  const head = [t("results.period"), t("results.enpsMargin"), t("results.n"), t("results.promoters"), t("results.passives"),
    t("results.detractors"), t("results.participation")];
  // The table may scroll sideways: as a labelled region with a tab stop,
  // a keyboard can reach and scroll it.
  return el("div", { class: "table-wrap", tabindex: 0, role: "region", "aria-label": t("results.tableLabel") },
    el("table", { class: "trend" },
      el("caption", { class: "sr-only" }, t("results.caption")),
      el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows)));
}

// explainer says in plain words what eNPS, the margin and the threshold mean.
function explainer(scaleMin, th) {
  return el("aside", { class: "card explainer", "aria-labelledby": "explainer-title" },
    el("h3", { id: "explainer-title" }, t("results.howTo")),
    el("p", {}, el("strong", {}, t("results.enpsTerm")), t("results.enpsText", { min: scaleMin })),
    el("p", {}, el("strong", {}, t("results.marginTerm")), t("results.marginText")),
    el("p", {}, el("strong", {}, t("results.anonTerm")), t("results.anonText", { k: th.min_respondents, kc: th.min_comment_respondents })));
}

// questions summarises the other questions: scale as a mean and a spread,
// yes/no and choice as shares.
function questions(list, k, groupBy) {
  if (!list || !list.length) return null;
  return el("section", { class: "questions", "aria-labelledby": "questions-title" },
    el("h3", { id: "questions-title" }, t("results.questions")),
    el("div", { class: "grid" }, list.map((q) => question(q, k, groupBy))));
}

function question(q, k, groupBy) {
  const card = el("article", { class: "card question" }, el("h4", {}, q.prompt), questionPeriods(q, groupBy));
  if (q.suppressed) {
    card.append(el("p", { class: "muted" }, t("results.qSuppressed", { k })));
    return card;
  }
  if (q.scale) {
    const s = q.scale;
    if (!s.n) return card.append(el("p", { class: "muted" }, t("results.noAnswers"))), card;
    const agree = (s.distribution[4] || 0) + (s.distribution[5] || 0);
    card.append(el("p", { class: "q-head" },
      el("span", { class: "q-big" }, s.mean.toFixed(1)), t("results.outOf5"),
      t("results.agree", { share: percent(agree / s.n), answers: t("results.answers", { n: s.n }) })));
    for (let v = 5; v >= 1; v--) {
      const count = s.distribution[v] || 0;
      card.append(bar(v + " " + agreement(v), count / s.n, share(count, s.n), v >= 4 ? "pos" : v === 3 ? "mid" : "neg"));
    }
    return card;
  }
  if (q.shares) {
    const s = q.shares;
    if (!s.n) return card.append(el("p", { class: "muted" }, t("results.noAnswers"))), card;
    card.append(el("p", { class: "q-head" }, t("results.answers", { n: s.n })));
    let keys = Object.keys(s.counts);
    if (q.kind === "yes_no") keys = ["yes", "no"].filter((key) => key in s.counts);
    else keys.sort((a, b) => s.counts[b] - s.counts[a]);
    for (const key of keys) {
      const label = q.kind === "yes_no" ? (key === "yes" ? t("results.yes") : t("results.no")) : key;
      const kind = q.kind === "yes_no" ? (key === "yes" ? "pos" : "neg") : "";
      card.append(bar(label, s.shares[key] || 0, share(s.counts[key], s.n), kind));
    }
  }
  return card;
}
