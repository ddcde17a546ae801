// The organisation view: the team tree and the people the viewer may see.

import { api, query } from "./api.js";
import { $, el, fill, say } from "./dom.js";
import { roleNames } from "./format.js";

// initPeople draws the team tree; picking a team lists its people.
export async function initPeople() {
  try {
    const teams = await api("/teams");
    fill($("teams"), tree(teams, 0, showPeople));
    await showPeople(null);
  } catch (err) {
    say($("people-error"), err.message);
  }
}

function tree(teams, parent, onPick) {
  const children = new Map();
  for (const t of teams) {
    const key = t.parent_id || 0;
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(t);
  }
  const build = (id) => (children.get(id) || []).map((t) => el("li", {},
    el("button", { type: "button", class: "link", onclick: () => onPick(t) }, t.name + (t.active ? "" : " (inactive)")),
    children.has(t.id) ? el("ul", {}, build(t.id)) : null));
  return build(parent);
}

async function showPeople(team) {
  say($("people-error"), "");
  try {
    const people = await api("/employees" + query({ team_id: team && team.id }));
    $("people-title").textContent = team ? "People in " + team.name : "People";
    fill($("people").tBodies[0], people.length
      ? people.map((p) => el("tr", {},
        el("th", { scope: "row" }, p.name + (p.active ? "" : " (inactive)")),
        el("td", { class: "email", "data-label": "Email" }, p.email),
        el("td", { "data-label": "Role" }, roleNames[p.role] || p.role),
        el("td", { "data-label": "Time zone" }, p.timezone || "—")))
      : el("tr", {}, el("td", { colspan: 4, class: "muted" }, "Nobody you can see is in this team.")));
  } catch (err) {
    say($("people-error"), err.message);
  }
}
