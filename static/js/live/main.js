// The live session page: wires the microphone, the speaker, the transcript and the controls to the
// session's WebSocket (browser protocol v1, docs/protocol.md). Everything the student reads comes from
// the template or from Django's JavaScript catalog, so the page is translated like the rest.

import { Connection } from "./connection.js";
import { format, gettext } from "./i18n.js";
import { Microphone, MicrophoneError, microphonePermission } from "./microphone.js";
import { PauseCue } from "./pause.js";
import { MIN_INTERVAL_MS, pictureFromFile } from "./pictures.js";
import { Speaker } from "./speaker.js";
import { Sharing } from "./streaming.js";
import { Conversation } from "./conversation.js";

const root = document.getElementById("live-session");
const byId = (id) => document.getElementById(id);
const ui = {
  state: byId("connection-state"),
  timer: byId("timer"),
  banner: byId("banner"),
  alert: byId("alert"),
  startPanel: byId("start-panel"),
  start: byId("start"),
  micHint: byId("mic-hint"),
  controls: byId("controls"),
  micToggle: byId("mic-toggle"),
  meter: byId("mic-meter"),
  level: byId("mic-level"),
  speaking: byId("tutor-speaking"),
  takeYourTime: byId("take-your-time"),
  end: byId("end"),
  transcript: byId("transcript"),
  notice: byId("notice"),
  typed: byId("typed"),
  typedText: byId("typed-text"),
  typedSend: byId("typed-send"),
  pictureFile: byId("picture-file"),
  pictureUpload: byId("picture-upload"),
  camera: byId("camera"),
  screen: byId("screen"),
  shareCamera: byId("share-camera"),
  shareScreen: byId("share-screen"),
  sharingUnavailable: byId("sharing-unavailable"),
  sharingState: byId("sharing-state"),
  snapshotPanel: byId("snapshot-panel"),
  snapshotVideo: byId("snapshot-video"),
  snapshotSend: byId("snapshot-send"),
  snapshotStop: byId("snapshot-stop"),
};

const STATE_LABELS = {
  idle: gettext("Not started"),
  connecting: gettext("Connecting…"),
  live: gettext("Live"),
  reconnecting: gettext("Reconnecting…"),
  paused: gettext("Paused"),
  ending: gettext("Ending…"),
  over: gettext("Ended"),
};

const MICROPHONE_PROBLEMS = {
  denied: gettext(
    "Microphone access is blocked. To talk, allow the microphone for this site in your browser's settings, then reload the page. Meanwhile you can type your answers.",
  ),
  no_device: gettext("No microphone was found. Plug one in and reload the page, or type your answers."),
  busy: gettext("Another application is using the microphone. Close it and reload the page, or type your answers."),
  insecure: gettext("The microphone only works on a secure (https) page. You can type your answers."),
  unsupported: gettext("This browser cannot record audio here. You can type your answers."),
  failed: gettext("The microphone could not be started. You can type your answers."),
  lost: gettext("The microphone stopped (unplugged, or access withdrawn). You can type your answers."),
};

const NOTICES = {
  bad_image: gettext("The tutor could not read that picture. Try another one."),
  too_large: gettext("That was too large to send."),
  too_fast: gettext("That came too fast: wait a moment, then send it again."),
};

// Fatal errors of the tutor service, in the page's language (the server's words are English).
const FAILURES = {
  provider_unavailable: gettext("The tutor can't be reached right now. Everything said so far is saved: try again in a few minutes."),
  provider_refused: gettext("The tutor service turned this session down. Everything said so far is saved; the site's administrator can see what to fix."),
};

// Fatal errors that a close code follows: the close handler explains them.
const CLOSING_ERRORS = new Set(["forbidden", "ended", "replaced", "too_fast", "unavailable"]); // unavailable: retried
const SPEAKING_HOLD_MS = 250;
const END_FALLBACK_MS = 10000;
const CLOSING_AUDIO_MAX_MS = 15000; // at most this long for the tutor's last words to play out after `ended`

