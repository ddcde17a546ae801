// Action plans on the results page: what the group heard and what it will
// do, who owns it and by when, dated updates as its status moves, how the
// linked question moved since publishing and how the group reacted. Plans
// are made on a closed round whose results show the group; the API says
// why when it refuses. A plan may link comments (actioncomments.js).

import { api, apiAll, query } from "./api.js";
import { busy, el, fill, say, uid } from "./dom.js";
import { day, localDay, signed } from "./format.js";
import { strings } from "./i18n.js";
import { commentPicker, commentsOfRound, linkedComments } from "./actioncomments.js";

const t = strings({
  en: {
    "actions.title": "Actions",
    "actions.hint": "What you heard, what you will do, and how it goes. Publishing tells the group in Slack; reactions and the effect on the linked question show only when enough people are behind them.",
    "actions.none": "No actions for this group yet.",
    "actions.planned": "Planned",
    "actions.in_progress": "In progress",
    "actions.done": "Done",
    "actions.dropped": "Dropped",
    "actions.notPublished": "Not published",
    "actions.meta": "Owner {owner} \u00b7 due {due}",
    "actions.publishedOn": " \u00b7 published {day}",
    "actions.doneOn": " \u00b7 done {day}",
    "actions.weHeard": "We heard: ",
    "actions.weWill": "We will: ",
    "actions.linkedQuestion": "Linked question: {prompt}",
    "actions.updates": "Updates",
    "actions.effect": "Since publishing: {before} \u2192 {after} ({change}), {verdict}.",
    "actions.significant": "a significant change",
    "actions.noise": "within the margin of error; may be noise",
    "actions.effectSuppressed": "Since publishing: not enough answers in one of the rounds to compare.",
    "actions.noRoundSince": "Since publishing: no round has closed yet.",
    "actions.reactionsHidden": "Reactions show once at least {k} people have reacted.",
    "actions.reactions": "This helps: {helps} \u00b7 Doesn\u2019t help yet: {notYet} ({count})",
    "actions.reactionCount": { one: "{n} reaction", other: "{n} reactions" },
    "actions.nowStatus": " \u00b7 now {status}",
    "actions.publish": "Publish to the group",
    "actions.keep": "Keep {status}",
    "actions.addUpdate": "Add update",
    "actions.update": "Update",
    "actions.status": "Status",
    "actions.save": "Save changes",
    "actions.edit": "Edit",
    "actions.fieldTitle": "Title",
    "actions.fieldWillDo": "We will",
    "actions.fieldDue": "Due",
    "actions.round": "Round",
    "actions.heard": "What we heard",
    "actions.willDo": "What we will do",
    "actions.question": "Linked question",
    "actions.noQuestion": "None",
    "actions.owner": "Owner",
    "actions.record": "Record action",
    "actions.new": "New action",
    "actions.noRound": "No closed round shows this group yet, so there is nothing to act on here.",
  },
  ms: {
    "actions.title": "Tindakan",
    "actions.hint": "Apa yang anda dengar, apa yang akan anda lakukan, dan perkembangannya. Menerbitkan tindakan memaklumkan kumpulan dalam Slack; reaksi dan kesan pada soalan yang dipautkan hanya ditunjukkan apabila cukup ramai orang di sebaliknya.",
    "actions.none": "Belum ada tindakan untuk kumpulan ini.",
    "actions.planned": "Dirancang",
    "actions.in_progress": "Sedang dijalankan",
    "actions.done": "Selesai",
    "actions.dropped": "Digugurkan",
    "actions.notPublished": "Belum diterbitkan",
    "actions.meta": "Pemilik {owner} \u00b7 tarikh akhir {due}",
    "actions.publishedOn": " \u00b7 diterbitkan {day}",
    "actions.doneOn": " \u00b7 selesai {day}",
    "actions.weHeard": "Kami dengar: ",
    "actions.weWill": "Kami akan: ",
    "actions.linkedQuestion": "Soalan yang dipautkan: {prompt}",
    "actions.updates": "Kemas kini",
    "actions.effect": "Sejak diterbitkan: {before} \u2192 {after} ({change}), {verdict}.",
    "actions.significant": "perubahan yang signifikan",
    "actions.noise": "dalam margin ralat; mungkin sekadar kebetulan",
    "actions.effectSuppressed": "Sejak diterbitkan: jawapan dalam salah satu pusingan tidak mencukupi untuk dibandingkan.",
    "actions.noRoundSince": "Sejak diterbitkan: belum ada pusingan yang ditutup.",
    "actions.reactionsHidden": "Reaksi ditunjukkan setelah sekurang-kurangnya {k} orang memberi reaksi.",
    "actions.reactions": "Ini membantu: {helps} \u00b7 Belum membantu lagi: {notYet} ({count})",
    "actions.reactionCount": "{n} reaksi",
    "actions.nowStatus": " \u00b7 kini {status}",
    "actions.publish": "Terbitkan kepada kumpulan",
    "actions.keep": "Kekalkan: {status}",
    "actions.addUpdate": "Tambah kemas kini",
    "actions.update": "Kemas kini",
    "actions.status": "Status",
    "actions.save": "Simpan perubahan",
    "actions.edit": "Sunting",
    "actions.fieldTitle": "Tajuk",
    "actions.fieldWillDo": "Kami akan",
    "actions.fieldDue": "Tarikh akhir",
    "actions.round": "Pusingan",
    "actions.heard": "Apa yang kami dengar",
    "actions.willDo": "Apa yang akan kami lakukan",
    "actions.question": "Soalan yang dipautkan",
    "actions.noQuestion": "Tiada",
    "actions.owner": "Pemilik",
    "actions.record": "Rekodkan tindakan",
    "actions.new": "Tindakan baharu",
    "actions.noRound": "Belum ada pusingan tertutup yang menunjukkan kumpulan ini, jadi belum ada apa-apa untuk diambil tindakan di sini.",
  },
});

