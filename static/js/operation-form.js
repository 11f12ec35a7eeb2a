// The operation form: add and remove rows in place, keep seizure links and numbers right,
// narrow commodities and units to the category, show the kg equivalent while typing,
// and do not let typed work be lost. Without this file the form still works: the
// "Add" and "Remove" buttons are submit buttons the server answers.
"use strict";
(() => {
  const form = document.getElementById("operation-form");
  if (!form) return;
  const unitsByCategory = JSON.parse(form.dataset.units || "{}");
  const KG_PER_UNIT = { kg: 1, g: 0.001 };
  let dirty = false;  // typed since the page loaded, and not yet sent

  const rowsOf = (section) => Array.from(section.querySelectorAll(".row-list > .row"));
  const sectionOf = (kind) => form.querySelector(`[data-rows="${kind}"]`);

  function renumber(section) {
    const rows = rowsOf(section);
    rows.forEach((row, i) => { row.querySelector(".row-number").textContent = String(i + 1); });
    const count = section.querySelector("[data-role=count]");
    if (count) count.textContent = String(rows.length);
  }

  // Persons and vehicles point at seizures by number: offer exactly the seizures on the form.
  function refreshSeizureLinks(removedNumber) {
    const seizures = sectionOf("seizure");
    const total = seizures ? rowsOf(seizures).length : 0;
    form.querySelectorAll("select[data-role=seizure-link]").forEach((select) => {
      let value = parseInt(select.value, 10) || 0;
      if (removedNumber && value === removedNumber) value = 0;
      else if (removedNumber && value > removedNumber) value -= 1;
      const none = select.options[0].textContent;
      select.replaceChildren(new Option(none, ""));
      for (let n = 1; n <= total; n += 1) {
        select.add(new Option(`${form.dataset.seizureLabel || "Seizure"} ${n}`, String(n)));
      }
      select.value = value ? String(value) : "";
    });
  }

  function addRow(kind) {
    const section = sectionOf(kind);
    const template = section.querySelector(`template[data-template="${kind}"]`);
    const index = parseInt(section.dataset.nextIndex, 10) || 0;
    section.dataset.nextIndex = String(index + 1);
    const html = template.innerHTML.replaceAll("__index__", String(index));
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const row = holder.firstElementChild;
    section.querySelector(".row-list").append(row);
    wireRow(row);
    renumber(section);
    refreshSeizureLinks(0);
    const first = row.querySelector("input:not([type=hidden]), select");
    if (first) first.focus();
  }

  function removeRow(row) {
    const section = row.closest("[data-rows]");
    const number = rowsOf(section).indexOf(row) + 1;
    row.remove();
    renumber(section);
    refreshSeizureLinks(section.dataset.rows === "seizure" ? number : 0);
  }

  // --- seizure rows: category narrows commodity and unit; the kg equivalent follows ----
  function narrow(select, allowed) {
    let keep = false;
    Array.from(select.options).forEach((option) => {
      const fits = option.value === "" || allowed(option);
      option.hidden = !fits;
      option.disabled = !fits;
      if (fits && option.selected) keep = true;
    });
    if (!keep) select.value = "";
  }

  function onCategory(row) {
    const category = row.querySelector("[data-role=category]").value;
    if (!category) return;
    narrow(row.querySelector("[data-role=commodity]"), (o) => o.dataset.category === category);
    const units = unitsByCategory[category] || [];
    const unit = row.querySelector("[data-role=unit]");
    narrow(unit, (o) => units.includes(o.value));
    if (!unit.value && units.length) unit.value = units[0];
  }

  function onCommodity(row) {
    const option = row.querySelector("[data-role=commodity]").selectedOptions[0];
    const category = row.querySelector("[data-role=category]");
    if (option && option.dataset.category && category.value !== option.dataset.category) {
      category.value = option.dataset.category;
      onCategory(row);
    }
  }

  function kgFactor(option, unit) {
    if (unit in KG_PER_UNIT) return KG_PER_UNIT[unit];
    if (unit === "l") return parseFloat(option.dataset.kgPerL) || null;
    if (unit === "tablets") return parseFloat(option.dataset.kgPerTablet) || null;
    return null;
  }

  function showKg(row) {
    const out = row.querySelector("[data-role=kg-eq]");
    if (!out) return;
    const option = row.querySelector("[data-role=commodity]").selectedOptions[0];
    const unit = row.querySelector("[data-role=unit]").value;
    const qty = parseFloat((row.querySelector("[data-role=quantity]").value || "").replace(/[\s']/g, "").replace(",", "."));
    const drugLike = option && ["drugs", "precursors"].includes(option.dataset.category);
    const factor = drugLike ? kgFactor(option, unit) : null;
    out.textContent = factor && qty > 0
      ? `≈ ${(qty * factor).toLocaleString(document.documentElement.lang || undefined, { maximumFractionDigits: 3 })} ${form.dataset.kgLabel || "kg equivalent"}`
      : "";
  }

  function wireRow(row) {
    if (row.dataset.row !== "seizure") return;
    const category = row.querySelector("[data-role=category]");
    category.addEventListener("change", () => { onCategory(row); showKg(row); });
    row.querySelector("[data-role=commodity]").addEventListener("change", () => { onCommodity(row); showKg(row); });
    row.querySelector("[data-role=unit]").addEventListener("change", () => showKg(row));
    row.querySelector("[data-role=quantity]").addEventListener("input", () => showKg(row));
    if (category.value) onCategory(row);
    showKg(row);
  }

  // --- place: a place from the list makes the "other place" fields unnecessary ----------
  const place = form.querySelector("[data-role=place]");
  const otherPlace = form.querySelector("[data-role=other-place]");
  function onPlace() {
    // a disabled fieldset is not sent, but keeps what was typed in case the user changes their mind
    const listed = Boolean(place.value);
    otherPlace.disabled = listed;
    otherPlace.classList.toggle("is-off", listed);
  }
  if (place && otherPlace) { place.addEventListener("change", onPlace); onPlace(); }

  // --- buttons ------------------------------------------------------------------------------
  form.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add-row]");
    const remove = event.target.closest("[data-remove-row]");
    if (add) { event.preventDefault(); addRow(add.dataset.addRow); dirty = true; }
    if (remove) { event.preventDefault(); removeRow(remove.closest(".row")); dirty = true; }
  });
  form.querySelectorAll(".row-list > .row").forEach(wireRow);

  // after a refused save, take the user to the first field to correct
  const firstError = form.querySelector(".has-error input:not([type=hidden]), .has-error select, .has-error textarea");
  if (firstError) {
    firstError.scrollIntoView({ block: "center" });
    firstError.focus({ preventScroll: true });
  }

  // --- no lost work ---------------------------------------------------------------------------
  let lastPing = Date.now();
  const PING_EVERY_MS = 5 * 60 * 1000;
  form.addEventListener("input", () => {
    dirty = true;
    // someone typing is not idle: keep their session alive while they write a long report
    if (Date.now() - lastPing > PING_EVERY_MS && form.dataset.keepalive) {
      lastPing = Date.now();
      fetch(form.dataset.keepalive, { credentials: "same-origin", cache: "no-store" }).catch(() => {});
    }
  });
  // A field required only while another is filled in (a document's type, once its number is typed):
  // its mark follows that other field, as the server's check will.
  form.addEventListener("input", (event) => {
    const name = event.target.name;
    if (!name) return;
    form.querySelectorAll(`[data-required-if="${CSS.escape(name)}"]`).forEach((mark) => {
      mark.hidden = event.target.value.trim() === "";
    });
  });
  form.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
