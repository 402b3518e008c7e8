// Draws every chart spec on the page with the locally served Vega libraries (SVG, no actions menu).
document.addEventListener("DOMContentLoaded", () => {
  // parts that take longer (lookalikes) arrive after the page shows: server-rendered, escaped HTML
  for (const slot of document.querySelectorAll("[data-src]")) {
    fetch(slot.dataset.src).then((r) => r.text()).then((html) => { slot.innerHTML = html; slot.dataset.loaded = "true"; });
  }
  for (const block of document.querySelectorAll("script.chart-spec")) {
    const target = document.getElementById(block.dataset.target);
    if (!target || typeof vegaEmbed === "undefined") continue;
    vegaEmbed(target, JSON.parse(block.textContent), {renderer: "svg", actions: false})
      .then(() => target.setAttribute("data-drawn", "true"))
      .catch((e) => { target.textContent = "The chart could not be drawn: " + e; });
  }
});
