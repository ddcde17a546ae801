// Action plans on the results page: what the group heard and what it will
// do, who owns it and by when, dated updates as its status moves, how the
// linked question moved since publishing and how the group reacted. Plans
// are made on a closed round whose results show the group; the API says
// why when it refuses.

import { api, apiAll, query } from "./api.js";
import { busy, el, fill, say, uid } from "./dom.js";
import { day, localDay, plural, signed } from "./format.js";

const statusNames = { planned: "Planned", in_progress: "In progress", done: "Done", dropped: "Dropped" };
const nextStatuses = { planned: ["in_progress", "done", "dropped"], in_progress: ["done", "dropped"] };

// showActions lists the plans of the survey and group into box, with a form
// to make one; onChange runs after a change the trend shows (publish, done).
export async function showActions(box, { surveyId, team_id, survey, me, onChange }) {
  const error = el("p", { class: "error", role: "alert" });
  const list = el("div", { class: "action-list" });
  const section = el("section", { class: "card actions-section", "aria-labelledby": "actions-title" },
    el("h3", { id: "actions-title" }, "Actions"),
    el("p", { class: "hint" }, "What you heard, what you will do, and how it goes. Publishing tells the group in Slack; " +
      "reactions and the effect on the linked question show only when enough people are behind them."),
    error, list);
  fill(box, section);
  const reload = async (changed) => {
    try {
      const plans = await apiAll("/actions" + query({ survey_id: surveyId, team_id, org: team_id ? "" : "true" }));
      fill(list, plans.length ? plans.map((p) => planCard(p, { survey, reload })) :
        el("p", { class: "muted" }, "No actions for this group yet."));
    } catch (err) {
      say(error, err.message);
    }
    if (changed && onChange) onChange();
  };
  await reload(false);
  if (me.role === "hr_admin" || (me.role === "manager" && team_id)) {
    section.append(await newPlanForm({ surveyId, team_id, survey, me, reload }));
  }
}

function planCard(p, { survey, reload }) {
  const question = (survey.questions || []).find((q) => q.id === p.question_id);
  const card = el("article", { class: "action-plan", "data-plan": p.id },
    el("h4", {}, p.title, el("span", { class: "badge status-" + p.status }, statusNames[p.status] || p.status),
      p.published_at ? null : el("span", { class: "badge" }, "Not published")),
    el("p", { class: "meta" }, "Owner " + (p.owner_name || "—") + " \u00b7 due " + day(p.due_on),
      p.published_at ? " \u00b7 published " + localDay(p.published_at) : "",
      p.done_at ? " \u00b7 done " + localDay(p.done_at) : ""),
    el("p", {}, el("strong", {}, "We heard: "), p.heard),
    el("p", {}, el("strong", {}, "We will: "), p.will_do),
    question ? el("p", { class: "meta" }, "Linked question: " + question.prompt) : null);
  const effect = el("p", { class: "effect", role: "status" });
  const reactions = el("p", { class: "reactions meta" });
  const updates = el("ol", { class: "action-updates", "aria-label": "Updates" });
  card.append(effect, reactions, updates);
  if (p.published_at) {
    showEffect(effect, p);
    showReactions(reactions, p);
  }
  showUpdates(updates, p);
  card.append(controls(p, reload));
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
      const change = enps ? signed(e.change) : (e.change >= 0 ? "+" : "") + e.change.toFixed(2);
      return "Since publishing: " + show(e.before.value) + " \u2192 " + show(e.after.value) + " (" + change +
        (e.margin ? " \u00b1 " + (enps ? e.margin.toFixed(1) : e.margin.toFixed(2)) : "") + "), " +
        (e.significant ? "a significant change" : "within the margin of error; may be noise") + ".";
    }
    case "suppressed": return "Since publishing: not enough answers in one of the rounds to compare.";
    case "no_round_since": return "Since publishing: no round has closed yet.";
    default: return "";
  }
}

async function showReactions(node, p) {
  try {
    const r = await api(`/actions/${p.id}/reactions`);
    node.textContent = r.suppressed
      ? `Reactions show once at least ${r.min_respondents} people have reacted.`
      : "This helps: " + r.helps + " \u00b7 Doesn\u2019t help yet: " + r.not_yet + " (" + plural(r.n, "reaction") + ")";
  } catch {
    node.textContent = "";
  }
}

async function showUpdates(list, p) {
  try {
    const rows = await apiAll(`/actions/${p.id}/updates`);
    fill(list, rows.map((u) => el("li", {},
      el("span", { class: "meta" }, localDay(u.at) + (u.to_status ? " \u00b7 now " + statusNames[u.to_status] : "") + ": "),
      u.text)));
  } catch {
    fill(list);
  }
}

