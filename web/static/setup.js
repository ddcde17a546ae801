// HR's survey setup: every survey with its schedule and audience, and what
// HR does to one (edit, pause or resume, send a round now, archive). The
// form itself is editor.js.

import { api, apiAll } from "./api.js";
import { $, busy, confirmAction, el, fill, say } from "./dom.js";
import { plural } from "./format.js";
import { openEditor } from "./editor.js";
import { sendNow, sentNote } from "./send.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "setup.new": "New survey",
  },
  ms: {
    "setup.new": "Tinjauan baharu",
  },
});

let ctx;
// screen counts what setup-body was asked to show, so a list that arrives
// after HR already opened the editor does not replace it.
let screen = 0;

const weekdayNames = (d) => d.charAt(0).toUpperCase() + d.slice(1);
const nthNames = { 1: "first", 2: "second", 3: "third", 4: "fourth", "-1": "last" };

// cadenceText says a cadence in words, as HR set it.
export function cadenceText(c) {
  if (!c) return "Sent by hand only";
  const zone = " (" + c.timezone + ")";
  switch (c.kind) {
  case "weekly": return "Every " + weekdayNames(c.weekday) + " at " + c.time + zone;
  case "monthly": return (c.nth ? "The " + nthNames[c.nth] + " " + weekdayNames(c.weekday) : "Day " + c.day) + " of every month at " + c.time + zone;
  case "quarterly": return "The first " + weekdayNames(c.weekday) + " of every quarter at " + c.time + zone;
  case "once": return "Once, on " + c.at.replace("T", " at ") + zone;
  default: return "Cron \u201c" + c.spec + "\u201d" + zone;
  }
}

// initSetup lists the surveys and offers a new one.
export async function initSetup(context) {
  ctx = context;
  $("new-survey").addEventListener("click", () => edit(null));
  await list();
}

async function list(message) {
  say($("setup-error"), "");
  say($("setup-status"), message || "");
  $("new-survey").hidden = false;
  const mine = ++screen;
  const surveys = await apiAll("/surveys");
  if (mine !== screen) return;
  if (!surveys.length) {
    fill($("setup-body"), el("p", { class: "card muted" }, "No surveys yet. Create one to start your pulse programme."));
    return;
  }
  fill($("setup-body"), surveys.map(surveyCard));
}

async function edit(survey) {
  say($("setup-status"), "");
  $("new-survey").hidden = true;
  ++screen;
  const full = survey ? await api(`/surveys/${survey.id}`) : null;
  await openEditor($("setup-body"), ctx, full, async (saved) => {
    ctx.forgetSurveys();
    await list(saved ? `Saved \u201c${saved.title}\u201d.` : "");
  });
}

function statusOf(s) {
  if (s.archived) return ["Archived", ""];
  if (!s.cadence) return ["By hand", ""];
  return s.cadence.paused ? ["Paused", ""] : ["Scheduled", "open"];
}

function surveyCard(s) {
  const [status, cls] = statusOf(s);
  const error = el("p", { class: "error", role: "alert" });
  const act = (label, work, kind) => {
    const button = el("button", { type: "button", class: kind || "quiet" }, label);
    button.addEventListener("click", () => busy(button, async () => {
      say(error, "");
      try {
        await work();
      } catch (err) {
        say(error, err.message);
      }
    }));
    return button;
  };
  const actions = s.archived ? [] : [
    act("Edit", () => edit(s)),
    s.cadence ? act(s.cadence.paused ? "Resume" : "Pause", async () => {
      const cadence = { ...s.cadence, paused: !s.cadence.paused };
      const saved = await api(`/surveys/${s.id}`, { method: "PATCH", body: { cadence } });
      ctx.forgetSurveys();
      await list(saved.cadence.paused ? `\u201c${s.title}\u201d is paused: no rounds go out until you resume it.`
        : `\u201c${s.title}\u201d is resumed; the next round follows its schedule.`);
    }) : null,
    act("Send a round now", async () => {
      const round = await sendNow(s);
      if (round) await list(sentNote(round));
    }, "primary"),
    act("Archive", async () => {
      if (!await confirmAction("Archive this survey?", `\u201c${s.title}\u201d sends no more rounds. Its results stay.`, "Archive", true)) return;
      await api(`/surveys/${s.id}/archive`, { method: "POST" });
      ctx.forgetSurveys();
      await list(`\u201c${s.title}\u201d is archived.`);
    }, "quiet danger-text"),
  ];
  const teams = s.audience.team_ids.length ? plural(s.audience.team_ids.length, "team") + " and their sub-teams" : "Everyone";
  return el("article", { class: "card survey-card", "aria-label": s.title },
    el("div", { class: "round-head" }, el("h3", {}, s.title), el("span", { class: "badge " + cls }, status)),
    el("p", { class: "meta" }, cadenceText(s.cadence), " \u00b7 ", teams, " \u00b7 ",
      plural(s.questions ? s.questions.length : 0, "question"), " \u00b7 ", s.locale === "ms" ? "Bahasa Melayu" : "English"),
    el("div", { class: "row" }, actions), error);
}
