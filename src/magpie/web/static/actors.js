/* Actors page: the actors of the filtered events, searched by code or by a name in any spelling (q). */
"use strict";
(function () {
  const M = window.Magpie;

  async function load() {
    const status = document.getElementById("status");
    const body = document.querySelector("#actors tbody");
    const params = M.filters();
    const q = new URLSearchParams(location.search).get("q");
    if (q && q.trim()) params.set("q", q.trim());
    params.set("limit", "200");
    try {
      const [found, labels] = await Promise.all([M.api("/api/actors", params), M.meta()]);
      const kept = M.filters().toString();
      body.textContent = "";
      for (const actor of found.actors) {
        const href = M.actorHref(actor.code) + (kept ? "?" + kept : "");
        body.append(M.el("tr", { "data-code": actor.code },
          M.el("td", {}, M.el("a", { class: "code actor-link", href }, actor.code),
            M.el("small", {}, M.codeLabel(actor.code, actor.name, labels).replace(new RegExp(` ?${actor.code}$`), ""))),
          M.el("td", { class: "num" }, M.number(actor.events)),
          M.el("td", { class: "num" }, actor.goldstein === null ? "—" : actor.goldstein.toFixed(1)),
          M.el("td", {}, ...actor.partners.map((p) => [M.el("a", { class: "code actor-link", href: M.actorHref(p.code) +
            (kept ? "?" + kept : "") }, p.code), ` ×${p.events}  `]))));
      }
      status.textContent = "";
      status.append(found.total ? M.t(`${M.number(found.total)} 个行为者`, `${M.number(found.total)} actors`)
        : M.t("没有找到行为者。", "No actor found."));
      document.body.dataset.loaded = "actors";
    } catch (error) {
      M.showError(status, error);
      document.body.dataset.loaded = "error";
    }
  }

  load();
})();
