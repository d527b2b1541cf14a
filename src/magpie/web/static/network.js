/* Network page: actors (or countries) as nodes, events as edges — width by count, colour by mean Goldstein.
   A small deterministic force layout; edges and nodes are focusable (Tab, Enter). */
"use strict";
(function () {
  const M = window.Magpie;
  const W = 1000, H = 560, PAD = 40, RIGHT = 150;

  function goldsteinColour(g) {
    if (g === null || g === undefined) return "#888888";
    const s = Math.max(-1, Math.min(1, g / 10));
    const end = s >= 0 ? [33, 102, 172] : [178, 24, 43];
    return "rgb(" + [136, 136, 136].map((c, i) => Math.round(c + (end[i] - c) * Math.abs(s))).join(",") + ")";
  }

  /** Fruchterman–Reingold, fixed start (a circle by rank) and a fixed number of steps: the same graph, the same picture. */
  function layout(nodes, edges) {
    const n = nodes.length;
    const pos = nodes.map((_, i) => ({ x: Math.cos((2 * Math.PI * i) / n) * 200, y: Math.sin((2 * Math.PI * i) / n) * 200 }));
    const index = new Map(nodes.map((node, i) => [node.id, i]));
    const links = edges.map((e) => [index.get(e.source), index.get(e.target), e.events]);
    const k = Math.sqrt((W * H) / Math.max(1, n)) * 0.55;
    const maxW = Math.max(1, ...edges.map((e) => e.events));
    let temperature = 120;
    for (let step = 0; step < 300; step++) {
      const disp = pos.map(() => ({ x: 0, y: 0 }));
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          let dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
          let d = Math.hypot(dx, dy);
          if (d < 0.01) { dx = 0.01 * (i - j); dy = 0.01; d = Math.hypot(dx, dy); }
          const f = (k * k) / d;
          disp[i].x += (dx / d) * f; disp[i].y += (dy / d) * f;
          disp[j].x -= (dx / d) * f; disp[j].y -= (dy / d) * f;
        }
      }
      for (const [a, b, w] of links) {
        const dx = pos[a].x - pos[b].x, dy = pos[a].y - pos[b].y;
        const d = Math.max(0.01, Math.hypot(dx, dy));
        const f = ((d * d) / k) * (0.5 + Math.sqrt(w / maxW));
        disp[a].x -= (dx / d) * f; disp[a].y -= (dy / d) * f;
        disp[b].x += (dx / d) * f; disp[b].y += (dy / d) * f;
      }
      for (let i = 0; i < n; i++) {
        disp[i].x -= pos[i].x * 0.6; disp[i].y -= pos[i].y * 0.6;  // gravity keeps loose nodes and components near
        const d = Math.max(0.01, Math.hypot(disp[i].x, disp[i].y));
        pos[i].x += (disp[i].x / d) * Math.min(d, temperature);
        pos[i].y += (disp[i].y / d) * Math.min(d, temperature);
      }
      temperature = Math.max(1, temperature * 0.985);
    }
    const xs = pos.map((p) => p.x), ys = pos.map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    return pos.map((p) => ({
      x: PAD + ((p.x - x0) / Math.max(1, x1 - x0)) * (W - PAD - RIGHT),
      y: PAD + ((p.y - y0) / Math.max(1, y1 - y0)) * (H - 2 * PAD),
    }));
  }

  function nodeName(node, level, labels) {
    if (level === "country") {
      const c = labels.countries[node.id] || {};
      return c.zh ? `${c.zh} ${node.id}` : node.id;
    }
    return M.codeLabel(node.id, node.name, labels);  // a code with no name takes its country's (TWN → 台湾 TWN)
  }

  async function showEdge(edge, level, labels, names) {
    const title = document.getElementById("edge-title");
    const hint = document.getElementById("edge-hint");
    const list = document.getElementById("edge-events");
    const params = M.filters();
    params.set(level === "country" ? "country_pair" : "pair", `${edge.source},${edge.target}`);
    params.set("page_size", "100");
    title.textContent = "";
    title.append(`${names.get(edge.source)} — ${names.get(edge.target)}`);
    hint.textContent = "";
    hint.classList.remove("error");
    hint.append(M.t(`${edge.events} 个事件，平均戈德斯坦分 ${edge.goldstein}`, `${edge.events} events, mean Goldstein ${edge.goldstein}`),
      " · ", M.el("a", { href: "/?" + params.toString().replace(/&?page_size=100/, "") }, M.t("在事件页打开", "open in Events")));
    list.textContent = "";
    try {
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
      document.body.dataset.edge = `${edge.source},${edge.target}`;
    } catch (error) {
      M.showError(hint, error);
    }
  }

  async function load() {
    const status = document.getElementById("status");
    const url = new URLSearchParams(location.search);
    const level = url.get("level") === "country" ? "country" : "actor";
    const params = M.filters();
    params.set("level", level);
    params.set("nodes", String(Math.max(2, Math.min(200, parseInt(url.get("nodes") || "30", 10) || 30))));
    const legend = document.getElementById("legend");
    legend.textContent = "";
    legend.append(M.el("span", {}, M.t("冲突", "conflict"), " −10", M.el("span", { class: "scale" }), "+10 ", M.t("合作", "cooperation")));
    try {
      const [net, labels] = await Promise.all([M.api("/api/network", params), M.meta()]);
      const graph = document.getElementById("graph");
      graph.textContent = "";
      status.textContent = "";
      if (!net.nodes.length) {
        status.append(M.t("没有符合条件的事件。", "No events match these filters."));
        document.body.dataset.loaded = "network";
        return;
      }
      const pos = layout(net.nodes, net.edges);
      const at = new Map(net.nodes.map((node, i) => [node.id, pos[i]]));
      const names = new Map(net.nodes.map((node) => [node.id, nodeName(node, level, labels)]));
      const maxEdge = Math.max(1, ...net.edges.map((e) => e.events));
      const maxNode = Math.max(1, ...net.nodes.map((n) => n.events));
      const svg = M.el("svg", { viewBox: `0 0 ${W} ${H}`, role: "group", "aria-label": "network / 网络" });
      const edgeLayer = M.el("g", {}), nodeLayer = M.el("g", {});
      const edgeNodes = [];
      for (const edge of [...net.edges].reverse()) {  // the heaviest edges on top
        const a = at.get(edge.source), b = at.get(edge.target);
        const width = 1 + 11 * Math.sqrt(edge.events / maxEdge);
        const label = `${names.get(edge.source)} — ${names.get(edge.target)}: ${edge.events} events / 事件, Goldstein ${edge.goldstein}`;
        const g = M.el("g", { class: "edge", tabindex: 0, role: "button", "aria-label": label,
          "data-source": edge.source, "data-target": edge.target },
        M.el("line", { class: "hit", x1: a.x, y1: a.y, x2: b.x, y2: b.y }),
        M.el("line", { class: "line", x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: goldsteinColour(edge.goldstein),
          "stroke-width": width.toFixed(1), "stroke-opacity": 0.75, "stroke-linecap": "round" }),
        M.el("title", {}, label));
        const choose = () => {
          for (const other of edgeNodes) other.classList.remove("selected");
          g.classList.add("selected");
          showEdge(edge, level, labels, names);
        };
        g.addEventListener("click", choose);
        g.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); choose(); } });
        edgeNodes.push(g);
        edgeLayer.append(g);
      }
      for (const node of net.nodes) {
        const p = at.get(node.id);
        const r = 5 + 15 * Math.sqrt(node.events / maxNode);
        const label = `${names.get(node.id)}: ${node.events} events / 事件, Goldstein ${node.goldstein}`;
        const g = M.el("g", { class: "node", tabindex: 0, role: "button", "aria-label": label, "data-id": node.id },
          M.el("circle", { cx: p.x, cy: p.y, r: r.toFixed(1), fill: goldsteinColour(node.goldstein) }),
          M.el("text", { x: p.x + r + 3, y: p.y + 4 }, names.get(node.id)),
          M.el("title", {}, label));
        const focus = () => {
          const on = !g.classList.contains("selected");
          for (const other of nodeLayer.children) other.classList.remove("selected");
          for (const e of edgeNodes) {
            const touches = e.dataset.source === node.id || e.dataset.target === node.id;
            e.classList.toggle("dim", on && !touches);
          }
          if (on) g.classList.add("selected");
          const hint = document.getElementById("edge-hint");
          const filter = M.filters();
          filter.set(level === "country" ? "country" : "actor", node.id);
          hint.textContent = "";
          hint.append(M.el("b", {}, names.get(node.id)), " · ", M.el("a", { href: "/?" + filter.toString() },
            M.t(`${node.events} 个事件 →`, `${node.events} events →`)));
          if (level !== "country") {
            hint.append(" · ", M.el("a", { href: M.actorHref(node.id) + "?" + M.filters().toString(), class: "actor-link" },
              M.t("行为者页 →", "actor page →")));
          }
        };
        g.addEventListener("click", focus);
        g.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); focus(); } });
        nodeLayer.append(g);
      }
      svg.append(edgeLayer, nodeLayer);
      graph.append(svg);
      status.append(M.t(`${net.nodes.length} 个节点，${net.edges.length} 条连线`, `${net.nodes.length} nodes, ${net.edges.length} edges`));
      document.body.dataset.loaded = "network";
    } catch (error) {
      M.showError(status, error);
      document.body.dataset.loaded = "error";
    }
  }

  load();
})();
