// "Replies to my comments", under My surveys: the conversations on comments
// the signed-in person wrote and allowed replies to, with a form to answer
// back anonymously. It shows what the Slack DMs show (who replied, and
// what) and the person's own comment; nobody else can list these.

import { api } from "./api.js";
import { busy, el, fill, say, uid } from "./dom.js";
import { dateTime } from "./format.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "myreplies.title": "Replies to my comments",
    "myreplies.hint": "Managers see your comment without your name and reply without learning who you are. Your answers are sent without your name too.",
    "myreplies.you": "You (anonymous)",
    "myreplies.manager": "A manager",
    "myreplies.label": "Your answer (sent without your name)",
    "myreplies.send": "Send answer",
    "myreplies.writeFirst": "Write an answer first.",
    "myreplies.sent": "Sent without your name.",
    "myreplies.dashboardOnly": "Sent without your name. Slack is switched off on this Pulse, so managers read it here in the dashboard, not in Slack.",
    "myreplies.conversation": "Conversation",
  },
  ms: {
    "myreplies.title": "Balasan kepada komen saya",
    "myreplies.hint": "Pengurus melihat komen anda tanpa nama anda dan membalas tanpa mengetahui siapa anda. Jawapan anda juga dihantar tanpa nama anda.",
    "myreplies.you": "Anda (tanpa nama)",
    "myreplies.manager": "Seorang pengurus",
    "myreplies.label": "Jawapan anda (dihantar tanpa nama anda)",
    "myreplies.send": "Hantar jawapan",
    "myreplies.writeFirst": "Tulis jawapan dahulu.",
    "myreplies.sent": "Dihantar tanpa nama anda.",
    "myreplies.dashboardOnly": "Dihantar tanpa nama anda. Slack dimatikan pada Pulse ini, jadi pengurus membacanya di sini dalam papan pemuka, bukan dalam Slack.",
    "myreplies.conversation": "Perbualan",
  },
});

// myReplies lists the person's conversations, or nothing when there are none.
export async function myReplies() {
  const threads = await api("/me/conversations");
  if (!threads.length) return null;
  return el("section", { class: "card my-replies", "aria-labelledby": "my-replies-title" },
    el("h3", { id: "my-replies-title" }, t("myreplies.title")),
    el("p", { class: "hint" }, t("myreplies.hint")),
    threads.map(thread));
}

function thread(th) {
  const list = el("ol", { class: "replies", "aria-label": t("myreplies.conversation") }, th.replies.map(message));
  const fieldId = uid("answer");
  const body = el("textarea", { id: fieldId, rows: 3, maxlength: 2000, required: true });
  const send = el("button", {}, t("myreplies.send"));
  const status = el("p", { class: "saved-note", role: "status" });
  const error = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "reply-form" },
    el("label", { for: fieldId }, t("myreplies.label")), body,
    el("div", { class: "row" }, send), status, error);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    say(error, "");
    say(status, "");
    if (!body.value.trim()) {
      say(error, t("myreplies.writeFirst"));
      body.focus();
      return;
    }
    await busy(send, async () => {
      try {
        const r = await api("/me/conversations", { method: "POST", body: { comment_id: th.comment_id, body: body.value } });
        list.append(message(r));
        body.value = "";
        say(status, r.delivery === "dashboard" ? t("myreplies.dashboardOnly") : t("myreplies.sent"));
      } catch (err) {
        say(error, err.message);
      }
    });
  });
  return el("article", { class: "my-thread" },
    el("p", { class: "meta" }, th.survey_title, th.prompt ? " \u00b7 " + th.prompt : ""),
    el("blockquote", { class: "comment-text" }, th.text),
    list, form);
}

// message shows one reply. The author's own answers carry no time: the
// thread shows managers each one later than it was written.
function message(r) {
  if (r.from_author) {
    return el("li", { class: "from-author" }, el("p", { class: "meta" }, el("strong", {}, t("myreplies.you"))), el("p", {}, r.body));
  }
  return el("li", { class: "from-manager" },
    el("p", { class: "meta" }, el("strong", {}, r.replier_name || t("myreplies.manager")), " \u00b7 ", dateTime(r.created_at)),
    el("p", {}, r.body));
}
