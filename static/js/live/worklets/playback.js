// Tutor speech on the audio thread: a small jitter buffer that starts once enough is queued, a short
// fade-out and a cleared queue on interruption (no click), how many samples of each tutor turn were
// actually played, which the page reports to the server when playback is cut, and when all that was
// queued has been played (`whenEmpty`), so the page can let a closing line finish before it leaves.

class PlaybackProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const settings = options.processorOptions || {};
    const inputRate = settings.inputRate || sampleRate;
    this.step = inputRate / sampleRate; // input samples per output sample: 1 when the context runs at 24 kHz
    this.startSamples = Math.round((inputRate * (settings.startMs || 80)) / 1000);
    this.fadeLength = Math.max(1, Math.round((sampleRate * (settings.fadeMs || 8)) / 1000));
    this.idleStartQuanta = Math.ceil((sampleRate * (settings.idleStartMs || 100)) / 1000 / 128);
    this.queue = []; // {samples: Float32Array, key}
    this.position = 0; // read position (fractional when resampling) in queue[0]
    this.queued = 0;
    this.playing = false;
    this.draining = false;
    this.quantaSincePush = 0;
    this.fade = null; // {queue, position, remaining, id, key}
    this.played = new Map(); // key -> input samples played
    this.playedSamples = 0;
    this.peak = 0;
    this.audible = false;
    this.quanta = 0;
    this.emptyWaiters = []; // ids to answer with "empty" once nothing is left to play
    this.port.onmessage = (event) => this.receive(event.data);
  }

  receive(message) {
    switch (message.type) {
      case "push":
        this.queue.push({ samples: message.samples, key: message.key });
        this.queued += message.samples.length;
        this.quantaSincePush = 0;
        break;
      case "drain":
        this.draining = true;
        break;
      case "flush":
        this.startFade(message.id, message.key);
        break;
      case "whenEmpty":
        this.draining = true; // what is queued plays now, however little
        this.emptyWaiters.push(message.id);
        break;
    }
  }

  startFade(id, key) {
    this.fade = { queue: this.playing ? this.queue : [], position: this.position, remaining: this.fadeLength, id, key };
    this.queue = [];
    this.position = 0;
    this.queued = 0;
    this.playing = false;
    this.draining = false;
  }

  // Copies queued samples into out[from..], scaled by gain(i); returns how many output samples it wrote.
  read(state, out, from, limit, gain) {
    let written = 0;
    while (from + written < limit && state.queue.length) {
      const chunk = state.queue[0];
      const index = Math.floor(state.position);
      if (index >= chunk.samples.length) {
        state.queue.shift();
        state.position -= chunk.samples.length;
        continue;
      }
      const sample = chunk.samples[index] * gain(written);
      out[from + written] = sample;
      this.peak = Math.max(this.peak, Math.abs(sample));
      written += 1;
      state.position += this.step;
      const consumed = Math.floor(state.position) - index;
      this.played.set(chunk.key, (this.played.get(chunk.key) || 0) + consumed);
      this.playedSamples += consumed;
      if (state === this) this.queued -= consumed;
    }
    return written;
  }

  process(inputs, outputs) {
    const out = outputs[0][0];
    out.fill(0);
    let offset = 0;
    if (this.fade) {
      const fade = this.fade;
      const total = this.fadeLength;
      const start = fade.remaining;
      const count = this.read(fade, out, 0, Math.min(out.length, start), (i) => (start - i) / total);
      fade.remaining -= count;
      offset = count;
      if (fade.remaining <= 0 || fade.queue.length === 0) {
        this.port.postMessage({ type: "flushed", id: fade.id, key: fade.key, played: this.played.get(fade.key) || 0 });
        this.fade = null;
      }
    }
    this.quantaSincePush += 1;
    if (!this.playing && this.queued > 0) {
      const enough = this.queued >= this.startSamples;
      this.playing = enough || this.draining || this.quantaSincePush >= this.idleStartQuanta;
    }
    let wrote = 0;
    if (this.playing) {
      wrote = this.read(this, out, offset, out.length, () => 1);
      if (this.queue.length === 0) {
        this.playing = false; // an underrun: buffer again before playing on
        this.draining = false;
        this.queued = 0;
        this.position = 0;
      }
    }
    this.report(wrote > 0 || offset > 0);
    if (this.emptyWaiters.length && this.queue.length === 0 && !this.fade) {
      this.port.postMessage({ type: "stats", playedSamples: this.playedSamples, peak: this.peak }); // as of now
      for (const id of this.emptyWaiters.splice(0)) this.port.postMessage({ type: "empty", id });
    }
    return true;
  }

  report(audible) {
    this.quanta += 1;
    if (audible !== this.audible) {
      this.audible = audible;
      this.port.postMessage({ type: "speaking", speaking: audible });
    }
    if (this.quanta % 8 === 0) {
      this.port.postMessage({ type: "stats", playedSamples: this.playedSamples, peak: this.peak });
    }
  }
}

registerProcessor("playback-processor", PlaybackProcessor);
