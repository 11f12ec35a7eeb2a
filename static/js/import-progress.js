// The import page: follow a running import through its JSON progress endpoint; reload when it ends.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-progress-url]");
  if (!box) return;
  const bar = box.querySelector("progress");
  const text = box.querySelector(".progress-text");
  const labels = { checking: box.dataset.labelChecking, writing: box.dataset.labelWriting, queued: box.dataset.labelQueued };

  function show(state) {
    if (state.percent === null) bar.removeAttribute("value");  // indeterminate while SQLite writes
    else bar.value = state.percent;
    const counted = state.rows_done ? `: ${state.rows_done.toLocaleString()} / ${state.rows.toLocaleString()}` : "";
    text.textContent = (labels[state.status] || state.status) + counted;
  }

  async function poll() {
    try {
      const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const state = await response.json();
        if (state.finished) { window.location.reload(); return; }
        show(state);
      }
    } catch (error) { /* a dropped connection: try again at the next tick */ }
    window.setTimeout(poll, 1000);
  }
  poll();
});
