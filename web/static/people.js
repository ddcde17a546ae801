// The organisation view: the team tree and the people the viewer may see,
// found by name or email a page at a time. HR also adds and edits people
// (never their Slack binding, which only the Slack directory sync sets),
// deactivates them, creates and moves teams, sees who Slack does not know,
// and reads the audit log of identity changes (audit.js).

import { api, apiAll, apiPage, query } from "./api.js";
import { $, busy, confirmAction, el, fill, say } from "./dom.js";
import { roleName } from "./format.js";
import { strings } from "./i18n.js";
import { field, personPicker, select, showErrors } from "./fields.js";
import { teamsCard } from "./teams.js";
import { auditCard } from "./audit.js";

const t = strings({
  en: {
    "staff.title": "Organisation",
    "staff.people": "People",
    "staff.peopleIn": "People in {team}",
    "staff.search": "Search people",
    "staff.searchHint": "A part of a name or an email address.",
    "staff.unmatched": "Only people not matched to Slack",
    "staff.unmatchedHint": "Nobody in Slack has their email, so they get no survey DMs until the Slack sync finds them.",
    "staff.name": "Name",
    "staff.email": "Email",
    "staff.role": "Role",
    "staff.team": "Team",
    "staff.slack": "Slack",
    "staff.linked": "linked",
    "staff.notMatched": "not matched",
    "staff.inactive": "{name} (inactive)",
    "staff.edit": "Edit",
    "staff.editOf": "Edit {name}",
    "staff.add": "Add a person",
    "staff.addTitle": "Add a person",
    "staff.nobody": "Nobody you can see matches.",
    "staff.more": "Show more people",
    "staff.manager": "Manager",
    "staff.language": "Language",
    "staff.zone": "Time zone",
    "staff.zoneHint": "An IANA name such as Asia/Kuala_Lumpur; empty: the survey's zone. Slack fills it in when it knows it.",
    "staff.noTeam": "No team",
    "staff.en": "English",
    "staff.ms": "Bahasa Melayu",
    "staff.slackLinked": "Slack: linked as {id}. The binding comes from the Slack directory sync (matched by email) and cannot be changed here.",
    "staff.slackMissing": "Slack: not matched. The Slack directory sync links this person when someone in Slack has this email.",
    "staff.emailHint": "Changing it signs the person out everywhere and is written to the audit log.",
    "staff.save": "Save",
    "staff.create": "Add the person",
    "staff.cancel": "Cancel",
    "staff.deactivate": "Deactivate",
    "staff.deactivateTitle": "Deactivate {name}?",
    "staff.deactivateText": "They get no more surveys and every sign-in and API token of theirs stops working at once. Their past participation stays counted.",
    "staff.deactivated": "{name} was deactivated.",
    "staff.reactivate": "Reactivate",
    "staff.reactivated": "{name} is active again: they get surveys from the next round and can sign in with a new link.",
    "staff.saved": "Saved {name}.",
    "staff.added": "Added {name}.",
    "staff.access": "Sign-ins and tokens",
  },
  ms: {
    "staff.title": "Organisasi",
    "staff.people": "Kakitangan",
    "staff.peopleIn": "Kakitangan dalam {team}",
    "staff.search": "Cari kakitangan",
    "staff.searchHint": "Sebahagian nama atau alamat e-mel.",
    "staff.unmatched": "Hanya mereka yang tidak dipadankan dengan Slack",
    "staff.unmatchedHint": "Tiada sesiapa dalam Slack mempunyai e-mel mereka, jadi mereka tidak menerima DM tinjauan sehingga penyegerakan Slack menemui mereka.",
    "staff.name": "Nama",
    "staff.email": "E-mel",
    "staff.role": "Peranan",
    "staff.team": "Pasukan",
    "staff.slack": "Slack",
    "staff.linked": "dipautkan",
    "staff.notMatched": "tidak dipadankan",
    "staff.inactive": "{name} (tidak aktif)",
    "staff.edit": "Sunting",
    "staff.editOf": "Sunting {name}",
    "staff.add": "Tambah seorang",
    "staff.addTitle": "Tambah seorang",
    "staff.nobody": "Tiada sesiapa yang anda boleh lihat sepadan.",
    "staff.more": "Tunjukkan lebih ramai",
    "staff.manager": "Pengurus",
    "staff.language": "Bahasa",
    "staff.zone": "Zon waktu",
    "staff.zoneHint": "Nama IANA seperti Asia/Kuala_Lumpur; kosong: zon tinjauan. Slack mengisinya apabila ia tahu.",
    "staff.noTeam": "Tiada pasukan",
    "staff.en": "English",
    "staff.ms": "Bahasa Melayu",
    "staff.slackLinked": "Slack: dipautkan sebagai {id}. Pautan ini datang daripada penyegerakan direktori Slack (dipadankan mengikut e-mel) dan tidak boleh diubah di sini.",
    "staff.slackMissing": "Slack: tidak dipadankan. Penyegerakan direktori Slack memautkan orang ini apabila seseorang dalam Slack mempunyai e-mel ini.",
    "staff.emailHint": "Menukarnya melog keluar orang itu di mana-mana dan dicatat dalam log audit.",
    "staff.save": "Simpan",
    "staff.create": "Tambah orang ini",
    "staff.cancel": "Batal",
    "staff.deactivate": "Nyahaktifkan",
    "staff.deactivateTitle": "Nyahaktifkan {name}?",
    "staff.deactivateText": "Mereka tidak lagi menerima tinjauan dan setiap log masuk serta token API mereka berhenti berfungsi serta-merta. Penyertaan lalu mereka kekal dikira.",
    "staff.deactivated": "{name} telah dinyahaktifkan.",
    "staff.reactivate": "Aktifkan semula",
    "staff.reactivated": "{name} aktif semula: mereka menerima tinjauan mulai pusingan seterusnya dan boleh log masuk dengan pautan baharu.",
    "staff.saved": "{name} disimpan.",
    "staff.added": "{name} ditambah.",
    "staff.access": "Log masuk dan token",
  },
});

