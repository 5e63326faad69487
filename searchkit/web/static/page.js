// searchkit's page script: brushing on the timeline, and "N similar" filled in when opened.
// Served from this server (the page's Content-Security-Policy allows no other script); it reads
// page text only through textContent, never as HTML.
"use strict";

// As the server shows page text: controls dropped, bidi controls written out as their code point.
const clean = (text) => String(text)
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, "")
  .replace(/[\u202a-\u202e\u2066-\u2069]/g, (c) => `[U+${c.codePointAt(0).toString(16).toUpperCase()}]`);

(function timeline() {
  const svg = document.getElementById("timeline");
  if (!svg) return;
  const buckets = Array.from(svg.querySelectorAll(".bucket"));
  let start = null;
  let end = null;

  const bucketAt = (event) => {  // the bar nearest the pointer, across the whole width
    const distance = (b) => {
      const box = b.getBoundingClientRect();
      return Math.abs(event.clientX - (box.left + box.right) / 2);
    };
    return buckets.reduce((best, b) => (distance(b) < distance(best) ? b : best));
  };
  const mark = () => {
    const [a, b] = [buckets.indexOf(start), buckets.indexOf(end)].sort((m, n) => m - n);
    buckets.forEach((bucket, i) => bucket.classList.toggle("brushed", i >= a && i <= b));
  };

  svg.addEventListener("dragstart", (event) => event.preventDefault());
  svg.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    start = end = bucketAt(event);
    mark();
  });
  svg.addEventListener("pointermove", (event) => {
    if (start === null) return;
    end = bucketAt(event);
    mark();
  });
  window.addEventListener("pointerup", () => {
    if (start === null) return;
    const [a, b] = [buckets.indexOf(start), buckets.indexOf(end)].sort((m, n) => m - n);
    start = end = null;
    if (a === b) { mark(); return; }  // a click: the bar's own link takes it
    const url = new URL(svg.dataset.base, window.location.href);
    url.searchParams.set("since", buckets[a].dataset.period);
    url.searchParams.set("until", buckets[b].dataset.period);
    window.location.assign(url.pathname + url.search);
  });
})();

document.querySelectorAll("details.similar").forEach((details) => {
  details.addEventListener("toggle", async () => {
    if (!details.open || details.dataset.loaded) return;
    details.dataset.loaded = "1";
    const id = encodeURIComponent(details.dataset.article);
    const response = await fetch(`/api/similar/${id}?limit=${Number(details.dataset.count)}`);
    if (!response.ok) return;
    const list = details.querySelector("ul");
    list.replaceChildren();
    for (const hit of (await response.json()).hits) {
      const link = document.createElement("a");
      link.href = `/article/${encodeURIComponent(hit.id)}`;
      link.textContent = clean(hit.title || "(untitled)");
      link.dir = "auto";
      const item = document.createElement("li");
      item.append(link, clean(` ${hit.published ? hit.published.slice(0, 10) : "undated"}${hit.source ? " · " + hit.source : ""}`));
      list.append(item);
    }
  });
});
