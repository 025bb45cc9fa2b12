// The wizard's enhancements. Every page works without them: rows are added, removed
// and ordered by the formsets' own fields, and totals are computed by the server.
(function () {
  "use strict";

  const form = document.querySelector("[data-wizard-form]");
  if (!form) return;

  // Rows: add without a page load, remove, move up and down ----------------------

  function rowsOf(section) {
    return Array.from(section.querySelectorAll("[data-rows] > [data-row]"))
      .filter((row) => !row.classList.contains("row-removed"));
  }

  function renumber(section) {
    rowsOf(section).forEach((row, index) => {
      const order = row.querySelector('input[name$="-ORDER"]');
      if (order) order.value = index + 1;
      const number = row.querySelector("[data-row-number]");
      if (number) number.textContent = index + 1;
    });
    const count = section.querySelector("[data-row-count]");
    if (count) count.textContent = rowsOf(section).length;
    const hint = section.querySelector("[data-empty-hint]");
    if (hint) hint.hidden = rowsOf(section).length > 0;
    const max = Number(section.querySelector('input[name$="-MAX_NUM_FORMS"]')?.value);
    const full = max > 0 && rowsOf(section).length >= max;
    const add = section.querySelector("[data-action=add]");
    if (add) add.disabled = full;
    const fullHint = section.querySelector("[data-full-hint]");
    if (fullHint) fullHint.hidden = !full;
  }

  // Linked rows among many: a searchable list (Tom Select), typed into or picked.
  function initPickers(root) {
    if (typeof TomSelect === "undefined") return;
    root.querySelectorAll("select[data-picker]").forEach((select) => {
      if (select.tomselect) return;
      // Filtered at each key, not after a pause: Enter picks what the user sees.
      const text = (value) => Object.assign(document.createElement("div"), {
        className: "no-results", textContent: value,
      });
      new TomSelect(select, {
        plugins: { remove_button: { title: form.dataset.labelRemove } },
        maxOptions: null,
        hideSelected: true,
        refreshThrottle: 0,
        render: { no_results: () => text(form.dataset.labelNoResults) },
      });
      // Its label now names the search field; the list itself only carries the value.
      select.setAttribute("aria-hidden", "true");
    });
  }

  // A row shown as its summary opens where it stands: its fields come from the
  // server, numbered as this page numbers the row.
  async function openRow(section, row, button) {
    let response;
    try {
      response = await fetch(button.dataset.url, { credentials: "same-origin" });
    } catch {
      response = null;
    }
    if (!response?.ok) {
      if (button.type === "submit") form.requestSubmit(button); // save, then show it
      else location.href = button.href;
      return;
    }
    const holder = document.createElement("template");
    holder.innerHTML = (await response.text()).trim();
    const opened = holder.content.firstElementChild;
    row.replaceWith(opened);
    enhance(opened);
    renumber(section);
    opened.querySelector("input:not([type=hidden]), select, textarea")?.focus();
  }

  // A blank row comes from the server once per list, asked for as soon as the
  // pointer or the focus reaches "Add", so that adding itself waits for nothing.
  const blankRows = new Map();
  function blankRow(button) {
    if (!blankRows.has(button)) {
      blankRows.set(button, fetch(button.dataset.url, { credentials: "same-origin" })
        .then((response) => (response.ok ? response.text() : Promise.reject(response)))
        .catch((error) => { blankRows.delete(button); throw error; }));
    }
    return blankRows.get(button);
  }

  async function addRow(section, button) {
    let html;
    try {
      html = await blankRow(button);
    } catch {
      form.requestSubmit(button); // save, then show the page with a blank row
      return;
    }
    const total = section.querySelector('input[name$="-TOTAL_FORMS"]');
    const index = Number(total.value);
    const holder = document.createElement("template");
    holder.innerHTML = html.replace(/__prefix__/g, String(index)).trim();
    const row = holder.content.firstElementChild;
    row.removeAttribute("id");
    section.querySelector("[data-rows]").appendChild(row);
    total.value = index + 1;
    renumber(section);
    markDirty();
    enhance(row);
    const first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  function removeRow(section, row) {
    const remove = row.querySelector('input[name$="-DELETE"]');
    if (remove) {
      remove.checked = true; // a saved row: delete it when the step is saved
      row.classList.add("row-removed");
    } else {
      row.remove(); // a new row: never sent
    }
    renumber(section);
    markDirty();
    section.querySelector("[data-action=add]")?.focus();
    updateTotals();
  }

  function moveRow(section, row, direction) {
    const rows = rowsOf(section);
    const index = rows.indexOf(row);
    const other = rows[index + direction];
    if (!other) return;
    if (direction < 0) other.before(row);
    else other.after(row);
    renumber(section);
    markDirty();
    row.querySelector(`[data-action=${direction < 0 ? "up" : "down"}]`)?.focus();
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (!button) return;
    const section = button.closest(".row-list");
    const row = button.closest("[data-row]");
    switch (button.dataset.action) {
      case "open": openRow(section, row, button); break;
      case "add": addRow(section, button); break;
      case "remove": removeRow(section, row); break;
      case "up": moveRow(section, row, -1); break;
      case "down": moveRow(section, row, +1); break;
      default: return;
    }
    event.preventDefault();
  });

  for (const type of ["pointerover", "focusin"]) {
    form.addEventListener(type, (event) => {
      const button = event.target.closest?.("[data-action=add]");
      if (button) blankRow(button).catch(() => {});
    });
  }

  document.querySelectorAll(".row-list").forEach(renumber);
  initPickers(form);

  // Markdown preview, rendered by the server's own sanitizing renderer ------------

  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;

  function addPreview(textarea) {
    const label = [form.dataset.labelPreview, form.dataset.labelEdit];
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "btn btn-link btn-sm px-0 markdown-toggle";
    toggle.setAttribute("aria-controls", textarea.id);
    // The field's name follows, for screen readers only: "Preview: Context".
    const fieldLabel = form.querySelector(`label[for="${textarea.id}"]`)?.textContent
      .trim().replace(/\*$/, "");
    const show = (text) => {
      toggle.textContent = text;
      if (!fieldLabel) return;
      const hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = `: ${fieldLabel}`;
      toggle.append(hidden);
    };
    show(label[0]);
    const preview = document.createElement("div");
    preview.className = "markdown-preview";
    preview.hidden = true;
    preview.setAttribute("aria-live", "polite");
    textarea.after(preview);
    preview.after(toggle);
    toggle.addEventListener("click", async () => {
      if (preview.hidden) {
        const body = new URLSearchParams({ text: textarea.value });
        const response = await fetch(form.dataset.previewUrl, {
          method: "POST",
          headers: { "X-CSRFToken": csrf },
          body,
          credentials: "same-origin",
        });
        // Too long a text comes back as a message saying so (413).
        const shown = response.ok || response.status === 413;
        preview.innerHTML = shown ? await response.text() : "";
        preview.style.minHeight = `${textarea.offsetHeight}px`;
      }
      preview.hidden = !preview.hidden;
      textarea.hidden = !preview.hidden;
      show(label[preview.hidden ? 0 : 1]);
    });
  }

  // What a row gets once in the page: its pickers, its Markdown previews.
  function enhance(root) {
    initPickers(root);
    root.querySelectorAll("textarea[data-markdown]").forEach(addPreview);
  }

  form.querySelectorAll("textarea[data-markdown]").forEach(addPreview);

  // Totals as the user types ---------------------------------------------------------

  function number(value) {
    const clean = String(value || "").replace(/['’\s\u00a0\u202f]/g, "");
    const normal = clean.includes(",") && !clean.includes(".") ? clean.replace(",", ".") : clean;
    const parsed = Number(normal);
    return normal !== "" && Number.isFinite(parsed) ? parsed : null;
  }

  // Numbers as the server writes them: the browser's CLDR rules for the locale,
  // with the grouping and decimal signs of the server's (Babel's) CLDR.
  const numbers = form.dataset;
  function formatter(options) {
    const intl = new Intl.NumberFormat(numbers.numberLocale || undefined, options);
    const sign = { group: numbers.numberGroup, decimal: numbers.numberDecimal };
    return {
      format: (value) => intl.formatToParts(value)
        .map((part) => (sign[part.type] ?? part.value)).join(""),
    };
  }
  const format = formatter({ minimumFractionDigits: 2, maximumFractionDigits: 2 });

  function fieldOf(row, name) {
    return row.querySelector(`[name$="-${name}"]`);
  }

  // A row's value: from its input, or, for a row shown as its summary, from the
  // values the summary carries (data-amount, data-category-label …).
  function valueOf(row, name) {
    const input = fieldOf(row, name);
    if (input) return input.value;
    return row.getAttribute(`data-${name}`) ?? "";
  }

  function labelOf(row, name) {
    const select = fieldOf(row, name);
    if (select) return select.selectedOptions[0]?.textContent || select.value;
    return row.getAttribute(`data-${name}-label`) || valueOf(row, name);
  }

  // How many times a year each period counts: the server's rule, from the page.
  const perYearTimes = JSON.parse(
    document.getElementById("budget-per-year")?.textContent || "{}",
  );

  function budgetTotals(box) {
    const section = document.getElementById("list-budget_lines");
    const byCurrency = new Map();
    const labels = new Map();
    for (const row of rowsOf(section)) {
      const amount = number(valueOf(row, "amount"));
      const currency = valueOf(row, "currency").trim().toUpperCase();
      const category = valueOf(row, "category");
      if (amount === null || !currency || !category) continue;
      labels.set(category, labelOf(row, "category"));
      const times = perYearTimes[valueOf(row, "period")];
      const perYear = times ? amount * times : 0;
      const oneOff = times ? 0 : amount;
      if (!byCurrency.has(currency)) byCurrency.set(currency, new Map());
      const categories = byCurrency.get(currency);
      const sums = categories.get(category) || [0, 0];
      categories.set(category, [sums[0] + perYear, sums[1] + oneOff]);
    }
    const order = JSON.parse(document.getElementById("budget-categories")?.textContent || "[]");
    const text = box.dataset;
    const cell = (tag, content, end) => {
      const element = document.createElement(tag);
      element.textContent = content;
      if (end) element.className = "text-end";
      return element;
    };
    box.replaceChildren();
    if (!byCurrency.size) {
      box.append(Object.assign(document.createElement("p"), {
        className: "text-secondary small mb-0", textContent: text.labelEmpty,
      }));
      return;
    }
    for (const [currency, categories] of byCurrency) {
      const table = document.createElement("table");
      table.className = "table table-sm mb-3 budget-table";
      const caption = table.createCaption();
      caption.className = "visually-hidden";
      caption.textContent = `${text.labelCaption} (${currency})`;
      const head = table.createTHead().insertRow();
      head.append(cell("th", text.labelCategory),
        cell("th", `${text.labelPerYear} (${currency})`, true),
        cell("th", `${text.labelOneOff} (${currency})`, true));
      head.querySelectorAll("th").forEach((th) => th.setAttribute("scope", "col"));
      const body = table.createTBody();
      let total = [0, 0];
      const codes = Array.from(categories.keys()).sort((a, b) => order.indexOf(a) - order.indexOf(b));
      for (const code of codes) {
        const [perYear, oneOff] = categories.get(code);
        total = [total[0] + perYear, total[1] + oneOff];
        const line = body.insertRow();
        line.append(cell("td", labels.get(code)), cell("td", format.format(perYear), true),
          cell("td", format.format(oneOff), true));
      }
      const foot = table.createTFoot().insertRow();
      foot.className = "fw-semibold";
      const totalLabel = cell("th", text.labelTotal);
      totalLabel.setAttribute("scope", "row");
      foot.append(totalLabel, cell("td", format.format(total[0]), true),
        cell("td", format.format(total[1]), true));
      box.append(table);
    }
  }

  function hoursTotal(output) {
    const section = document.getElementById("list-people");
    let total = 0;
    for (const row of rowsOf(section)) total += number(valueOf(row, "hours_per_week")) || 0;
    output.textContent = formatter({ maximumFractionDigits: 1 }).format(total);
  }

  function updateTotals() {
    const budget = document.querySelector("[data-budget-totals]");
    if (budget) budgetTotals(budget);
    const hours = document.querySelector("[data-hours-total]");
    if (hours) hoursTotal(hours);
  }

  // Unsaved changes: warn before leaving the page without saving ------------------

  let dirty = false;
  function markDirty() { dirty = true; }

  form.addEventListener("input", () => { markDirty(); updateTotals(); });
  form.addEventListener("change", () => { markDirty(); updateTotals(); });
  form.addEventListener("submit", () => {
    dirty = false;
    for (const type of ["pointerover", "focusin"]) {
    form.addEventListener(type, (event) => {
      const button = event.target.closest?.("[data-action=add]");
      if (button) blankRow(button).catch(() => {});
    });
  }

  document.querySelectorAll(".row-list").forEach(renumber);
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) event.preventDefault();
  });

  // A link to a row ("Fix" on the review step) opens it and puts the focus inside.
  function revealTarget() {
    if (!location.hash) return;
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return;
    const opener = target.matches("[data-summary]") && target.querySelector("[data-action=open]");
    if (opener) {
      opener.click();
      return;
    }
    const details = target.closest("details");
    if (details) details.open = true;
    target.scrollIntoView({ block: "start" });
    target.querySelector("input:not([type=hidden]), select, textarea")?.focus({ preventScroll: true });
  }
  window.addEventListener("hashchange", revealTarget);
  revealTarget(); // open the row at once…
  window.addEventListener("load", () => requestAnimationFrame(revealTarget)); // …and focus it after the browser's own jump

  // On a phone the progress bar scrolls sideways: keep the current step in view.
  const active = document.querySelector(".step-link.active");
  const steps = active?.closest("ol");
  if (steps && steps.scrollWidth > steps.clientWidth) {
    steps.scrollLeft = active.offsetLeft - (steps.clientWidth - active.offsetWidth) / 2;
  }

  // Errors: focus the summary so keyboard and screen reader users hear it first.
  document.getElementById("error-summary")?.focus();
})();
