// "Send a round now", shared by the survey setup and rounds views: it says
// how many people the round reaches before anything is sent.

import { api } from "./api.js";
import { confirmAction } from "./dom.js";
import { dateTime } from "./format.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "send.now": "Send a round now",
    "send.nobody": "Nobody is in the audience of \u201c{title}\u201d yet, so a round would reach no one.",
    "send.ask": "Send a round now?",
    "send.reaches": { one: "A round of \u201c{title}\u201d goes to {n} person straight away (everyone active in its audience).", other: "A round of \u201c{title}\u201d goes to {n} people straight away (everyone active in its audience)." },
    "send.button": { one: "Send to {n} person", other: "Send to {n} people" },
    "send.sent": { one: "Round sent to {n} person; it closes {when}.", other: "Round sent to {n} people; it closes {when}." },
  },
  ms: {
    "send.now": "Hantar pusingan sekarang",
    "send.nobody": "Belum ada sesiapa dalam khalayak \u201c{title}\u201d, jadi pusingan tidak akan sampai kepada sesiapa.",
    "send.ask": "Hantar pusingan sekarang?",
    "send.reaches": "Pusingan \u201c{title}\u201d dihantar kepada {n} orang serta-merta (semua yang aktif dalam khalayaknya).",
    "send.button": "Hantar kepada {n} orang",
    "send.sent": "Pusingan dihantar kepada {n} orang; ia ditutup {when}.",
  },
});

// sendNow asks HR to confirm, naming how many people are asked, then sends
// a round of survey. It resolves to the round, or null when HR said no.
export async function sendNow(survey) {
  const audience = await api("/audience/preview", { method: "POST", body: survey.audience || {} });
  if (!audience.people) throw new Error(t("send.nobody", { title: survey.title }));
  const yes = await confirmAction(t("send.ask"), t("send.reaches", { title: survey.title, n: audience.people }),
    t("send.button", { n: audience.people }));
  if (!yes) return null;
  return api(`/surveys/${survey.id}/rounds`, { method: "POST" });
}

// sendLabel is the button's text.
export function sendLabel() {
  return t("send.now");
}

// sentNote says what happened after a send.
export function sentNote(round) {
  return t("send.sent", { n: round.recipients, when: dateTime(round.closes_at) });
}
