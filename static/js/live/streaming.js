// Sharing the camera or the screen with the tutor as a stream, as Google's Live console does: a frame
// every FRAME_INTERVAL_MS, at most FRAME_MAX_EDGE px on its long side, sent as an image message marked
// "stream" (docs/protocol.md). A frame that barely differs from the last one sent is skipped, since
// every frame costs the tutor's service tokens; a still view is sent again now and then, so a new
// connection of the tutor sees it too. The same camera or screen also gives the single snapshots.

import { format, gettext } from "./i18n.js";
import { SnapshotSource, encode } from "./pictures.js";

export const FRAME_INTERVAL_MS = 1500; // the one setting of the pace; Google's Live console sends about one a second
const FRAME_MAX_EDGE = 768; // one 768 px tile for Gemini; legible enough for a page held up to the camera
const FRAME_QUALITIES = [0.7, 0.55, 0.4];
const THUMB_WIDTH = 32; // the tiny grey picture that tells a changed view from a still one
const THUMB_HEIGHT = 18;
// A view has changed when at least 1% of the thumbnail's points (6 of 576) moved by more than 10 grey
// levels (of 255): a hand or a page turned counts, a camera's noise (averaged away at this size) does not.
const POINT_CHANGE = 10;
const MIN_CHANGED_SHARE = 0.01;
const RESEND_STILL_MS = 10000;

const LABELS = {
  camera: gettext("Sharing camera"),
  screen: gettext("Sharing screen"),
};
const SHARED = {
  camera: gettext("You shared your camera (%(time)s)."),
  screen: gettext("You shared your screen (%(time)s)."),
};
const OPEN_FAILED = {
  camera: gettext("The camera could not be opened (no camera, or access was refused)."),
  screen: gettext("Screen sharing was cancelled or refused."),
};
// Why sharing stopped, said in the live region (where "Sharing camera" was said).
const STOPPED = {
  stopped: gettext("Sharing stopped."),
  connection: gettext("Sharing stopped: the connection was lost. Share again once it is back."),
};

// Sends a frame of `source` every FRAME_INTERVAL_MS through `send(frame)` (false: not sent), unless the
// view has not changed.
class FrameStream {
  constructor(source, send) {
    this.source = source;
    this.send = send;
    this.thumb = document.createElement("canvas");
    this.thumb.width = THUMB_WIDTH;
    this.thumb.height = THUMB_HEIGHT;
    this.lastThumb = null;
    this.lastSentAt = 0;
    this.timer = null;
    this.stopped = false;
  }

  start() {
    this.tick();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  async tick() {
    const started = performance.now();
    try {
      await this.capture(started);
    } catch {
      // A frame that could not be drawn or encoded is skipped; the next one may work.
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => this.tick(), Math.max(0, FRAME_INTERVAL_MS - (performance.now() - started)));
    }
  }

  async capture(now) {
    await this.source.ready;
    const video = this.source.video;
    if (this.stopped || !video.videoWidth) return;
    const thumb = this.grey(video);
    const still = this.lastThumb && changedShare(thumb, this.lastThumb) < MIN_CHANGED_SHARE;
    if (still && now - this.lastSentAt < RESEND_STILL_MS) return;
    const frame = await encode(video, video.videoWidth, video.videoHeight, {
      maxEdge: FRAME_MAX_EDGE,
      qualities: FRAME_QUALITIES,
    });
    if (!this.stopped && this.send(frame)) {
      this.lastThumb = thumb;
      this.lastSentAt = now;
    }
  }

  grey(video) {
    const context = this.thumb.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, THUMB_WIDTH, THUMB_HEIGHT);
    const { data } = context.getImageData(0, 0, THUMB_WIDTH, THUMB_HEIGHT);
    const levels = new Uint8Array(THUMB_WIDTH * THUMB_HEIGHT);
    for (let i = 0; i < levels.length; i++) {
      levels[i] = (data[4 * i] * 3 + data[4 * i + 1] * 6 + data[4 * i + 2]) / 10;
    }
    return levels;
  }
}