const nextStatuses = { planned: ["in_progress", "done", "dropped"], in_progress: ["done", "dropped"] };

// statusName names a plan status in the language in use.
function statusName(s) {
  switch (s) {
    case "planned": return t("actions.planned");
    case "in_progress": return t("actions.in_progress");
    case "done": return t("actions.done");
    case "dropped": return t("actions.dropped");
    default: return s;
  }
}

// showActions lists the plans of the survey and group into box, with a form
// to make one; onChange runs after a change the trend shows (publish, done).
export async function showActions(box, { surveyId, team_id, survey, me, onChange }) {
  const error = el("p", { class: "error", role: "alert" });
  const list = el("div", { class: "action-list" });
  const section = el("section", { class: "card actions-section", "aria-labelledby": "actions-title" },
    el("h3", { id: "actions-title" }, t("actions.title")),
    el("p", { class: "hint" }, t("actions.hint")),
    error, list);
  fill(box, section);
  const known = await groupContext(surveyId, team_id);
  const reload = async (changed) => {
    try {
      const plans = await apiAll("/actions" + query({ survey_id: surveyId, team_id, org: team_id ? "" : "true" }));
      fill(list, plans.length ? plans.map((p) => planCard(p, { survey, known, reload })) :
        el("p", { class: "muted" }, t("actions.none")));
    } catch (err) {
      say(error, err.message);
    }
    if (changed && onChange) onChange();
  };
  await reload(false);
  if (me.role === "hr_admin" || (me.role === "manager" && team_id)) {
    section.append(await newPlanForm({ surveyId, team_id, survey, me, known, reload }));
  }
}

// groupContext reads what plans of the group refer to: its rounds whose
// results show it (id and start) and the comments its results show, by id.
async function groupContext(surveyId, team_id) {
  const [byRound, comments] = await Promise.all([
    api(`/surveys/${surveyId}/results` + query({ group_by: "round", team_id })).catch(() => ({ points: [] })),
    apiAll(`/surveys/${surveyId}/comments` + query({ team_id })).catch(() => []),
  ]);
  const rounds = (byRound.points || []).filter((pt) => !pt.suppressed && pt.round_id).reverse();
  return {
    surveyId, team_id, rounds,
    roundStart: new Map(rounds.map((pt) => [pt.round_id, pt.period_start])),
    comments: new Map(comments.map((c) => [c.id, c])),
    byRound: new Map(),
  };
}