let ctx;
let hr = false;
let teams = [];
const shown = { team: null, q: "", unmatched: false };
let listed = 0; // counts listings, so a slow one does not overwrite a newer one

// initPeople draws the team tree and the first page of people.
export async function initPeople(context) {
  ctx = context;
  hr = ctx.me.role === "hr_admin";
  await loadTeams();
  fill($("people-card"), peopleHead(), el("div", { id: "people-list" }));
  if (hr) fill($("people-extra"), auditCard());
  await listPeople();
}

async function loadTeams() {
  teams = await apiAll("/teams");
  fill($("teams-card"), teamsCard(teams, hr, {
    pick: (team) => {
      shown.team = team;
      listPeople();
    },
    changed: async (message) => {
      say($("people-status"), message);
      await loadTeams();
    },
  }));
}

function peopleHead() {
  const search = el("input", { type: "search", autocomplete: "off" });
  const unmatched = el("input", { type: "checkbox", id: "people-unmatched" });
  let timer = 0;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      shown.q = search.value.trim();
      listPeople();
    }, 250);
  });
  unmatched.addEventListener("change", () => {
    shown.unmatched = unmatched.checked;
    listPeople();
  });
  const form = el("form", { class: "filters people-filters", role: "search" },
    field("q", t("staff.search"), search, t("staff.searchHint")).node,
    el("div", { class: "field" },
      el("label", { class: "check", for: "people-unmatched" }, unmatched, " " + t("staff.unmatched")),
      el("p", { class: "hint" }, t("staff.unmatchedHint"))));
  form.addEventListener("submit", (ev) => ev.preventDefault());
  const add = hr ? el("button", { type: "button", onclick: () => editPerson(null) }, t("staff.add")) : null;
  return [el("div", { class: "detail-head" }, el("h3", { id: "people-title" }, t("staff.people")), add), form];
}

async function listPeople() {
  const mine = ++listed;
  say($("people-error"), "");
  $("people-title").textContent = shown.team ? t("staff.peopleIn", { team: shown.team.name }) : t("staff.people");
  const path = "/employees" + query({ team_id: shown.team && shown.team.id, q: shown.q, slack: shown.unmatched ? "unmatched" : "" });
  try {
    const first = await apiPage(path + (path.includes("?") ? "&" : "?") + "limit=50");
    if (mine !== listed) return;
    const body = el("tbody");
    const table = el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": "people-title" },
      el("table", { class: "people stack-narrow" },
        el("thead", {}, el("tr", {}, [t("staff.name"), t("staff.email"), t("staff.role"), t("staff.team"), t("staff.slack")]
          .map((h) => el("th", { scope: "col" }, h)), hr ? el("td") : null)),
        body));
    if (!first.rows.length) body.append(el("tr", {}, el("td", { colspan: 6, class: "muted" }, t("staff.nobody"))));
    body.append(...first.rows.map(personRow));
    fill($("people-list"), table);
    more(body, path, first.next);
  } catch (err) {
    say($("people-error"), err.message);
  }
}

function teamName(id) {
  const team = teams.find((x) => x.id === id);
  return team ? team.name : "\u2014";
}

function personRow(p) {
  const slack = p.slack_user_id
    ? el("span", { class: "badge done" }, t("staff.linked"))
    : el("span", { class: "badge warn" }, t("staff.notMatched"));
  return el("tr", {},
    el("th", { scope: "row" }, p.active ? p.name : t("staff.inactive", { name: p.name })),
    el("td", { class: "email", "data-label": t("staff.email") }, p.email),
    el("td", { "data-label": t("staff.role") }, roleName(p.role)),
    el("td", { "data-label": t("staff.team") }, teamName(p.team_id)),
    el("td", { "data-label": t("staff.slack") }, slack),
    hr ? el("td", {}, el("button", { type: "button", class: "quiet", "aria-label": t("staff.editOf", { name: p.name }),
      onclick: () => editPerson(p) }, t("staff.edit"))) : null);
}

