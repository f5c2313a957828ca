// A session's conversation as it happens, for the student's live page and the teacher's watch page alike: the
// turns (transcript.js), the notes the tutor takes under them, the lesson's words as chips with their latest
// state, and the objectives ticked as they are met. `show(message)` takes any protocol v1 message
// (docs/protocol.md) and renders those it is about; a new kind of note is one entry in NOTES below.

import { gettext } from "./i18n.js";
import { Transcript } from "./transcript.js";

// How each kind of note is shown: the message's "type" is the note's kind (tutor/events.py, `Note`).
const NOTES = {
  correction: (conversation, note) => conversation.transcript.addCorrection(note),
  pronunciation: (conversation, note) => conversation.transcript.addPronunciation(note),
  vocabulary: (conversation, note) => conversation.markWord(note.word, note.status),
  objective: (conversation, note) => conversation.tickObjective(note.objective),
};

export class Conversation {
  // `transcript`: the <ol> of turns; `words`: the <ul class="chips"> of the lesson's words; `objectives`: the
  // <ul class="objectives"> (either may be missing). Options as Transcript's.
  constructor({ transcript, words, objectives, ...options }) {
    this.transcript = new Transcript(transcript, options);
    this.words = words;
    this.objectives = objectives;
    this.language = options.language;
    this.direction = options.direction;
  }

  // True if the message was about the conversation (and is now shown).
  show(message) {
    if (message.type === "transcript") {
      this.transcript.update(message);
      return true;
    }
    if (message.type === "turn_complete") {
      this.transcript.complete(message.turn);
      return true;
    }
    const note = NOTES[message.type];
    if (note) note(this, message);
    return Boolean(note);
  }

  // One chip per word, showing its latest state; "learned" is never taken back by a later "used".
  markWord(word, status) {
    if (!this.words) return;
    let chip = [...this.words.querySelectorAll(".chip")].find((item) => item.dataset.term === word);
    if (!chip) {
      chip = document.createElement("li");
      chip.className = "chip";
      chip.dataset.term = word;
      const term = document.createElement("span");
      term.className = "chip-term";
      term.lang = this.language;
      term.dir = this.direction;
      term.textContent = word;
      const state = document.createElement("span");
      state.className = "chip-state";
      chip.append(term, " ", state);
      this.words.querySelector(".muted")?.remove();
      this.words.append(chip);
    }
    if (chip.classList.contains("learned")) return;
    chip.classList.remove("used");
    chip.classList.add(status);
    chip.querySelector(".chip-state").textContent = status === "learned" ? gettext("learned") : gettext("used");
  }

  // The lesson's objectives are listed from the start; one met is ticked (one not listed is added, ticked).
  tickObjective(text) {
    if (!this.objectives) return;
    let item = [...this.objectives.querySelectorAll(".objective")].find((entry) => entry.dataset.objective === text);
    if (!item) {
      item = document.createElement("li");
      item.className = "objective";
      item.dataset.objective = text;
      const state = document.createElement("span");
      state.className = "visually-hidden objective-state";
      const tick = Object.assign(document.createElement("span"), { className: "tick" });
      const label = Object.assign(document.createElement("span"), { textContent: text, dir: "auto" });
      item.append(tick, " ", label, " ", state);
      this.objectives.querySelector(".muted")?.remove();
      this.objectives.append(item);
    }
    item.classList.add("met");
    item.querySelector(".objective-state").textContent = gettext("(done)");
  }
}
