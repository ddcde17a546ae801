// "My open surveys": the web fallback for answering a round outside Slack.
// Answers go to the same API Slack uses; they are stored without the
// person's identity and can be changed until the round closes.

import { api } from "./api.js";
import { $, busy, el, fill, say, sentence, uid } from "./dom.js";
import { dateTime } from "./format.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "surveys.title": "My open surveys",
    "surveys.intro": "Your answers are stored without your name. You can change them until the survey closes.",
  },
  ms: {
    "surveys.title": "Tinjauan saya yang dibuka",
    "surveys.intro": "Jawapan anda disimpan tanpa nama anda. Anda boleh mengubahnya sehingga tinjauan ditutup.",
  },
});

const agreement = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"];

// initSurveys lists the rounds the signed-in person was asked in.
export async function initSurveys() {
  say($("surveys-error"), "");
  fill($("surveys-body"), el("p", { class: "muted" }, "Loading…"));
  try {
    const rounds = await api("/me/rounds");
    if (!rounds.length) {
      fill($("surveys-body"), el("p", { class: "card muted" },
        "You have no open surveys right now. When one is sent to you, it appears here and in Slack."));
      return;
    }
    fill($("surveys-body"), rounds.map((r) => roundCard(r, rounds.length === 1)));
  } catch (err) {
    fill($("surveys-body"));
    say($("surveys-error"), err.message);
  }
}

function roundCard(round, only) {
  const formId = uid("answer-form");
  const state = el("span", { class: "badge" + (round.answered ? " done" : "") }, round.answered ? "Answered" : "Not answered yet");
  const toggle = el("button", { type: "button", "aria-expanded": "false", "aria-controls": formId },
    round.answered ? "Change my answers" : "Answer now");
  const holder = el("div", { id: formId, hidden: true });
  const card = el("article", { class: "card round-card", "aria-label": round.survey_title },
    el("div", { class: "round-head" },
      el("h3", {}, round.survey_title),
      state),
    el("p", { class: "meta" }, "Sent ", dateTime(round.opens_at || round.scheduled_at), " \u00b7 closes ", dateTime(round.closes_at)),
    toggle, holder);
  let built = false;
  const open = async (show) => {
    holder.hidden = !show;
    toggle.hidden = show;
    toggle.setAttribute("aria-expanded", String(show));
    if (show && !built) {
      built = true;
      await buildForm(holder, round, () => {
        state.textContent = "Answered";
        state.classList.add("done");
      });
    }
  };
  toggle.addEventListener("click", () => open(true));
  if (!round.answered || only) open(true);
  return card;
}

async function buildForm(holder, round, onAnswered) {
  fill(holder, el("p", { class: "muted" }, "Loading your answers…"));
  let previous = [];
  let allowed = false;
  try {
    const mine = await api(`/rounds/${round.id}/answers`);
    previous = mine.answers || [];
    allowed = Boolean(mine.allow_replies);
  } catch (err) {
    if (err.status !== 404) say($("surveys-error"), err.message);
  }
  const given = new Map(previous.map((a) => [a.question_id, a.value]));
  const fields = round.questions.map((q) => field(q, round, given.get(q.id)));
  const hasText = round.questions.some((q) => q.kind === "text");
  const allowId = uid("allow");
  const allow = el("input", { type: "checkbox", id: allowId, "aria-describedby": allowId + "-hint" });
  allow.checked = allowed;
  const status = el("p", { class: "receipt", role: "status" }, (previous.length
    ? "Your answers are recorded anonymously, editable until "
    : "Your answers will be recorded anonymously, editable until ") + dateTime(round.closes_at) + ".");
  const error = el("p", { class: "error", role: "alert" });
  const send = el("button", {}, previous.length ? "Save changes" : "Send answers");
  const form = el("form", { class: "answer-form", novalidate: true },
    fields.map((f) => f.node),
    hasText ? el("div", { class: "allow" },
      el("label", { class: "check", for: allowId }, allow, " Allow anonymous replies to my comment"),
      el("p", { class: "hint", id: allowId + "-hint" }, "A manager can then reply in Slack without learning who you are, until 30 days after the " +
        "survey closes. " +
        "Leave it unticked and your comment cannot be answered. Saving again without the tick withdraws it.")) : null,
    el("div", { class: "row" }, send), error, status);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    say(error, "");
    fields.forEach((f) => f.setError(""));
    const answers = fields.map((f) => f.value()).filter((a) => a !== null);
    if (!answers.some((a) => a.value !== "")) {
      say(error, "Choose at least one answer first.");
      return;
    }
    await busy(send, async () => {
      try {
        const receipt = await api(`/rounds/${round.id}/answers`, {
          method: "POST", body: { answers, allow_replies: hasText && allow.checked },
        });
        status.textContent = "Thank you. " + (receipt.anonymous ? "Recorded anonymously" : "Recorded") +
          ", editable until " + dateTime(receipt.editable_until) + ".";
        status.classList.add("saved");
        send.textContent = "Save changes";
        onAnswered();
      } catch (err) {
        showErrors(err, answers, fields, error);
      }
    });
  });
  fill(holder, form);
}

