// The review page: the student types the answer (Enter checks it) or says it (S, or the "Say it" button), and the
// server grades it as a lesson would (practice/answers.py): right, close or wrong with the difference shown, and
// a suggested rating, focused, which any other rating overrides. Space shows the answer without answering;
// 1-4 rate; R plays the answer again. The time from the cue to the rating goes with it (FSRS's review duration).

import { format, gettext } from "./live/i18n.js";
import { Microphone, MicrophoneError } from "./live/microphone.js";

const card = document.getElementById("review-card");
const showAnswer = document.getElementById("show-answer");
const answer = document.getElementById("answer");
const audio = document.getElementById("card-audio");
const rateForm = document.getElementById("rate");
const duration = document.getElementById("duration");
const answerForm = document.getElementById("answer-form");
const typed = document.getElementById("id_answer");
const check = document.getElementById("check");
const say = document.getElementById("say");
const sayStatus = document.getElementById("say-status");
const slot = document.getElementById("answer-result-slot");
const shownAt = performance.now();

// Speech ends after this much quiet once the student has spoken; a take is at most this long.
const QUIET_MS = 900;
const MAX_TAKE_MS = 10000;
const SPEAKING_RMS = 0.02;
const FRAME_MS = 40;

function play() {
  audio.currentTime = 0;
  audio.play().catch(() => {}); // a browser that refuses autoplay still has the Play button
}

function reveal() {
  if (!answer.hidden) return;
  answer.hidden = false;
  if (showAnswer) showAnswer.hidden = true;
  card.dataset.state = "answer";
  play();
  (rateForm.querySelector("button.suggested") || rateForm.querySelector("button[value='3']")).focus();
}

function rate(value) {
  const button = rateForm.querySelector(`button[value='${value}']`);
  if (!button || answer.hidden) return;
  duration.value = String(Math.round(performance.now() - shownAt));
  rateForm.requestSubmit(button);
}

// The verdict's rating becomes the one Enter presses; the others stay a key away.
function suggest(rating) {
  for (const button of rateForm.querySelectorAll("button.rating")) {
    const suggested = rating !== null && Number(button.value) === rating;
    button.classList.toggle("suggested", suggested);
    button.classList.toggle("secondary", !suggested && (rating !== null || button.value !== "3"));
    if (suggested) button.setAttribute("aria-describedby", "suggested-rating");
    else button.removeAttribute("aria-describedby");
  }
}

function csrfToken() {
  return answerForm.querySelector("input[name='csrfmiddlewaretoken']").value;
}

async function send(body, contentType) {
  const headers = { Accept: "application/json", "X-CSRFToken": csrfToken() };
  if (contentType) headers["Content-Type"] = contentType;
  const response = await fetch(card.dataset.answerUrl, { method: "POST", body, headers, credentials: "same-origin" });
  const data = await response.json();
  if (!response.ok) throw new Error(data.error ? data.error.message : String(response.status));
  return data;
}

function graded(data) {
  slot.innerHTML = data.html;
  card.dataset.verdict = data.verdict;
  if (data.verdict === "unheard") {
    slot.querySelector("#answer-result").focus();
    return; // nothing to grade: the student says it again or types it
  }
  answerForm.hidden = true;
  suggest(data.rating);
  reveal();
}

async function checkTyped(event) {
  event.preventDefault();
  if (!typed.value.trim()) {
    typed.focus();
    return;
  }
  check.disabled = true;
  try {
    graded(await send(new FormData(answerForm)));
  } catch (error) {
    sayStatus.textContent = error.message;
  } finally {
    check.disabled = false;
  }
}

// ---- saying the answer ------------------------------------------------------------------------

class Take {
  constructor() {
    this.frames = [];
    this.spokeAt = null;
    this.quietSince = null;
    this.startedAt = performance.now();
    this.done = null;
  }

  add(pcm, rms) {
    this.frames.push(new Int16Array(pcm));
    const now = performance.now();
    if (rms >= SPEAKING_RMS) {
      this.spokeAt = this.spokeAt ?? now;
      this.quietSince = null;
    } else if (this.spokeAt !== null) {
      this.quietSince = this.quietSince ?? now;
    }
    const ended = this.quietSince !== null && now - this.quietSince >= QUIET_MS;
    if (ended || now - this.startedAt >= MAX_TAKE_MS) this.finish();
  }