class LiveSession {
  constructor() {
    this.reportUrl = root.dataset.reportUrl;
    this.persona = root.dataset.persona;
    this.language = root.dataset.language;
    this.direction = root.dataset.direction;
    this.processing = JSON.parse(byId("capture-processing").textContent);
    this.conversation = new Conversation({
      transcript: ui.transcript,
      words: document.querySelector(".live-side .chips"),
      objectives: document.querySelector(".live-side .objectives"),
      persona: this.persona,
      language: this.language,
      direction: this.direction,
      categories: JSON.parse(byId("correction-categories").textContent),
    });
    this.transcript = this.conversation.transcript;
    this.connection = new Connection(root.dataset.wsPath, {
      onMessage: (message) => this.receive(message),
      onAudio: (buffer) => this.speaker && this.speaker.push(buffer),
      onReconnecting: () => this.dropped(),
      onClosed: (kind) => this.closed(kind),
    });
    this.speaker = null;
    this.microphone = null;
    this.micMuted = false;
    this.level = 0;
    this.deadline = null;
    this.warnedLastMinute = false;
    this.endRequested = false;
    this.fatal = false;
    this.over = false;
    this.speakingTimer = null;
    this.pauseCue = new PauseCue({
      element: ui.takeYourTime,
      turnSilenceMs: Number(root.dataset.turnSilenceMs) || 0,
    });
    this.canSee = false; // the tutor can see pictures (not the offline one): from `ready`
    this.sharing = new Sharing({
      ui: {
        camera: ui.camera,
        screen: ui.screen,
        panel: ui.snapshotPanel,
        video: ui.snapshotVideo,
        snapshot: ui.snapshotSend,
        stop: ui.snapshotStop,
        badge: ui.sharingState,
        shareCamera: ui.shareCamera,
        shareScreen: ui.shareScreen,
        unavailable: ui.sharingUnavailable,
      },
      sendFrame: ({ mime, data }) => this.connection.sendFrame({ type: "image", stream: true, mime, data }),
      notify: (text) => this.showNotice(text),
      onShared: (text) => this.transcript.addNote(text),
    });
    this.lastPictureAt = 0;
    this.noticeTimer = null;
  }

  // ---- starting -------------------------------------------------------------------------------

  async start() {
    ui.start.disabled = true;
    this.setState("connecting");
    try {
      this.speaker = new Speaker({
        workletUrl: root.dataset.playbackWorklet,
        onSpeaking: (speaking) => this.tutorSpeaking(speaking),
        onPlaybackCut: (turn, playedMs) => this.connection.send({ type: "playback", turn, played_ms: playedMs }),
      });
      await this.speaker.start();
    } catch {
      this.speaker = null;
      this.showAlert(gettext("This browser cannot play the tutor's voice. You can still read and type."));
    }
    try {
      this.microphone = await Microphone.open({
        workletUrl: root.dataset.captureWorklet,
        processing: this.processing,
        onFrame: (pcm) => this.connection.sendAudio(pcm),
        onLevel: (rms) => {
          this.level = rms;
          if (!this.micMuted) this.pauseCue.level(rms);
        },
        onEnded: () => this.microphoneLost(),
      });
      ui.micToggle.disabled = false;
      requestAnimationFrame(() => this.drawLevel());
    } catch (error) {
      const kind = error instanceof MicrophoneError ? error.kind : "failed";
      this.showAlert(MICROPHONE_PROBLEMS[kind] || MICROPHONE_PROBLEMS.failed);
      root.dataset.microphone = kind;
      ui.micToggle.hidden = true;
      ui.meter.hidden = true;
    }
    ui.startPanel.hidden = true;
    ui.controls.hidden = false;
    (this.microphone ? ui.micToggle : ui.end).focus(); // the start button is gone: keep keyboard focus nearby
    this.connection.open();
  }

  microphoneLost() {
    if (this.microphone) this.microphone.close();
    this.microphone = null;
    this.level = 0;
    ui.micToggle.hidden = true;
    ui.meter.hidden = true;
    this.showAlert(MICROPHONE_PROBLEMS.lost);
    this.connection.send({ type: "mic", state: "off" });
  }

  // ---- messages from the server ---------------------------------------------------------------

