// Microphone capture on the audio thread: mono float samples in, PCM16 16 kHz frames out.
// Chrome resamples for an AudioContext created at 16 kHz; other browsers may run the context at the
// device's rate, so this low-pass filters and decimates whatever rate it gets.

const TARGET_RATE = 16000;
const CUTOFF_HZ = 7000;

class CaptureProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const frameMs = (options.processorOptions && options.processorOptions.frameMs) || 40;
    this.frameLength = Math.round((TARGET_RATE * frameMs) / 1000);
    this.frame = new Int16Array(this.frameLength);
    this.filled = 0;
    this.step = sampleRate / TARGET_RATE; // input samples per output sample
    this.phase = 0;
    this.smoothed = 0;
    this.alpha = this.step > 1 ? 1 - Math.exp((-2 * Math.PI * CUTOFF_HZ) / sampleRate) : 1;
    this.sumSquares = 0;
    this.peak = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true;
    for (let i = 0; i < channel.length; i++) {
      let sample = channel[i];
      if (this.step !== 1) {
        this.smoothed += this.alpha * (sample - this.smoothed);
        this.phase += 1;
        if (this.phase < this.step) continue;
        this.phase -= this.step;
        sample = this.smoothed;
      }
      this.emit(sample);
    }
    return true;
  }

  emit(sample) {
    const clamped = Math.max(-1, Math.min(1, sample));
    this.frame[this.filled++] = clamped < 0 ? clamped * 0x8000 : clamped * 0x7fff;
    this.sumSquares += clamped * clamped;
    this.peak = Math.max(this.peak, Math.abs(clamped));
    if (this.filled < this.frameLength) return;
    const rms = Math.sqrt(this.sumSquares / this.filled);
    this.port.postMessage({ pcm: this.frame.buffer, rms, peak: this.peak }, [this.frame.buffer]);
    this.frame = new Int16Array(this.frameLength);
    this.filled = 0;
    this.sumSquares = 0;
    this.peak = 0;
  }
}

registerProcessor("capture-processor", CaptureProcessor);
