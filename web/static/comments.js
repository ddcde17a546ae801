// Comments for the group and dates the results show, without author. Where
// the author allowed it, a manager (or HR) can reply; Pulse delivers the
// reply in Slack and neither side learns who the author is.

import { api, apiAll, query } from "./api.js";
import { busy, el, fill, say, uid } from "./dom.js";
import { dateTime, day } from "./format.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "comments.loading": "Loading comments…",
    "comments.title": "Comments",
    "comments.more": "Show {n} more",
    "comments.showing": { one: "Showing {shown} of {n} comment, newest first.", other: "Showing {shown} of {n} comments, newest first." },
    "comments.none": "No comments to show for this group and period. Comments appear only from rounds where at least {k} people in the group wrote one, so nobody can be singled out.",
    "comments.onlyReplyable": " Only comments whose authors allow replies",
    "comments.allowed": "Replies allowed",
    "comments.reply": "Reply",
    "comments.show": "Show conversation",
    "comments.hide": "Hide conversation",
    "comments.conversation": "Conversation",
    "comments.loadingThread": "Loading the conversation…",
    "comments.expired": "The time to reply has run out: authors can be reached until 30 days after the round closed.",
    "comments.yourReply": "Your reply",
    "comments.send": "Send reply",
    "comments.hint": "Pulse sends it to the author in Slack, who can answer anonymously. You will not learn who they are.",
    "comments.writeFirst": "Write a reply first.",
    "comments.slackOff": "Your reply is saved, but Slack is switched off on this Pulse, so it cannot reach the author in Slack. They read it under \u201cMy surveys\u201d when they sign in to the dashboard.",
    "comments.noReplies": "No replies yet.",
    "comments.author": "Author (anonymous)",
    "comments.manager": "A manager",
  },
  ms: {
    "comments.loading": "Memuatkan komen…",
    "comments.title": "Komen",
    "comments.more": "Tunjukkan {n} lagi",
    "comments.showing": "Menunjukkan {shown} daripada {n} komen, terbaharu dahulu.",
    "comments.none": "Tiada komen untuk dipaparkan bagi kumpulan dan tempoh ini. Komen dipaparkan hanya daripada pusingan yang sekurang-kurangnya {k} orang dalam kumpulan menulis komen, supaya tiada sesiapa dapat dikenal pasti.",
    "comments.onlyReplyable": " Hanya komen yang penulisnya membenarkan balasan",
    "comments.allowed": "Balasan dibenarkan",
    "comments.reply": "Balas",
    "comments.show": "Tunjukkan perbualan",
    "comments.hide": "Sembunyikan perbualan",
    "comments.conversation": "Perbualan",
    "comments.loadingThread": "Memuatkan perbualan…",
    "comments.expired": "Tempoh untuk membalas telah tamat: penulis boleh dihubungi sehingga 30 hari selepas pusingan ditutup.",
    "comments.yourReply": "Balasan anda",
    "comments.send": "Hantar balasan",
    "comments.hint": "Pulse menghantarnya kepada penulis dalam Slack, yang boleh menjawab tanpa nama. Anda tidak akan tahu siapa mereka.",
    "comments.writeFirst": "Tulis balasan dahulu.",
    "comments.slackOff": "Balasan anda disimpan, tetapi Slack dimatikan pada Pulse ini, jadi ia tidak dapat sampai kepada penulis dalam Slack. Mereka membacanya di bawah \u201cTinjauan saya\u201d apabila log masuk ke papan pemuka.",
    "comments.noReplies": "Belum ada balasan.",
    "comments.author": "Penulis (tanpa nama)",
    "comments.manager": "Seorang pengurus",
  },
});

const pageSize = 15;