function planCard(p, { survey, known, reload }) {
  const question = (survey.questions || []).find((q) => q.id === p.question_id);
  const card = el("article", { class: "action-plan", "data-plan": p.id },
    el("h4", {}, p.title, el("span", { class: "badge status-" + p.status }, statusName(p.status)),
      p.published_at ? null : el("span", { class: "badge" }, t("actions.notPublished"))),
    el("p", { class: "meta" }, t("actions.meta", { owner: p.owner_name || "\u2014", due: day(p.due_on) }),
      p.published_at ? t("actions.publishedOn", { day: localDay(p.published_at) }) : "",
      p.done_at ? t("actions.doneOn", { day: localDay(p.done_at) }) : ""),
    el("p", {}, el("strong", {}, t("actions.weHeard")), p.heard),
    el("p", {}, el("strong", {}, t("actions.weWill")), p.will_do),
    question ? el("p", { class: "meta" }, t("actions.linkedQuestion", { prompt: question.prompt })) : null,
    linkedComments(p, known));
  const effect = el("p", { class: "effect", role: "status" });
  const reactions = el("p", { class: "reactions meta" });
  const updates = el("ol", { class: "action-updates", "aria-label": t("actions.updates") });
  card.append(effect, reactions, updates);
  if (p.published_at) {
    showEffect(effect, p);
    showReactions(reactions, p);
  }
  showUpdates(updates, p);
  card.append(controls(p, known, reload));
  return card;
}

async function showEffect(node, p) {
  if (!p.question_id) return;
  try {
    const e = await api(`/actions/${p.id}/effect`);
    node.textContent = effectText(e);
    node.classList.toggle("sig", !!e.significant);
  } catch {
    node.textContent = "";
  }
}

// effectText says how the linked question moved, in words with the margin.
function effectText(e) {
  switch (e.status) {
    case "measured": {
      const enps = e.kind === "enps";
      const show = (v) => enps ? signed(v) : v.toFixed(2);
      const change = (enps ? signed(e.change) : (e.change >= 0 ? "+" : "") + e.change.toFixed(2)) +
        (e.margin ? " \u00b1 " + (enps ? e.margin.toFixed(1) : e.margin.toFixed(2)) : "");
      return t("actions.effect", { before: show(e.before.value), after: show(e.after.value), change,
        verdict: e.significant ? t("actions.significant") : t("actions.noise") });
    }
    case "suppressed": return t("actions.effectSuppressed");
    case "no_round_since": return t("actions.noRoundSince");
    default: return "";
  }
}

async function showReactions(node, p) {
  try {
    const r = await api(`/actions/${p.id}/reactions`);
    node.textContent = r.suppressed
      ? t("actions.reactionsHidden", { k: r.min_respondents })
      : t("actions.reactions", { helps: r.helps, notYet: r.not_yet, count: t("actions.reactionCount", { n: r.n }) });
  } catch {
    node.textContent = "";
  }
}

async function showUpdates(list, p) {
  try {
    const rows = await apiAll(`/actions/${p.id}/updates`);
    fill(list, rows.map((u) => el("li", {},
      el("span", { class: "meta" }, localDay(u.at) + (u.to_status ? t("actions.nowStatus", { status: statusName(u.to_status) }) : "") + ": "),
      u.text)));
  } catch {
    fill(list);
  }
}

// controls are what may be done to the plan: publish, add an update (and
// move the status), edit.
function controls(p, known, reload) {
  const error = el("p", { class: "error", role: "alert" });
  const box = el("div", { class: "action-controls" });
  if (!p.published_at && p.status !== "dropped") {
    const publish = el("button", { type: "button" }, t("actions.publish"));
    publish.addEventListener("click", () => busy(publish, async () => {
      try {
        await api(`/actions/${p.id}/publish`, { method: "POST" });
        await reload(true);
      } catch (err) {
        say(error, err.message);
      }
    }));
    box.append(el("div", { class: "row" }, publish));
  }
  if (nextStatuses[p.status]) box.append(updateForm(p, reload, error), editForm(p, known, reload, error));
  box.append(error);
  return box;
}

function updateForm(p, reload, error) {
  const textId = uid("update");
  const statusId = uid("status");
  const text = el("textarea", { id: textId, rows: 2, maxlength: 2000, required: true });
  const status = el("select", { id: statusId },
    el("option", { value: "" }, t("actions.keep", { status: statusName(p.status).toLowerCase() })),
    nextStatuses[p.status].map((s) => el("option", { value: s }, statusName(s))));
  const send = el("button", {}, t("actions.addUpdate"));
  const form = el("form", { class: "update-form" },
    el("label", { for: textId }, t("actions.update")), text,
    el("div", { class: "row" }, el("label", { for: statusId }, t("actions.status")), status, send));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    say(error, "");
    busy(send, async () => {
      try {
        await api(`/actions/${p.id}/updates`, { method: "POST", body: { text: text.value, status: status.value, version: p.version } });
        await reload(status.value === "done" || status.value === "dropped");
      } catch (err) {
        say(error, err.message);
      }
    });
  });
  return form;
}

