// The lesson form: voices that fit the chosen provider, rows added without a reload, and the
// instruction preview kept up to date as the teacher types. Without this script the form still works.
"use strict";

(function () {
  const form = document.getElementById("lesson-form");
  if (!form) return;

  // ---- provider -> voice --------------------------------------------------------------------
  const data = JSON.parse(document.getElementById("voices-data").textContent);
  const provider = form.elements.namedItem("provider");
  const voice = form.elements.namedItem("voice");
  const defaultLabel = voice.options[0].textContent;

  function offerVoices() {
    const chosen = voice.value;
    const voices = data.voices[provider.value] || [];
    voice.replaceChildren(new Option(defaultLabel, ""));
    for (const name of voices) {
      const label = name === data.defaults[provider.value] ? `${name} (${form.dataset.defaultWord})` : name;
      voice.add(new Option(label, name));
    }
    voice.value = voices.includes(chosen) ? chosen : "";
  }
  provider.addEventListener("change", offerVoices);
  offerVoices();

  // ---- formset rows ---------------------------------------------------------------------------
  for (const button of form.querySelectorAll("[data-add-row]")) {
    const prefix = button.dataset.addRow;
    const total = form.elements.namedItem(`${prefix}-TOTAL_FORMS`);
    const max = Number(form.elements.namedItem(`${prefix}-MAX_NUM_FORMS`).value);
    const rows = form.querySelector(`[data-rows="${prefix}"]`);
    const template = document.getElementById(`${prefix}-empty`);
    button.hidden = false;
    button.addEventListener("click", () => {
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
