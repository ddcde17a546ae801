// The survey editor: title, locale, answer scale, up to ten questions (from
// the template library or written from scratch), the audience over the team
// tree and the cadence with its live preview. It creates or changes a
// survey through the API and puts the API's field errors next to the fields.

import { api, apiAll, query } from "./api.js";
import { busy, el, fill, say, sentence, uid } from "./dom.js";
import { browserZone } from "./format.js";
import { cadencePicker, previewSends, sampleZones } from "./cadence.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "editor.kind.enps": "eNPS (recommend, 0/1..10)",
    "editor.kind.scale": "Agreement (1..5)",
    "editor.kind.yes_no": "Yes or no",
    "editor.kind.choice": "Choice",
    "editor.kind.text": "Free text",
    "editor.title": "Title",
    "editor.language": "Survey language",
    "editor.scale": "eNPS scale",
    "editor.scale1": "1 to 10",
    "editor.scale0": "0 to 10",
    "editor.tooMany": "a pulse survey has at most {max} questions; remove one to add another",
    "editor.question": "Question {n}",
    "editor.count": { one: "{n} question of at most {max}", other: "{n} questions of at most {max}" },
    "editor.library": "Question from the library",
    "editor.addFromLibrary": "Add from the library\u2026",
    "editor.save": "Save changes",
    "editor.create": "Create survey",
    "editor.cancel": "Cancel",
    "editor.edit": "Edit \u201c{title}\u201d",
    "editor.new": "New survey",
    "editor.about": "About",
    "editor.questions": "Questions",
    "editor.addQuestion": "Add a question",
    "editor.audience": "Audience",
    "editor.schedule": "Schedule",
    "editor.preview": "Preview",
    "editor.pickTeam": "pick at least one team, or choose everyone in the organisation",
    "editor.notSaved": "Nothing was saved. Check the fields marked above.",
    "editor.pulse": "The standard pulse (eNPS, workload, support, growth, comment)",
    "editor.blank": "A blank survey",
    "editor.startFrom": "Start from",
    "editor.startHint": "Replaces the questions below; you can change every one of them.",
    "editor.onePerLine": "One option per line",
    "editor.kind": "Kind",
    "editor.prompt": "Question",
    "editor.options": "Options (2 to 10, one per line)",
    "editor.remove": "Remove",
    "editor.everyone": " Everyone in the organisation",
    "editor.chosen": " Chosen teams (with their sub-teams)",
    "editor.reach": { one: "A round sent now would reach {n} person.", other: "A round sent now would reach {n} people." },
  },
  ms: {
    "editor.kind.enps": "eNPS (syor, 0/1..10)",
    "editor.kind.scale": "Persetujuan (1..5)",
    "editor.kind.yes_no": "Ya atau tidak",
    "editor.kind.choice": "Pilihan",
    "editor.kind.text": "Teks bebas",
    "editor.title": "Tajuk",
    "editor.language": "Bahasa tinjauan",
    "editor.scale": "Skala eNPS",
    "editor.scale1": "1 hingga 10",
    "editor.scale0": "0 hingga 10",
    "editor.tooMany": "tinjauan ringkas mempunyai paling banyak {max} soalan; buang satu untuk menambah yang lain",
    "editor.question": "Soalan {n}",
    "editor.count": "{n} soalan daripada paling banyak {max}",
    "editor.library": "Soalan daripada pustaka",
    "editor.addFromLibrary": "Tambah daripada pustaka\u2026",
    "editor.save": "Simpan perubahan",
    "editor.create": "Cipta tinjauan",
    "editor.cancel": "Batal",
    "editor.edit": "Sunting \u201c{title}\u201d",
    "editor.new": "Tinjauan baharu",
    "editor.about": "Perihal",
    "editor.questions": "Soalan",
    "editor.addQuestion": "Tambah soalan",
    "editor.audience": "Khalayak",
    "editor.schedule": "Jadual",
    "editor.preview": "Pratonton",
    "editor.pickTeam": "pilih sekurang-kurangnya satu pasukan, atau pilih semua orang dalam organisasi",
    "editor.notSaved": "Tiada apa-apa disimpan. Semak medan yang ditanda di atas.",
    "editor.pulse": "Tinjauan standard (eNPS, beban kerja, sokongan, perkembangan, komen)",
    "editor.blank": "Tinjauan kosong",
    "editor.startFrom": "Mulakan daripada",
    "editor.startHint": "Menggantikan soalan di bawah; anda boleh mengubah setiap satunya.",
    "editor.onePerLine": "Satu pilihan setiap baris",
    "editor.kind": "Jenis",
    "editor.prompt": "Soalan",
    "editor.options": "Pilihan (2 hingga 10, satu setiap baris)",
    "editor.remove": "Buang",
    "editor.everyone": " Semua orang dalam organisasi",
    "editor.chosen": " Pasukan terpilih (dengan sub-pasukannya)",
    "editor.reach": "Pusingan yang dihantar sekarang akan sampai kepada {n} orang.",
  },
});

