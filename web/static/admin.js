// HR's rounds console (send a round now, see deliveries, close early) and
// the settings view: anonymity thresholds (HR) and the weekly digest
// (managers and HR).

import { api, apiAll } from "./api.js";
import { $, bar, busy, confirmAction, el, fill, say, sentence, uid } from "./dom.js";
import { browserZone, percent, plural, shortDateTime } from "./format.js";
import { fillSurveys } from "./results.js";
import { sendNow, sentNote } from "./send.js";
import { recipientsSection } from "./deliveries.js";

const listed = 10;
let ctx;

// initRounds sets up the rounds view for HR.
export async function initRounds(context) {
  ctx = context;
  const surveys = await ctx.surveys();
  fillSurveys($("r-survey"), surveys, ctx.surveyId);
  $("r-survey").addEventListener("change", () => {
    ctx.pickSurvey(Number($("r-survey").value));
    loadRounds();
  });
  $("send-round").addEventListener("click", sendRound);
  $("send-round").disabled = !surveys.length;
  await loadRounds();
}

// showRounds follows a survey picked in another view.
export function showRounds() {
  if (ctx && $("r-survey").value !== String(ctx.surveyId)) {
    $("r-survey").value = String(ctx.surveyId);
    loadRounds();
  }
}

async function loadRounds(openId, all) {
  const id = Number($("r-survey").value);
  say($("rounds-error"), "");
  if (!id) {
    fill($("rounds-body"), el("p", { class: "card muted" }, "There are no surveys yet."));
    return;
  }
  try {
    const rounds = await apiAll(`/surveys/${id}/rounds`);
    fill($("rounds-body"), roundsTable(rounds, openId, all));
  } catch (err) {
    fill($("rounds-body"));
    say($("rounds-error"), err.message);
  }
}

async function sendRound() {
  say($("rounds-status"), "");
  say($("rounds-error"), "");
  const surveys = await ctx.surveys();
  const survey = surveys.find((s) => String(s.id) === $("r-survey").value);
  if (!survey) return;
  await busy($("send-round"), async () => {
    try {
      const round = await sendNow(survey);
      if (!round) return;
      say($("rounds-status"), sentNote(round));
      await loadRounds(round.id);
    } catch (err) {
      say($("rounds-error"), err.message);
    }
  });
}

function roundsTable(rounds, openId, all) {
  if (!rounds.length) return el("p", { class: "card muted" }, "No rounds yet. Send one now, or wait for the survey's cadence.");
  const body = el("tbody");
  for (const r of all ? rounds : rounds.slice(0, listed)) {
    const detailRow = el("tr", { class: "detail", hidden: true }, el("td", { colspan: 6 }));
    const detailId = uid("round");
    detailRow.firstChild.id = detailId;
    const toggle = el("button", { type: "button", class: "quiet", "aria-expanded": "false", "aria-controls": detailId }, "Details");
    const show = async () => {
      const opening = detailRow.hidden;
      detailRow.hidden = !opening;
      toggle.setAttribute("aria-expanded", String(opening));
      if (opening) await roundDetail(detailRow.firstChild, r.id);
    };
    toggle.addEventListener("click", show);
    body.append(el("tr", {},
      el("th", { scope: "row" }, shortDateTime(r.opens_at || r.scheduled_at)),
      el("td", { "data-label": "Closes" }, shortDateTime(r.closed_at || r.closes_at)),
      el("td", { "data-label": "Status" },
        el("span", { class: "badge " + (r.status === "closed" ? "" : "open") }, roundStatusNames[r.status] || r.status)),
      // While a round is open no count is given, and participation only once k have answered.
      el("td", { class: "num", "data-label": "Answered" }, r.answered === null ? "counted at close" : r.answered + " of " + r.recipients),
      el("td", { class: "participation", "data-label": "Participation" },
        r.participation === null ? "below the threshold" : bar("", r.participation, percent(r.participation))),
      el("td", {}, toggle)), detailRow);
    if (r.id === openId) show();
  }
  const table = el("div", { class: "table-wrap" }, el("table", { class: "rounds stack-narrow" },
    el("caption", { class: "hint" }, "Newest first. Times are in your time zone (" + browserZone() + ")."),
    el("thead", {}, el("tr", {}, ["First send", "Closes", "Status", "Answered", "Participation", ""].map((h) => el("th", { scope: "col" }, h)))),
    body));
  const more = rounds.length > listed && !all
    ? el("button", { type: "button", class: "quiet", onclick: () => loadRounds(openId, true) }, "Show all " + rounds.length + " rounds")
    : null;
  return el("section", { class: "card", "aria-label": "Rounds" }, table, more);
}

// A round created ahead of its first send is "scheduled" until then.
const roundStatusNames = { scheduled: "Scheduled", open: "Open", closed: "Closed" };

const statusNames = { failed: "Failed", not_sent: "Not sent", pending: "Pending", sent: "Sent" };

