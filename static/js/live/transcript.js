// The transcript, which is also the live page's caption: one item per turn, replaced (not appended) as the
// server sends each turn's text so far, corrections and pronunciation notes under the student's line, and the
// pictures the student sent (and how long they shared a camera or screen). Keyed by turn number, so the replay
// after a reconnect adds nothing twice. The student's live page and the teacher's watch page both use it,
// through conversation.js.

import { format, gettext } from "./i18n.js";

const FOLLOW_MARGIN_PX = 80;

export class Transcript {
  // `student`: how the student's turns are labelled ("You" on their own page, their name for a teacher);
  // `unheard`: what a student turn that was heard but not caught says.
  constructor(list, { persona, language, direction, categories, student, unheard }) {
    this.list = list;
    this.persona = persona;
    this.student = student || gettext("You");
    this.unheard = unheard || gettext("I heard you, but did not catch the words. Say it again, or type your answer.");
    this.language = language;
    this.direction = direction;
    this.categories = categories;
    this.turns = new Map();
    this.notes = new Set(); // the notes shown, by kind and content
  }

  update({ role, turn, text, final }) {
    const follow = this.nearBottom();
    const item = this.turns.get(turn) || this.createTurn(role, turn);
    const said = item.querySelector(".said");
    const unheard = role === "student" && final && !text;
    item.classList.toggle("partial", !final);
    item.classList.toggle("unheard", unheard);
    item.setAttribute("aria-busy", final ? "false" : "true");
    if (unheard) {
      said.removeAttribute("lang");
      said.removeAttribute("dir");
      said.textContent = this.unheard;
    } else {
      said.setAttribute("lang", this.language);
      said.setAttribute("dir", this.direction);
      said.textContent = text;
    }
    if (follow) this.scrollToEnd();
  }

  // The tutor's turn is over (what it says is final).
  complete(turn) {
    const item = this.turns.get(turn);
    if (!item) return;
    item.classList.remove("partial");
    item.setAttribute("aria-busy", "false");
  }

  // `rule`: why, one named line a mistake ("Conjugation of «vouloir»: …"), each shown on its own line.
  addCorrection({ turn, original, corrected, explanation, category, rule }) {
    const box = document.createElement("div");
    box.className = "correction";
    box.dataset.category = category;
    box.append(
      hidden(gettext("Correction:") + " "),
      element("s", original, this.language, { dir: this.direction }),
      " ",
      element("span", "→", null, { "aria-hidden": "true" }),
      hidden(" " + gettext("should be") + " "),
      " ",
      element("strong", corrected, this.language, { dir: this.direction }),
      " ",
      element("span", this.categories[category] || category, null, { class: "badge category" }),
    );
    if (explanation) box.append(" ", element("span", explanation, null, { class: "explanation" }));
    const lines = (rule || "").split("\n").filter((line) => line.trim());
    if (lines.length) {
      const why = element("span", "", null, { class: "rule", dir: "auto" });
      why.append(hidden(gettext("Why:") + " "));
      lines.forEach((line, index) => why.append(...(index ? [document.createElement("br")] : []), line));
      box.append(" ", why);
    }
    this.underTurn(turn, ["correction", turn, original, corrected].join("\u0000"), box);
  }

  addPronunciation({ turn, word, heard_as: heardAs, tip, estimate }) {
    const box = document.createElement("div");
    box.className = "pronunciation";
    box.append(hidden(gettext("Pronunciation:") + " "), element("strong", word, this.language));
    if (heardAs) {
      box.append(" ", element("span", format(gettext("sounded like «%(heard)s»"), { heard: heardAs }), null, { class: "heard" }));
    }
    if (estimate) box.append(" ", element("span", gettext("an estimate"), null, { class: "badge estimate" }));
    if (tip) box.append(" ", element("span", tip, null, { class: "explanation" }));
    this.underTurn(turn, ["pronunciation", turn, word, heardAs].join("\u0000"), box);
  }

  // A note's box under the student turn it is about (or the latest one), once per `key`: a page that
  // reconnects is sent every note again.
  underTurn(turn, key, box) {
    if (this.notes.has(key)) return;
    this.notes.add(key);
    const follow = this.nearBottom();
    const host = (turn !== null && this.turns.get(turn)) || this.lastStudentTurn() || this.appendItem("turn student");
    host.append(box);
    if (follow) this.scrollToEnd();
  }

  addPicture(dataUrl, source) {
    const item = this.appendItem("turn student picture");
    item.append(element("span", gettext("You"), null, { class: "speaker" }));
    const image = document.createElement("img");
    image.src = dataUrl;
    image.alt = source === "upload" ? gettext("The picture you sent") : gettext("The snapshot you sent");
    const caption = element("p", source === "upload" ? gettext("You sent a picture.") : gettext("You sent a snapshot."));
    caption.className = "said";
    item.append(image, caption);
    this.scrollToEnd();
  }

  // A line of the page's own about what the student did, such as how long they shared their camera:
  // not a turn, and not stored (a frame of a shared camera is not shown as a picture either).
  addNote(text) {
    const item = this.appendItem("turn student note");
    item.append(element("span", gettext("You"), null, { class: "speaker" }), element("p", text, null, { class: "said" }));
    this.scrollToEnd();
  }

  createTurn(role, turn) {
    const item = document.createElement("li");
    item.className = "turn " + role;
    item.dataset.turn = String(turn);
    const speaker = role === "tutor" ? this.persona : this.student;
    item.append(element("span", speaker, null, { class: "speaker" }), element("p", "", null, { class: "said" }));
    const after = [...this.turns.entries()].filter(([n]) => n > turn).sort(([a], [b]) => a - b)[0];
    if (after) this.list.insertBefore(item, after[1]);
    else this.list.append(item);
    this.turns.set(turn, item);
    return item;
  }

  appendItem(className) {
    const item = document.createElement("li");
    item.className = className;
    this.list.append(item);
    return item;
  }

  lastStudentTurn() {
    const students = [...this.turns.entries()].filter(([, item]) => item.classList.contains("student"));
    return students.length ? students.sort(([a], [b]) => b - a)[0][1] : null;
  }

  nearBottom() {
    const list = this.list;
    return list.scrollHeight - list.scrollTop - list.clientHeight < FOLLOW_MARGIN_PX;
  }

  scrollToEnd() {
    this.list.scrollTop = this.list.scrollHeight;
  }

  get size() {
    return this.turns.size;
  }
}

function element(tag, text, lang, attributes = {}) {
  const node = document.createElement(tag);
  node.textContent = text;
  if (lang) node.setAttribute("lang", lang);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function hidden(text) {
  return element("span", text, null, { class: "visually-hidden" });
}
