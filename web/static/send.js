// "Send a round now", shared by the survey setup and rounds views: it says
// how many people the round reaches before anything is sent.

import { api } from "./api.js";
import { confirmAction } from "./dom.js";
import { dateTime, plural } from "./format.js";

// sendNow asks HR to confirm, naming how many people are asked, then sends
// a round of survey. It resolves to the round, or null when HR said no.
export async function sendNow(survey) {
  const audience = await api("/audience/preview", { method: "POST", body: survey.audience || {} });
  if (!audience.people) {
    throw new Error(`Nobody is in the audience of \u201c${survey.title}\u201d yet, so a round would reach no one.`);
  }
  const yes = await confirmAction("Send a round now?",
    `A round of \u201c${survey.title}\u201d goes to ${plural(audience.people, "person", "people")} straight away ` +
    `(everyone active in its audience).`, "Send to " + plural(audience.people, "person", "people"));
  if (!yes) return null;
  return api(`/surveys/${survey.id}/rounds`, { method: "POST" });
}

// sentNote says what happened after a send.
export function sentNote(round) {
  return `Round sent to ${plural(round.recipients, "person", "people")}; it closes ${dateTime(round.closes_at)}.`;
}
