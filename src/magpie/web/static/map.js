/* Map page: event places with coordinates on a bundled world outline (Natural Earth 1:110m, public domain;
   equirectangular, no tile server). Dots are focusable (Tab, Enter) and list their events. */
"use strict";
(function () {
  const M = window.Magpie;
  const TOP = 84, BOTTOM = -58;  // latitudes shown (Antarctica is not drawn)
  let world = null;

  function goldsteinColour(g) {
    if (g === null || g === undefined) return "#888888";
    const s = Math.max(-1, Math.min(1, g / 10));
    const end = s >= 0 ? [33, 102, 172] : [178, 24, 43];
    return "rgb(" + [136, 136, 136].map((c, i) => Math.round(c + (end[i] - c) * Math.abs(s))).join(",") + ")";
  }

  async function outline() {
    if (!world) {
      const response = await fetch("/static/world.json");
      if (!response.ok) throw new Error("world.json: HTTP " + response.status);
      world = await response.json();
    }
    return world;
  }

  function placeFilter(place) {
    const params = M.filters();
    params.set("place", place.name);
    return params;
  }

  async function showPlace(place, labels) {
    const title = document.getElementById("place-title");
    const list = document.getElementById("place-events");
    title.textContent = "";
    title.append(`${place.name} ${place.country || ""} `,
      M.el("a", { class: "more", href: "/?" + placeFilter(place).toString() }, M.t("在事件页打开 →", "open in Events →")));
    list.textContent = "";
    const params = placeFilter(place);
    params.set("page_size", "100");
    const page = await M.api("/api/events", params);
    for (const ev of page.events) {
      const root = labels.roots[ev.root_code] || { zh: "" };
      list.append(M.el("li", { "data-event": ev.global_event_id },
        M.el("b", {}, ev.date || "—"), " ",
        `${(ev.source || {}).code || "—"} → ${ev.code} ${root.zh} → ${(ev.target || {}).code || "—"} `,
        M.quadBadge(ev.quad_class, labels), " ",
        M.el("a", { href: M.docHref(ev.doc_id, ev.global_event_id) }, ev.title || ev.doc_id),
        M.el("div", { class: "hint", lang: "zh" }, M.evidenceNode(ev.evidence))));
    }
    document.body.dataset.place = place.name;
  }

  async function load() {
    const status = document.getElementById("status");
    const legend = document.getElementById("legend");
    legend.textContent = "";
    legend.append(M.el("span", {}, M.t("冲突", "conflict"), " −10", M.el("span", { class: "scale" }), "+10 ", M.t("合作", "cooperation")));
    try {
      const [found, labels, shapes] = await Promise.all([M.api("/api/places", M.filters()), M.meta(), outline()]);
      const container = document.getElementById("map");
      container.textContent = "";
      const svg = M.el("svg", { viewBox: `-180 ${-TOP} 360 ${TOP - BOTTOM}`, role: "group",
        "aria-label": "map / 地图", preserveAspectRatio: "xMidYMid meet" });
      svg.append(M.el("rect", { class: "sea", x: -180, y: -TOP, width: 360, height: TOP - BOTTOM }));
      const shaded = new Map((found.countries || []).map((c) => [c.country, c.events]));
      const land = M.el("g", { class: "land" });
      for (const [code, d] of Object.entries(shapes.countries)) {
        const n = shaded.get(code);
        const country = labels.countries[code] || {};
        land.append(M.el("path", { d, "data-country": code, class: n ? "country placed" : "country" },
          M.el("title", {}, `${country.zh || ""} ${country.en || code}` + (n ? `: ${n} events / 事件 (country only / 仅国家)` : ""))));
      }
      svg.append(land);
      const max = Math.max(1, ...found.places.map((p) => p.events));
      const dots = M.el("g", { class: "dots" });
      const body = document.querySelector("#places tbody");
      body.textContent = "";
      for (const place of [...found.places].reverse()) {  // the busiest on top
        const r = 1.2 + 4 * Math.sqrt(place.events / max);
        const label = `${place.name} ${place.country || ""}: ${place.events} events / 事件, Goldstein ${place.goldstein}`;
        const g = M.el("g", { class: "dot", tabindex: 0, role: "button", "aria-label": label, "data-place": place.name },
          M.el("circle", { cx: place.lon, cy: -place.lat, r: r.toFixed(2), fill: goldsteinColour(place.goldstein) }),
          M.el("text", { x: place.lon + r + 0.8, y: -place.lat + 1.2 }, place.name),
          M.el("title", {}, label));
        const choose = () => {
          for (const other of dots.children) other.classList.remove("selected");
          g.classList.add("selected");
          showPlace(place, labels).catch((error) => M.showError(status, error));
        };
        g.addEventListener("click", choose);
        g.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); choose(); } });
        dots.append(g);
      }
      for (const place of found.places) {
        const quads = M.el("span", {}, ...["1", "2", "3", "4"].filter((q) => place.per_quad[q]).map((q) =>
          [M.quadBadge(Number(q), labels), `×${place.per_quad[q]} `]));
        body.append(M.el("tr", { "data-place": place.name },
          M.el("td", {}, M.el("a", { href: "/?" + placeFilter(place).toString() }, place.name),
            M.el("small", {}, `${place.country || ""} · ${place.lat.toFixed(2)}, ${place.lon.toFixed(2)}`)),
          M.el("td", { class: "num" }, String(place.events)), M.el("td", {}, quads),
          M.el("td", { class: "date" }, place.first_date === place.last_date ? (place.first_date || "—")
            : `${place.first_date} – ${place.last_date}`)));
      }
      svg.append(dots);
      container.append(svg);
      status.textContent = "";
      status.append(M.t(`${found.places.length} 个地点：${found.located} / ${found.events} 个事件有坐标`,
        `${found.places.length} places: ${found.located} of ${found.events} events have coordinates`));
      document.body.dataset.loaded = "map";
    } catch (error) {
      M.showError(status, error);
      document.body.dataset.loaded = "error";
    }
  }

  load();
})();
