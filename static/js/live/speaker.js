// Plays the tutor's 24 kHz PCM16 through the playback worklet, and keeps track of which tutor turn
// each piece of audio belongs to (binary frames carry no turn number), so that an interruption can be
// reported as "of turn n, the student heard m ms".
//
// A new tutor turn starts with the first audio after a `turn_complete` (or a final tutor transcript),
// or with a tutor `transcript` for a turn number not seen before.
//
// window.__tutorAudio is a read-only test tap: samples played, loudest sample, flushes and the time from
// `interrupted` to silence. Browser tests use it to prove that sound came out and stopped in time.

const START_MS = 80;
const FADE_MS = 8;
const DUCKED_GAIN = 0.3; // the tutor's volume while a sound of the student's may be an interruption
const DUCK_SECONDS = 0.03; // how quickly the volume follows (a time constant, not a step: no click)

export class Speaker {
  constructor({ workletUrl, onSpeaking, onPlaybackCut }) {
    this.workletUrl = workletUrl;
    this.onSpeaking = onSpeaking;
    this.onPlaybackCut = onPlaybackCut;
    this.context = null;
    this.node = null;
    this.rate = 24000;
    this.key = 0;
    this.newTurnPending = true;
    this.turnOfKey = new Map();
    this.lastTutorTurn = -1;
    this.flushes = new Map(); // flush id -> {startedAt, key}
    this.nextFlushId = 1;
    this.unreported = new Map(); // key -> played ms, waiting for the key's turn number
    this.emptyWaits = new Map(); // id -> resolve, for played()
    this.tap = { playedSamples: 0, peak: 0, flushes: 0, lastFlushLatencyMs: null, sampleRate: 0 };
    window.__tutorAudio = this.tap;
  }

  // Must run in a click handler: browsers only let a page start audio after a user gesture.
  async start(rate = 24000) {
    this.rate = rate;
    this.context = new AudioContext({ sampleRate: rate, latencyHint: "interactive" });
    await this.context.audioWorklet.addModule(this.workletUrl);
    this.node = new AudioWorkletNode(this.context, "playback-processor", {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      processorOptions: { inputRate: rate, startMs: START_MS, fadeMs: FADE_MS },
    });
    this.node.port.onmessage = (event) => this.receive(event.data);
    this.gain = this.context.createGain();
    this.node.connect(this.gain).connect(this.context.destination);
    await this.context.resume();
    this.tap.sampleRate = this.context.sampleRate;
  }

  get running() {
    return this.node !== null;
  }

  push(buffer) {
    if (!this.node || buffer.byteLength < 2) return;
    if (this.newTurnPending) {
      this.key += 1;
      this.newTurnPending = false;
    }
    const pcm = new Int16Array(buffer, 0, buffer.byteLength >> 1);
    const samples = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) samples[i] = pcm[i] / 32768;
    this.node.port.postMessage({ type: "push", samples, key: this.key }, [samples.buffer]);
  }

  tutorTranscript(turn, final) {
    if (turn > this.lastTutorTurn) {
      this.lastTutorTurn = turn;
      if (this.newTurnPending || this.turnOfKey.has(this.key)) {
        this.key += 1;
        this.newTurnPending = false;
      }
      this.turnOfKey.set(this.key, turn);
      this.reportWaiting(this.key);
    }
    if (final) this.endTurn();
  }

  turnComplete(turn) {
    if (!this.turnOfKey.has(this.key) && turn >= this.lastTutorTurn) {
      this.lastTutorTurn = turn;
      this.turnOfKey.set(this.key, turn);
      this.reportWaiting(this.key);
    }
    this.endTurn();
  }

  endTurn() {
    this.newTurnPending = true;
    if (this.node) this.node.port.postMessage({ type: "drain" });
  }

  // `interrupted`: fade out and drop what is queued; the worklet answers with what was heard.
  // The server heard a sound while the tutor speaks (`duck`): lower its volume, or restore it.
  duck(on) {
    if (!this.gain) return;
    this.gain.gain.setTargetAtTime(on ? DUCKED_GAIN : 1, this.context.currentTime, DUCK_SECONDS);
  }

  interrupt() {
    if (!this.node) return;
    this.duck(false);
    const id = this.nextFlushId++;
    this.flushes.set(id, { startedAt: performance.now(), key: this.key });
    this.node.port.postMessage({ type: "flush", id, key: this.key });
    this.newTurnPending = true;
  }

  // Resolves once everything queued so far has been played, or after `withinMs` (a suspended or closed
  // audio context plays nothing): the page waits on it to let the tutor's closing line be heard.
  played(withinMs) {
    if (!this.node) return Promise.resolve();
    const id = this.nextFlushId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.emptyWaits.get(id)?.(), withinMs);
      this.emptyWaits.set(id, () => {
        clearTimeout(timer);
        this.emptyWaits.delete(id);
        resolve();
      });
      this.node.port.postMessage({ type: "whenEmpty", id });
    });
  }

  // Drop what is queued without reporting it: this tab no longer holds the session.
  silence() {
    if (!this.node) return;
    this.node.port.postMessage({ type: "flush", id: 0, key: this.key });
    this.newTurnPending = true;
  }

  receive(message) {
    switch (message.type) {
      case "stats":
        this.tap.playedSamples = message.playedSamples;
        this.tap.peak = message.peak;
        break;
      case "speaking":
        this.onSpeaking(message.speaking);
        break;
      case "empty":
        this.emptyWaits.get(message.id)?.();
        break;
      case "flushed": {
        const flush = this.flushes.get(message.id);
        this.flushes.delete(message.id);
        if (!flush) return;
        this.tap.flushes += 1;
        this.tap.lastFlushLatencyMs = performance.now() - flush.startedAt;
        this.unreported.set(message.key, Math.round((message.played / this.rate) * 1000));
        this.reportWaiting(message.key);
        break;
      }
    }
  }

  reportWaiting(key) {
    if (!this.unreported.has(key) || !this.turnOfKey.has(key)) return;
    const playedMs = this.unreported.get(key);
    this.unreported.delete(key);
    this.onPlaybackCut(this.turnOfKey.get(key), playedMs);
  }

  async close() {
    const context = this.context;
    this.node = null;
    this.context = null;
    if (context) await context.close();
  }
}