  finish() {
    if (this.done) this.done();
    this.done = null;
  }

  pcm() {
    const length = this.frames.reduce((sum, frame) => sum + frame.length, 0);
    const all = new Int16Array(length);
    let offset = 0;
    for (const frame of this.frames) {
      all.set(frame, offset);
      offset += frame.length;
    }
    return all.buffer;
  }
}

const MICROPHONE_PROBLEMS = {
  denied: gettext("Microphone access is blocked: allow it for this site, or type your answer."),
  no_device: gettext("No microphone was found: type your answer."),
  busy: gettext("Another application is using the microphone: close it, or type your answer."),
  insecure: gettext("The microphone only works on a secure (https) page: type your answer."),
  unsupported: gettext("This browser cannot record audio here: type your answer."),
  failed: gettext("The microphone could not be started: type your answer."),
};

let take = null;

async function speak() {
  if (take) {
    take.finish(); // a second press ends the take
    return;
  }
  take = new Take();
  const finished = new Promise((resolve) => {
    take.done = resolve;
  });
  let microphone;
  let level = 0;
  try {
    microphone = await Microphone.open({
      workletUrl: card.dataset.captureWorklet,
      processing: JSON.parse(document.getElementById("capture-processing").textContent),
      onLevel: (rms) => {
        level = rms; // each frame's loudness comes just before the frame
      },
      onFrame: (pcm) => take && take.add(pcm, level),
      onEnded: () => take && take.finish(),
    });
  } catch (error) {
    const kind = error instanceof MicrophoneError ? error.kind : "failed";
    sayStatus.textContent = MICROPHONE_PROBLEMS[kind] || MICROPHONE_PROBLEMS.failed;
    take = null;
    return;
  }
  say.setAttribute("aria-pressed", "true");
  sayStatus.textContent = gettext("Listening… say the answer.");
  await finished;
  await microphone.close();
  const recorded = take;
  take = null;
  say.setAttribute("aria-pressed", "false");
  if (recorded.spokeAt === null) {
    sayStatus.textContent = gettext("Nothing was heard: try again, or type your answer.");
    return;
  }
  sayStatus.textContent = format(gettext("Checking what you said (%(seconds)s s)…"), {
    seconds: ((recorded.frames.length * FRAME_MS) / 1000).toFixed(1),
  });
  say.disabled = true;
  try {
    graded(await send(recorded.pcm(), "application/octet-stream"));
    sayStatus.textContent = "";
  } catch (error) {
    sayStatus.textContent = error.message;
  } finally {
    say.disabled = false;
  }
}

// ---- wiring ----------------------------------------------------------------------------------

rateForm.addEventListener("submit", () => {
  duration.value = String(Math.round(performance.now() - shownAt));
});
if (showAnswer) showAnswer.addEventListener("click", reveal);
document.getElementById("play").addEventListener("click", play);
if (answerForm) {
  answerForm.addEventListener("submit", checkTyped);
  if (navigator.mediaDevices && window.AudioWorkletNode) {
    say.hidden = false;
    say.addEventListener("click", speak);
  }
}
if (!answer.hidden) {
  // The page came back graded (no script sent the answer): the answer plays and the suggestion has the focus.
  const suggested = rateForm.querySelector("button.suggested");
  if (suggested) suggested.focus();
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest("input, textarea, select")) return;
  if (event.key === " " || (event.key === "Enter" && answer.hidden && event.target === document.body)) {
    event.preventDefault();
    reveal();
  } else if (["1", "2", "3", "4"].includes(event.key)) {
    event.preventDefault();
    rate(event.key);
  } else if (event.key === "r" || event.key === "R") {
    play();
  } else if ((event.key === "t" || event.key === "T") && answerForm && !answerForm.hidden) {
    event.preventDefault();
    typed.focus();
  } else if ((event.key === "s" || event.key === "S") && answerForm && !answerForm.hidden && !say.hidden) {
    event.preventDefault();
    speak();
  }
});
