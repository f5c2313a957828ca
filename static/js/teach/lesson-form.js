// The lesson form: voices that fit the chosen provider, rows added without a reload, and the
// instruction preview kept up to date as the teacher types. Without this script the form still works.
"use strict";

(function () {
  const form = document.getElementById("lesson-form");
  if (!form) return;

  // ---- provider -> voice and model --------------------------------------------------------------
  const data = JSON.parse(document.getElementById("voices-data").textContent);
  const provider = form.elements.namedItem("provider");

  // Offer only the chosen provider's options in `select`; keep the choice when it still fits. `labels` names an
  // option otherwise than by its value (a model that shuts down soon says when).
  function offer(select, options, defaults, labels) {
    const chosen = select.value;
    const first = select.options[0].textContent;
    const fitting = options[provider.value] || [];
    select.replaceChildren(new Option(first, ""));
    for (const name of fitting) {
      const named = (labels && labels[name]) || name;
      const label = defaults && name === defaults[provider.value] ? `${named} (${form.dataset.defaultWord})` : named;
      select.add(new Option(label, name));
    }
    select.value = fitting.includes(chosen) ? chosen : "";
  }
  function offerAll() {
    offer(form.elements.namedItem("voice"), data.voices, data.defaults);
    offer(form.elements.namedItem("model"), data.models, null, data.model_labels);
  }
  provider.addEventListener("change", offerAll);
  offerAll();

  // ---- formset rows ---------------------------------------------------------------------------
  for (const button of form.querySelectorAll("[data-add-row]")) {
    const prefix = button.dataset.addRow;
    const total = form.elements.namedItem(`${prefix}-TOTAL_FORMS`);
    const max = Number(form.elements.namedItem(`${prefix}-MAX_NUM_FORMS`).value);
    const rows = form.querySelector(`[data-rows="${prefix}"]`);
    const template = document.getElementById(`${prefix}-empty`);
    // Without this script the button submits the form, and the server answers with one more row.
    button.addEventListener("click", (event) => {
      event.preventDefault();
      const index = Number(total.value);
      if (index >= max) return;
      const html = template.innerHTML.replaceAll("__prefix__", String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const added = rows.lastElementChild;
      added.querySelector("input, textarea")?.focus();
      schedulePreview();
    });
  }

  // ---- instruction preview --------------------------------------------------------------------
  const pane = form.querySelector("[data-preview]");
  const status = form.querySelector("[data-preview-status]");
  const previewButton = form.querySelector("[data-preview-button]");
  let timer = null;
  let inFlight = null;

  // Only a preview the teacher asked for is announced: one after every keystroke would drown a screen reader.
  async function refreshPreview(announce = false) {
    inFlight?.abort();
    inFlight = new AbortController();
    const body = new FormData(form);
    try {
      const response = await fetch(form.dataset.previewUrl, {
        method: "POST",
        body,
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
        signal: inFlight.signal,
      });
      if (!response.ok) throw new Error(String(response.status));
      pane.innerHTML = await response.text();
      status.textContent = announce ? form.dataset.updated : "";
    } catch (error) {
      if (error.name === "AbortError") return;
      status.textContent = form.dataset.failed;
    }
  }

  function schedulePreview() {
    clearTimeout(timer);
    timer = setTimeout(refreshPreview, 500);
  }

  previewButton.addEventListener("click", (event) => {
    event.preventDefault();
    refreshPreview(true);
  });
  form.addEventListener("input", schedulePreview);
  form.addEventListener("change", schedulePreview);
  refreshPreview();
})();
