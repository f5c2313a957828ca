// A teacher's live view of a session: the transcript as it happens, read-only, over /ws/watch/<id>/.
// Messages are browser protocol v1 (docs/protocol.md), plus a first "watching" message.
"use strict";

(function () {
  const root = document.getElementById("watch");
  if (!root) return;
  const text = root.dataset;
  const labels = JSON.parse(document.getElementById("watch-labels").textContent);
  const transcript = root.querySelector("[data-transcript]");
  const words = root.querySelector("[data-words]");
  const objectives = root.querySelector("[data-objectives]");
  const state = document.querySelector("[data-watch-state]");
  const turns = new Map();
  let retries = 0;
  let finished = false;

  function turnItem(turn, role) {
    let item = turns.get(turn);
    if (!item) {
      transcript.querySelector("[data-empty]")?.remove();
      item = document.createElement("li");
      item.className = `turn ${role}`;
      const speaker = document.createElement("span");
      speaker.className = "speaker";
      speaker.textContent = role === "tutor" ? text.tutor : text.student;
      const said = document.createElement("p");
      said.className = "said";
      said.lang = text.language;
      said.dir = text.direction;
      item.append(speaker, said);
      // Keep turns in their numbered order even if a late transcript fills an earlier one.
      const later = [...turns.entries()].filter(([n]) => n > turn).sort((a, b) => a[0] - b[0])[0];
      transcript.insertBefore(item, later ? later[1] : null);
      turns.set(turn, item);
    }
    return item;
  }

  function showTranscript(message) {
    const item = turnItem(message.turn, message.role);
    const said = item.querySelector(".said");
    said.textContent = message.text || (message.final ? text.heard : "…");
    item.classList.toggle("partial", !message.final);
  }

  function showCorrection(message) {
    const item = message.turn === null || message.turn === undefined ? null : turns.get(message.turn);
    const line = document.createElement("p");
    line.className = "correction";
    const original = document.createElement("s");
    original.textContent = message.original;
    const corrected = document.createElement("strong");
    corrected.textContent = message.corrected;
    const category = document.createElement("span");
    category.className = "badge";
    category.textContent = labels.categories[message.category] || message.category;
    line.append(original, " → ", corrected, " ", category, ` ${message.explanation}`);
    if (item) {
      item.append(line);
    } else {
      const loose = document.createElement("li");
      loose.append(line);
      transcript.append(loose);
    }
  }

  function showPronunciation(message) {
    const item = message.turn === null || message.turn === undefined ? null : turns.get(message.turn);
    const line = document.createElement("p");
    line.className = "pronunciation";
    const word = document.createElement("strong");
    word.lang = text.language;
    word.textContent = message.word;
    line.append(word, message.heard_as ? ` (${message.heard_as})` : "", ` ${message.tip}`);
    if (message.estimate) {
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = labels.estimate;
      line.append(" ", badge);
    }
    (item || transcript).append(line);
  }

  function addNote(list, label) {
    const item = document.createElement("li");
    item.textContent = label;
    list.append(item);
  }

  function finish() {
    finished = true;
    state.textContent = text.textEnded;
    const link = document.createElement("a");
    link.href = text.reviewUrl;
    link.textContent = text.textReview;
    state.append(" ", link);
  }

  function handle(message) {
    switch (message.type) {
      case "watching":
        state.textContent = message.status === "live" ? text.textLive : "";
        break;
      case "transcript":
        showTranscript(message);
        break;
      case "turn_complete":
        turns.get(message.turn)?.classList.remove("partial");
        break;
      case "correction":
        showCorrection(message);
        break;
      case "pronunciation":
        showPronunciation(message);
        break;
      case "vocabulary":
        addNote(words, `${message.word} (${labels.statuses[message.status] || message.status})`);
        break;
      case "objective":
        addNote(objectives, message.objective);
        break;
      case "status":
        state.textContent = { live: text.textLive, reconnecting: text.textReconnecting, ending: text.textEnding }[message.state] || "";
        break;
      case "ended":
        finish();
        break;
      case "error":
        if (message.code === "forbidden") {
          finished = true;
          state.textContent = text.textForbidden;
        }
        break;
    }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${text.wsPath}`);
    socket.addEventListener("open", () => {
      retries = 0;
    });
    socket.addEventListener("message", (event) => handle(JSON.parse(event.data)));
    socket.addEventListener("close", () => {
      if (finished) return;
      state.textContent = text.textLost;
      retries += 1;
      // Every reconnection starts from the database again, so the transcript is rebuilt, not doubled.
      setTimeout(() => {
        transcript.replaceChildren(...transcript.querySelectorAll("[data-empty]"));
        words.replaceChildren();
        objectives.replaceChildren();
        turns.clear();
        connect();
      }, Math.min(30000, 1000 * 2 ** retries));
    });
  }

  connect();
})();
