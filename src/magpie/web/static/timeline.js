/* Timeline page: events per day (or week, or month) stacked by QuadClass; drag or use the keyboard to pick a
   range, which becomes the since/until filters of every page. */
"use strict";
(function () {
  const M = window.Magpie;
  const DAY = 86400000;
  const W = 1200, H = 280, LEFT = 44, RIGHT = 10, TOP = 10, BOTTOM = 26;
  const QUADS = ["1", "2", "3", "4"];

  const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
  const parse = (text) => Date.UTC(+text.slice(0, 4), +text.slice(5, 7) - 1, +text.slice(8, 10));

  function binner(first, last) {
    const span = (last - first) / DAY + 1;
    if (span <= 370) return { unit: "day", start: (ms) => ms, next: (ms) => ms + DAY };
    if (span <= 2600) {
      return { unit: "week", start: (ms) => ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY, next: (ms) => ms + 7 * DAY };
    }
    return {
      unit: "month",
      start: (ms) => { const d = new Date(ms); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1); },
      next: (ms) => { const d = new Date(ms); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1); },
    };
  }

  function makeBins(perDay, since, until) {
    if (!perDay.length && !(since && until)) return { bins: [], unit: "day" };
    const first = since ? parse(since) : parse(perDay[0].date);
    const last = until ? parse(until) : parse(perDay[perDay.length - 1].date);
    const b = binner(first, Math.max(first, last));
    const bins = [];
    const index = new Map();
    for (let ms = b.start(first); ms <= last; ms = b.next(ms)) {
      index.set(ms, bins.length);
      bins.push({ start: ms, end: b.next(ms), q: { 1: 0, 2: 0, 3: 0, 4: 0 }, total: 0 });
      if (bins.length > 5000) break;
    }
    for (const day of perDay) {
      const i = index.get(b.start(parse(day.date)));
      if (i === undefined) continue;
      for (const q of QUADS) { bins[i].q[q] += day["q" + q] || 0; bins[i].total += day["q" + q] || 0; }
    }
    return { bins, unit: b.unit };
  }

  function label(bin, unit) {
    return unit === "month" ? iso(bin.start).slice(0, 7) : iso(bin.start);
  }

  function draw(container, bins, unit, labels, apply) {
    container.textContent = "";
    if (!bins.length) {
      container.append(M.el("p", { class: "hint" }, M.t("没有带完整日期的事件。", "No events with a full date.")));
      return;
    }
    const plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM;
    const max = Math.max(1, ...bins.map((b) => b.total));
    const bw = plotW / bins.length;
    const y = (n) => TOP + plotH - (n / max) * plotH;
    const svg = M.el("svg", { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none", role: "img",
      "aria-label": `${bins.length} ${unit}s` });
    const axis = M.el("g", { class: "axis" });
    for (const n of [0, Math.round(max / 2), max]) {
      axis.append(M.el("line", { x1: LEFT - 4, x2: W - RIGHT, y1: y(n), y2: y(n), "stroke-opacity": n ? 0.25 : 1 }));
      axis.append(M.el("text", { x: LEFT - 6, y: y(n) + 4, "text-anchor": "end" }, String(n)));
    }
    const every = Math.max(1, Math.ceil(bins.length / 8));
    bins.forEach((bin, i) => {
      if (i % every) return;
      axis.append(M.el("text", { x: LEFT + i * bw + 2, y: H - 8 }, label(bin, unit)));
    });
    svg.append(axis);
    const bars = M.el("g", { class: "bars" });
    bins.forEach((bin, i) => {
      if (!bin.total) return;
      const g = M.el("g", {});
      let base = 0;
      for (const q of QUADS) {
        const n = bin.q[q];
        if (!n) continue;
        g.append(M.el("rect", { class: "q" + q, x: LEFT + i * bw + (bw > 3 ? 0.5 : 0), width: Math.max(0.6, bw - (bw > 3 ? 1 : 0)),
          y: y(base + n), height: y(base) - y(base + n) }));
        base += n;
      }
      const names = QUADS.filter((q) => bin.q[q]).map((q) => `${q} ${labels.quads[q].zh} ${labels.quads[q].en}: ${bin.q[q]}`);
      g.append(M.el("title", {}, `${label(bin, unit)}  (${bin.total})\n${names.join("\n")}`));
      bars.append(g);
    });
    svg.append(bars);
    const selection = M.el("rect", { class: "selection", x: 0, y: TOP, width: 0, height: plotH, visibility: "hidden" });
    const cursor = M.el("line", { class: "cursor", y1: TOP, y2: TOP + plotH, visibility: "hidden" });
    const overlay = M.el("rect", { x: LEFT, y: 0, width: plotW, height: H, fill: "transparent", cursor: "crosshair" });
    svg.append(selection, cursor, overlay);
    container.append(svg);

    // -- selection: drag with the pointer, or arrows (+Shift) and Enter
    let anchor = null, head = null, dragging = false;
    const at = (event) => {
      const box = svg.getBoundingClientRect();
      const x = ((event.clientX - box.left) / box.width) * W;
      return Math.max(0, Math.min(bins.length - 1, Math.floor((x - LEFT) / bw)));
    };
    const show = () => {
      if (anchor === null) { selection.setAttribute("visibility", "hidden"); return; }
      const a = Math.min(anchor, head), b = Math.max(anchor, head);
      selection.setAttribute("x", LEFT + a * bw);
      selection.setAttribute("width", Math.max(1, (b - a + 1) * bw));
      selection.setAttribute("visibility", "visible");
      cursor.setAttribute("x1", LEFT + (head + 0.5) * bw);
      cursor.setAttribute("x2", LEFT + (head + 0.5) * bw);
      cursor.setAttribute("visibility", "visible");
      const status = document.getElementById("status");
      status.textContent = "";
      status.append(M.t(`已选择 ${iso(bins[a].start)} 至 ${iso(bins[b].end - DAY)}（Enter 应用）`,
        `Selected ${iso(bins[a].start)} to ${iso(bins[b].end - DAY)} (Enter to apply)`));
    };
    const done = () => {
      if (anchor === null) return;
      const a = Math.min(anchor, head), b = Math.max(anchor, head);
      apply(iso(bins[a].start), iso(bins[b].end - DAY));
    };
    overlay.addEventListener("pointerdown", (event) => {
      dragging = true; anchor = head = at(event); overlay.setPointerCapture(event.pointerId); show();
    });
    overlay.addEventListener("pointermove", (event) => { if (dragging) { head = at(event); show(); } });
    overlay.addEventListener("pointerup", (event) => { if (dragging) { dragging = false; head = at(event); show(); done(); } });
    container.addEventListener("keydown", (event) => {
      const step = { ArrowLeft: -1, ArrowRight: 1, PageUp: -10, PageDown: 10 }[event.key];
      if (step !== undefined) {
        event.preventDefault();
        if (head === null) head = bins.length - 1;
        const next = Math.max(0, Math.min(bins.length - 1, head + step));
        if (!event.shiftKey || anchor === null) anchor = next;
        head = next;
        show();
      } else if (event.key === "Home" || event.key === "End") {
        event.preventDefault();
        head = event.key === "Home" ? 0 : bins.length - 1;
        if (!event.shiftKey || anchor === null) anchor = head;
        show();
      } else if (event.key === "Enter") {
        event.preventDefault(); done();
      } else if (event.key === "Escape") {
        anchor = head = null; show(); cursor.setAttribute("visibility", "hidden");
      }
    });
  }

  function barRows(container, rows, max) {
    container.textContent = "";
    if (!rows.length) { container.append(M.el("p", { class: "hint" }, "—")); return; }
    for (const row of rows) {
      const bar = M.el("div", { class: "bar" + (row.quad ? " " : "") });
      bar.style.width = `${(100 * row.n) / max}%`;
      if (row.colour) bar.style.background = row.colour;
      container.append(M.el("div", { class: "row" }, M.el("a", { href: row.href, title: row.title || "" }, row.label),
        M.el("div", {}, bar), M.el("span", { class: "n" }, M.number(row.n))));
    }
  }

  function goldsteinColour(g) {
    if (g === null || g === undefined) return "#888888";
    const s = Math.max(-1, Math.min(1, g / 10));
    const end = s >= 0 ? [33, 102, 172] : [178, 24, 43];
    return "rgb(" + [136, 136, 136].map((c, i) => Math.round(c + (end[i] - c) * Math.abs(s))).join(",") + ")";
  }

  async function load() {
    const status = document.getElementById("status");
    const params = M.filters();
    const since = params.get("since"), until = params.get("until");
    const full = (d) => d && /^\d{4}-\d{2}-\d{2}$/.test(d);
    const legend = document.getElementById("legend");
    try {
      const [stats, labels] = await Promise.all([M.api("/api/stats", params), M.meta()]);
      legend.textContent = "";
      for (const q of QUADS) {
        legend.append(M.el("span", {}, M.el("span", { class: "sw q" + q }), `${q} `, M.t(labels.quads[q].zh, labels.quads[q].en),
          ` (${M.number(stats.per_quad[q])})`));
      }
      if (since || until) {
        const clear = M.filters(); clear.delete("since"); clear.delete("until");
        legend.append(M.el("a", { class: "button", href: "?" + clear.toString(), id: "clear-range" },
          M.t("清除时间段", "Clear range")));
      }
      const { bins, unit } = makeBins(stats.per_day, full(since) ? since : null, full(until) ? until : null);
      draw(document.getElementById("chart"), bins, unit, labels, (a, b) => {
        const next = new URLSearchParams(location.search);
        next.set("since", a); next.set("until", b);
        location.search = next.toString();
      });
      status.textContent = "";
      status.classList.remove("error");
      const unitName = { day: ["日", "day"], week: ["周", "week"], month: ["月", "month"] }[unit];
      status.append(M.t(`共 ${M.number(stats.total)} 个事件（${M.number(stats.partial_dates)} 个仅有年月），每柱一${unitName[0]}`,
        `${M.number(stats.total)} events (${M.number(stats.partial_dates)} with a partial date); one bar per ${unitName[1]}`));
      const withParam = (key, value) => { const p = M.filters(); p.set(key, value); return "/?" + p.toString(); };
      const rootMax = Math.max(1, ...stats.per_root.map((r) => r.events));
      barRows(document.getElementById("roots"), stats.per_root.map((r) => ({
        label: `${r.root} ${(labels.roots[r.root] || {}).zh || ""} ${(labels.roots[r.root] || {}).en || ""}`,
        n: r.events, href: withParam("root", r.root), colour: goldsteinColour(r.goldstein),
        title: `Goldstein ${r.goldstein}` })), rootMax);
      const pairMax = Math.max(1, ...stats.per_country_pair.map((r) => r.events));
      const cname = (c) => `${c} ${(labels.countries[c] || {}).zh || ""}`;
      barRows(document.getElementById("pairs"), stats.per_country_pair.slice(0, 20).map((r) => ({
        label: `${cname(r.a)} — ${cname(r.b)}`, n: r.events, href: withParam("country_pair", `${r.a},${r.b}`),
        colour: goldsteinColour(r.goldstein), title: `Goldstein ${r.goldstein}` })), pairMax);
      document.getElementById("more").href = "/?" + M.filters().toString();
      const events = M.filters(); events.set("page_size", "20");
      const page = await M.api("/api/events", events);
      const body = document.querySelector("#events tbody");
      body.textContent = "";
      for (const ev of page.events) body.append(M.eventRow(ev, labels, true));
      document.body.dataset.loaded = "timeline";
    } catch (error) {
      M.showError(status, error);
      document.body.dataset.loaded = "error";
    }
  }

  load();
})();
