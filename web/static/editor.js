// The survey editor: title, locale, answer scale, up to ten questions (from
// the template library or written from scratch), the audience over the team
// tree and the cadence with its live preview. It creates or changes a
// survey through the API and puts the API's field errors next to the fields.

import { api, apiAll, query } from "./api.js";
import { busy, el, fill, say, sentence, uid } from "./dom.js";
import { browserZone, plural } from "./format.js";
import { cadencePicker, previewSends, sampleZones } from "./cadence.js";

const maxQuestions = 10;
const kindNames = { enps: "eNPS (recommend, 0/1..10)", scale: "Agreement (1..5)", yes_no: "Yes or no", choice: "Choice", text: "Free text" };
const starters = { blank: [], pulse: ["enps", "workload", "manager_support", "growth", "comment"] };

// field lays out one labelled control with its hint and its error slot.
function field(name, label, control, hint) {
  const id = uid("f");
  control.id = id;
  control.name = name;
  const labelNode = el("label", { for: id }, label);
  const hintNode = hint ? el("p", { class: "hint", id: id + "-hint" }, hint) : null;
  const error = el("p", { class: "field-error", id: id + "-error" });
  control.setAttribute("aria-describedby", (hint ? id + "-hint " : "") + id + "-error");
  return {
    name, control, label: labelNode,
    node: el("div", { class: "field" }, labelNode, control, hintNode, error),
    setError(message) {
      error.textContent = message ? sentence(message) + "." : "";
      if (message) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
    },
  };
}

