// HR's survey setup: every survey with its schedule and audience, and what
// HR does to one (edit, pause or resume, send a round now, archive). The
// form itself is editor.js.

import { api, apiAll } from "./api.js";
import { $, busy, confirmAction, el, fill, say } from "./dom.js";
import { weekdayName } from "./cadence.js";
import { openEditor } from "./editor.js";
import { sendLabel, sendNow, sentNote } from "./send.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "setup.new": "New survey",
    "setup.byHand": "Sent by hand only",
    "setup.weekly": "Every {weekday} at {time} ({zone})",
    "setup.monthlyNth": "The {nth} {weekday} of every month at {time} ({zone})",
    "setup.monthlyDay": "Day {day} of every month at {time} ({zone})",
    "setup.quarterly": "The first {weekday} of every quarter at {time} ({zone})",
    "setup.once": "Once, on {day} at {time} ({zone})",
    "setup.cron": "Cron \u201c{spec}\u201d ({zone})",
    "setup.nth1": "first",
    "setup.nth2": "second",
    "setup.nth3": "third",
    "setup.nth4": "fourth",
    "setup.nthLast": "last",
    "setup.none": "No surveys yet. Create one to start your pulse programme.",
    "setup.saved": "Saved \u201c{title}\u201d.",
    "setup.archived": "Archived",
    "setup.manual": "By hand",
    "setup.paused": "Paused",
    "setup.scheduled": "Scheduled",
    "setup.edit": "Edit",
    "setup.resume": "Resume",
    "setup.pause": "Pause",
    "setup.pausedNote": "\u201c{title}\u201d is paused: no rounds go out until you resume it.",
    "setup.resumedNote": "\u201c{title}\u201d is resumed; the next round follows its schedule.",
    "setup.archive": "Archive",
    "setup.archiveAsk": "Archive this survey?",
    "setup.archiveText": "\u201c{title}\u201d sends no more rounds. Its results stay.",
    "setup.archivedNote": "\u201c{title}\u201d is archived.",
    "setup.teams": { one: "{n} team and its sub-teams", other: "{n} teams and their sub-teams" },
    "setup.everyone": "Everyone",
    "setup.questions": { one: "{n} question", other: "{n} questions" },
  },
  ms: {
    "setup.new": "Tinjauan baharu",
    "setup.byHand": "Dihantar secara manual sahaja",
    "setup.weekly": "Setiap {weekday} jam {time} ({zone})",
    "setup.monthlyNth": "{weekday} {nth} setiap bulan jam {time} ({zone})",
    "setup.monthlyDay": "Hari ke-{day} setiap bulan jam {time} ({zone})",
    "setup.quarterly": "{weekday} pertama setiap suku tahun jam {time} ({zone})",
    "setup.once": "Sekali, pada {day} jam {time} ({zone})",
    "setup.cron": "Cron \u201c{spec}\u201d ({zone})",
    "setup.nth1": "pertama",
    "setup.nth2": "kedua",
    "setup.nth3": "ketiga",
    "setup.nth4": "keempat",
    "setup.nthLast": "terakhir",
    "setup.none": "Belum ada tinjauan. Cipta satu untuk memulakan program tinjauan anda.",
    "setup.saved": "\u201c{title}\u201d disimpan.",
    "setup.archived": "Diarkibkan",
    "setup.manual": "Manual",
    "setup.paused": "Dijeda",
    "setup.scheduled": "Dijadualkan",
    "setup.edit": "Sunting",
    "setup.resume": "Sambung semula",
    "setup.pause": "Jeda",
    "setup.pausedNote": "\u201c{title}\u201d dijeda: tiada pusingan dihantar sehingga anda menyambungnya semula.",
    "setup.resumedNote": "\u201c{title}\u201d disambung semula; pusingan seterusnya mengikut jadualnya.",
    "setup.archive": "Arkibkan",
    "setup.archiveAsk": "Arkibkan tinjauan ini?",
    "setup.archiveText": "\u201c{title}\u201d tidak lagi menghantar pusingan. Keputusannya kekal.",
    "setup.archivedNote": "\u201c{title}\u201d telah diarkibkan.",
    "setup.teams": "{n} pasukan dan sub-pasukannya",
    "setup.everyone": "Semua orang",
    "setup.questions": "{n} soalan",
  },
});

let ctx;
// screen counts what setup-body was asked to show, so a list that arrives
// after HR already opened the editor does not replace it.
let screen = 0;

const nthKeys = { 1: "setup.nth1", 2: "setup.nth2", 3: "setup.nth3", 4: "setup.nth4", "-1": "setup.nthLast" };

// cadenceText says a cadence in words, as HR set it.
export function cadenceText(c) {
  if (!c) return t("setup.byHand");
  const v = { zone: c.timezone, time: c.time, weekday: c.weekday ? weekdayName(c.weekday) : "" };
  switch (c.kind) {
  case "weekly": return t("setup.weekly", v);
  case "monthly": return c.nth ? t("setup.monthlyNth", { ...v, nth: t(nthKeys[c.nth]) }) : t("setup.monthlyDay", { ...v, day: c.day });
  case "quarterly": return t("setup.quarterly", v);
  case "once": return t("setup.once", { ...v, day: c.at.slice(0, 10), time: c.at.slice(11, 16) });
  default: return t("setup.cron", { ...v, spec: c.spec });
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
    fill($("setup-body"), el("p", { class: "card muted" }, t("setup.none")));
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
    await list(saved ? t("setup.saved", { title: saved.title }) : "");
  });
}

function statusOf(s) {
  if (s.archived) return [t("setup.archived"), ""];
  if (!s.cadence) return [t("setup.manual"), ""];
  return s.cadence.paused ? [t("setup.paused"), ""] : [t("setup.scheduled"), "open"];
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
    act(t("setup.edit"), () => edit(s)),
    s.cadence ? act(s.cadence.paused ? t("setup.resume") : t("setup.pause"), async () => {
      const cadence = { ...s.cadence, paused: !s.cadence.paused };
      const saved = await api(`/surveys/${s.id}`, { method: "PATCH", body: { cadence } });
      ctx.forgetSurveys();
      await list(t(saved.cadence.paused ? "setup.pausedNote" : "setup.resumedNote", { title: s.title }));
    }) : null,
    act(sendLabel(), async () => {
      const round = await sendNow(s);
      if (round) await list(sentNote(round));
    }, "primary"),
    act(t("setup.archive"), async () => {
      if (!await confirmAction(t("setup.archiveAsk"), t("setup.archiveText", { title: s.title }), t("setup.archive"), true)) return;
      await api(`/surveys/${s.id}/archive`, { method: "POST" });
      ctx.forgetSurveys();
      await list(t("setup.archivedNote", { title: s.title }));
    }, "quiet danger-text"),
  ];
  const teams = s.audience.team_ids.length ? t("setup.teams", { n: s.audience.team_ids.length }) : t("setup.everyone");
  return el("article", { class: "card survey-card", "aria-label": s.title },
    el("div", { class: "round-head" }, el("h3", {}, s.title), el("span", { class: "badge " + cls }, status)),
    el("p", { class: "meta" }, cadenceText(s.cadence), " \u00b7 ", teams, " \u00b7 ",
      t("setup.questions", { n: s.questions ? s.questions.length : 0 }), " \u00b7 ", s.locale === "ms" ? "Bahasa Melayu" : "English"),
    el("div", { class: "row" }, actions), error);
}
