// The session's WebSocket (docs/protocol.md): JSON events and binary audio, and automatic reconnection
// with backoff when the connection drops unexpectedly. The server keeps a session for 30 s after a
// drop and greets a returning browser with `ready` and the conversation so far.

// Close codes after which reconnecting cannot help: the page explains instead.
const FINAL_CLOSES = new Map([
  [1000, "closed"],
  [4403, "forbidden"],
  [4409, "replaced"],
  [4410, "ended"],
  [4429, "too_fast"],
]);
// At most two seconds between tries, so the student is live again within a few seconds of an outage's end.
const BACKOFF_MS = [250, 500, 1000, 2000];
const GIVE_UP_AFTER_MS = 45000;
// The server is up but its database or channel layer is not: it asks to be tried again, for as long as it says so.
const RETRY_CLOSE = 4503;
const MAX_BUFFERED_BYTES = 64 * 1024; // about two seconds of microphone audio
const FRAME_WHEN_BELOW_BYTES = 16 * 1024; // a camera or screen frame goes only on a drained socket

export class Connection {
  constructor(path, { onMessage, onAudio, onReconnecting, onClosed }) {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    this.url = scheme + "//" + window.location.host + path;
    this.onMessage = onMessage;
    this.onAudio = onAudio;
    this.onReconnecting = onReconnecting;
    this.onClosed = onClosed;
    this.socket = null;
    this.attempt = 0;
    this.droppedAt = null;
    this.timer = null;
    this.stopped = false;
    this.frameBytes = 0; // of the last frames sent, which the audio may wait behind
  }

  open() {
    this.stopped = false;
    clearTimeout(this.timer);
    const socket = new WebSocket(this.url);
    socket.binaryType = "arraybuffer";
    socket.onmessage = (event) => {
      if (socket !== this.socket) return;
      if (typeof event.data === "string") {
        const message = JSON.parse(event.data);
        if (message.type === "ready") {
          this.attempt = 0;
          this.droppedAt = null;
        }
        this.onMessage(message);
      } else {
        this.onAudio(event.data);
      }
    };
    socket.onclose = (event) => {
      if (socket === this.socket) this.closed(event);
    };
    this.socket = socket;
  }

  get isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  send(message) {
    if (!this.isOpen) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  sendAudio(buffer) {
    // A stalled connection must not pile up audio: drop frames rather than send them late. A camera
    // frame just sent is no stall: the audio queues behind it.
    if (!this.isOpen) return false;
    const buffered = this.socket.bufferedAmount;
    if (buffered <= MAX_BUFFERED_BYTES) this.frameBytes = 0;
    if (buffered > MAX_BUFFERED_BYTES + this.frameBytes) return false;
    this.socket.send(buffer);
    return true;
  }

  // A frame of a shared camera or screen: skipped (false) unless the socket has drained, since a late
  // frame is worth nothing and would hold the microphone's audio back.
  sendFrame(message) {
    if (!this.isOpen || this.socket.bufferedAmount > FRAME_WHEN_BELOW_BYTES) return false;
    const text = JSON.stringify(message);
    this.frameBytes += text.length;
    this.socket.send(text);
    return true;
  }

  // Stop for good (the page is leaving, or the session was taken over): no reconnect.
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.socket && this.socket.readyState <= WebSocket.OPEN) this.socket.close(1000);
  }

  closed(event) {
    if (this.stopped) return;
    const kind = FINAL_CLOSES.get(event.code);
    if (kind) {
      this.onClosed(kind, event);
      return;
    }
    const now = Date.now();
    this.droppedAt = this.droppedAt || now;
    if (event.code === RETRY_CLOSE) this.droppedAt = now; // the server answers: not a connection to give up on
    if (now - this.droppedAt > GIVE_UP_AFTER_MS) {
      this.onClosed("gave_up", event);
      return;
    }
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)] * (0.8 + Math.random() * 0.4);
    this.attempt += 1;
    this.onReconnecting(this.attempt);
    this.timer = setTimeout(() => this.open(), delay);
  }
}
