// "My open surveys": the web fallback for answering a round outside Slack.
// Answers go to the same API Slack uses; they are stored without the
// person's identity and can be changed until the round closes.

import { api } from "./api.js";
import { $, busy, el, fill, say, sentence, uid } from "./dom.js";
import { dateTime } from "./format.js";
import { strings } from "./i18n.js";
import { agreement } from "./results.js";
import { myReplies } from "./myreplies.js";

const t = strings({
  en: {
    "surveys.title": "My open surveys",
    "surveys.intro": "Your answers are stored without your name. You can change them until the survey closes.",
    "surveys.loading": "Loading…",
    "surveys.none": "You have no open surveys right now. When one is sent to you, it appears here and in Slack.",
    "surveys.answered": "Answered",
    "surveys.notAnswered": "Not answered yet",
    "surveys.change": "Change my answers",
    "surveys.answer": "Answer now",
    "surveys.sent": "Sent {sent} \u00b7 closes {closes}",
    "surveys.loadingAnswers": "Loading your answers…",
    "surveys.recorded": "Your answers are recorded anonymously, editable until {when}.",
    "surveys.willRecord": "Your answers will be recorded anonymously, editable until {when}.",
    "surveys.save": "Save changes",
    "surveys.send": "Send answers",
    "surveys.allow": " Allow anonymous replies to my comment",
    "surveys.allowHint": "A manager can then reply without learning who you are, until 30 days after the survey closes; you read and answer replies in Slack and here under \u201cReplies to my comments\u201d. Leave it unticked and your comment cannot be answered. Saving again without the tick withdraws it.",
    "surveys.chooseOne": "Choose at least one answer first.",
    "surveys.thanks": "Thank you. Recorded anonymously, editable until {when}.",
    "surveys.thanksPlain": "Thank you. Recorded, editable until {when}.",
    "surveys.lookAgain": "Some answers need another look (marked below their question).",
    "surveys.yes": "Yes",
    "surveys.no": "No",
    "surveys.low": "{min} = not at all likely",
    "surveys.high": "10 = extremely likely",
  },
  ms: {
    "surveys.title": "Tinjauan saya yang dibuka",
    "surveys.intro": "Jawapan anda disimpan tanpa nama anda. Anda boleh mengubahnya sehingga tinjauan ditutup.",
    "surveys.loading": "Memuatkan…",
    "surveys.none": "Tiada tinjauan dibuka untuk anda sekarang. Apabila tinjauan dihantar kepada anda, ia dipaparkan di sini dan dalam Slack.",
    "surveys.answered": "Sudah dijawab",
    "surveys.notAnswered": "Belum dijawab",
    "surveys.change": "Ubah jawapan saya",
    "surveys.answer": "Jawab sekarang",
    "surveys.sent": "Dihantar {sent} \u00b7 ditutup {closes}",
    "surveys.loadingAnswers": "Memuatkan jawapan anda…",
    "surveys.recorded": "Jawapan anda direkodkan tanpa nama, boleh diubah sehingga {when}.",
    "surveys.willRecord": "Jawapan anda akan direkodkan tanpa nama, boleh diubah sehingga {when}.",
    "surveys.save": "Simpan perubahan",
    "surveys.send": "Hantar jawapan",
    "surveys.allow": " Benarkan balasan tanpa nama kepada komen saya",
    "surveys.allowHint": "Pengurus boleh membalas tanpa mengetahui siapa anda, sehingga 30 hari selepas tinjauan ditutup; anda membaca dan menjawab balasan dalam Slack dan di sini di bawah \u201cBalasan kepada komen saya\u201d. Jika tidak ditandakan, komen anda tidak boleh dibalas. Menyimpan semula tanpa tanda akan menariknya balik.",
    "surveys.chooseOne": "Pilih sekurang-kurangnya satu jawapan dahulu.",
    "surveys.thanks": "Terima kasih. Direkodkan tanpa nama, boleh diubah sehingga {when}.",
    "surveys.thanksPlain": "Terima kasih. Direkodkan, boleh diubah sehingga {when}.",
    "surveys.lookAgain": "Sesetengah jawapan perlu disemak semula (ditanda di bawah soalannya).",
    "surveys.yes": "Ya",
    "surveys.no": "Tidak",
    "surveys.low": "{min} = langsung tidak mungkin",
    "surveys.high": "10 = sangat mungkin",
  },
});

