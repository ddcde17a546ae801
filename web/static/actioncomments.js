// Linking comments to an action plan: the picker in the plan forms, which
// offers the comments the results show for the plan's round and group (the
// API refuses any other, and its field error shows beside the picker), and
// the quotes of linked comments on the plan. Comment text goes in as text.

import { apiAll, query } from "./api.js";
import { el, fill, sentence, uid } from "./dom.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "actions.linkedComments": "Linked comments",
    "actions.commentsHidden": { one: "{n} linked comment is not shown here.", other: "{n} linked comments are not shown here." },
    "actions.commentsHint": "Tick up to {max} comments the results show for this round and group.",
    "actions.noComments": "The results show no comments for this round and group.",
  },
  ms: {
    "actions.linkedComments": "Komen yang dipautkan",
    "actions.commentsHidden": "{n} komen yang dipautkan tidak ditunjukkan di sini.",
    "actions.commentsHint": "Tandakan sehingga {max} komen yang ditunjukkan oleh keputusan untuk pusingan dan kumpulan ini.",
    "actions.noComments": "Keputusan tidak menunjukkan sebarang komen untuk pusingan dan kumpulan ini.",
  },
});

const maxComments = 10; // action.MaxComments
const excerptLength = 90;

// excerpt is a comment on one line, cut short with an ellipsis.
function excerpt(text) {
  const flat = String(text).replace(/\s+/g, " ").trim();
  return flat.length > excerptLength ? flat.slice(0, excerptLength - 1).trimEnd() + "\u2026" : flat;
}

// commentsOfRound are the comments the group's results show for one round,
// asked for that round's instant alone, exactly as the API checks a link.
// Each round is asked once per drawing of the section.
export function commentsOfRound(known, roundId) {
  const id = Number(roundId);
  if (!known.byRound.has(id)) {
    const start = known.roundStart.get(id);
    const to = start ? new Date(Date.parse(start) + 1000).toISOString().replace(/\.\d+Z$/, "Z") : "";
    known.byRound.set(id, start
      ? apiAll(`/surveys/${known.surveyId}/comments` + query({ team_id: known.team_id, from: start, to })).catch(() => [])
      : Promise.resolve([]));
  }
  return known.byRound.get(id);
}

// linkedComments quotes the plan's comments as the group's results show
// them; one no longer shown (a threshold was raised) is only counted.
export function linkedComments(p, known) {
  const ids = p.comment_ids || [];
  if (!ids.length) return null;
  const shown = ids.map((id) => known.comments.get(id)).filter(Boolean);
  const hidden = ids.length - shown.length;
  return el("div", { class: "action-comments" },
    el("p", { class: "meta" }, t("actions.linkedComments")),
    shown.length ? el("ul", {}, shown.map((c) => el("li", {}, el("q", { title: c.text }, excerpt(c.text))))) : null,
    hidden ? el("p", { class: "meta" }, t("actions.commentsHidden", { n: hidden })) : null);
}

// commentPicker is a group of checkboxes, one per comment offered, shown
// as an excerpt; chosen ids stay ticked when the offer changes. Its error
// line shows the API's comment_ids field error.
export function commentPicker(chosen) {
  const picked = new Set(chosen);
  const hintId = uid("comments-hint");
  const errorId = uid("comments-error");
  const list = el("ul", { class: "comment-choices" });
  const hint = el("p", { id: hintId, class: "hint" });
  const error = el("p", { id: errorId, class: "field-error", role: "alert" });
  const node = el("fieldset", { class: "field action-comment-picker", "aria-describedby": hintId + " " + errorId },
    el("legend", {}, t("actions.linkedComments")), hint, list, error);
  const setError = (message) => {
    error.textContent = message ? sentence(message) + "." : "";
  };
  return {
    node,
    setError,
    value: () => [...picked],
    offer(comments) {
      hint.textContent = comments.length ? t("actions.commentsHint", { max: maxComments }) : t("actions.noComments");
      fill(list, comments.map((c) => {
        const box = el("input", { type: "checkbox", value: c.id, checked: picked.has(c.id) });
        box.addEventListener("change", () => (box.checked ? picked.add(c.id) : picked.delete(c.id)));
        return el("li", {}, el("label", { title: c.text }, box, excerpt(c.text)));
      }));
    },
    clear() {
      picked.clear();
      for (const box of list.querySelectorAll("input")) box.checked = false;
    },
    showError(err) {
      const d = (err.details || []).find((x) => x.field === "comment_ids");
      setError(d ? d.reason : "");
    },
  };
}