const maxQuestions = 10;
const kinds = ["enps", "scale", "yes_no", "choice", "text"];
const kindName = (kind) => t("editor.kind." + kind);
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

  const title = track(field("title", t("editor.title"), el("input", { type: "text", maxlength: 200, required: true })));
  const locale = track(field("locale", t("editor.language"), el("select", {},
    el("option", { value: "en", lang: "en" }, "English"), el("option", { value: "ms", lang: "ms" }, "Bahasa Melayu"))));
  const scale = track(field("scale_min", t("editor.scale"), el("select", {},
    el("option", { value: "1" }, t("editor.scale1")), el("option", { value: "0" }, t("editor.scale0")))));

  const questionList = el("ol", { class: "question-list" });
  const questionsError = el("p", { class: "field-error", role: "alert" });
  errors.set("questions", (m) => { questionsError.textContent = m ? sentence(m) + "." : ""; });
  const questions = [];
  const addQuestion = (q) => {
    if (questions.length >= maxQuestions) {
      errors.get("questions")(t("editor.tooMany", { max: maxQuestions }));
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
      q.legend.textContent = t("editor.question", { n: i + 1 });
      return q.node;
    }));
    count.textContent = t("editor.count", { n: questions.length, max: maxQuestions });
  };
  const count = el("p", { class: "hint", role: "status" });
  const librarySelect = el("select", { "aria-label": t("editor.library") },
    el("option", { value: "" }, t("editor.addFromLibrary")));
  const refillLibrary = () => fill(librarySelect, el("option", { value: "" }, t("editor.addFromLibrary")),
    library[locale.control.value].map((tpl) => el("option", { value: tpl.key }, kindName(tpl.kind).split(" (")[0] + ": " + tpl.prompt)));
  librarySelect.addEventListener("change", () => {
    const tpl = library[locale.control.value].find((x) => x.key === librarySelect.value);
    if (tpl) addQuestion({ kind: tpl.kind, prompt: tpl.prompt, options: tpl.options });
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
  const save = el("button", { type: "submit" }, survey ? t("editor.save") : t("editor.create"));
  const cancel = el("button", { type: "button", class: "quiet", onclick: () => done(null) }, t("editor.cancel"));
  const starter = survey ? null : startFrom((key) => {
    questions.length = 0;
    for (const k of starters[key]) {
      const tpl = library[locale.control.value].find((x) => x.key === k);
      addQuestion({ kind: tpl.kind, prompt: tpl.prompt, options: tpl.options });
    }
    if (!questions.length) addQuestion();
  });
  const form = el("form", { class: "card editor", novalidate: true, "aria-labelledby": "editor-title" },
    el("h3", { id: "editor-title" }, survey ? t("editor.edit", { title: survey.title }) : t("editor.new")),
    starter,
    el("fieldset", {}, el("legend", {}, t("editor.about")), el("div", { class: "filters" }, title.node, locale.node, scale.node)),
    el("fieldset", {}, el("legend", {}, t("editor.questions")), count, questionList, questionsError,
      el("div", { class: "row" }, el("button", { type: "button", class: "quiet", onclick: () => addQuestion() }, t("editor.addQuestion")), librarySelect)),
    el("fieldset", {}, el("legend", {}, t("editor.audience")), audience.node),
    el("fieldset", {}, el("legend", {}, t("editor.schedule")), cadence.node, el("h4", {}, t("editor.preview")), previewBox),
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
      audience.setError(t("editor.pickTeam"));
      say(formError, t("editor.notSaved"));
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
        say(formError, placed ? t("editor.notSaved") : err.message);
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
  const select = el("select", {}, el("option", { value: "pulse" }, t("editor.pulse")),
    el("option", { value: "blank" }, t("editor.blank")));
  const f = field("start", t("editor.startFrom"), select, t("editor.startHint"));
  select.addEventListener("change", () => onPick(select.value));
  f.node.classList.add("starter");
  return Object.assign(f.node, { pick: (key) => { select.value = key; onPick(key); } });
}

function questionEditor(q, onRemove) {
  const kind = el("select", {}, kinds.map((k) => el("option", { value: k }, kindName(k))));
  const prompt = el("input", { type: "text", maxlength: 500 });
  const opts = el("textarea", { rows: 3, placeholder: t("editor.onePerLine") });
  const fields = {
    kind: field("kind", t("editor.kind"), kind),
    prompt: field("prompt", t("editor.prompt"), prompt),
    options: field("options", t("editor.options"), opts),
  };
  kind.value = q.kind;
  prompt.value = q.prompt || "";
  opts.value = (q.options || []).join("\n");
  const sync = () => { fields.options.node.hidden = kind.value !== "choice"; };
  kind.addEventListener("change", sync);
  sync();
  const legend = el("legend", {});
  const remove = el("button", { type: "button", class: "quiet", onclick: onRemove }, t("editor.remove"));
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
  for (const team of teams.filter((x) => x.active)) {
    const key = team.parent_id || 0;
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(team);
  }
  const build = (parent) => (children.get(parent) || []).map((team) => {
    const box = el("input", { type: "checkbox", value: team.id, id: uid("team") });
    boxes.set(team.id, box);
    return el("li", {}, el("label", { class: "check", for: box.id }, box, " " + team.name),
      children.has(team.id) ? el("ul", {}, build(team.id)) : null);
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
      el("label", { class: "check", for: everyone.id }, everyone, t("editor.everyone")),
      el("label", { class: "check", for: chosen.id }, chosen, t("editor.chosen")),
      tree, reach, error),
    value: () => ({ team_ids: chosen.checked ? [...boxes].filter(([, b]) => b.checked).map(([id]) => id) : [] }),
    set(ids) {
      (ids.length ? chosen : everyone).checked = true;
      for (const [id, box] of boxes) box.checked = ids.includes(id);
      sync();
    },
    // An empty list means everyone to the API: never send it by mistake.
    noTeamPicked: () => chosen.checked && ![...boxes.values()].some((b) => b.checked),
    say: (people) => { reach.textContent = t("editor.reach", { n: people }); },
    setError: (m) => { error.textContent = m ? sentence(m) + "." : ""; },
  };
}