  receive(message) {
    switch (message.type) {
      case "ready":
        this.ready(message);
        break;
      case "transcript":
        if (message.final || message.role === "tutor") this.pauseCue.reset();
        this.conversation.show(message);
        if (message.role === "tutor" && this.speaker) this.speaker.tutorTranscript(message.turn, message.final);
        break;
      case "interrupted":
        if (this.speaker) this.speaker.interrupt();
        break;
      case "listening":
        this.pauseCue.listening(message.state);
        break;
      case "duck":
        if (this.speaker) this.speaker.duck(message.on);
        break;
      case "help": // the tutor's help follows as its turn, shown in the transcript
        this.pauseCue.reset();
        document.getElementById("live-session").dataset.helped = String(message.count);
        break;
      case "turn_complete":
        this.conversation.show(message);
        if (this.speaker) this.speaker.turnComplete(message.turn);
        break;
      case "status":
        this.serverStatus(message.state);
        break;
      case "saving":
        this.saving(message.state);
        break;
      case "error":
        this.error(message);
        break;
      case "ended":
        this.ended(message);
        break;
      default:
        this.conversation.show(message); // the notes the tutor takes, of every kind
    }
  }

  ready(message) {
    this.hideBanner();
    this.canSee = message.provider !== "offline";
    this.setState(this.endRequested ? "ending" : "live");
    this.startTimer(message.max_seconds, message.elapsed_seconds);
    this.enableInput(true);
    ui.end.disabled = this.endRequested;
    if (this.endRequested) this.connection.send({ type: "end" });
    if (this.micMuted) this.connection.send({ type: "mic", state: "off" });
  }

  serverStatus(state) {
    if (state === "reconnecting") {
      this.showBanner(format(gettext("%(name)s lost the connection for a moment. Reconnecting…"), { name: this.persona }));
    } else if (state === "switching") {
      // A planned change of line (the service's own, or a fresh start after a summary): what the student
      // says or types meanwhile waits and is delivered, so this is a note, not an alarm.
      this.showBanner(format(gettext("%(name)s is changing lines: keep going, nothing is lost."), { name: this.persona }));
    } else if (state === "failover") {
      // The tutor service failed: the lesson goes on with another one, which says it is back.
      this.showBanner(gettext("Switching tutor voice… Everything said so far is kept."));
    } else if (state === "live") {
      this.hideBanner();
    } else if (state === "ending") {
      this.setState("ending");
    }
  }

  // The site's database is away (docs/protocol.md, "saving"): what is said is kept and saved when it is back.
  saving(state) {
    if (state === "delayed") {
      this.showBanner(gettext("Saving is delayed: everything you say is kept and will be saved in a moment."));
    } else if (state === "full") {
      this.showBanner(gettext("Saving has been delayed for a long time: wait a moment before you go on."));
    } else {
      this.hideBanner();
    }
  }

  error(message) {
    if (!message.fatal) {
      this.showNotice(NOTICES[message.code] || message.message);
      return;
    }
    if (CLOSING_ERRORS.has(message.code)) return;
    this.fatal = true;
    const words = FAILURES[message.code] || message.message;
    this.showAlert(format(gettext("The session stopped: %(message)s"), { message: words }));
  }

  // The session is over: the end-of-lesson screen is next, once what the tutor was still saying has been heard (its
  // closing line, when it ended the lesson itself), up to a bound; at once when the student pressed End.
  async ended(message) {
    this.finish();
    const url = message.report_url || this.reportUrl;
    if (this.fatal) {
      this.showAlertLink(gettext("See what was said"), url);
      return;
    }
    if (message.reason === "completed") this.showNotice(gettext("Lesson complete! Your report is next."));
    if (this.speaker && !this.endRequested) await this.speaker.played(CLOSING_AUDIO_MAX_MS);
    window.location.assign(url);
  }

  // ---- the connection -------------------------------------------------------------------------

  dropped() {
    if (this.over) return;
    this.sharing.connectionLost();
    this.setState("reconnecting");
    this.enableInput(false);
    this.showBanner(gettext("The connection was lost. Reconnecting…"));
  }

