// Driver analysis: which answers move with eNPS in a team (or the whole
// organisation, for HR) over a period. Each scale, yes/no and choice
// question gets Spearman's rho against the eNPS answer, its 95% interval
// and n, strongest first. The API gives nothing for a group with fewer
// than 25 answers, and pools or hides any answer fewer than k people gave.

import { api, apiAll, query } from "./api.js";
import { $, el, fill, say, svg } from "./dom.js";
import { addDays } from "./format.js";
import { strings } from "./i18n.js";
import { fillSurveys, fillTeams } from "./results.js";

const t = strings({
  en: {
    "drivers.title": "Drivers",
    "drivers.intro": "Which answers go together with a high or low eNPS, across the answers of one team (with its sub-teams) in the period you choose.",
    "drivers.none": "There are no surveys yet.",
    "drivers.noTeams": "You do not lead a team yet, so there is no driver analysis to show.",
    "drivers.notEnough": "Not enough answers for a driver analysis: it needs at least {min} answers from this group in the period. Choose a longer period or a larger group.",
    "drivers.based": "Based on {n} answers from closed rounds.",
    "drivers.question": "Question",
    "drivers.rho": "rho (−1 to +1)",
    "drivers.interval": "95% interval",
    "drivers.n": "Pairs (n)",
    "drivers.caption": "Answers ranked by how strongly they move with eNPS",
    "drivers.chose": "chose “{option}”",
    "drivers.yes": "answered yes",
    "drivers.agree": "agreed more",
    "drivers.status.not_enough_answers": "not enough answers to this question",
    "drivers.status.too_few_per_answer": "too few people gave one of the answers to compare without risking anonymity",
    "drivers.status.no_variation": "everyone answered alike, so nothing to compare",
    "drivers.strength.none": "none",
    "drivers.strength.weak": "weak",
    "drivers.strength.moderate": "moderate",
    "drivers.strength.strong": "strong",
    "drivers.readShort": "rho above 0: those who gave this answer tended to score eNPS higher; below 0, lower. An interval spanning 0 may be chance.",
    "drivers.scroll": "Drivers, scrolls sideways",
    "drivers.caution": "Correlation is not cause: a question that moves with eNPS may share a cause with it rather than drive it.",
  },
  ms: {
    "drivers.title": "Pemacu",
    "drivers.intro": "Jawapan mana yang seiring dengan eNPS yang tinggi atau rendah, merentas jawapan satu pasukan (bersama sub-pasukannya) dalam tempoh yang anda pilih.",
    "drivers.none": "Belum ada tinjauan.",
    "drivers.noTeams": "Anda belum mengetuai pasukan, jadi tiada analisis pemacu untuk dipaparkan.",
    "drivers.notEnough": "Jawapan tidak mencukupi untuk analisis pemacu: ia memerlukan sekurang-kurangnya {min} jawapan daripada kumpulan ini dalam tempoh tersebut. Pilih tempoh yang lebih panjang atau kumpulan yang lebih besar.",
    "drivers.based": "Berdasarkan {n} jawapan daripada pusingan yang telah ditutup.",
    "drivers.question": "Soalan",
    "drivers.rho": "rho (−1 hingga +1)",
    "drivers.interval": "Selang 95%",
    "drivers.n": "Pasangan (n)",
    "drivers.caption": "Jawapan disusun mengikut kekuatan hubungannya dengan eNPS",
    "drivers.chose": "memilih “{option}”",
    "drivers.yes": "menjawab ya",
    "drivers.agree": "lebih bersetuju",
    "drivers.status.not_enough_answers": "jawapan kepada soalan ini tidak mencukupi",
    "drivers.status.too_few_per_answer": "terlalu sedikit orang memberikan salah satu jawapan untuk dibandingkan tanpa menjejaskan kerahsiaan",
    "drivers.status.no_variation": "semua orang menjawab sama, jadi tiada apa untuk dibandingkan",
    "drivers.strength.none": "tiada",
    "drivers.strength.weak": "lemah",
    "drivers.strength.moderate": "sederhana",
    "drivers.strength.strong": "kuat",
    "drivers.readShort": "rho melebihi 0: mereka yang memberi jawapan ini cenderung memberi eNPS lebih tinggi; bawah 0, lebih rendah. Selang yang merangkumi 0 mungkin kebetulan.",
    "drivers.scroll": "Pemacu, boleh ditatal ke sisi",
    "drivers.caution": "Korelasi bukan sebab: soalan yang bergerak seiring eNPS mungkin berkongsi punca yang sama dengannya, bukan memacunya.",
  },
});

let ctx;
let request = 0;

function field(id, label, control) {
  return el("div", { class: "field" }, el("label", { for: id }, label), control);
}

