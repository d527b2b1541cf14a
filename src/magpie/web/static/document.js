/* Document page: link each event card to its highlighted evidence in the article, both ways. */
"use strict";
(function () {
  const text = document.getElementById("text");
  if (!text) return;
  const marks = Array.from(text.querySelectorAll("mark[data-ev]"));
  const cards = Array.from(document.querySelectorAll(".card[data-index]"));
  const marksOf = (index) => marks.filter((m) => m.dataset.ev.split(" ").includes(String(index)));

  function light(index, cls, on) {
    for (const mark of marksOf(index)) mark.classList.toggle(cls, on);
  }

  for (const card of cards) {
    const index = card.dataset.index;
    card.addEventListener("mouseenter", () => light(index, "active", true));
    card.addEventListener("mouseleave", () => light(index, "active", false));
    card.addEventListener("focus", () => light(index, "active", true));
    card.addEventListener("blur", () => light(index, "active", false));
    card.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target === card) {
        const first = text.querySelector("mark.evidence.active") || marksOf(index)[0];
        if (first) first.scrollIntoView({ block: "center" });
      }
    });
  }
  for (const mark of marks) {
    mark.addEventListener("click", () => {
      const card = cards.find((c) => c.dataset.index === mark.dataset.ev.split(" ")[0]);
      if (card) { card.scrollIntoView({ block: "nearest" }); card.focus({ preventScroll: true }); }
    });
  }
  for (const button of document.querySelectorAll("button.goto")) {
    button.addEventListener("click", () => {
      const start = Number(button.dataset.start);
      const target = marksOf(button.dataset.ev).find((m) => {
        let offset = 0;
        for (let node = text.firstChild; node && node !== m; node = node.nextSibling) offset += node.textContent.length;
        return offset >= start;
      }) || marksOf(button.dataset.ev)[0];
      if (target) {
        target.scrollIntoView({ block: "center" });
        target.classList.add("active");
        setTimeout(() => target.classList.remove("active"), 1500);
      }
    });
  }
  const toggle = document.getElementById("show-removed");
  if (toggle) toggle.addEventListener("change", () => text.classList.toggle("show-removed", toggle.checked));

  // ?event=N: the event the reader came for — its card and its evidence marked, in view
  const wanted = new URLSearchParams(location.search).get("event");
  const card = wanted && cards.find((c) => c.dataset.gid === wanted);
  if (card) {
    card.classList.add("current");
    for (const mark of marksOf(card.dataset.index)) mark.classList.add("current");
    const first = text.querySelector("mark.current.evidence") || text.querySelector("mark.current");
    if (first) first.scrollIntoView({ block: "center" });
    card.scrollIntoView({ block: "nearest" });
  }
  const back = document.getElementById("back");
  if (back && document.referrer) {
    try {
      const from = new URL(document.referrer);
      if (from.origin === location.origin && from.pathname !== location.pathname) back.href = from.pathname + from.search;
    } catch (e) { /* keep the default */ }
  }
  document.body.dataset.loaded = "document";
})();
