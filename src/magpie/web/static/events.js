/* Events page: the search table (filters from the URL, sortable headers, pages). */
"use strict";
(function () {
  const M = window.Magpie;
  const url = new URLSearchParams(location.search);
  const sort = url.get("sort") || "-date";
  const page = Math.max(1, parseInt(url.get("page") || "1", 10) || 1);
  const pageSize = url.get("page_size") || "50";

  function link(changes) {
    const next = new URLSearchParams(location.search);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key); else next.set(key, value);
    }
    return "?" + next.toString();
  }

  function headers() {
    for (const th of document.querySelectorAll("th[data-sort]")) {
      const key = th.dataset.sort;
      const current = sort.replace(/^-/, "") === key;
      const descending = sort.startsWith("-");
      const next = current ? (descending ? key : "-" + key) : (["date", "goldstein", "mentions"].includes(key) ? "-" + key : key);
      const label = Array.from(th.childNodes);
      const a = M.el("a", { href: link({ sort: next, page: null }) }, label);
      if (current) a.setAttribute("aria-sort", descending ? "descending" : "ascending");
      th.textContent = "";
      th.append(a);
      if (current) th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    }
  }

  async function load() {
    const status = document.getElementById("status");
    const body = document.querySelector("#events tbody");
    const pager = document.getElementById("pager");
    const params = M.filters();
    params.set("sort", sort);
    params.set("page", String(page));
    params.set("page_size", pageSize);
    try {
      const [result, labels] = await Promise.all([M.api("/api/events", params), M.meta()]);
      body.textContent = "";
      for (const ev of result.events) body.append(M.eventRow(ev, labels, false));
      const pages = Math.max(1, Math.ceil(result.total / result.page_size));
      status.textContent = "";
      if (!result.total) {
        status.append(M.t("没有符合条件的事件。", "No events match these filters."));
      } else {
        const first = (result.page - 1) * result.page_size + 1;
        const last = first + result.events.length - 1;
        const total = M.number(result.total) + (result.total_exact ? "" : "+");
        status.append(M.t(`共 ${total} 个事件，第 ${first}–${last} 个`, `${total} events, showing ${first}–${last}`));
      }
      pager.textContent = "";
      if (pages > 1) {
        if (result.page > 1) pager.append(M.el("a", { class: "button", href: link({ page: result.page - 1 }), rel: "prev" }, M.t("← 上一页", "← Previous")));
        pager.append(M.el("span", { class: "current" }, `${result.page} / ${M.number(pages)}`));
        if (result.page < pages) pager.append(M.el("a", { class: "button", href: link({ page: result.page + 1 }), rel: "next" }, M.t("下一页 →", "Next →")));
      }
      document.body.dataset.loaded = "events";
    } catch (error) {
      M.showError(status, error);
      document.body.dataset.loaded = "error";
    }
  }

  /** The download links: the table's filters and sort, every matching event (not just this page). */
  function downloads() {
    const params = M.filters();
    params.set("sort", sort);
    for (const format of ["csv", "jsonl"]) {
      const link = document.getElementById("download-" + format);
      if (link) link.href = `/api/events.${format}?` + params.toString();
    }
  }

  headers();
  downloads();
  load();
})();