function editForm(p, known, reload, error) {
  const fields = {
    title: el("input", { type: "text", value: p.title, maxlength: 120, required: true }),
    will_do: el("textarea", { rows: 2, maxlength: 2000, required: true }, p.will_do),
    due_on: el("input", { type: "date", value: p.due_on, required: true }),
  };
  const picker = commentPicker(p.comment_ids || []);
  commentsOfRound(known, p.round_id).then(picker.offer);
  const save = el("button", {}, t("actions.save"));
  const form = el("form", { class: "edit-form" },
    labelled(t("actions.fieldTitle"), fields.title), labelled(t("actions.fieldWillDo"), fields.will_do),
    labelled(t("actions.fieldDue"), fields.due_on), picker.node,
    el("div", { class: "row" }, save));
  const details = el("details", { class: "edit-plan" }, el("summary", {}, t("actions.edit")), form);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    say(error, "");
    picker.setError("");
    busy(save, async () => {
      try {
        await api(`/actions/${p.id}`, { method: "PATCH", body: {
          version: p.version, title: fields.title.value, will_do: fields.will_do.value, due_on: fields.due_on.value,
          comment_ids: picker.value() } });
        await reload(!!p.published_at);
      } catch (err) {
        picker.showError(err);
        say(error, err.message);
      }
    });
  });
  return details;
}

function labelled(text, input) {
  input.id = input.id || uid("f");
  return el("div", { class: "field" }, el("label", { for: input.id }, text), input);
}

// newPlanForm makes a plan on one of the rounds whose results show the group.
async function newPlanForm({ surveyId, team_id, survey, me, known, reload }) {
  const error = el("p", { class: "error", role: "alert" });
  const { rounds } = known;
  if (!rounds.length) return el("p", { class: "muted" }, t("actions.noRound"));
  const people = await apiAll("/employees?active=true").catch(() => [me]);
  const f = {
    round_id: el("select", { required: true }, rounds.map((pt) => el("option", { value: pt.round_id }, day(pt.period_start)))),
    title: el("input", { type: "text", maxlength: 120, required: true }),
    heard: el("textarea", { rows: 2, maxlength: 2000, required: true }),
    will_do: el("textarea", { rows: 2, maxlength: 2000, required: true }),
    question_id: el("select", {}, el("option", { value: "" }, t("actions.noQuestion")),
      (survey.questions || []).filter((q) => q.kind !== "text").map((q) => el("option", { value: q.id }, q.prompt))),
    owner_id: el("select", { required: true }, people.map((e) => el("option", { value: e.id, selected: e.id === me.id }, e.name))),
    due_on: el("input", { type: "date", required: true }),
  };
  // Comments belong to one round: changing the round offers its comments
  // and forgets those ticked on another.
  const picker = commentPicker([]);
  let asked = 0;
  const offer = async () => {
    const mine = ++asked;
    picker.clear();
    const comments = await commentsOfRound(known, f.round_id.value);
    if (mine === asked) picker.offer(comments); // a later choice of round wins
  };
  f.round_id.addEventListener("change", offer);
  offer();
  const create = el("button", {}, t("actions.record"));
  const form = el("form", { class: "new-plan" },
    labelled(t("actions.round"), f.round_id), labelled(t("actions.fieldTitle"), f.title), labelled(t("actions.heard"), f.heard),
    labelled(t("actions.willDo"), f.will_do), picker.node, labelled(t("actions.question"), f.question_id),
    labelled(t("actions.owner"), f.owner_id), labelled(t("actions.fieldDue"), f.due_on), el("div", { class: "row" }, create), error);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    say(error, "");
    picker.setError("");
    busy(create, async () => {
      try {
        await api("/actions", { method: "POST", body: {
          survey_id: surveyId, round_id: Number(f.round_id.value), team_id: team_id ? Number(team_id) : null,
          title: f.title.value, heard: f.heard.value, will_do: f.will_do.value,
          question_id: f.question_id.value ? Number(f.question_id.value) : null,
          comment_ids: picker.value(), owner_id: Number(f.owner_id.value), due_on: f.due_on.value } });
        form.reset();
        offer();
        await reload(false);
      } catch (err) {
        picker.showError(err);
        say(error, err.message);
      }
    });
  });
  return el("details", { class: "new-action" }, el("summary", {}, t("actions.new")), form);
}
