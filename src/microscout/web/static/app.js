// Draws every chart spec on the page with the locally served Vega libraries (SVG, no actions menu).
// Words it shows come translated from the page (data- attributes), so this file holds none.
document.addEventListener("DOMContentLoaded", () => {
  // parts that take longer (lookalikes) arrive after the page shows: server-rendered, escaped HTML
  for (const slot of document.querySelectorAll("[data-src]")) {
    fetch(slot.dataset.src).then((r) => r.text()).then((html) => { slot.innerHTML = html; slot.dataset.loaded = "true"; });
  }
  // a running import: its step and progress, until it is done or failed
  const job = document.getElementById("job");
  if (job) {
    const poll = () => fetch("/api/v1/jobs/" + job.dataset.job + "?lang=" + document.documentElement.lang)
      .then((r) => r.json()).then((j) => {
      job.querySelector(".job-step").textContent = j.state === "failed" ? job.dataset.failed + " " + j.error
        : j.step_said || j.step;
      job.querySelector("progress").value = j.progress;
      job.dataset.state = j.state;
      if (j.state === "queued" || j.state === "running") setTimeout(poll, 300);
    });
    poll();
  }
  for (const block of document.querySelectorAll("script.chart-spec")) {
    const target = document.getElementById(block.dataset.target);
    if (!target || typeof vegaEmbed === "undefined") continue;
    // ast: Vega interprets its expressions instead of compiling them with Function(), so the CSP
    // needs no unsafe-eval
    vegaEmbed(target, JSON.parse(block.textContent), {renderer: "svg", actions: false, ast: true})
      .then(() => target.setAttribute("data-drawn", "true"))
      .catch((e) => { target.textContent = document.body.dataset.chartFailed + " " + e; });
  }
});