// showErrors puts each "answers[i].value" reason next to its question.
function showErrors(err, answers, fields, error) {
  let placed = 0;
  for (const d of err.details) {
    const m = /^answers\[(\d+)\]/.exec(d.field || "");
    const a = m && answers[Number(m[1])];
    const f = a && fields.find((x) => x.question.id === a.question_id);
    if (f) {
      f.setError(d.reason);
      placed++;
    }
  }
  say(error, placed ? "Some answers need another look (marked below their question)." : err.message);
}

// field builds one question's input and knows how to read it back.
function field(q, round, value) {
  const errorId = uid("q-error");
  const errorNode = el("p", { id: errorId, class: "field-error" });
  let node;
  let read;
  const setError = (message) => {
    errorNode.textContent = message ? sentence(message) + "." : "";
    node.toggleAttribute("data-invalid", Boolean(message));
  };
  if (q.kind === "text") {
    const id = uid("q");
    const area = el("textarea", { id, rows: 3, maxlength: 2000, "aria-describedby": errorId });
    area.value = typeof value === "string" ? value : "";
    const had = area.value !== "";
    node = el("div", { class: "question-field" }, el("label", { for: id, class: "prompt" }, q.prompt), area, errorNode);
    // An emptied comment is sent as empty, which removes it.
    read = () => (area.value.trim() || had ? { question_id: q.id, value: area.value.trim() } : null);
  } else {
    const name = uid("q");
    const choices = options(q, round);
    const inputs = choices.map((c) => el("input", { type: "radio", name, value: String(c.value), "aria-describedby": errorId }));
    inputs.forEach((input, i) => { input.checked = value !== undefined && value === choices[i].value; });
    node = el("fieldset", { class: "question-field" },
      el("legend", { class: "prompt" }, q.prompt),
      el("div", { class: "choices-box" },
        el("div", { class: "choices " + q.kind }, choices.map((c, i) =>
          el("label", { class: "choice" }, inputs[i], el("span", {}, c.label)))),
        hint(q, round)),
      errorNode);
    read = () => {
      const i = inputs.findIndex((input) => input.checked);
      return i < 0 ? null : { question_id: q.id, value: choices[i].value };
    };
  }
  return { question: q, node, value: read, setError };
}

function options(q, round) {
  switch (q.kind) {
    case "enps": {
      const out = [];
      for (let v = round.scale_min ?? 1; v <= 10; v++) out.push({ value: v, label: String(v) });
      return out;
    }
    case "scale":
      return agreement.map((label, i) => ({ value: i + 1, label: i + 1 + " \u00b7 " + label }));
    case "yes_no":
      return [{ value: true, label: "Yes" }, { value: false, label: "No" }];
    default:
      return (q.options || []).map((o) => ({ value: o, label: o }));
  }
}

function hint(q, round) {
  if (q.kind !== "enps") return null;
  return el("p", { class: "hint scale-ends" },
    el("span", {}, (round.scale_min ?? 1) + " = not at all likely"), el("span", {}, "10 = extremely likely"));
}
