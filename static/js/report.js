// The session page after the lesson: the report and the new cards are made by Celery tasks after the page
// renders, so while either is on its way, ask the server every few seconds and show each as soon as it is there.

const root = document.getElementById("lesson-end");
const report = document.getElementById("report");
const cards = document.getElementById("new-cards");
const WAITING = new Set(["pending", "running"]);
const FIRST_DELAY_MS = 1500;
const MAX_DELAY_MS = 10000;
const GIVE_UP_AFTER_MS = 10 * 60 * 1000;

function reportStatus() {
  const body = report.querySelector(".report-body");
  return body ? body.dataset.status : "none";
}

function cardsMade() {
  const body = cards && cards.querySelector(".cards-body");
  return !body || body.dataset.made === "true";
}

function waiting() {
  return WAITING.has(reportStatus()) || !cardsMade();
}

function showReport(data) {
  if (data.status === reportStatus()) return;
  report.querySelector(".report-body").outerHTML = data.html;
  if (data.final) document.getElementById("report-status").textContent = data.status_display;
}

function showCards(data) {
  if (!cards || cardsMade()) return;
  const body = cards.querySelector(".cards-body");
  const before = body.querySelectorAll("li").length;
  if (!data.cards.made && data.cards.count === before) return;
  body.outerHTML = data.cards.html;
  if (data.cards.made) document.getElementById("cards-status").textContent = data.cards.announce;
}

async function poll(delay, startedAt) {
  if (Date.now() - startedAt > GIVE_UP_AFTER_MS) return;
  let data;
  try {
    const response = await fetch(root.dataset.reportUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    data = await response.json();
  } catch {
    setTimeout(() => poll(Math.min(delay * 2, MAX_DELAY_MS), startedAt), delay);
    return;
  }
  showReport(data);
  showCards(data);
  if (waiting()) setTimeout(() => poll(Math.min(delay * 1.5, MAX_DELAY_MS), startedAt), delay);
}

if (root && waiting()) {
  setTimeout(() => poll(FIRST_DELAY_MS, Date.now()), FIRST_DELAY_MS);
}
