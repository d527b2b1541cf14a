/* API reference: rendered from /openapi.json, with a small form to try each GET endpoint. */
"use strict";
(function () {
  const M = window.Magpie;

  function schemaText(schema) {
    if (!schema) return "";
    if (schema.anyOf) return schema.anyOf.map(schemaText).filter((s) => s && s !== "null").join(" | ");
    if (schema.type === "array") return `${schemaText(schema.items)}[]`;
    return schema.type || (schema.$ref ? schema.$ref.split("/").pop() : "");
  }

  function endpoint(path, method, op) {
    const params = op.parameters || [];
    const box = M.el("section", { class: "endpoint", id: op.operationId || path });
    box.append(M.el("h2", {}, M.el("code", {}, method.toUpperCase()), path, " ", M.el("small", { class: "hint" }, op.summary || "")));
    if (op.description) box.append(M.el("p", { class: "hint" }, op.description.split("\n")[0]));
    if (params.length) {
      const table = M.el("table", {}, M.el("tr", {}, M.el("th", {}, "parameter"), M.el("th", {}, "in"), M.el("th", {}, "type"),
        M.el("th", {}, "description")));
      for (const p of params) {
        table.append(M.el("tr", {}, M.el("td", {}, M.el("code", {}, p.name)), M.el("td", {}, p.in),
          M.el("td", {}, schemaText(p.schema) + (p.schema && p.schema.default !== undefined ? ` = ${p.schema.default}` : "")),
          M.el("td", {}, p.description || "")));
      }
      box.append(table);
    }
    const form = M.el("form", {});
    for (const p of params) {
      form.append(M.el("label", {}, p.name, M.el("input", { name: p.name, "data-in": p.in, size: 12,
        required: p.required || null, placeholder: p.schema && p.schema.default !== undefined ? String(p.schema.default) : "" })));
    }
    const out = M.el("pre", { hidden: true });
    form.append(M.el("button", { type: "submit" }, M.t("试一试", "Try it")));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      let url = path;
      const query = new URLSearchParams();
      for (const input of form.querySelectorAll("input")) {
        if (!input.value) continue;
        if (input.dataset.in === "path") url = url.replace(`{${input.name}}`, encodeURIComponent(input.value));
        else for (const value of input.value.split("|")) query.append(input.name, value);
      }
      const response = await fetch(url + (query.toString() ? "?" + query : ""));
      const body = await response.text();
      let shown = body;
      try { shown = JSON.stringify(JSON.parse(body), null, 2); } catch (e) { /* not JSON */ }
      out.hidden = false;
      out.textContent = `${response.status} ${url}${query.toString() ? "?" + query : ""}\n\n${shown.slice(0, 20000)}`;
    });
    box.append(form, out);
    return box;
  }

  (async function () {
    const root = document.getElementById("api");
    try {
      const spec = await M.api("/openapi.json");
      root.textContent = "";
      root.append(M.el("p", {}, spec.info.description || ""));
      for (const [path, methods] of Object.entries(spec.paths)) {
        for (const [method, op] of Object.entries(methods)) root.append(endpoint(path, method, op));
      }
      document.body.dataset.loaded = "docs";
    } catch (error) {
      M.showError(root, error);
    }
  })();
})();
