// The organisation view: the team tree and the people the viewer may see.

import { apiAll, apiPage, query } from "./api.js";
import { $, el, fill, say } from "./dom.js";
import { roleName } from "./format.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "people.title": "Organisation",
    "people.teams": "Teams",
    "people.name": "Name",
    "people.email": "Email",
    "people.role": "Role",
    "people.zone": "Time zone",
    "people.inactive": "{name} (inactive)",
    "people.in": "People in {team}",
    "people.all": "People",
    "people.none": "Nobody you can see is in this team.",
    "people.more": "Show more people",
  },
  ms: {
    "people.title": "Organisasi",
    "people.teams": "Pasukan",
    "people.name": "Nama",
    "people.email": "E-mel",
    "people.role": "Peranan",
    "people.zone": "Zon waktu",
    "people.inactive": "{name} (tidak aktif)",
    "people.in": "Kakitangan dalam {team}",
    "people.all": "Kakitangan",
    "people.none": "Tiada sesiapa yang boleh anda lihat dalam pasukan ini.",
    "people.more": "Tunjukkan lagi",
  },
});

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
  for (const team of teams) {
    const key = team.parent_id || 0;
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(team);
  }
  const build = (id) => (children.get(id) || []).map((team) => el("li", {},
    el("button", { type: "button", class: "link", onclick: () => onPick(team) }, team.active ? team.name : t("people.inactive", { name: team.name })),
    children.has(team.id) ? el("ul", {}, build(team.id)) : null));
  return build(parent);
}

async function showPeople(team) {
  say($("people-error"), "");
  try {
    const path = "/employees" + query({ team_id: team && team.id });
    const first = await apiPage(path);
    $("people-title").textContent = team ? t("people.in", { team: team.name }) : t("people.all");
    const body = $("people").tBodies[0];
    if (!first.rows.length) {
      fill(body, el("tr", {}, el("td", { colspan: 4, class: "muted" }, t("people.none"))));
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
    el("th", { scope: "row" }, p.active ? p.name : t("people.inactive", { name: p.name })),
    el("td", { class: "email", "data-label": t("people.email") }, p.email),
    el("td", { "data-label": t("people.role") }, roleName(p.role)),
    el("td", { "data-label": t("people.zone") }, p.timezone || "—"));
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
    } }, t("people.more"))));
  body.append(row);
}