// more ends a long list with a button that fetches the next page.
function more(body, path, cursor) {
  if (!cursor) return;
  const row = el("tr", {}, el("td", { colspan: 6 },
    el("button", { type: "button", class: "link", onclick: async () => {
      try {
        const page = await apiPage(path + (path.includes("?") ? "&" : "?") + "limit=50", cursor);
        row.remove();
        body.append(...page.rows.map(personRow));
        more(body, path, page.next);
      } catch (err) {
        say($("people-error"), err.message);
      }
    } }, t("staff.more"))));
  body.append(row);
}

// editPerson opens the form for p, or for a new person when p is null.
async function editPerson(p) {
  say($("people-status"), "");
  let manager = null;
  if (p && p.manager_id) manager = await api(`/employees/${p.manager_id}`).catch(() => ({ id: p.manager_id, name: "#" + p.manager_id }));
  const input = (type, value) => {
    const node = el("input", { type, autocomplete: "off" });
    node.value = value || "";
    return node;
  };
  const fields = [
    field("name", t("staff.name"), input("text", p && p.name)),
    field("email", t("staff.email"), input("email", p && p.email), p ? t("staff.emailHint") : null),
    field("team_id", t("staff.team"), select([["0", t("staff.noTeam")],
      ...teams.filter((x) => x.active || (p && x.id === p.team_id)).map((x) => [String(x.id), x.name])], (p && p.team_id) || 0)),
    personPicker("manager_id", t("staff.manager"), manager, true),
    field("role", t("staff.role"), select(["employee", "manager", "hr_admin"].map((r) => [r, roleName(r)]), p ? p.role : "employee")),
    field("locale", t("staff.language"), select([["en", t("staff.en")], ["ms", t("staff.ms")]], p ? p.locale : "en")),
    field("timezone", t("staff.zone"), input("text", p && p.timezone), t("staff.zoneHint")),
  ];
  const error = el("p", { class: "error", role: "alert" });
  const save = el("button", {}, p ? t("staff.save") : t("staff.create"));
  const cancel = el("button", { type: "button", class: "quiet", onclick: () => listPeople() }, t("staff.cancel"));
  const extra = [];
  if (p && p.active) {
    extra.push(el("button", { type: "button", class: "danger", onclick: (ev) => deactivate(p, ev.currentTarget, error) }, t("staff.deactivate")));
  }
  if (p && !p.active) {
    extra.push(el("button", { type: "button", class: "quiet", onclick: (ev) => reactivate(p, ev.currentTarget, error) }, t("staff.reactivate")));
  }
  if (p) extra.push(el("a", { href: "#access/" + p.id }, t("staff.access")));
  const slack = p ? el("p", { class: "hint" }, p.slack_user_id ? t("staff.slackLinked", { id: p.slack_user_id }) : t("staff.slackMissing")) : null;
  const title = p ? t("staff.editOf", { name: p.name }) : t("staff.addTitle");
  const form = el("form", { class: "person-form", novalidate: true, "aria-label": title },
    el("h4", {}, title), slack, el("div", { class: "form-grid" }, fields.map((f) => f.node)),
    el("div", { class: "row" }, save, cancel, ...extra), error);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = {
      name: fields[0].control.value, email: fields[1].control.value, team_id: Number(fields[2].control.value),
      manager_id: fields[3].value(), role: fields[4].control.value, locale: fields[5].control.value,
      timezone: fields[6].control.value,
    };
    if (!p) {
      for (const key of ["team_id", "manager_id"]) if (!body[key]) delete body[key];
    }
    await busy(save, async () => {
      try {
        const saved = await api(p ? `/employees/${p.id}` : "/employees", { method: p ? "PATCH" : "POST", body });
        say($("people-status"), p ? t("staff.saved", { name: saved.name }) : t("staff.added", { name: saved.name }));
        await listPeople();
      } catch (err) {
        showErrors(err, fields, error);
      }
    });
  });
  fill($("people-list"), form);
  fields[0].control.focus();
}

async function deactivate(p, button, error) {
  if (!await confirmAction(t("staff.deactivateTitle", { name: p.name }), t("staff.deactivateText"), t("staff.deactivate"), true)) return;
  await busy(button, async () => {
    try {
      await api(`/employees/${p.id}/deactivate`, { method: "POST" });
      say($("people-status"), t("staff.deactivated", { name: p.name }));
      await listPeople();
    } catch (err) {
      say(error, err.message);
    }
  });
}

async function reactivate(p, button, error) {
  await busy(button, async () => {
    try {
      await api(`/employees/${p.id}`, { method: "PATCH", body: { active: true } });
      say($("people-status"), t("staff.reactivated", { name: p.name }));
      await listPeople();
    } catch (err) {
      say(error, err.message);
    }
  });
}
