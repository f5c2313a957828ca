// The "take your time" cue: shown while a student who has started to answer pauses, for as long as the
// tutor still waits for them (the lesson's patience: the silence that ends their turn). Speaking again,
// the tutor speaking, or a transcript that closes the turn hides it.
//
// The server says when (`listening` messages, docs/turn-taking.md): it hears whether the answer sounds
// finished, which the page cannot. Until the first of them, the page guesses from the microphone's level.

const SPEECH_LEVEL = 0.02; // the RMS of a microphone frame that counts as speech (about -34 dBFS)
const SPEECH_MS = 200; // this much speech means an answer is under way
const CUE_AFTER_MS = 450; // a pause this long shows the cue

export class PauseCue {
  constructor({ element, turnSilenceMs }) {
    this.element = element;
    this.turnSilenceMs = turnSilenceMs;
    this.fromServer = false;
    this.reset();
  }

  // A `listening` message: from now on the server alone decides.
  listening(state) {
    this.fromServer = true;
    this.show(state === "thinking");
  }

  // Called with each microphone frame's level.
  level(rms, now = performance.now()) {
    if (this.fromServer) return;
    if (rms >= SPEECH_LEVEL) {
      if (this.lastFrameAt !== null && this.lastSpeechAt === this.lastFrameAt) {
        this.speechMs += now - this.lastFrameAt;
      }
      this.lastSpeechAt = now;
    }
    this.lastFrameAt = now;
    const paused = this.lastSpeechAt === null ? 0 : now - this.lastSpeechAt;
    if (paused >= this.turnSilenceMs) {
      this.reset(); // the turn is over: the tutor answers now
      return;
    }
    this.show(this.speechMs >= SPEECH_MS && paused >= CUE_AFTER_MS && this.turnSilenceMs > CUE_AFTER_MS);
  }

  // The turn ended or the tutor took it.
  reset() {
    this.speechMs = 0;
    this.lastSpeechAt = null;
    this.lastFrameAt = null;
    this.show(false);
  }

  show(visible) {
    if (this.element.hidden === !visible) return;
    this.element.hidden = !visible;
    document.getElementById("live-session").dataset.pausing = visible ? "true" : "false";
  }
}
