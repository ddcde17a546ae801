// The dashboard keeps the token in sessionStorage only, and reads everything
// through the JSON API with it: it can see exactly what the API lets it see.
(function () {
  const $ = (id) => document.getElementById(id);
  const fromLink = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromLink) {
    sessionStorage.setItem("pulse.token", fromLink);
    history.replaceState(null, "", location.pathname);
  }

  async function api(path) {
    const res = await fetch("/api/v1" + path, {
      headers: { Authorization: "Bearer " + sessionStorage.getItem("pulse.token") },
    });
    const body = await res.json();
    if (!res.ok) throw new Error(body.error ? body.error.message : res.statusText);
    return body.data;
  }

  function text(tag, value) {
    const el = document.createElement(tag);
    el.textContent = value;
    return el;
  }

  function renderTeams(teams, onPick) {
    const children = new Map();
    teams.forEach((t) => {
      const key = t.parent_id || 0;
      if (!children.has(key)) children.set(key, []);
      children.get(key).push(t);
    });
    const build = (parent) => {
      const ul = document.createElement("ul");
      (children.get(parent) || []).forEach((t) => {
        const li = document.createElement("li");
        const a = text("a", t.name + (t.active ? "" : " (inactive)"));
        a.onclick = () => onPick(t);
        li.appendChild(a);
        if (children.has(t.id)) li.appendChild(build(t.id));
        ul.appendChild(li);
      });
      return ul;
    };
    $("teams").replaceChildren(...build(0).children);
  }

  async function renderPeople(team) {
    const query = team ? "?team_id=" + team.id : "";
    const people = await api("/employees" + query);
    $("people-title").textContent = team ? "People in " + team.name : "People";
    $("people").tBodies[0].replaceChildren(...people.map((p) => {
      const tr = document.createElement("tr");
      [p.name, p.email, p.role, p.timezone || "—"].forEach((v) => tr.appendChild(text("td", v)));
      return tr;
    }));
  }

  async function start() {
    if (!sessionStorage.getItem("pulse.token")) {
      $("sign-in").hidden = false;
      return;
    }
    try {
      const me = await api("/me");
      $("who").textContent = me.name + " · " + me.role;
      $("sign-out").hidden = false;
      $("org").hidden = false;
      renderTeams(await api("/teams"), renderPeople);
      await renderPeople(null);
    } catch (err) {
      sessionStorage.removeItem("pulse.token");
      $("sign-in").hidden = false;
      $("sign-in-error").textContent = err.message;
    }
  }

  $("token-form").onsubmit = (ev) => {
    ev.preventDefault();
    sessionStorage.setItem("pulse.token", $("token").value.trim());
    $("sign-in").hidden = true;
    start();
  };
  $("sign-out").onclick = () => {
    sessionStorage.removeItem("pulse.token");
    location.reload();
  };
  start();
})();