function changedShare(a, b) {
  let changed = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > POINT_CHANGE) changed++;
  return changed / a.length;
}

function clock(ms) {
  const seconds = Math.round(ms / 1000);
  return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
}

// The camera or screen open on the page: a preview for snapshots, and while sharing, the stream of
// frames with its badge and its Stop button. One at a time.
export class Sharing {
  constructor({ ui, sendFrame, notify, onShared }) {
    this.ui = ui;
    this.sendFrame = sendFrame;
    this.notify = notify;
    this.onShared = onShared;
    this.source = null;
    this.kind = null;
    this.stream = null;
    this.since = 0;
    this.opening = false;
  }

  get open() {
    return this.source !== null;
  }

  get streaming() {
    return this.stream !== null;
  }

  // Opens the camera or the screen (or keeps the one open); with `stream`, starts sharing it.
  async show(kind, { stream }) {
    if (this.opening) return;
    if (this.kind !== kind) {
      this.close(null);
      this.opening = true;
      try {
        this.source = await SnapshotSource[kind](this.ui.video);
      } catch {
        this.notify(OPEN_FAILED[kind]);
        return;
      } finally {
        this.opening = false;
      }
      this.kind = kind;
      const source = this.source;
      source.onEnded(() => {
        if (this.source === source) this.close("stopped"); // e.g. "Stop sharing" in the browser's own bar
      });
      this.ui.panel.hidden = false;
    }
    if (stream && !this.stream) this.startStream();
    (stream ? this.ui.stop : this.ui.snapshot).focus();
  }

  // Share, or stop sharing, with the same button.
  toggle(kind) {
    if (this.stream && this.kind === kind) this.stop();
    else this.show(kind, { stream: true });
  }

  // The student's Stop: keyboard focus goes back to the button that opened the camera or screen.
  stop() {
    const { kind, streaming } = this;
    this.close("stopped");
    if (kind) (streaming ? this.buttonFor(kind) : this.ui[kind]).focus();
  }

  startStream() {
    this.stream = new FrameStream(this.source, (frame) => this.sendFrame(frame));
    this.stream.start();
    this.since = performance.now();
    this.ui.badge.textContent = LABELS[this.kind];
    this.ui.badge.hidden = false;
    this.ui.panel.dataset.sharing = this.kind;
    this.buttonFor(this.kind).setAttribute("aria-pressed", "true");
    this.notify(LABELS[this.kind]);
  }

  async snapshot() {
    return this.source.snapshot();
  }

  // Stops the stream and closes the camera or screen; `reason` (a key of STOPPED) is said to the
  // student, none when the page is leaving or another camera or screen takes its place.
  close(reason) {
    if (!this.source) return;
    const kind = this.kind;
    if (this.stream) {
      this.stream.stop();
      this.stream = null;
      this.ui.badge.hidden = true;
      delete this.ui.panel.dataset.sharing;
      this.buttonFor(kind).setAttribute("aria-pressed", "false");
      this.onShared(format(SHARED[kind], { time: clock(performance.now() - this.since) }));
      if (reason) this.notify(STOPPED[reason]);
    }
    this.source.stop();
    this.source = null;
    this.kind = null;
    this.ui.panel.hidden = true;
  }

  // The connection dropped: frames cannot go, so sharing stops (and says so); a snapshot preview stays.
  connectionLost() {
    if (this.stream) this.close("connection");
  }

  // The tutor can see (or, offline, cannot: then the share buttons say why they are off).
  enable(enabled, { canSee }) {
    for (const button of [this.ui.shareCamera, this.ui.shareScreen]) {
      button.disabled = !enabled || !canSee;
      if (canSee) button.removeAttribute("aria-describedby");
      else button.setAttribute("aria-describedby", this.ui.unavailable.id);
    }
    this.ui.unavailable.hidden = canSee;
    if (!canSee && this.stream) this.close("stopped");
  }

  buttonFor(kind) {
    return kind === "camera" ? this.ui.shareCamera : this.ui.shareScreen;
  }
}
