// The organisation view: the team tree and the people the viewer may see.

import { apiAll, apiPage, query } from "./api.js";
import { $, el, fill, say } from "./dom.js";
import { roleNames } from "./format.js";

// initPeople draws the team tree; picking a team lists its people.
export async function initPeople() {
  try {
    const teams = await apiAll("/teams");
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
    const path = "/employees" + query({ team_id: team && team.id });
    const first = await apiPage(path);
    $("people-title").textContent = team ? "People in " + team.name : "People";
    const body = $("people").tBodies[0];
    if (!first.rows.length) {
      fill(body, el("tr", {}, el("td", { colspan: 4, class: "muted" }, "Nobody you can see is in this team.")));
      return;
    }
    fill(body, first.rows.map(personRow));
    showMore(body, path, first.next);
  } catch (err) {
    say($("people-error"), err.message);
  }
}

function personRow(p) {
  return el("tr", {},
    el("th", { scope: "row" }, p.name + (p.active ? "" : " (inactive)")),
    el("td", { class: "email", "data-label": "Email" }, p.email),
    el("td", { "data-label": "Role" }, roleNames[p.role] || p.role),
    el("td", { "data-label": "Time zone" }, p.timezone || "—"));
}

// showMore ends a long list of people with a button that fetches the next
// page, rather than loading a whole large organisation at once.
function showMore(body, path, cursor) {
  if (!cursor) return;
  const row = el("tr", {}, el("td", { colspan: 4 },
    el("button", { type: "button", class: "link", onclick: async () => {
      try {
        const page = await apiPage(path, cursor);
        row.remove();
        body.append(...page.rows.map(personRow));
        showMore(body, path, page.next);
      } catch (err) {
        say($("people-error"), err.message);
      }
    } }, "Show more people")));
  body.append(row);
}