  closed(kind) {
    switch (kind) {
      case "closed":
        return;
      case "ended":
        this.finish();
        window.location.assign(this.reportUrl);
        return;
      case "replaced":
        this.pause(gettext("This session continues in another window or tab."), gettext("Continue here"));
        return;
      case "forbidden":
        this.finish();
        this.showAlert(gettext("You may not join this session."));
        return;
      default: {
        const text =
          kind === "too_fast"
            ? gettext("The connection was closed: audio arrived much faster than it can be spoken.")
            : gettext("The connection to the tutor was lost.");
        this.pause(text, gettext("Try again"));
      }
    }
  }

  // This tab stops talking and listening until the student asks to carry on here.
  pause(text, actionLabel) {
    this.setState("paused");
    this.enableInput(false);
    ui.end.disabled = true;
    if (this.speaker) this.speaker.silence();
    if (this.microphone) this.microphone.setMuted(true);
    this.sharing.connectionLost();
    this.showBanner(text, actionLabel, () => {
      this.hideBanner();
      if (this.microphone) this.microphone.setMuted(this.micMuted);
      this.setState("connecting");
      this.connection.open();
    });
  }

  // ---- the student's actions ------------------------------------------------------------------

  end() {
    this.endRequested = true;
    ui.end.disabled = true;
    this.setState("ending");
    this.showNotice(gettext("Ending the session: your report is next."));
    this.connection.send({ type: "end" });
    setTimeout(() => window.location.assign(this.reportUrl), END_FALLBACK_MS);
  }

  toggleMicrophone() {
    if (!this.microphone) return;
    this.micMuted = !this.micMuted;
    this.microphone.setMuted(this.micMuted);
    this.pauseCue.reset();
    ui.micToggle.setAttribute("aria-pressed", String(this.micMuted));
    ui.micToggle.textContent = this.micMuted ? gettext("Unmute microphone") : gettext("Mute microphone");
    this.connection.send({ type: "mic", state: this.micMuted ? "off" : "on" });
  }

  sendTyped(event) {
    event.preventDefault();
    const text = ui.typedText.value.trim();
    if (!text) return;
    if (this.connection.send({ type: "text", text })) {
      ui.typedText.value = "";
    } else {
      this.showNotice(gettext("Not connected: send it again in a moment."));
    }
    ui.typedText.focus();
  }

  async sendFile() {
    const file = ui.pictureFile.files[0];
    ui.pictureFile.value = "";
    if (!file) return;
    try {
      this.sendPicture(await pictureFromFile(file), "upload");
    } catch {
      this.showNotice(gettext("That file could not be read as a picture."));
    }
  }

  async sendSnapshot() {
    if (!this.sharing.open) return;
    try {
      this.sendPicture(await this.sharing.snapshot(), "snapshot");
    } catch {
      this.showNotice(gettext("The snapshot could not be taken."));
    }
  }

  sendPicture(picture, source) {
    const wait = this.lastPictureAt + MIN_INTERVAL_MS - Date.now();
    if (wait > 0) {
      this.showNotice(gettext("One picture a second at most: wait a moment."));
      return;
    }
    if (!this.connection.send({ type: "image", mime: picture.mime, data: picture.data })) {
      this.showNotice(gettext("Not connected: send it again in a moment."));
      return;
    }
    this.lastPictureAt = Date.now();
    this.transcript.addPicture(picture.dataUrl, source);
    ui.snapshotSend.disabled = true;
    setTimeout(() => {
      ui.snapshotSend.disabled = false;
    }, MIN_INTERVAL_MS);
  }

  // ---- what the page shows --------------------------------------------------------------------

  setState(state) {
    root.dataset.state = state;
    ui.state.dataset.state = state;
    ui.state.textContent = STATE_LABELS[state];
  }

  enableInput(enabled) {
    for (const control of [ui.typedText, ui.typedSend]) {
      control.disabled = !enabled;
    }
    // A tutor that cannot see (the offline one) is offered no picture at all; the note under the buttons says why.
    for (const control of [ui.pictureUpload, ui.camera, ui.screen]) {
      control.disabled = !enabled || !this.canSee;
      if (this.canSee) control.removeAttribute("aria-describedby");
      else control.setAttribute("aria-describedby", ui.sharingUnavailable.id);
    }
    if (!this.canSee && this.sharing.open) this.sharing.close();
    this.sharing.enable(enabled, { canSee: this.canSee });
  }

