// The session page: while the report is being written (by a Celery task), ask the server for its
// status every few seconds and show the report as soon as it is ready.

const section = document.getElementById("report");
const WAITING = new Set(["pending", "running"]);
const FIRST_DELAY_MS = 1500;
const MAX_DELAY_MS = 10000;
const GIVE_UP_AFTER_MS = 10 * 60 * 1000;

function currentStatus() {
  const body = section.querySelector(".report-body");
  return body ? body.dataset.status : "none";
}

async function poll(delay, startedAt) {
  if (Date.now() - startedAt > GIVE_UP_AFTER_MS) return;
  let data;
  try {
    const response = await fetch(section.dataset.reportUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    data = await response.json();
  } catch {
    setTimeout(() => poll(Math.min(delay * 2, MAX_DELAY_MS), startedAt), delay);
    return;
  }
  if (data.status !== currentStatus()) {
    section.querySelector(".report-body").outerHTML = data.html;
    section.dataset.status = data.status;
    if (data.final) document.getElementById("report-status").textContent = data.status_display;
  }
  if (!data.final) setTimeout(() => poll(Math.min(delay * 1.5, MAX_DELAY_MS), startedAt), delay);
}

if (section && WAITING.has(currentStatus())) {
  setTimeout(() => poll(FIRST_DELAY_MS, Date.now()), FIRST_DELAY_MS);
}