// openEditor fills box with the editor for survey (null for a new one)
// and calls done(saved) after a save, done(null) on cancel.
export async function openEditor(box, ctx, survey, done) {
  const [teams, templatesEn, templatesMs] = await Promise.all([
    apiAll("/teams"), api("/survey-templates"), api("/survey-templates" + query({ locale: "ms" }))]);
  const library = { en: templatesEn, ms: templatesMs };
  const ownZone = ctx.me.timezone || browserZone();
  const errors = new Map();
  const track = (f) => (errors.set(f.name, f.setError), f);

  const title = track(field("title", "Title", el("input", { type: "text", maxlength: 200, required: true })));
  const locale = track(field("locale", "Language", el("select", {},
    el("option", { value: "en" }, "English"), el("option", { value: "ms" }, "Bahasa Melayu"))));
  const scale = track(field("scale_min", "eNPS scale", el("select", {},
    el("option", { value: "1" }, "1 to 10"), el("option", { value: "0" }, "0 to 10"))));

  const questionList = el("ol", { class: "question-list" });
  const questionsError = el("p", { class: "field-error", role: "alert" });
  errors.set("questions", (m) => { questionsError.textContent = m ? sentence(m) + "." : ""; });
  const questions = [];
  const addQuestion = (q) => {
    if (questions.length >= maxQuestions) {
      errors.get("questions")(`a pulse survey has at most ${maxQuestions} questions; remove one to add another`);
      return;
    }
    errors.get("questions")("");
    const editor = questionEditor(q || { kind: "scale", prompt: "" }, () => {
      questions.splice(questions.indexOf(editor), 1);
      renumber();
    });
    questions.push(editor);
    renumber();
  };
  const renumber = () => {
    fill(questionList, questions.map((q, i) => {
      q.index = i;
      q.legend.textContent = "Question " + (i + 1);
      return q.node;
    }));
    count.textContent = plural(questions.length, "question") + " of at most " + maxQuestions;
  };
  const count = el("p", { class: "hint", role: "status" });
  const librarySelect = el("select", { "aria-label": "Question from the library" },
    el("option", { value: "" }, "Add from the library…"));
  const refillLibrary = () => fill(librarySelect, el("option", { value: "" }, "Add from the library\u2026"),
    library[locale.control.value].map((t) => el("option", { value: t.key }, kindNames[t.kind].split(" (")[0] + ": " + t.prompt)));
  librarySelect.addEventListener("change", () => {
    const t = library[locale.control.value].find((x) => x.key === librarySelect.value);
    if (t) addQuestion({ kind: t.kind, prompt: t.prompt, options: t.options });
    librarySelect.value = "";
  });
  locale.control.addEventListener("change", refillLibrary);

  const audience = audiencePicker(teams, () => refresh());
  errors.set("audience.team_ids", audience.setError);
  const previewBox = el("div", { class: "preview-box", "aria-live": "polite" });
  const cadence = cadencePicker((name, label, control, hint) => track(field(name, label, control, hint)),
    (survey && survey.cadence && survey.cadence.timezone) || ownZone, () => refresh());

  let timer = 0;
  let audienceSummary = null;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try {
        audienceSummary = await api("/audience/preview", { method: "POST", body: audience.value() });
        audience.say(audienceSummary.people);
        for (const [name, setError] of errors) if (name.startsWith("cadence.")) setError("");
        const value = cadence.value();
        await previewSends(previewBox, value, ownZone, sampleZones(audienceSummary, value ? value.timezone : ownZone));
      } catch (err) {
        fill(previewBox);
        if (!placeErrors(errors, err)) fill(previewBox, el("p", { class: "error" }, err.message));
      }
    }, 250);
  };

  const formError = el("p", { class: "error", role: "alert" });
  const save = el("button", { type: "submit" }, survey ? "Save changes" : "Create survey");
  const cancel = el("button", { type: "button", class: "quiet", onclick: () => done(null) }, "Cancel");
  const starter = survey ? null : startFrom((key) => {
    questions.length = 0;
    for (const k of starters[key]) {
      const t = library[locale.control.value].find((x) => x.key === k);
      addQuestion({ kind: t.kind, prompt: t.prompt, options: t.options });
    }
    if (!questions.length) addQuestion();
  });
  const form = el("form", { class: "card editor", novalidate: true, "aria-labelledby": "editor-title" },
    el("h3", { id: "editor-title" }, survey ? "Edit \u201c" + survey.title + "\u201d" : "New survey"),
    starter,
    el("fieldset", {}, el("legend", {}, "About"), el("div", { class: "filters" }, title.node, locale.node, scale.node)),
    el("fieldset", {}, el("legend", {}, "Questions"), count, questionList, questionsError,
      el("div", { class: "row" }, el("button", { type: "button", class: "quiet", onclick: () => addQuestion() }, "Add a question"), librarySelect)),
    el("fieldset", {}, el("legend", {}, "Audience"), audience.node),
    el("fieldset", {}, el("legend", {}, "Schedule"), cadence.node, el("h4", {}, "Preview"), previewBox),
    el("div", { class: "row" }, save, cancel), formError);

  title.control.value = survey ? survey.title : "";
  locale.control.value = survey ? survey.locale : "en";
  scale.control.value = String(survey ? survey.scale_min : 1);
  refillLibrary();
  cadence.set(survey ? survey.cadence : { kind: "weekly", weekday: "monday", time: "09:00", timezone: ownZone });
  audience.set(survey ? survey.audience.team_ids : []);
  for (const q of survey ? survey.questions : []) addQuestion(q);
  if (!survey) starter.pick("pulse");

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    say(formError, "");
    for (const setError of errors.values()) setError("");
    questions.forEach((q) => q.clearErrors());
    if (audience.noTeamPicked()) {
      audience.setError("pick at least one team, or choose everyone in the organisation");
      say(formError, "Nothing was saved. Check the fields marked above.");
      return;
    }
    const body = {
      title: title.control.value.trim(), locale: locale.control.value, scale_min: Number(scale.control.value),
      audience: audience.value(), cadence: cadence.value(), questions: questions.map((q) => q.value()),
    };
    await busy(save, async () => {
      try {
        const saved = survey
          ? await api(`/surveys/${survey.id}`, { method: "PATCH", body })
          : await api("/surveys", { method: "POST", body });
        done(saved);
      } catch (err) {
        const placed = placeErrors(errors, err, questions);
        say(formError, placed ? "Nothing was saved. Check the fields marked above." : err.message);
      }
    });
  });
  fill(box, form);
  refresh();
  title.control.focus();
}

// placeErrors shows each of the API's field errors next to its field: the
// field itself, else the nearest enclosing one ("questions[2].options",
// then "questions"). It returns how many it placed.
function placeErrors(errors, err, questions) {
  let placed = 0;
  for (const d of err.details || []) {
    const q = /^questions\[(\d+)\](?:\.(\w+))?$/.exec(d.field || "");
    if (q && questions && questions[Number(q[1])]) {
      questions[Number(q[1])].setError(q[2] || "prompt", d.reason);
      placed++;
      continue;
    }
    const name = q ? "questions" : d.field;
    if (errors.has(name)) {
      errors.get(name)(d.reason);
      placed++;
    }
  }
  return placed;
}