export async function initDrivers(context) {
  ctx = context;
  const [surveys, teams] = await Promise.all([ctx.surveys(), apiAll("/me/teams")]);
  const form = el("form", { class: "filters card", "aria-label": t("app.filters") },
    field("d-survey", t("app.survey"), el("select", { id: "d-survey" })),
    field("d-team", t("app.team"), el("select", { id: "d-team" })),
    field("d-from", t("app.from"), el("input", { id: "d-from", type: "date" })),
    field("d-to", t("app.to"), el("input", { id: "d-to", type: "date" })));
  form.addEventListener("submit", (ev) => ev.preventDefault());
  fill($("drivers-body"), el("p", { class: "muted" }, t("drivers.intro")), form,
    el("div", { id: "drivers-result", "aria-live": "polite" }));
  if (!surveys.length) {
    fill($("drivers-result"), el("p", { class: "card muted" }, t("drivers.none")));
    return;
  }
  fillSurveys($("d-survey"), surveys, ctx.surveyId);
  fillTeams($("d-team"), teams, ctx.me.role === "hr_admin");
  if (!$("d-team").options.length) {
    form.hidden = true;
    fill($("drivers-result"), el("p", { class: "card muted" }, t("drivers.noTeams")));
    return;
  }
  for (const id of ["d-survey", "d-team", "d-from", "d-to"]) $(id).addEventListener("change", load);
  await load();
}

export function showDrivers() {
  if (ctx && $("d-survey") && $("d-survey").value && $("d-survey").value !== String(ctx.surveyId)) {
    $("d-survey").value = String(ctx.surveyId);
    load();
  }
}

async function load() {
  const surveyId = Number($("d-survey").value);
  const to = $("d-to").value;
  ctx.pickSurvey(surveyId);
  const mine = ++request;
  say($("drivers-error"), "");
  $("drivers-result").setAttribute("aria-busy", "true");
  try {
    const d = await api(`/surveys/${surveyId}/drivers` + query({
      team_id: $("d-team").value, from: $("d-from").value, to: to ? addDays(to, 1) : "",
    }));
    if (mine !== request) return;
    render(d);
  } catch (err) {
    if (mine !== request) return;
    fill($("drivers-result"));
    say($("drivers-error"), err.message);
  } finally {
    if (mine === request) $("drivers-result").removeAttribute("aria-busy");
  }
}

function render(d) {
  const caution = el("p", { class: "caution" }, el("strong", {}, t("drivers.caution")));
  if (!d.enough) {
    fill($("drivers-result"), el("section", { class: "card" },
      el("p", { class: "drivers-empty" }, t("drivers.notEnough", { min: d.min_responses })), caution));
    return;
  }
  const shown = d.drivers.filter((x) => x.status === "shown");
  const hidden = d.drivers.filter((x) => x.status !== "shown");
  fill($("drivers-result"), el("section", { class: "card" },
    caution,
    el("p", { class: "hint" }, t("drivers.based", { n: d.responses }), " ", t("drivers.readShort")),
    el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("drivers.scroll") },
      el("table", { class: "drivers stack-narrow" },
        el("caption", { class: "sr-only" }, t("drivers.caption")),
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, t("drivers.question")),
          el("th", { scope: "col" }, t("drivers.rho")),
          el("th", { scope: "col" }, t("drivers.interval")),
          el("th", { scope: "col" }, t("drivers.n")))),
        el("tbody", {},
          shown.map(row),
          hidden.map((x) => el("tr", { class: "suppressed" },
            el("th", { scope: "row" }, label(x)),
            el("td", { colspan: 3 }, t("drivers.status." + x.status)))))))));
}

// label names the driver: the prompt, and for a choice the option meant.
function label(x) {
  const what = x.kind === "choice" ? t("drivers.chose", { option: x.option })
    : x.kind === "yes_no" ? t("drivers.yes") : t("drivers.agree");
  return [x.prompt, el("span", { class: "meta block" }, what)];
}

function row(x) {
  return el("tr", {},
    el("th", { scope: "row" }, label(x)),
    el("td", { class: "num", "data-label": t("drivers.rho") }, rhoBar(x), " ", fixed(x.rho),
      el("span", { class: "muted" }, " (" + strength(x.rho) + ")")),
    el("td", { class: "num", "data-label": t("drivers.interval") }, fixed(x.ci_low) + " \u2026 " + fixed(x.ci_high)),
    el("td", { class: "num", "data-label": t("drivers.n") }, x.n));
}

function fixed(v) {
  const s = Math.abs(v).toFixed(2);
  if (Number(s) === 0) return "0.00";
  return (v < 0 ? "\u2212" : "+") + s;
}

function strength(rho) {
  const a = Math.abs(rho);
  const key = a < 0.1 ? "none" : a < 0.3 ? "weak" : a < 0.5 ? "moderate" : "strong";
  return t("drivers.strength." + key);
}

// rhoBar draws rho from the middle line (0), with its interval as a
// whisker; the numbers beside it say the same in text.
function rhoBar(x) {
  const w = 120;
  const h = 16;
  const at = (v) => w / 2 + (v * w) / 2;
  const from = Math.min(at(0), at(x.rho));
  return svg("svg", { class: "rho-bar", width: w, height: h, viewBox: `0 0 ${w} ${h}`, "aria-hidden": "true" },
    svg("line", { x1: w / 2, x2: w / 2, y1: 0, y2: h, class: "rho-zero" }),
    svg("rect", { x: from, y: 4, width: Math.max(1, Math.abs(at(x.rho) - at(0))), height: h - 8,
      class: x.rho >= 0 ? "rho-pos" : "rho-neg" }),
    svg("line", { x1: at(x.ci_low), x2: at(x.ci_high), y1: h / 2, y2: h / 2, class: "rho-ci" }),
    svg("line", { x1: at(x.ci_low), x2: at(x.ci_low), y1: 3, y2: h - 3, class: "rho-ci" }),
    svg("line", { x1: at(x.ci_high), x2: at(x.ci_high), y1: 3, y2: h - 3, class: "rho-ci" }));
}
