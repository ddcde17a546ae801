// The team tree of the organisation view. Picking a team lists its people;
// HR also creates teams, renames and moves them under another parent (the
// API refuses a move that would make a loop, and the form says so beside
// the parent), gives them a manager, and deactivates empty ones.

import { api } from "./api.js";
import { busy, confirmAction, el, fill } from "./dom.js";
import { strings } from "./i18n.js";
import { field, personPicker, select, showErrors } from "./fields.js";

const t = strings({
  en: {
    "teams.title": "Teams",
    "teams.everyone": "Everyone",
    "teams.inactive": "{name} (inactive)",
    "teams.new": "New team",
    "teams.newTitle": "New team",
    "teams.edit": "Edit",
    "teams.editOf": "Edit team {name}",
    "teams.name": "Name",
    "teams.parent": "Inside team",
    "teams.top": "None (top level)",
    "teams.manager": "Manager",
    "teams.save": "Save team",
    "teams.create": "Create team",
    "teams.cancel": "Cancel",
    "teams.deactivate": "Deactivate team",
    "teams.deactivateTitle": "Deactivate {name}?",
    "teams.deactivateText": "Only a team with no active members or sub-teams can be deactivated. Its past results stay.",
    "teams.saved": "Saved team {name}.",
    "teams.created": "Created team {name}.",
    "teams.deactivated": "Team {name} was deactivated.",
    "teams.none": "No teams yet.",
  },
  ms: {
    "teams.title": "Pasukan",
    "teams.everyone": "Semua orang",
    "teams.inactive": "{name} (tidak aktif)",
    "teams.new": "Pasukan baharu",
    "teams.newTitle": "Pasukan baharu",
    "teams.edit": "Sunting",
    "teams.editOf": "Sunting pasukan {name}",
    "teams.name": "Nama",
    "teams.parent": "Di dalam pasukan",
    "teams.top": "Tiada (peringkat teratas)",
    "teams.manager": "Pengurus",
    "teams.save": "Simpan pasukan",
    "teams.create": "Cipta pasukan",
    "teams.cancel": "Batal",
    "teams.deactivate": "Nyahaktifkan pasukan",
    "teams.deactivateTitle": "Nyahaktifkan {name}?",
    "teams.deactivateText": "Hanya pasukan tanpa ahli aktif atau subpasukan boleh dinyahaktifkan. Keputusan lalunya kekal.",
    "teams.saved": "Pasukan {name} disimpan.",
    "teams.created": "Pasukan {name} dicipta.",
    "teams.deactivated": "Pasukan {name} telah dinyahaktifkan.",
    "teams.none": "Belum ada pasukan.",
  },
});

// teamsCard draws the tree; on.pick(team or null) lists people, and
// on.changed(message) redraws after HR saved a team.
export function teamsCard(teams, hr, on) {
  const box = el("div");
  const showTree = () => fill(box, tree(teams, hr, on, (team) => fill(box, teamForm(team, teams, on, showTree))));
  showTree();
  const add = hr ? el("button", { type: "button", class: "quiet", onclick: () => fill(box, teamForm(null, teams, on, showTree)) }, t("teams.new")) : null;
  return [el("div", { class: "detail-head" }, el("h3", {}, t("teams.title")), add), box];
}

function tree(teams, hr, on, edit) {
  const children = new Map();
  for (const team of teams) {
    const key = team.parent_id || 0;
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(team);
  }
  const build = (id) => (children.get(id) || []).map((team) => el("li", {},
    el("span", { class: "tree-item" },
      el("button", { type: "button", class: "link", onclick: () => on.pick(team) },
        team.active ? team.name : t("teams.inactive", { name: team.name })),
      hr ? el("button", { type: "button", class: "quiet small", "aria-label": t("teams.editOf", { name: team.name }),
        onclick: () => edit(team) }, t("teams.edit")) : null),
    children.has(team.id) ? el("ul", {}, build(team.id)) : null));
  if (!teams.length) return el("p", { class: "muted" }, t("teams.none"));
  return [el("button", { type: "button", class: "link", onclick: () => on.pick(null) }, t("teams.everyone")),
    el("ul", { class: "tree" }, build(0))];
}

function teamForm(team, teams, on, back) {
  const name = el("input", { type: "text", autocomplete: "off" });
  name.value = team ? team.name : "";
  const parents = teams.filter((x) => x.active && (!team || x.id !== team.id)).map((x) => [String(x.id), x.name]);
  const manager = team && team.manager_id ? { id: team.manager_id, name: "#" + team.manager_id } : null;
  const fields = [
    field("name", t("teams.name"), name),
    field("parent_id", t("teams.parent"), select([["0", t("teams.top")], ...parents], (team && team.parent_id) || 0)),
    personPicker("manager_id", t("teams.manager"), manager, true),
  ];
  if (manager) {
    api(`/employees/${manager.id}`).then((p) => {
      const option = fields[2].control.querySelector(`option[value="${manager.id}"]`);
      if (option) option.textContent = p.name + " \u00b7 " + p.email;
    }, () => {});
  }
  const error = el("p", { class: "error", role: "alert" });
  const save = el("button", {}, team ? t("teams.save") : t("teams.create"));
  const extra = team && team.active ? el("button", { type: "button", class: "danger", onclick: async (ev) => {
    if (!await confirmAction(t("teams.deactivateTitle", { name: team.name }), t("teams.deactivateText"), t("teams.deactivate"), true)) return;
    await busy(ev.currentTarget, async () => {
      try {
        await api(`/teams/${team.id}/deactivate`, { method: "POST" });
        await on.changed(t("teams.deactivated", { name: team.name }));
      } catch (err) {
        showErrors(err, fields, error);
      }
    });
  } }, t("teams.deactivate")) : null;
  const title = team ? t("teams.editOf", { name: team.name }) : t("teams.newTitle");
  const form = el("form", { class: "team-form", novalidate: true, "aria-label": title },
    el("h4", {}, title), fields.map((f) => f.node),
    el("div", { class: "row" }, save, el("button", { type: "button", class: "quiet", onclick: back }, t("teams.cancel")), extra), error);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = { name: name.value, parent_id: Number(fields[1].control.value), manager_id: fields[2].value() };
    if (!team) {
      for (const key of ["parent_id", "manager_id"]) if (!body[key]) delete body[key];
    }
    await busy(save, async () => {
      try {
        const saved = await api(team ? `/teams/${team.id}` : "/teams", { method: team ? "PATCH" : "POST", body });
        await on.changed(team ? t("teams.saved", { name: saved.name }) : t("teams.created", { name: saved.name }));
      } catch (err) {
        showErrors(err, fields, error);
      }
    });
  });
  return form;
}