// showComments loads the comments for the given filters into box.
export async function showComments(box, { surveyId, team_id, from, to, thresholds }) {
  fill(box, el("p", { class: "muted" }, t("comments.loading")));
  let comments;
  try {
    comments = await apiAll(`/surveys/${surveyId}/comments` + query({ team_id, from, to }));
  } catch (err) {
    fill(box, el("section", { class: "card" }, el("h3", {}, t("comments.title")), el("p", { class: "error", role: "alert" }, err.message)));
    return;
  }
  const newestFirst = comments.slice().reverse();
  const prompts = new Set(comments.map((c) => c.prompt));
  const list = el("ul", { class: "comments" });
  const more = el("button", { type: "button", class: "quiet" });
  const onlyReplyable = el("input", { type: "checkbox", id: uid("replyable") });
  const count = el("p", { class: "muted", role: "status" });
  let shown = 0;
  let pool = newestFirst;

  const showMore = () => {
    list.append(...pool.slice(shown, shown + pageSize).map((c) => comment(c, prompts.size > 1)));
    shown = Math.min(pool.length, shown + pageSize);
    more.hidden = shown >= pool.length;
    more.textContent = t("comments.more", { n: Math.min(pageSize, pool.length - shown) });
    count.textContent = pool.length ? t("comments.showing", { shown, n: pool.length }) : "";
  };
  const restart = () => {
    pool = onlyReplyable.checked ? newestFirst.filter((c) => c.replyable) : newestFirst;
    shown = 0;
    list.replaceChildren();
    showMore();
  };
  more.addEventListener("click", showMore);
  onlyReplyable.addEventListener("change", restart);

  const section = el("section", { class: "card", "aria-labelledby": "comments-title" },
    el("h3", { id: "comments-title" }, t("comments.title")));
  if (!comments.length) {
    section.append(el("p", { class: "muted" }, t("comments.none", { k: thresholds.min_comment_respondents })));
  } else {
    section.append(
      el("label", { class: "check", for: onlyReplyable.id }, onlyReplyable, t("comments.onlyReplyable")),
      count, list, more);
    restart();
  }
  fill(box, section);
}

function comment(c, showPrompt) {
  const item = el("li", {},
    el("article", { class: "comment" },
      el("p", { class: "comment-text" }, c.text),
      el("p", { class: "meta" }, day(c.round_day), showPrompt ? " \u00b7 " + c.prompt : "",
        c.replyable ? el("span", { class: "badge" }, t("comments.allowed")) : null)));
  if (c.replyable || c.has_conversation) item.firstChild.append(replyBox(c));
  return item;
}

// replyBox is a toggle that opens the thread and, while the author can
// still be reached, a reply form.
function replyBox(c) {
  const panelId = uid("thread");
  const label = c.replyable ? t("comments.reply") : t("comments.show");
  const toggle = el("button", { type: "button", class: "quiet", "aria-expanded": "false", "aria-controls": panelId }, label);
  const panel = el("div", { id: panelId, class: "thread", hidden: true });
  let loaded = false;
  toggle.addEventListener("click", async () => {
    const open = panel.hidden;
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? t("comments.hide") : label;
    if (open && !loaded) {
      loaded = true;
      await thread(panel, c);
    }
  });
  return el("div", { class: "reply" }, toggle, panel);
}

async function thread(panel, c) {
  const replies = el("ol", { class: "replies", "aria-label": t("comments.conversation") });
  const error = el("p", { class: "error", role: "alert" });
  fill(panel, el("p", { class: "muted" }, t("comments.loadingThread")));
  try {
    const list = await apiAll(`/comments/${encodeURIComponent(c.id)}/replies`);
    replies.append(...list.map(message));
  } catch (err) {
    say(error, err.message);
  }
  if (!c.replyable) {
    fill(panel, replies, error, el("p", { class: "hint" }, t("comments.expired")));
    return;
  }
  const fieldId = uid("reply");
  const hintId = uid("reply-hint");
  const body = el("textarea", { id: fieldId, rows: 3, maxlength: 2000, required: true, "aria-describedby": hintId });
  const send = el("button", {}, t("comments.send"));
  const form = el("form", { class: "reply-form" },
    el("label", { for: fieldId }, t("comments.yourReply")), body,
    el("p", { id: hintId, class: "hint" }, t("comments.hint")),
    el("div", { class: "row" }, send), error);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    say(error, "");
    if (!body.value.trim()) {
      say(error, t("comments.writeFirst"));
      body.focus();
      return;
    }
    await busy(send, async () => {
      try {
        const r = await api(`/comments/${encodeURIComponent(c.id)}/replies`, { method: "POST", body: { body: body.value } });
        replies.querySelector(".empty")?.remove();
        replies.append(message(r));
        body.value = "";
        if (r.delivery === "dashboard") say(error, t("comments.slackOff"));
      } catch (err) {
        say(error, err.message);
      }
    });
  });
  fill(panel, replies, form);
  if (!replies.children.length) replies.append(el("li", { class: "muted empty" }, t("comments.noReplies")));
}

function message(r) {
  const who = r.from_author ? t("comments.author") : r.replier_name || t("comments.manager");
  return el("li", { class: r.from_author ? "from-author" : "from-manager" },
    el("p", { class: "meta" }, el("strong", {}, who), " \u00b7 ", dateTime(r.created_at)),
    el("p", {}, r.body));
}