// initSurveys lists the rounds the signed-in person was asked in.
export async function initSurveys() {
  say($("surveys-error"), "");
  fill($("surveys-body"), el("p", { class: "muted" }, t("surveys.loading")));
  try {
    const [rounds, replies] = await Promise.all([api("/me/rounds"), myReplies()]);
    fill($("surveys-body"),
      rounds.length ? rounds.map((r) => roundCard(r, rounds.length === 1)) : el("p", { class: "card muted" }, t("surveys.none")),
      replies);
  } catch (err) {
    fill($("surveys-body"));
    say($("surveys-error"), err.message);
  }
}

function roundCard(round, only) {
  const formId = uid("answer-form");
  const state = el("span", { class: "badge" + (round.answered ? " done" : "") }, round.answered ? t("surveys.answered") : t("surveys.notAnswered"));
  const toggle = el("button", { type: "button", "aria-expanded": "false", "aria-controls": formId },
    round.answered ? t("surveys.change") : t("surveys.answer"));
  const holder = el("div", { id: formId, hidden: true });
  const card = el("article", { class: "card round-card", "aria-label": round.survey_title },
    el("div", { class: "round-head" },
      el("h3", {}, round.survey_title),
      state),
    el("p", { class: "meta" }, t("surveys.sent", { sent: dateTime(round.opens_at || round.scheduled_at), closes: dateTime(round.closes_at) })),
    toggle, holder);
  let built = false;
  const open = async (show) => {
    holder.hidden = !show;
    toggle.hidden = show;
    toggle.setAttribute("aria-expanded", String(show));
    if (show && !built) {
      built = true;
      await buildForm(holder, round, () => {
        state.textContent = t("surveys.answered");
        state.classList.add("done");
      });
    }
  };
  toggle.addEventListener("click", () => open(true));
  if (!round.answered || only) open(true);
  return card;
}

async function buildForm(holder, round, onAnswered) {
  fill(holder, el("p", { class: "muted" }, t("surveys.loadingAnswers")));
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
  const status = el("p", { class: "receipt", role: "status" },
    t(previous.length ? "surveys.recorded" : "surveys.willRecord", { when: dateTime(round.closes_at) }));
  const error = el("p", { class: "error", role: "alert" });
  const send = el("button", {}, previous.length ? t("surveys.save") : t("surveys.send"));
  const form = el("form", { class: "answer-form", novalidate: true },
    fields.map((f) => f.node),
    hasText ? el("div", { class: "allow" },
      el("label", { class: "check", for: allowId }, allow, t("surveys.allow")),
      el("p", { class: "hint", id: allowId + "-hint" }, t("surveys.allowHint"))) : null,
    el("div", { class: "row" }, send), error, status);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    say(error, "");
    fields.forEach((f) => f.setError(""));
    const answers = fields.map((f) => f.value()).filter((a) => a !== null);
    if (!answers.some((a) => a.value !== "")) {
      say(error, t("surveys.chooseOne"));
      return;
    }
    await busy(send, async () => {
      try {
        const receipt = await api(`/rounds/${round.id}/answers`, {
          method: "POST", body: { answers, allow_replies: hasText && allow.checked },
        });
        status.textContent = t(receipt.anonymous ? "surveys.thanks" : "surveys.thanksPlain", { when: dateTime(receipt.editable_until) });
        status.classList.add("saved");
        send.textContent = t("surveys.save");
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
  say(error, placed ? t("surveys.lookAgain") : err.message);
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
      return [1, 2, 3, 4, 5].map((v) => ({ value: v, label: v + " \u00b7 " + agreement(v) }));
    case "yes_no":
      return [{ value: true, label: t("surveys.yes") }, { value: false, label: t("surveys.no") }];
    default:
      return (q.options || []).map((o) => ({ value: o, label: o }));
  }
}

function hint(q, round) {
  if (q.kind !== "enps") return null;
  return el("p", { class: "hint scale-ends" },
    el("span", {}, t("surveys.low", { min: round.scale_min ?? 1 })), el("span", {}, t("surveys.high")));
}