  tutorSpeaking(speaking) {
    clearTimeout(this.speakingTimer);
    if (speaking) {
      this.pauseCue.reset();
      ui.speaking.hidden = false;
      root.dataset.speaking = "true";
    } else {
      this.speakingTimer = setTimeout(() => {
        ui.speaking.hidden = true;
        root.dataset.speaking = "false";
      }, SPEAKING_HOLD_MS);
    }
  }

  drawLevel() {
    if (!this.microphone) return;
    const decibels = this.level > 0 ? 20 * Math.log10(this.level) : -100;
    ui.level.value = Math.max(0, Math.min(1, (decibels + 60) / 60));
    requestAnimationFrame(() => this.drawLevel());
  }

  startTimer(maxSeconds, elapsedSeconds) {
    this.deadline = performance.now() + Math.max(0, maxSeconds - elapsedSeconds) * 1000;
    clearInterval(this.timerInterval);
    this.timerInterval = setInterval(() => this.tick(), 500);
    this.tick();
  }

  tick() {
    const left = Math.max(0, Math.round((this.deadline - performance.now()) / 1000));
    const minutes = String(Math.floor(left / 60)).padStart(2, "0");
    const seconds = String(left % 60).padStart(2, "0");
    ui.timer.textContent = minutes + ":" + seconds;
    root.classList.toggle("time-low", left <= 60);
    if (left <= 60 && left > 0 && !this.warnedLastMinute) {
      this.warnedLastMinute = true;
      this.showNotice(gettext("One minute left."));
    }
  }

  showBanner(text, actionLabel, action) {
    ui.banner.querySelector(".banner-text").textContent = text;
    const button = ui.banner.querySelector(".banner-action");
    button.hidden = !actionLabel;
    if (actionLabel) {
      button.textContent = actionLabel;
      button.onclick = action;
    }
    ui.banner.hidden = false;
  }

  hideBanner() {
    ui.banner.hidden = true;
  }

  showAlert(text) {
    ui.alert.querySelector(".banner-text").textContent = text;
    ui.alert.hidden = false;
  }

  showAlertLink(label, url) {
    const link = ui.alert.querySelector(".banner-link");
    link.textContent = label;
    link.href = url;
    link.hidden = false;
    ui.alert.hidden = false;
  }

  showNotice(text) {
    clearTimeout(this.noticeTimer);
    ui.notice.textContent = text;
    this.noticeTimer = setTimeout(() => {
      ui.notice.textContent = "";
    }, 8000);
  }

  finish() {
    this.over = true;
    this.setState("over");
    this.enableInput(false);
    ui.end.disabled = true;
    ui.micToggle.disabled = true;
    clearInterval(this.timerInterval);
    this.connection.stop();
    this.sharing.close(null);
    if (this.microphone) {
      this.microphone.close();
      this.microphone = null;
    }
    this.level = 0;
  }
}

const session = new LiveSession();
ui.start.addEventListener("click", () => session.start());
ui.end.addEventListener("click", () => session.end());
ui.micToggle.addEventListener("click", () => session.toggleMicrophone());
ui.typed.addEventListener("submit", (event) => session.sendTyped(event));
ui.pictureUpload.addEventListener("click", () => ui.pictureFile.click());
ui.pictureFile.addEventListener("change", () => session.sendFile());
ui.camera.addEventListener("click", () => session.sharing.show("camera", { stream: false }));
ui.screen.addEventListener("click", () => session.sharing.show("screen", { stream: false }));
ui.shareCamera.addEventListener("click", () => session.sharing.toggle("camera"));
ui.shareScreen.addEventListener("click", () => session.sharing.toggle("screen"));
ui.snapshotSend.addEventListener("click", () => session.sendSnapshot());
ui.snapshotStop.addEventListener("click", () => session.sharing.stop());
window.addEventListener("pagehide", () => session.connection.stop());
// Back from another page, a page restored from the back/forward cache has a stopped connection: reload.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) window.location.reload();
});

microphonePermission().then((state) => {
  if (state === "denied") ui.micHint.textContent = MICROPHONE_PROBLEMS.denied;
});
