// Small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Ask before buttons that cannot be undone.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
  // Checkbox lists (search filters): typing narrows the list; ticked boxes always stay in view.
  document.querySelectorAll(".checklist").forEach((list) => {
    const filter = list.querySelector(".checklist-filter");
    filter.hidden = false;
    filter.addEventListener("input", () => {
      const words = filter.value.trim().toLowerCase();
      list.querySelectorAll("label.check").forEach((label) => {
        const ticked = label.querySelector("input").checked;
        label.hidden = words !== "" && !ticked && !label.textContent.toLowerCase().includes(words);
      });
    });
  });
  // Print buttons (recovery codes).
  document.querySelectorAll("[data-print]").forEach((el) => {
    el.addEventListener("click", () => window.print());
  });
});