function startFrom(onPick) {
  const select = el("select", {}, el("option", { value: "pulse" }, "The standard pulse (eNPS, workload, support, growth, comment)"),
    el("option", { value: "blank" }, "A blank survey"));
  const f = field("start", "Start from", select, "Replaces the questions below; you can change every one of them.");
  select.addEventListener("change", () => onPick(select.value));
  f.node.classList.add("starter");
  return Object.assign(f.node, { pick: (key) => { select.value = key; onPick(key); } });
}

function questionEditor(q, onRemove) {
  const kind = el("select", {}, Object.entries(kindNames).map(([k, name]) => el("option", { value: k }, name)));
  const prompt = el("input", { type: "text", maxlength: 500 });
  const opts = el("textarea", { rows: 3, placeholder: "One option per line" });
  const fields = {
    kind: field("kind", "Kind", kind),
    prompt: field("prompt", "Question", prompt),
    options: field("options", "Options (2 to 10, one per line)", opts),
  };
  kind.value = q.kind;
  prompt.value = q.prompt || "";
  opts.value = (q.options || []).join("\n");
  const sync = () => { fields.options.node.hidden = kind.value !== "choice"; };
  kind.addEventListener("change", sync);
  sync();
  const legend = el("legend", {});
  const remove = el("button", { type: "button", class: "quiet", onclick: onRemove }, "Remove");
  const node = el("li", {}, el("fieldset", { class: "question-edit" }, legend,
    el("div", { class: "filters" }, fields.kind.node, fields.prompt.node), fields.options.node, remove));
  return {
    node, legend,
    value: () => {
      const out = { kind: kind.value, prompt: prompt.value.trim() };
      if (kind.value === "choice") out.options = opts.value.split("\n").map((o) => o.trim()).filter(Boolean);
      return out;
    },
    setError: (name, reason) => (fields[name] || fields.prompt).setError(reason),
    clearErrors: () => Object.values(fields).forEach((f) => f.setError("")),
  };
}

// audiencePicker offers everyone, or chosen teams from the tree (a team
// includes its sub-teams), and says how many people that reaches now.
function audiencePicker(teams, onChange) {
  const name = uid("audience");
  const everyone = el("input", { type: "radio", name, value: "all", id: name + "-all" });
  const chosen = el("input", { type: "radio", name, value: "teams", id: name + "-teams" });
  const boxes = new Map();
  const children = new Map();
  for (const t of teams.filter((x) => x.active)) {
    const key = t.parent_id || 0;
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(t);
  }
  const build = (parent) => (children.get(parent) || []).map((t) => {
    const box = el("input", { type: "checkbox", value: t.id, id: uid("team") });
    boxes.set(t.id, box);
    return el("li", {}, el("label", { class: "check", for: box.id }, box, " " + t.name),
      children.has(t.id) ? el("ul", {}, build(t.id)) : null);
  });
  const tree = el("ul", { class: "tree team-picker" }, build(0));
  const reach = el("p", { class: "hint", role: "status" });
  const error = el("p", { class: "field-error" });
  const sync = () => {
    tree.hidden = !chosen.checked;
    for (const box of boxes.values()) box.disabled = !chosen.checked;
  };
  for (const input of [everyone, chosen, ...boxes.values()]) {
    input.addEventListener("change", () => {
      sync();
      onChange();
    });
  }
  return {
    node: el("div", { class: "audience" },
      el("label", { class: "check", for: everyone.id }, everyone, " Everyone in the organisation"),
      el("label", { class: "check", for: chosen.id }, chosen, " Chosen teams (with their sub-teams)"),
      tree, reach, error),
    value: () => ({ team_ids: chosen.checked ? [...boxes].filter(([, b]) => b.checked).map(([id]) => id) : [] }),
    set(ids) {
      (ids.length ? chosen : everyone).checked = true;
      for (const [id, box] of boxes) box.checked = ids.includes(id);
      sync();
    },
    // An empty list means everyone to the API: never send it by mistake.
    noTeamPicked: () => chosen.checked && ![...boxes.values()].some((b) => b.checked),
    say: (people) => { reach.textContent = "A round sent now would reach " + plural(people, "person", "people") + "."; },
    setError: (m) => { error.textContent = m ? sentence(m) + "." : ""; },
  };
}