async function roundDetail(cell, id) {
  fill(cell, el("p", { class: "muted" }, "Loading…"));
  let r;
  try {
    r = await api(`/rounds/${id}`);
  } catch (err) {
    fill(cell, el("p", { class: "error", role: "alert" }, err.message));
    return;
  }
  const d = r.deliveries;
  const error = el("p", { class: "error", role: "alert" });
  const chip = (label, n, cls) => el("li", { class: "chip " + cls }, el("strong", {}, n), " " + label);
  const refresh = el("button", { type: "button", class: "quiet", onclick: () => roundDetail(cell, id) }, "Refresh");
  const parts = [el("div", { class: "detail-head" }, el("h4", {}, "Deliveries"), refresh)];
  if (d.pending + d.sent + d.failed + d.not_sent === 0) {
    parts.push(el("p", { class: "muted" }, "No deliveries were recorded for this round."));
  } else {
    parts.push(el("ul", { class: "chips" },
      chip("pending", d.pending, "pending"), chip("sent", d.sent, "sent"),
      chip("failed", d.failed, "failed"), chip("not sent", d.not_sent, "not-sent")));
  }
  if (d.failures.length) {
    parts.push(el("ul", { class: "reasons" }, d.failures.map((f) =>
      el("li", {}, el("strong", {}, statusNames[f.status] || f.status), ": " + f.reason + " (" + plural(f.count, "person", "people") + ")"))));
  }
  if (r.status !== "closed") {
    const close = el("button", { type: "button", class: "danger" }, "Close now");
    close.addEventListener("click", async () => {
      if (!await confirmAction("Close this round now?", "Nobody can answer or change answers afterwards, " +
        "and its results are computed once, now.", "Close the round", true)) return;
      await busy(close, async () => {
        try {
          await api(`/rounds/${id}/close`, { method: "POST" });
          say($("rounds-status"), "Round closed.");
          await loadRounds(id);
        } catch (err) {
          say(error, err.message);
        }
      });
    });
    parts.push(el("div", { class: "row" }, close));
  }
  parts.push(recipientsSection(id));
  parts.push(error);
  fill(cell, parts);
}

// initSettings shows the digest toggle and, for HR, the thresholds form.
export async function initSettings(context) {
  ctx = context;
  const box = $("settings-body");
  const thresholds = await ctx.thresholds().catch((err) => ({ error: err }));
  fill(box, digestCard(ctx.me), thresholdsCard(thresholds, ctx.me.role === "hr_admin"));
}

function digestCard(me) {
  const id = uid("digest");
  const box = el("input", { type: "checkbox", id, "aria-describedby": id + "-hint" });
  box.checked = Boolean(me.weekly_digest);
  const status = el("p", { role: "status", class: "saved-note" });
  const error = el("p", { class: "error", role: "alert" });
  box.addEventListener("change", async () => {
    say(status, "");
    say(error, "");
    box.disabled = true;
    try {
      const updated = await api("/me/preferences", { method: "PATCH", body: { weekly_digest: box.checked } });
      me.weekly_digest = updated.weekly_digest;
      box.checked = updated.weekly_digest;
      say(status, box.checked ? "Saved. Your first digest arrives next Monday." : "Saved. You will not get the digest.");
    } catch (err) {
      box.checked = !box.checked;
      say(error, err.message);
    } finally {
      box.disabled = false;
    }
  });
  return el("section", { class: "card", "aria-labelledby": id + "-title" },
    el("h3", { id: id + "-title" }, "Weekly digest"),
    el("label", { class: "check", for: id }, box, " Send me a weekly Slack digest of my teams\u2019 eNPS"),
    el("p", { class: "hint", id: id + "-hint" }, "Mondays at 09:00 your time: each team\u2019s latest eNPS with its margin, " +
      "the change since the previous round, participation and the number of new comments, under the same anonymity rules as here."),
    status, error);
}

function thresholdsCard(t, editable) {
  const section = el("section", { class: "card", "aria-labelledby": "anon-title" }, el("h3", { id: "anon-title" }, "Anonymity thresholds"));
  if (t.error) return section.append(el("p", { class: "error", role: "alert" }, t.error.message)), section;
  if (!editable) {
    section.append(el("p", {}, `Results are hidden for any group with fewer than ${t.min_respondents} answers, and comments ` +
      `for any group with fewer than ${t.min_comment_respondents} commenters. HR sets these thresholds.`));
    return section;
  }
  const fields = [
    numberField("min_respondents", "Fewest answers to show a result", t.min_respondents,
      "Scores and summaries of a smaller group are hidden. 3 to 20; 5 is common."),
    numberField("min_comment_respondents", "Fewest commenters to show comments", t.min_comment_respondents,
      "A round\u2019s comments for a smaller group are hidden. 3 to 20."),
  ];
  const status = el("p", { role: "status", class: "saved-note" });
  const error = el("p", { class: "error", role: "alert" });
  const save = el("button", {}, "Save thresholds");
  const form = el("form", { class: "thresholds", novalidate: true }, fields.map((f) => f.node), el("div", { class: "row" }, save), status, error);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    say(status, "");
    say(error, "");
    fields.forEach((f) => f.setError(""));
    const body = Object.fromEntries(fields.map((f) => [f.name, f.value()]));
    await busy(save, async () => {
      try {
        const saved = await api("/settings/anonymity", { method: "PUT", body });
        ctx.resetThresholds();
        fields.forEach((f) => f.set(saved[f.name]));
        say(status, `Saved. Groups with fewer than ${saved.min_respondents} answers are hidden.`);
      } catch (err) {
        let placed = 0;
        for (const d of err.details) {
          const f = fields.find((x) => x.name === d.field);
          if (f) {
            f.setError(d.reason);
            placed++;
          }
        }
        say(error, placed ? "Nothing was saved. Check the fields marked above." : err.message);
      }
    });
  });
  section.append(form);
  return section;
}

function numberField(name, label, value, help) {
  const id = uid(name);
  const input = el("input", { id, name, type: "number", inputmode: "numeric", min: 3, max: 20, step: 1,
    "aria-describedby": id + "-hint " + id + "-error" });
  input.value = value;
  const error = el("p", { id: id + "-error", class: "field-error" });
  const node = el("div", { class: "field" }, el("label", { for: id }, label), input,
    el("p", { id: id + "-hint", class: "hint" }, help), error);
  return {
    name, node,
    value: () => (input.value.trim() === "" ? null : Number(input.value)),
    set: (v) => { input.value = v; },
    setError: (message) => {
      error.textContent = message ? sentence(message) + "." : "";
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    },
  };
}
