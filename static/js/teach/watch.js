// A teacher's live view of a session, read-only, over /ws/watch/<id>/: browser protocol v1 (docs/protocol.md)
// plus a first "watching" message. The conversation is rendered by the same module as the student's live page.

import { Conversation } from "../live/conversation.js";
import { gettext } from "../live/i18n.js";

const root = document.getElementById("watch");
const text = root.dataset;
const state = document.querySelector("[data-watch-state]");
const transcriptList = root.querySelector("[data-transcript]");
const wordList = root.querySelector(".chips");
const objectiveList = root.querySelector(".objectives");
// Each reconnection starts from the database again, so the page starts from what the server rendered.
const pristine = { words: wordList?.innerHTML, objectives: objectiveList?.innerHTML };
let conversation = null;
let retries = 0;
let finished = false;

function freshConversation() {
  transcriptList.replaceChildren(...transcriptList.querySelectorAll("[data-empty]"));
  if (wordList) wordList.innerHTML = pristine.words;
  if (objectiveList) objectiveList.innerHTML = pristine.objectives;
  return new Conversation({
    transcript: transcriptList,
    words: wordList,
    objectives: objectiveList,
    persona: text.tutor,
    student: text.student,
    unheard: gettext("(speech not recognised)"),
    language: text.language,
    direction: text.direction,
    categories: JSON.parse(document.getElementById("correction-categories").textContent),
  });
}

const STATES = {
  live: () => gettext("Live"),
  reconnecting: () => gettext("The tutor service is reconnecting…"),
  switching: () => gettext("Live"),
  failover: () => gettext("Switching tutor voice…"),
  ending: () => gettext("Ending…"),
};

function finish() {
  finished = true;
  state.textContent = gettext("The session has ended.");
  const link = document.createElement("a");
  link.href = text.reviewUrl;
  link.textContent = gettext("Open the full review");
  state.append(" ", link);
}

function handle(message) {
  if (message.type !== "transcript" || message.text) transcriptList.querySelector("[data-empty]")?.remove();
  if (conversation.show(message)) return;
  switch (message.type) {
    case "watching":
      state.textContent = message.status === "live" ? STATES.live() : "";
      break;
    case "status":
      state.textContent = STATES[message.state]?.() || "";
      break;
    case "ended":
      finish();
      break;
    case "error":
      if (message.code === "forbidden") {
        finished = true;
        state.textContent = gettext("You may not watch this session.");
      }
      break;
  }
}

function connect() {
  conversation = freshConversation();
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}${text.wsPath}`);
  socket.addEventListener("open", () => {
    retries = 0;
  });
  socket.addEventListener("message", (event) => handle(JSON.parse(event.data)));
  socket.addEventListener("close", () => {
    if (finished) return;
    state.textContent = gettext("Connection lost; trying again…");
    retries += 1;
    setTimeout(connect, Math.min(30000, 1000 * 2 ** retries));
  });
}

connect();