// controls are what may be done to the plan: publish, add an update (and
// move the status), edit.
function controls(p, reload) {
  const error = el("p", { class: "error", role: "alert" });
  const box = el("div", { class: "action-controls" });
  if (!p.published_at && p.status !== "dropped") {
    const publish = el("button", { type: "button" }, "Publish to the group");
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
  if (nextStatuses[p.status]) box.append(updateForm(p, reload, error), editForm(p, reload, error));
  box.append(error);
  return box;
}

function updateForm(p, reload, error) {
  const textId = uid("update");
  const statusId = uid("status");
  const text = el("textarea", { id: textId, rows: 2, maxlength: 2000, required: true });
  const status = el("select", { id: statusId },
    el("option", { value: "" }, "Keep " + statusNames[p.status].toLowerCase()),
    nextStatuses[p.status].map((s) => el("option", { value: s }, statusNames[s])));
  const send = el("button", {}, "Add update");
  const form = el("form", { class: "update-form" },
    el("label", { for: textId }, "Update"), text,
    el("div", { class: "row" }, el("label", { for: statusId }, "Status"), status, send));
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

function editForm(p, reload, error) {
  const fields = {
    title: el("input", { type: "text", value: p.title, maxlength: 120, required: true }),
    will_do: el("textarea", { rows: 2, maxlength: 2000, required: true }, p.will_do),
    due_on: el("input", { type: "date", value: p.due_on, required: true }),
  };
  const save = el("button", {}, "Save changes");
  const form = el("form", { class: "edit-form" },
    labelled("Title", fields.title), labelled("We will", fields.will_do), labelled("Due", fields.due_on),
    el("div", { class: "row" }, save));
  const details = el("details", { class: "edit-plan" }, el("summary", {}, "Edit"), form);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    say(error, "");
    busy(save, async () => {
      try {
        await api(`/actions/${p.id}`, { method: "PATCH", body: {
          version: p.version, title: fields.title.value, will_do: fields.will_do.value, due_on: fields.due_on.value } });
        await reload(!!p.published_at);
      } catch (err) {
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
async function newPlanForm({ surveyId, team_id, survey, me, reload }) {
  const error = el("p", { class: "error", role: "alert" });
  const [byRound, people] = await Promise.all([
    api(`/surveys/${surveyId}/results` + query({ group_by: "round", team_id })).catch(() => ({ points: [] })),
    apiAll("/employees?active=true").catch(() => [me]),
  ]);
  const rounds = byRound.points.filter((pt) => !pt.suppressed && pt.round_id).reverse();
  const f = {
    round_id: el("select", { required: true }, rounds.map((pt) => el("option", { value: pt.round_id }, day(pt.period_start)))),
    title: el("input", { type: "text", maxlength: 120, required: true }),
    heard: el("textarea", { rows: 2, maxlength: 2000, required: true }),
    will_do: el("textarea", { rows: 2, maxlength: 2000, required: true }),
    question_id: el("select", {}, el("option", { value: "" }, "None"),
      (survey.questions || []).filter((q) => q.kind !== "text").map((q) => el("option", { value: q.id }, q.prompt))),
    owner_id: el("select", { required: true }, people.map((e) => el("option", { value: e.id, selected: e.id === me.id }, e.name))),
    due_on: el("input", { type: "date", required: true }),
  };
  const create = el("button", {}, "Record action");
  const form = el("form", { class: "new-plan" },
    labelled("Round", f.round_id), labelled("Title", f.title), labelled("What we heard", f.heard),
    labelled("What we will do", f.will_do), labelled("Linked question", f.question_id),
    labelled("Owner", f.owner_id), labelled("Due", f.due_on), el("div", { class: "row" }, create), error);
  if (!rounds.length) {
    return el("p", { class: "muted" }, "No closed round shows this group yet, so there is nothing to act on here.");
  }
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    say(error, "");
    busy(create, async () => {
      try {
        await api("/actions", { method: "POST", body: {
          survey_id: surveyId, round_id: Number(f.round_id.value), team_id: team_id ? Number(team_id) : null,
          title: f.title.value, heard: f.heard.value, will_do: f.will_do.value,
          question_id: f.question_id.value ? Number(f.question_id.value) : null,
          owner_id: Number(f.owner_id.value), due_on: f.due_on.value } });
        form.reset();
        await reload(false);
      } catch (err) {
        say(error, err.message);
      }
    });
  });
  return el("details", { class: "new-action" }, el("summary", {}, "New action"), form);
}
